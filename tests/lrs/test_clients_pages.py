"""xAPI clients in the browser: an organisation's admins manage its clients, a network's
coordinators the network's; the secret is shown once; revoking stops the key; nobody else gets
anything but 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.lrs.models import Client as XapiClient
from gilde.lrs.models import Scope
from gilde.lrs.services import client_create, client_for_credentials, store_for
from tests.conftest import World


def browser(person: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)
    return client


def org_urls(world: World) -> tuple[str, str]:
    slug = world.a.org.slug
    return reverse("records:org-clients", args=[slug]), reverse(
        "records:org-client-create", args=[slug]
    )


def network_urls(world: World) -> tuple[str, str]:
    slug = world.a.network.slug
    return reverse("records:network-clients", args=[slug]), reverse(
        "records:network-client-create", args=[slug]
    )


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "E-learning Veilig werken",
        "scopes": [Scope.STATEMENTS_WRITE, Scope.STATE],
        "xapi_version": "1.0.3",
    }
    data.update(changes)
    return data


def test_an_admin_makes_a_client_and_sees_the_secret_once(world: World) -> None:
    list_url, create_url = org_urls(world)
    admin = browser(world.a.admin)
    assert "There are no clients yet." in admin.get(list_url).content.decode()
    blank = admin.get(create_url).content.decode()
    assert "Send learning records." in blank and 'type="checkbox"' in blank

    response = admin.post(create_url, form())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    made = XapiClient.objects.get()
    assert made.store.organisation == world.a.org
    assert made.scopes == "statements/write state" and made.xapi_version == "1.0.3"
    assert made.created_by == world.a.admin
    context = response.context
    assert context["endpoint"] == settings.SITE_URL.rstrip("/") + "/xapi/"
    html = response.content.decode()
    assert context["secret"] in html and made.key in html and "/xapi/" in html
    assert "Copy the secret now." in html
    assert client_for_credentials(made.key, context["secret"]) == made
    assert AuditEvent.objects.filter(action="lrs.client_created", organisation=world.a.org).exists()

    listing = admin.get(list_url).content.decode()
    assert made.key in listing and "E-learning Veilig werken" in listing
    assert context["secret"] not in listing
    assert "Write statements" in listing and "active" in listing


def test_bad_input_gets_a_message_and_makes_nothing(world: World) -> None:
    _list, create_url = org_urls(world)
    admin = browser(world.a.admin)
    response = admin.post(create_url, form(name="   ", scopes=[]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the client a name." in html and "Choose at least one thing it may do." in html
    response = admin.post(create_url, form(scopes=["everything"], xapi_version="3.0"))
    assert response.status_code == 400
    assert "Choose from the listed permissions." in response.content.decode()
    assert not XapiClient.objects.exists()
    assert not AuditEvent.objects.filter(action="lrs.client_created").exists()


def test_revoking_asks_first_and_then_the_key_stops_working(world: World) -> None:
    made = client_create(
        actor=world.a.admin, store=store_for(organisation=world.a.org), name="Oude app"
    )
    url = reverse("records:client-revoke", args=[made.client.uuid])
    admin = browser(world.a.admin)
    confirm = admin.get(url).content.decode()
    assert "Revoke Oude app?" in confirm and made.key in confirm
    made.client.refresh_from_db()
    assert made.client.revoked_at is None

    response = admin.post(url)
    assert response.status_code == 302 and response["Location"] == org_urls(world)[0]
    made.client.refresh_from_db()
    assert made.client.revoked_at is not None
    assert client_for_credentials(made.key, made.secret) is None
    assert AuditEvent.objects.filter(action="lrs.client_revoked").count() == 1
    listing = admin.get(org_urls(world)[0]).content.decode()
    assert "revoked on" in listing
    # Revoking twice changes nothing.
    admin.post(url)
    assert AuditEvent.objects.filter(action="lrs.client_revoked").count() == 1


def test_a_coordinator_manages_the_networks_clients(world: World) -> None:
    list_url, create_url = network_urls(world)
    coordinator = browser(world.a.coordinator)
    assert coordinator.get(list_url).status_code == 200
    response = coordinator.post(create_url, form(name="Netwerkplatform"))
    assert response.status_code == 200
    made = XapiClient.objects.get()
    assert made.store.network == world.a.network and made.store.organisation is None
    assert made.name in coordinator.get(list_url).content.decode()
    revoke = reverse("records:client-revoke", args=[made.uuid])
    assert coordinator.post(revoke).status_code == 302
    made.refresh_from_db()
    assert made.revoked_at is not None
    # An organisation admin has no say over the network's clients, nor the other way round.
    assert browser(world.a.admin).get(list_url).status_code == 404
    assert coordinator.get(org_urls(world)[0]).status_code == 404


@pytest.mark.parametrize("role", ["manager", "mentor", "author", "learner", "coach"])
def test_other_roles_of_side_a_get_not_found(world: World, role: str) -> None:
    made = client_create(actor=None, store=store_for(organisation=world.a.org), name="App A")
    person = getattr(world.a, role)
    client = browser(person)
    for url in [*org_urls(world), *network_urls(world)]:
        assert client.get(url).status_code == 404, url
    assert client.post(org_urls(world)[1], form()).status_code == 404
    assert client.post(reverse("records:client-revoke", args=[made.client.uuid])).status_code == 404
    made.client.refresh_from_db()
    assert made.client.revoked_at is None and XapiClient.objects.count() == 1


def test_an_outsider_from_side_b_sees_and_changes_nothing(world: World) -> None:
    made = client_create(actor=None, store=store_for(organisation=world.a.org), name="App A")
    revoke = reverse("records:client-revoke", args=[made.client.uuid])
    for persona in world.b.personas().values():
        client = browser(persona)
        for url in [*org_urls(world), *network_urls(world), revoke]:
            response = client.get(url)
            assert response.status_code == 404, (persona, url)
        assert client.post(org_urls(world)[1], form()).status_code == 404
        assert client.post(network_urls(world)[1], form()).status_code == 404
        assert client.post(revoke).status_code == 404
    made.client.refresh_from_db()
    assert made.client.revoked_at is None and XapiClient.objects.count() == 1


def test_admins_and_coordinators_find_the_clients_where_they_look_for_settings(
    world: World,
) -> None:
    list_url, _create = org_urls(world)
    admin = browser(world.a.admin)
    assert list_url in admin.get(reverse("core:home")).content.decode()
    assert list_url in admin.get(reverse("people:list", args=[world.a.org.slug])).content.decode()
    network_list, _create = network_urls(world)
    page = browser(world.a.coordinator).get(reverse("tenancy:network", args=[world.a.network.slug]))
    assert network_list in page.content.decode()
    learner_home = browser(world.a.learner).get(reverse("core:home")).content.decode()
    assert list_url not in learner_home


def test_the_list_shows_clients_of_this_store_only(world: World) -> None:
    client_create(actor=None, store=store_for(organisation=world.b.org), name="App van B")
    client_create(actor=None, store=store_for(organisation=world.a.org), name="App van A")
    html = browser(world.a.admin).get(org_urls(world)[0]).content.decode()
    assert "App van A" in html and "App van B" not in html
    assert escape(world.a.org.name) in html
