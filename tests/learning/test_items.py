"""Writing, publishing and taking items out of the catalogue: admins and authors for their
organisation, coordinators for the network; bad input changes nothing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gilde.audit.models import AuditEvent
from gilde.learning.models import CatalogueItem, ItemKind, ItemStatus
from tests.conftest import World

FORM = {
    "title": "Klantgesprekken",
    "summary": "Goede gesprekken met klanten.",
    "language": "nl",
    "study_load_hours": "2.5",
    "audience": "Verkopers",
    "provider": "Academie Noord",
    "url": "https://example.org/klant",
    "price": "120",
    "tags_text": "Verkoop, klanten, verkoop",
}


def test_author_writes_an_item_for_their_organisation(client: Client, world: World) -> None:
    client.force_login(world.a.author)
    chooser = client.get(reverse("learning:item-create"))
    assert chooser.status_code == 200
    assert "?kind=on_the_job" in chooser.content.decode()
    response = client.post(
        reverse("learning:item-create"),
        {**FORM, "kind": ItemKind.EXTERNAL, "owner": f"org:{world.a.org.slug}"},
    )
    assert response.status_code == 302
    item = CatalogueItem.objects.get(title="Klantgesprekken")
    assert item.organisation == world.a.org and item.network is None
    assert item.status == ItemStatus.DRAFT
    assert sorted(t.name for t in item.tags.all()) == ["klanten", "verkoop"]
    assert item.provider == "Academie Noord"
    assert AuditEvent.objects.filter(action="learning.item_create", organisation=world.a.org)


def test_only_a_coordinator_writes_network_items(client: Client, world: World) -> None:
    client.force_login(world.a.author)
    response = client.post(
        reverse("learning:item-create"),
        {**FORM, "kind": ItemKind.EXTERNAL, "owner": f"network:{world.a.network.slug}"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    assert not CatalogueItem.objects.exists()
    client.force_login(world.a.coordinator)
    response = client.post(
        reverse("learning:item-create"),
        {**FORM, "kind": ItemKind.EXTERNAL, "owner": f"network:{world.a.network.slug}"},
    )
    assert response.status_code == 302
    assert CatalogueItem.objects.get().network == world.a.network


def test_a_learner_cannot_write_items(client: Client, world: World) -> None:
    client.force_login(world.a.learner)
    assert client.get(reverse("learning:item-create")).status_code == 404
    response = client.post(
        reverse("learning:item-create"),
        {**FORM, "kind": ItemKind.EXTERNAL, "owner": f"org:{world.a.org.slug}"},
    )
    assert response.status_code == 404
    assert not CatalogueItem.objects.exists()


def test_bad_input_gets_a_message_and_changes_nothing(client: Client, world: World) -> None:
    client.force_login(world.a.admin)
    bad = {**FORM, "kind": ItemKind.EXTERNAL, "owner": f"org:{world.a.org.slug}"}
    for field, value in [("provider", ""), ("study_load_hours", "-3"), ("price", "gratis")]:
        response = client.post(reverse("learning:item-create"), {**bad, field: value})
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert 'aria-invalid="true"' in response.content.decode()
    assert not CatalogueItem.objects.exists()


def test_kind_fields_follow_the_kind(client: Client, world: World) -> None:
    client.force_login(world.a.admin)
    page = client.get(reverse("learning:item-create"), {"kind": ItemKind.ON_THE_JOB})
    fields = page.context["form"].fields
    assert "instructions" in fields and "sign_off_by" in fields
    assert "provider" not in fields and "school" not in fields
    # A posted field of another kind is ignored.
    client.post(
        reverse("learning:item-create"),
        {
            **FORM,
            "kind": ItemKind.ON_THE_JOB,
            "owner": f"org:{world.a.org.slug}",
            "instructions": "Stel de machine in.",
            "sign_off_by": "mentor",
        },
    )
    item = CatalogueItem.objects.get()
    assert item.kind == ItemKind.ON_THE_JOB
    assert item.provider == "" and item.price is None
    assert item.instructions == "Stel de machine in."


def test_publish_edit_and_archive(client: Client, world: World) -> None:
    from tests.learning.conftest import make_item

    item = make_item(
        actor=world.a.admin, title="Bijscholing", organisation=world.a.org, publish=False
    )
    client.force_login(world.a.admin)
    client.post(reverse("learning:item-publish", args=[item.uuid]))
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.published_at
    response = client.post(
        reverse("learning:item-edit", args=[item.uuid]),
        {**FORM, "title": "Bijscholing 2", "provider": "Anders"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Bijscholing 2"
    event = AuditEvent.objects.get(action="learning.item_update")
    assert "provider" in event.detail["fields"]
    client.post(reverse("learning:item-archive", args=[item.uuid]))
    item.refresh_from_db()
    assert item.status == ItemStatus.ARCHIVED


def test_a_failed_edit_changes_nothing(client: Client, world: World) -> None:
    from tests.learning.conftest import make_item

    item = make_item(actor=world.a.admin, title="Bijscholing", organisation=world.a.org)
    client.force_login(world.a.admin)
    response = client.post(
        reverse("learning:item-edit", args=[item.uuid]),
        {**FORM, "title": "Nieuw", "study_load_hours": "veel"},
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Bijscholing"


def test_a_lesson_without_pages_cannot_be_published(client: Client, world: World) -> None:
    from tests.learning.conftest import make_item

    item = make_item(
        actor=world.a.admin,
        title="Lege les",
        kind=ItemKind.LESSON,
        organisation=world.a.org,
        publish=False,
    )
    client.force_login(world.a.admin)
    response = client.post(reverse("learning:item-publish", args=[item.uuid]), follow=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT
    assert "page" in response.content.decode() or "pagina" in response.content.decode()


def test_others_cannot_edit_or_publish(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    draft = items["a_draft"]
    for person in (world.a.learner, world.a.manager, world.b.admin, world.a.coordinator):
        client.force_login(person)
        assert client.get(reverse("learning:item-edit", args=[draft.uuid])).status_code == 404
        assert client.post(reverse("learning:item-publish", args=[draft.uuid])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT


def test_linking_a_competency_with_a_level_off_the_scale_is_refused(
    client: Client, world: World
) -> None:
    from tests.learning.samples import learning_samples

    samples = learning_samples(world)
    item = samples["learning_item"]
    key = f"{samples['learning_competency'].version.framework.slug}:LR-01"
    client.force_login(world.a.coordinator)
    url = reverse("learning:item-competencies", args=[item.uuid])
    response = client.post(url, {"competency": key, "level": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors["level"]
    assert item.competencies.get().target_level == 3
    client.post(url, {"competency": key, "level": "2"})
    assert item.competencies.get().target_level == 2
    client.post(url, {"remove": key})
    assert not item.competencies.exists()
