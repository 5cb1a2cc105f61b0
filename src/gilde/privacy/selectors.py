"""Reads about one person's own record: what they see on "My details", what they may consent to,
and everything export puts in the file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gilde.privacy.registry import sections
from gilde.tenancy.access import networks_visible_to
from gilde.tenancy.models import (
    Consent,
    Membership,
    NetworkMembershipStatus,
    NetworkRole,
    Organisation,
    OrganisationKind,
    Role,
)

if TYPE_CHECKING:
    from gilde.people.models import Person

EXPORT_FORMAT = "gilde-personal-data/1"


def membership_history(*, person: Person) -> QuerySet[Membership]:
    """Every membership of the person in every organisation, current and past, newest first:
    the record that moves with the worker."""
    return (
        Membership.objects.filter(person=person)
        .select_related("organisation", "team", "placed_by")
        .prefetch_related("roles")
        .order_by("-start_date", "-pk")
    )


def network_role_list(*, person: Person) -> QuerySet[NetworkRole]:
    return (
        NetworkRole.objects.filter(person=person)
        .select_related("network")
        .order_by("-start_date", "network__name")
    )


def consent_list(*, person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(person=person)
        .select_related("organisation")
        .order_by("withdrawn_at", "-given_at")
    )


def consent_get_active(*, person: Person, uuid: Any) -> Consent | None:
    """One of the person's own consents that is still in force (None if it is not theirs, does
    not exist or was already withdrawn)."""
    return (
        Consent.objects.filter(person=person, uuid=uuid, withdrawn_at__isnull=True)
        .select_related("organisation")
        .first()
    )


def certifying_body_list(*, person: Person) -> QuerySet[Organisation]:
    """Certifying bodies the person may consent to: approved members of a network the person
    belongs to, minus those that already have the person's consent."""
    networks = networks_visible_to(person)
    already = Consent.objects.filter(person=person, withdrawn_at__isnull=True).values(
        "organisation_id"
    )
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.CERTIFYING_BODY,
            network_memberships__network__in=networks,
            network_memberships__status=NetworkMembershipStatus.APPROVED,
        )
        .exclude(pk__in=already)
        .distinct()
        .order_by("name")
    )


def handover_needed(*, person: Person) -> list[Organisation]:
    """Organisations where the person is the only current organisation admin: someone else must
    become admin there before the account can be erased."""
    today = timezone.localdate()
    current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    mine = Membership.objects.filter(current, person=person, roles__role=Role.ORG_ADMIN).values(
        "organisation_id"
    )
    covered = (
        Membership.objects.filter(
            current,
            organisation_id__in=mine,
            roles__role=Role.ORG_ADMIN,
            person__is_active=True,
        )
        .exclude(person=person)
        .values("organisation_id")
    )
    return list(Organisation.objects.filter(pk__in=mine).exclude(pk__in=covered).order_by("name"))


def has_current_membership(*, person: Person) -> bool:
    return Membership.objects.current().filter(person=person).exists()


def personal_data_collect(*, person: Person) -> dict[str, Any]:
    """Everything Gilde holds about the person, one key per registered section."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person": str(person.uuid),
        "sections": {section.name: section.export(person) for section in sections()},
    }
