"""Development test data on top of the shared world: a published framework of network A with a
function profile that A's learner holds (so that there are gaps to suggest), a catalogue item
aimed at one of its competencies, and helpers to write a plan that can be sent for agreement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from gilde.competencies.models import Competency, Framework, FunctionProfile
from gilde.competencies.services import (
    competency_save,
    framework_create,
    profile_assign,
    profile_save,
    version_publish,
)
from gilde.development import services
from gilde.development.models import ActionKind, DevelopmentPlan
from gilde.learning import services as learning_services
from gilde.learning.models import CatalogueItem
from tests.conftest import World
from tests.learning.conftest import make_item


@dataclass
class DevWorld:
    world: World
    framework: Framework
    safety: Competency
    first_aid: Competency
    teaching: Competency
    profile: FunctionProfile
    item: CatalogueItem


def make_framework(world: World, name: str = "Trainerschap") -> tuple[Framework, list[Competency]]:
    framework = framework_create(actor=world.a.coordinator, name=name, network=world.a.network)
    version = framework.versions.get()
    found = [
        competency_save(actor=None, version=version, code=code, name=title, category=category)
        for code, title, category in (
            ("VEI-01", "Veilig werken", "Vak"),
            ("EHBO-01", "Eerste hulp", "Vak"),
            ("DID-01", "Lesgeven", "Didactiek"),
        )
    ]
    version_publish(actor=None, version=version)
    for competency in found:
        competency.refresh_from_db()
    return framework, found


def make_dev_world(world: World) -> DevWorld:
    framework, (safety, first_aid, teaching) = make_framework(world)
    profile = profile_save(
        actor=None,
        name="Trainer",
        version=safety.version,
        network=world.a.network,
        requirements={"VEI-01": (3, 2), "EHBO-01": (3, 1), "DID-01": (2, 1)},
    )
    profile_assign(actor=None, membership=world.a.learner_membership, profile=profile)
    item = make_item(
        actor=world.a.coordinator, title="Veilig werken op hoogte", network=world.a.network
    )
    learning_services.item_competency_set(
        actor=world.a.coordinator, item=item, competency=safety, level=3
    )
    return DevWorld(world, framework, safety, first_aid, teaching, profile, item)


@pytest.fixture
def dev(world: World) -> DevWorld:
    return make_dev_world(world)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English (the source language), whatever the translation."""
    with translation.override("en"):
        yield


def client_for(person: Any) -> Client:
    """A logged-in browser that reads the pages in English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if person is not None:
        client.force_login(person)
    return client


def today() -> dt.date:
    return timezone.localdate()


def write_plan(
    dev: DevWorld, *, goals: int = 1, person: Any = None, organisation: Any = None
) -> DevelopmentPlan:
    """A draft plan of A's learner with `goals` complete goals (competency and action)."""
    person = person or dev.world.a.learner
    plan = services.plan_create(
        actor=person,
        organisation=organisation or dev.world.a.org,
        title="Mijn plan",
        period_start=today(),
        period_end=today() + dt.timedelta(days=365),
        learning_question="Hoe word ik een trainer die ook lastige groepen aankan?",
    )
    competencies = [dev.safety, dev.first_aid, dev.teaching, dev.safety, dev.first_aid]
    for n in range(goals):
        goal = services.goal_save(
            actor=person,
            plan=plan,
            what=f"Doel {n + 1}",
            why="Omdat het werk erom vraagt.",
            how_i_know="Ik geef de training alleen.",
            due_date=today() + dt.timedelta(days=100 + n),
            competencies=[(competencies[n], 3)],
        )
        services.action_save(
            actor=person,
            goal=goal,
            kind=ActionKind.ON_THE_JOB,
            description=f"Oefenen op de vloer {n + 1}",
            due_date=today() + dt.timedelta(days=50),
        )
    plan.refresh_from_db()
    return plan


def agreed_plan(dev: DevWorld, **kwargs: Any) -> DevelopmentPlan:
    plan = write_plan(dev, **kwargs)
    services.plan_submit(actor=plan.person, plan=plan)
    services.plan_agree(actor=dev.world.a.manager, plan=plan)
    plan.refresh_from_db()
    return plan
