"""Writes about people: invitations, profile changes, and the steps that create accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.people.models import Invitation, Person
from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Role,
    Team,
)
from gilde.tenancy.services import (
    TenancyError,
    membership_create,
    network_application_decide,
    network_membership_add,
    organisation_create,
)

INVITATION_DAYS = 14


class PeopleError(TenancyError):
    """A rule about people refused the change; the message is fit to show to the user."""


def _send_invitation(invitation: Invitation) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse(
        "people:invitation-accept", args=[invitation.token]
    )
    send_mail(
        subject=_("Invitation to Gilde from %(org)s") % {"org": invitation.organisation.name},
        message=_(
            "Hello %(name)s,\n\n%(org)s invites you to Gilde, the learning platform of its network."
            "\nChoose your password here (the link works for %(days)d days):\n\n%(url)s\n"
        )
        % {
            "name": invitation.given_name or invitation.email,
            "org": invitation.organisation.name,
            "days": INVITATION_DAYS,
            "url": url,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    given_name: str = "",
    infix: str = "",
    family_name: str = "",
    team: Team | None = None,
    function_title: str = "",
    roles: Iterable[str] = (Role.LEARNER,),
) -> Invitation:
    email = email.strip().lower()
    if team is not None and team.organisation_id != organisation.pk:
        raise PeopleError(_("That team belongs to another organisation."))
    if Membership.objects.current().filter(organisation=organisation, person__email=email).exists():
        raise PeopleError(
            _("This e-mail address already belongs to a member of this organisation.")
        )
    open_invitation = Invitation.objects.filter(
        organisation=organisation,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()
    if open_invitation:
        raise PeopleError(_("An invitation for this e-mail address is still open."))
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        given_name=given_name.strip(),
        infix=infix.strip(),
        family_name=family_name.strip(),
        team=team,
        function_title=function_title.strip(),
        roles=sorted({r for r in roles if r in Role.values}),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        organisation=organisation,
        email=email,
        roles=invitation.roles,
    )
    transaction.on_commit(lambda: _send_invitation(invitation))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="invitation.revoke",
        organisation=invitation.organisation,
        email=invitation.email,
    )
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    password: str | None,
    given_name: str,
    infix: str,
    family_name: str,
    person: Person | None = None,
) -> Person:
    """Create (or, for a person already logged in with this e-mail, reuse) the account and the
    membership the invitation promised."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise PeopleError(_("This invitation has expired or has already been used."))
    if person is None:
        person = Person.objects.filter(email=locked.email).first()
        if person is not None:
            raise PeopleError(
                _(
                    "An account with this e-mail address exists. Log in first, then open the link again."
                )
            )
        person = Person.objects.create_user(
            locked.email,
            password,
            given_name=given_name.strip(),
            infix=infix.strip(),
            family_name=family_name.strip(),
        )
    elif person.email != locked.email:
        raise PeopleError(_("This invitation is for another e-mail address."))
    membership_create(
        actor=person,
        person=person,
        organisation=locked.organisation,
        roles=locked.roles or [Role.LEARNER],
        team=locked.team,
        function_title=locked.function_title,
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit_record(
        actor=person, action="invitation.accept", organisation=locked.organisation, subject=person
    )
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, given_name: str, infix: str, family_name: str, email: str
) -> Person:
    email = email.strip().lower()
    if Person.objects.filter(email=email).exclude(pk=person.pk).exists():
        raise PeopleError(_("This e-mail address is already used by another account."))
    person.given_name = given_name.strip()
    person.infix = infix.strip()
    person.family_name = family_name.strip()
    changed_email = person.email != email
    person.email = email
    person.save(update_fields=["given_name", "infix", "family_name", "email"])
    if changed_email:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=person).delete()
    audit_record(actor=actor, action="person.update", subject=person, email_changed=changed_email)
    return person


@transaction.atomic
def application_decide(
    *, actor: Any, application: NetworkMembership, approve: bool
) -> NetworkMembership:
    """Approve or reject an organisation's application; on approval of an organisation without
    an admin, invite its contact person as organisation admin."""
    decided = network_application_decide(actor=actor, application=application, approve=approve)
    if approve and decided.contact_email:
        has_admin = (
            Membership.objects.current()
            .filter(organisation=decided.organisation, roles__role=Role.ORG_ADMIN)
            .exists()
        )
        if not has_admin:
            given, _sep, family = decided.contact_name.partition(" ")
            invitation_create(
                actor=actor,
                organisation=decided.organisation,
                email=decided.contact_email,
                given_name=given,
                family_name=family,
                roles=[Role.ORG_ADMIN, Role.LEARNER],
            )
    return decided


@transaction.atomic
def organisation_admit(
    *,
    actor: Any,
    network: Network,
    name: str,
    kind: str,
    city: str = "",
    admin_name: str = "",
    admin_email: str = "",
) -> Organisation:
    """A coordinator adds an organisation to the network and invites its first administrator."""
    if Organisation.objects.filter(name__iexact=name.strip()).exists():
        raise PeopleError(
            _("An organisation with this name exists already. Ask it to apply to the network.")
        )
    organisation = organisation_create(actor=actor, name=name, kind=kind, city=city)
    network_membership_add(actor=actor, network=network, organisation=organisation)
    if admin_email:
        given, _sep, family = admin_name.strip().partition(" ")
        invitation_create(
            actor=actor,
            organisation=organisation,
            email=admin_email,
            given_name=given,
            family_name=family,
            roles=[Role.ORG_ADMIN, Role.LEARNER],
        )
    return organisation
