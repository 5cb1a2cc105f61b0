from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRole,
)


def network_member_list(
    *, network: Network, query: str = "", status: str = NetworkMembershipStatus.APPROVED
) -> QuerySet[NetworkMembership]:
    """Organisations of a network (by status), sorted by name. Cheap to paginate: head counts
    are fetched separately for the page shown (organisation_headcounts), so the cost of a page
    does not grow with the size of the network."""
    places = (
        NetworkMembership.objects.filter(network=network, status=status)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    if query:
        places = places.filter(
            Q(organisation__name__icontains=query) | Q(organisation__city__icontains=query)
        )
    return places


def organisation_headcounts(organisation_ids: Iterable[int]) -> dict[int, int]:
    """Current number of people per organisation: an aggregate a coordinator may see (never the
    people themselves). One query."""
    today = timezone.localdate()
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = (
        Membership.objects.filter(organisation_id__in=ids)
        .filter(Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("organisation_id")
        .annotate(n=Count("id"))
    )
    return {row["organisation_id"]: row["n"] for row in rows}


def network_person_by_email(*, network: Network, email: str) -> Any:
    """A person who currently works at an approved member organisation of the network, found by
    exact e-mail address (a coordinator appoints coaches and coordinators among them)."""
    from gilde.people.models import Person

    today = timezone.localdate()
    member_orgs = NetworkMembership.objects.filter(
        network=network, status=NetworkMembershipStatus.APPROVED
    ).values("organisation_id")
    return (
        Person.objects.filter(
            email__iexact=email.strip(),
            memberships__organisation_id__in=member_orgs,
            memberships__start_date__lte=today,
        )
        .filter(Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today))
        .distinct()
        .first()
    )


def network_role_list(*, network: Network) -> QuerySet[NetworkRole]:
    today = timezone.localdate()
    return (
        NetworkRole.objects.filter(network=network, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person")
        .order_by("role", "person__sort_key")
    )
