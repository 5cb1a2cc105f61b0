"""The catalogue page: who sees which items, search and filters, a phone-sized page, and a
query count that does not grow with the number of items."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from gilde.learning.models import CatalogueItem, ItemKind
from gilde.learning.services import item_competency_set
from tests.conftest import World
from tests.learning.conftest import make_item
from tests.learning.samples import learning_samples


def titles(response: Any) -> set[str]:
    return {item.title for item in response.context["page"].object_list}


def test_learner_sees_published_items_of_their_organisation_and_network(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.a.learner)
    response = client.get(reverse("learning:catalogue"))
    assert response.status_code == 200
    assert titles(response) == {"Veilig werken A", "Webwinkel starten", "Machine instellen"}


def test_private_items_of_another_organisation_are_invisible(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.b.learner)
    response = client.get(reverse("learning:catalogue"), {"q": "Veilig"})
    assert titles(response) == set()
    assert "Veilig werken A" not in response.content.decode()
    for key in ("a_private", "a_network", "a_draft"):
        url = reverse("learning:item-detail", args=[items[key].uuid])
        assert client.get(url).status_code == 404


def test_a_member_organisation_of_the_network_sees_network_items_not_private_ones(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    """The temp agency is a member of network A: its worker sees network items only."""
    from gilde.tenancy.models import Membership

    Membership.objects.filter(pk=world.placement.pk).delete()
    client.force_login(world.temp_worker)
    response = client.get(reverse("learning:catalogue"))
    assert titles(response) == {"Webwinkel starten"}


def test_drafts_are_shown_only_to_those_who_may_edit_them(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    draft = items["a_draft"]
    url = reverse("learning:item-detail", args=[draft.uuid])
    client.force_login(world.a.learner)
    assert "Concept lesje" not in titles(client.get(reverse("learning:catalogue")))
    assert client.get(url).status_code == 404
    client.force_login(world.a.author)
    assert "Concept lesje" in titles(client.get(reverse("learning:catalogue")))
    assert client.get(url).status_code == 200
    client.force_login(world.a.coordinator)  # coordinates the network, not the organisation
    assert client.get(url).status_code == 404


def test_search_finds_words_in_title_summary_and_tags(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.a.learner)
    search = reverse("learning:catalogue")
    assert titles(client.get(search, {"q": "webwinkel"})) == {"Webwinkel starten"}
    assert titles(client.get(search, {"q": "over veilig"})) == {"Veilig werken A"}
    assert titles(client.get(search, {"q": "E-COMMERCE"})) == {"Webwinkel starten"}
    assert titles(client.get(search, {"q": "werkplaats"})) == {"Veilig werken A"}
    response = client.get(search, {"q": "onbekendwoord"})
    assert titles(response) == set()
    assert "Nothing matches" in response.content.decode() or "Niets" in response.content.decode()


def test_filters_by_kind_owner_language_and_competency(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    samples = learning_samples(world)
    client.force_login(world.a.learner)
    search = reverse("learning:catalogue")
    assert titles(client.get(search, {"kind": ItemKind.ON_THE_JOB})) == {
        "Machine instellen",
        "Opdracht op de vloer",
    }
    assert titles(client.get(search, {"owner": "network"})) == {
        "Webwinkel starten",
        "Lassen voor beginners",
    }
    assert "Webwinkel starten" not in titles(client.get(search, {"owner": "organisation"}))
    make_item(actor=world.a.admin, title="Safety first", organisation=world.a.org, language="en")
    assert titles(client.get(search, {"language": "en"})) == {"Safety first"}
    key = f"{samples['learning_competency'].version.framework.slug}:LR-01"
    assert titles(client.get(search, {"competency": key})) == {"Lassen voor beginners"}


def test_a_forged_filter_value_is_refused_and_shows_everything_visible(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.a.learner)
    response = client.get(reverse("learning:catalogue"), {"kind": "nonsense"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Geheim B" not in titles(response)


def test_htmx_search_answers_with_the_results_only(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.a.learner)
    response = client.get(reverse("learning:catalogue"), {"q": "webwinkel"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Webwinkel starten" in body
    assert "<html" not in body


def test_catalogue_is_usable_on_a_phone(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.a.learner)
    body = client.get(reverse("learning:catalogue")).content.decode()
    assert 'name="viewport"' in body
    assert 'type="search"' in body
    assert '<label for="id_q"' in body
    assert 'role="search"' in body


def test_catalogue_query_count_does_not_grow_with_items(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.a.learner)
    make_item(actor=world.a.admin, title="Item 0", organisation=world.a.org, tags=("x", "y"))
    client.get(reverse("learning:catalogue"))  # warm the session
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("learning:catalogue"))
    for n in range(1, 25):
        make_item(
            actor=world.a.admin, title=f"Item {n}", organisation=world.a.org, tags=(f"t{n}", "y")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("learning:catalogue"), {"q": "item"})
    assert response.context["page"].paginator.count == 25


def test_item_page_shows_what_to_do_and_the_competencies(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    samples = learning_samples(world)
    item = samples["learning_item"]
    client.force_login(world.a.manager)
    body = client.get(reverse("learning:item-detail", args=[item.uuid])).content.decode()
    assert "LR-01 Lassen" in body
    # A manager of a member organisation can enrol the team.
    assert reverse("learning:team-enrol", args=[item.uuid, world.a.org.slug]) in body


def test_competency_links_cannot_aim_at_another_networks_framework(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    import pytest

    from gilde.competencies.services import competency_save, framework_create, version_publish
    from gilde.learning.services import LearningError

    framework = framework_create(actor=None, name="Kader B", network=world.b.network)
    version = framework.versions.get()
    competency = competency_save(actor=None, version=version, code="B-01", name="Iets")
    version_publish(actor=None, version=version)
    with pytest.raises(LearningError):
        item_competency_set(
            actor=world.a.coordinator, item=items["a_network"], competency=competency, level=2
        )
