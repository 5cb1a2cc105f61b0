from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from gilde.learning.services import enrolment_self_create, item_publish
from gilde.scorm import services
from tests.conftest import World
from tests.scorm.packages import fixture_zip, upload


def import_package(world: World, name: str, **changes: Any) -> Any:
    """Import a fixture package as the home organisation's admin and publish it."""
    version = services.package_upload(
        actor=world.a.admin,
        upload=upload(fixture_zip(name, **changes)),
        filename=f"{name}.zip",
        organisation=world.a.org,
    )
    item = version.package.item
    item_publish(actor=world.a.admin, item=item)
    item.refresh_from_db()
    return version


@pytest.fixture
def quiz12(world: World) -> Any:
    version = import_package(world, "scorm12_quiz")
    enrolment = enrolment_self_create(actor=world.a.learner, item=version.package.item)
    return version, enrolment


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Any:
    """The tests read the English messages (the interface is Dutch by default)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
