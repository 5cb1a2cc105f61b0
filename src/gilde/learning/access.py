"""The learning part of the access gateway.

Who sees an item:
- a *published* item: the people of its owning organisation, or of any approved member
  organisation of its owning network (and that network's coordinators and coaches);
- a *draft* or *archived* item: those who may edit it — admins and authors of the owning
  organisation, coordinators of the owning network;
- anyone enrolled in it keeps seeing it (an item archived halfway through stays reachable).

Who sees a person's enrolments and completions: whoever may see the person
(`tenancy.access.can_see_person`: the person, their manager, mentor, coach, an admin of their
organisation). One explicit extra rule: for a school subject, the admins of the school that
teaches it see the enrolments in that subject, so that they can record the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from gilde.learning.models import (
    CatalogueItem,
    Enrolment,
    EnrolmentStatus,
    ItemKind,
    ItemStatus,
)
from gilde.tenancy.access import (
    can_see_person,
    networks_visible_to,
    standing_of,
)
from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    Role,
)

# Roles that may write and publish an organisation's own items.
ITEM_EDITOR_ROLES = (Role.ORG_ADMIN, Role.AUTHOR)


def _edit_scope(actor: Any) -> Q:
    standing = standing_of(actor)
    editor_orgs = [
        o for o in standing.organisations if standing.has_org_role(o, *ITEM_EDITOR_ROLES)
    ]
    coordinated = [n.pk for n in standing.coordinated_networks()]
    return Q(organisation_id__in=editor_orgs) | Q(network_id__in=coordinated)


def items_visible_to(actor: Any) -> QuerySet[CatalogueItem]:
    """Every item the actor may see (see the module text). No rows for anonymous visitors."""
    if not getattr(actor, "is_authenticated", False):
        return CatalogueItem.objects.none()
    standing = standing_of(actor)
    networks = list(networks_visible_to(actor).values_list("pk", flat=True))
    published = Q(status=ItemStatus.PUBLISHED) & (
        Q(organisation_id__in=list(standing.organisations)) | Q(network_id__in=networks)
    )
    enrolled = Exists(Enrolment.objects.filter(item=OuterRef("pk"), person=actor))
    return CatalogueItem.objects.filter(published | _edit_scope(actor) | Q(enrolled))


def can_edit_item(actor: Any, item: CatalogueItem) -> bool:
    standing = standing_of(actor)
    if item.network_id is not None:
        return standing.is_coordinator(item.network_id)
    return standing.has_org_role(item.organisation_id or 0, *ITEM_EDITOR_ROLES)


def access_item(actor: Any, item_uuid: Any, *, edit: bool = False) -> CatalogueItem:
    item = (
        items_visible_to(actor)
        .filter(uuid=item_uuid)
        .select_related("network", "organisation", "school")
        .first()
    )
    if item is None or (edit and not can_edit_item(actor, item)):
        raise Http404
    return item


@dataclass(frozen=True)
class Owner:
    """Where a new item can be placed: one organisation (private) or one network (shared)."""

    key: str  # "org:<slug>" or "network:<slug>", the value of the form's choice
    label: str
    organisation: Organisation | None = None
    network: Network | None = None


def item_owners_for(actor: Any) -> list[Owner]:
    """The owners under which the actor may create items: organisations where they are admin
    or author, networks they coordinate."""
    standing = standing_of(actor)
    owners = [
        Owner(key=f"org:{org.slug}", label=org.name, organisation=org)
        for org_id, org in standing.organisations.items()
        if standing.has_org_role(org_id, *ITEM_EDITOR_ROLES)
    ]
    owners.sort(key=lambda o: o.label)
    networks = sorted(standing.coordinated_networks(), key=lambda n: n.name)
    owners += [Owner(key=f"network:{n.slug}", label=n.name, network=n) for n in networks]
    return owners


# --- the learner's organisation for an item -------------------------------------------------


def organisations_reaching(person: Any, item: CatalogueItem) -> list[Organisation]:
    """The person's current organisations through which the item is theirs to take: the owning
    organisation, or the approved members of the owning network. Sorted by name."""
    current = Membership.objects.current().filter(person=person)
    if item.organisation_id is not None:
        orgs = Organisation.objects.filter(
            pk=item.organisation_id, pk__in=current.values("organisation_id")
        )
    else:
        members = NetworkMembership.objects.filter(
            network_id=item.network_id or 0, status=NetworkMembershipStatus.APPROVED
        ).values("organisation_id")
        orgs = Organisation.objects.filter(pk__in=current.values("organisation_id")).filter(
            pk__in=members
        )
    return list(orgs.order_by("name"))


def item_reaches_organisation(item: CatalogueItem, organisation: Organisation) -> bool:
    """The item is in the catalogue of this organisation (its own, or its network's)."""
    if item.organisation_id is not None:
        return item.organisation_id == organisation.pk
    return NetworkMembership.objects.filter(
        network_id=item.network_id or 0,
        organisation=organisation,
        status=NetworkMembershipStatus.APPROVED,
    ).exists()


# --- enrolments -----------------------------------------------------------------------------


def is_school_of(actor: Any, item: CatalogueItem) -> bool:
    """The actor is an admin of the school that teaches this school subject."""
    return (
        item.kind == ItemKind.SCHOOL_SUBJECT
        and item.school_id is not None
        and standing_of(actor).has_org_role(item.school_id, Role.ORG_ADMIN)
    )


def can_see_enrolment(actor: Any, enrolment: Enrolment) -> bool:
    return can_see_person(actor, enrolment.person) or is_school_of(actor, enrolment.item)


def access_enrolment(actor: Any, enrolment_uuid: Any) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(uuid=enrolment_uuid)
        .select_related("person", "item", "item__network", "item__organisation", "organisation")
        .first()
    )
    if enrolment is None or not can_see_enrolment(actor, enrolment):
        raise Http404
    return enrolment


def can_lead(actor: Any, person: Any, organisation: Organisation | None) -> bool:
    """The actor enrols and un-enrols this person for `organisation`: as the person's manager
    there, or as its admin."""
    if organisation is None or not getattr(actor, "is_authenticated", False):
        return False
    standing = standing_of(actor)
    if standing.has_org_role(organisation.pk, Role.ORG_ADMIN):
        return (
            Membership.objects.current().filter(person=person, organisation=organisation).exists()
        )
    if standing.has_org_role(organisation.pk, Role.MANAGER):
        return (
            Membership.objects.current()
            .filter(person=person, organisation=organisation, manager=actor)
            .exists()
        )
    return False


def can_withdraw(actor: Any, enrolment: Enrolment) -> bool:
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    if actor.pk == enrolment.person_id:
        return True
    return can_lead(actor, enrolment.person, enrolment.organisation)


def signer_role(actor: Any, enrolment: Enrolment) -> str:
    """How the actor may sign off on-the-job work of this learner: "mentor", "manager" or ""."""
    if not getattr(actor, "is_authenticated", False) or actor.pk == enrolment.person_id:
        return ""
    current = Membership.objects.current().filter(person=enrolment.person)
    if current.filter(mentor=actor).exists():
        return "mentor"
    standing = standing_of(actor)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    if current.filter(Q(manager=actor) | Q(organisation_id__in=admin_orgs)).exists():
        return "manager"
    return ""


def can_record_school_result(actor: Any, enrolment: Enrolment) -> bool:
    """The school's admins, and the admins of the organisation the learner takes the subject
    for (a temp agency records what the school reported)."""
    item = enrolment.item
    if item.kind != ItemKind.SCHOOL_SUBJECT or actor.pk == enrolment.person_id:
        return False
    if is_school_of(actor, item):
        return True
    return enrolment.organisation_id is not None and standing_of(actor).has_org_role(
        enrolment.organisation_id, Role.ORG_ADMIN
    )
