"""Reads for the framework and function-profile pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from gilde.competencies.access import frameworks_visible_to, profiles_visible_to
from gilde.competencies.models import (
    Competency,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    ProfileAssignment,
    VersionStatus,
)
from gilde.tenancy.models import Membership, NetworkMembershipStatus, Organisation


def _published_count() -> Subquery:
    return Subquery(
        Competency.objects.filter(
            version__framework=OuterRef("pk"), version__status=VersionStatus.PUBLISHED
        )
        .values("version__framework")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def framework_list(actor: Any) -> QuerySet[Framework]:
    """Frameworks the actor can see, with the number of their published version, its number of
    competencies, and whether a draft exists. One query."""
    return (
        frameworks_visible_to(actor)
        .select_related("network", "organisation")
        .annotate(
            published_number=Max(
                "versions__number", filter=Q(versions__status=VersionStatus.PUBLISHED)
            ),
            has_draft=Exists(
                FrameworkVersion.objects.filter(
                    framework=OuterRef("pk"), status=VersionStatus.DRAFT
                )
            ),
            competency_count=_published_count(),
        )
        .order_by("name")
    )


def versions_to_show(framework: Framework, *, can_edit: bool) -> list[FrameworkVersion]:
    """The version history: drafts only for those who may edit them, newest first."""
    versions = framework.versions.order_by("-number")
    if not can_edit:
        versions = versions.exclude(status=VersionStatus.DRAFT)
    return list(versions)


def pick_version(
    versions: list[FrameworkVersion], requested: str | None
) -> FrameworkVersion | None:
    """The version asked for (?version=N; 404 if there is no such visible version), else the
    published one, else the newest one shown."""
    if requested:
        try:
            number = int(requested)
        except ValueError:
            raise Http404 from None
        for version in versions:
            if version.number == number:
                return version
        raise Http404
    for version in versions:
        if version.status == VersionStatus.PUBLISHED:
            return version
    return versions[0] if versions else None


def version_competencies(version: FrameworkVersion) -> QuerySet[Competency]:
    """The competencies of a version in reading order: by category, then as placed."""
    return (
        version.competencies.select_related("category")
        .prefetch_related("descriptors")
        .order_by(
            F("category__position").asc(nulls_last=True),
            "category__name",
            "position",
            "code",
        )
    )


def parent_names(version: FrameworkVersion, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(version.competencies.filter(code__in=codes).values_list("code", "name"))


def published_versions_for(actor: Any) -> QuerySet[FrameworkVersion]:
    """The published versions the actor can build a profile on."""
    return (
        FrameworkVersion.objects.filter(
            framework__in=frameworks_visible_to(actor), status=VersionStatus.PUBLISHED
        )
        .select_related("framework")
        .order_by("framework__name")
    )


def _newest_published() -> Subquery:
    return Subquery(
        FrameworkVersion.objects.filter(
            framework=OuterRef("version__framework"), status=VersionStatus.PUBLISHED
        )
        .order_by("-number")
        .values("number")[:1],
        output_field=IntegerField(),
    )


def profile_list(actor: Any) -> QuerySet[FunctionProfile]:
    """Profiles the actor can see, with their number of requirements and the newest published
    version of their framework (to say when a profile is behind). One query."""
    return (
        profiles_visible_to(actor)
        .select_related("version__framework", "network", "organisation")
        .annotate(requirement_count=Count("requirements"), newest_number=_newest_published())
        .order_by("name")
    )


def profiles_for_organisation(organisation: Organisation) -> QuerySet[FunctionProfile]:
    """Profiles a membership of this organisation can get: the organisation's own and those of
    the networks it is a member of."""
    networks = organisation.network_memberships.filter(
        status=NetworkMembershipStatus.APPROVED
    ).values("network_id")
    return (
        FunctionProfile.objects.filter(Q(organisation=organisation) | Q(network_id__in=networks))
        .select_related("version__framework")
        .order_by("name")
    )


def function_profiles_of(person: Any) -> list[ProfileAssignment]:
    """The function profiles of a person's current memberships."""
    current = Membership.objects.current().filter(person=person).values("pk")
    return list(
        ProfileAssignment.objects.filter(person=person, membership__in=current, is_target=False)
        .select_related("profile__version__framework", "membership__organisation")
        .order_by("profile__name")
    )


def target_profile_of(person: Any) -> ProfileAssignment | None:
    return (
        ProfileAssignment.objects.filter(person=person, is_target=True)
        .select_related("profile__version__framework")
        .first()
    )
