"""Objects of the home side (network A) for the access matrix: a network framework with a
published version and a draft, a function profile on it, and an uploaded framework file waiting
for confirmation."""

from __future__ import annotations

from typing import Any

from gilde.competencies.importing import import_upload
from gilde.competencies.services import (
    competency_save,
    framework_create,
    profile_save,
    version_new_draft,
    version_publish,
)
from tests.conftest import World

DRAFT_CODE = "FW-01"


def framework_samples(world: World) -> dict[str, Any]:
    framework = framework_create(
        actor=world.a.coordinator, name="Kaderpagina's", network=world.a.network
    )
    version = framework.versions.get()
    competency_save(actor=None, version=version, code=DRAFT_CODE, name="Draaien")
    published = version_publish(actor=None, version=version)
    profile = profile_save(
        actor=None,
        name="Kaderprofiel",
        version=published,
        network=world.a.network,
        requirements={DRAFT_CODE: (2, 1)},
    )
    version_new_draft(actor=None, framework=framework, note="Concept")
    upload = import_upload(
        actor=world.a.coordinator,
        filename="kader.csv",
        content=b"code;name\nFW-02;Frezen\n",
        framework=framework,
    )
    return {
        "fw_framework": framework,
        "fw_profile": profile,
        "fw_import": upload,
    }
