from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from gilde.competencies.models import Competency, Framework, FrameworkVersion, FunctionProfile
from gilde.competencies.services import (
    competency_save,
    framework_create,
    profile_assign,
    profile_save,
    version_publish,
)
from tests.conftest import World


@dataclass
class CompetencyWorld:
    world: World
    framework: Framework
    version: FrameworkVersion
    cnc: Competency
    measure: Competency
    teamwork: Competency
    profile: FunctionProfile


@pytest.fixture
def cw(world: World) -> CompetencyWorld:
    """Network A shares a published machining framework (4 levels) and a profile "Verspaner";
    A's learner has that profile."""
    framework = framework_create(
        actor=world.a.coordinator, name="Verspanen", network=world.a.network
    )
    version = framework.versions.get()
    cnc = competency_save(
        actor=None,
        version=version,
        code="CNC-01",
        name="CNC-draaien",
        category="Vakkennis",
        descriptors={1: "Zet een machine aan", 4: "Programmeert vijfassig"},
    )
    measure = competency_save(
        actor=None, version=version, code="MET-01", name="Meten", category="Vakkennis"
    )
    teamwork = competency_save(
        actor=None, version=version, code="SOFT-01", name="Samenwerken", category="Soft skills"
    )
    version_publish(actor=None, version=version)
    version.refresh_from_db()
    profile = profile_save(
        actor=None,
        name="Verspaner",
        version=version,
        network=world.a.network,
        requirements={"CNC-01": (3, 3), "MET-01": (3, 1), "SOFT-01": (2, 1)},
    )
    profile_assign(actor=None, membership=world.a.learner_membership, profile=profile)
    return CompetencyWorld(world, framework, version, cnc, measure, teamwork, profile)


def rate(actor: Any, person: Any, competency: Competency, level: int, **extra: Any) -> Any:
    from gilde.competencies.services import assessment_record

    return assessment_record(
        actor=actor, person=person, competency=competency, level=level, **extra
    )
