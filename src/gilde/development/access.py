"""The development part of the access gateway. Every rule here is also in docs/development.md.

Development plans
  - the learner (the plan's owner) reads and writes their plan;
  - their manager at the plan's organisation (`Membership.manager`, current) and the admins of
    that organisation read it, comment and agree; nobody else sees it (coordinators see counts).

Check-ins
  - only the two people in the conversation see a check-in;
  - a note marked *private* is read by its writer alone — not by the other person, not by an
    organisation admin, not by a coordinator;
  - a note marked *shared* is read by the two people, nobody else;
  - a manager's team overview and an admin's counts show *that* check-ins took place (dates),
    never what was said.

Needs analysis surveys
  - the coordinators of the network (a network survey) or the admins of the organisation (an
    organisation survey) run it and read its report;
  - an invited person answers it, through the app or, for an anonymous survey, through the link
    in their e-mail without logging in.

Career plans
  - the person reads their own plan and gives or withdraws consent;
  - the coach reads and writes it while they are assigned to the person (`CoachAssignment`) and
    the person's consent is in force; before consent and after withdrawal the coach sees only
    the name and the status;
  - coordinators see caseload counts against the network's target, never a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gilde.development.models import (
    CareerPlan,
    CareerStatus,
    CheckIn,
    CheckInNote,
    DevelopmentPlan,
    NoteVisibility,
    OfferingProposal,
    Survey,
    SurveyInvitation,
    SurveyMode,
)
from gilde.tenancy.access import is_assigned_coach, standing_of
from gilde.tenancy.models import CoachAssignment, Membership, Network, Organisation, Role

# --- plans --------------------------------------------------------------------------------------


def _current_membership(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def _led_by(actor: Any) -> Exists:
    """The plan's owner currently has the actor as manager at the plan's organisation."""
    return Exists(
        Membership.objects.filter(
            _current_membership(),
            person=OuterRef("person"),
            organisation=OuterRef("organisation"),
            manager=actor,
        )
    )


def plans_visible_to(actor: Any) -> QuerySet[DevelopmentPlan]:
    if not getattr(actor, "is_authenticated", False):
        return DevelopmentPlan.objects.none()
    admin_orgs = [o.pk for o in standing_of(actor).admin_organisations()]
    return DevelopmentPlan.objects.filter(
        Q(person=actor) | Q(organisation_id__in=admin_orgs) | Q(_led_by(actor))
    )


def leads_plan(actor: Any, plan: DevelopmentPlan) -> bool:
    """The actor may comment on and agree the plan: the owner's current manager at the plan's
    organisation, or an admin there. Never the owner themselves."""
    if not getattr(actor, "is_authenticated", False) or actor.pk == plan.person_id:
        return False
    if standing_of(actor).has_org_role(plan.organisation_id, Role.ORG_ADMIN):
        return True
    return Membership.objects.filter(
        _current_membership(),
        person_id=plan.person_id,
        organisation_id=plan.organisation_id,
        manager=actor,
    ).exists()


@dataclass(frozen=True)
class PlanAccess:
    plan: DevelopmentPlan
    own: bool
    leads: bool

    @property
    def may_write(self) -> bool:
        return self.own and not self.plan.is_closed


def access_plan(actor: Any, plan_uuid: Any, *, own: bool = False, lead: bool = False) -> PlanAccess:
    """The plan if the actor may see it; `own=True` asks for its owner, `lead=True` for its
    manager or admin. 404 otherwise."""
    plan = (
        plans_visible_to(actor)
        .filter(uuid=plan_uuid)
        .select_related("person", "organisation", "agreed_by")
        .first()
    )
    if plan is None:
        raise Http404
    is_owner = plan.person_id == actor.pk
    leads = not is_owner and leads_plan(actor, plan)
    if (own and not is_owner) or (lead and not leads):
        raise Http404
    return PlanAccess(plan=plan, own=is_owner, leads=leads)


# --- check-ins ----------------------------------------------------------------------------------


def check_ins_visible_to(actor: Any) -> QuerySet[CheckIn]:
    if not getattr(actor, "is_authenticated", False):
        return CheckIn.objects.none()
    return CheckIn.objects.filter(Q(person=actor) | Q(leader=actor))


def access_check_in(actor: Any, check_in_uuid: Any) -> CheckIn:
    """A check-in the actor took part in (as the learner or as the manager or coach)."""
    found = (
        check_ins_visible_to(actor)
        .filter(uuid=check_in_uuid)
        .select_related("person", "leader", "organisation", "network", "plan")
        .first()
    )
    if found is None:
        raise Http404
    return found


def notes_visible_to(actor: Any, check_in: CheckIn) -> QuerySet[CheckInNote]:
    """The notes of a check-in the actor may read: their own, and the shared ones if they took
    part. Private notes of the other person never."""
    if actor.pk not in (check_in.person_id, check_in.leader_id):
        return CheckInNote.objects.none()
    return check_in.notes.filter(Q(author=actor) | Q(visibility=NoteVisibility.SHARED))


@dataclass(frozen=True)
class Partner:
    """Someone a learner can hold check-ins with: a manager (for an organisation) or a coach
    (for a network)."""

    leader: Any
    organisation: Organisation | None = None
    network: Network | None = None

    @property
    def key(self) -> str:
        scope = f"org:{self.organisation.pk}" if self.organisation else f"net:{self.network_pk}"
        return f"{self.leader.pk}:{scope}"

    @property
    def network_pk(self) -> int:
        return self.network.pk if self.network else 0


def partners_of(person: Any) -> list[Partner]:
    """The person's current managers (per organisation) and assigned coaches."""
    partners = [
        Partner(leader=m.manager, organisation=m.organisation)
        for m in Membership.objects.current()
        .filter(person=person, manager__isnull=False)
        .exclude(manager=person)
        .select_related("manager", "organisation")
        .order_by("organisation__name")
    ]
    today = timezone.localdate()
    partners += [
        Partner(leader=a.coach, network=a.network)
        for a in CoachAssignment.objects.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        .filter(person=person)
        .exclude(coach=person)
        .select_related("coach", "network")
        .order_by("network__name")
    ]
    return partners


def led_people(actor: Any) -> list[Partner]:
    """Whom the actor can hold check-ins with as leader: the people they manage (per
    organisation) and the people assigned to them as coach. `leader` holds the other person."""
    found = [
        Partner(leader=m.person, organisation=m.organisation)
        for m in Membership.objects.current()
        .filter(manager=actor)
        .exclude(person=actor)
        .select_related("person", "organisation")
        .order_by("person__sort_key")
    ]
    today = timezone.localdate()
    found += [
        Partner(leader=a.person, network=a.network)
        for a in CoachAssignment.objects.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        .filter(coach=actor)
        .exclude(person=actor)
        .select_related("person", "network")
        .order_by("person__sort_key")
    ]
    return found


def is_check_in_pair(
    *,
    person: Any,
    leader: Any,
    organisation: Organisation | None,
    network: Network | None,
) -> bool:
    """`leader` is the person's current manager at `organisation`, or their assigned coach in
    `network`."""
    if person.pk == leader.pk:
        return False
    if organisation is not None:
        return (
            Membership.objects.current()
            .filter(person=person, organisation=organisation, manager=leader)
            .exists()
        )
    if network is not None:
        today = timezone.localdate()
        return CoachAssignment.objects.filter(
            Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            network=network,
            coach=leader,
            person=person,
        ).exists()
    return False


# --- surveys ------------------------------------------------------------------------------------


def surveys_run_by(actor: Any) -> QuerySet[Survey]:
    if not getattr(actor, "is_authenticated", False):
        return Survey.objects.none()
    standing = standing_of(actor)
    return Survey.objects.filter(
        Q(network_id__in=[n.pk for n in standing.coordinated_networks()])
        | Q(organisation_id__in=[o.pk for o in standing.admin_organisations()])
    )


def access_survey(actor: Any, survey_uuid: Any) -> Survey:
    """A survey the actor runs: coordinator of its network or admin of its organisation."""
    survey = (
        surveys_run_by(actor)
        .filter(uuid=survey_uuid)
        .select_related("network", "organisation", "framework", "version")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def access_own_invitation(actor: Any, survey_uuid: Any) -> SurveyInvitation:
    """The actor's own invitation to a survey (to answer it in the app)."""
    if not getattr(actor, "is_authenticated", False):
        raise Http404
    found = (
        SurveyInvitation.objects.filter(survey__uuid=survey_uuid, person=actor)
        .exclude(survey__status="draft")
        .select_related("survey__version", "organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found


def invitation_by_token(token: str) -> SurveyInvitation:
    """The invitation behind an e-mailed link; only an anonymous survey answers to a link
    without logging in."""
    found = (
        SurveyInvitation.objects.filter(token=token[:64], survey__mode=SurveyMode.ANONYMOUS)
        .exclude(survey__status="draft")
        .select_related("survey__version", "organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_offering_proposal(actor: Any, proposal_uuid: Any) -> OfferingProposal:
    found = (
        OfferingProposal.objects.filter(
            uuid=proposal_uuid, survey__in=surveys_run_by(actor).values("pk")
        )
        .select_related("survey", "catalogue_item")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- career plans -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CareerAccess:
    plan: CareerPlan
    as_person: bool
    as_coach: bool

    @property
    def sees_content(self) -> bool:
        """The person always; the coach only with consent in force."""
        if self.as_person:
            return True
        return self.plan.status in (CareerStatus.ACTIVE, CareerStatus.CLOSED)

    @property
    def may_write(self) -> bool:
        return self.as_coach and self.plan.status == CareerStatus.ACTIVE


def access_career_plan(actor: Any, plan_uuid: Any, *, coach: bool = False) -> CareerAccess:
    if not getattr(actor, "is_authenticated", False):
        raise Http404
    plan = (
        CareerPlan.objects.filter(uuid=plan_uuid)
        .filter(Q(person=actor) | Q(coach=actor))
        .select_related("person", "coach", "network")
        .first()
    )
    if plan is None:
        raise Http404
    as_person = plan.person_id == actor.pk
    # A coach keeps access only while assigned to the person.
    as_coach = plan.coach_id == actor.pk and is_assigned_coach(actor, plan.person)
    if (coach and not as_coach) or not (as_person or as_coach):
        raise Http404
    return CareerAccess(plan=plan, as_person=as_person, as_coach=as_coach)
