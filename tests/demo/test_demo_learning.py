"""The demo's learning catalogue: the Utrecht retailers' masterclass series as network items, a
shop's own course, enrolments that show on the home page and in the owner's team overview, and a
reset that removes it all."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gilde.demo.services import demo_load, demo_reset
from gilde.learning.models import CatalogueItem, Completion, Enrolment, ItemKind, ItemStatus
from gilde.tenancy.models import Membership


@pytest.fixture
def demo(db: Any) -> None:
    demo_load(competencies=False)


def person(function_title: str, organisation_slug: str) -> Any:
    return (
        Membership.objects.filter(
            function_title=function_title, organisation__slug=organisation_slug
        )
        .select_related("person")
        .first()
        .person
    )


def test_the_masterclass_series_is_shared_by_the_whole_network(demo: None) -> None:
    masterclasses = CatalogueItem.objects.filter(tags__name="masterclass")
    assert masterclasses.count() == 3
    assert {i.network.slug for i in masterclasses} == {"utrechtse-retail-academie"}
    assert {i.kind for i in masterclasses} == {ItemKind.EVENT}
    assert all(i.status == ItemStatus.PUBLISHED for i in masterclasses)


def test_a_shop_sees_the_network_items_and_its_own(client: Client, demo: None) -> None:
    seller = person("Verkoopmedewerker", "koffiebranderij-de-gouden-boon")
    client.force_login(seller)
    page = client.get(reverse("learning:catalogue")).context["page"]
    titles = {item.title for item in page.object_list}
    assert "Barista-basis" in titles
    assert any(t.startswith("Masterclass 1") for t in titles)
    home = client.get(reverse("core:home")).context["learning"]
    assert home.active_count == 3
    assert home.due_soon


def test_another_shop_does_not_see_the_coffee_roasters_course(client: Client, demo: None) -> None:
    client.force_login(person("Woonadviseur", "bankenhuis-oudegracht"))
    titles = {i.title for i in client.get(reverse("learning:catalogue")).context["page"]}
    assert "Barista-basis" not in titles


def test_the_owner_sees_the_teams_progress(client: Client, demo: None) -> None:
    owner = person("Eigenaar", "koffiebranderij-de-gouden-boon")
    client.force_login(owner)
    response = client.get(reverse("learning:team", args=["koffiebranderij-de-gouden-boon"]))
    progress = response.context["progress"]
    assert len(progress.rows) >= 2
    assert any(s.completed for s in progress.items)


def test_reset_removes_the_learning_rows(demo: None) -> None:
    loaded = Completion.objects.count()
    assert loaded
    demo_reset()
    assert not CatalogueItem.objects.exists()
    assert not Enrolment.objects.exists()
    demo_load(competencies=False)
    assert Completion.objects.count() == loaded
