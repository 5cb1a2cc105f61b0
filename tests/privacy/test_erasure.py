from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEvent
from gilde.people.models import Person
from gilde.people.services import invitation_create
from gilde.privacy import registry
from gilde.privacy.services import PrivacyError, consent_give, person_erase
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    NetworkRole,
    OrganisationKind,
    Role,
)
from gilde.tenancy.services import (
    membership_create,
    membership_end,
    network_membership_add,
    organisation_create,
)
from tests.conftest import PASSWORD, World


def snapshot(person: Person) -> dict[str, Any]:
    person.refresh_from_db()
    return {
        "person": (person.email, person.display_name, person.is_active, person.erased_at),
        "password_usable": person.has_usable_password(),
        "memberships": list(
            Membership.objects.filter(person=person)
            .order_by("pk")
            .values_list("function_title", "employee_number", "end_date")
        ),
        "audit": AuditEvent.objects.count(),
    }


def test_erase_page_explains_what_happens(client: Client, world: World) -> None:
    client.force_login(world.a.learner)
    page = client.get(reverse("privacy:erase")).content.decode()
    assert "Verwijderde gebruiker" in page
    assert 'name="email"' in page and 'name="password"' in page


def test_wrong_confirmation_changes_nothing(client: Client, world: World) -> None:
    learner = world.a.learner
    before = snapshot(learner)
    client.force_login(learner)
    for data in (
        {"email": learner.email, "password": "wrong-password"},
        {"email": world.a.admin.email, "password": PASSWORD},
        {"email": "", "password": ""},
    ):
        response = client.post(reverse("privacy:erase"), data)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert snapshot(learner) == before


def test_person_erases_own_account(client: Client, world: World) -> None:
    learner = world.a.learner
    old_email = learner.email
    membership = world.a.learner_membership
    membership.employee_number = "4711"
    membership.save(update_fields=["employee_number"])
    EmailAddress.objects.create(user=learner, email=old_email, verified=True, primary=True)
    Authenticator.objects.create(user=learner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    invitation = invitation_create(actor=world.b.admin, organisation=world.b.org, email=old_email)
    body = organisation_create(actor=None, name="Keurmerk", kind=OrganisationKind.CERTIFYING_BODY)
    network_membership_add(actor=None, network=world.a.network, organisation=body)
    consent = consent_give(actor=learner, organisation=body, purpose="Certificaat")
    people_in_org = Membership.objects.filter(organisation=world.a.org).count()
    in_team = Membership.objects.filter(team=world.a.team).count()

    other_device = Client()
    other_device.force_login(learner)
    assert other_device.get(reverse("privacy:me")).status_code == 200

    client.force_login(learner)
    response = client.post(reverse("privacy:erase"), {"email": old_email, "password": PASSWORD})
    assert response.status_code == 302

    learner.refresh_from_db()
    assert learner.display_name == "Verwijderde gebruiker"
    assert learner.email.startswith("erased-") and learner.email.endswith("@invalid")
    assert not learner.has_usable_password()
    assert not learner.is_active and learner.erased_at is not None
    assert not EmailAddress.objects.filter(user=learner).exists()
    assert not Authenticator.objects.filter(user=learner).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and invitation.email != old_email

    # The numbers stay right: the membership rows, their team and start date are kept.
    assert Membership.objects.filter(organisation=world.a.org).count() == people_in_org
    assert Membership.objects.filter(team=world.a.team).count() == in_team
    membership.refresh_from_db()
    assert membership.function_title == "" and membership.employee_number == ""
    assert membership.start_date == world.a.learner_membership.start_date
    assert membership.end_date is not None and not membership.is_current
    assert not CoachAssignment.objects.filter(person=learner, end_date__isnull=True).exists()

    # Logged out here and on every other device; the old log-in no longer works.
    assert client.get(reverse("privacy:me")).status_code == 302
    assert other_device.get(reverse("privacy:me")).status_code == 302
    assert not Client().login(email=old_email, password=PASSWORD)

    erase_rows = AuditEvent.objects.filter(action="person.erase", subject=learner)
    assert list(erase_rows.values_list("organisation", flat=True)) == [world.a.org.pk]
    for detail in AuditEvent.objects.values_list("detail", flat=True):
        assert old_email not in str(detail)


def test_erased_person_is_no_longer_anyones_manager(world: World) -> None:
    manager = world.a.manager
    person_erase(actor=manager, person=manager)
    world.a.learner_membership.refresh_from_db()
    assert world.a.learner_membership.manager is None


def test_coordinator_erasure_ends_network_role(world: World) -> None:
    coordinator = world.a.coordinator
    NetworkRole.objects.create(network=world.a.network, person=world.a.coach, role="coordinator")
    person_erase(actor=coordinator, person=coordinator)
    role = NetworkRole.objects.get(person=coordinator, role="coordinator")
    assert role.end_date is not None and role.end_date >= role.start_date
    assert role.end_date < timezone.localdate() or role.start_date == timezone.localdate()


def test_only_admin_is_told_to_hand_over_and_nothing_changes(client: Client, world: World) -> None:
    admin = world.a.admin
    before = snapshot(admin)
    client.force_login(admin)
    page = client.get(reverse("privacy:erase")).content.decode()
    assert world.a.org.name in page and 'name="password"' not in page
    response = client.post(reverse("privacy:erase"), {"email": admin.email, "password": PASSWORD})
    assert response.status_code == 200
    assert world.a.org.name in response.content.decode()
    assert snapshot(admin) == before
    with pytest.raises(PrivacyError):
        person_erase(actor=admin, person=admin)
    assert snapshot(admin) == before


def test_admin_can_erase_own_account_once_someone_else_is_admin(world: World) -> None:
    admin = world.a.admin
    membership_create(
        actor=admin, person=world.b.learner, organisation=world.a.org, roles=[Role.ORG_ADMIN]
    )
    person_erase(actor=admin, person=admin)
    admin.refresh_from_db()
    assert admin.erased_at is not None


@pytest.fixture
def former_member(world: World) -> Membership:
    """Lotte (learner A) left Org A last month and works nowhere else."""
    membership = world.a.learner_membership
    membership_end(
        actor=world.a.admin,
        membership=membership,
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )
    return membership


def test_org_admin_erases_a_former_member(
    client: Client, world: World, former_member: Membership
) -> None:
    url = reverse("privacy:erase-member", args=[world.a.org.slug, former_member.uuid])
    person = former_member.person
    client.force_login(world.a.admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "someone-else@example.org"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.erased_at is None

    response = client.post(url, {"email": person.email})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None and person.display_name == "Verwijderde gebruiker"
    assert AuditEvent.objects.filter(
        action="person.erase", organisation=world.a.org, actor=world.a.admin, subject=person
    ).exists()
    former_member.refresh_from_db()
    assert former_member.end_date == timezone.localdate() - dt.timedelta(days=1)


def test_others_cannot_reach_the_erase_member_page(
    client: Client, world: World, former_member: Membership
) -> None:
    url = reverse("privacy:erase-member", args=[world.a.org.slug, former_member.uuid])
    person = former_member.person
    for persona in (world.a.manager, world.a.mentor, world.a.coordinator, world.b.admin):
        client.force_login(persona)
        assert client.get(url).status_code == 404
        assert client.post(url, {"email": person.email}).status_code == 404
    # An admin of another organisation cannot use their own slug with A's membership either.
    client.force_login(world.b.admin)
    forged = reverse("privacy:erase-member", args=[world.b.org.slug, former_member.uuid])
    assert client.post(forged, {"email": person.email}).status_code == 404
    person.refresh_from_db()
    assert person.erased_at is None


def test_org_admin_cannot_erase_someone_who_still_works(client: Client, world: World) -> None:
    url = reverse("privacy:erase-member", args=[world.a.org.slug, world.placement.uuid])
    worker = world.temp_worker
    membership_end(
        actor=world.a.admin,
        membership=world.placement,
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )
    before = snapshot(worker)
    client.force_login(world.a.admin)
    page = client.get(url).content.decode()
    assert 'name="email"' not in page
    response = client.post(url, {"email": worker.email})
    assert response.status_code == 200
    assert snapshot(worker) == before
    with pytest.raises(PrivacyError):
        person_erase(actor=world.a.admin, person=worker)
    assert snapshot(worker) == before


def test_an_app_section_erases_its_part_while_the_address_is_still_known(
    world: World,
) -> None:
    seen: list[str] = []

    def erase(person: Person) -> None:
        seen.append(person.email)

    registry.register("test_section", export=lambda person: {"x": 1}, erase=erase)
    try:
        person_erase(actor=world.b.learner, person=world.b.learner)
    finally:
        del registry._sections["test_section"]
    assert seen == ["learner-b@example.org"]


def test_erasure_is_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    learner = world.b.learner
    before = snapshot(learner)

    def broken(person: Person) -> None:
        raise RuntimeError("disk full")

    registry.register("broken_section", export=lambda person: {}, erase=broken)
    try:
        with pytest.raises(RuntimeError):
            person_erase(actor=learner, person=learner)
    finally:
        del registry._sections["broken_section"]
    assert snapshot(learner) == before


@pytest.fixture(autouse=True)
def _registry_is_left_clean() -> Iterator[None]:
    names = [s.name for s in registry.sections()]
    yield
    assert [s.name for s in registry.sections()] == names


def test_the_only_coordinator_of_a_network_must_hand_over_first(world: World) -> None:
    from gilde.privacy.services import PrivacyError, person_erase

    with pytest.raises(PrivacyError):
        person_erase(actor=world.a.coordinator, person=world.a.coordinator)
    world.a.coordinator.refresh_from_db()
    assert world.a.coordinator.erased_at is None
