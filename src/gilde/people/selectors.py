from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gilde.tenancy.access import memberships_visible_to
from gilde.tenancy.models import Membership, MembershipRole, Organisation


def membership_list(
    *,
    actor: Any,
    organisation: Organisation,
    query: str = "",
    team: str = "",
    status: str = "current",
) -> QuerySet[Membership]:
    """People of one organisation as the actor may see them, sorted the Dutch way (family name
    without tussenvoegsel). A constant number of queries however many people."""
    today = timezone.localdate()
    rows = memberships_visible_to(actor, organisation)
    if status == "current":
        rows = rows.filter(
            Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
    elif status == "ended":
        rows = rows.filter(end_date__lt=today)
    if team:
        rows = rows.filter(team__slug=team)
    if query:
        for word in query.split()[:5]:
            rows = rows.filter(
                Q(person__given_name__icontains=word)
                | Q(person__family_name__icontains=word)
                | Q(person__email__icontains=word)
                | Q(function_title__icontains=word)
                | Q(employee_number__iexact=word)
            )
    return (
        rows.select_related("person", "team", "manager", "placed_by")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("person__sort_key", "pk")
    )
