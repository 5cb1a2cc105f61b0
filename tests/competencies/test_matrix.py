"""The team at a glance: who sees which rows, what a cell shows, inline rating, export, and a
query count that does not grow with the number of people."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.competencies.models import Assessment, AssessmentSource, RaterRole
from gilde.competencies.services import profile_assign
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


def matrix_url(cw: CompetencyWorld, **params: str) -> str:
    url = reverse("competencies:matrix", args=[cw.world.a.org.slug])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def cell_url(cw: CompetencyWorld) -> str:
    return reverse("competencies:matrix-cell", args=[cw.world.a.org.slug])


def cell_post(cw: CompetencyWorld, person_membership: Any, code: str, level: Any) -> dict[str, Any]:
    return {
        "m": str(person_membership.uuid),
        "c": code,
        "profile": cw.profile.slug,
        "level": str(level),
    }


@pytest.fixture
def rated(cw: CompetencyWorld) -> CompetencyWorld:
    """A's learner: CNC-01 validated 2 (required 3), MET-01 self-rated 3 (not validated),
    SOFT-01 validated 1 with a self-rating of 4 (a disagreement)."""
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 2)
    rate(a.learner, a.learner, cw.measure, 3)
    rate(a.manager, a.learner, cw.teamwork, 1)
    rate(a.learner, a.learner, cw.teamwork, 4)
    return cw


# --- who sees the matrix --------------------------------------------------------------------


def test_admin_sees_everyone_with_levels_against_the_profile(rated: CompetencyWorld) -> None:
    a = rated.world.a
    response = client_for(a.admin).get(matrix_url(rated))
    assert response.status_code == 200
    page = response.content.decode()
    # The most common profile among the people is chosen without asking.
    assert "Verspaner" in page
    for person in (a.learner, a.manager, a.admin, rated.world.temp_worker):
        assert escape(person.display_name) in page
    assert "CNC-01" in page and "MET-01" in page and "SOFT-01" in page
    # CNC-01: level 2 where 3 is required, one level short.
    assert 'class="c below1"' in page and "2<small>/3</small>" in page
    # Grouped by category.
    assert "Vakkennis" in page and "Soft skills" in page


def test_manager_sees_only_the_people_they_manage(rated: CompetencyWorld) -> None:
    a = rated.world.a
    page = client_for(a.manager).get(matrix_url(rated)).content.decode()
    assert escape(a.learner.display_name) in page
    assert escape(a.admin.display_name) not in page
    assert escape(a.mentor.display_name) not in page


def test_learner_gets_404_on_the_team_matrix(rated: CompetencyWorld) -> None:
    a = rated.world.a
    assert client_for(a.learner).get(matrix_url(rated)).status_code == 404
    assert client_for(a.mentor).get(matrix_url(rated)).status_code == 404


def test_outsider_from_the_other_organisation_gets_404(rated: CompetencyWorld) -> None:
    b = rated.world.b
    for person in (b.admin, b.manager, b.coordinator, b.learner):
        assert client_for(person).get(matrix_url(rated)).status_code == 404


def test_self_only_and_disagreement_are_marked_with_words(rated: CompetencyWorld) -> None:
    page = client_for(rated.world.a.admin).get(matrix_url(rated)).content.decode()
    assert "self-rating only, not validated" in page
    assert "differ by two or more levels" in page
    assert '<b class="mk">!</b>' in page
    # The legend explains every sign.
    assert "How to read the table" in page


def test_filters_by_category_and_team(rated: CompetencyWorld) -> None:
    a = rated.world.a
    client = client_for(a.admin)
    page = client.get(
        matrix_url(rated, profile=rated.profile.slug, category="Soft%20skills")
    ).content.decode()
    assert "SOFT-01" in page and "CNC-01" not in page
    page = client.get(
        matrix_url(rated, profile=rated.profile.slug, team=a.team.slug)
    ).content.decode()
    assert escape(a.learner.display_name) in page
    assert escape(a.admin.display_name) not in page  # the admin is in no team


def test_only_people_with_the_profile(rated: CompetencyWorld) -> None:
    a = rated.world.a
    page = (
        client_for(a.admin)
        .get(matrix_url(rated, profile=rated.profile.slug, holders="1"))
        .content.decode()
    )
    assert escape(a.learner.display_name) in page
    assert escape(a.manager.display_name) not in page


def test_sort_by_gap_puts_the_biggest_gap_first(rated: CompetencyWorld) -> None:
    a = rated.world.a
    # The manager meets everything; the learner has gaps; everyone else has nothing rated.
    for competency, level in ((rated.cnc, 3), (rated.measure, 3), (rated.teamwork, 2)):
        rate(a.admin, a.manager, competency, level)
    page = (
        client_for(a.admin)
        .get(matrix_url(rated, profile=rated.profile.slug, sort="gap"))
        .content.decode()
    )
    unrated = page.index(escape(a.mentor.display_name))
    learner = page.index(escape(a.learner.display_name))
    manager = page.index(escape(a.manager.display_name))
    assert unrated < learner < manager
    by_name = client_for(a.admin).get(matrix_url(rated, profile=rated.profile.slug))
    names = by_name.content.decode()
    assert names.index(escape(a.admin.display_name)) < names.index(escape(a.learner.display_name))


def test_list_view_for_a_phone_shows_the_biggest_gaps(rated: CompetencyWorld) -> None:
    a = rated.world.a
    page = client_for(a.admin).get(matrix_url(rated, view="list")).content.decode()
    assert "Biggest gaps" in page
    assert escape(a.learner.display_name) in page
    assert "<table" not in page.split("<main")[1].split("</main>")[0]


def test_framework_columns_without_requirements(rated: CompetencyWorld) -> None:
    page = (
        client_for(rated.world.a.admin)
        .get(matrix_url(rated, framework=rated.framework.slug))
        .content.decode()
    )
    assert "no required levels" in page
    assert 'class="c free"' in page


def test_unknown_profile_says_so_and_falls_back(rated: CompetencyWorld) -> None:
    page = (
        client_for(rated.world.a.admin)
        .get(matrix_url(rated, profile="does-not-exist"))
        .content.decode()
    )
    assert "not available here" in page
    assert "CNC-01" in page


def _add_people(cw: CompetencyWorld, n: int, start: int) -> None:
    a = cw.world.a
    since = timezone.localdate() - dt.timedelta(days=5)
    for i in range(start, start + n):
        person = make_person(f"extra{i}@example.org", "Extra", f"Persoon{i:03d}")
        membership = membership_create(
            actor=None,
            person=person,
            organisation=a.org,
            roles=[Role.LEARNER],
            team=a.team,
            manager=a.manager,
            start_date=since,
        )
        profile_assign(actor=None, membership=membership, profile=cw.profile)
        rate(a.manager, person, cw.cnc, 1 + i % 4)
        rate(person, person, cw.measure, 1 + (i + 1) % 4)


def _count(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("sort", ["name", "gap"])
def test_query_count_does_not_grow_with_the_number_of_people(
    cw: CompetencyWorld, sort: str
) -> None:
    a = cw.world.a
    url = matrix_url(cw, sort=sort)
    _add_people(cw, 5, 0)
    client = client_for(a.admin)
    client.get(url)  # sessions and caches settle
    few, page_few = _count(client, url)
    _add_people(cw, 35, 5)
    many, page_many = _count(client, url)
    assert page_many.count('<th scope="row">') > page_few.count('<th scope="row">') >= 5
    assert few == many


def test_manager_query_count_is_the_same_for_5_and_40_people(cw: CompetencyWorld) -> None:
    a = cw.world.a
    client = client_for(a.manager)
    _add_people(cw, 5, 0)
    client.get(matrix_url(cw))
    few, _ = _count(client, matrix_url(cw))
    _add_people(cw, 35, 5)
    many, _ = _count(client, matrix_url(cw))
    assert few == many


def test_pages_of_fifty_people(cw: CompetencyWorld) -> None:
    _add_people(cw, 55, 0)
    client = client_for(cw.world.a.admin)
    first = client.get(matrix_url(cw)).content.decode()
    second = client.get(matrix_url(cw, page="2")).content.decode()
    assert first.count('<th scope="row">') == 50
    assert second.count('<th scope="row">') > 0
    assert "Page 2 of 2" in second


# --- rating a cell inline -------------------------------------------------------------------


def test_manager_rates_a_cell_with_htmx_and_gets_the_new_cell(rated: CompetencyWorld) -> None:
    a = rated.world.a
    client = client_for(a.manager)
    before = Assessment.objects.count()
    response = client.post(
        cell_url(rated),
        cell_post(rated, a.learner_membership, "CNC-01", 3),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<td class="c met"')
    assert "3<small>/3</small>" in fragment
    # The row's gap and the status line are updated out of band.
    assert f'id="gap-{a.learner_membership.uuid}" hx-swap-oob="true"' in fragment
    assert 'id="matrix-status"' in fragment and "Saved" in fragment
    assert Assessment.objects.count() == before + 1
    latest = Assessment.objects.latest("pk")
    assert latest.source == AssessmentSource.MATRIX
    assert latest.rater_role == RaterRole.MANAGER
    assert latest.rater == a.manager and latest.person == a.learner and latest.level == 3


def test_the_cell_form_is_a_fragment_for_htmx_and_a_page_without(
    rated: CompetencyWorld,
) -> None:
    a = rated.world.a
    client = client_for(a.admin)
    params = {"m": str(a.learner_membership.uuid), "c": "CNC-01", "profile": rated.profile.slug}
    fragment = client.get(cell_url(rated), params, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<td")
    assert '<select id="cell-level-' in fragment and "autofocus" in fragment
    assert "<html" not in fragment
    page = client.get(cell_url(rated), params).content.decode()
    assert "<html" in page and 'name="level"' in page and 'name="comment"' in page
    assert "level 2, required 3" in page


def test_rating_without_javascript_redirects_back_to_the_matrix(rated: CompetencyWorld) -> None:
    a = rated.world.a
    client = client_for(a.admin)
    back = matrix_url(rated, profile=rated.profile.slug, page="1")
    data = {**cell_post(rated, a.learner_membership, "MET-01", 2), "next": back}
    response = client.post(cell_url(rated), data)
    assert response.status_code == 302
    assert response["Location"] == back
    assert Assessment.objects.filter(
        person=a.learner, competency=rated.measure, rater=a.admin, level=2
    ).exists()


def test_a_return_address_elsewhere_is_not_followed(rated: CompetencyWorld) -> None:
    a = rated.world.a
    data = {
        **cell_post(rated, a.learner_membership, "MET-01", 2),
        "next": "https://evil.example/matrix/",
    }
    response = client_for(a.admin).post(cell_url(rated), data)
    assert response.status_code == 302
    assert response["Location"].startswith(matrix_url(rated))


def test_a_level_outside_the_scale_is_refused_and_nothing_is_recorded(
    rated: CompetencyWorld,
) -> None:
    a = rated.world.a
    client = client_for(a.manager)
    before = Assessment.objects.count()
    for level in (9, 0, "drie"):
        response = client.post(
            cell_url(rated),
            cell_post(rated, a.learner_membership, "CNC-01", level),
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "Choose one of the levels of the scale." in response.content.decode()
    response = client.post(cell_url(rated), cell_post(rated, a.learner_membership, "CNC-01", 7))
    assert response.status_code == 200
    assert "Choose one of the levels of the scale." in response.content.decode()
    assert Assessment.objects.count() == before


def test_learner_cannot_rate_others_through_the_matrix(rated: CompetencyWorld) -> None:
    a = rated.world.a
    before = Assessment.objects.count()
    manager_membership = a.manager.memberships.get(organisation=a.org)
    for target in (a.learner_membership, manager_membership):
        response = client_for(a.learner).post(
            cell_url(rated), cell_post(rated, target, "CNC-01", 4), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 404
    assert Assessment.objects.count() == before


def test_manager_cannot_rate_someone_they_do_not_manage(rated: CompetencyWorld) -> None:
    a = rated.world.a
    before = Assessment.objects.count()
    mentor_membership = a.mentor.memberships.get(organisation=a.org)
    response = client_for(a.manager).post(
        cell_url(rated), cell_post(rated, mentor_membership, "CNC-01", 4)
    )
    assert response.status_code == 404
    assert Assessment.objects.count() == before


def test_admin_cannot_validate_their_own_level_in_the_matrix(rated: CompetencyWorld) -> None:
    a = rated.world.a
    before = Assessment.objects.count()
    own = a.admin.memberships.get(organisation=a.org)
    client = client_for(a.admin)
    response = client.post(cell_url(rated), cell_post(rated, own, "CNC-01", 4))
    assert response.status_code == 403
    assert "You cannot validate the level of" in response.content.decode()
    response = client.post(
        cell_url(rated), cell_post(rated, own, "CNC-01", 4), HTTP_HX_REQUEST="true"
    )
    assert "You cannot validate the level of" in response.content.decode()
    assert Assessment.objects.count() == before
    # Their own row has no rating links.
    page = client.get(matrix_url(rated)).content.decode()
    own_row = page.split(escape(a.admin.display_name))[1].split("</tr>")[0]
    assert "cell/?m=" not in own_row
    learner_row = page.split(escape(a.learner.display_name))[1].split("</tr>")[0]
    assert f"cell/?m={a.learner_membership.uuid}" in learner_row


def test_outsider_cannot_rate_through_the_matrix(rated: CompetencyWorld) -> None:
    a, b = rated.world.a, rated.world.b
    before = Assessment.objects.count()
    for person in (b.admin, b.manager):
        response = client_for(person).post(
            cell_url(rated), cell_post(rated, a.learner_membership, "CNC-01", 4)
        )
        assert response.status_code == 404
    assert Assessment.objects.count() == before


def test_unknown_competency_or_person_is_404(rated: CompetencyWorld) -> None:
    a = rated.world.a
    client = client_for(a.admin)
    assert (
        client.post(
            cell_url(rated), cell_post(rated, a.learner_membership, "NOPE-1", 2)
        ).status_code
        == 404
    )
    data = cell_post(rated, a.learner_membership, "CNC-01", 2)
    data["m"] = "not-a-uuid"
    assert client.post(cell_url(rated), data).status_code == 404


# --- export -----------------------------------------------------------------------------------


def export_url(cw: CompetencyWorld, fmt: str) -> str:
    return reverse("competencies:matrix-export", args=[cw.world.a.org.slug, fmt])


def test_csv_export_has_every_person_with_levels_and_the_requirement(
    rated: CompetencyWorld,
) -> None:
    a = rated.world.a
    response = client_for(a.admin).get(export_url(rated, "csv") + "?category=Vakkennis")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    lines = [line.split(";") for line in text.strip().split("\r\n")]
    header, required = lines[0], lines[1]
    assert header[3:5] == ["CNC-01 CNC-draaien", "MET-01 Meten"]
    assert "SOFT-01 Samenwerken" not in header  # the category filter holds
    assert required[3:5] == ["3", "3"]
    learner = next(line for line in lines if line[0] == a.learner.display_name)
    assert learner[1] == a.team.name
    assert learner[3:5] == ["2", "3"]
    assert learner[-2] == "MET-01"  # self-rating only
    assert AuditEvent.objects.filter(
        action="competencies.matrix_export", organisation=a.org, actor=a.admin
    ).exists()


def test_xlsx_export_keeps_levels_as_numbers(rated: CompetencyWorld) -> None:
    from openpyxl import load_workbook

    a = rated.world.a
    response = client_for(a.admin).get(export_url(rated, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "CNC-01 CNC-draaien"
    learner = next(r for r in rows if r[0] == a.learner.display_name)
    assert learner[3] == 2 and isinstance(learner[3], int)


def test_export_of_a_name_starting_with_equals_is_not_a_formula(rated: CompetencyWorld) -> None:
    a = rated.world.a
    a.learner.given_name = "=HYPERLINK(1)"
    a.learner.save()
    text = client_for(a.admin).get(export_url(rated, "csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_export_query_count_does_not_grow_with_people(cw: CompetencyWorld) -> None:
    client = client_for(cw.world.a.admin)
    _add_people(cw, 3, 0)
    client.get(export_url(cw, "csv"))
    with CaptureQueriesContext(connection) as few:
        client.get(export_url(cw, "csv"))
    _add_people(cw, 20, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(export_url(cw, "csv"))
    assert response.content.decode("utf-8-sig").count("\r\n") > 20
    assert len(few.captured_queries) == len(many.captured_queries)


def test_export_is_404_for_learner_outsider_and_unknown_format(rated: CompetencyWorld) -> None:
    a, b = rated.world.a, rated.world.b
    assert client_for(a.learner).get(export_url(rated, "csv")).status_code == 404
    assert client_for(b.admin).get(export_url(rated, "csv")).status_code == 404
    assert client_for(a.admin).get(export_url(rated, "pdf")).status_code == 404


def test_gap_for_sorting_equals_the_gap_shown(cw: CompetencyWorld) -> None:
    """The fast gap used to sort a whole organisation is the same number as the row shows."""
    from gilde.competencies.matrix import (
        build_row,
        gap_from_levels,
        level_rows,
        source_for_profile,
    )

    a = cw.world.a
    _add_people(cw, 6, 0)
    rate(a.manager, a.learner, cw.teamwork, 4)
    rate(a.learner, a.learner, cw.cnc, 2)
    source = source_for_profile(cw.profile)
    people = list(a.org.memberships.all())
    levels = level_rows(source=source, person_ids=[m.person_id for m in people])
    for membership in people:
        row = build_row(source, membership, levels, can_rate=True)
        assert row.gap is not None
        assert gap_from_levels(source, levels, membership.person_id) == pytest.approx(row.gap)


def test_cancel_gives_back_the_cell_for_htmx_and_the_matrix_without(
    rated: CompetencyWorld,
) -> None:
    a = rated.world.a
    client = client_for(a.admin)
    params = {
        "m": str(a.learner_membership.uuid),
        "c": "CNC-01",
        "profile": rated.profile.slug,
        "show": "1",
    }
    fragment = client.get(cell_url(rated), params, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<td class="c below1"')
    assert "autofocus" in fragment and "<form" not in fragment
    response = client.get(cell_url(rated), params)
    assert response.status_code == 302
    assert response["Location"].startswith(matrix_url(rated))


def test_home_page_points_leaders_to_the_overview(rated: CompetencyWorld) -> None:
    a = rated.world.a
    home = reverse("core:home")
    matrix = reverse("competencies:matrix", args=[a.org.slug])
    network_gaps = reverse("competencies:network-gaps", args=[a.network.slug])
    assert matrix in client_for(a.admin).get(home).content.decode()
    assert matrix in client_for(a.manager).get(home).content.decode()
    learner_home = client_for(a.learner).get(home).content.decode()
    assert matrix not in learner_home and network_gaps not in learner_home
    assert network_gaps in client_for(a.coordinator).get(home).content.decode()
