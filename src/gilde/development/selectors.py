"""Reads for development plans and check-ins that are more than one line."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gilde.competencies.access import frameworks_visible_to
from gilde.competencies.models import Competency, Framework, VersionStatus
from gilde.competencies.selectors import GapRow, profile_gaps
from gilde.competencies.selectors_person import profile_assignments
from gilde.development.access import (
    check_ins_visible_to,
    led_people,
    notes_visible_to,
    partners_of,
    plans_visible_to,
)
from gilde.development.models import (
    MAX_GOALS,
    ActionStatus,
    CareerPlan,
    CareerStatus,
    CheckIn,
    CheckInNote,
    CheckInStatus,
    DevelopmentPlan,
    Goal,
    GoalCompetency,
    GoalStatus,
    PlanAction,
    PlanStatus,
    SurveyInvitation,
    SurveyStatus,
)
from gilde.development.services import submit_problems
from gilde.learning.access import items_visible_to
from gilde.learning.models import CatalogueItem, Enrolment, ItemCompetency, ItemStatus
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Membership, Organisation

# --- the learner's own page -------------------------------------------------------------------


@dataclass
class MyDevelopment:
    plans: list[DevelopmentPlan]
    organisations: list[Organisation]
    upcoming: list[CheckIn]
    recent: list[CheckIn]
    surveys: list[SurveyInvitation]
    career_plans: list[CareerPlan]
    to_agree: list[DevelopmentPlan]
    can_plan_check_in: bool
    is_coach: bool


def my_development(actor: Any) -> MyDevelopment:
    """Everything of one person's development on one page. A fixed number of queries."""
    check_ins = list(
        check_ins_visible_to(actor)
        .exclude(status=CheckInStatus.CANCELLED)
        .select_related("person", "leader", "organisation", "network")
        .order_by("scheduled_for")
    )
    upcoming = [c for c in check_ins if c.status == CheckInStatus.PLANNED]
    recent = sorted(
        (c for c in check_ins if c.status == CheckInStatus.HELD),
        key=lambda c: c.held_at or c.scheduled_for,
        reverse=True,
    )[:5]
    standing = standing_of(actor)
    to_agree = list(
        plans_visible_to(actor)
        .filter(status=PlanStatus.SUBMITTED)
        .exclude(person=actor)
        .select_related("person", "organisation")
        .order_by("submitted_at")
    )
    return MyDevelopment(
        plans=sorted(
            DevelopmentPlan.objects.filter(person=actor).select_related("organisation"),
            key=lambda p: (p.is_closed, -p.period_start.toordinal()),
        ),
        organisations=sorted(standing.organisations.values(), key=lambda o: o.name),
        upcoming=upcoming,
        recent=recent,
        surveys=list(
            SurveyInvitation.objects.filter(
                person=actor,
                answered=False,
                survey__status=SurveyStatus.OPEN,
                survey__closes_on__gte=timezone.localdate(),
            )
            .select_related("survey")
            .order_by("survey__closes_on")
        ),
        career_plans=list(
            CareerPlan.objects.filter(person=actor)
            .exclude(status=CareerStatus.WITHDRAWN, consent_given_at__isnull=True)
            .select_related("coach", "network")
        ),
        to_agree=to_agree,
        can_plan_check_in=bool(partners_of(actor) or led_people(actor)),
        is_coach=bool(standing.coached_networks()),
    )


# --- one plan -------------------------------------------------------------------------------------


@dataclass
class ActionRow:
    action: PlanAction
    enrolment: Enrolment | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return (
            self.action.status != ActionStatus.DONE
            and self.action.due_date is not None
            and self.action.due_date < self.today
        )


@dataclass
class GoalRow:
    goal: Goal
    competencies: list[GoalCompetency]
    actions: list[ActionRow]

    @property
    def done(self) -> int:
        return sum(1 for a in self.actions if a.action.status == ActionStatus.DONE)

    @property
    def percent(self) -> int:
        if self.goal.status == GoalStatus.ACHIEVED:
            return 100
        return round(100 * self.done / len(self.actions)) if self.actions else 0


@dataclass
class Suggestion:
    """A gap from the person's competency profile that could become a goal, with catalogue items
    that help reach the level."""

    profile: str
    gap: GapRow
    items: list[CatalogueItem] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: DevelopmentPlan
    goals: list[GoalRow]
    comments: list[Any]
    revisions: list[Any]
    problems: list[str]
    check_ins: list[CheckIn]
    can_add_goal: bool

    @property
    def overdue(self) -> int:
        return sum(1 for g in self.goals for a in g.actions if a.overdue)

    @property
    def percent(self) -> int:
        if not self.goals:
            return 0
        return round(sum(g.percent for g in self.goals) / len(self.goals))


def plan_page(actor: Any, plan: DevelopmentPlan) -> PlanPage:
    """The plan with its goals, competencies, actions (and the person's enrolment in a linked
    catalogue item), comments and agreed versions. A fixed number of queries."""
    today = timezone.localdate()
    goals = list(
        plan.goals.prefetch_related(
            Prefetch(
                "competencies",
                queryset=GoalCompetency.objects.select_related("competency__version__framework"),
            ),
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("catalogue_item", "check_in"),
            ),
        )
    )
    item_ids = {a.catalogue_item_id for g in goals for a in g.actions.all() if a.catalogue_item_id}
    enrolments: dict[int, Enrolment] = {}
    if item_ids:
        for enrolment in Enrolment.objects.filter(
            person_id=plan.person_id, item_id__in=item_ids
        ).order_by("enrolled_at"):
            enrolments[enrolment.item_id] = enrolment
    rows = [
        GoalRow(
            goal=g,
            competencies=list(g.competencies.all()),
            actions=[
                ActionRow(
                    action=a,
                    enrolment=enrolments.get(a.catalogue_item_id or 0),
                    today=today,
                )
                for a in g.actions.all()
            ],
        )
        for g in goals
    ]
    own = actor.pk == plan.person_id
    return PlanPage(
        plan=plan,
        goals=rows,
        comments=list(plan.comments.select_related("author")),
        revisions=list(plan.revisions.select_related("agreed_by")),
        problems=submit_problems(plan) if own and plan.status == PlanStatus.DRAFT else [],
        check_ins=list(
            plan.check_ins.filter(Q(person=actor) | Q(leader=actor))
            .exclude(status=CheckInStatus.CANCELLED)
            .select_related("leader")
            .order_by("-scheduled_for")
        ),
        can_add_goal=own and not plan.is_closed and len(rows) < MAX_GOALS,
    )


def gap_suggestions(person: Any, *, limit: int = 3) -> list[Suggestion]:
    """The biggest gaps of each of the person's profiles (job and target), each with up to
    three published catalogue items the person can take that aim at that competency."""
    suggestions: list[Suggestion] = []
    for assignment in profile_assignments(person, person):
        for gap in profile_gaps(person=person, profile=assignment.profile)[:limit]:
            if gap.gap <= 0:
                continue
            suggestions.append(Suggestion(profile=assignment.profile.name, gap=gap))
    if not suggestions:
        return suggestions
    codes = {(s.gap.competency.version.framework_id, s.gap.competency.code) for s in suggestions}
    links = (
        ItemCompetency.objects.filter(
            item__in=items_visible_to(person).filter(status=ItemStatus.PUBLISHED),
            competency__code__in=[code for _fw, code in codes],
        )
        .select_related("item", "competency__version")
        .order_by("item__title")
    )
    by_code: dict[tuple[int, str], list[CatalogueItem]] = defaultdict(list)
    for link in links:
        key = (link.competency.version.framework_id, link.competency.code)
        if key in codes and link.item not in by_code[key]:
            by_code[key].append(link.item)
    for suggestion in suggestions:
        competency = suggestion.gap.competency
        suggestion.items = by_code[(competency.version.framework_id, competency.code)][:3]
    return suggestions


# --- choices for the forms --------------------------------------------------------------------


def competency_choices(person: Any) -> list[tuple[str, list[tuple[int, str]]]]:
    """Competencies of the newest published version of every framework the person can see,
    grouped by framework (for a select with option groups)."""
    frameworks = list(frameworks_visible_to(person).order_by("name"))
    competencies = (
        Competency.objects.filter(
            version__framework__in=[f.pk for f in frameworks],
            version__status=VersionStatus.PUBLISHED,
        )
        .select_related("version")
        .order_by("version__framework__name", "position", "code")
    )
    grouped: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for competency in competencies:
        grouped[competency.version.framework_id].append(
            (competency.pk, f"{competency.code} {competency.name}")
        )
    return [(f.name, grouped[f.pk]) for f in frameworks if grouped.get(f.pk)]


def competencies_for(person: Any) -> QuerySet[Competency]:
    """The competencies a person may choose for a goal (the choices above, as a queryset)."""
    return Competency.objects.filter(
        version__framework__in=frameworks_visible_to(person).values("pk"),
        version__status=VersionStatus.PUBLISHED,
    ).select_related("version__framework")


def catalogue_items_for(person: Any) -> QuerySet[CatalogueItem]:
    """Published catalogue items the person can take, for linking an action."""
    return (
        items_visible_to(person)
        .filter(status=ItemStatus.PUBLISHED)
        .order_by("title")
        .only("pk", "uuid", "title", "kind")
    )


def open_goals_of(person: Any, *, viewer: Any) -> list[Goal]:
    """The goals of the person's open plans that the viewer may see (for a follow-up action
    from a check-in): a coach sees none of them, a manager those of the plans they lead."""
    return list(
        Goal.objects.filter(plan__person=person, plan__in=plans_visible_to(viewer).values("pk"))
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("plan")
        .order_by("plan__title", "position")
    )


# --- one check-in -------------------------------------------------------------------------------


@dataclass
class CheckInPage:
    check_in: CheckIn
    notes: list[CheckInNote]
    follow_ups: list[PlanAction]
    goals: list[Goal]


def check_in_page(actor: Any, check_in: CheckIn) -> CheckInPage:
    return CheckInPage(
        check_in=check_in,
        notes=list(notes_visible_to(actor, check_in).select_related("author")),
        follow_ups=list(check_in.follow_ups.select_related("goal")),
        goals=open_goals_of(check_in.person, viewer=actor),
    )


def memberships_of(person: Any) -> QuerySet[Membership]:
    return Membership.objects.current().filter(person=person).select_related("organisation")


def frameworks_for_survey(actor: Any, *, organisation: Any = None, network: Any = None) -> Any:
    """Frameworks a survey can ask about: the network's own, or the organisation's own and
    those of its networks."""
    visible = frameworks_visible_to(actor).filter(versions__status=VersionStatus.PUBLISHED)
    if network is not None:
        return visible.filter(network=network).distinct().order_by("name")
    return visible.distinct().order_by("name")


def framework_categories(framework: Framework) -> list[str]:
    from gilde.development.services_surveys import published_version

    version = published_version(framework)
    if version is None:
        return []
    return list(version.categories.order_by("position", "name").values_list("name", flat=True))


# --- the home page --------------------------------------------------------------------------------


@dataclass
class HomeBlock:
    surveys: int
    to_agree: int
    next_check_in: CheckIn | None
    consent_asked: int
    open_plan: DevelopmentPlan | None

    @property
    def anything(self) -> bool:
        return (
            bool(self.surveys or self.to_agree or self.next_check_in or self.consent_asked)
            or self.open_plan is not None
        )


def home_block(actor: Any) -> HomeBlock:
    """What waits for the person in their development, for the home page. Five queries."""
    return HomeBlock(
        surveys=SurveyInvitation.objects.filter(
            person=actor,
            answered=False,
            survey__status=SurveyStatus.OPEN,
            survey__closes_on__gte=timezone.localdate(),
        ).count(),
        to_agree=plans_visible_to(actor)
        .filter(status=PlanStatus.SUBMITTED)
        .exclude(person=actor)
        .count(),
        next_check_in=check_ins_visible_to(actor)
        .filter(status=CheckInStatus.PLANNED)
        .select_related("person", "leader")
        .order_by("scheduled_for")
        .first(),
        consent_asked=CareerPlan.objects.filter(
            person=actor, status=CareerStatus.AWAITING_CONSENT
        ).count(),
        open_plan=DevelopmentPlan.objects.filter(person=actor)
        .exclude(status=PlanStatus.CLOSED)
        .order_by("-created_at")
        .first(),
    )
