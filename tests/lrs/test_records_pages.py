"""My learning records and the team's records in the browser: a learner sees their own records
from every store in plain language; an admin, manager or mentor sees the people they follow,
only from their organisation's store; an outsider from side B sees nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.lrs.models import Statement, Store
from gilde.lrs.services import record_statements
from gilde.lrs.validation import VOIDED
from tests.conftest import World
from tests.lrs.records_samples import record, statement

MINE = reverse("records:mine")


def browser(person: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(person)
    return client


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def team_url(world: World) -> str:
    return reverse("records:team", args=[world.a.org.slug])


def person_url(world: World) -> str:
    return reverse("records:person", args=[world.a.org.slug, world.a.learner_membership.uuid])


@pytest.fixture
def learned(world: World) -> World:
    """A's learner learned for Org A and for network A; B's learner for Org B."""
    a, b = world.a, world.b
    record(
        a.learner,
        statement(
            a.learner,
            "completed",
            "Safe work",
            dutch="Veilig werken",
            days_ago=40,
            result={"completion": True, "duration": "PT1H30M"},
        ),
        statement(
            a.learner,
            "passed",
            "Quiz safe work",
            days_ago=39,
            result={"success": True, "completion": True, "score": {"scaled": 0.85}},
        ),
        statement(a.learner, "launched", "Forklift basics", days_ago=2),
        organisation=a.org,
    )
    record(
        a.learner,
        statement(a.learner, "attended", "Network breakfast", days_ago=10),
        network=a.network,
    )
    record(
        b.learner, statement(b.learner, "completed", "Secret of B", days_ago=1), organisation=b.org
    )
    return world


# --- my learning records -------------------------------------------------------------------


def test_my_records_show_what_when_result_and_organisation_newest_first(learned: World) -> None:
    html = page(browser(learned.a.learner), MINE)
    assert "My learning records" in html
    for text in ("Safe work", "Quiz safe work", "Forklift basics", "Network breakfast"):
        assert text in html
    assert html.index("Forklift basics") < html.index("Network breakfast") < html.index("Safe work")
    assert "score 85%" in html and "passed" in html and "1 h 30 min" in html
    assert escape(learned.a.org.name) in html and escape(learned.a.network.name) in html
    assert "Secret of B" not in html


def test_names_and_verbs_come_in_the_readers_language(learned: World) -> None:
    a = learned.a
    record(
        a.learner,
        statement(
            a.learner,
            "https://example.org/verbs/practised",
            "Knots",
            display={"en-US": "practised", "nl-NL": "geoefend"},
        ),
        statement(a.learner, "https://example.org/verbs/tied-up", "Ropes", display={"de": "x"}),
        organisation=a.org,
    )
    dutch = page(browser(a.learner, "nl"), MINE)
    assert "Veilig werken" in dutch and "geoefend" in dutch
    # No display in the reader's language and no known word: the IRI's last part.
    assert "tied-up" in dutch
    english = page(browser(a.learner, "en"), MINE)
    assert "Safe work" in english and "Veilig werken" not in english and "practised" in english


def test_voided_records_are_not_shown(learned: World) -> None:
    a = learned.a
    target = statement(a.learner, "completed", "Mistake course", days_ago=1)
    record(a.learner, target, organisation=a.org)
    voiding = statement(a.learner, "voided", "ignored")
    voiding["object"] = {"objectType": "StatementRef", "id": target["id"]}
    record_statements(statements=[voiding], organisation=a.org, person=a.learner)
    assert Statement.objects.get(statement_id=target["id"]).voided
    html = page(browser(a.learner), MINE)
    assert "Mistake course" not in html and "took back" not in html
    assert "Safe work" in html


def test_pages_are_cut_by_keyset_with_constant_queries(
    world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    a = world.a
    record(
        a.learner,
        *[statement(a.learner, "progressed", f"Step {n:02d}", days_ago=n / 10) for n in range(30)],
        organisation=a.org,
    )
    client = browser(a.learner)
    client.get(MINE)  # the session is loaded once
    with django_assert_max_num_queries(9):
        first = client.get(MINE)
    html = first.content.decode()
    assert "Step 00" in html and "Step 24" in html and "Step 25" not in html
    older = first.context["older_url"]
    assert "before=" in older
    second = page(client, MINE + older)
    assert "Step 25" in second and "Step 29" in second and "Step 24" not in second
    assert "Back to the newest" in second and "Older records" in second

    record(
        a.learner,
        *[statement(a.learner, "answered", f"Q {n}", days_ago=5 + n) for n in range(60)],
        organisation=a.org,
    )
    with django_assert_max_num_queries(9):
        client.get(MINE)
    with django_assert_max_num_queries(9):
        client.get(MINE, {"q": "step"})


def test_a_broken_cursor_shows_the_newest_records(learned: World) -> None:
    html = page(browser(learned.a.learner), MINE, before="not-a-cursor")
    assert "Forklift basics" in html


def test_filters_by_period_verb_and_activity_text(learned: World) -> None:
    a = learned.a
    record(
        a.learner,
        statement(a.learner, "completed", "Één op één gesprek", days_ago=5),
        organisation=a.org,
    )
    client = browser(a.learner)
    html = page(client, MINE, verb="http://adlnet.gov/expapi/verbs/completed")
    assert "Safe work" in html and "Één op één gesprek" in html and "Forklift basics" not in html
    html = page(client, MINE, q="safe")
    assert "Safe work" in html and "Quiz safe work" in html and "Forklift" not in html
    html = page(client, MINE, q="één")
    assert "Één op één gesprek" in html and "Safe work" not in html
    # The activity text is looked for in activities, not in the rest of the statement.
    html = page(client, MINE, q=a.learner.family_name)
    assert "No records match these filters." in html
    from_date = (Statement.objects.get(data__contains="Forklift").timestamp).date().isoformat()
    html = page(client, MINE, since=from_date)
    assert "Forklift basics" in html and "Safe work" not in html


def test_bad_filters_get_a_message_and_filter_nothing(learned: World) -> None:
    client = browser(learned.a.learner)
    html = page(client, MINE, since="2026-13-45")
    assert "Enter a date like 2026-01-31." in html and "Safe work" in html
    html = page(client, MINE, since="2026-03-01", until="2026-01-01")
    assert "The end date comes before the start date." in html
    html = page(client, MINE, until="9999-12-31", since="0001-01-01")
    assert "Enter a date between 1900 and 2999." in html and "Safe work" in html
    html = page(client, MINE, verb="http://example.org/never")
    assert "Choose one of the listed activities." in html and "Safe work" in html


def test_the_month_chart_has_a_table_beside_it(learned: World) -> None:
    html = page(browser(learned.a.learner), MINE)
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert "Learning records per month" in html
    assert '<caption id="cap-months">' in html


def test_a_learner_without_records_gets_a_friendly_page(world: World) -> None:
    html = page(browser(world.a.author), MINE)
    assert "No learning records yet." in html and "<svg" not in html


# --- downloads -------------------------------------------------------------------------------


def test_json_download_holds_the_statements_themselves(learned: World) -> None:
    a = learned.a
    response = browser(a.learner).get(reverse("records:mine-export", args=["json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    statements = json.loads(response.content)
    stored = {
        str(s)
        for s in Statement.objects.filter(person=a.learner).values_list("statement_id", flat=True)
    }
    assert {s["id"] for s in statements} == stored
    assert all(s["actor"]["account"]["name"] == str(a.learner.uuid) for s in statements)
    assert all("stored" in s and "authority" in s for s in statements)
    assert AuditEvent.objects.filter(action="lrs.records_export", subject_id=a.learner.pk).exists()


def test_csv_download_has_one_readable_row_per_record_with_the_filters(learned: World) -> None:
    a = learned.a
    record(
        a.learner,
        statement(a.learner, "completed", "=HYPERLINK(evil)", days_ago=1),
        organisation=a.org,
    )
    response = browser(a.learner).get(reverse("records:mine-export", args=["csv"]), {"q": "safe"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Date and time", "What", "Activity", "Activity id", "Score"]
    assert [r[2] for r in rows[1:]] == ["Quiz safe work", "Safe work"]
    quiz = rows[1]
    assert (
        quiz[1] == "passed" and quiz[4] == "85%" and quiz[5] == "passed" and quiz[8] == a.org.name
    )
    everything = browser(a.learner).get(reverse("records:mine-export", args=["csv"]))
    cells = [
        r[2] for r in csv.reader(io.StringIO(everything.content.decode("utf-8-sig")), delimiter=";")
    ]
    assert "'=HYPERLINK(evil)" in cells and len(cells) == 1 + 5


def test_an_unknown_download_format_is_not_found(learned: World) -> None:
    assert (
        browser(learned.a.learner).get(reverse("records:mine-export", args=["xml"])).status_code
        == 404
    )


# --- the team's records --------------------------------------------------------------------


def test_a_manager_sees_a_summary_of_the_team_from_the_organisations_store(learned: World) -> None:
    html = page(browser(learned.a.manager), team_url(learned))
    assert escape(learned.a.learner.display_name) in html
    # Three records for Org A; the network's breakfast is not the organisation's.
    row = html[html.index(escape(learned.a.learner.display_name)) :]
    assert 'data-label="Records">3<' in row
    assert 'data-label="Completed">1<' in row and 'data-label="Passed">1<' in row
    # The manager does not manage the admin or the mentor.
    assert escape(learned.a.mentor.display_name) not in html
    assert "Learning records per person" in html


def test_the_drill_down_shows_only_the_organisations_records(learned: World) -> None:
    html = page(browser(learned.a.manager), person_url(learned))
    assert "Safe work" in html and "Forklift basics" in html
    assert "Network breakfast" not in html
    assert escape(learned.a.learner.display_name) in html


def test_a_manager_downloads_a_persons_records_with_an_audit_row(learned: World) -> None:
    a = learned.a
    url = reverse("records:person-export", args=[a.org.slug, a.learner_membership.uuid, "json"])
    statements = json.loads(browser(a.manager).get(url).content)
    assert len(statements) == 3
    event = AuditEvent.objects.get(action="lrs.records_export", actor=a.manager)
    assert event.subject_id == a.learner.pk and event.organisation_id == a.org.pk


def test_an_admin_sees_everyone_and_a_mentor_the_placed_temp_worker(learned: World) -> None:
    world = learned
    record(
        world.temp_worker,
        statement(world.temp_worker, "attended", "Werkplaatsinstructie"),
        organisation=world.a.org,
    )
    html = page(browser(world.a.admin), team_url(world))
    for person in (world.a.learner, world.a.manager, world.a.mentor, world.temp_worker):
        assert escape(person.display_name) in html
    mentor = page(browser(world.a.mentor), team_url(world))
    assert escape(world.temp_worker.display_name) in mentor
    assert escape(world.a.learner.display_name) not in mentor
    placement = reverse("records:person", args=[world.a.org.slug, world.placement.uuid])
    assert "Werkplaatsinstructie" in page(browser(world.a.mentor), placement)


def test_the_team_page_runs_the_same_queries_for_any_team_size(
    world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    from gilde.tenancy.models import Role
    from gilde.tenancy.services import membership_create
    from tests.conftest import make_person

    a = world.a
    admin = browser(a.admin)
    admin.get(team_url(world))
    with django_assert_max_num_queries(10):
        admin.get(team_url(world))
    for n in range(12):
        person = make_person(f"extra{n}@example.org", "Extra", f"Persoon{n}")
        membership_create(actor=None, person=person, organisation=a.org, roles=[Role.LEARNER])
        record(
            person,
            *[statement(person, "completed", f"Course {k}") for k in range(3)],
            organisation=a.org,
        )
    with django_assert_max_num_queries(10):
        html = admin.get(team_url(world)).content.decode()
    assert "Persoon11" in html


def test_people_without_a_lead_role_have_no_team_records(learned: World) -> None:
    for person in (learned.a.learner, learned.a.author, learned.a.coordinator):
        assert browser(person).get(team_url(learned)).status_code == 404
    assert browser(learned.a.author).get(person_url(learned)).status_code == 404


def test_ones_own_membership_is_not_a_drill_down(learned: World) -> None:
    from gilde.tenancy.models import Membership

    own = Membership.objects.get(person=learned.a.manager, organisation=learned.a.org)
    url = reverse("records:person", args=[learned.a.org.slug, own.uuid])
    assert browser(learned.a.manager).get(url).status_code == 404


def test_an_outsider_from_side_b_sees_nothing_of_side_a(learned: World) -> None:
    a = learned.a
    urls = [
        team_url(learned),
        person_url(learned),
        reverse("records:person-export", args=[a.org.slug, a.learner_membership.uuid, "csv"]),
        reverse("records:person-export", args=[a.org.slug, a.learner_membership.uuid, "json"]),
    ]
    for persona in learned.b.personas().values():
        client = browser(persona)
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
        own = client.get(MINE).content.decode()
        assert "Safe work" not in own
    b_learner = page(browser(learned.b.learner), MINE)
    assert "Secret of B" in b_learner
    assert not AuditEvent.objects.filter(action="lrs.records_export").exists()


def test_pages_ask_to_log_in_first(learned: World) -> None:
    response = Client().get(MINE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reading_the_pages_makes_no_store(world: World) -> None:
    page(browser(world.a.admin), team_url(world))
    page(browser(world.a.learner), MINE)
    assert not Store.objects.exists()


def test_the_team_summary_counts_neither_voided_nor_voiding_records(learned: World) -> None:
    a = learned.a
    target = statement(a.learner, "completed", "Wrong course")
    record(a.learner, target, organisation=a.org)
    voiding = statement(a.learner, "voided", "ignored")
    voiding["object"] = {"objectType": "StatementRef", "id": target["id"]}
    record_statements(statements=[voiding], organisation=a.org, person=a.learner)
    assert Statement.objects.filter(person=a.learner, verb=VOIDED).exists()
    html = page(browser(a.manager), team_url(learned))
    row = html[html.index(escape(a.learner.display_name)) :]
    assert 'data-label="Records">3<' in row and 'data-label="Completed">1<' in row


# --- coaches ---------------------------------------------------------------------------------


def coached_url(world: World) -> str:
    return reverse("records:coached-person", args=[world.a.learner.uuid])


def test_a_coach_sees_the_coachees_records_of_the_coaching_network(learned: World) -> None:
    a, b = learned.a, learned.b
    # Learning for an organisation outside network A is not the coach's to see.
    record(a.learner, statement(a.learner, "completed", "Elsewhere course"), organisation=b.org)
    coach = browser(a.coach)
    html = page(coach, reverse("records:coached"))
    assert escape(a.learner.display_name) in html
    row = html[html.index(escape(a.learner.display_name)) :]
    assert 'data-label="Records">4<' in row
    detail = page(coach, coached_url(learned))
    assert "Safe work" in detail and "Network breakfast" in detail
    assert "Elsewhere course" not in detail
    exported = json.loads(
        coach.get(reverse("records:coached-person-export", args=[a.learner.uuid, "json"])).content
    )
    assert len(exported) == 4


def test_a_coach_sees_nobody_else_and_an_ended_assignment_ends_it(learned: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from gilde.tenancy.models import CoachAssignment

    a = learned.a
    coach = browser(a.coach)
    other = reverse("records:coached-person", args=[a.manager.uuid])
    assert coach.get(other).status_code == 404
    assert browser(a.manager).get(coached_url(learned)).status_code == 404
    CoachAssignment.objects.filter(coach=a.coach).update(
        end_date=timezone.localdate() - dt.timedelta(days=1)
    )
    assert coach.get(coached_url(learned)).status_code == 404
    assert "There is nobody whose learning you follow here yet." in page(
        coach, reverse("records:coached")
    )


def test_a_coach_of_side_b_sees_nothing_of_side_a(learned: World) -> None:
    coach = browser(learned.b.coach)
    assert coach.get(coached_url(learned)).status_code == 404
    url = reverse("records:coached-person-export", args=[learned.a.learner.uuid, "csv"])
    assert coach.get(url).status_code == 404
    html = page(coach, reverse("records:coached"))
    assert escape(learned.a.learner.display_name) not in html


def test_the_coach_page_runs_the_same_queries_for_any_number_of_coachees(
    world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    from gilde.tenancy.models import CoachAssignment, Role
    from gilde.tenancy.services import membership_create
    from tests.conftest import make_person

    a = world.a
    coach = browser(a.coach)
    coach.get(reverse("records:coached"))
    with django_assert_max_num_queries(10):
        coach.get(reverse("records:coached"))
    for n in range(8):
        person = make_person(f"coachee{n}@example.org", "Coachee", f"Nummer{n}")
        membership_create(actor=None, person=person, organisation=a.org, roles=[Role.LEARNER])
        CoachAssignment.objects.create(network=a.network, coach=a.coach, person=person)
        record(person, statement(person, "completed", "Course"), organisation=a.org)
    with django_assert_max_num_queries(10):
        html = coach.get(reverse("records:coached")).content.decode()
    assert "Nummer7" in html
