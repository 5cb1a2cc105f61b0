"""Development: personal development plans, check-ins, needs analysis surveys and job-coach
career plans.

A development plan belongs to the learner: they write it, their manager comments and agrees. Every
agreement keeps a revision (a snapshot of the plan with who agreed and when), so an agreed version
is never lost when the learner changes the plan later. Check-in notes carry an explicit visibility:
private to the writer or shared between the two people in the conversation, never more. A survey's
anonymous responses have no link to a person or an invitation, and no time of their own. A career
plan is written by a job coach with the person's consent, which the person gives and withdraws
themselves.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ONE_OWNER = (Q(network__isnull=False) & Q(organisation__isnull=True)) | (
    Q(network__isnull=True) & Q(organisation__isnull=False)
)
MAX_GOALS = 5


# --- personal development plans ---------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for agreement")
    AGREED = "agreed", _("agreed")
    CLOSED = "closed", _("closed")


class DevelopmentPlan(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="development_plans"
    )
    # The organisation in whose name the plan is written: its manager agrees it.
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="development_plans"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    learning_question = models.TextField(_("your learning question"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    reflection = models.TextField(_("looking back"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_in_order"
            ),
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=~Q(status="closed"),
                name="one_open_plan_per_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.CLOSED


class GoalStatus(models.TextChoices):
    OPEN = "open", _("working on it")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("stopped")


class Goal(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    what = models.CharField(_("what do you want to learn"), max_length=300)
    why = models.TextField(_("why"), blank=True)
    how_i_know = models.TextField(_("how will you know you got there"), blank=True)
    due_date = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.what


class GoalCompetency(models.Model):
    """A competency a goal works on, and the level the learner aims for."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="competencies")
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.PositiveSmallIntegerField(_("level you aim for"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "competency"], name="goal_competency_once")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.competency_id}→{self.target_level}"


class ActionKind(models.TextChoices):
    LEARNING = "learning", _("learning activity")
    ON_THE_JOB = "on_the_job", _("task on the job")
    COACHING = "coaching", _("coaching")
    EVENT = "event", _("event")
    OTHER = "other", _("something else")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("to do")
    STARTED = "started", _("started")
    DONE = "done", _("done")


class PlanAction(models.Model):
    """One thing the learner does towards a goal. A learning activity or an event may point at a
    catalogue item; completing that item ticks the action."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=ActionKind.choices)
    description = models.CharField(_("what will you do"), max_length=300)
    catalogue_item = models.ForeignKey(
        "learning.CatalogueItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("from the catalogue"),
    )
    due_date = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("progress"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    completion = models.ForeignKey(
        "learning.Completion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A follow-up action agreed in a check-in lands here with a link back to the conversation.
    check_in = models.ForeignKey(
        "CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "position", "pk"]
        indexes = [models.Index(fields=["catalogue_item", "status"])]

    def __str__(self) -> str:
        return self.description


class PlanComment(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "created_at", "pk"]

    def __str__(self) -> str:
        return f"comment on {self.plan_id}"


class PlanRevision(models.Model):
    """An agreed version of a plan: what was agreed, by whom and when. Never changed."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField(default=dict)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


# --- check-ins --------------------------------------------------------------------------------


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class CheckIn(models.Model):
    """A conversation between a learner and their manager or coach."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="check_ins"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="check_ins_led"
    )
    # A manager's check-in is held for an organisation; a coach's for a network.
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        "tenancy.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        DevelopmentPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    scheduled_for = models.DateTimeField(_("when"))
    ad_hoc = models.BooleanField(_("ad hoc"), default=False)
    status = models.CharField(
        max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED
    )
    held_at = models.DateTimeField(null=True, blank=True)
    # The prompts as they were when the check-in was planned: editing them later changes nothing
    # about a past conversation.
    prompts = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for"]
        constraints = [
            models.CheckConstraint(condition=ONE_OWNER, name="check_in_has_one_scope"),
        ]
        indexes = [
            models.Index(fields=["organisation", "person", "status"]),
            models.Index(fields=["status", "scheduled_for"]),
        ]

    def __str__(self) -> str:
        return f"check-in {self.person_id} with {self.leader_id}"


class NoteVisibility(models.TextChoices):
    PRIVATE = "private", _("only me")
    SHARED = "shared", _("the two of us")


class CheckInNote(models.Model):
    """A note on a check-in. Private: its writer alone reads it, no admin, nobody. Shared: the
    two people in the conversation read it, nobody else."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_in_notes"
    )
    visibility = models.CharField(
        _("who can read this"), max_length=8, choices=NoteVisibility.choices
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["check_in", "created_at", "pk"]

    def __str__(self) -> str:
        return f"note on {self.check_in_id} ({self.visibility})"


class CheckInPrompt(models.Model):
    """A question that supports a motivating conversation; an organisation edits its own list
    (without one, the built-in list in `development/prompts.py` is used)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="check_in_prompts"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["organisation", "position", "pk"]

    def __str__(self) -> str:
        return self.text


# --- needs analysis ---------------------------------------------------------------------------


class SurveyMode(models.TextChoices):
    NAMED = "named", _("named")
    ANONYMOUS = "anonymous", _("anonymous")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Survey(models.Model):
    """A needs analysis from the built-in template, for one organisation or one network."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(
        "tenancy.Network", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    framework = models.ForeignKey(
        "competencies.Framework", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        "competencies.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    # The competency codes asked about, in order (all of the version's, or one category's).
    codes = models.JSONField(default=list)
    open_questions = models.JSONField(default=list, blank=True)
    mode = models.CharField(_("answers are"), max_length=10, choices=SurveyMode.choices)
    status = models.CharField(
        max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_on = models.DateField(_("open until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=ONE_OWNER, name="survey_has_one_owner")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.mode == SurveyMode.ANONYMOUS

    def accepts_answers(self) -> bool:
        return self.status == SurveyStatus.OPEN and timezone.localdate() <= self.closes_on


def _survey_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyInvitation(models.Model):
    """One person asked to answer. The link's token lets them answer an anonymous survey on a
    phone without logging in. `answered` says that they answered, never what: an anonymous
    response has no link back here."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "tenancy.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=_survey_token)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)
    # Only for a named survey: an anonymous one keeps no time, so that the order of answering
    # cannot be matched with the order of the stored responses.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="survey_invitation_once")
        ]
        indexes = [models.Index(fields=["survey", "organisation"])]

    def __str__(self) -> str:
        return f"invitation to {self.survey_id}"


class HoursPerWeek(models.TextChoices):
    UNDER_ONE = "lt1", _("less than an hour")
    ONE_TWO = "1-2", _("1 to 2 hours")
    TWO_FOUR = "2-4", _("2 to 4 hours")
    MORE = "gt4", _("more than 4 hours")


class SurveyResponse(models.Model):
    """One person's answers. Anonymous: no person, and no time beyond the survey's own."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "tenancy.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Preferred ways of learning, one column each so that a database counts them in one query.
    prefers_masterclass = models.BooleanField(default=False)
    prefers_elearning = models.BooleanField(default=False)
    prefers_on_the_job = models.BooleanField(default=False)
    prefers_peer_group = models.BooleanField(default=False)
    prefers_coaching = models.BooleanField(default=False)
    hours_per_week = models.CharField(max_length=4, choices=HoursPerWeek.choices, blank=True)
    open_answers = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["survey", "organisation"])]

    def __str__(self) -> str:
        return f"response to {self.survey_id}"


class SurveyAnswer(models.Model):
    """Need (1 not at all … 4 very much) and current level (the framework's scale, empty for
    "I don't know") for one competency."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(max_length=40)
    need = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    level_normalised = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "code"], name="survey_answer_once"),
            models.CheckConstraint(condition=Q(need__gte=1, need__lte=4), name="need_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.need}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    LINKED = "linked", _("in the catalogue")
    DROPPED = "dropped", _("dropped")


class OfferingProposal(models.Model):
    """A need from a report turned into a proposal for a shared offering; later linked to a
    catalogue item that answers it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="proposals")
    code = models.CharField(_("competency"), max_length=40)
    title = models.CharField(_("what to offer"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    catalogue_item = models.ForeignKey(
        "learning.CatalogueItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "created_at"]

    def __str__(self) -> str:
        return self.title


# --- career plans by a job coach --------------------------------------------------------------


class CareerStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting", _("waiting for consent")
    ACTIVE = "active", _("in progress")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("consent withdrawn")


class CareerPlan(models.Model):
    """A training and career plan a job coach writes with one person of the network."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey("tenancy.Network", on_delete=models.PROTECT, related_name="+")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="career_caseload"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="career_plans"
    )
    status = models.CharField(
        max_length=10, choices=CareerStatus.choices, default=CareerStatus.AWAITING_CONSENT
    )
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    intake_date = models.DateField(_("intake on"), null=True, blank=True)
    intake = models.TextField(_("intake"), blank=True)
    current_situation = models.TextField(_("current situation"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    values_ambitions = models.TextField(_("values and ambitions"), blank=True)
    options = models.TextField(_("options"), blank=True)
    chosen_route = models.TextField(_("chosen route"), blank=True)
    evaluation = models.TextField(_("closing evaluation"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "person"],
                condition=Q(status__in=["awaiting", "active"]),
                name="one_open_career_plan_per_coach",
            )
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"career plan {self.person_id} by {self.coach_id}"


class CareerStep(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("step"), max_length=300)
    due_date = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.description


class CareerNote(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-written_on", "-pk"]

    def __str__(self) -> str:
        return f"note on {self.plan_id}"


# --- targets ----------------------------------------------------------------------------------


class Measure(models.TextChoices):
    PLANS_WRITTEN = "plans_written", _("development plans written")
    PLANS_AGREED = "plans_agreed", _("development plans agreed")
    SHARE_WITH_PLAN = "share_with_plan", _("share of people with a plan (%)")
    CAREER_PLANS = "career_plans", _("career plans by a job coach")


class DevelopmentTarget(models.Model):
    """A network's target for one measure, set by a coordinator. `membership_kind` narrows the
    people counted ("25 % of the candidates")."""

    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.CASCADE, related_name="development_targets"
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    membership_kind = models.CharField(_("only people who are"), max_length=12, blank=True)
    value = models.PositiveIntegerField(_("target"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "measure", "membership_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "measure", "membership_kind"], name="development_target_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}={self.value}"
