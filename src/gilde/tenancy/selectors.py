from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from gilde.tenancy.models import Network, NetworkMembership, NetworkMembershipStatus


def network_member_list(
    *, network: Network, query: str = "", status: str = NetworkMembershipStatus.APPROVED
) -> QuerySet[NetworkMembership]:
    """Member organisations of a network with the number of people each has today (an aggregate:
    coordinators see counts, not other firms' people). One query however many organisations."""
    from django.utils import timezone

    today = timezone.localdate()
    current = Q(organisation__memberships__start_date__lte=today) & (
        Q(organisation__memberships__end_date__isnull=True)
        | Q(organisation__memberships__end_date__gte=today)
    )
    places = (
        NetworkMembership.objects.filter(network=network, status=status)
        .select_related("organisation")
        .annotate(people=Count("organisation__memberships", filter=current))
        .order_by("organisation__name")
    )
    if query:
        places = places.filter(
            Q(organisation__name__icontains=query) | Q(organisation__city__icontains=query)
        )
    return places
