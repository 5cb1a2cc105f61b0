"""Gaps of a group, per competency: how many were rated, where they stand on average, how many
fall short of the requirement. For a team or an organisation (its admins and managers), and for a
whole network (its coordinators, who see numbers only: no names, and no numbers about fewer than
MIN_GROUP people, so that nobody can be picked out).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from gilde.competencies.matrix import Column, ColumnSource
from gilde.competencies.models import CurrentLevel, FunctionProfile, ProfileAssignment
from gilde.tenancy.models import Membership, Network, NetworkMembership, NetworkMembershipStatus

# Groups smaller than this are not shown in network-wide numbers.
MIN_GROUP = 3


@dataclass(frozen=True)
class AggregateRow:
    column: Column
    assessed: int
    average: float | None = None
    average_level: float | None = None
    below: int | None = None
    average_gap: float | None = None
    hidden: bool = False


def gap_aggregate(
    *, person_ids: QuerySet[Any], source: ColumnSource, minimum: int = 1
) -> list[AggregateRow]:
    """One row per column of `source` over the people in `person_ids` (a subquery). The
    database counts people per (competency, level) in one query; the averages are worked out
    from those few counts. A competency rated for fewer than `minimum` people is `hidden`."""
    codes = [c.code for c in source.columns]
    counts: dict[str, list[tuple[float, int]]] = defaultdict(list)
    found = (
        CurrentLevel.objects.filter(
            framework=source.framework, code__in=codes, person_id__in=person_ids
        )
        .annotate(level=Coalesce("validated_normalised", "self_normalised"))
        .filter(level__isnull=False)
        .values("code", "level")
        .annotate(people=Count("pk"))
        .order_by()
    )
    for row in found:
        counts[row["code"]].append((float(row["level"]), int(row["people"])))
    low, high = source.scale.lowest, source.scale.highest
    rows = []
    for column in source.columns:
        spread = counts.get(column.code, [])
        assessed = sum(k for _v, k in spread)
        if assessed == 0 or assessed < minimum:
            rows.append(AggregateRow(column=column, assessed=assessed, hidden=assessed > 0))
            continue
        average = sum(v * k for v, k in spread) / assessed
        below = gap = None
        required = column.required_normalised
        if required is not None:
            below = sum(k for v, k in spread if v < required - 1e-9)
            gap = sum(max(0.0, required - v) * k for v, k in spread) / assessed
        rows.append(
            AggregateRow(
                column=column,
                assessed=assessed,
                average=average,
                average_level=low + average * (high - low),
                below=below,
                average_gap=gap,
            )
        )
    return rows


def group_size(people: QuerySet[Membership]) -> int:
    return people.values("person_id").distinct().count()


# --- a network --------------------------------------------------------------------------------


def network_people(network: Network, profile: FunctionProfile) -> QuerySet[Membership]:
    """Current memberships with this function profile at the network's member organisations."""
    members = NetworkMembership.objects.filter(
        network=network, status=NetworkMembershipStatus.APPROVED
    ).values("organisation_id")
    return Membership.objects.current().filter(
        organisation_id__in=members, profile_assignment__profile=profile
    )


def network_profiles(network: Network) -> list[FunctionProfile]:
    """The network's own function profiles, each with `holders`: how many people at its member
    organisations currently have it. One query."""
    members = NetworkMembership.objects.filter(
        network=network, status=NetworkMembershipStatus.APPROVED
    ).values("organisation_id")
    current = Membership.objects.current().filter(organisation_id__in=members).values("pk")
    holders = (
        ProfileAssignment.objects.filter(
            profile=OuterRef("pk"), is_target=False, membership__in=current
        )
        .order_by()
        .values("profile")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        FunctionProfile.objects.filter(network=network)
        .select_related("version__framework")
        .annotate(holders=Coalesce(Subquery(holders, output_field=IntegerField()), Value(0)))
        .order_by("name", "pk")
    )
