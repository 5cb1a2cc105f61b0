from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tests.conftest import PASSWORD, World


def login(client: Client, person) -> None:
    assert client.login(email=person.email, password=PASSWORD)


def test_each_role_sees_a_home_page_for_its_role(client: Client, world: World) -> None:
    login(client, world.a.coordinator)
    page = client.get(reverse("core:home")).content.decode()
    assert "Netwerk A" in page and "Netwerk B" not in page
    client.logout()
    login(client, world.a.admin)
    page = client.get(reverse("core:home")).content.decode()
    assert "Bedrijf A" in page and reverse("people:list", args=[world.a.org.slug]) in page
    client.logout()
    login(client, world.a.manager)
    page = client.get(reverse("core:home")).content.decode()
    assert escape(world.a.learner.display_name) in page
