"""The access gateway: the only way views reach tenant data.

Every function answers "missing" and "not yours" the same way (Http404), so an outsider learns
nothing from probing identifiers. Cross-organisation visibility exists only through the explicit
rules at the bottom of this module (placement host, assigned coach, consent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gilde.tenancy.models import (
    CoachAssignment,
    Consent,
    Membership,
    MembershipRole,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRole,
    NetworkRoleKind,
    Organisation,
    Role,
    Team,
)

if TYPE_CHECKING:
    from gilde.people.models import Person


@dataclass
class Standing:
    """What one person may do, loaded once per request: their current memberships with roles
    and their network roles."""

    org_roles: dict[int, set[str]] = field(default_factory=dict)
    organisations: dict[int, Organisation] = field(default_factory=dict)
    network_roles: dict[int, set[str]] = field(default_factory=dict)
    networks: dict[int, Network] = field(default_factory=dict)

    def has_org_role(self, organisation_id: int, *roles: str) -> bool:
        held = self.org_roles.get(organisation_id, set())
        return any(role in held for role in roles)

    def is_coordinator(self, network_id: int) -> bool:
        return NetworkRoleKind.COORDINATOR in self.network_roles.get(network_id, set())

    def admin_organisations(self) -> list[Organisation]:
        return [self.organisations[o] for o, r in self.org_roles.items() if Role.ORG_ADMIN in r]

    def manager_organisations(self) -> list[Organisation]:
        return [self.organisations[o] for o, r in self.org_roles.items() if Role.MANAGER in r]

    def mentor_organisations(self) -> list[Organisation]:
        return [self.organisations[o] for o, r in self.org_roles.items() if Role.MENTOR in r]

    def coordinated_networks(self) -> list[Network]:
        return [
            self.networks[n]
            for n, r in self.network_roles.items()
            if NetworkRoleKind.COORDINATOR in r
        ]

    def coached_networks(self) -> list[Network]:
        return [
            self.networks[n] for n, r in self.network_roles.items() if NetworkRoleKind.COACH in r
        ]

    def all_roles(self) -> set[str]:
        roles: set[str] = set()
        for held in self.org_roles.values():
            roles |= held
        for held in self.network_roles.values():
            roles |= held
        return roles


def _today() -> dt.date:
    return timezone.localdate()


def standing_of(actor: Any) -> Standing:
    """Load (and cache on the actor object) what the actor may do. Two queries."""
    if not getattr(actor, "is_authenticated", False):
        return Standing()
    cached = getattr(actor, "_gilde_standing", None)
    if cached is not None:
        return cached
    standing = Standing()
    today = _today()
    memberships = (
        Membership.objects.current(today)
        .filter(person=actor)
        .select_related("organisation")
        .prefetch_related("roles")
    )
    for membership in memberships:
        org = membership.organisation
        standing.organisations[org.pk] = org
        held = standing.org_roles.setdefault(org.pk, set())
        held.update(r.role for r in membership.roles.all())
    network_roles = NetworkRole.objects.filter(
        Q(person=actor), Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
    ).select_related("network")
    for nr in network_roles:
        standing.networks[nr.network_id] = nr.network
        standing.network_roles.setdefault(nr.network_id, set()).add(nr.role)
    actor._gilde_standing = standing
    return standing


def forget_standing(actor: Any) -> None:
    if hasattr(actor, "_gilde_standing"):
        del actor._gilde_standing


# --- networks ---------------------------------------------------------------------------------


def networks_visible_to(actor: Any) -> QuerySet[Network]:
    """Networks the actor coordinates or coaches in, or whose member organisation employs them."""
    standing = standing_of(actor)
    return Network.objects.filter(
        Q(pk__in=list(standing.network_roles))
        | Q(
            memberships__organisation_id__in=list(standing.organisations),
            memberships__status=NetworkMembershipStatus.APPROVED,
        )
    ).distinct()


def access_network(actor: Any, slug: str, *, coordinator: bool = False) -> Network:
    standing = standing_of(actor)
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    if standing.is_coordinator(network.pk):
        return network
    if coordinator:
        raise Http404
    if network.pk in standing.network_roles:
        return network
    member = NetworkMembership.objects.filter(
        network=network,
        organisation_id__in=list(standing.organisations),
        status=NetworkMembershipStatus.APPROVED,
    ).exists()
    if not member:
        raise Http404
    return network


def access_open_network(slug: str) -> Network:
    """A network that accepts applications is public by its own choice: its name and description
    may be read by anyone, nothing else."""
    network = Network.objects.filter(slug=slug, enrolment_open=True).first()
    if network is None:
        raise Http404
    return network


def access_network_membership(actor: Any, network: Network, uuid: Any) -> NetworkMembership:
    """An application or membership of an organisation in a network the actor coordinates."""
    if not standing_of(actor).is_coordinator(network.pk):
        raise Http404
    found = (
        NetworkMembership.objects.filter(network=network, uuid=uuid)
        .select_related("organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- organisations ----------------------------------------------------------------------------


def access_organisation(actor: Any, slug: str, *roles: str) -> Organisation:
    """The organisation if the actor holds one of `roles` there (any current membership if no
    roles are named)."""
    standing = standing_of(actor)
    for org in standing.organisations.values():
        if org.slug == slug:
            if not roles or standing.has_org_role(org.pk, *roles):
                return org
            break
    raise Http404


def access_team(actor: Any, organisation: Organisation, slug: str) -> Team:
    if not standing_of(actor).has_org_role(organisation.pk, Role.ORG_ADMIN):
        raise Http404
    team = organisation.teams.filter(slug=slug).first()
    if team is None:
        raise Http404
    return team


def memberships_visible_to(actor: Any, organisation: Organisation) -> QuerySet[Membership]:
    """People of one organisation the actor may see: all of them for its admins, the people they
    manage or mentor for managers and mentors, only themselves otherwise."""
    standing = standing_of(actor)
    base = Membership.objects.filter(organisation=organisation)
    if standing.has_org_role(organisation.pk, Role.ORG_ADMIN):
        return base
    if organisation.pk not in standing.organisations:
        return base.none()
    today = _today()
    own_or_led = Q(person=actor)
    if standing.has_org_role(organisation.pk, Role.MANAGER):
        own_or_led |= Q(manager=actor)
    if standing.has_org_role(organisation.pk, Role.MENTOR):
        own_or_led |= Q(mentor=actor)
    return base.filter(own_or_led).filter(
        Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def access_membership(actor: Any, organisation: Organisation, uuid: Any) -> Membership:
    found = (
        memberships_visible_to(actor, organisation)
        .filter(uuid=uuid)
        .select_related("person", "team", "manager", "mentor", "placed_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_managed_membership(actor: Any, organisation: Organisation, uuid: Any) -> Membership:
    """A membership the actor may change: organisation admins only."""
    if not standing_of(actor).has_org_role(organisation.pk, Role.ORG_ADMIN):
        raise Http404
    return access_membership(actor, organisation, uuid)


# --- crossing organisations: the explicit rules ---------------------------------------------


def _current(prefix: str = "") -> Q:
    today = _today()
    return Q(**{f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})
    )


def is_placement_host(actor: Any, person: Person) -> bool:
    """The actor is admin, manager or mentor at an organisation where `person` is currently
    placed (a temp worker at a host company)."""
    standing = standing_of(actor)
    hosts = [
        org_id
        for org_id in standing.organisations
        if standing.has_org_role(org_id, Role.ORG_ADMIN, Role.MANAGER, Role.MENTOR)
    ]
    return (
        Membership.objects.filter(_current(), person=person, organisation_id__in=hosts)
        .exclude(placed_by__isnull=True)
        .exists()
    )


def is_assigned_coach(actor: Any, person: Person) -> bool:
    return CoachAssignment.objects.filter(_current(), coach=actor, person=person).exists()


def has_consent_for(actor: Any, person: Person) -> bool:
    """`person` consented to an organisation (a certifying body, say) that the actor administers."""
    admin_orgs = [o.pk for o in standing_of(actor).admin_organisations()]
    return Consent.objects.filter(
        person=person, organisation_id__in=admin_orgs, withdrawn_at__isnull=True
    ).exists()


def can_see_person(actor: Any, person: Person) -> bool:
    """The one rule for seeing a person's record, used by every app that shows one."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.pk == person.pk:
        return True
    standing = standing_of(actor)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    visible = Membership.objects.filter(_current(), person=person).filter(
        Q(organisation_id__in=admin_orgs) | Q(manager=actor) | Q(mentor=actor)
    )
    if visible.exists():
        return True
    return is_assigned_coach(actor, person) or has_consent_for(actor, person)


def admins_exist_subquery() -> Exists:
    return Exists(MembershipRole.objects.filter(membership=OuterRef("pk"), role=Role.ORG_ADMIN))
