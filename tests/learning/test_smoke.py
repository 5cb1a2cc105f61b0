from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gilde.learning.models import CatalogueItem
from tests.conftest import World


def test_pages_answer(client: Client, world: World, items: dict[str, CatalogueItem]) -> None:
    client.force_login(world.a.learner)
    assert client.get(reverse("learning:catalogue")).status_code == 200
    assert client.get(reverse("core:home")).status_code == 200
    item = items["a_private"]
    assert client.get(reverse("learning:item-detail", args=[item.uuid])).status_code == 200
    r = client.post(reverse("learning:enrol", args=[item.uuid]))
    assert r.status_code == 302, r.content
    enrolment = item.enrolments.get()
    assert client.get(reverse("learning:enrolment", args=[enrolment.uuid])).status_code == 200
    assert client.get(reverse("learning:mine")).status_code == 200
    assert client.get(reverse("core:home")).status_code == 200
    client.force_login(world.a.manager)
    assert client.get(reverse("learning:team", args=[world.a.org.slug])).status_code == 200
    assert client.get(reverse("learning:proposals")).status_code == 200
    client.force_login(world.a.admin)
    assert client.get(reverse("learning:item-create")).status_code == 200
    assert client.get(reverse("learning:item-create") + "?kind=external").status_code == 200
    assert client.get(reverse("learning:item-edit", args=[item.uuid])).status_code == 200
    assert client.get(reverse("learning:item-competencies", args=[item.uuid])).status_code == 200
