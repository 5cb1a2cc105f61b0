"""The competency part of the access gateway. Frameworks and profiles are visible to the people
of their owner (a network's member organisations, or one organisation); ratings follow the
foundation's rules for seeing and leading people."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from gilde.competencies.models import Framework, FunctionProfile, RaterRole
from gilde.tenancy.access import (
    can_see_person,
    is_assigned_coach,
    networks_visible_to,
    standing_of,
)
from gilde.tenancy.models import Membership, Role


def frameworks_visible_to(actor: Any) -> QuerySet[Framework]:
    standing = standing_of(actor)
    networks = networks_visible_to(actor).values("pk")
    return Framework.objects.filter(
        Q(network__in=networks) | Q(organisation_id__in=list(standing.organisations))
    )


def can_edit_framework(actor: Any, framework: Framework) -> bool:
    standing = standing_of(actor)
    if framework.network_id is not None:
        return standing.is_coordinator(framework.network_id)
    return standing.has_org_role(framework.organisation_id or 0, Role.ORG_ADMIN)


def access_framework(actor: Any, slug: str, *, edit: bool = False) -> Framework:
    framework = frameworks_visible_to(actor).filter(slug=slug).first()
    if framework is None or (edit and not can_edit_framework(actor, framework)):
        raise Http404
    return framework


def profiles_visible_to(actor: Any) -> QuerySet[FunctionProfile]:
    standing = standing_of(actor)
    networks = networks_visible_to(actor).values("pk")
    return FunctionProfile.objects.filter(
        Q(network__in=networks) | Q(organisation_id__in=list(standing.organisations))
    )


def access_profile(actor: Any, slug: str, *, edit: bool = False) -> FunctionProfile:
    profile = profiles_visible_to(actor).filter(slug=slug).select_related("version").first()
    if profile is None:
        raise Http404
    if edit:
        standing = standing_of(actor)
        allowed = (
            standing.is_coordinator(profile.network_id)
            if profile.network_id is not None
            else standing.has_org_role(profile.organisation_id or 0, Role.ORG_ADMIN)
        )
        if not allowed:
            raise Http404
    return profile


def rater_role_for(actor: Any, person: Any) -> str | None:
    """The role in which `actor` may rate `person`, or None if they may not. One person can be
    several things to another; the strongest validating role wins."""
    if not getattr(actor, "is_authenticated", False):
        return None
    if actor.pk == person.pk:
        return RaterRole.SELF
    standing = standing_of(actor)
    current = Membership.objects.current().filter(person=person)
    admin_orgs = [o.pk for o in standing.admin_organisations()]
    if current.filter(Q(manager=actor) | Q(organisation_id__in=admin_orgs)).exists():
        return RaterRole.MANAGER
    if is_assigned_coach(actor, person):
        return RaterRole.ASSESSOR
    if current.filter(mentor=actor).exists():
        return RaterRole.MENTOR
    own_teams = Membership.objects.current().filter(person=actor, team__isnull=False)
    if current.filter(team_id__in=own_teams.values("team_id")).exists():
        return RaterRole.PEER
    return None


def can_see_levels_of(actor: Any, person: Any) -> bool:
    return can_see_person(actor, person)
