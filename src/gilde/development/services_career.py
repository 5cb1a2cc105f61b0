"""Writes for career plans by a job coach: a case opened for a person assigned to the coach, the
person's consent (given and withdrawn by the person alone), the plan's parts (intake, current
situation, strengths, values and ambitions, options, chosen route), steps with dates, progress
notes, and the closing evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.development import notify
from gilde.development.models import CareerNote, CareerPlan, CareerStatus, CareerStep
from gilde.development.services import MAX_TEXT, DevelopmentError
from gilde.tenancy.models import CoachAssignment, Network

# The parts of the plan the coach writes, in the order of the conversation.
CAREER_FIELDS = (
    "intake",
    "current_situation",
    "strengths",
    "values_ambitions",
    "options",
    "chosen_route",
)


def _audit(*, actor: Any, action: str, plan: CareerPlan, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        network=plan.network,
        subject=plan.person,
        career_plan=str(plan.uuid),
        **detail,
    )


def _locked(plan: CareerPlan) -> CareerPlan:
    return (
        CareerPlan.objects.select_for_update(of=("self",))
        .select_related("network", "person", "coach")
        .get(pk=plan.pk)
    )


def _require_coach(actor: Any, plan: CareerPlan) -> None:
    if actor.pk != plan.coach_id:
        raise DevelopmentError(_("Only the coach writes this plan."))
    if plan.status == CareerStatus.AWAITING_CONSENT:
        raise DevelopmentError(_("The person has not given consent yet."))
    if plan.status == CareerStatus.WITHDRAWN:
        raise DevelopmentError(_("The person withdrew consent; the plan can no longer be changed."))
    if plan.status == CareerStatus.CLOSED:
        raise DevelopmentError(_("This plan is closed."))


@transaction.atomic
def career_plan_start(*, actor: Any, person: Any, network: Network) -> CareerPlan:
    """The coach opens a case for a person assigned to them; the person is asked for consent
    and nothing is written before they give it."""
    today = timezone.localdate()
    assigned = (
        CoachAssignment.objects.filter(network=network, coach=actor, person=person)
        .filter(start_date__lte=today)
        .exclude(end_date__lt=today)
        .exists()
    )
    if not assigned or actor.pk == person.pk:
        raise DevelopmentError(_("You can only start a plan with someone assigned to you."))
    try:
        with transaction.atomic():
            plan = CareerPlan.objects.create(network=network, coach=actor, person=person)
    except IntegrityError as error:
        raise DevelopmentError(
            _("You already have an open plan with %(name)s.") % {"name": person.display_name}
        ) from error
    _audit(actor=actor, action="development.career_start", plan=plan)
    notify.career_consent_asked(plan.pk)
    return plan


@transaction.atomic
def career_consent_give(*, actor: Any, plan: CareerPlan) -> CareerPlan:
    plan = _locked(plan)
    if actor.pk != plan.person_id:
        raise DevelopmentError(_("Only the person themselves gives consent."))
    if plan.status != CareerStatus.AWAITING_CONSENT:
        raise DevelopmentError(_("There is no request for consent open."))
    plan.status = CareerStatus.ACTIVE
    plan.consent_given_at = timezone.now()
    plan.save(update_fields=["status", "consent_given_at"])
    _audit(actor=actor, action="development.career_consent", plan=plan)
    return plan


@transaction.atomic
def career_consent_withdraw(*, actor: Any, plan: CareerPlan) -> CareerPlan:
    """The person withdraws (or refuses) consent: from now on the coach sees only the name and
    the status. What was written stays the person's (download, erasure)."""
    plan = _locked(plan)
    if actor.pk != plan.person_id:
        raise DevelopmentError(_("Only the person themselves withdraws consent."))
    if plan.status not in (CareerStatus.AWAITING_CONSENT, CareerStatus.ACTIVE):
        raise DevelopmentError(_("There is no consent to withdraw."))
    plan.status = CareerStatus.WITHDRAWN
    plan.consent_withdrawn_at = timezone.now()
    plan.save(update_fields=["status", "consent_withdrawn_at"])
    _audit(actor=actor, action="development.career_withdraw", plan=plan)
    return plan


@transaction.atomic
def career_plan_update(
    *, actor: Any, plan: CareerPlan, intake_date: dt.date | None, **parts: str
) -> CareerPlan:
    plan = _locked(plan)
    _require_coach(actor, plan)
    unknown = set(parts) - set(CAREER_FIELDS)
    if unknown:
        raise DevelopmentError(_("Unknown part of the plan."))
    if intake_date is not None and intake_date > timezone.localdate():
        raise DevelopmentError(_("The intake cannot be in the future."))
    for name in CAREER_FIELDS:
        value = (parts.get(name) or "").strip()
        if len(value) > MAX_TEXT:
            raise DevelopmentError(
                _("A text can be at most %(limit)s characters long.") % {"limit": MAX_TEXT}
            )
        setattr(plan, name, value)
    plan.intake_date = intake_date
    plan.updated_at = timezone.now()
    plan.save(update_fields=[*CAREER_FIELDS, "intake_date", "updated_at"])
    _audit(actor=actor, action="development.career_update", plan=plan)
    return plan


@transaction.atomic
def career_step_add(
    *, actor: Any, plan: CareerPlan, description: str, due_date: dt.date | None
) -> CareerStep:
    plan = _locked(plan)
    _require_coach(actor, plan)
    description = description.strip()
    if not description:
        raise DevelopmentError(_("Describe the step."))
    if due_date is not None and plan.intake_date is not None and due_date < plan.intake_date:
        raise DevelopmentError(_("A step cannot be due before the intake."))
    position = (plan.steps.aggregate(m=Max("position"))["m"] or 0) + 1
    step = CareerStep.objects.create(
        plan=plan, position=position, description=description[:300], due_date=due_date
    )
    _audit(actor=actor, action="development.career_step", plan=plan)
    return step


@transaction.atomic
def career_step_done(*, actor: Any, step: CareerStep, done: bool = True) -> CareerStep:
    plan = _locked(step.plan)
    _require_coach(actor, plan)
    step.done_at = timezone.now() if done else None
    step.save(update_fields=["done_at"])
    _audit(actor=actor, action="development.career_step_done", plan=plan, done=done)
    return step


@transaction.atomic
def career_note_add(
    *, actor: Any, plan: CareerPlan, text: str, written_on: dt.date | None = None
) -> CareerNote:
    plan = _locked(plan)
    _require_coach(actor, plan)
    text = text.strip()
    if not text:
        raise DevelopmentError(_("Write the note first."))
    if len(text) > MAX_TEXT:
        raise DevelopmentError(
            _("A text can be at most %(limit)s characters long.") % {"limit": MAX_TEXT}
        )
    day = written_on or timezone.localdate()
    if day > timezone.localdate():
        raise DevelopmentError(_("A note cannot be dated in the future."))
    note = CareerNote.objects.create(plan=plan, author=actor, text=text, written_on=day)
    _audit(actor=actor, action="development.career_note", plan=plan)
    return note


@transaction.atomic
def career_plan_close(*, actor: Any, plan: CareerPlan, evaluation: str) -> CareerPlan:
    plan = _locked(plan)
    _require_coach(actor, plan)
    evaluation = evaluation.strip()
    if not evaluation:
        raise DevelopmentError(_("Write the closing evaluation before you close the plan."))
    plan.evaluation = evaluation[:MAX_TEXT]
    plan.status = CareerStatus.CLOSED
    plan.closed_at = timezone.now()
    plan.save(update_fields=["evaluation", "status", "closed_at"])
    _audit(actor=actor, action="development.career_close", plan=plan)
    return plan
