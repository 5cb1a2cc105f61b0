"""Writes for development plans, check-ins, check-in questions and network targets.

Every function takes keyword arguments, runs in one transaction and writes an audit row. A rule
that refuses raises DevelopmentError with a message fit to show; nothing has changed then. Who
may call what is decided by the views through `development.access`; the services check again what
depends on the state of the rows (a closed plan, a plan waiting for agreement).

The plan's way through its states:

    draft ──submit──▶ waiting for agreement ──agree──▶ agreed ──close──▶ closed
      ▲                       │                          │
      └──── a change to the question, the period, a goal or an action ─┘

Progress (an action done, a goal achieved), comments and follow-up actions from a check-in do
not undo an agreement; every agreement is kept as a revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.competencies.models import Competency
from gilde.competencies.services import CompetencyError, scale_of
from gilde.development import notify
from gilde.development.access import is_check_in_pair, leads_plan, plans_visible_to
from gilde.development.models import (
    MAX_GOALS,
    ActionKind,
    ActionStatus,
    CheckIn,
    CheckInNote,
    CheckInPrompt,
    CheckInStatus,
    DevelopmentPlan,
    DevelopmentTarget,
    Goal,
    GoalCompetency,
    GoalStatus,
    Measure,
    NoteVisibility,
    PlanAction,
    PlanComment,
    PlanRevision,
    PlanStatus,
)
from gilde.development.prompts import DEFAULT_PROMPTS
from gilde.learning.models import CatalogueItem, ItemKind
from gilde.tenancy.models import Membership, MembershipKind, Network, Organisation, Role

MAX_TEXT = 4000
MAX_PROMPTS = 12


class DevelopmentError(ValueError):
    """A rule refused the change; the message is fit to show to the user."""


def _text(value: str, *, required: str | None = None, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DevelopmentError(required)
    if len(value) > limit:
        raise DevelopmentError(
            _("A text can be at most %(limit)s characters long.") % {"limit": limit}
        )
    return value


def _lock(plan: DevelopmentPlan) -> DevelopmentPlan:
    return (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .get(pk=plan.pk)
    )


def _require_owner(actor: Any, plan: DevelopmentPlan) -> None:
    if actor.pk != plan.person_id:
        raise DevelopmentError(_("Only the owner of the plan can change it."))
    if plan.status == PlanStatus.CLOSED:
        raise DevelopmentError(_("This plan is closed; it can no longer be changed."))


def _audit_plan(*, actor: Any, action: str, plan: DevelopmentPlan, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        organisation=plan.organisation,
        subject=plan.person,
        plan=str(plan.uuid),
        **detail,
    )


def _content_changed(plan: DevelopmentPlan) -> bool:
    """A change to what was agreed: the plan goes back to draft and must be agreed again.
    Returns whether an agreement (or a request for one) was undone."""
    plan.updated_at = timezone.now()
    undone = plan.status in (PlanStatus.SUBMITTED, PlanStatus.AGREED)
    if undone:
        plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status", "updated_at"])
    return undone


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is None or end is None:
        raise DevelopmentError(_("Give the first and the last day of the plan's period."))
    if end < start:
        raise DevelopmentError(_("The end of the period comes before its start."))
    if (end - start).days > 3 * 366:
        raise DevelopmentError(_("A plan covers at most three years."))


def _check_in_period(plan: DevelopmentPlan, day: dt.date | None, what: str) -> None:
    if day is not None and not (plan.period_start <= day <= plan.period_end):
        raise DevelopmentError(
            _("The date of %(what)s falls outside the plan's period (%(start)s to %(end)s).")
            % {
                "what": what,
                "start": plan.period_start.strftime("%d-%m-%Y"),
                "end": plan.period_end.strftime("%d-%m-%Y"),
            }
        )


# --- plans ----------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    learning_question: str,
) -> DevelopmentPlan:
    """The learner starts a plan in the name of one of their organisations. The caller has
    checked that the actor works there."""
    title = _text(title, required=_("Give the plan a title."), limit=200)
    question = _text(
        learning_question, required=_("Write your learning question in your own words.")
    )
    _check_period(period_start, period_end)
    assert period_start is not None and period_end is not None
    if not Membership.objects.current().filter(person=actor, organisation=organisation).exists():
        raise DevelopmentError(_("You do not work at this organisation."))
    if (
        DevelopmentPlan.objects.filter(person=actor, organisation=organisation)
        .exclude(status=PlanStatus.CLOSED)
        .exists()
    ):
        raise DevelopmentError(
            _("You already have an open plan at %(org)s. Close it before you start a new one.")
            % {"org": organisation.name}
        )
    try:
        with transaction.atomic():
            plan = DevelopmentPlan.objects.create(
                person=actor,
                organisation=organisation,
                title=title,
                period_start=period_start,
                period_end=period_end,
                learning_question=question,
            )
    except IntegrityError as error:
        raise DevelopmentError(
            _("You already have an open plan at %(org)s.") % {"org": organisation.name}
        ) from error
    _audit_plan(actor=actor, action="development.plan_create", plan=plan)
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: DevelopmentPlan,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    learning_question: str,
) -> DevelopmentPlan:
    plan = _lock(plan)
    _require_owner(actor, plan)
    title = _text(title, required=_("Give the plan a title."), limit=200)
    question = _text(
        learning_question, required=_("Write your learning question in your own words.")
    )
    _check_period(period_start, period_end)
    assert period_start is not None and period_end is not None
    plan.period_start, plan.period_end = period_start, period_end
    for goal in plan.goals.all():
        _check_in_period(plan, goal.due_date, _("goal “%(what)s”") % {"what": goal.what})
    plan.title, plan.learning_question = title, question
    plan.save(update_fields=["title", "learning_question", "period_start", "period_end"])
    undone = _content_changed(plan)
    _audit_plan(actor=actor, action="development.plan_update", plan=plan, reopened=undone)
    return plan


def _competencies_checked(
    entries: Sequence[tuple[Competency, int]],
) -> list[tuple[Competency, int]]:
    seen: dict[int, tuple[Competency, int]] = {}
    for competency, level in entries:
        try:
            scale_of(competency.version).normalise(level)
        except CompetencyError as error:
            raise DevelopmentError(f"{competency.code}: {error}") from error
        if competency.pk in seen:
            raise DevelopmentError(
                _("%(code)s is chosen twice for this goal.") % {"code": competency.code}
            )
        seen[competency.pk] = (competency, level)
    return list(seen.values())


@transaction.atomic
def goal_save(
    *,
    actor: Any,
    plan: DevelopmentPlan,
    what: str,
    why: str,
    how_i_know: str,
    due_date: dt.date | None,
    competencies: Sequence[tuple[Competency, int]],
    goal: Goal | None = None,
) -> Goal:
    """Add a goal (at most five) or change one, with the competencies it works on and the level
    the learner aims for on each."""
    plan = _lock(plan)
    _require_owner(actor, plan)
    what = _text(what, required=_("Say what you want to learn."), limit=300)
    if due_date is None:
        raise DevelopmentError(_("Give the date by which you want to reach this goal."))
    _check_in_period(plan, due_date, _("this goal"))
    checked = _competencies_checked(competencies)
    if goal is None:
        if plan.goals.count() >= MAX_GOALS:
            raise DevelopmentError(
                _("A plan has at most %(max)s goals. Fewer goals, done well, work better.")
                % {"max": MAX_GOALS}
            )
        position = (plan.goals.aggregate(m=Max("position"))["m"] or 0) + 1
        goal = Goal(plan=plan, position=position)
    elif goal.plan_id != plan.pk:
        raise DevelopmentError(_("This goal belongs to another plan."))
    goal.what, goal.why, goal.how_i_know = what, _text(why), _text(how_i_know)
    goal.due_date = due_date
    goal.save()
    goal.competencies.all().delete()
    GoalCompetency.objects.bulk_create(
        [GoalCompetency(goal=goal, competency=c, target_level=level) for c, level in checked]
    )
    undone = _content_changed(plan)
    _audit_plan(
        actor=actor,
        action="development.goal_save",
        plan=plan,
        goal=what,
        competencies=[c.code for c, _level in checked],
        reopened=undone,
    )
    return goal


@transaction.atomic
def goal_delete(*, actor: Any, goal: Goal) -> None:
    plan = _lock(goal.plan)
    _require_owner(actor, plan)
    what = goal.what
    goal.delete()
    undone = _content_changed(plan)
    _audit_plan(
        actor=actor, action="development.goal_delete", plan=plan, goal=what, reopened=undone
    )


@transaction.atomic
def goal_status_set(*, actor: Any, goal: Goal, status: str) -> Goal:
    """Progress: a goal achieved, stopped or worked on again. Does not undo an agreement."""
    plan = _lock(goal.plan)
    _require_owner(actor, plan)
    if status not in GoalStatus.values:
        raise DevelopmentError(_("Choose a status."))
    goal.status = status
    goal.achieved_at = timezone.now() if status == GoalStatus.ACHIEVED else None
    goal.save(update_fields=["status", "achieved_at"])
    _audit_plan(
        actor=actor, action="development.goal_status", plan=plan, goal=goal.what, status=status
    )
    return goal


def _check_action_item(kind: str, item: CatalogueItem | None) -> None:
    if kind not in ActionKind.values:
        raise DevelopmentError(_("Choose what kind of action this is."))
    if item is None:
        return
    if kind == ActionKind.EVENT and item.kind != ItemKind.EVENT:
        raise DevelopmentError(_("Choose an event from the catalogue, or another kind of action."))
    if kind not in (ActionKind.EVENT, ActionKind.LEARNING):
        raise DevelopmentError(
            _("Only a learning activity or an event can be linked to the catalogue.")
        )


@transaction.atomic
def action_save(
    *,
    actor: Any,
    goal: Goal,
    kind: str,
    description: str,
    catalogue_item: CatalogueItem | None = None,
    due_date: dt.date | None = None,
    action: PlanAction | None = None,
) -> PlanAction:
    """Add or change an action of a goal: a learning activity (free text or a catalogue item), a
    task on the job, coaching or an event (through its catalogue item)."""
    plan = _lock(goal.plan)
    _require_owner(actor, plan)
    _check_action_item(kind, catalogue_item)
    description = _text(description, limit=300)
    if not description and catalogue_item is not None:
        description = catalogue_item.title[:300]
    if not description:
        raise DevelopmentError(_("Say what you will do."))
    _check_in_period(plan, due_date, _("this action"))
    if action is None:
        position = (goal.actions.aggregate(m=Max("position"))["m"] or 0) + 1
        action = PlanAction(goal=goal, position=position, created_by=actor)
    elif action.goal_id != goal.pk:
        raise DevelopmentError(_("This action belongs to another goal."))
    action.kind, action.description = kind, description
    action.catalogue_item, action.due_date = catalogue_item, due_date
    action.save()
    undone = _content_changed(plan)
    _audit_plan(
        actor=actor,
        action="development.action_save",
        plan=plan,
        description=description,
        item=str(catalogue_item.uuid) if catalogue_item else None,
        reopened=undone,
    )
    return action


@transaction.atomic
def action_delete(*, actor: Any, action: PlanAction) -> None:
    plan = _lock(action.goal.plan)
    _require_owner(actor, plan)
    description = action.description
    action.delete()
    undone = _content_changed(plan)
    _audit_plan(
        actor=actor,
        action="development.action_delete",
        plan=plan,
        description=description,
        reopened=undone,
    )


@transaction.atomic
def action_progress_set(*, actor: Any, action: PlanAction, status: str) -> PlanAction:
    plan = _lock(action.goal.plan)
    _require_owner(actor, plan)
    if status not in ActionStatus.values:
        raise DevelopmentError(_("Choose how far you are."))
    action.status = status
    action.done_at = timezone.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_at"])
    _audit_plan(
        actor=actor,
        action="development.action_progress",
        plan=plan,
        description=action.description,
        status=status,
    )
    return action


def action_tick_on_completion(sender: Any, *, completion: Any, enrolment: Any, **_: Any) -> None:
    """Receiver of `learning.signals.item_completed`: the open actions of the person's plans
    that point at the completed item are done. Runs inside the completion's transaction."""
    now = timezone.now()
    actions = list(
        PlanAction.objects.filter(
            catalogue_item_id=enrolment.item_id,
            goal__plan__person_id=enrolment.person_id,
        )
        .exclude(status=ActionStatus.DONE)
        .exclude(goal__plan__status=PlanStatus.CLOSED)
        .select_related("goal__plan__organisation", "goal__plan__person")
    )
    for action in actions:
        action.status = ActionStatus.DONE
        action.done_at = now
        action.completion = completion
        action.save(update_fields=["status", "done_at", "completion"])
        _audit_plan(
            actor=None,
            action="development.action_completed",
            plan=action.goal.plan,
            description=action.description,
            item=str(enrolment.item.uuid),
        )


def plan_leaders(plan: DevelopmentPlan) -> list[Any]:
    """Who agrees the plan: the owner's current manager at the plan's organisation, or, without
    one, the organisation's admins."""
    from gilde.people.models import Person

    managers = (
        Membership.objects.current()
        .filter(person_id=plan.person_id, organisation_id=plan.organisation_id)
        .exclude(manager__isnull=True)
        .exclude(manager_id=plan.person_id)
        .values("manager_id")
    )
    found = list(Person.objects.filter(pk__in=managers))
    if found:
        return found
    admins = (
        Membership.objects.current()
        .filter(organisation_id=plan.organisation_id, roles__role=Role.ORG_ADMIN)
        .exclude(person_id=plan.person_id)
        .values("person_id")
    )
    return list(Person.objects.filter(pk__in=admins))


def submit_problems(plan: DevelopmentPlan) -> list[str]:
    """What stands between the plan and asking for agreement, as messages."""
    goals = list(plan.goals.prefetch_related("competencies", "actions"))
    problems = []
    if not goals:
        problems.append(_("Add at least one goal before you ask for agreement."))
    for goal in goals:
        if not goal.competencies.all():
            problems.append(
                _("Goal “%(what)s” needs a competency and the level you aim for.")
                % {"what": goal.what}
            )
        if not goal.actions.all():
            problems.append(
                _("Goal “%(what)s” needs at least one action: what will you do?")
                % {"what": goal.what}
            )
    return problems


@transaction.atomic
def plan_submit(*, actor: Any, plan: DevelopmentPlan) -> DevelopmentPlan:
    """The learner asks their manager to agree the plan."""
    plan = _lock(plan)
    _require_owner(actor, plan)
    if plan.status != PlanStatus.DRAFT:
        raise DevelopmentError(_("This plan is not a draft; there is nothing to submit."))
    problems = submit_problems(plan)
    if problems:
        raise DevelopmentError(" ".join(problems))
    leaders = plan_leaders(plan)
    if not leaders:
        raise DevelopmentError(
            _(
                "Nobody at %(org)s can agree your plan yet: ask your organisation to name your manager."
            )
            % {"org": plan.organisation.name}
        )
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    _audit_plan(actor=actor, action="development.plan_submit", plan=plan)
    notify.plan_submitted(plan.pk, [p.pk for p in leaders])
    return plan


@transaction.atomic
def plan_comment_add(*, actor: Any, plan: DevelopmentPlan, text: str) -> PlanComment:
    """The owner or their manager (or an admin of the organisation) comments on the plan."""
    plan = _lock(plan)
    if actor.pk != plan.person_id and not leads_plan(actor, plan):
        raise DevelopmentError(_("You cannot comment on this plan."))
    text = _text(text, required=_("Write a comment first."))
    comment = PlanComment.objects.create(plan=plan, author=actor, text=text)
    _audit_plan(actor=actor, action="development.plan_comment", plan=plan)
    if actor.pk != plan.person_id:
        notify.plan_commented(plan.pk)
    return comment


def plan_snapshot(plan: DevelopmentPlan) -> dict[str, Any]:
    """What was agreed, as plain values (kept in a revision, shown and exported later)."""
    goals = plan.goals.prefetch_related(
        "competencies__competency__version__framework", "actions__catalogue_item"
    )
    return {
        "title": plan.title,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "learning_question": plan.learning_question,
        "goals": [
            {
                "what": goal.what,
                "why": goal.why,
                "how_i_know": goal.how_i_know,
                "due_date": goal.due_date.isoformat(),
                "status": goal.status,
                "competencies": [
                    {
                        "framework": gc.competency.version.framework.name,
                        "code": gc.competency.code,
                        "name": gc.competency.name,
                        "target_level": gc.target_level,
                    }
                    for gc in goal.competencies.all()
                ],
                "actions": [
                    {
                        "kind": action.kind,
                        "description": action.description,
                        "item": action.catalogue_item.title if action.catalogue_item else "",
                        "due_date": action.due_date.isoformat() if action.due_date else "",
                        "status": action.status,
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ],
    }


@transaction.atomic
def plan_agree(*, actor: Any, plan: DevelopmentPlan) -> PlanRevision:
    """The manager agrees the plan as it is now; the version is kept as a revision."""
    plan = _lock(plan)
    if actor.pk == plan.person_id:
        raise DevelopmentError(_("You cannot agree your own plan; your manager does."))
    if not leads_plan(actor, plan):
        raise DevelopmentError(_("You cannot agree this plan."))
    if plan.status != PlanStatus.SUBMITTED:
        raise DevelopmentError(_("Only a plan that waits for agreement can be agreed."))
    now = timezone.now()
    number = (plan.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    revision = PlanRevision.objects.create(
        plan=plan, number=number, snapshot=plan_snapshot(plan), agreed_by=actor, agreed_at=now
    )
    plan.status = PlanStatus.AGREED
    plan.agreed_at, plan.agreed_by = now, actor
    plan.save(update_fields=["status", "agreed_at", "agreed_by"])
    _audit_plan(actor=actor, action="development.plan_agree", plan=plan, revision=number)
    notify.plan_agreed(plan.pk)
    return revision


@transaction.atomic
def plan_close(*, actor: Any, plan: DevelopmentPlan, reflection: str) -> DevelopmentPlan:
    """The learner closes the plan with a look back: what worked, what did not, what next."""
    plan = _lock(plan)
    _require_owner(actor, plan)
    plan.reflection = _text(
        reflection, required=_("Write a few lines looking back before you close the plan.")
    )
    plan.status = PlanStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["reflection", "status", "closed_at"])
    _audit_plan(actor=actor, action="development.plan_close", plan=plan)
    return plan


# --- check-ins ----------------------------------------------------------------------------------


def prompts_for(organisation: Organisation | None) -> list[str]:
    if organisation is not None:
        own = list(
            CheckInPrompt.objects.filter(organisation=organisation).values_list("text", flat=True)
        )
        if own:
            return own
    return [str(p) for p in DEFAULT_PROMPTS]


@transaction.atomic
def prompts_save(*, actor: Any, organisation: Organisation, texts: Sequence[str]) -> list[str]:
    """An organisation admin replaces the organisation's check-in questions (an empty list
    brings back the built-in ones)."""
    cleaned = []
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if len(text) > 300:
            raise DevelopmentError(_("A question can be at most 300 characters long."))
        cleaned.append(text)
    if len(cleaned) > MAX_PROMPTS:
        raise DevelopmentError(_("At most %(max)s questions.") % {"max": MAX_PROMPTS})
    CheckInPrompt.objects.filter(organisation=organisation).delete()
    CheckInPrompt.objects.bulk_create(
        [
            CheckInPrompt(organisation=organisation, position=i, text=text)
            for i, text in enumerate(cleaned)
        ]
    )
    audit_record(
        actor=actor,
        action="development.prompts_save",
        organisation=organisation,
        questions=len(cleaned),
    )
    return cleaned


def _open_plan(person: Any, organisation: Organisation | None) -> DevelopmentPlan | None:
    plans = DevelopmentPlan.objects.filter(person=person).exclude(status=PlanStatus.CLOSED)
    if organisation is not None:
        plans = plans.filter(organisation=organisation)
    return plans.order_by("-created_at").first()


@transaction.atomic
def check_in_plan(
    *,
    actor: Any,
    person: Any,
    leader: Any,
    scheduled_for: dt.datetime | None,
    organisation: Organisation | None = None,
    network: Network | None = None,
    ad_hoc: bool = False,
) -> CheckIn:
    """Plan a check-in between a learner and their manager (for an organisation) or coach (for
    a network); either of the two plans it. An ad-hoc check-in is held now."""
    if actor.pk not in (person.pk, leader.pk):
        raise DevelopmentError(_("You can only plan check-ins you take part in."))
    if (organisation is None) == (network is None):
        raise DevelopmentError(_("Choose with whom you want to talk."))
    if not is_check_in_pair(
        person=person, leader=leader, organisation=organisation, network=network
    ):
        raise DevelopmentError(_("A check-in is held with your own manager or coach."))
    now = timezone.now()
    if ad_hoc:
        scheduled_for = now
    elif scheduled_for is None:
        raise DevelopmentError(_("Choose a date and time."))
    elif scheduled_for < now - dt.timedelta(minutes=5):
        raise DevelopmentError(_("The date and time lie in the past. Choose a later moment."))
    elif scheduled_for > now + dt.timedelta(days=400):
        raise DevelopmentError(_("Plan a check-in at most a year ahead."))
    check_in = CheckIn.objects.create(
        person=person,
        leader=leader,
        organisation=organisation,
        network=network,
        plan=_open_plan(person, organisation),
        scheduled_for=scheduled_for,
        ad_hoc=ad_hoc,
        status=CheckInStatus.HELD if ad_hoc else CheckInStatus.PLANNED,
        held_at=now if ad_hoc else None,
        prompts=prompts_for(organisation),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="development.check_in_plan",
        organisation=organisation,
        network=network,
        subject=person,
        check_in=str(check_in.uuid),
        ad_hoc=ad_hoc,
    )
    if not ad_hoc:
        from gilde.development.tasks import check_in_reminders_schedule

        notify.check_in_planned(check_in.pk, planned_by_id=actor.pk)
        check_in_reminders_schedule(check_in)
    return check_in


def _participant(actor: Any, check_in: CheckIn) -> None:
    if actor.pk not in (check_in.person_id, check_in.leader_id):
        raise DevelopmentError(_("You did not take part in this check-in."))


def _audit_check_in(*, actor: Any, action: str, check_in: CheckIn, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        organisation=check_in.organisation,
        network=check_in.network,
        subject=check_in.person,
        check_in=str(check_in.uuid),
        **detail,
    )


@transaction.atomic
def check_in_note_add(*, actor: Any, check_in: CheckIn, text: str, visibility: str) -> CheckInNote:
    """A note by one of the two people. Private: only its writer ever reads it. Shared: the
    two of them read it. Nobody else reads either (see development/access.py)."""
    _participant(actor, check_in)
    if check_in.status == CheckInStatus.CANCELLED:
        raise DevelopmentError(_("This check-in was cancelled."))
    if visibility not in NoteVisibility.values:
        raise DevelopmentError(_("Choose who can read this note."))
    text = _text(text, required=_("Write the note first."))
    note = CheckInNote.objects.create(
        check_in=check_in, author=actor, visibility=visibility, text=text
    )
    # The audit trail says that a note was written, never what it says.
    _audit_check_in(
        actor=actor, action="development.note_add", check_in=check_in, visibility=visibility
    )
    return note


@transaction.atomic
def check_in_mark_held(*, actor: Any, check_in: CheckIn) -> CheckIn:
    check_in = CheckIn.objects.select_for_update(of=("self",)).get(pk=check_in.pk)
    _participant(actor, check_in)
    if check_in.status != CheckInStatus.PLANNED:
        raise DevelopmentError(_("Only a planned check-in can be marked as held."))
    check_in.status = CheckInStatus.HELD
    check_in.held_at = timezone.now()
    check_in.save(update_fields=["status", "held_at"])
    _audit_check_in(actor=actor, action="development.check_in_held", check_in=check_in)
    return check_in


@transaction.atomic
def check_in_cancel(*, actor: Any, check_in: CheckIn) -> CheckIn:
    check_in = CheckIn.objects.select_for_update(of=("self",)).get(pk=check_in.pk)
    _participant(actor, check_in)
    if check_in.status != CheckInStatus.PLANNED:
        raise DevelopmentError(_("Only a planned check-in can be cancelled."))
    check_in.status = CheckInStatus.CANCELLED
    check_in.save(update_fields=["status"])
    _audit_check_in(actor=actor, action="development.check_in_cancel", check_in=check_in)
    return check_in


@transaction.atomic
def check_in_follow_up(
    *,
    actor: Any,
    check_in: CheckIn,
    goal: Goal,
    description: str,
    due_date: dt.date | None,
) -> PlanAction:
    """A follow-up action agreed in the conversation lands in the learner's plan, under one of
    its goals, with a link to the check-in. It was agreed by both, so it does not undo the
    plan's agreement."""
    _participant(actor, check_in)
    plan = _lock(goal.plan)
    if (
        plan.person_id != check_in.person_id
        or plan.status == PlanStatus.CLOSED
        or not plans_visible_to(actor).filter(pk=plan.pk).exists()
    ):
        raise DevelopmentError(_("Choose a goal of the open plan of the person you talked with."))
    description = _text(description, required=_("Say what will be done."), limit=300)
    _check_in_period(plan, due_date, _("this action"))
    position = (goal.actions.aggregate(m=Max("position"))["m"] or 0) + 1
    action = PlanAction.objects.create(
        goal=goal,
        position=position,
        kind=ActionKind.OTHER,
        description=description,
        due_date=due_date,
        check_in=check_in,
        created_by=actor,
    )
    _audit_plan(actor=actor, action="development.follow_up", plan=plan, description=description)
    return action


# --- network targets ----------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *,
    actor: Any,
    network: Network,
    measure: str,
    value: int | None,
    membership_kind: str = "",
) -> DevelopmentTarget | None:
    """A coordinator sets (or, with no value, removes) one of the network's targets."""
    if measure not in Measure.values:
        raise DevelopmentError(_("Choose what the target counts."))
    if membership_kind and membership_kind not in MembershipKind.values:
        raise DevelopmentError(_("Choose a kind of membership from the list."))
    existing = DevelopmentTarget.objects.filter(
        network=network, measure=measure, membership_kind=membership_kind
    )
    if value is None:
        existing.delete()
        audit_record(
            actor=actor, action="development.target_remove", network=network, measure=measure
        )
        return None
    if value < 1:
        raise DevelopmentError(_("A target is a number of at least 1."))
    if measure == Measure.SHARE_WITH_PLAN and value > 100:
        raise DevelopmentError(_("A share is at most 100%."))
    if value > 1_000_000:
        raise DevelopmentError(_("That number is too large."))
    target, _created = DevelopmentTarget.objects.update_or_create(
        network=network,
        measure=measure,
        membership_kind=membership_kind,
        defaults={"value": value, "updated_by": actor, "updated_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action="development.target_set",
        network=network,
        measure=measure,
        membership_kind=membership_kind,
        value=value,
    )
    return target
