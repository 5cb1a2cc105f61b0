"""Objects of the home side (network A) for the access matrix and the learning tests: a network
item aimed at a competency of a published framework, the learner's completed enrolment in it,
the proposal of a new level that followed, and an open enrolment in an on-the-job assignment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gilde.competencies.services import competency_save, framework_create, version_publish
from gilde.learning import services
from gilde.learning.models import ItemKind
from tests.conftest import World
from tests.learning.conftest import make_item

COMPETENCY_CODE = "LR-01"


def learning_samples(world: World) -> dict[str, Any]:
    a = world.a
    framework = framework_create(actor=a.coordinator, name="Leerraamwerk", network=a.network)
    version = framework.versions.get()
    competency = competency_save(actor=None, version=version, code=COMPETENCY_CODE, name="Lassen")
    version_publish(actor=None, version=version)
    competency.refresh_from_db()
    item = make_item(
        actor=a.coordinator,
        title="Lassen voor beginners",
        network=a.network,
        study_load_hours=Decimal("6"),
    )
    services.item_competency_set(actor=a.coordinator, item=item, competency=competency, level=3)
    enrolment = services.enrolment_self_create(actor=a.learner, item=item)
    completion = services.external_proof_submit(
        actor=a.learner, enrolment=enrolment, link="https://example.org/certificaat"
    )
    proposal = completion.level_proposals.get()
    job = make_item(
        actor=a.admin, title="Opdracht op de vloer", kind=ItemKind.ON_THE_JOB, organisation=a.org
    )
    job_enrolment = services.enrolments_create_for_team(
        actor=a.manager, item=job, organisation=a.org, people=[a.learner]
    ).enrolled[0]
    return {
        "learning_item": item,
        "learning_enrolment": job_enrolment,
        "learning_completed": enrolment,
        "learning_proposal": proposal,
        "learning_competency": competency,
    }
