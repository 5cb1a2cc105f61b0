"""Learning test data on top of the shared world: items of side A (one private to Org A, one of
network A), side B's private item, and a published competency framework of network A."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from gilde.learning import services
from gilde.learning.models import CatalogueItem, ItemKind
from tests.conftest import World


def make_item(
    *,
    actor: Any,
    title: str,
    kind: str = ItemKind.EXTERNAL,
    organisation: Any = None,
    network: Any = None,
    publish: bool = True,
    tags: tuple[str, ...] = (),
    **fields: Any,
) -> CatalogueItem:
    defaults: dict[str, Any] = {
        "title": title,
        "summary": f"Over {title.lower()}.",
        "language": "nl",
        "study_load_hours": Decimal("4"),
        "audience": "",
        "certificate_enabled": False,
    }
    if kind == ItemKind.EXTERNAL:
        defaults.update(provider="Academie", url="https://example.org/cursus", price=None)
    if kind == ItemKind.ON_THE_JOB:
        defaults.update(instructions="Doe het op het werk.", sign_off_by="mentor_or_manager")
    defaults.update(fields)
    item = services.item_create(
        actor=actor,
        kind=kind,
        fields=defaults,
        organisation=organisation,
        network=network,
        tags=tags,
    )
    if publish:
        services.item_publish(actor=actor, item=item)
        item.refresh_from_db()
    return item


@pytest.fixture
def items(world: World) -> dict[str, CatalogueItem]:
    a, b = world.a, world.b
    return {
        "a_private": make_item(
            actor=a.admin,
            title="Veilig werken A",
            organisation=a.org,
            tags=("veiligheid", "Werkplaats"),
        ),
        "a_network": make_item(
            actor=a.coordinator,
            title="Webwinkel starten",
            network=a.network,
            tags=("e-commerce",),
        ),
        "a_draft": make_item(
            actor=a.author, title="Concept lesje", organisation=a.org, publish=False
        ),
        "a_job": make_item(
            actor=a.admin,
            title="Machine instellen",
            kind=ItemKind.ON_THE_JOB,
            organisation=a.org,
        ),
        "b_private": make_item(actor=b.admin, title="Geheim B", organisation=b.org),
    }


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """The tests read the English messages (the interface is Dutch by default)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
