"""Writes to networks, organisations, teams and memberships. Each function is one transaction
and leaves an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.tenancy.access import forget_standing
from gilde.tenancy.models import (
    Membership,
    MembershipKind,
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


class TenancyError(ValueError):
    """A business rule refused the change; the message is fit to show to the user."""


# Words that are path segments of our own URLs next to a slug (e.g. /org/invitation/<token>/,
# /competencies/frameworks/import/): never a slug.
RESERVED_SLUGS = {"invitation", "add", "new", "edit", "import", "me", "static", "media", "api"}


def unique_slug(model: Any, name: str, *, max_length: int = 50, **scope: Any) -> str:
    base = slugify(name)[:max_length] or "x"
    slug = base
    n = 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug, **scope).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


@transaction.atomic
def network_create(
    *, actor: Any, name: str, description: str = "", enrolment_open: bool = False, slug: str = ""
) -> Network:
    network = Network.objects.create(
        name=name,
        slug=slug or unique_slug(Network, name),
        description=description,
        enrolment_open=enrolment_open,
    )
    audit_record(actor=actor, action="network.create", network=network, name=name)
    return network


@transaction.atomic
def network_update(
    *, actor: Any, network: Network, name: str, description: str, enrolment_open: bool
) -> Network:
    network.name = name
    network.description = description
    network.enrolment_open = enrolment_open
    network.save(update_fields=["name", "description", "enrolment_open"])
    audit_record(
        actor=actor, action="network.update", network=network, enrolment_open=enrolment_open
    )
    return network


@transaction.atomic
def network_role_grant(*, actor: Any, network: Network, person: Any, role: str) -> NetworkRole:
    today = timezone.localdate()
    granted, created = NetworkRole.objects.get_or_create(
        network=network, person=person, role=role, defaults={"start_date": today}
    )
    if not created and granted.end_date is not None:
        granted.start_date = today
        granted.end_date = None
        granted.save(update_fields=["start_date", "end_date"])
    audit_record(
        actor=actor, action="network.role_grant", network=network, subject=person, role=role
    )
    forget_standing(person)
    return granted


@transaction.atomic
def network_role_end(*, actor: Any, held: NetworkRole) -> NetworkRole:
    """End a network role today. A network always keeps at least one coordinator."""
    if held.role == NetworkRoleKind.COORDINATOR:
        others = (
            NetworkRole.objects.select_for_update()
            .filter(network=held.network, role=NetworkRoleKind.COORDINATOR, end_date__isnull=True)
            .exclude(pk=held.pk)
        )
        if not others.exists():
            raise TenancyError(
                _("A network needs at least one coordinator. Appoint another first.")
            )
    # The end date is the last day the role counts: ending it now means it ended yesterday.
    held.end_date = timezone.localdate() - dt.timedelta(days=1)
    held.start_date = min(held.start_date, held.end_date)
    held.save(update_fields=["start_date", "end_date"])
    audit_record(
        actor=actor,
        action="network.role_end",
        network=held.network,
        subject=held.person,
        role=held.role,
    )
    forget_standing(held.person)
    return held


@transaction.atomic
def organisation_create(
    *, actor: Any, name: str, kind: str, city: str = "", slug: str = ""
) -> Organisation:
    if not name.strip():
        raise TenancyError(_("Give the organisation a name."))
    organisation = Organisation.objects.create(
        name=name.strip(),
        kind=kind,
        city=city.strip(),
        slug=slug or unique_slug(Organisation, name),
    )
    audit_record(actor=actor, action="organisation.create", organisation=organisation, name=name)
    return organisation


@transaction.atomic
def network_membership_add(
    *, actor: Any, network: Network, organisation: Organisation
) -> NetworkMembership:
    """A coordinator adds an organisation directly (founding members)."""
    place, _created = NetworkMembership.objects.update_or_create(
        network=network,
        organisation=organisation,
        defaults={
            "status": NetworkMembershipStatus.APPROVED,
            "decided_at": timezone.now(),
            "decided_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor, action="network.add_organisation", network=network, organisation=organisation
    )
    return place


@transaction.atomic
def network_apply(
    *,
    actor: Any,
    network: Network,
    organisation: Organisation | None = None,
    organisation_name: str = "",
    kind: str = "company",
    city: str = "",
    contact_name: str = "",
    contact_email: str = "",
    motivation: str = "",
) -> NetworkMembership:
    """An organisation applies to join an open network: a new one (by name) or one the applying
    person already administers."""
    if not network.enrolment_open:
        raise TenancyError(_("This network does not take applications at the moment."))
    if organisation is None:
        organisation = organisation_create(
            actor=actor, name=organisation_name, kind=kind, city=city
        )
    existing = NetworkMembership.objects.filter(network=network, organisation=organisation).first()
    if existing is not None and existing.status in (
        NetworkMembershipStatus.APPLIED,
        NetworkMembershipStatus.APPROVED,
    ):
        raise TenancyError(_("This organisation has already applied or is already a member."))
    application, _created = NetworkMembership.objects.update_or_create(
        network=network,
        organisation=organisation,
        defaults={
            "status": NetworkMembershipStatus.APPLIED,
            "applied_at": timezone.now(),
            "contact_name": contact_name.strip(),
            "contact_email": contact_email.strip().lower(),
            "motivation": motivation.strip(),
            "decided_at": None,
            "decided_by": None,
        },
    )
    audit_record(actor=actor, action="network.apply", network=network, organisation=organisation)
    return application


@transaction.atomic
def network_application_decide(
    *, actor: Any, application: NetworkMembership, approve: bool
) -> NetworkMembership:
    """A coordinator approves or rejects. (people.services.application_decide also invites the
    contact person of a new organisation.)"""
    locked = NetworkMembership.objects.select_for_update().get(pk=application.pk)
    if locked.status != NetworkMembershipStatus.APPLIED:
        raise TenancyError(_("This application has already been decided."))
    locked.status = (
        NetworkMembershipStatus.APPROVED if approve else NetworkMembershipStatus.REJECTED
    )
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        actor=actor,
        action="network.approve" if approve else "network.reject",
        network=locked.network,
        organisation=locked.organisation,
    )
    return locked


@transaction.atomic
def network_membership_leave(*, actor: Any, place: NetworkMembership) -> NetworkMembership:
    place.status = NetworkMembershipStatus.LEFT
    place.decided_at = timezone.now()
    place.decided_by = actor
    place.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        actor=actor, action="network.leave", network=place.network, organisation=place.organisation
    )
    return place


@transaction.atomic
def team_create(*, actor: Any, organisation: Organisation, name: str) -> Team:
    name = name.strip()
    if not name:
        raise TenancyError(_("Give the team a name."))
    if organisation.teams.filter(name__iexact=name).exists():
        raise TenancyError(_("There is already a team with this name."))
    team = Team.objects.create(
        organisation=organisation,
        name=name,
        slug=unique_slug(Team, name, organisation=organisation),
    )
    audit_record(actor=actor, action="team.create", organisation=organisation, team=name)
    return team


@transaction.atomic
def team_rename(*, actor: Any, team: Team, name: str) -> Team:
    name = name.strip()
    if not name:
        raise TenancyError(_("Give the team a name."))
    if team.organisation.teams.filter(name__iexact=name).exclude(pk=team.pk).exists():
        raise TenancyError(_("There is already a team with this name."))
    old = team.name
    team.name = name
    team.save(update_fields=["name"])
    audit_record(
        actor=actor, action="team.rename", organisation=team.organisation, old=old, new=name
    )
    return team


def _check_same_org(organisation: Organisation, team: Team | None, *people: Any) -> None:
    if team is not None and team.organisation_id != organisation.pk:
        raise TenancyError(_("That team belongs to another organisation."))
    for person in people:
        if (
            person is not None
            and not Membership.objects.current()
            .filter(organisation=organisation, person=person)
            .exists()
        ):
            raise TenancyError(_("The manager or mentor must work at this organisation."))


def _set_roles(membership: Membership, roles: Iterable[str]) -> tuple[set[str], set[str]]:
    wanted = {r for r in roles if r in Role.values}
    held = set(membership.roles.values_list("role", flat=True))
    MembershipRole.objects.filter(membership=membership, role__in=held - wanted).delete()
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in sorted(wanted - held)]
    )
    return wanted - held, held - wanted


@transaction.atomic
def membership_create(
    *,
    actor: Any,
    person: Any,
    organisation: Organisation,
    roles: Iterable[str] = (Role.LEARNER,),
    team: Team | None = None,
    manager: Any = None,
    mentor: Any = None,
    kind: str = MembershipKind.EMPLOYEE,
    placed_by: Organisation | None = None,
    function_title: str = "",
    employee_number: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
) -> Membership:
    _check_same_org(organisation, team, manager, mentor)
    start = start_date or timezone.localdate()
    if end_date is not None and end_date < start:
        raise TenancyError(_("The end date lies before the start date."))
    overlapping = Membership.objects.filter(person=person, organisation=organisation).filter(
        end_date__isnull=True
    ) | Membership.objects.filter(person=person, organisation=organisation, end_date__gte=start)
    if overlapping.exists():
        raise TenancyError(_("This person is already a member of this organisation."))
    membership = Membership.objects.create(
        person=person,
        organisation=organisation,
        team=team,
        manager=manager,
        mentor=mentor,
        kind=kind,
        placed_by=placed_by,
        function_title=function_title.strip(),
        employee_number=employee_number.strip(),
        start_date=start,
        end_date=end_date,
    )
    added, _removed = _set_roles(membership, roles)
    audit_record(
        actor=actor,
        action="membership.create",
        organisation=organisation,
        subject=person,
        roles=sorted(added),
        kind=kind,
    )
    forget_standing(person)
    return membership


@transaction.atomic
def membership_update(
    *,
    actor: Any,
    membership: Membership,
    team: Team | None,
    manager: Any,
    mentor: Any = None,
    function_title: str,
    employee_number: str = "",
    roles: Iterable[str] | None = None,
) -> Membership:
    organisation = membership.organisation
    _check_same_org(organisation, team, manager, mentor)
    if manager is not None and manager.pk == membership.person_id:
        raise TenancyError(_("A person cannot be their own manager."))
    changes: dict[str, Any] = {}
    if membership.team_id != (team.pk if team else None):
        changes["team"] = [
            membership.team.name if membership.team else "",
            team.name if team else "",
        ]
    if membership.manager_id != (manager.pk if manager else None):
        changes["manager"] = True
    membership.team = team
    membership.manager = manager
    membership.mentor = mentor
    membership.function_title = function_title.strip()
    membership.employee_number = employee_number.strip()
    membership.save(
        update_fields=["team", "manager", "mentor", "function_title", "employee_number"]
    )
    if roles is not None:
        roles = set(roles)
        if (
            Role.ORG_ADMIN not in roles
            and membership.person_id == getattr(actor, "pk", None)
            and membership.roles.filter(role=Role.ORG_ADMIN).exists()
        ):
            raise TenancyError(_("You cannot take away your own admin role."))
        added, removed = _set_roles(membership, roles)
        if added or removed:
            audit_record(
                actor=actor,
                action="membership.roles",
                organisation=organisation,
                subject=membership.person,
                added=sorted(added),
                removed=sorted(removed),
            )
    audit_record(
        actor=actor,
        action="membership.update",
        organisation=organisation,
        subject=membership.person,
        **changes,
    )
    forget_standing(membership.person)
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, end_date: dt.date) -> Membership:
    if end_date < membership.start_date:
        raise TenancyError(_("The end date lies before the start date."))
    if membership.person_id == getattr(actor, "pk", None):
        raise TenancyError(_("You cannot end your own membership."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action="membership.end",
        organisation=membership.organisation,
        subject=membership.person,
        end_date=end_date.isoformat(),
    )
    forget_standing(membership.person)
    return membership
