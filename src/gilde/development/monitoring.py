"""Follow-up made visible without surveillance: a manager's team overview (who has a plan, is it
agreed, last and next check-in, overdue actions, goals achieved), an organisation's counts, and a
network's counts and targets. Dates and counts only: never a note, an answer or a plan's text.

Every function runs a fixed number of queries however many people there are (the benchmark in
benchmarks/bench_development.py measures 200 people and more).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gilde.development.models import (
    ActionStatus,
    CareerPlan,
    CareerStatus,
    CheckIn,
    CheckInStatus,
    DevelopmentPlan,
    DevelopmentTarget,
    Goal,
    GoalStatus,
    Measure,
    PlanAction,
    PlanStatus,
)
from gilde.tenancy.access import memberships_visible_to, standing_of
from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    Role,
)

RECENT_DAYS = 90


def team_people(actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Whom the actor follows: everyone currently at the organisation for its admins, the people
    they manage for a manager. 404 for anyone else."""
    standing = standing_of(actor)
    current = memberships_visible_to(actor, organisation).filter(
        Q(start_date__lte=timezone.localdate()),
        Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()),
    )
    if standing.has_org_role(organisation.pk, Role.ORG_ADMIN):
        return current.exclude(person=actor)
    if standing.has_org_role(organisation.pk, Role.MANAGER):
        return current.filter(manager=actor)
    raise Http404


@dataclass
class TeamRow:
    membership: Membership
    plan: DevelopmentPlan | None = None
    goals: int = 0
    achieved: int = 0
    overdue: int = 0
    last_check_in: dt.datetime | None = None
    next_check_in: dt.datetime | None = None

    @property
    def person(self) -> Any:
        return self.membership.person

    @property
    def agreed(self) -> bool:
        return self.plan is not None and self.plan.status in (PlanStatus.AGREED, PlanStatus.CLOSED)

    @property
    def check_in_overdue(self) -> bool:
        return self.next_check_in is not None and self.next_check_in < timezone.now()


@dataclass
class Totals:
    people: int = 0
    with_plan: int = 0
    agreed: int = 0
    waiting: int = 0
    overdue_actions: int = 0
    people_with_overdue: int = 0
    goals: int = 0
    achieved: int = 0
    recent_check_ins: int = 0

    def percent(self, part: int) -> int:
        return round(100 * part / self.people) if self.people else 0

    @property
    def with_plan_percent(self) -> int:
        return self.percent(self.with_plan)

    @property
    def agreed_percent(self) -> int:
        return self.percent(self.agreed)

    @property
    def recent_check_in_percent(self) -> int:
        return self.percent(self.recent_check_ins)


@dataclass
class TeamOverview:
    organisation: Organisation
    rows: list[TeamRow]
    totals: Totals = field(default_factory=Totals)


def team_overview(actor: Any, organisation: Organisation) -> TeamOverview:
    """Six queries: the people, their plans at this organisation, goal counts, overdue actions,
    and check-in dates (the standing is loaded once per request)."""
    people = list(
        team_people(actor, organisation)
        .select_related("person", "team")
        .order_by("person__sort_key", "pk")
    )
    rows = {m.person_id: TeamRow(membership=m) for m in people}
    person_ids = list(rows)
    today = timezone.localdate()
    plans = (
        DevelopmentPlan.objects.filter(organisation=organisation, person_id__in=person_ids)
        .only("pk", "uuid", "person_id", "status", "title", "period_end", "agreed_at")
        .order_by("created_at")
    )
    chosen: dict[int, DevelopmentPlan] = {}
    for plan in plans:
        current = chosen.get(plan.person_id)
        # The open plan wins over closed ones; among those of the same kind, the newest.
        if current is None or not (not current.is_closed and plan.is_closed):
            chosen[plan.person_id] = plan
    plan_ids = [p.pk for p in chosen.values()]
    goal_counts = {
        row["plan_id"]: row
        for row in Goal.objects.filter(plan_id__in=plan_ids)
        .values("plan_id")
        .annotate(total=Count("pk"), achieved=Count("pk", filter=Q(status=GoalStatus.ACHIEVED)))
        .order_by()
    }
    overdue = dict(
        PlanAction.objects.filter(goal__plan_id__in=plan_ids, due_date__lt=today)
        .exclude(status=ActionStatus.DONE)
        .exclude(goal__plan__status=PlanStatus.CLOSED)
        .values("goal__plan_id")
        .annotate(n=Count("pk"))
        .values_list("goal__plan_id", "n")
        .order_by()
    )
    dates = (
        CheckIn.objects.filter(organisation=organisation, person_id__in=person_ids)
        .values("person_id")
        .annotate(
            last=Max("held_at", filter=Q(status=CheckInStatus.HELD)),
            next=Min("scheduled_for", filter=Q(status=CheckInStatus.PLANNED)),
        )
        .order_by()
    )
    for found in dates:
        rows[found["person_id"]].last_check_in = found["last"]
        rows[found["person_id"]].next_check_in = found["next"]
    totals = Totals(people=len(rows))
    recent = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    for person_id, plan in chosen.items():
        row = rows[person_id]
        row.plan = plan
        counts = goal_counts.get(plan.pk)
        if counts:
            row.goals, row.achieved = counts["total"], counts["achieved"]
        row.overdue = overdue.get(plan.pk, 0)
    for row in rows.values():
        if row.plan is not None and row.plan.status != PlanStatus.DRAFT:
            totals.with_plan += 1
        totals.agreed += row.agreed
        totals.waiting += row.plan is not None and row.plan.status == PlanStatus.SUBMITTED
        totals.overdue_actions += row.overdue
        totals.people_with_overdue += row.overdue > 0
        totals.goals += row.goals
        totals.achieved += row.achieved
        totals.recent_check_ins += row.last_check_in is not None and row.last_check_in >= recent
    return TeamOverview(organisation=organisation, rows=list(rows.values()), totals=totals)


# --- a network --------------------------------------------------------------------------------


@dataclass
class OrganisationRow:
    organisation: Organisation
    people: int = 0
    written: int = 0
    agreed: int = 0
    people_with_plan: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.people_with_plan / self.people) if self.people else 0


@dataclass
class TargetProgress:
    target: DevelopmentTarget
    actual: int
    out_of: int | None = None

    @property
    def share(self) -> float:
        """How far towards the target, 0–1."""
        if not self.target.value:
            return 0.0
        return min(self.actual / self.target.value, 1.0)

    @property
    def met(self) -> bool:
        return self.actual >= self.target.value


@dataclass
class NetworkOverview:
    network: Network
    rows: list[OrganisationRow]
    targets: list[TargetProgress]
    career: dict[str, int]
    coaches: list[dict[str, Any]]

    @property
    def totals(self) -> OrganisationRow:
        total = OrganisationRow(organisation=self.network)  # type: ignore[arg-type]
        for row in self.rows:
            total.people += row.people
            total.written += row.written
            total.agreed += row.agreed
            total.people_with_plan += row.people_with_plan
        return total


def _member_ids(network: Network) -> QuerySet[Any]:
    return NetworkMembership.objects.filter(
        network=network, status=NetworkMembershipStatus.APPROVED
    ).values("organisation_id")


def _share_with_plan(network: Network, kind: str) -> tuple[int, int]:
    """(people with a plan, people) at the member organisations, of one kind of membership."""
    people = Membership.objects.current().filter(organisation_id__in=_member_ids(network))
    if kind:
        people = people.filter(kind=kind)
    counted = people.values("person_id").distinct().count()
    with_plan = (
        DevelopmentPlan.objects.filter(
            submitted_at__isnull=False,
            organisation_id__in=_member_ids(network),
            person_id__in=people.values("person_id"),
        )
        .values("person_id")
        .distinct()
        .count()
    )
    return with_plan, counted


def network_overview(network: Network) -> NetworkOverview:
    """Counts per member organisation, the targets with progress and the job coaches'
    caseloads: numbers only, no names of the people counted. A fixed number of queries (two
    more for each target on a share)."""
    organisations = list(Organisation.objects.filter(pk__in=_member_ids(network)).order_by("name"))
    rows = {o.pk: OrganisationRow(organisation=o) for o in organisations}
    for org_id, n in (
        Membership.objects.current()
        .filter(organisation_id__in=list(rows))
        .values("organisation_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("organisation_id", "n")
        .order_by()
    ):
        rows[org_id].people = n
    for entry in (
        DevelopmentPlan.objects.filter(organisation_id__in=list(rows))
        .values("organisation_id")
        .annotate(
            written=Count("pk", filter=Q(submitted_at__isnull=False)),
            agreed=Count("pk", filter=Q(agreed_at__isnull=False)),
            people=Count("person_id", distinct=True, filter=Q(submitted_at__isnull=False)),
        )
        .order_by()
    ):
        row = rows[entry["organisation_id"]]
        row.written, row.agreed, row.people_with_plan = (
            entry["written"],
            entry["agreed"],
            entry["people"],
        )
    career = {
        entry["status"]: entry["n"]
        for entry in CareerPlan.objects.filter(network=network)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    with_consent = career.get(CareerStatus.ACTIVE, 0) + career.get(CareerStatus.CLOSED, 0)
    coaches = list(
        CareerPlan.objects.filter(network=network)
        .values("coach_id", "coach__given_name", "coach__infix", "coach__family_name")
        .annotate(
            active=Count("pk", filter=Q(status=CareerStatus.ACTIVE)),
            closed=Count("pk", filter=Q(status=CareerStatus.CLOSED)),
            waiting=Count("pk", filter=Q(status=CareerStatus.AWAITING_CONSENT)),
        )
        .order_by("coach__family_name")
    )
    for coach in coaches:
        coach["name"] = " ".join(
            part
            for part in (
                coach["coach__given_name"],
                coach["coach__infix"],
                coach["coach__family_name"],
            )
            if part
        )
    overview = NetworkOverview(
        network=network, rows=list(rows.values()), targets=[], career=career, coaches=coaches
    )
    totals = overview.totals
    for target in DevelopmentTarget.objects.filter(network=network):
        if target.measure == Measure.PLANS_WRITTEN:
            overview.targets.append(TargetProgress(target, totals.written))
        elif target.measure == Measure.PLANS_AGREED:
            overview.targets.append(TargetProgress(target, totals.agreed))
        elif target.measure == Measure.CAREER_PLANS:
            overview.targets.append(TargetProgress(target, with_consent))
        else:
            with_plan, counted = _share_with_plan(network, target.membership_kind)
            percent = round(100 * with_plan / counted) if counted else 0
            overview.targets.append(TargetProgress(target, percent, out_of=counted))
    return overview


def coach_caseload(actor: Any) -> QuerySet[CareerPlan]:
    return (
        CareerPlan.objects.filter(coach=actor)
        .select_related("person", "network")
        .annotate(
            steps_total=Count("steps", distinct=True),
            steps_done=Count("steps", filter=Q(steps__done_at__isnull=False), distinct=True),
        )
        .order_by("status", "person__sort_key")
    )
