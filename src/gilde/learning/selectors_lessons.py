"""Reads for native e-learning lessons: the gateway to lessons, pages, images, quizzes,
questions and attempts, the learner's player and attempt pages, the author's editor and the
per-question summary of a quiz. Each read runs a fixed number of queries.

Who sees what (on top of `learning.access`):
- a lesson, its pages and images: whoever sees the item; writing them: whoever may edit it;
- an attempt: whoever sees the learner's enrolment (the learner, their manager, mentor, coach,
  an admin of their organisation); only the learner answers;
- a quiz's results: the item's editors see how many got each question right over all attempts
  (numbers only); a manager or admin sees the same for the people they lead, with names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from gilde.learning.access import (
    access_item,
    can_edit_item,
    can_see_enrolment,
    items_visible_to,
)
from gilde.learning.lessons import (
    Video,
    attempt_is_late,
    attempts_left,
    ordering_display,
    video_for,
)
from gilde.learning.markdown import render_markdown
from gilde.learning.models import (
    AcceptedAnswer,
    Answer,
    Attempt,
    CatalogueItem,
    Choice,
    Completion,
    Enrolment,
    EnrolmentStatus,
    ItemKind,
    LessonImage,
    LessonPage,
    Question,
    QuestionKind,
    Quiz,
)
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Role

# --- the gateway --------------------------------------------------------------------------------


def access_lesson(actor: Any, lesson_uuid: Any, *, edit: bool = False) -> CatalogueItem:
    item = access_item(actor, lesson_uuid, edit=edit)
    if item.kind != ItemKind.LESSON:
        raise Http404
    return item


def access_page(item: CatalogueItem, page_uuid: Any) -> LessonPage:
    page = LessonPage.objects.filter(item=item, uuid=page_uuid).first()
    if page is None:
        raise Http404
    return page


def access_image(actor: Any, lesson_uuid: Any, image_uuid: Any) -> LessonImage:
    item = access_lesson(actor, lesson_uuid)
    image = LessonImage.objects.filter(item=item, uuid=image_uuid).first()
    if image is None:
        raise Http404
    return image


def access_quiz(actor: Any, quiz_uuid: Any, *, edit: bool = False) -> Quiz:
    quiz = (
        Quiz.objects.filter(uuid=quiz_uuid, item__in=items_visible_to(actor))
        .select_related("item__network", "item__organisation")
        .first()
    )
    if quiz is None or (edit and not can_edit_item(actor, quiz.item)):
        raise Http404
    return quiz


def access_question(actor: Any, question_uuid: Any) -> Question:
    question = (
        Question.objects.filter(uuid=question_uuid, quiz__item__in=items_visible_to(actor))
        .select_related("quiz__item__network", "quiz__item__organisation")
        .first()
    )
    if question is None or not can_edit_item(actor, question.quiz.item):
        raise Http404
    return question


def access_attempt(actor: Any, attempt_uuid: Any) -> Attempt:
    attempt = (
        Attempt.objects.filter(uuid=attempt_uuid)
        .select_related(
            "quiz",
            "enrolment__person",
            "enrolment__organisation",
            "enrolment__item__network",
            "enrolment__item__organisation",
        )
        .first()
    )
    if attempt is None or not can_see_enrolment(actor, attempt.enrolment):
        raise Http404
    return attempt


def my_lesson_enrolment(actor: Any, item: CatalogueItem) -> Enrolment | None:
    return (
        Enrolment.objects.filter(person=actor, item=item, status=EnrolmentStatus.ACTIVE)
        .select_related("item__network", "item__organisation", "organisation", "person")
        .first()
    )


def _alt_texts(item: CatalogueItem) -> dict[str, str]:
    return {
        str(u): alt
        for u, alt in LessonImage.objects.filter(item=item).values_list("uuid", "alt_text")
    }


def page_html(page: LessonPage, item: CatalogueItem, alt_texts: dict[str, str]) -> Any:
    return render_markdown(page.body, item_uuid=item.uuid, alt_texts=alt_texts)


# --- the learner's player -----------------------------------------------------------------------


@dataclass
class QuizState:
    quiz: Quiz
    attempts: list[Attempt]
    question_count: int

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.submitted_at is None), None)

    @property
    def passed(self) -> bool:
        return any(a.passed for a in self.attempts)

    @property
    def left(self) -> int | None:
        return attempts_left(self.quiz, len(self.attempts))

    @property
    def can_start(self) -> bool:
        return not self.passed and self.left != 0 and self.question_count > 0


@dataclass
class LessonPlayer:
    item: CatalogueItem
    enrolment: Enrolment | None
    pages: list[LessonPage]
    page: LessonPage | None
    html: Any = ""
    video: Video | None = None
    quizzes: list[QuizState] = field(default_factory=list)
    # The learner has completed the lesson before (then they may read it again).
    completed: Completion | None = None

    @property
    def index(self) -> int:
        return next((i for i, p in enumerate(self.pages) if self.page and p.pk == self.page.pk), 0)

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def previous(self) -> LessonPage | None:
        return self.pages[self.index - 1] if self.page and self.index > 0 else None

    @property
    def next(self) -> LessonPage | None:
        if self.page and self.index + 1 < len(self.pages):
            return self.pages[self.index + 1]
        return None

    @property
    def is_last(self) -> bool:
        return self.page is not None and self.next is None


def lesson_player(actor: Any, item: CatalogueItem, page: LessonPage | None = None) -> LessonPlayer:
    """The lesson as the learner takes it: the page asked for, else the page they were on, else
    the first. Seven queries, whatever the number of pages, quizzes and attempts."""
    enrolment = my_lesson_enrolment(actor, item)
    completed = None
    if enrolment is None:
        completed = (
            Completion.objects.filter(person=actor, item=item).order_by("-completed_at").first()
        )
    pages = list(LessonPage.objects.filter(item=item).order_by("position", "pk"))
    if page is None and enrolment is not None and enrolment.current_page_id is not None:
        page = next((p for p in pages if p.pk == enrolment.current_page_id), None)
    if page is None and pages:
        page = pages[0]
    elif page is not None:
        page = next((p for p in pages if p.pk == page.pk), page)
    quizzes = list(
        Quiz.objects.filter(item=item)
        .annotate(active_questions=Count("questions", filter=Q(questions__active=True)))
        .order_by("created_at", "pk")
    )
    attempts: list[Attempt] = []
    if enrolment is not None and quizzes:
        attempts = list(Attempt.objects.filter(enrolment=enrolment).order_by("number"))
    return LessonPlayer(
        item=item,
        enrolment=enrolment,
        pages=pages,
        page=page,
        html=page_html(page, item, _alt_texts(item)) if page is not None else "",
        video=video_for(page.video_url) if page is not None else None,
        quizzes=[
            QuizState(
                quiz=q,
                attempts=[a for a in attempts if a.quiz_id == q.pk],
                question_count=getattr(q, "active_questions", 0),
            )
            for q in quizzes
        ],
        completed=completed,
    )


def my_attempts(enrolment: Enrolment) -> list[Attempt]:
    return list(
        Attempt.objects.filter(enrolment=enrolment).select_related("quiz").order_by("number")
    )


# --- an attempt ---------------------------------------------------------------------------------


@dataclass
class QuestionView:
    number: int
    question: Question
    choices: list[Choice]  # in the order shown in this attempt
    accepted: list[str]
    answer: Answer | None

    @property
    def chosen(self) -> set[int]:
        if self.answer is None:
            return set()
        return set(self.answer.response.get("choices", []))

    @property
    def given_order(self) -> list[Choice]:
        if self.answer is None:
            return []
        by_id = {c.pk: c for c in self.choices}
        return [by_id[i] for i in self.answer.response.get("order", []) if i in by_id]

    @property
    def right_order(self) -> list[Choice]:
        return sorted(self.choices, key=lambda c: (c.position, c.pk))

    @property
    def chosen_texts(self) -> list[str]:
        return [c.text for c in self.choices if c.pk in self.chosen]

    @property
    def right_texts(self) -> list[str]:
        if self.question.kind == QuestionKind.SHORT_ANSWER:
            return self.accepted
        if self.question.kind == QuestionKind.ORDERING:
            return [f"{n}. {c.text}" for n, c in enumerate(self.right_order, start=1)]
        return [c.text for c in self.choices if c.correct]

    @property
    def given_texts(self) -> list[str]:
        if self.answer is None:
            return []
        if self.question.kind == QuestionKind.SHORT_ANSWER:
            return [str(self.answer.response.get("value", ""))]
        if self.question.kind == QuestionKind.ORDERING:
            return [f"{n}. {c.text}" for n, c in enumerate(self.given_order, start=1)]
        return self.chosen_texts

    @property
    def chosen_feedback(self) -> list[str]:
        """Feedback on the answers the learner chose."""
        return [c.feedback for c in self.choices if c.pk in self.chosen and c.feedback]


@dataclass
class AttemptView:
    attempt: Attempt
    quiz: Quiz
    item: CatalogueItem
    questions: list[QuestionView]
    is_learner: bool
    late: bool
    attempts_used: int

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.answer is not None)

    @property
    def current(self) -> QuestionView | None:
        """The first question without an answer."""
        return next((q for q in self.questions if q.answer is None), None)

    @property
    def submitted(self) -> bool:
        return self.attempt.submitted_at is not None

    @property
    def left(self) -> int | None:
        return attempts_left(self.quiz, self.attempts_used)

    @property
    def can_retry(self) -> bool:
        return (
            self.is_learner
            and self.submitted
            and not self.attempt.passed
            and self.left != 0
            and self.attempt.enrolment.status == EnrolmentStatus.ACTIVE
        )


def attempt_view(actor: Any, attempt: Attempt) -> AttemptView:
    """An attempt's questions in the order drawn, with the answers given. Five queries."""
    ids = list(attempt.question_ids)
    questions = {
        q.pk: q
        for q in Question.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")),
            Prefetch("accepted", queryset=AcceptedAnswer.objects.order_by("pk")),
        )
    }
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    views = []
    for number, pk in enumerate((pk for pk in ids if pk in questions), start=1):
        question = questions[pk]
        choices = list(question.choices.all())
        if question.kind == QuestionKind.ORDERING:
            choices = ordering_display(attempt, question, choices)
        views.append(
            QuestionView(
                number=number,
                question=question,
                choices=choices,
                accepted=[a.text for a in question.accepted.all()],
                answer=answers.get(pk),
            )
        )
    return AttemptView(
        attempt=attempt,
        quiz=attempt.quiz,
        item=attempt.enrolment.item,
        questions=views,
        is_learner=actor.pk == attempt.enrolment.person_id,
        late=attempt.submitted_at is None and attempt_is_late(attempt),
        attempts_used=Attempt.objects.filter(
            enrolment_id=attempt.enrolment_id, quiz_id=attempt.quiz_id
        ).count(),
    )


# --- the author's editor ------------------------------------------------------------------------


@dataclass
class LessonEditor:
    item: CatalogueItem
    pages: list[LessonPage]
    images: list[LessonImage]
    quizzes: list[Quiz]


def lesson_editor(item: CatalogueItem) -> LessonEditor:
    return LessonEditor(
        item=item,
        pages=list(LessonPage.objects.filter(item=item).only("uuid", "title", "position", "item")),
        images=list(LessonImage.objects.filter(item=item).order_by("created_at", "pk")),
        quizzes=list(
            Quiz.objects.filter(item=item)
            .annotate(active_questions=Count("questions", filter=Q(questions__active=True)))
            .order_by("created_at", "pk")
        ),
    )


def quiz_bank(quiz: Quiz) -> list[Question]:
    return list(
        Question.objects.filter(quiz=quiz)
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")),
            Prefetch("accepted", queryset=AcceptedAnswer.objects.order_by("pk")),
        )
        .annotate(answer_count=Count("answers"))
        .order_by("-active", "position", "pk")
    )


# --- results of a quiz --------------------------------------------------------------------------


@dataclass
class QuestionResult:
    number: int
    question: Question
    drawn: int
    answered: int
    right: int

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.drawn) if self.drawn else 0


@dataclass
class QuizResults:
    quiz: Quiz
    questions: list[QuestionResult]
    attempts: int
    passed: int
    people: list[Attempt]  # named attempts of people the actor leads (newest first)
    scope_all: bool  # the numbers cover every attempt (the actor edits the item)


def _led_person_ids(actor: Any) -> tuple[list[int], Q]:
    """Organisations the actor leads (admin or manager there), and a filter on enrolments of
    the people they lead there."""
    from gilde.learning.selectors import led_memberships

    standing = standing_of(actor)
    lead_orgs = [
        org
        for org_id, org in standing.organisations.items()
        if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
    ]
    condition = Q(pk__in=[])
    for org in lead_orgs:
        condition |= Q(
            enrolment__organisation=org,
            enrolment__person_id__in=led_memberships(actor, org).values("person_id"),
        )
    return [o.pk for o in lead_orgs], condition


def quiz_results(actor: Any, quiz: Quiz) -> QuizResults:
    """How many got each question right, over the handed-in attempts the actor may count.
    A fixed number of queries, whatever the number of attempts."""
    editor = can_edit_item(actor, quiz.item)
    lead_orgs, led = _led_person_ids(actor)
    if not editor and not lead_orgs:
        raise Http404
    handed_in = Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False)
    led_attempts = handed_in.filter(led) if lead_orgs else handed_in.none()
    scope: QuerySet[Attempt] = handed_in if editor else led_attempts
    drawn: Counter[int] = Counter()
    passed = 0
    total = 0
    for question_ids, was_passed in scope.values_list("question_ids", "passed"):
        total += 1
        passed += 1 if was_passed else 0
        drawn.update(question_ids)
    questions = list(
        Question.objects.filter(quiz=quiz)
        .annotate(
            answered=Count("answers", filter=Q(answers__attempt__in=scope)),
            right=Count("answers", filter=Q(answers__attempt__in=scope, answers__correct=True)),
        )
        .order_by("position", "pk")
    )
    people = list(
        led_attempts.select_related("enrolment__person").order_by("-submitted_at", "-pk")[:200]
    )
    return QuizResults(
        quiz=quiz,
        questions=[
            QuestionResult(
                number=number,
                question=q,
                drawn=drawn.get(q.pk, 0),
                answered=getattr(q, "answered", 0),
                right=getattr(q, "right", 0),
            )
            for number, q in enumerate(questions, start=1)
        ],
        attempts=total,
        passed=passed,
        people=people,
        scope_all=editor,
    )


def can_see_quiz_results(actor: Any, quiz: Quiz) -> bool:
    if can_edit_item(actor, quiz.item):
        return True
    standing = standing_of(actor)
    return any(
        standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
        for org_id in standing.organisations
    )
