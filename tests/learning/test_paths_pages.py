"""Learning path pages: writing a path with steps (cycles refused), publishing, the learner's
progress, a manager enrolling the team and seeing people × steps; outsiders get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gilde.learning import paths_admin
from gilde.learning.models import (
    CatalogueItem,
    Enrolment,
    EnrolmentStatus,
    EnrolmentVia,
    LearningPath,
    PathEnrolment,
    PathStep,
)
from gilde.learning.services import external_proof_submit
from tests.conftest import World, make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def make_path(world: World, title: str = "Inwerkroute", **fields: Any) -> LearningPath:
    data = {
        "title": title,
        "summary": "",
        "language": "nl",
        "audience": "",
        "ordered": True,
        "completion_rule": "all_required",
        "required_count": None,
        "certificate_enabled": False,
        **fields,
    }
    return paths_admin.path_create(actor=world.a.admin, fields=data, organisation=world.a.org)


@pytest.fixture
def path(world: World, items: dict[str, CatalogueItem]) -> LearningPath:
    p = make_path(world)
    paths_admin.path_step_add_checked(actor=world.a.admin, path=p, item=items["a_private"])
    paths_admin.path_step_add_checked(actor=world.a.admin, path=p, item=items["a_network"])
    paths_admin.path_step_add_checked(
        actor=world.a.admin, path=p, item=items["a_job"], required=False
    )
    return paths_admin.path_publish(actor=world.a.admin, path=p)


def test_admin_creates_a_path_and_adds_steps_through_the_pages(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    admin = client_for(world.a.admin)
    response = admin.post(
        reverse("learning:path-create"),
        {
            "owner": f"org:{world.a.org.slug}",
            "title": "Nieuwe medewerkers",
            "language": "nl",
            "ordered": "on",
            "completion_rule": "at_least_n",
            "required_count": "1",
        },
    )
    assert response.status_code == 302
    new = LearningPath.objects.get(title="Nieuwe medewerkers")
    assert new.organisation == world.a.org and new.required_count == 1
    steps_url = reverse("learning:path-steps", args=[new.uuid])
    for key in ("a_private", "a_network"):
        added = admin.post(
            steps_url, {"action": "add", "step": f"item:{items[key].uuid}", "required": "on"}
        )
        assert added.status_code == 302
    assert list(new.steps.values_list("item__title", flat=True)) == [
        "Veilig werken A",
        "Webwinkel starten",
    ]
    first = new.steps.get(position=1)
    admin.post(steps_url, {"action": "down", "step": str(first.uuid)})
    first.refresh_from_db()
    assert first.position == 2
    admin.post(steps_url, {"action": "optional", "step": str(first.uuid)})
    first.refresh_from_db()
    assert first.required is False
    assert admin.post(reverse("learning:path-publish", args=[new.uuid])).status_code == 302
    new.refresh_from_db()
    assert new.status == "published"


def test_a_path_with_a_cycle_is_refused_with_a_clear_message(
    world: World, path: LearningPath
) -> None:
    outer = make_path(world, "Buitenste")
    paths_admin.path_step_add_checked(actor=world.a.admin, path=outer, included_path=path)
    admin = client_for(world.a.admin)
    before = PathStep.objects.count()
    response = admin.post(
        reverse("learning:path-steps", args=[path.uuid]),
        {"action": "add", "step": f"path:{outer.uuid}", "required": "on"},
    )
    assert response.status_code == 400
    assert "includes Inwerkroute already" in response.content.decode()
    assert PathStep.objects.count() == before


def test_a_step_from_another_organisation_is_refused(
    world: World, path: LearningPath, items: dict[str, CatalogueItem]
) -> None:
    response = client_for(world.a.admin).post(
        reverse("learning:path-steps", args=[path.uuid]),
        {"action": "add", "step": f"item:{items['b_private'].uuid}"},
    )
    assert response.status_code == 400
    assert not path.steps.filter(item=items["b_private"]).exists()


def test_a_path_without_steps_or_with_draft_items_is_not_published(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    empty = make_path(world, "Leeg")
    admin = client_for(world.a.admin)
    admin.post(reverse("learning:path-publish", args=[empty.uuid]))
    empty.refresh_from_db()
    assert empty.status == "draft"
    paths_admin.path_step_add_checked(actor=world.a.admin, path=empty, item=items["a_draft"])
    admin.post(reverse("learning:path-publish", args=[empty.uuid]))
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_learner_enrols_in_a_path_and_sees_their_progress(
    world: World, path: LearningPath, items: dict[str, CatalogueItem]
) -> None:
    learner = client_for(world.a.learner)
    step = path.steps.get(item=items["a_job"])
    paths_admin.path_step_remove(actor=world.a.admin, path=path, step=step)
    assert learner.post(reverse("learning:path-enrol", args=[path.uuid])).status_code == 302
    path_enrolment = PathEnrolment.objects.get(person=world.a.learner, path=path)
    enrolments = Enrolment.objects.filter(path_enrolment=path_enrolment)
    assert enrolments.count() == 2
    assert set(enrolments.values_list("via", flat=True)) == {EnrolmentVia.PATH}
    first = enrolments.get(item=items["a_private"])
    external_proof_submit(actor=world.a.learner, enrolment=first, link="https://example.org/p")
    page = learner.get(reverse("learning:path-detail", args=[path.uuid]))
    body = page.content.decode()
    assert "1 of 2 steps done." in body
    assert "✓" in body


def test_manager_enrols_the_team_and_sees_people_by_steps(
    world: World,
    path: LearningPath,
    items: dict[str, CatalogueItem],
    django_assert_max_num_queries: Any,
) -> None:
    manager = client_for(world.a.manager)
    enrol_url = reverse("learning:path-team-enrol", args=[path.uuid, world.a.org.slug])
    form = manager.get(enrol_url)
    assert form.status_code == 200
    membership = world.a.learner_membership
    response = manager.post(enrol_url, {"people": [str(membership.uuid)]})
    assert response.status_code == 302
    path_enrolment = PathEnrolment.objects.get(person=world.a.learner, path=path)
    assert path_enrolment.via == EnrolmentVia.MANAGER
    assert Enrolment.objects.filter(path_enrolment=path_enrolment).count() == 3
    team_url = reverse("learning:path-team", args=[path.uuid, world.a.org.slug])
    manager.get(team_url)
    with django_assert_max_num_queries(30) as one:
        page = manager.get(team_url)
    queries = len(one)
    assert "Veilig werken A" in page.content.decode()
    # More people in the team: the same number of queries.
    for n in range(4):
        person = make_person(f"extra{n}@example.org", "Extra", f"Persoon{n}")
        from gilde.tenancy.models import Role
        from gilde.tenancy.services import membership_create

        extra = membership_create(
            actor=None,
            person=person,
            organisation=world.a.org,
            roles=[Role.LEARNER],
            manager=world.a.manager,
            start_date=world.a.learner_membership.start_date,
        )
        manager.post(enrol_url, {"people": [str(extra.uuid)]})
    with django_assert_max_num_queries(queries):
        page = manager.get(team_url)
    assert page.content.decode().count('<tr><th scope="row">') == 5


def test_a_manager_cannot_enrol_someone_they_do_not_lead(world: World, path: LearningPath) -> None:
    with pytest.raises(paths_admin.LearningError):
        paths_admin.path_enrol_team(
            actor=world.a.manager, path=path, organisation=world.a.org, people=[world.a.author]
        )
    assert not PathEnrolment.objects.exists()


def test_completing_the_required_steps_completes_the_path(
    world: World, path: LearningPath, items: dict[str, CatalogueItem]
) -> None:
    paths_admin.path_enrol_team(
        actor=world.a.manager, path=path, organisation=world.a.org, people=[world.a.learner]
    )
    for key in ("a_private", "a_network"):
        enrolment = Enrolment.objects.get(
            person=world.a.learner, item=items[key], status=EnrolmentStatus.ACTIVE
        )
        external_proof_submit(actor=world.a.learner, enrolment=enrolment, link="https://e.org/p")
    assert PathEnrolment.objects.get(path=path).status == EnrolmentStatus.COMPLETED


def test_outsiders_get_404_on_every_path_page(world: World, path: LearningPath) -> None:
    urls = [
        reverse("learning:path-detail", args=[path.uuid]),
        reverse("learning:path-steps", args=[path.uuid]),
        reverse("learning:path-edit", args=[path.uuid]),
        reverse("learning:path-team", args=[path.uuid, world.a.org.slug]),
        reverse("learning:path-team-enrol", args=[path.uuid, world.a.org.slug]),
        reverse("learning:cohort-create", args=[path.uuid]),
    ]
    for person in world.b.personas().values():
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
    # Inside: a learner sees the path but cannot edit it or see the team.
    learner = client_for(world.a.learner)
    assert learner.get(urls[0]).status_code == 200
    assert learner.get(urls[1]).status_code == 404
    assert learner.get(urls[3]).status_code == 404


def test_path_list_shows_published_paths_and_own_drafts(world: World, path: LearningPath) -> None:
    make_path(world, "Nog een concept")
    learner_page = client_for(world.a.learner).get(reverse("learning:paths")).content.decode()
    assert "Inwerkroute" in learner_page and "Nog een concept" not in learner_page
    admin_page = client_for(world.a.admin).get(reverse("learning:paths")).content.decode()
    assert "Nog een concept" in admin_page
    b_page = client_for(world.b.learner).get(reverse("learning:paths")).content.decode()
    assert "Inwerkroute" not in b_page


def test_a_draft_path_cannot_be_taken(world: World, items: dict[str, CatalogueItem]) -> None:
    draft = make_path(world, "Nog niet klaar")
    paths_admin.path_step_add_checked(actor=world.a.admin, path=draft, item=items["a_private"])
    with pytest.raises(paths_admin.LearningError, match="published"):
        paths_admin.path_enrol_self(actor=world.a.learner, path=draft)
    assert not PathEnrolment.objects.exists()
