"""Learning paths and cohorts: who sees and changes them (access), and the writes (services).

Paths follow items: a path belongs to one organisation (private) or one network (shared);
published paths are seen by the people the owner reaches, drafts only by those who may edit them
(admins and authors of the organisation, coordinators of the network). Steps are items, or
another path whose steps count in their place; a path never includes itself (services.path_step_
add refuses a cycle). A step's item or path must be one the path's owner can offer.

Enrolling someone in a path enrols them in each published item of it, linked to the path
enrolment, so that the learner's home shows every step with its date; completing the items
completes the path by its rule (services.path_enrolment_refresh), and a path that gives a
certificate then issues one.

A cohort runs a path for a group: run by an organisation (its admins manage it) or by a network
(its coordinators manage it), plus the person named as the cohort's coordinator. Pacing is a date
per step, spread evenly from the start date by default. Managers and admins add the people they
lead; that enrols them in the path with the cohort's dates. One explicit rule: the cohort's
coordinator and mentors see the members' progress on the cohort's steps — in a network cohort
these are people of several organisations — and nothing else of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.learning import services
from gilde.learning.access import ITEM_EDITOR_ROLES, can_lead
from gilde.learning.kinds import kind_of
from gilde.learning.models import (
    CatalogueItem,
    Cohort,
    CohortMember,
    CohortStep,
    Enrolment,
    EnrolmentStatus,
    EnrolmentVia,
    ItemStatus,
    LearningPath,
    PathCompletionRule,
    PathEnrolment,
    PathStep,
)
from gilde.learning.services import LearningError
from gilde.tenancy.access import networks_visible_to, standing_of
from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    Role,
)
from gilde.tenancy.services import unique_slug

# --- access: paths ------------------------------------------------------------------------------


def _path_edit_scope(actor: Any) -> Q:
    standing = standing_of(actor)
    editor_orgs = [
        o for o in standing.organisations if standing.has_org_role(o, *ITEM_EDITOR_ROLES)
    ]
    coordinated = [n.pk for n in standing.coordinated_networks()]
    return Q(organisation_id__in=editor_orgs) | Q(network_id__in=coordinated)


def paths_visible_to(actor: Any) -> QuerySet[LearningPath]:
    if not getattr(actor, "is_authenticated", False):
        return LearningPath.objects.none()
    standing = standing_of(actor)
    networks = list(networks_visible_to(actor).values_list("pk", flat=True))
    published = Q(status=ItemStatus.PUBLISHED) & (
        Q(organisation_id__in=list(standing.organisations)) | Q(network_id__in=networks)
    )
    enrolled = Exists(PathEnrolment.objects.filter(path=OuterRef("pk"), person=actor))
    runs = Exists(
        Cohort.objects.filter(path=OuterRef("pk")).filter(Q(coordinator=actor) | Q(mentors=actor))
    )
    return LearningPath.objects.filter(
        published | _path_edit_scope(actor) | Q(enrolled) | Q(runs)
    ).distinct()


def can_edit_path(actor: Any, path: LearningPath) -> bool:
    standing = standing_of(actor)
    if path.network_id is not None:
        return standing.is_coordinator(path.network_id)
    return standing.has_org_role(path.organisation_id or 0, *ITEM_EDITOR_ROLES)


def access_path(actor: Any, path_uuid: Any, *, edit: bool = False) -> LearningPath:
    path = (
        paths_visible_to(actor)
        .filter(uuid=path_uuid)
        .select_related("network", "organisation")
        .first()
    )
    if path is None or (edit and not can_edit_path(actor, path)):
        raise Http404
    return path


def _approved_networks(organisation_id: int) -> list[int]:
    return list(
        NetworkMembership.objects.filter(
            organisation_id=organisation_id, status=NetworkMembershipStatus.APPROVED
        ).values_list("network_id", flat=True)
    )


def path_reaches_organisation(path: LearningPath, organisation: Organisation) -> bool:
    if path.organisation_id is not None:
        return path.organisation_id == organisation.pk
    return (path.network_id or 0) in _approved_networks(organisation.pk)


def organisations_reached_by_path(person: Any, path: LearningPath) -> list[Organisation]:
    """The person's current organisations through which the path is theirs to take."""
    current = Membership.objects.current().filter(person=person).select_related("organisation")
    orgs = {m.organisation_id: m.organisation for m in current}
    return sorted(
        (o for o in orgs.values() if path_reaches_organisation(path, o)), key=lambda o: o.name
    )


def step_items_for(path: LearningPath) -> QuerySet[CatalogueItem]:
    """Items the path's owner can offer as steps: its own, and (for an organisation) those of
    its networks."""
    if path.network_id is not None:
        return CatalogueItem.objects.filter(network_id=path.network_id)
    org_id = path.organisation_id or 0
    return CatalogueItem.objects.filter(
        Q(organisation_id=org_id) | Q(network_id__in=_approved_networks(org_id))
    )


def step_paths_for(path: LearningPath) -> QuerySet[LearningPath]:
    if path.network_id is not None:
        return LearningPath.objects.filter(network_id=path.network_id).exclude(pk=path.pk)
    org_id = path.organisation_id or 0
    return LearningPath.objects.filter(
        Q(organisation_id=org_id) | Q(network_id__in=_approved_networks(org_id))
    ).exclude(pk=path.pk)


# --- services: paths ----------------------------------------------------------------------------

PATH_FIELDS = (
    "title",
    "summary",
    "language",
    "audience",
    "ordered",
    "completion_rule",
    "required_count",
    "certificate_enabled",
)


def _clean_path_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: fields[name] for name in PATH_FIELDS if name in fields}
    if not str(cleaned.get("title", "")).strip():
        raise LearningError(_("Give the path a title."))
    cleaned["title"] = str(cleaned["title"]).strip()
    rule = cleaned.get("completion_rule", PathCompletionRule.ALL_REQUIRED)
    if rule not in PathCompletionRule.values:
        raise LearningError(_("Choose when the path is complete."))
    if rule == PathCompletionRule.AT_LEAST_N:
        count = cleaned.get("required_count")
        if not count or count < 1:
            raise LearningError(_("Say how many steps must be done."))
    else:
        cleaned["required_count"] = None
    return cleaned


def _audit_path(*, actor: Any, action: str, path: LearningPath, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        organisation=path.organisation,
        network=path.network,
        path=str(path.uuid),
        title=path.title,
        **detail,
    )


@transaction.atomic
def path_create(
    *,
    actor: Any,
    fields: dict[str, Any],
    organisation: Organisation | None = None,
    network: Network | None = None,
) -> LearningPath:
    """A new path, as a draft. The caller checked the actor may write for this owner."""
    if (organisation is None) == (network is None):
        raise LearningError(_("Choose whether the path is for your organisation or the network."))
    cleaned = _clean_path_fields(fields)
    scope: dict[str, Any] = (
        {"organisation": organisation} if organisation is not None else {"network": network}
    )
    path = LearningPath.objects.create(
        slug=unique_slug(LearningPath, cleaned["title"], max_length=80, **scope),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **scope,
        **cleaned,
    )
    _audit_path(actor=actor, action="learning.path_create", path=path)
    return path


@transaction.atomic
def path_update(*, actor: Any, path: LearningPath, fields: dict[str, Any]) -> LearningPath:
    cleaned = _clean_path_fields(fields)
    if (
        path.status == ItemStatus.PUBLISHED
        and cleaned.get("completion_rule") == PathCompletionRule.AT_LEAST_N
        and (cleaned.get("required_count") or 0) > len(services.path_items(path))
    ):
        raise LearningError(_("The path has fewer steps than the number that must be done."))
    changed = sorted(k for k, v in cleaned.items() if getattr(path, k) != v)
    for name, value in cleaned.items():
        setattr(path, name, value)
    path.updated_at = timezone.now()
    path.save(update_fields=[*cleaned, "updated_at"])
    _audit_path(actor=actor, action="learning.path_update", path=path, fields=changed)
    return path


def path_publish_problem(path: LearningPath) -> str:
    steps = services.path_items(path)
    if not steps:
        return _("Add at least one step first.")
    drafts = list(
        CatalogueItem.objects.filter(pk__in=[i for i, _r in steps])
        .exclude(status=ItemStatus.PUBLISHED)
        .values_list("title", flat=True)
    )
    if drafts:
        return _("Publish these items first: %(titles)s.") % {"titles": ", ".join(drafts)}
    if path.completion_rule == PathCompletionRule.AT_LEAST_N and (path.required_count or 0) > len(
        steps
    ):
        return _("The path has fewer steps than the number that must be done.")
    if path.completion_rule == PathCompletionRule.ALL_REQUIRED and not any(r for _i, r in steps):
        return _("Make at least one step required, or complete the path by a number of steps.")
    return ""


@transaction.atomic
def path_publish(*, actor: Any, path: LearningPath) -> LearningPath:
    path = LearningPath.objects.select_for_update().get(pk=path.pk)
    if path.status == ItemStatus.PUBLISHED:
        raise LearningError(_("This path is published already."))
    problem = path_publish_problem(path)
    if problem:
        raise LearningError(problem)
    path.status = ItemStatus.PUBLISHED
    path.published_at = timezone.now()
    path.updated_at = path.published_at
    path.save(update_fields=["status", "published_at", "updated_at"])
    _audit_path(actor=actor, action="learning.path_publish", path=path)
    return path


def path_step_add_checked(
    *,
    actor: Any,
    path: LearningPath,
    item: CatalogueItem | None = None,
    included_path: LearningPath | None = None,
    required: bool = True,
) -> PathStep:
    """Add a step the path's owner can offer; a cycle is refused by services.path_step_add."""
    if item is not None and not step_items_for(path).filter(pk=item.pk).exists():
        raise LearningError(_("Choose an item your path's owner offers."))
    if included_path is not None and not step_paths_for(path).filter(pk=included_path.pk).exists():
        if included_path.pk == path.pk:
            raise LearningError(_("A path cannot be a step of itself."))
        raise LearningError(_("Choose a path your path's owner offers."))
    return services.path_step_add(
        actor=actor, path=path, item=item, included_path=included_path, required=required
    )


@transaction.atomic
def path_step_change(
    *, actor: Any, path: LearningPath, step: PathStep, required: bool | None = None, move: int = 0
) -> PathStep:
    """Make a step required or optional, or move it one place up (-1) or down (+1)."""
    if step.path_id != path.pk:
        raise LearningError(_("This step is not part of the path."))
    steps = list(PathStep.objects.select_for_update().filter(path=path).order_by("position", "pk"))
    if required is not None:
        step.required = required
        step.save(update_fields=["required"])
    if move:
        index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
        other = index + (1 if move > 0 else -1)
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
            for position, row in enumerate(steps, start=1):
                if row.position != position:
                    row.position = position
                    row.save(update_fields=["position"])
    _audit_path(actor=actor, action="learning.path_step_change", path=path, step=str(step.uuid))
    return step


@transaction.atomic
def path_step_remove(*, actor: Any, path: LearningPath, step: PathStep) -> None:
    if step.path_id != path.pk:
        raise LearningError(_("This step is not part of the path."))
    if path.status == ItemStatus.PUBLISHED and PathStep.objects.filter(path=path).count() == 1:
        raise LearningError(_("A published path keeps at least one step."))
    step.delete()
    _audit_path(actor=actor, action="learning.path_step_remove", path=path, step=str(step.uuid))


# --- services: enrolling in a path --------------------------------------------------------------


def step_item_ids(path: LearningPath) -> list[tuple[PathStep, list[int]]]:
    """Each of the path's own steps with the items it stands for (an included path: its items,
    in order). A fixed number of queries per level of included paths."""
    steps = list(
        PathStep.objects.filter(path=path)
        .select_related("item", "included_path")
        .order_by("position", "pk")
    )
    out: list[tuple[PathStep, list[int]]] = []
    for step in steps:
        if step.item_id is not None:
            out.append((step, [step.item_id]))
        elif step.included_path is not None:
            out.append((step, [i for i, _r in services.path_items(step.included_path)]))
    return out


def _step_dates(cohort: Cohort | None, path: LearningPath) -> dict[int, dt.date]:
    """Item id → due date from the cohort's pacing (each item of a step gets the step's date)."""
    if cohort is None:
        return {}
    pacing = {row.step_id: row.due_date for row in CohortStep.objects.filter(cohort=cohort)}
    dates: dict[int, dt.date] = {}
    for step, item_ids in step_item_ids(path):
        if step.pk in pacing:
            for item_id in item_ids:
                dates.setdefault(item_id, pacing[step.pk])
    return dates


def _path_enrolment_row(
    *,
    actor: Any,
    person: Any,
    path: LearningPath,
    organisation: Organisation,
    via: str,
    due_date: dt.date | None = None,
    cohort: Cohort | None = None,
) -> PathEnrolment:
    if PathEnrolment.objects.filter(
        person=person, path=path, status=EnrolmentStatus.ACTIVE
    ).exists():
        raise LearningError(
            _("%(name)s is enrolled in this path already.") % {"name": person.display_name}
        )
    try:
        with transaction.atomic():
            path_enrolment = PathEnrolment.objects.create(
                person=person,
                path=path,
                organisation=organisation,
                cohort=cohort,
                via=via,
                enrolled_by=actor if getattr(actor, "is_authenticated", False) else None,
                due_date=due_date if cohort is None else cohort.end_date,
            )
    except IntegrityError as error:
        raise LearningError(
            _("%(name)s is enrolled in this path already.") % {"name": person.display_name}
        ) from error
    item_ids = [i for i, _r in services.path_items(path)]
    items = {i.pk: i for i in CatalogueItem.objects.filter(pk__in=item_ids)}
    active = {
        e.item_id: e
        for e in Enrolment.objects.filter(
            person=person, item_id__in=item_ids, status=EnrolmentStatus.ACTIVE
        )
    }
    dates = _step_dates(cohort, path)
    item_via = EnrolmentVia.COHORT if cohort is not None else EnrolmentVia.PATH
    for item_id in item_ids:
        item = items[item_id]
        if item.status != ItemStatus.PUBLISHED:
            continue
        due = dates.get(item_id, due_date)
        existing = active.get(item_id)
        if existing is not None:
            if existing.path_enrolment_id is None:
                existing.path_enrolment = path_enrolment
                existing.due_date = existing.due_date or due
                existing.save(update_fields=["path_enrolment", "due_date"])
            continue
        services._enrolment_row(
            actor=actor,
            person=person,
            item=item,
            organisation=organisation,
            via=item_via,
            due_date=due,
            path_enrolment=path_enrolment,
        )
    audit_record(
        actor=actor,
        action="learning.path_enrol",
        organisation=organisation,
        subject=person,
        path=str(path.uuid),
        title=path.title,
        via=via,
        cohort=str(cohort.uuid) if cohort is not None else "",
    )
    # Items done before count: the path may be complete at once.
    return services.path_enrolment_refresh(path_enrolment_id=path_enrolment.pk)


@transaction.atomic
def path_enrol_self(
    *, actor: Any, path: LearningPath, due_date: dt.date | None = None
) -> PathEnrolment:
    if path.status != ItemStatus.PUBLISHED:
        raise LearningError(_("Only published paths can be taken."))
    items = CatalogueItem.objects.filter(pk__in=[i for i, _r in services.path_items(path)])
    if any(not kind_of(item).self_enrol for item in items):
        raise LearningError(
            _("This path has steps your manager arranges; ask your manager to enrol you.")
        )
    if due_date is not None and due_date < timezone.localdate():
        raise LearningError(_("The date to be done by cannot be in the past."))
    organisations = organisations_reached_by_path(actor, path)
    if not organisations:
        raise LearningError(_("This path is not in the catalogue of your organisation."))
    return _path_enrolment_row(
        actor=actor,
        person=actor,
        path=path,
        organisation=organisations[0],
        via=EnrolmentVia.SELF,
        due_date=due_date,
    )


@dataclass
class TeamPathEnrolment:
    enrolled: list[PathEnrolment]
    already: list[Any]


@transaction.atomic
def path_enrol_team(
    *,
    actor: Any,
    path: LearningPath,
    organisation: Organisation,
    people: Sequence[Any],
    due_date: dt.date | None = None,
) -> TeamPathEnrolment:
    """A manager or admin enrols people they lead at `organisation` in a path."""
    if path.status != ItemStatus.PUBLISHED:
        raise LearningError(_("Only published paths can be taken."))
    if not path_reaches_organisation(path, organisation):
        raise LearningError(_("This path is not in the catalogue of your organisation."))
    if not people:
        raise LearningError(_("Choose at least one person."))
    if due_date is not None and due_date < timezone.localdate():
        raise LearningError(_("The date to be done by cannot be in the past."))
    for person in people:
        if not can_lead(actor, person, organisation):
            raise LearningError(_("You can only enrol people you lead."))
    active = set(
        PathEnrolment.objects.filter(
            path=path, person__in=people, status=EnrolmentStatus.ACTIVE
        ).values_list("person_id", flat=True)
    )
    result = TeamPathEnrolment(enrolled=[], already=[])
    for person in people:
        if person.pk in active:
            result.already.append(person)
            continue
        result.enrolled.append(
            _path_enrolment_row(
                actor=actor,
                person=person,
                path=path,
                organisation=organisation,
                via=EnrolmentVia.MANAGER,
                due_date=due_date,
            )
        )
    return result


# --- access: cohorts ----------------------------------------------------------------------------


def can_manage_cohort(actor: Any, cohort: Cohort) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if cohort.coordinator_id == actor.pk:
        return True
    standing = standing_of(actor)
    if cohort.organisation_id is not None:
        return standing.has_org_role(cohort.organisation_id, Role.ORG_ADMIN)
    return standing.is_coordinator(cohort.network_id or 0)


def cohorts_visible_to(actor: Any) -> QuerySet[Cohort]:
    """Cohorts the actor runs (manages, coordinates, mentors) or adds people to."""
    if not getattr(actor, "is_authenticated", False):
        return Cohort.objects.none()
    standing = standing_of(actor)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    coordinated = [n.pk for n in standing.coordinated_networks()]
    lead_orgs = [
        o for o in standing.organisations if standing.has_org_role(o, Role.ORG_ADMIN, Role.MANAGER)
    ]
    lead_networks = NetworkMembership.objects.filter(
        organisation_id__in=lead_orgs, status=NetworkMembershipStatus.APPROVED
    ).values("network_id")
    return Cohort.objects.filter(
        Q(coordinator=actor)
        | Q(mentors=actor)
        | Q(organisation_id__in=admin_orgs)
        | Q(network_id__in=coordinated)
        # managers add their people to their organisation's and their networks' cohorts
        | Q(organisation_id__in=lead_orgs)
        | Q(network_id__in=lead_networks)
    ).distinct()


def access_cohort(actor: Any, cohort_uuid: Any, *, manage: bool = False) -> Cohort:
    cohort = (
        cohorts_visible_to(actor)
        .filter(uuid=cohort_uuid)
        .select_related("path", "path__network", "path__organisation", "coordinator")
        .select_related("organisation", "network")
        .first()
    )
    if cohort is None or (manage and not can_manage_cohort(actor, cohort)):
        raise Http404
    return cohort


def sees_cohort_progress(actor: Any, cohort: Cohort) -> bool:
    """The explicit rule of the module text: managers of the cohort and its mentors."""
    return can_manage_cohort(actor, cohort) or cohort.mentors.filter(pk=actor.pk).exists()


@dataclass(frozen=True)
class CohortOwner:
    key: str
    label: str
    organisation: Organisation | None = None
    network: Network | None = None


def cohort_owners_for(actor: Any, path: LearningPath) -> list[CohortOwner]:
    """Who may run a cohort of this path: organisations the actor administers that the path
    reaches, and the path's network if the actor coordinates it."""
    standing = standing_of(actor)
    owners = [
        CohortOwner(key=f"org:{o.slug}", label=o.name, organisation=o)
        for o in sorted(standing.admin_organisations(), key=lambda o: o.name)
        if path_reaches_organisation(path, o)
    ]
    if path.network is not None and standing.is_coordinator(path.network.pk):
        owners.append(
            CohortOwner(
                key=f"network:{path.network.slug}", label=path.network.name, network=path.network
            )
        )
    return owners


def cohort_staff_choices(owner: CohortOwner) -> list[Any]:
    """People who can coordinate or mentor a cohort of this owner: the organisation's current
    people and the workplace mentors of its placed people (a temp agency's cohort is mentored at
    the host companies); for a network, its coordinators and coaches."""
    from gilde.people.models import Person

    if owner.organisation is not None:
        members = Membership.objects.current().filter(organisation=owner.organisation)
        placed_mentors = Membership.objects.current().filter(
            placed_by=owner.organisation, mentor__isnull=False
        )
        return list(
            Person.objects.filter(
                Q(pk__in=members.values("person_id")) | Q(pk__in=placed_mentors.values("mentor_id"))
            ).order_by("sort_key", "pk")
        )
    assert owner.network is not None
    return list(
        Person.objects.filter(network_roles__network=owner.network)
        .distinct()
        .order_by("sort_key", "pk")
    )


# --- services: cohorts --------------------------------------------------------------------------

DEFAULT_WEEKS_PER_STEP = 4


def default_pacing(
    steps: Sequence[PathStep], start: dt.date, end: dt.date | None, *, ordered: bool
) -> list[tuple[PathStep, dt.date | None, dt.date]]:
    """Dates spread evenly from the start to the end date (or four weeks a step): step i opens
    where step i-1 is due (in an ordered path) and is due at start + (i+1)/n of the span."""
    if not steps:
        return []
    n = len(steps)
    span = (end - start).days if end is not None else DEFAULT_WEEKS_PER_STEP * 7 * n
    out = []
    for i, step in enumerate(steps):
        opens = start + dt.timedelta(days=span * i // n) if ordered else None
        due = start + dt.timedelta(days=span * (i + 1) // n)
        out.append((step, opens, due))
    return out


def _check_cohort_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise LearningError(_("The end date cannot be before the start date."))


@transaction.atomic
def cohort_create(
    *,
    actor: Any,
    path: LearningPath,
    owner: CohortOwner,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    coordinator: Any = None,
    mentors: Iterable[Any] = (),
) -> Cohort:
    """A cohort of a published path, with pacing spread from the start date."""
    if path.status != ItemStatus.PUBLISHED:
        raise LearningError(_("Publish the path before a group starts on it."))
    if owner.key not in {o.key for o in cohort_owners_for(actor, path)}:
        raise LearningError(_("You cannot run a cohort of this path."))
    name = name.strip()
    if not name:
        raise LearningError(_("Give the cohort a name."))
    _check_cohort_dates(start_date, end_date)
    staff = {p.pk for p in cohort_staff_choices(owner)}
    mentors = list(mentors)
    if (coordinator is not None and coordinator.pk not in staff) or any(
        m.pk not in staff for m in mentors
    ):
        raise LearningError(_("Choose the coordinator and mentors from the list."))
    cohort = Cohort.objects.create(
        path=path,
        organisation=owner.organisation,
        network=owner.network,
        name=name[:200],
        start_date=start_date,
        end_date=end_date,
        coordinator=coordinator,
        created_by=actor,
    )
    cohort.mentors.set(mentors)
    steps = [step for step, _ids in step_item_ids(path)]
    CohortStep.objects.bulk_create(
        CohortStep(cohort=cohort, step=step, opens_on=opens, due_date=due)
        for step, opens, due in default_pacing(steps, start_date, end_date, ordered=path.ordered)
    )
    audit_record(
        actor=actor,
        action="learning.cohort_create",
        organisation=owner.organisation,
        network=owner.network,
        cohort=str(cohort.uuid),
        name=cohort.name,
        path=str(path.uuid),
    )
    return cohort


@transaction.atomic
def cohort_pacing_set(
    *, actor: Any, cohort: Cohort, dates: dict[int, tuple[dt.date | None, dt.date]]
) -> list[CohortStep]:
    """Set the date each step opens (optional) and is due, by step id. Item enrolments of the
    cohort's members that are still open follow their step's new date."""
    if not can_manage_cohort(actor, cohort):
        raise LearningError(_("Only the cohort's coordinator or an admin can change its dates."))
    steps = {step.pk: (step, ids) for step, ids in step_item_ids(cohort.path)}
    for step_id, (opens, due) in dates.items():
        if step_id not in steps:
            raise LearningError(_("This step is not part of the path."))
        if opens is not None and due < opens:
            raise LearningError(_("A step cannot be due before it opens."))
    rows = []
    for step_id, (opens, due) in dates.items():
        row, _created = CohortStep.objects.update_or_create(
            cohort=cohort, step_id=step_id, defaults={"opens_on": opens, "due_date": due}
        )
        rows.append(row)
        Enrolment.objects.filter(
            path_enrolment__cohort=cohort,
            item_id__in=steps[step_id][1],
            status=EnrolmentStatus.ACTIVE,
        ).update(due_date=due)
    audit_record(
        actor=actor,
        action="learning.cohort_pacing",
        organisation=cohort.organisation,
        network=cohort.network,
        cohort=str(cohort.uuid),
        name=cohort.name,
    )
    return rows


def member_organisations(actor: Any, cohort: Cohort) -> list[Organisation]:
    """Organisations from which the actor may add people they lead to the cohort."""
    standing = standing_of(actor)
    leads = [
        org
        for org_id, org in standing.organisations.items()
        if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER)
    ]
    if cohort.organisation_id is not None:
        leads = [o for o in leads if o.pk == cohort.organisation_id]
    else:
        networks = {cohort.network_id}
        leads = [o for o in leads if networks & set(_approved_networks(o.pk))]
    return sorted(
        (o for o in leads if path_reaches_organisation(cohort.path, o)), key=lambda o: o.name
    )


@dataclass
class CohortAdded:
    added: list[CohortMember]
    already: list[Any]


@transaction.atomic
def cohort_members_add(
    *, actor: Any, cohort: Cohort, memberships: Sequence[Membership]
) -> CohortAdded:
    """Add people the actor leads; each is enrolled in the path with the cohort's dates."""
    if not memberships:
        raise LearningError(_("Choose at least one person."))
    allowed = {o.pk for o in member_organisations(actor, cohort)}
    for membership in memberships:
        if membership.organisation_id not in allowed or not can_lead(
            actor, membership.person, membership.organisation
        ):
            raise LearningError(_("You can only add people you lead."))
    result = CohortAdded(added=[], already=[])
    present = set(
        CohortMember.objects.filter(
            cohort=cohort, person__in=[m.person for m in memberships]
        ).values_list("person_id", flat=True)
    )
    for membership in memberships:
        person = membership.person
        if person.pk in present:
            result.already.append(person)
            continue
        present.add(person.pk)
        _path_enrolment_row(
            actor=actor,
            person=person,
            path=cohort.path,
            organisation=membership.organisation,
            via=EnrolmentVia.COHORT,
            cohort=cohort,
        )
        member = CohortMember.objects.create(cohort=cohort, person=person, added_by=actor)
        audit_record(
            actor=actor,
            action="learning.cohort_member_add",
            organisation=membership.organisation,
            subject=person,
            cohort=str(cohort.uuid),
            name=cohort.name,
        )
        result.added.append(member)
    return result
