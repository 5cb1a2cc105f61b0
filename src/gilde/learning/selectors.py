"""Reads for learning: the catalogue, an item's page, the learner's home block, a manager's view
of the team's progress, and proposals waiting for a decision. Each runs a fixed number of
queries, whatever the number of items, people or enrolments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gilde.learning.access import (
    can_edit_item,
    can_lead,
    can_withdraw,
    item_reaches_organisation,
    items_visible_to,
    organisations_reaching,
)
from gilde.learning.kinds import Kind, kind_of
from gilde.learning.models import (
    CatalogueItem,
    Completion,
    Enrolment,
    EnrolmentStatus,
    ItemCompetency,
    ItemStatus,
    LevelProposal,
    ProposalStatus,
    Tag,
)
from gilde.tenancy.access import memberships_visible_to, standing_of
from gilde.tenancy.models import Membership, Organisation, Role

CATALOGUE_PAGE_SIZE = 20
TEAM_PAGE_SIZE = 50
DUE_SOON_DAYS = 14


# --- the catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    competency: str = ""  # "<framework slug>:<code>"
    owner: str = ""  # "organisation" or "network"
    language: str = ""


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w][:8]


def catalogue_items(actor: Any, filters: CatalogueFilters) -> QuerySet[CatalogueItem]:
    """Published items the actor may see, and drafts they may edit, matching the filters.
    Every word of the search must occur in the title, the summary or a tag."""
    items = items_visible_to(actor).filter(status__in=[ItemStatus.PUBLISHED, ItemStatus.DRAFT])
    for word in _words(filters.q):
        tagged = Tag.objects.filter(items=OuterRef("pk"), name__icontains=word)
        items = items.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(Exists(tagged))
        )
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.owner == "organisation":
        items = items.filter(organisation__isnull=False)
    elif filters.owner == "network":
        items = items.filter(network__isnull=False)
    if filters.language:
        items = items.filter(language=filters.language)
    if filters.competency:
        slug, _sep, code = filters.competency.partition(":")
        items = items.filter(
            Exists(
                ItemCompetency.objects.filter(
                    item=OuterRef("pk"),
                    competency__version__framework__slug=slug,
                    competency__code=code,
                )
            )
        )
    enrolled = Enrolment.objects.filter(
        item=OuterRef("pk"), person=actor, status=EnrolmentStatus.ACTIVE
    )
    return (
        items.annotate(enrolled=Exists(enrolled))
        .select_related("network", "organisation")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .order_by("title", "pk")
    )


def catalogue_page(actor: Any, filters: CatalogueFilters, page_number: Any) -> Page[Any]:
    paginator = Paginator(catalogue_items(actor, filters), CATALOGUE_PAGE_SIZE)
    return paginator.get_page(page_number)


def catalogue_competency_choices(actor: Any) -> list[tuple[str, str]]:
    """Competencies that visible items aim at, as (key, "CODE name") choices. One query."""
    rows = (
        ItemCompetency.objects.filter(
            item__in=items_visible_to(actor).filter(status=ItemStatus.PUBLISHED)
        )
        .values_list("competency__version__framework__slug", "competency__code", "competency__name")
        .order_by("competency__code")
        .distinct()
    )
    seen: dict[str, str] = {}
    for slug, code, name in rows:
        seen.setdefault(f"{slug}:{code}", f"{code} {name}")
    return sorted(seen.items(), key=lambda pair: pair[1])


def catalogue_languages(actor: Any) -> list[str]:
    return sorted(
        set(
            items_visible_to(actor)
            .filter(status=ItemStatus.PUBLISHED)
            .values_list("language", flat=True)
            .distinct()
        )
    )


# --- one item -----------------------------------------------------------------------------------


@dataclass
class ItemPage:
    item: CatalogueItem
    kind: Kind
    competencies: list[ItemCompetency]
    tags: list[Tag]
    can_edit: bool
    my_enrolment: Enrolment | None
    my_completions: list[Completion]
    can_enrol: bool
    team_organisations: list[Organisation] = field(default_factory=list)


def item_page(actor: Any, item: CatalogueItem) -> ItemPage:
    kind = kind_of(item)
    enrolment = (
        Enrolment.objects.filter(person=actor, item=item, status=EnrolmentStatus.ACTIVE)
        .select_related("current_page")
        .first()
    )
    published = item.status == ItemStatus.PUBLISHED
    standing = standing_of(actor)
    leads = [
        org
        for org_id, org in standing.organisations.items()
        if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
    ]
    return ItemPage(
        item=item,
        kind=kind,
        competencies=list(
            item.competencies.select_related("competency__version__framework").order_by(
                "competency__code"
            )
        ),
        tags=list(item.tags.order_by("name")),
        can_edit=can_edit_item(actor, item),
        my_enrolment=enrolment,
        my_completions=list(
            Completion.objects.filter(person=actor, item=item).order_by("-completed_at")
        ),
        can_enrol=(
            published
            and enrolment is None
            and kind.self_enrol
            and bool(organisations_reaching(actor, item))
        ),
        team_organisations=(
            sorted(
                (org for org in leads if item_reaches_organisation(item, org)),
                key=lambda o: o.name,
            )
            if published
            else []
        ),
    )


# --- enrolments ---------------------------------------------------------------------------------


def led_memberships(actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    """Current memberships of the people the actor enrols and follows at `organisation`: all
    of them for an admin, the people they manage for a manager. Never the actor themselves."""
    standing = standing_of(actor)
    today = timezone.localdate()
    visible = memberships_visible_to(actor, organisation).filter(
        Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    if not standing.has_org_role(organisation.pk, Role.ORG_ADMIN):
        if not standing.has_org_role(organisation.pk, Role.MANAGER):
            return visible.none()
        visible = visible.filter(manager=actor)
    return (
        visible.exclude(person=actor)
        .select_related("person", "team")
        .order_by("person__sort_key", "pk")
    )


def access_lead_organisation(actor: Any, org_slug: str) -> Organisation:
    """An organisation where the actor is admin or manager."""
    from gilde.tenancy.access import access_organisation

    return access_organisation(actor, org_slug, Role.ORG_ADMIN, Role.MANAGER)


@dataclass
class EnrolmentPage:
    enrolment: Enrolment
    kind: Kind
    completion: Completion | None
    is_learner: bool
    can_withdraw: bool
    can_submit_proof: bool
    signer_role: str
    can_record_school_result: bool


def enrolment_page(actor: Any, enrolment: Enrolment) -> EnrolmentPage:
    from gilde.learning.access import can_record_school_result, signer_role
    from gilde.learning.kinds import CompletedBy

    kind = kind_of(enrolment.item)
    active = enrolment.status == EnrolmentStatus.ACTIVE
    is_learner = actor.pk == enrolment.person_id
    completion = Completion.objects.filter(enrolment=enrolment).first()
    return EnrolmentPage(
        enrolment=enrolment,
        kind=kind,
        completion=completion,
        is_learner=is_learner,
        can_withdraw=can_withdraw(actor, enrolment),
        can_submit_proof=active and is_learner and enrolment.item.kind == "external",
        signer_role=(
            signer_role(actor, enrolment)
            if active and kind.completed_by == CompletedBy.SIGNER
            else ""
        ),
        can_record_school_result=active and can_record_school_result(actor, enrolment),
    )


@dataclass
class LearnerHome:
    next_up: Enrolment | None
    due_soon: list[Enrolment]
    active: list[Enrolment]
    active_count: int
    completed_this_year: int
    hours_this_year: Decimal
    proposals_to_decide: int
    team_organisations: list[Organisation]
    today: dt.date


def learner_home(actor: Any, *, limit: int = 5) -> LearnerHome:
    """The learner's block on the home page: what to do next, what is due soon, how far they
    are. Four queries, however many enrolments."""
    today = timezone.localdate()
    active = list(
        Enrolment.objects.filter(person=actor, status=EnrolmentStatus.ACTIVE)
        .select_related("item", "current_page")
        .order_by(
            F("due_date").asc(nulls_last=True),
            F("last_activity_at").desc(nulls_last=True),
            "enrolled_at",
        )
    )
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due_soon = [e for e in active if e.due_date is not None and e.due_date <= soon]
    # Next: what is overdue or due first; else what they were busy with most recently.
    started = [e for e in active if e.last_activity_at is not None]
    next_up = due_soon[0] if due_soon else None
    if next_up is None and started:
        next_up = max(started, key=lambda e: e.last_activity_at or timezone.now())
    if next_up is None and active:
        next_up = active[0]
    start = dt.datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
    done = Completion.objects.filter(person=actor, completed_at__gte=start).aggregate(
        hours=Sum("study_hours"), count=Count("pk")
    )
    standing = standing_of(actor)
    leads = sorted(
        (
            org
            for org_id, org in standing.organisations.items()
            if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
        ),
        key=lambda o: o.name,
    )
    return LearnerHome(
        next_up=next_up,
        due_soon=due_soon[:limit],
        active=active[:limit],
        active_count=len(active),
        completed_this_year=done["count"],
        hours_this_year=done["hours"] or Decimal("0"),
        proposals_to_decide=proposals_to_decide(actor).count() if leads else 0,
        team_organisations=leads,
        today=today,
    )


def my_enrolments(actor: Any) -> dict[str, list[Enrolment]]:
    rows = (
        Enrolment.objects.filter(person=actor)
        .select_related("item", "organisation", "completion")
        .order_by("-enrolled_at")
    )
    grouped: dict[str, list[Enrolment]] = {s: [] for s in EnrolmentStatus.values}
    for enrolment in rows:
        grouped[enrolment.status].append(enrolment)
    return grouped


# --- the team's progress ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One person × item of the team overview, ready to show: a status word (or sign) and a link
    to the enrolment. Worked out in Python once per cell, so that a page of 50 people × 20 items
    renders quickly."""

    status: str = ""  # "", "active", "overdue", "completed" or "withdrawn"
    text: str = ""
    url: str = ""


@dataclass
class ProgressRow:
    membership: Membership
    cells: list[Cell]


@dataclass
class ItemSummary:
    item: CatalogueItem
    enrolled: int = 0
    completed: int = 0
    overdue: int = 0

    @property
    def percent_completed(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0


@dataclass
class TeamProgress:
    organisation: Organisation
    items: list[ItemSummary]
    rows: list[ProgressRow]
    page: Page[Any]


# (uuid, person id, item id, status, due date, progress, enrolled at)
_Row = tuple[Any, int, int, str, dt.date | None, int, dt.datetime]
_RANK = {EnrolmentStatus.ACTIVE: 2, EnrolmentStatus.COMPLETED: 2, EnrolmentStatus.WITHDRAWN: 1}


def _better(a: _Row, b: _Row | None) -> bool:
    """Which enrolment a cell shows: active or completed over withdrawn, then the latest."""
    if b is None:
        return True
    return (_RANK[EnrolmentStatus(a[3])], a[6]) > (_RANK[EnrolmentStatus(b[3])], b[6])


def team_progress(actor: Any, organisation: Organisation, page_number: Any = 1) -> TeamProgress:
    """People the actor leads × the items they are enrolled in for this organisation. Five
    queries (people count and page, enrolments, items), whatever the size of the team."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    people = led_memberships(actor, organisation)
    page = Paginator(people, TEAM_PAGE_SIZE).get_page(page_number)
    memberships = list(page.object_list)
    today = timezone.localdate()
    rows_found: list[_Row] = list(
        Enrolment.objects.filter(
            organisation=organisation, person_id__in=people.values("person_id")
        ).values_list(
            "uuid", "person_id", "item_id", "status", "due_date", "progress_percent", "enrolled_at"
        )
    )
    best: dict[tuple[int, int], _Row] = {}
    for row in rows_found:
        key = (row[1], row[2])
        if _better(row, best.get(key)):
            best[key] = row
    item_objects = {
        item.pk: item
        for item in CatalogueItem.objects.filter(pk__in={key[1] for key in best}).only(
            "uuid", "title"
        )
    }
    summaries = {pk: ItemSummary(item=item) for pk, item in item_objects.items()}
    cells: dict[tuple[int, int], Cell] = {}
    link = reverse("learning:enrolment", args=["00000000-0000-0000-0000-000000000000"])
    done, stopped, late = _("done"), _("stopped"), _("overdue")
    page_people = {m.person_id for m in memberships}
    for key, (uuid, _person, item_id, status, due, progress, _at) in best.items():
        overdue = status == EnrolmentStatus.ACTIVE and due is not None and due < today
        summary = summaries[item_id]
        if status != EnrolmentStatus.WITHDRAWN:
            summary.enrolled += 1
            summary.completed += status == EnrolmentStatus.COMPLETED
            summary.overdue += overdue
        if key[0] not in page_people:
            continue
        if status == EnrolmentStatus.COMPLETED:
            text = f"✓ {done}"
        elif status == EnrolmentStatus.WITHDRAWN:
            text = stopped
        elif overdue:
            text = f"▲ {late} · {progress}%"
        else:
            text = f"{progress}%"
        cells[key] = Cell(
            status="overdue" if overdue else status,
            text=text,
            url=link.replace("00000000-0000-0000-0000-000000000000", str(uuid)),
        )
    items = sorted(summaries.values(), key=lambda s: (s.item.title.lower(), s.item.pk))
    empty = Cell()
    rows = [
        ProgressRow(
            membership=membership,
            cells=[cells.get((membership.person_id, s.item.pk), empty) for s in items],
        )
        for membership in memberships
    ]
    return TeamProgress(organisation=organisation, items=items, rows=rows, page=page)


# --- proposals ----------------------------------------------------------------------------------


def proposals_to_decide(actor: Any) -> QuerySet[LevelProposal]:
    """Open proposals of new levels for people the actor leads (as manager, or as admin of the
    organisation the person learned for)."""
    if not getattr(actor, "is_authenticated", False):
        return LevelProposal.objects.none()
    admin_orgs = [o.pk for o in standing_of(actor).admin_organisations()]
    managed = Membership.objects.current().filter(
        manager=actor, person=OuterRef("person"), organisation=OuterRef("organisation")
    )
    admin_of = Membership.objects.current().filter(
        person=OuterRef("person"), organisation=OuterRef("organisation")
    )
    return (
        LevelProposal.objects.filter(status=ProposalStatus.OPEN)
        .exclude(person=actor)
        .filter(Q(Exists(managed)) | (Q(organisation_id__in=admin_orgs) & Q(Exists(admin_of))))
        .select_related(
            "person", "organisation", "competency__version__framework", "completion__item"
        )
        .order_by("person__sort_key", "competency__code")
    )


def access_proposal(actor: Any, proposal_uuid: Any) -> LevelProposal:
    proposal = proposals_to_decide(actor).filter(uuid=proposal_uuid).first()
    if proposal is None or not can_lead(actor, proposal.person, proposal.organisation):
        raise Http404
    return proposal
