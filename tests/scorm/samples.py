"""Home-side (network A) objects for the access matrix: a SCORM package of Org A, its
learner's enrolment and an open launch (session) of that learner."""

from __future__ import annotations

from typing import Any

from gilde.learning.services import enrolment_self_create
from gilde.scorm import services
from tests.conftest import World
from tests.scorm.conftest import import_package


def scorm_samples(world: World) -> dict[str, Any]:
    version = import_package(world, "scorm12_quiz")
    enrolment = enrolment_self_create(actor=world.a.learner, item=version.package.item)
    launch = services.scorm_launch(
        actor=world.a.learner,
        enrolment=enrolment,
        package=version.package,
        page_origin="http://testserver",
        content_origin="http://127.0.0.1",
    )
    return {"scorm_item": version.package.item, "scorm_session": launch.session}
