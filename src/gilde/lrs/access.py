"""The Learning Record Store part of the access gateway: whose learning records a person sees in
the browser, and who manages a store's xAPI clients.

Records:
- everyone sees their own records, from every store (they are theirs for life);
- an organisation's admins, managers and workplace mentors see the records of the people they
  may see there (`tenancy.access.memberships_visible_to`), and only the records kept in that
  organisation's own store: what someone learned for another employer stays there.

- an assigned coach (a current `CoachAssignment`, the rule of `tenancy.access.is_assigned_coach`)
  sees the records of the people they coach that are kept in the store of the assignment's
  network and in the stores of that network's member organisations: the learning the coaching
  is about, not what the person learned elsewhere.

Clients: an organisation's admins manage the clients of the organisation's store, a network's
coordinators those of the network's store. Everything else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gilde.lrs.models import Client, Store
from gilde.tenancy.access import (
    access_membership,
    access_network,
    access_organisation,
    memberships_visible_to,
    standing_of,
)
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    Organisation,
    Role,
)

# Roles that follow other people's learning at an organisation.
LEAD_ROLES = (Role.ORG_ADMIN, Role.MANAGER, Role.MENTOR)


def access_lead_organisation(actor: Any, org_slug: str) -> Organisation:
    """An organisation where the actor is admin, manager or workplace mentor."""
    return access_organisation(actor, org_slug, *LEAD_ROLES)


def followed_memberships(actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    """The memberships whose learning records the actor follows at `organisation`: those they may
    see there, without their own (their own records are on their own page)."""
    return memberships_visible_to(actor, organisation).exclude(person=actor)


def access_followed_membership(
    actor: Any, organisation: Organisation, membership_uuid: Any
) -> Membership:
    membership = access_membership(actor, organisation, membership_uuid)
    if membership.person_id == actor.pk:
        # One's own records have their own page, with all stores.
        raise Http404
    return membership


# --- coaches ------------------------------------------------------------------------------


def coach_assignments(actor: Any) -> QuerySet[CoachAssignment]:
    """The actor's current assignments as a coach."""
    if not getattr(actor, "is_authenticated", False):
        return CoachAssignment.objects.none()
    today = timezone.localdate()
    return CoachAssignment.objects.filter(
        Q(coach=actor),
        Q(start_date__lte=today),
        Q(end_date__isnull=True) | Q(end_date__gte=today),
    ).exclude(person=actor)


def network_stores(network_ids: list[int]) -> QuerySet[Store]:
    """The stores of these networks and of their approved member organisations."""
    members = NetworkMembership.objects.filter(
        network_id__in=network_ids, status=NetworkMembershipStatus.APPROVED
    ).values("organisation_id")
    return Store.objects.filter(Q(network_id__in=network_ids) | Q(organisation_id__in=members))


def access_coached_person(actor: Any, person_uuid: Any) -> tuple[Any, list[int]]:
    """A person the actor coaches, with the networks the coaching is in."""
    assignments = list(
        coach_assignments(actor).filter(person__uuid=person_uuid).select_related("person")
    )
    if not assignments:
        raise Http404
    return assignments[0].person, sorted({a.network_id for a in assignments})


# --- clients --------------------------------------------------------------------------------


def access_client_organisation(actor: Any, org_slug: str) -> Organisation:
    return access_organisation(actor, org_slug, Role.ORG_ADMIN)


def access_client_network(actor: Any, network_slug: str) -> Network:
    return access_network(actor, network_slug, coordinator=True)


def clients_managed_by(actor: Any) -> QuerySet[Client]:
    standing = standing_of(actor)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    coordinated = [n.pk for n in standing.coordinated_networks()]
    if not admin_orgs and not coordinated:
        return Client.objects.none()
    return Client.objects.filter(
        Q(store__organisation_id__in=admin_orgs) | Q(store__network_id__in=coordinated)
    )


def access_client(actor: Any, client_uuid: Any) -> Client:
    client = (
        clients_managed_by(actor)
        .select_related("store__organisation", "store__network")
        .filter(uuid=client_uuid)
        .first()
    )
    if client is None:
        raise Http404
    return client


def existing_store(owner: Organisation | Network) -> Store | None:
    """The owner's store if it has one; reading a page never makes one."""
    if isinstance(owner, Organisation):
        return Store.objects.filter(organisation=owner).first()
    return Store.objects.filter(network=owner).first()
