"""Writes for the needs analysis: a survey from the built-in template, launched to the people of
an organisation or of a network's member organisations, answered, reminded, closed; needs turned
into proposals for a shared offering.

The template (`survey_template`): for every competency of the chosen framework (or of one of its
categories) "how much do you need this for your work" (1 not at all … 4 very much) and "how good are
you at it now" (the framework's own scale, or "I don't know"); the preferred ways of learning; the
time available per week; and up to five open questions.

Anonymity, in code: an anonymous response stores no person and no time; the invitation only
records *that* it was answered (no time either); the audit row of an answer names neither; the
report shows no group of fewer than `ANONYMOUS_MINIMUM` responses (`survey_report.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gilde.audit.services import audit_record
from gilde.competencies.models import Competency, Framework, FrameworkVersion, VersionStatus
from gilde.competencies.services import scale_of
from gilde.development import notify
from gilde.development.models import (
    HoursPerWeek,
    OfferingProposal,
    ProposalStatus,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyMode,
    SurveyResponse,
    SurveyStatus,
)
from gilde.development.services import DevelopmentError
from gilde.learning.models import CatalogueItem
from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    Team,
)

ANONYMOUS_MINIMUM = 5
MAX_OPEN_QUESTIONS = 5
REMIND_AGAIN_AFTER = dt.timedelta(hours=20)

NEED_CHOICES = (
    (1, gettext_lazy("not at all")),
    (2, gettext_lazy("a little")),
    (3, gettext_lazy("quite a lot")),
    (4, gettext_lazy("very much")),
)
WAYS = (
    ("masterclass", "prefers_masterclass", gettext_lazy("masterclass or workshop")),
    ("elearning", "prefers_elearning", gettext_lazy("e-learning")),
    ("on_the_job", "prefers_on_the_job", gettext_lazy("learning on the job")),
    ("peer_group", "prefers_peer_group", gettext_lazy("peer group")),
    ("coaching", "prefers_coaching", gettext_lazy("coaching")),
)
DEFAULT_OPEN_QUESTIONS = (
    gettext_lazy("What would help you most in your work in the coming year?"),
    gettext_lazy("Is there anything else you want to tell us?"),
)


def published_version(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def survey_competencies(survey: Survey) -> list[Competency]:
    """The competencies asked about, in the survey's order. One query."""
    found = {
        c.code: c
        for c in Competency.objects.filter(version_id=survey.version_id, code__in=survey.codes)
    }
    return [found[code] for code in survey.codes if code in found]


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    title: str,
    framework: Framework,
    mode: str,
    closes_on: dt.date | None,
    introduction: str = "",
    category: str = "",
    open_questions: Sequence[str] = (),
    network: Network | None = None,
    organisation: Organisation | None = None,
) -> Survey:
    """A draft survey from the template. The caller has checked that the actor coordinates the
    network or administers the organisation, and that the framework is open to it."""
    if (network is None) == (organisation is None):
        raise DevelopmentError(_("A survey belongs to one network or to one organisation."))
    title = title.strip()
    if not title:
        raise DevelopmentError(_("Give the survey a title."))
    if mode not in SurveyMode.values:
        raise DevelopmentError(_("Choose named or anonymous."))
    if closes_on is None:
        raise DevelopmentError(_("Give the last day on which people can answer."))
    if closes_on < timezone.localdate():
        raise DevelopmentError(_("The last day to answer cannot be in the past."))
    version = published_version(framework)
    if version is None:
        raise DevelopmentError(_("This framework has no published version yet."))
    competencies = version.competencies.select_related("category").order_by("position", "code")
    if category:
        competencies = competencies.filter(category__name=category)
    codes = [c.code for c in competencies]
    if not codes:
        raise DevelopmentError(_("There are no competencies to ask about."))
    questions = [q.strip()[:300] for q in open_questions if q.strip()]
    if len(questions) > MAX_OPEN_QUESTIONS:
        raise DevelopmentError(_("At most %(max)s open questions.") % {"max": MAX_OPEN_QUESTIONS})
    survey = Survey.objects.create(
        network=network,
        organisation=organisation,
        title=title[:200],
        introduction=introduction.strip(),
        framework=framework,
        version=version,
        codes=codes,
        open_questions=questions,
        mode=mode,
        closes_on=closes_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="development.survey_create",
        network=network,
        organisation=organisation,
        survey=title,
        mode=mode,
    )
    return survey


@dataclass(frozen=True)
class Invitee:
    person_id: int
    organisation_id: int
    team_id: int | None


def survey_audience(
    survey: Survey, *, organisations: Iterable[Organisation] = (), team: Team | None = None
) -> list[Invitee]:
    """Who a survey goes to: the current members of the organisation (or one team), or of the
    chosen approved member organisations of the network. One invitation per person."""
    current = Membership.objects.current()
    if survey.organisation_id is not None:
        rows = current.filter(organisation_id=survey.organisation_id)
        if team is not None:
            rows = rows.filter(team=team)
    else:
        members = NetworkMembership.objects.filter(
            network_id=survey.network_id or 0, status=NetworkMembershipStatus.APPROVED
        )
        chosen = [o.pk for o in organisations]
        if chosen:
            members = members.filter(organisation_id__in=chosen)
        rows = current.filter(organisation_id__in=members.values("organisation_id"))
    seen: dict[int, Invitee] = {}
    for person_id, organisation_id, team_id in rows.order_by(
        "organisation__name", "pk"
    ).values_list("person_id", "organisation_id", "team_id"):
        seen.setdefault(person_id, Invitee(person_id, organisation_id, team_id))
    return list(seen.values())


@transaction.atomic
def survey_launch(*, actor: Any, survey: Survey, invitees: Sequence[Invitee]) -> int:
    """Open the survey and invite people by e-mail. Returns how many were invited."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise DevelopmentError(_("This survey has been sent already."))
    if survey.closes_on < timezone.localdate():
        raise DevelopmentError(_("The last day to answer has passed. Choose a later date."))
    if not invitees:
        raise DevelopmentError(_("Nobody to invite. Choose other organisations or another team."))
    now = timezone.now()
    created = SurveyInvitation.objects.bulk_create(
        [
            SurveyInvitation(
                survey=survey,
                person_id=i.person_id,
                organisation_id=i.organisation_id,
                team_id=i.team_id,
                sent_at=now,
            )
            for i in invitees
        ]
    )
    survey.status = SurveyStatus.OPEN
    survey.opened_at = now
    survey.save(update_fields=["status", "opened_at"])
    audit_record(
        actor=actor,
        action="development.survey_launch",
        network=survey.network,
        organisation=survey.organisation,
        survey=survey.title,
        invited=len(created),
    )
    ids = list(SurveyInvitation.objects.filter(survey=survey).values_list("pk", flat=True))
    notify.survey_invitations(ids)
    return len(created)


@transaction.atomic
def survey_remind(*, actor: Any, survey: Survey) -> int:
    """E-mail again everyone who has not answered and was not reminded in the last day."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.accepts_answers():
        raise DevelopmentError(_("The survey is closed; there is nobody to remind."))
    now = timezone.now()
    due = SurveyInvitation.objects.filter(survey=survey, answered=False).exclude(
        reminded_at__gt=now - REMIND_AGAIN_AFTER
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        raise DevelopmentError(_("Everyone has answered or was reminded less than a day ago."))
    SurveyInvitation.objects.filter(pk__in=ids).update(reminded_at=now)
    audit_record(
        actor=actor,
        action="development.survey_remind",
        network=survey.network,
        organisation=survey.organisation,
        survey=survey.title,
        reminded=len(ids),
    )
    notify.survey_invitations(ids, reminder=True)
    return len(ids)


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise DevelopmentError(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="development.survey_close",
        network=survey.network,
        organisation=survey.organisation,
        survey=survey.title,
    )
    return survey


@dataclass
class Answers:
    """What one person filled in (already checked by the form)."""

    needs: dict[str, int]
    levels: dict[str, int | None]
    ways: set[str]
    hours_per_week: str
    open_answers: list[str]


def survey_closed_message(survey: Survey) -> str | None:
    """Why a survey takes no answers (any more), or None if it does."""
    if survey.status == SurveyStatus.DRAFT:
        return _("This survey has not been sent yet.")
    if not survey.accepts_answers():
        return _(
            "This survey is closed: the last day to answer was %(date)s. Your link no longer "
            "works. Thank you all the same."
        ) % {"date": survey.closes_on.strftime("%d-%m-%Y")}
    return None


ALREADY_ANSWERED = gettext_lazy(
    "You have answered this survey already. Thank you! An answer cannot be given twice."
)


def survey_answer(*, invitation: SurveyInvitation, answers: Answers) -> SurveyResponse:
    """Store one person's answers, once. For an anonymous survey the response keeps the
    organisation and team (for the report's groups) and nothing that leads back to the person."""
    with transaction.atomic():
        locked = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey", "person")
            .get(pk=invitation.pk)
        )
        survey = locked.survey
        closed = survey_closed_message(survey)
        if closed:
            raise DevelopmentError(closed)
        if locked.answered:
            raise DevelopmentError(str(ALREADY_ANSWERED))
        codes = list(survey.codes)
        missing = [code for code in codes if code not in answers.needs]
        if missing:
            raise DevelopmentError(
                _("Say how much you need %(code)s for your work.") % {"code": missing[0]}
            )
        if any(not 1 <= answers.needs[code] <= 4 for code in codes):
            raise DevelopmentError(_("Choose how much you need each competency."))
        scale = scale_of(survey.version)
        ways = {code for code, _field, _label in WAYS}
        if answers.ways - ways:
            raise DevelopmentError(_("Choose ways of learning from the list."))
        if answers.hours_per_week and answers.hours_per_week not in HoursPerWeek.values:
            raise DevelopmentError(_("Choose how much time you have from the list."))
        anonymous = survey.is_anonymous
        now = timezone.now()
        response = SurveyResponse.objects.create(
            survey=survey,
            person=None if anonymous else locked.person,
            organisation_id=locked.organisation_id,
            team_id=locked.team_id,
            hours_per_week=answers.hours_per_week,
            open_answers=[a.strip()[:2000] for a in answers.open_answers],
            submitted_at=None if anonymous else now,
            **{field: code in answers.ways for code, field, _label in WAYS},
        )
        rows = []
        for code in codes:
            level = answers.levels.get(code)
            rows.append(
                SurveyAnswer(
                    response=response,
                    code=code,
                    need=answers.needs[code],
                    level=level,
                    level_normalised=scale.normalise(level) if level is not None else None,
                )
            )
        SurveyAnswer.objects.bulk_create(rows)
        locked.answered = True
        locked.answered_at = None if anonymous else now
        locked.save(update_fields=["answered", "answered_at"])
        # An anonymous answer is audited without a person: the trail must not tell who answered
        # when.
        audit_record(
            actor=None if anonymous else locked.person,
            action="development.survey_answer",
            network=survey.network,
            organisation=survey.organisation,
            survey=survey.title,
        )
    return response


# --- proposals for a shared offering ------------------------------------------------------------


@transaction.atomic
def offering_propose(
    *, actor: Any, survey: Survey, code: str, title: str, note: str = ""
) -> OfferingProposal:
    if code not in survey.codes:
        raise DevelopmentError(_("Choose a competency of this survey."))
    title = title.strip()
    if not title:
        raise DevelopmentError(_("Say what could be offered."))
    proposal = OfferingProposal.objects.create(
        survey=survey, code=code, title=title[:200], note=note.strip()[:4000], created_by=actor
    )
    audit_record(
        actor=actor,
        action="development.offering_propose",
        network=survey.network,
        organisation=survey.organisation,
        survey=survey.title,
        title=proposal.title,
    )
    return proposal


@transaction.atomic
def offering_link(
    *,
    actor: Any,
    proposal: OfferingProposal,
    item: CatalogueItem | None,
    drop: bool = False,
) -> OfferingProposal:
    """Link a proposal to the catalogue item that answers it (or drop it)."""
    if drop:
        proposal.status, proposal.catalogue_item = ProposalStatus.DROPPED, None
    elif item is None:
        raise DevelopmentError(_("Choose an item from the catalogue."))
    else:
        proposal.status, proposal.catalogue_item = ProposalStatus.LINKED, item
    proposal.save(update_fields=["status", "catalogue_item"])
    audit_record(
        actor=actor,
        action="development.offering_link",
        network=proposal.survey.network,
        organisation=proposal.survey.organisation,
        title=proposal.title,
        status=proposal.status,
    )
    return proposal


@transaction.atomic
def survey_export_record(*, actor: Any, survey: Survey, fmt: str) -> None:
    """Who downloaded a report, and when."""
    audit_record(
        actor=actor,
        action="development.survey_export",
        network=survey.network,
        organisation=survey.organisation,
        survey=survey.title,
        format=fmt,
    )
