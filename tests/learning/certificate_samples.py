"""Home-side (network A) objects for the access matrix: a certificate of A's learner for an item
of Org A, and (added by the path pages) a learning path with a cohort."""

from __future__ import annotations

from typing import Any

from gilde.learning import services
from gilde.learning.models import Certificate
from tests.conftest import World
from tests.learning.conftest import make_item


def certificate_samples(world: World) -> dict[str, Any]:
    a = world.a
    item = make_item(
        actor=a.admin, title="Heftruck rijden", organisation=a.org, certificate_enabled=True
    )
    enrolment = services.enrolment_self_create(actor=a.learner, item=item)
    completion = services.external_proof_submit(
        actor=a.learner, enrolment=enrolment, link="https://example.org/heftruck"
    )
    return {"certificate": Certificate.objects.get(completion=completion)}
