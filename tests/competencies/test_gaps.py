"""Gaps of a group per competency: for a team or organisation (admin, manager) and for the whole
network (coordinator: numbers only, nothing about fewer than three people)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.competencies.services import profile_assign
from gilde.people.models import Person
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.competencies.conftest import CompetencyWorld, rate
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    """A logged-in client that reads the pages in English (the texts asserted below)."""
    client = Client()
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def gaps_url(cw: CompetencyWorld, query: str = "") -> str:
    return reverse("competencies:gaps", args=[cw.world.a.org.slug]) + query


def network_url(cw: CompetencyWorld, query: str = "") -> str:
    return reverse("competencies:network-gaps", args=[cw.world.a.network.slug]) + query


def add_verspaner(cw: CompetencyWorld, organisation: Any, n: int, start: int = 0) -> list[Any]:
    """n people with the profile Verspaner at `organisation`, managed by A's manager there."""
    a = cw.world.a
    people = []
    since = timezone.localdate() - dt.timedelta(days=5)
    for i in range(start, start + n):
        person = make_person(f"v{i}@example.org", "Vera", f"Verspaner{i:03d}")
        membership = membership_create(
            actor=None,
            person=person,
            organisation=organisation,
            roles=[Role.LEARNER],
            manager=a.manager if organisation == a.org else None,
            team=a.team if organisation == a.org else None,
            start_date=since,
        )
        profile_assign(actor=None, membership=membership, profile=cw.profile)
        people.append(person)
    return people


def row_of(page: str, code: str) -> list[str]:
    row = page.split(f"<strong>{code}</strong>")[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split('">')[1:] if "</td>" in cell]


@pytest.fixture
def team(cw: CompetencyWorld) -> CompetencyWorld:
    """A's learner and two more Verspaners in A's team, rated on CNC-01 (required 3)."""
    a = cw.world.a
    extra = add_verspaner(cw, a.org, 2)
    rate(a.manager, a.learner, cw.cnc, 2)  # one short
    rate(a.manager, extra[0], cw.cnc, 4)  # met
    rate(extra[1], extra[1], cw.cnc, 1)  # self-rating only, two short
    return cw


def test_admin_sees_the_gaps_per_competency(team: CompetencyWorld) -> None:
    a = team.world.a
    response = client_for(a.admin).get(gaps_url(team, "?holders=1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 people in this group." in page
    assert '<svg class="chart"' in page
    cells = row_of(page, "CNC-01")
    # required; rated; average level (2 + 4 + 1) / 3; two below; average gap on the 0–1 range
    # (1/3 + 0 + 2/3) / 3
    assert cells == ["3", "3 of 3", "2.3 (44%)", "2", "33%"]
    assert row_of(page, "MET-01")[1] == "0 of 3"


def test_manager_sees_the_gaps_of_the_people_they_manage(team: CompetencyWorld) -> None:
    a = team.world.a
    page = client_for(a.manager).get(gaps_url(team)).content.decode()
    assert "3 people in this group." in page
    rate(a.admin, a.mentor, team.cnc, 1)
    page = client_for(a.manager).get(gaps_url(team)).content.decode()
    assert row_of(page, "CNC-01")[1] == "3 of 3"  # the mentor is not one of theirs


def test_learner_and_outsiders_get_404(team: CompetencyWorld) -> None:
    a, b = team.world.a, team.world.b
    for person in (a.learner, a.mentor, a.coordinator, b.admin, b.manager):
        assert client_for(person).get(gaps_url(team)).status_code == 404


def test_team_progress_per_month(team: CompetencyWorld) -> None:
    a = team.world.a
    page = client_for(a.admin).get(gaps_url(team, "?holders=1")).content.decode()
    table = page.split("Average level per month")[1].split("</table>")[0]
    # (1/3 + 1 + 0) / (3 people × 3 competencies) = 4/27 ≈ 15%
    assert table.count("<tr>") == 2 and "<td>15%</td>" in table


# --- the network ------------------------------------------------------------------------------


@pytest.fixture
def network(team: CompetencyWorld) -> CompetencyWorld:
    """Two more Verspaners at the temp agency, also a member of network A."""
    a = team.world.a
    agency_people = add_verspaner(team, team.world.agency, 2, start=10)
    agency_admin = make_person("agency-admin@example.org", "Ada", "Bureau")
    membership_create(
        actor=None, person=agency_admin, organisation=team.world.agency, roles=[Role.ORG_ADMIN]
    )
    rate(agency_admin, agency_people[0], team.cnc, 3)
    rate(agency_admin, agency_people[1], team.cnc, 3)
    rate(a.manager, a.learner, team.measure, 3)
    return team


def test_coordinator_sees_network_numbers_without_any_name(network: CompetencyWorld) -> None:
    a = network.world.a
    response = client_for(a.coordinator).get(network_url(network))
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 people in the member organisations have the function profile Verspaner." in page
    assert "nobody can be recognised" in page
    assert row_of(page, "CNC-01")[:2] == ["3", "5 of 5"]
    for person in Person.objects.all():
        for marker in (person.email, escape(person.display_name), person.family_name):
            assert marker not in page, marker


def test_network_numbers_about_fewer_than_three_people_are_hidden(
    network: CompetencyWorld,
) -> None:
    page = client_for(network.world.a.coordinator).get(network_url(network)).content.decode()
    met = page.split("<strong>MET-01</strong>")[1].split("</tr>")[0]
    assert "Hidden: fewer than 3 people rated." in met
    assert "1 of 5" not in met


def test_a_network_group_of_fewer_than_three_shows_nothing(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 2)
    page = client_for(a.coordinator).get(network_url(cw)).content.decode()
    assert "so no numbers are shown" in page
    assert "<svg" not in page and "of 1" not in page


def test_only_coordinators_of_the_network_see_its_numbers(network: CompetencyWorld) -> None:
    a, b = network.world.a, network.world.b
    for person in (a.admin, a.manager, a.learner, a.coach, b.coordinator, b.admin):
        assert client_for(person).get(network_url(network)).status_code == 404


def test_network_query_count_does_not_grow_with_people(cw: CompetencyWorld) -> None:
    client = client_for(cw.world.a.coordinator)
    add_verspaner(cw, cw.world.a.org, 4)
    client.get(network_url(cw))
    with CaptureQueriesContext(connection) as few:
        client.get(network_url(cw))
    for person in add_verspaner(cw, cw.world.agency, 20, start=100):
        rate(cw.world.a.manager, person, cw.cnc, 2, rater_role="manager")
    with CaptureQueriesContext(connection) as many:
        page = client.get(network_url(cw)).content.decode()
    assert "25 people" in page
    assert len(few.captured_queries) == len(many.captured_queries)


def test_group_query_count_does_not_grow_with_people(cw: CompetencyWorld) -> None:
    client = client_for(cw.world.a.admin)
    add_verspaner(cw, cw.world.a.org, 3)
    client.get(gaps_url(cw))
    with CaptureQueriesContext(connection) as few:
        client.get(gaps_url(cw))
    for person in add_verspaner(cw, cw.world.a.org, 25, start=50):
        rate(cw.world.a.manager, person, cw.cnc, 3)
    with CaptureQueriesContext(connection) as many:
        client.get(gaps_url(cw))
    assert len(few.captured_queries) == len(many.captured_queries)


def test_progress_of_a_large_group_asks_for_a_team(
    team: CompetencyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gilde.competencies import views_matrix

    monkeypatch.setattr(views_matrix, "MAX_GROUP_PEOPLE", 2)
    page = client_for(team.world.a.admin).get(gaps_url(team, "?holders=1")).content.decode()
    assert "Progress is charted for groups of up to 2 people." in page
    assert "Average level per month" not in page
