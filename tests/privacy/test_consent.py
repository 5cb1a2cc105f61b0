from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from gilde.audit.models import AuditEvent
from gilde.people.models import Person
from gilde.tenancy.access import can_see_person, forget_standing, has_consent_for
from gilde.tenancy.models import Consent, Organisation, OrganisationKind, Role
from gilde.tenancy.services import membership_create, network_membership_add, organisation_create
from tests.conftest import World, make_person


@dataclass
class Bodies:
    a: Organisation
    b: Organisation
    a_admin: Person


@pytest.fixture
def bodies(world: World) -> Bodies:
    """A certifying body in each network; the one in network A has an admin."""
    found = []
    for label, side in (("A", world.a), ("B", world.b)):
        body = organisation_create(
            actor=None, name=f"Keurmerk {label}", kind=OrganisationKind.CERTIFYING_BODY
        )
        network_membership_add(actor=None, network=side.network, organisation=body)
        found.append(body)
    admin = make_person("keur-a@example.org", "Kees", "Keurder")
    membership_create(actor=None, person=admin, organisation=found[0], roles=[Role.ORG_ADMIN])
    return Bodies(a=found[0], b=found[1], a_admin=admin)


def test_member_sees_only_certifying_bodies_of_own_networks(
    client: Client, world: World, bodies: Bodies
) -> None:
    client.force_login(world.a.learner)
    assert reverse("privacy:consent-give") in client.get(reverse("privacy:me")).content.decode()
    page = client.get(reverse("privacy:consent-give")).content.decode()
    assert bodies.a.name in page
    assert bodies.b.name not in page


def test_member_gives_and_withdraws_consent(client: Client, world: World, bodies: Bodies) -> None:
    learner = world.a.learner
    body_admin = bodies.a_admin
    assert not can_see_person(body_admin, learner)
    client.force_login(learner)
    response = client.post(
        reverse("privacy:consent-give"),
        {"organisation": bodies.a.slug, "purpose": "Verlenging van mijn certificaat"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=learner)
    assert consent.organisation == bodies.a and consent.withdrawn_at is None
    forget_standing(body_admin)
    assert has_consent_for(body_admin, learner)
    assert AuditEvent.objects.filter(
        action="consent.give", organisation=bodies.a, subject=learner
    ).exists()

    page = client.get(reverse("privacy:me")).content.decode()
    assert "Verlenging van mijn certificaat" in page
    withdraw_url = reverse("privacy:consent-withdraw", args=[consent.uuid])
    assert withdraw_url in page
    assert client.get(withdraw_url).status_code == 405

    assert client.post(withdraw_url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not has_consent_for(body_admin, learner)
    assert AuditEvent.objects.filter(action="consent.withdraw", subject=learner).exists()
    # Withdrawing twice finds nothing to withdraw.
    assert client.post(withdraw_url).status_code == 404


def test_forged_certifying_body_of_another_network_is_refused(
    client: Client, world: World, bodies: Bodies
) -> None:
    client.force_login(world.a.learner)
    for forged in (bodies.b.slug, world.a.org.slug, "bestaat-niet"):
        response = client.post(
            reverse("privacy:consent-give"), {"organisation": forged, "purpose": "Iets"}
        )
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert not Consent.objects.exists()


def test_empty_purpose_is_refused(client: Client, world: World, bodies: Bodies) -> None:
    client.force_login(world.a.learner)
    response = client.post(
        reverse("privacy:consent-give"), {"organisation": bodies.a.slug, "purpose": "  "}
    )
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_consent_cannot_be_given_twice(world: World, bodies: Bodies) -> None:
    from gilde.privacy.services import PrivacyError, consent_give

    consent_give(actor=world.a.learner, organisation=bodies.a, purpose="Certificaat")
    with pytest.raises(PrivacyError):
        consent_give(actor=world.a.learner, organisation=bodies.a, purpose="Nog eens")
    assert Consent.objects.count() == 1


def test_others_cannot_withdraw_a_persons_consent(
    client: Client, world: World, bodies: Bodies
) -> None:
    from gilde.privacy.services import consent_give

    consent = consent_give(actor=world.a.learner, organisation=bodies.a, purpose="Certificaat")
    url = reverse("privacy:consent-withdraw", args=[consent.uuid])
    for persona in (world.a.admin, world.a.manager, world.b.learner, bodies.a_admin):
        client.force_login(persona)
        assert client.post(url).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
