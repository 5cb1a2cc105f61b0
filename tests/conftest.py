"""Shared test data: two networks with organisations and a person in every role.

Network A (the "home" side) holds Org A (a company) and Agency A (a temp agency whose worker is
placed at Org A). Network B holds Org B: everyone there is an outsider to A's data.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from gilde.people.models import Person
from gilde.tenancy.models import (
    CoachAssignment,
    Membership,
    MembershipKind,
    Network,
    NetworkRoleKind,
    Organisation,
    OrganisationKind,
    Role,
    Team,
)
from gilde.tenancy.services import (
    membership_create,
    network_create,
    network_membership_add,
    network_role_grant,
    organisation_create,
    team_create,
)

PASSWORD = "correct-horse-battery"

# Property-based tests (hypothesis): a bounded number of examples per test so the suite stays
# quick; tests that need more say so in their own @settings. No deadline: the machine is shared
# and a slow example is not a failure. CI draws the same examples on every run (derandomize), so
# a red run is reproducible; locally every run explores new ones. For a long fuzzing run:
# HYPOTHESIS_PROFILE=thorough uv run pytest tests/fuzz
hypothesis_settings.register_profile(
    "gilde",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")),
    print_blob=True,
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("gilde"), max_examples=2000
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gilde"))


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any, _media_root: Any) -> None:
    # Uploaded files (evidence) go to a temporary folder, never into the project's media folder.
    settings.MEDIA_ROOT = _media_root
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Each test starts with an empty cache of its own (log-in throttling counts in the cache).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def make_person(email: str, given: str, family: str, infix: str = "") -> Person:
    return Person.objects.create_user(
        email, PASSWORD, given_name=given, family_name=family, infix=infix
    )


@dataclass
class Side:
    network: Network
    org: Organisation
    team: Team
    coordinator: Person
    coach: Person
    admin: Person
    manager: Person
    mentor: Person
    author: Person
    learner: Person
    learner_membership: Membership

    def personas(self) -> dict[str, Person]:
        return {
            "coordinator": self.coordinator,
            "coach": self.coach,
            "org_admin": self.admin,
            "manager": self.manager,
            "mentor": self.mentor,
            "author": self.author,
            "learner": self.learner,
        }


@dataclass
class World:
    a: Side
    b: Side
    agency: Organisation
    temp_worker: Person
    placement: Membership
    agency_membership: Membership
    extra: dict[str, Any] = field(default_factory=dict)


def build_side(label: str) -> Side:
    network = network_create(actor=None, name=f"Netwerk {label}", enrolment_open=(label == "A"))
    org = organisation_create(actor=None, name=f"Bedrijf {label}", kind=OrganisationKind.COMPANY)
    network_membership_add(actor=None, network=network, organisation=org)
    team = team_create(actor=None, organisation=org, name=f"Werkplaats {label}")
    low = label.lower()
    coordinator = make_person(f"coord-{low}@example.org", "Cora", f"Coördinator{label}")
    coach = make_person(f"coach-{low}@example.org", "Coen", f"Coach{label}")
    admin = make_person(f"admin-{low}@example.org", "Anne", f"Beheer{label}", "van")
    manager = make_person(f"manager-{low}@example.org", "Mark", f"Leider{label}", "de")
    mentor = make_person(f"mentor-{low}@example.org", "Mila", f"Mentor{label}")
    author = make_person(f"author-{low}@example.org", "Arie", f"Auteur{label}")
    learner = make_person(f"learner-{low}@example.org", "Lotte", f"Leerling{label}", "van 't")
    network_role_grant(
        actor=None, network=network, person=coordinator, role=NetworkRoleKind.COORDINATOR
    )
    network_role_grant(actor=None, network=network, person=coach, role=NetworkRoleKind.COACH)
    start = timezone.localdate() - dt.timedelta(days=30)
    for person, roles, in_team in [
        (coordinator, [Role.LEARNER], False),
        (admin, [Role.ORG_ADMIN, Role.LEARNER], False),
        (manager, [Role.MANAGER, Role.LEARNER], True),
        (mentor, [Role.MENTOR, Role.LEARNER], True),
        (author, [Role.AUTHOR, Role.LEARNER], False),
    ]:
        membership_create(
            actor=None,
            person=person,
            organisation=org,
            roles=roles,
            team=team if in_team else None,
            start_date=start,
        )
    learner_membership = membership_create(
        actor=None,
        person=learner,
        organisation=org,
        roles=[Role.LEARNER],
        team=team,
        manager=manager,
        function_title=f"Monteur {label}",
        start_date=start,
    )
    CoachAssignment.objects.create(network=network, coach=coach, person=learner)
    return Side(
        network,
        org,
        team,
        coordinator,
        coach,
        admin,
        manager,
        mentor,
        author,
        learner,
        learner_membership,
    )


@pytest.fixture
def world(db: Any) -> World:
    a = build_side("A")
    b = build_side("B")
    agency = organisation_create(
        actor=None, name="Uitzendbureau A", kind=OrganisationKind.TEMP_AGENCY
    )
    network_membership_add(actor=None, network=a.network, organisation=agency)
    temp_worker = make_person("temp-a@example.org", "Tim", "Uitzendkracht")
    start = timezone.localdate() - dt.timedelta(days=10)
    agency_membership = membership_create(
        actor=None,
        person=temp_worker,
        organisation=agency,
        roles=[Role.LEARNER],
        kind=MembershipKind.EMPLOYEE,
        start_date=start,
    )
    placement = membership_create(
        actor=None,
        person=temp_worker,
        organisation=a.org,
        roles=[Role.LEARNER],
        kind=MembershipKind.PLACEMENT,
        placed_by=agency,
        mentor=a.mentor,
        start_date=start,
    )
    return World(a, b, agency, temp_worker, placement, agency_membership)
