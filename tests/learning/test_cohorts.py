"""Cohorts: an admin starts a cohort on a path with dates spread from the start date, changes the
dates, adds people (enrolled with the cohort's dates) and sees who is behind; mentors see the
progress too; outsiders and plain members get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.learning import paths_admin
from gilde.learning.models import (
    CatalogueItem,
    CohortMember,
    CohortStep,
    Enrolment,
    EnrolmentVia,
    LearningPath,
    PathEnrolment,
)
from gilde.learning.services import external_proof_submit
from tests.conftest import World
from tests.learning.test_paths_pages import make_path


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def path(world: World, items: dict[str, CatalogueItem]) -> LearningPath:
    p = make_path(world, "Werkend leren")
    for key in ("a_private", "a_network", "a_job"):
        paths_admin.path_step_add_checked(actor=world.a.admin, path=p, item=items[key])
    return paths_admin.path_publish(actor=world.a.admin, path=p)


def test_default_pacing_spreads_the_steps_from_the_start() -> None:
    start = dt.date(2025, 1, 1)
    rows = paths_admin.default_pacing(
        ["a", "b", "c", "d"],  # type: ignore[list-item]
        start,
        dt.date(2025, 12, 31),
        ordered=True,
    )
    dues = [due for _s, _o, due in rows]
    assert dues[-1] == dt.date(2025, 12, 31)
    assert dues == sorted(dues)
    assert rows[0][1] == start and rows[1][1] == dues[0]
    free = paths_admin.default_pacing(["a", "b"], start, None, ordered=False)  # type: ignore[list-item]
    assert [o for _s, o, _d in free] == [None, None]
    assert free[1][2] == start + dt.timedelta(weeks=8)


def test_admin_starts_a_cohort_adds_people_and_sees_who_is_behind(
    world: World,
    path: LearningPath,
    items: dict[str, CatalogueItem],
    django_assert_max_num_queries: Any,
) -> None:
    admin = client_for(world.a.admin)
    start = timezone.localdate() - dt.timedelta(days=90)
    response = admin.post(
        reverse("learning:cohort-create", args=[path.uuid]),
        {
            "owner": f"org:{world.a.org.slug}",
            "name": "Najaar",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=120)).isoformat(),
            "coordinator": str(world.a.manager.uuid),
            "mentors": [str(world.a.mentor.uuid)],
        },
    )
    assert response.status_code == 302
    cohort = path.cohorts.get()
    assert cohort.coordinator == world.a.manager
    assert list(cohort.mentors.all()) == [world.a.mentor]
    pacing = list(CohortStep.objects.filter(cohort=cohort).order_by("due_date"))
    assert len(pacing) == 3
    assert pacing[0].due_date == start + dt.timedelta(days=40)
    members_url = reverse("learning:cohort-members", args=[cohort.uuid])
    response = admin.post(members_url, {"people": [str(world.a.learner_membership.uuid)]})
    assert response.status_code == 302
    assert CohortMember.objects.filter(cohort=cohort, person=world.a.learner).exists()
    path_enrolment = PathEnrolment.objects.get(person=world.a.learner, path=path)
    assert path_enrolment.cohort == cohort and path_enrolment.via == EnrolmentVia.COHORT
    first = Enrolment.objects.get(path_enrolment=path_enrolment, item=items["a_private"])
    assert first.due_date == pacing[0].due_date and first.via == EnrolmentVia.COHORT
    external_proof_submit(actor=world.a.learner, enrolment=first, link="https://e.org/p")
    detail = reverse("learning:cohort", args=[cohort.uuid])
    admin.get(detail)
    with django_assert_max_num_queries(30):
        body = admin.get(detail).content.decode()
    # The second step was due 80 days after the start: behind. The third is still open.
    assert "Who is behind" in body
    assert "1 step past its date" in body
    # The mentor of the cohort sees it; the learner and outsiders do not.
    assert client_for(world.a.mentor).get(detail).status_code == 200
    assert client_for(world.a.learner).get(detail).status_code == 404
    for person in world.b.personas().values():
        assert client_for(person).get(detail).status_code == 404
        assert client_for(person).get(members_url).status_code == 404


def test_changing_the_dates_moves_the_members_open_enrolments(
    world: World, path: LearningPath, items: dict[str, CatalogueItem]
) -> None:
    owner = paths_admin.cohort_owners_for(world.a.admin, path)[0]
    cohort = paths_admin.cohort_create(
        actor=world.a.admin,
        path=path,
        owner=owner,
        name="Voorjaar",
        start_date=timezone.localdate(),
    )
    paths_admin.cohort_members_add(
        actor=world.a.admin, cohort=cohort, memberships=[world.a.learner_membership]
    )
    steps = list(CohortStep.objects.filter(cohort=cohort).order_by("due_date"))
    later = timezone.localdate() + dt.timedelta(days=200)
    form = {}
    for row in steps:
        form[f"due_{row.step_id}"] = (later if row == steps[0] else row.due_date).isoformat()
    response = client_for(world.a.admin).post(
        reverse("learning:cohort-pacing", args=[cohort.uuid]), form
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=world.a.learner, item=items["a_private"])
    assert enrolment.due_date == later
    # A step due before it opens is refused, and nothing changes.
    bad = {**form, f"opens_{steps[0].step_id}": (later + dt.timedelta(days=1)).isoformat()}
    response = client_for(world.a.admin).post(
        reverse("learning:cohort-pacing", args=[cohort.uuid]), bad
    )
    assert response.status_code == 200
    steps[0].refresh_from_db()
    assert steps[0].opens_on is None


def test_only_people_one_leads_can_be_added(world: World, path: LearningPath) -> None:
    owner = paths_admin.cohort_owners_for(world.a.admin, path)[0]
    cohort = paths_admin.cohort_create(
        actor=world.a.admin, path=path, owner=owner, name="X", start_date=timezone.localdate()
    )
    author_membership = world.a.author.memberships.get()
    with pytest.raises(paths_admin.LearningError):
        paths_admin.cohort_members_add(
            actor=world.a.manager, cohort=cohort, memberships=[author_membership]
        )
    assert not CohortMember.objects.exists()


def test_a_cohort_end_before_its_start_is_refused(world: World, path: LearningPath) -> None:
    owner = paths_admin.cohort_owners_for(world.a.admin, path)[0]
    with pytest.raises(paths_admin.LearningError):
        paths_admin.cohort_create(
            actor=world.a.admin,
            path=path,
            owner=owner,
            name="Verkeerd",
            start_date=timezone.localdate(),
            end_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert not path.cohorts.exists()
