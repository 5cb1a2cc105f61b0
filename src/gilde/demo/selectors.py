"""Who to log in as in the demo, read from the database: for every network and every role, the
account that holds that role there and still opens with the demo password."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.services import demo_password_hash
from gilde.people.models import Person
from gilde.tenancy.models import (
    Membership,
    MembershipKind,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRole,
    NetworkRoleKind,
    Organisation,
    Role,
)

# The order in which the log-ins are listed: from the widest view to the narrowest.
ROLE_ORDER: tuple[str, ...] = (
    NetworkRoleKind.COORDINATOR,
    NetworkRoleKind.COACH,
    Role.ORG_ADMIN,
    Role.MANAGER,
    Role.MENTOR,
    Role.AUTHOR,
    Role.LEARNER,
)
NETWORK_ROLES = frozenset(NetworkRoleKind.values)


def role_label(role: str) -> str:
    if role in NETWORK_ROLES:
        return str(NetworkRoleKind(role).label)
    return str(Role(role).label)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    network: str
    organisation: str
    email: str
    password: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Holder:
    person: Person
    organisation: Organisation | None
    placed: bool


def demo_logins() -> list[DemoLogin]:
    """One log-in per network and role. Where several people hold a role, the one with the
    fewest other roles is shown, so each log-in shows that role's home page most clearly; for
    learners a placed temp worker comes first. Five queries, however large the demo."""
    today = timezone.localdate()
    accounts = Person.objects.filter(
        password=demo_password_hash(), is_active=True, erased_at__isnull=True
    )
    memberships = list(
        Membership.objects.current(today)
        .filter(person__in=accounts)
        .select_related("person", "organisation")
        .prefetch_related("roles")
    )
    network_roles = list(
        NetworkRole.objects.filter(
            Q(person__in=accounts),
            Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
        ).select_related("person", "network")
    )
    org_ids = {m.organisation_id for m in memberships}
    places = list(
        NetworkMembership.objects.filter(
            organisation_id__in=org_ids, status=NetworkMembershipStatus.APPROVED
        ).select_related("network")
    )

    networks: dict[int, Network] = {p.network_id: p.network for p in places}
    networks.update({r.network_id: r.network for r in network_roles})
    networks_of_org: dict[int, set[int]] = defaultdict(set)
    for place in places:
        networks_of_org[place.organisation_id].add(place.network_id)

    roles_of_person: dict[int, set[str]] = defaultdict(set)
    memberships_of_person: dict[int, list[Membership]] = defaultdict(list)
    holders: dict[tuple[int, str], list[_Holder]] = defaultdict(list)
    for membership in memberships:
        held = {r.role for r in membership.roles.all()}
        roles_of_person[membership.person_id] |= held
        memberships_of_person[membership.person_id].append(membership)
        placed = membership.kind == MembershipKind.PLACEMENT
        for network_id in networks_of_org[membership.organisation_id]:
            for role in held:
                holders[(network_id, role)].append(
                    _Holder(membership.person, membership.organisation, placed)
                )
    for network_role in network_roles:
        roles_of_person[network_role.person_id].add(network_role.role)
        own = memberships_of_person[network_role.person_id]
        inside = [m for m in own if network_role.network_id in networks_of_org[m.organisation_id]]
        chosen = (inside or own)[0].organisation if (inside or own) else None
        holders[(network_role.network_id, network_role.role)].append(
            _Holder(network_role.person, chosen, False)
        )

    def rank(holder: _Holder) -> tuple[int, int, str]:
        return (
            len(roles_of_person[holder.person.pk]),
            0 if holder.placed else 1,
            holder.person.email,
        )

    logins: list[DemoLogin] = []
    for network in sorted(networks.values(), key=lambda n: n.pk):
        for role in ROLE_ORDER:
            found = holders.get((network.pk, role))
            if not found:
                continue
            best = min(found, key=rank)
            logins.append(
                DemoLogin(
                    role=str(role),
                    network=network.name,
                    organisation=best.organisation.name if best.organisation else "",
                    email=best.person.email,
                    password=DEMO_PASSWORD,
                )
            )
    return logins
