"""The personal data sections of the apps at the bottom of Gilde: people (the account), tenancy
(memberships, roles, coaching, consents) and audit.

These apps must not import privacy, so their sections live here and are registered from
PrivacyConfig.ready(). Erasers run inside the erasure transaction *before* the account row itself
is anonymised, so `person.email` is still the real address while they run.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from gilde.privacy.registry import register

if TYPE_CHECKING:
    from gilde.people.models import Person


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _current(today: dt.date) -> Q:
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def _close(rows: Any) -> None:
    """End open date ranges: the last day becomes yesterday, or the first day for a range that
    starts today or later (the end can never lie before the start)."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for row in rows.filter(Q(end_date__isnull=True) | Q(end_date__gt=yesterday)):
        row.end_date = max(yesterday, row.start_date)
        row.save(update_fields=["end_date"])


# --- people: the account ----------------------------------------------------------------------


def account_export(person: Person) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from gilde.people.models import Invitation

    addresses = EmailAddress.objects.filter(user=person).order_by("email")
    authenticators = Authenticator.objects.filter(user=person).order_by("created_at")
    invitations = (
        Invitation.objects.filter(email__iexact=person.email)
        .select_related("organisation")
        .order_by("created_at")
    )
    return {
        "uuid": str(person.uuid),
        "email": person.email,
        "given_name": person.given_name,
        "infix": person.infix,
        "family_name": person.family_name,
        "display_name": person.display_name,
        "preferred_language": person.preferred_language,
        "date_joined": _iso(person.date_joined),
        "last_login": _iso(person.last_login),
        "is_active": person.is_active,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        # The kind and dates of each two-step log-in method; never its secret.
        "two_step_login": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in authenticators
        ],
        "invitations_received": [
            {
                "organisation": i.organisation.name,
                "created_at": _iso(i.created_at),
                "expires_at": _iso(i.expires_at),
                "accepted_at": _iso(i.accepted_at),
                "revoked_at": _iso(i.revoked_at),
            }
            for i in invitations
        ],
    }


def account_erase(person: Person) -> None:
    """Invitations sent to the person's address: open ones are withdrawn, and all of them lose
    the address and the name they carried."""
    from gilde.people.models import Invitation

    now = timezone.now()
    invitations = Invitation.objects.filter(email__iexact=person.email)
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    for invitation in invitations:
        invitation.email = f"erased-{invitation.uuid.hex}@invalid"
        invitation.given_name = ""
        invitation.infix = ""
        invitation.family_name = ""
        invitation.function_title = ""
        invitation.save(
            update_fields=["email", "given_name", "infix", "family_name", "function_title"]
        )


def imports_export(person: Person) -> dict[str, Any]:
    """HR files the person uploaded: when, for which organisation, how many lines. Not the lines
    themselves: those are other people's data."""
    from gilde.people.models import ImportBatch

    rows = ImportBatch.objects.filter(created_by=person).select_related("organisation")
    return {
        "imports_you_ran": [
            {
                "organisation": b.organisation.name,
                "filename": b.filename,
                "uploaded_at": _iso(b.created_at),
                "status": b.status,
                "lines": b.row_count,
                "applied_at": _iso(b.applied_at),
            }
            for b in rows.order_by("created_at")
        ]
    }


def imports_erase(person: Person) -> None:
    """An upload that was never confirmed still holds its lines; one that mentions the person's
    address is dropped (the admin can upload the file again). Confirmed imports hold no lines."""
    from gilde.people.models import ImportBatch, ImportBatchStatus

    ImportBatch.objects.filter(
        status=ImportBatchStatus.PENDING, rows__icontains=person.email.strip().lower()
    ).delete()


# --- tenancy ----------------------------------------------------------------------------------


def memberships_export(person: Person) -> dict[str, Any]:
    from gilde.tenancy.models import Membership

    rows = (
        Membership.objects.filter(person=person)
        .select_related("organisation", "team", "placed_by")
        .prefetch_related("roles")
        .order_by("start_date", "pk")
    )
    return {
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_kind": m.organisation.kind,
                "kind": m.kind,
                "team": m.team.name if m.team else None,
                "placed_by": m.placed_by.name if m.placed_by else None,
                "function_title": m.function_title,
                "employee_number": m.employee_number,
                "start_date": _iso(m.start_date),
                "end_date": _iso(m.end_date),
                "roles": sorted(r.role for r in m.roles.all()),
            }
            for m in rows
        ]
    }


def memberships_erase(person: Person) -> None:
    """Memberships stay (organisation, team and dates keep the numbers right) but lose what
    identifies the person; open ones end. The person stops being anyone's manager or mentor."""
    from gilde.tenancy.models import Membership

    today = timezone.localdate()
    mine = Membership.objects.filter(person=person)
    mine.update(employee_number="", function_title="")
    _close(mine)
    led = Membership.objects.filter(_current(today))
    led.filter(manager=person).update(manager=None)
    led.filter(mentor=person).update(mentor=None)


def network_applications_export(person: Person) -> dict[str, Any]:
    from gilde.tenancy.models import NetworkMembership

    rows = (
        NetworkMembership.objects.filter(contact_email__iexact=person.email)
        .select_related("network", "organisation")
        .order_by("applied_at")
    )
    return {
        "applications_as_contact_person": [
            {
                "network": r.network.name,
                "organisation": r.organisation.name,
                "status": r.status,
                "contact_name": r.contact_name,
                "contact_email": r.contact_email,
                "motivation": r.motivation,
                "applied_at": _iso(r.applied_at),
            }
            for r in rows
        ]
    }


def network_applications_erase(person: Person) -> None:
    from gilde.tenancy.models import NetworkMembership

    NetworkMembership.objects.filter(contact_email__iexact=person.email).update(
        contact_email="", contact_name=""
    )


def network_roles_export(person: Person) -> dict[str, Any]:
    from gilde.tenancy.models import NetworkRole

    rows = (
        NetworkRole.objects.filter(person=person).select_related("network").order_by("start_date")
    )
    return {
        "network_roles": [
            {
                "network": r.network.name,
                "role": r.role,
                "start_date": _iso(r.start_date),
                "end_date": _iso(r.end_date),
            }
            for r in rows
        ]
    }


def network_roles_erase(person: Person) -> None:
    from gilde.tenancy.models import NetworkRole

    _close(NetworkRole.objects.filter(person=person))


def coach_assignments_export(person: Person) -> dict[str, Any]:
    from gilde.tenancy.models import CoachAssignment

    rows = (
        CoachAssignment.objects.filter(Q(coach=person) | Q(person=person))
        .select_related("network")
        .order_by("start_date")
    )
    # Who the other side is, is someone else's personal data: the file says only which side
    # the person was on.
    return {
        "coach_assignments": [
            {
                "network": r.network.name,
                "you_are": "coach" if r.coach_id == person.pk else "coached",
                "start_date": _iso(r.start_date),
                "end_date": _iso(r.end_date),
            }
            for r in rows
        ]
    }


def coach_assignments_erase(person: Person) -> None:
    from gilde.tenancy.models import CoachAssignment

    _close(CoachAssignment.objects.filter(Q(coach=person) | Q(person=person)))


def consents_export(person: Person) -> dict[str, Any]:
    from gilde.tenancy.models import Consent

    rows = Consent.objects.filter(person=person).select_related("organisation").order_by("given_at")
    return {
        "consents": [
            {
                "organisation": c.organisation.name,
                "purpose": c.purpose,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in rows
        ]
    }


def consents_erase(person: Person) -> None:
    from gilde.tenancy.models import Consent

    Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


# --- audit ------------------------------------------------------------------------------------


def audit_export(person: Person) -> dict[str, Any]:
    """What was done by or to the person, and when. Not the details of each row: those can hold
    other people's data (the address someone invited, for instance)."""
    from gilde.audit.labels import action_label
    from gilde.audit.models import AuditEvent

    rows = (
        AuditEvent.objects.filter(Q(actor=person) | Q(subject=person))
        .select_related("organisation", "network")
        .order_by("created_at", "pk")
    )
    events = []
    for event in rows:
        you_were = []
        if event.actor_id == person.pk:
            you_were.append("actor")
        if event.subject_id == person.pk:
            you_were.append("subject")
        events.append(
            {
                "when": _iso(event.created_at),
                "action": event.action,
                "description": action_label(event.action),
                "organisation": event.organisation.name if event.organisation else None,
                "network": event.network.name if event.network else None,
                "you_were": you_were,
            }
        )
    return {"events": events}


def _scrub(value: Any, address: str) -> Any:
    if isinstance(value, str):
        return "" if value.strip().lower() == address else value
    if isinstance(value, list):
        return [_scrub(v, address) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, address) for k, v in value.items()}
    return value


def audit_erase(person: Person) -> None:
    """Audit rows stay (who did what, when) but no longer carry the person's address."""
    from gilde.audit.models import AuditEvent

    address = person.email.strip().lower()
    for event in AuditEvent.objects.filter(detail__icontains=address):
        scrubbed = _scrub(event.detail, address)
        if scrubbed != event.detail:
            event.detail = scrubbed
            event.save(update_fields=["detail"])


def register_sections() -> None:
    register(
        "account",
        export=account_export,
        erase=account_erase,
        covers=["people.Person", "people.Invitation", "account.EmailAddress", "mfa.Authenticator"],
    )
    register("imports", export=imports_export, erase=imports_erase, covers=["people.ImportBatch"])
    register(
        "memberships",
        export=memberships_export,
        erase=memberships_erase,
        covers=["tenancy.Membership"],
    )
    register(
        "network_applications",
        export=network_applications_export,
        erase=network_applications_erase,
        covers=["tenancy.NetworkMembership"],
    )
    register(
        "network_roles",
        export=network_roles_export,
        erase=network_roles_erase,
        covers=["tenancy.NetworkRole"],
    )
    register(
        "coach_assignments",
        export=coach_assignments_export,
        erase=coach_assignments_erase,
        covers=["tenancy.CoachAssignment"],
    )
    register("consents", export=consents_export, erase=consents_erase, covers=["tenancy.Consent"])
    register("audit", export=audit_export, erase=audit_erase, covers=["audit.AuditEvent"])
