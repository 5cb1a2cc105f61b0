"""Objects of the home side (network A) for the access matrix and the assessment tests: a
published framework with a profile, an assessment round, and a prior-learning claim with an
evidence file."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gilde.competencies.services import (
    claim_submit,
    competency_save,
    framework_create,
    profile_save,
    round_create,
    version_publish,
)
from tests.conftest import World

# A small but complete PDF (one empty page).
SMALL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "bewijs.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SMALL_PDF, content_type="application/pdf")


def assessment_samples(world: World) -> dict[str, Any]:
    framework = framework_create(
        actor=world.a.coordinator, name="Matrixraamwerk", network=world.a.network
    )
    version = framework.versions.get()
    competency = competency_save(actor=None, version=version, code="MX-01", name="Frezen")
    version_publish(actor=None, version=version)
    version.refresh_from_db()
    profile = profile_save(
        actor=None,
        name="Matrixprofiel",
        version=version,
        network=world.a.network,
        requirements={"MX-01": (2, 1)},
    )
    assessment_round = round_create(
        actor=world.a.manager,
        organisation=world.a.org,
        title="Ronde voorjaar",
        profile=profile,
        due_date=timezone.localdate(),
        people=[world.a.learner],
    )
    competency.refresh_from_db()
    claim = claim_submit(
        actor=world.a.learner,
        organisation=world.a.org,
        competency=competency,
        claimed_level=3,
        statement="Drie jaar gefreesd bij een vorige werkgever.",
        uploads=[pdf_upload()],
    )
    return {"round": assessment_round, "claim": claim, "evidence": claim.evidence.get()}
