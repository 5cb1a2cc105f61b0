from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from gilde.audit.models import AuditEvent
from gilde.people.models import Invitation
from gilde.tenancy.models import NetworkMembership, NetworkMembershipStatus, Organisation
from tests.conftest import World


def test_a_firm_applies_to_an_open_network_and_a_coordinator_approves(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("tenancy:apply", args=[world.a.network.slug])
    response = client.post(
        url,
        {
            "organisation_name": "Metaalwerk Nieuw",
            "kind": "company",
            "city": "Arnhem",
            "contact_name": "Sanne de Vries",
            "contact_email": "Sanne@metaalnieuw.example",
            "motivation": "We willen leren van andere bedrijven.",
        },
    )
    assert response.status_code == 200
    application = NetworkMembership.objects.get(organisation__name="Metaalwerk Nieuw")
    assert application.status == NetworkMembershipStatus.APPLIED

    coordinator = Client()
    coordinator.force_login(world.a.coordinator)
    page = coordinator.get(reverse("tenancy:applications", args=[world.a.network.slug]))
    assert "Metaalwerk Nieuw" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            reverse("tenancy:application-decide", args=[world.a.network.slug, application.uuid]),
            {"decision": "approve"},
        )
    application.refresh_from_db()
    assert application.status == NetworkMembershipStatus.APPROVED
    assert application.decided_by == world.a.coordinator
    invitation = Invitation.objects.get(organisation=application.organisation)
    assert invitation.email == "sanne@metaalnieuw.example"
    assert "org_admin" in invitation.roles
    assert [m.to for m in mail.outbox] == [["sanne@metaalnieuw.example"]]
    assert AuditEvent.objects.filter(action="network.approve").count() == 1
    members = coordinator.get(reverse("tenancy:organisations", args=[world.a.network.slug]))
    assert "Metaalwerk Nieuw" in members.content.decode()


def test_a_closed_network_takes_no_applications(client: Client, world: World) -> None:
    assert not world.b.network.enrolment_open
    response = client.get(reverse("tenancy:apply", args=[world.b.network.slug]))
    assert response.status_code == 404


def test_an_application_cannot_be_decided_twice(client: Client, world: World) -> None:
    client.post(
        reverse("tenancy:apply", args=[world.a.network.slug]),
        {
            "organisation_name": "Dubbel BV",
            "kind": "company",
            "contact_name": "X Y",
            "contact_email": "x@y.example",
        },
    )
    application = NetworkMembership.objects.get(organisation__name="Dubbel BV")
    client.force_login(world.a.coordinator)
    url = reverse("tenancy:application-decide", args=[world.a.network.slug, application.uuid])
    client.post(url, {"decision": "reject"})
    response = client.post(url, {"decision": "approve"}, follow=True)
    application.refresh_from_db()
    assert application.status == NetworkMembershipStatus.REJECTED
    assert "Over deze aanmelding is al beslist." in response.content.decode()


def test_an_application_with_missing_fields_shows_errors_and_creates_nothing(
    client: Client, world: World
) -> None:
    before = Organisation.objects.count()
    response = client.post(
        reverse("tenancy:apply", args=[world.a.network.slug]),
        {"organisation_name": "", "kind": "nonsense", "contact_email": "not-an-address"},
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("persona", ["org_admin", "manager", "learner", "coach"])
def test_only_coordinators_see_the_organisation_list(
    client: Client, world: World, persona: str
) -> None:
    client.force_login(world.a.personas()[persona])
    assert (
        client.get(reverse("tenancy:organisations", args=[world.a.network.slug])).status_code == 404
    )
    assert (
        client.get(reverse("tenancy:applications", args=[world.a.network.slug])).status_code == 404
    )


def test_a_member_sees_which_firms_take_part_but_not_their_people(
    client: Client, world: World
) -> None:
    client.force_login(world.a.learner)
    page = client.get(reverse("tenancy:network", args=[world.a.network.slug])).content.decode()
    assert world.agency.name in page
    assert world.temp_worker.email not in page


def test_the_coordinator_list_counts_people_per_organisation_in_constant_queries(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    from gilde.tenancy.models import OrganisationKind
    from gilde.tenancy.services import network_membership_add, organisation_create

    client.force_login(world.a.coordinator)
    url = reverse("tenancy:organisations", args=[world.a.network.slug])
    client.get(url)
    with django_assert_max_num_queries(12) as small:  # type: ignore[operator]
        client.get(url)
    for i in range(40):
        org = organisation_create(actor=None, name=f"Extra {i}", kind=OrganisationKind.COMPANY)
        network_membership_add(actor=None, network=world.a.network, organisation=org)
    with django_assert_max_num_queries(len(small.captured_queries)):  # type: ignore[attr-defined]
        response = client.get(url)
    assert "Extra 39" in response.content.decode()


def test_a_coordinator_adds_an_organisation_and_its_admin_is_invited(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.a.coordinator)
    url = reverse("tenancy:organisation-add", args=[world.a.network.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "name": "Hoedenmakerij Vilt",
                "kind": "company",
                "city": "Utrecht",
                "admin_name": "Joost van Dam",
                "admin_email": "joost@vilt.example",
            },
        )
    assert response.status_code == 302
    place = NetworkMembership.objects.get(organisation__name="Hoedenmakerij Vilt")
    assert place.status == NetworkMembershipStatus.APPROVED
    assert Invitation.objects.get(organisation=place.organisation).roles == ["learner", "org_admin"]
    assert mail.outbox[0].to == ["joost@vilt.example"]
    again = client.post(url, {"name": "hoedenmakerij vilt", "kind": "company"})
    assert again.status_code == 200
    assert Organisation.objects.filter(name__iexact="hoedenmakerij vilt").count() == 1


def test_only_a_coordinator_adds_organisations(client: Client, world: World) -> None:
    client.force_login(world.a.admin)
    url = reverse("tenancy:organisation-add", args=[world.a.network.slug])
    assert client.post(url, {"name": "Sluiproute BV", "kind": "company"}).status_code == 404
    assert not Organisation.objects.filter(name="Sluiproute BV").exists()


def test_a_coordinator_appoints_a_coach_and_ends_the_role(client: Client, world: World) -> None:
    from gilde.tenancy.access import standing_of
    from gilde.tenancy.models import NetworkRole

    client.force_login(world.a.coordinator)
    url = reverse("tenancy:roles", args=[world.a.network.slug])
    assert (
        client.post(url, {"email": world.a.author.email.upper(), "role": "coach"}).status_code
        == 302
    )
    held = NetworkRole.objects.get(network=world.a.network, person=world.a.author, role="coach")
    outsider = client.post(url, {"email": world.b.learner.email, "role": "coordinator"})
    assert outsider.status_code == 200
    assert not NetworkRole.objects.filter(network=world.a.network, person=world.b.learner).exists()
    client.post(reverse("tenancy:role-end", args=[world.a.network.slug, held.pk]))
    world.a.author.refresh_from_db()
    assert "coach" not in standing_of(world.a.author).network_roles.get(world.a.network.pk, set())


def test_the_last_coordinator_cannot_end_their_own_role(client: Client, world: World) -> None:
    from gilde.tenancy.models import NetworkRole

    client.force_login(world.a.coordinator)
    held = NetworkRole.objects.get(network=world.a.network, person=world.a.coordinator)
    client.post(reverse("tenancy:role-end", args=[world.a.network.slug, held.pk]))
    held.refresh_from_db()
    assert held.end_date is None
