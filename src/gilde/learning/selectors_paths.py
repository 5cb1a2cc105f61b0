"""Reads for learning paths and cohorts: the list of paths, a path's page with the learner's own
progress, a manager's people × steps overview, and a cohort's progress against its pacing. Each
runs a fixed number of queries whatever the number of people (included paths add a few per
level)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gilde.learning.models import (
    CatalogueItem,
    Cohort,
    CohortMember,
    CohortStep,
    Completion,
    Enrolment,
    EnrolmentStatus,
    ItemStatus,
    LearningPath,
    PathEnrolment,
    PathStep,
)
from gilde.learning.paths_admin import (
    can_edit_path,
    cohorts_visible_to,
    organisations_reached_by_path,
    path_reaches_organisation,
    paths_visible_to,
    step_item_ids,
)
from gilde.learning.selectors import led_memberships
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Membership, Organisation, Role


def path_list(actor: Any) -> QuerySet[LearningPath]:
    return (
        paths_visible_to(actor)
        .filter(status__in=[ItemStatus.PUBLISHED, ItemStatus.DRAFT])
        .select_related("network", "organisation")
        .order_by("title", "pk")
    )


# --- one person's progress on a path ------------------------------------------------------------


@dataclass
class StepCell:
    """One person on one step: done, busy, behind (due date passed), not started."""

    status: str  # "done", "active", "behind", "todo", "none"
    enrolment: Enrolment | None = None
    due_date: dt.date | None = None


@dataclass
class StepInfo:
    step: PathStep
    item_ids: list[int]
    title: str
    items: list[CatalogueItem]
    pacing: CohortStep | None = None
    done: int = 0
    people: int = 0

    # completion_chart reads `.item.title`, `.completed` and `.enrolled`
    @property
    def item(self) -> StepInfo:
        return self

    @property
    def completed(self) -> int:
        return self.done

    @property
    def enrolled(self) -> int:
        return self.people


def steps_of(path: LearningPath, cohort: Cohort | None = None) -> list[StepInfo]:
    rows = step_item_ids(path)
    all_ids = {i for _s, ids in rows for i in ids}
    items = {i.pk: i for i in CatalogueItem.objects.filter(pk__in=all_ids)}
    pacing = (
        {p.step_id: p for p in CohortStep.objects.filter(cohort=cohort)}
        if cohort is not None
        else {}
    )
    out = []
    for step, ids in rows:
        title = (
            step.item.title
            if step.item
            else (step.included_path.title if step.included_path else "")
        )
        out.append(
            StepInfo(
                step=step,
                item_ids=ids,
                title=title,
                items=[items[i] for i in ids if i in items],
                pacing=pacing.get(step.pk),
            )
        )
    return out


def _cell(
    info: StepInfo,
    done_items: set[int],
    enrolments: dict[int, Enrolment],
    today: dt.date,
) -> StepCell:
    if info.item_ids and all(i in done_items for i in info.item_ids):
        return StepCell("done", enrolments.get(info.item_ids[0]))
    open_ones = [enrolments[i] for i in info.item_ids if i in enrolments]
    active = [e for e in open_ones if e.status == EnrolmentStatus.ACTIVE]
    due = info.pacing.due_date if info.pacing else None
    if due is None:
        dues = [e.due_date for e in active if e.due_date is not None]
        due = min(dues) if dues else None
    if due is not None and due < today:
        return StepCell("behind", active[0] if active else None, due)
    if active:
        return StepCell("active", active[0], due)
    return StepCell("todo" if info.pacing or open_ones else "none", None, due)


@dataclass
class PersonRow:
    person: Any
    path_enrolment: PathEnrolment | None
    cells: list[StepCell]
    membership: Membership | None = None

    @property
    def behind(self) -> int:
        return sum(1 for c in self.cells if c.status == "behind")

    @property
    def done(self) -> int:
        return sum(1 for c in self.cells if c.status == "done")


def _progress_rows(
    steps: list[StepInfo],
    people: Sequence[tuple[Any, PathEnrolment | None, Membership | None]],
) -> list[PersonRow]:
    """Two queries (completions, enrolments) for everyone at once."""
    person_ids = [p.pk for p, _pe, _m in people]
    item_ids = {i for s in steps for i in s.item_ids}
    done: dict[int, set[int]] = {pk: set() for pk in person_ids}
    for person_id, item_id in Completion.objects.filter(
        person_id__in=person_ids, item_id__in=item_ids
    ).values_list("person_id", "item_id"):
        done[person_id].add(item_id)
    enrolments: dict[int, dict[int, Enrolment]] = {pk: {} for pk in person_ids}
    for enrolment in (
        Enrolment.objects.filter(person_id__in=person_ids, item_id__in=item_ids)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by("enrolled_at", "pk")
    ):
        enrolments[enrolment.person_id][enrolment.item_id] = enrolment
    today = timezone.localdate()
    rows = []
    for person, path_enrolment, membership in people:
        cells = [_cell(s, done[person.pk], enrolments[person.pk], today) for s in steps]
        rows.append(PersonRow(person, path_enrolment, cells, membership))
    for s in steps:
        s.people = len(rows)
    for row in rows:
        for s, cell in zip(steps, row.cells, strict=True):
            if cell.status == "done":
                s.done += 1
    return rows


@dataclass
class PathPage:
    path: LearningPath
    steps: list[StepInfo]
    can_edit: bool
    my_enrolment: PathEnrolment | None
    my_row: PersonRow | None
    can_enrol: bool
    team_organisations: list[Organisation]
    cohorts: list[Cohort]
    can_start_cohort: bool
    publish_problem: str = ""
    completed_steps: int = 0

    @property
    def step_rows(self) -> list[tuple[StepInfo, StepCell | None]]:
        cells: list[StepCell | None] = (
            list(self.my_row.cells) if self.my_row else [None] * len(self.steps)
        )
        return list(zip(self.steps, cells, strict=True))


def path_page(actor: Any, path: LearningPath) -> PathPage:
    from gilde.learning.paths_admin import cohort_owners_for, path_publish_problem

    my_enrolment = (
        PathEnrolment.objects.filter(person=actor, path=path)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("cohort")
        .order_by("-enrolled_at")
        .first()
    )
    steps = steps_of(path, my_enrolment.cohort if my_enrolment else None)
    my_row = (
        _progress_rows(steps, [(actor, my_enrolment, None)])[0]
        if my_enrolment is not None
        else None
    )
    published = path.status == ItemStatus.PUBLISHED
    standing = standing_of(actor)
    leads = [
        org
        for org_id, org in standing.organisations.items()
        if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
    ]
    can_edit = can_edit_path(actor, path)
    cohorts = list(
        cohorts_visible_to(actor)
        .filter(path=path)
        .select_related("organisation", "network")
        .order_by("-start_date", "name")
    )
    return PathPage(
        path=path,
        steps=steps,
        can_edit=can_edit,
        my_enrolment=my_enrolment,
        my_row=my_row,
        can_enrol=published
        and my_enrolment is None
        and bool(organisations_reached_by_path(actor, path)),
        team_organisations=sorted(
            (o for o in leads if path_reaches_organisation(path, o)), key=lambda o: o.name
        )
        if published
        else [],
        cohorts=cohorts,
        can_start_cohort=published and bool(cohort_owners_for(actor, path)),
        publish_problem=path_publish_problem(path) if can_edit and not published else "",
        completed_steps=my_row.done if my_row else 0,
    )


# --- a manager's overview -----------------------------------------------------------------------


@dataclass
class PathTeamProgress:
    path: LearningPath
    organisation: Organisation
    steps: list[StepInfo]
    rows: list[PersonRow]


def path_team_progress(
    actor: Any, path: LearningPath, organisation: Organisation
) -> PathTeamProgress:
    """The people the actor leads at `organisation` who follow the path × its steps. A fixed
    number of queries, whatever the size of the team."""
    memberships = {m.person_id: m for m in led_memberships(actor, organisation)}
    path_enrolments = list(
        PathEnrolment.objects.filter(
            path=path, organisation=organisation, person_id__in=list(memberships)
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by("person__sort_key", "person_id", "-enrolled_at")
    )
    latest: dict[int, PathEnrolment] = {}
    for path_enrolment in path_enrolments:
        latest.setdefault(path_enrolment.person_id, path_enrolment)
    steps = steps_of(path)
    people = [(memberships[pid].person, pe, memberships[pid]) for pid, pe in latest.items()]
    return PathTeamProgress(
        path=path,
        organisation=organisation,
        steps=steps,
        rows=_progress_rows(steps, people),
    )


# --- a cohort -----------------------------------------------------------------------------------


@dataclass
class CohortProgress:
    cohort: Cohort
    steps: list[StepInfo]
    rows: list[PersonRow]
    behind: list[PersonRow] = field(default_factory=list)
    mentors: list[Any] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)


def cohort_progress(cohort: Cohort) -> CohortProgress:
    """Members × steps against the cohort's dates: who is behind."""
    members = list(
        CohortMember.objects.filter(cohort=cohort, left_at__isnull=True)
        .select_related("person")
        .order_by("person__sort_key", "pk")
    )
    path_enrolments = {
        pe.person_id: pe
        for pe in PathEnrolment.objects.filter(cohort=cohort).order_by("enrolled_at", "pk")
    }
    steps = steps_of(cohort.path, cohort)
    rows = _progress_rows(
        steps,
        [(m.person, path_enrolments.get(m.person_id), None) for m in members],
    )
    return CohortProgress(
        cohort=cohort,
        steps=steps,
        rows=rows,
        behind=[r for r in rows if r.behind],
        mentors=list(cohort.mentors.order_by("sort_key", "pk")),
    )
