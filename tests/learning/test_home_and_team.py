"""The learner's home block and a manager's view of the team's progress; both run a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.learning import services
from gilde.learning.models import CatalogueItem, Enrolment
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.conftest import World, make_person
from tests.learning.conftest import make_item


def test_home_shows_what_next_due_soon_and_progress(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    soon = timezone.localdate() + dt.timedelta(days=3)
    services.enrolment_self_create(actor=world.a.learner, item=items["a_network"], due_date=soon)
    later = services.enrolment_self_create(actor=world.a.learner, item=items["a_private"])
    Enrolment.objects.filter(pk=later.pk).update(progress_percent=40)
    client.force_login(world.a.learner)
    response = client.get(reverse("core:home"))
    data = response.context["learning"]
    assert data.next_up.item == items["a_network"]  # due first
    assert [e.item for e in data.due_soon] == [items["a_network"]]
    assert data.active_count == 2
    body = response.content.decode()
    assert "Webwinkel starten" in body
    assert reverse("learning:mine") in body


def test_home_counts_completions_and_hours_this_year(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    enrolment = services.enrolment_self_create(actor=world.a.learner, item=items["a_network"])
    services.external_proof_submit(
        actor=world.a.learner, enrolment=enrolment, link="https://example.org/p"
    )
    client.force_login(world.a.learner)
    data = client.get(reverse("core:home")).context["learning"]
    assert data.completed_this_year == 1
    assert data.hours_this_year == items["a_network"].study_load_hours


def test_home_query_count_does_not_grow_with_enrolments(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.a.learner)
    first = make_item(actor=world.a.admin, title="Item 0", organisation=world.a.org)
    services.enrolment_self_create(actor=world.a.learner, item=first)
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("core:home"))
    for n in range(1, 15):
        item = make_item(actor=world.a.admin, title=f"Item {n}", organisation=world.a.org)
        due = timezone.localdate() + dt.timedelta(days=n)
        services.enrolment_self_create(actor=world.a.learner, item=item, due_date=due)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("core:home"))
    assert response.context["learning"].active_count == 15


def test_manager_sees_the_teams_progress(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    services.enrolments_create_for_team(
        actor=world.a.manager,
        item=items["a_private"],
        organisation=world.a.org,
        people=[world.a.learner],
        due_date=timezone.localdate(),
    )
    client.force_login(world.a.manager)
    response = client.get(reverse("learning:team", args=[world.a.org.slug]))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert [row.membership.person for row in progress.rows] == [world.a.learner]
    assert [s.item for s in progress.items] == [items["a_private"]]
    body = response.content.decode()
    assert "<svg" in body and 'scope="col"' in body
    assert "Veilig werken A" in body


def test_the_team_page_is_for_leads_of_the_organisation(client: Client, world: World) -> None:
    url = reverse("learning:team", args=[world.a.org.slug])
    for person in (world.a.learner, world.a.author, world.b.manager, world.b.admin):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_an_admin_sees_everyone_but_a_manager_only_their_people(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    services.enrolments_create_for_team(
        actor=world.a.admin,
        item=items["a_private"],
        organisation=world.a.org,
        people=[world.a.learner, world.a.author],
    )
    client.force_login(world.a.admin)
    rows = client.get(reverse("learning:team", args=[world.a.org.slug])).context["progress"].rows
    assert {r.membership.person for r in rows} >= {world.a.learner, world.a.author}
    client.force_login(world.a.manager)
    rows = client.get(reverse("learning:team", args=[world.a.org.slug])).context["progress"].rows
    assert [r.membership.person for r in rows] == [world.a.learner]


def test_team_progress_query_count_does_not_grow_with_people_and_items(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    org = world.a.org
    client.force_login(world.a.admin)
    url = reverse("learning:team", args=[org.slug])

    def grow(start: int, people: int, item_count: int) -> None:
        created = []
        for n in range(start, start + people):
            person = make_person(f"p{n}@example.org", "Piet", f"Persoon{n}")
            membership_create(actor=None, person=person, organisation=org, roles=[Role.LEARNER])
            created.append(person)
        for n in range(start, start + item_count):
            item = make_item(actor=world.a.admin, title=f"Cursus {n}", organisation=org)
            services.enrolments_create_for_team(
                actor=world.a.admin, item=item, organisation=org, people=created
            )

    grow(0, 2, 1)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    grow(10, 12, 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["progress"].items) == 6
