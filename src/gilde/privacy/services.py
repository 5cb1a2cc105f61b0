"""Writes a person makes about their own record: their account details, consents, the download
of their data and the erasure of their account. Each is one transaction with an audit row."""

from __future__ import annotations

import uuid
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.people.models import Person
from gilde.people.services import person_update
from gilde.privacy.registry import sections
from gilde.privacy.selectors import (
    certifying_body_list,
    handover_needed,
    has_current_membership,
    personal_data_collect,
)
from gilde.tenancy.access import forget_standing, standing_of
from gilde.tenancy.models import (
    Consent,
    Membership,
    Network,
    NetworkRole,
    NetworkRoleKind,
    Organisation,
    OrganisationKind,
)

# Stored data, not interface text: every viewer sees the same name for an erased account.
ERASED_NAME = "Verwijderde gebruiker"


class PrivacyError(ValueError):
    """A rule refused the change; the message is fit to show to the user."""


@transaction.atomic
def account_update(
    *,
    actor: Any,
    person: Person,
    given_name: str,
    infix: str,
    family_name: str,
    email: str,
    preferred_language: str,
) -> Person:
    """A person changes their own name, e-mail address and language."""
    if preferred_language not in dict(settings.LANGUAGES):
        raise PrivacyError(_("Choose one of the languages in the list."))
    person_update(
        actor=actor,
        person=person,
        given_name=given_name,
        infix=infix,
        family_name=family_name,
        email=email,
    )
    if person.preferred_language != preferred_language:
        person.preferred_language = preferred_language
        person.save(update_fields=["preferred_language"])
        audit_record(
            actor=actor, action="person.update", subject=person, language=preferred_language
        )
    return person


@transaction.atomic
def consent_give(*, actor: Any, organisation: Organisation, purpose: str) -> Consent:
    """The actor lets a certifying body in one of their networks see their record."""
    purpose = purpose.strip()
    if not purpose:
        raise PrivacyError(_("Say what the organisation may use your record for."))
    if len(purpose) > 200:
        raise PrivacyError(_("Keep the purpose under 200 characters."))
    if organisation.kind != OrganisationKind.CERTIFYING_BODY:
        raise PrivacyError(_("You can only give consent to a certifying body."))
    if not certifying_body_list(person=actor).filter(pk=organisation.pk).exists():
        raise PrivacyError(_("You cannot give consent to this organisation, or you already have."))
    consent = Consent.objects.create(person=actor, organisation=organisation, purpose=purpose)
    audit_record(actor=actor, action="consent.give", organisation=organisation, subject=actor)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent) -> Consent:
    locked = Consent.objects.select_for_update().select_related("organisation").get(pk=consent.pk)
    if locked.person_id != getattr(actor, "pk", None):
        raise PrivacyError(_("Only the person who gave a consent can withdraw it."))
    if locked.withdrawn_at is not None:
        raise PrivacyError(_("This consent has already been withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor, action="consent.withdraw", organisation=locked.organisation, subject=actor
    )
    return locked


@transaction.atomic
def personal_data_export(*, actor: Any, person: Person) -> dict[str, Any]:
    """Everything about the person as one dictionary, ready for a JSON file. Only the person
    themselves may download it."""
    if getattr(actor, "pk", None) != person.pk:
        raise PrivacyError(_("Only the person themselves can download their data."))
    data = personal_data_collect(person=person)
    audit_record(
        actor=actor, action="privacy.export", subject=person, sections=sorted(data["sections"])
    )
    return data


def sole_coordinator_of(*, person: Person) -> list[Network]:
    """Networks that would be left without a coordinator if `person` went."""
    today = timezone.localdate()
    current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    mine = NetworkRole.objects.filter(current, person=person, role=NetworkRoleKind.COORDINATOR)
    networks = []
    for held in mine.select_related("network"):
        others = NetworkRole.objects.filter(
            current, network=held.network, role=NetworkRoleKind.COORDINATOR
        ).exclude(person=person)
        if not others.exists():
            networks.append(held.network)
    return networks


def _erasure_organisations(actor: Any, person: Person) -> list[Organisation]:
    """The organisations whose audit trail records the erasure; also checks who may erase."""
    if getattr(actor, "pk", None) == person.pk:
        refused = handover_needed(person=person)
        if refused:
            raise PrivacyError(
                _(
                    "You are the only organisation admin of %(orgs)s. Make someone else admin "
                    "there first; then you can erase your account."
                )
                % {"orgs": ", ".join(o.name for o in refused)}
            )
        alone = sole_coordinator_of(person=person)
        if alone:
            raise PrivacyError(
                _(
                    "You are the only coordinator of %(networks)s. Appoint another coordinator "
                    "first; then you can erase your account."
                )
                % {"networks": ", ".join(n.name for n in alone)}
            )
        return list(
            Organisation.objects.filter(
                pk__in=Membership.objects.current().filter(person=person).values("organisation_id")
            ).order_by("name")
        )
    admin_ids = [o.pk for o in standing_of(actor).admin_organisations()]
    shared = list(
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(person=person, organisation_id__in=admin_ids).values(
                "organisation_id"
            )
        ).order_by("name")
    )
    if not shared:
        raise PrivacyError(_("You can only erase former members of your own organisation."))
    if has_current_membership(person=person):
        raise PrivacyError(
            _(
                "This person still works at an organisation in Gilde. Only people who no longer "
                "work anywhere in Gilde can be erased by an organisation."
            )
        )
    return shared


@transaction.atomic
def person_erase(*, actor: Any, person: Person) -> Person:
    """Anonymise a person and keep the numbers right: the account keeps its row (so memberships,
    teams and dates still count) but loses everything that says who it was. Every registered
    section erases its part first, while the real address is still known.

    The person themselves may do this, unless they are the only admin of an organisation; an
    organisation admin may do it for a former member who works nowhere in Gilde any more."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.erased_at is not None:
        raise PrivacyError(_("This account has already been erased."))
    organisations = _erasure_organisations(actor, locked)
    by_self = getattr(actor, "pk", None) == locked.pk

    for section in sections():
        if section.erase is not None:
            section.erase(locked)

    EmailAddress.objects.filter(user=locked).delete()
    Authenticator.objects.filter(user=locked).delete()
    locked.groups.clear()
    locked.user_permissions.clear()
    locked.given_name = ERASED_NAME
    locked.infix = ""
    locked.family_name = ""
    locked.email = f"erased-{uuid.uuid4().hex}@invalid"
    locked.preferred_language = settings.LANGUAGE_CODE
    # A new (unusable) password hash also invalidates every session of the account: Django
    # checks the session against the password hash on each request.
    locked.set_unusable_password()
    locked.is_active = False
    locked.is_staff = False
    locked.is_superuser = False
    locked.last_login = None
    locked.erased_at = timezone.now()
    locked.save()

    where: list[Organisation | None] = list(organisations) or [None]
    for organisation in where:
        audit_record(
            actor=actor,
            action="person.erase",
            organisation=organisation,
            subject=locked,
            by="self" if by_self else "organisation",
        )
    forget_standing(locked)
    forget_standing(person)
    return locked
