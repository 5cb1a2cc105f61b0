"""Kinds of catalogue item: everything that differs per kind, in one place.

Each kind is a small class: which extra fields its form shows, what the learner does, who may
record that it is done, and the rule that says whether it is done. Services, forms and templates
ask `kind_of(item)` instead of testing `item.kind`, so a new kind is one class here plus the
checklist in docs/adding-things.md ("A new kind of catalogue item").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gilde.learning.models import CompletionResult, ItemKind, SignOffBy

if TYPE_CHECKING:
    from gilde.learning.models import CatalogueItem, Enrolment


class CompletedBy:
    """Who records that an item is done."""

    LEARNER = "learner"  # the learner's own activity (a lesson's quizzes, a proof upload)
    SIGNER = "signer"  # a workplace mentor or manager signs it off
    SCHOOL = "school"  # the school (or the network's coordinator) records the result
    ATTENDANCE = "attendance"  # the events app records attendance


@dataclass(frozen=True)
class CompletionFacts:
    """What a completion request brings along; each kind looks at the facts it needs."""

    proof_file: Any = None
    proof_link: str = ""
    signer_role: str = ""  # "mentor" or "manager": how the signer relates to the learner
    school_result: str = ""
    score_percent: Decimal | None = None
    attended: bool = False


class Kind:
    value: ClassVar[str]
    # Extra model fields the item form shows for this kind (beyond the common ones).
    form_fields: ClassVar[tuple[str, ...]] = ()
    # Fields the form requires for this kind.
    required_fields: ClassVar[tuple[str, ...]] = ()
    learner_action: ClassVar[Promise]
    completed_by: ClassVar[str]
    result: ClassVar[str] = CompletionResult.COMPLETED
    # The learner may enrol themselves (events have their own registration).
    self_enrol: ClassVar[bool] = True

    @property
    def label(self) -> str:
        return str(ItemKind(self.value).label)

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        """Why this enrolment cannot be completed with these facts, or None if it can."""
        return None

    def publish_problem(self, item: CatalogueItem) -> Promise | str | None:
        """Why the item cannot be published yet, or None if it can."""
        return None


class LessonKind(Kind):
    value = ItemKind.LESSON
    learner_action = _("Read the pages and pass the quiz.")
    completed_by = CompletedBy.LEARNER
    result = CompletionResult.PASSED

    def publish_problem(self, item: CatalogueItem) -> Promise | str | None:
        # Pages, and quizzes whose every question has a correct answer.
        from gilde.learning.lessons import lesson_publish_problem

        return lesson_publish_problem(item)

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        from gilde.learning.models import Attempt, Quiz

        quizzes = set(Quiz.objects.filter(item_id=enrolment.item_id).values_list("pk", flat=True))
        if not quizzes:
            if enrolment.progress_percent < 100:
                return _("Read every page of the lesson first.")
            return None
        passed = set(
            Attempt.objects.filter(enrolment=enrolment, passed=True).values_list(
                "quiz_id", flat=True
            )
        )
        if quizzes - passed:
            return _("Pass the quiz first.")
        return None


class ExternalKind(Kind):
    value = ItemKind.EXTERNAL
    form_fields = ("provider", "url", "price")
    required_fields = ("provider",)
    learner_action = _("Follow the course at the provider and upload proof that you finished.")
    completed_by = CompletedBy.LEARNER

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        if not facts.proof_file and not facts.proof_link:
            return _("Add proof: a file (certificate, letter) or a link to it.")
        return None


class OnTheJobKind(Kind):
    value = ItemKind.ON_THE_JOB
    form_fields = ("instructions", "sign_off_by")
    required_fields = ("instructions",)
    learner_action = _("Do the assignment at work; your mentor or manager signs it off.")
    completed_by = CompletedBy.SIGNER
    result = CompletionResult.SIGNED_OFF

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        allowed = {
            SignOffBy.MENTOR_OR_MANAGER: {"mentor", "manager"},
            SignOffBy.MENTOR: {"mentor"},
            SignOffBy.MANAGER: {"manager"},
        }[SignOffBy(enrolment.item.sign_off_by)]
        if facts.signer_role not in allowed:
            if enrolment.item.sign_off_by == SignOffBy.MENTOR:
                return _("Only the learner's workplace mentor can sign this off.")
            if enrolment.item.sign_off_by == SignOffBy.MANAGER:
                return _("Only the learner's manager can sign this off.")
            return _("Only the learner's workplace mentor or manager can sign this off.")
        return None


class SchoolSubjectKind(Kind):
    value = ItemKind.SCHOOL_SUBJECT
    form_fields = ("school",)
    required_fields = ("school",)
    learner_action = _("Follow the subject at school; the school records your result.")
    completed_by = CompletedBy.SCHOOL
    self_enrol = False

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        if not facts.school_result.strip():
            return _("Fill in the result the school gave.")
        return None


class EventKind(Kind):
    value = ItemKind.EVENT
    learner_action = _("Sign up for a date and take part.")
    completed_by = CompletedBy.ATTENDANCE
    result = CompletionResult.ATTENDED
    self_enrol = False
    # Dates, registration and attendance live in the events app; the item page links there.
    page_url_name = "events:series"

    def completion_problem(
        self, *, enrolment: Enrolment, facts: CompletionFacts
    ) -> Promise | str | None:
        if not facts.attended:
            return _("Only attendance completes an event.")
        return None


_KINDS: dict[str, Kind] = {}


def register(kind_class: type[Kind]) -> type[Kind]:
    _KINDS[kind_class.value] = kind_class()
    return kind_class


for _kind_class in (LessonKind, ExternalKind, OnTheJobKind, SchoolSubjectKind, EventKind):
    register(_kind_class)


def kind_named(value: str) -> Kind:
    return _KINDS[value]


def kind_of(item: CatalogueItem) -> Kind:
    return _KINDS[item.kind]


def all_kinds() -> list[Kind]:
    """In the order of ItemKind (the order of the filter on the catalogue page)."""
    return [_KINDS[value] for value in ItemKind.values if value in _KINDS]


def kind_specific_fields() -> set[str]:
    """Every field some kind adds; a form hides those its item's kind does not use."""
    return {name for kind in _KINDS.values() for name in kind.form_fields}
