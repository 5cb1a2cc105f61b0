"""A person's competency page: chart and table, top gaps, progress per month replayed from the
rating history, and who may see it (and who sees rater names)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.competencies.models import CurrentLevel, RaterRole
from gilde.competencies.progress import Rating, month_ends, replay
from gilde.competencies.services import profile_save, target_profile_set
from tests.competencies.conftest import CompetencyWorld, rate


def client_for(person: Any) -> Client:
    """A logged-in client that reads the pages in English (the texts asserted below)."""
    client = Client()
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def person_url(person: Any) -> str:
    return reverse("competencies:person", args=[person.uuid])


def months_ago(n: int, day: int = 10) -> dt.date:
    today = timezone.localdate()
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, day)


@pytest.fixture
def rated(cw: CompetencyWorld) -> CompetencyWorld:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 1, assessed_on=months_ago(2), comment="Eerste keer")
    rate(a.manager, a.learner, cw.cnc, 2, assessed_on=months_ago(1))
    rate(a.learner, a.learner, cw.measure, 3, assessed_on=months_ago(1))
    rate(a.coach, a.learner, cw.teamwork, 2)
    return cw


def test_learner_sees_their_own_chart_table_and_gaps(rated: CompetencyWorld) -> None:
    a = rated.world.a
    response = client_for(a.learner).get(reverse("competencies:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "My competencies" in page
    assert page.count('<svg class="chart"') == 2  # the profile and the progress
    assert 'role="img"' in page and "<title id=" in page
    assert "Function profile: Verspaner" in page
    assert "Biggest gaps" in page and "Gap score" in page
    # CNC-01 (weight 3) is the biggest gap: level 2 where 3 is required.
    gaps = page.split("Biggest gaps")[1].split("</ol>")[0]
    assert gaps.split("<li>")[1].startswith("<strong>CNC-01</strong>")
    assert "self-rating only" in page and "validated" in page
    # The learner sees who rated them by role, not by name.
    assert ", by manager</td>" in page and ", by coach / assessor</td>" in page
    assert escape(a.manager.display_name) not in page
    assert escape(a.coach.display_name) not in page
    assert "Eerste keer" in page  # the history with comments


def test_manager_sees_the_page_with_rater_names_of_their_organisation(
    rated: CompetencyWorld,
) -> None:
    a = rated.world.a
    page = client_for(a.manager).get(person_url(a.learner)).content.decode()
    assert "Competencies of" in page
    assert f"manager ({escape(a.manager.display_name)})" in page
    # The coach comes from outside the organisation, but is named to its own people.
    assert escape(a.coach.display_name) in page
    admin_page = client_for(a.admin).get(person_url(a.learner)).content.decode()
    assert escape(a.manager.display_name) in admin_page


def test_coach_from_the_network_sees_roles_not_names(rated: CompetencyWorld) -> None:
    a = rated.world.a
    response = client_for(a.coach).get(person_url(a.learner))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verspaner" in page
    assert escape(a.manager.display_name) not in page


def test_people_without_a_right_get_404(rated: CompetencyWorld) -> None:
    a, b = rated.world.a, rated.world.b
    for person in (a.author, a.mentor, a.coordinator, b.admin, b.manager, b.coach, b.learner):
        assert client_for(person).get(person_url(a.learner)).status_code == 404, person


def test_target_profile_is_charted_and_marked(rated: CompetencyWorld) -> None:
    a = rated.world.a
    programmer = profile_save(
        actor=None,
        name="CAM-programmeur",
        version=rated.version,
        network=a.network,
        requirements={"CNC-01": (4, 2)},
    )
    target_profile_set(actor=a.learner, profile=programmer)
    page = client_for(a.learner).get(reverse("competencies:mine")).content.decode()
    assert "Target profile: CAM-programmeur" in page
    assert "(target 4)" in page
    assert page.count('<svg class="chart"') == 4
    assert "<circle" in page.split("Function profile: Verspaner")[1].split("</svg>")[0]


def test_progress_per_month_follows_the_rating_history(rated: CompetencyWorld) -> None:
    page = client_for(rated.world.a.learner).get(reverse("competencies:mine")).content.decode()
    table = page.split("Average level per month")[1].split("</table>")[0]
    # Three competencies, unrated counts as 0. Two months ago: CNC 1 → 0. Last month: CNC 2
    # (1/3) and MET self 3 (2/3) → 1/3. Now: also SOFT 2 (1/3) → 4/9.
    assert [cell.split("</td>")[0] for cell in table.split("<td>")[1:]] == ["0%", "33%", "44%"]


def test_a_person_without_a_profile_sees_an_explanation(rated: CompetencyWorld) -> None:
    page = client_for(rated.world.a.mentor).get(reverse("competencies:mine")).content.decode()
    assert "You have no function profile yet." in page
    assert "Nobody has rated you yet" in page


def test_my_competencies_is_in_the_menu_for_members_only(rated: CompetencyWorld) -> None:
    a = rated.world.a
    home = reverse("core:home")
    mine = reverse("competencies:mine")
    assert mine in client_for(a.learner).get(home).content.decode()
    assert mine not in client_for(a.coach).get(home).content.decode()


def test_query_count_does_not_grow_with_the_number_of_ratings(cw: CompetencyWorld) -> None:
    a = cw.world.a
    client = client_for(a.manager)
    rate(a.manager, a.learner, cw.cnc, 1, assessed_on=months_ago(3))
    client.get(person_url(a.learner))
    with CaptureQueriesContext(connection) as few:
        client.get(person_url(a.learner))
    for i in range(12):
        rate(a.manager, a.learner, cw.measure, 1 + i % 4, assessed_on=months_ago(i % 6))
        rate(a.learner, a.learner, cw.teamwork, 1 + (i + 1) % 4, assessed_on=months_ago(i % 5))
    with CaptureQueriesContext(connection) as many:
        client.get(person_url(a.learner))
    assert len(few.captured_queries) == len(many.captured_queries)


# --- the replay of the rule ---------------------------------------------------------------------


def test_month_ends_run_to_today() -> None:
    ends = month_ends(dt.date(2025, 11, 20), dt.date(2026, 2, 14))
    assert ends == [
        dt.date(2025, 11, 30),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 14),
    ]
    assert len(month_ends(dt.date(2000, 1, 1), dt.date(2026, 2, 14))) == 24


def _rating(pk: int, role: str, value: float, on: dt.date, entered: int = 0) -> Rating:
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=entered)
    return Rating(1, "A", role, value, on, moment, pk)


def test_replay_prefers_validated_ignores_peers_and_orders_by_date_assessed() -> None:
    jan, feb, mar = dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)
    ratings = [
        _rating(1, RaterRole.SELF, 1.0, dt.date(2026, 1, 5)),
        _rating(2, RaterRole.PEER, 0.0, dt.date(2026, 1, 6)),
        _rating(3, RaterRole.MANAGER, 1 / 3, dt.date(2026, 2, 3)),
        # Entered later, but dated before the manager's rating of February: it does not win.
        _rating(4, RaterRole.MENTOR, 2 / 3, dt.date(2026, 2, 1), entered=60),
        _rating(5, RaterRole.SELF, 0.0, dt.date(2026, 3, 1)),
    ]
    assert replay(ratings, ends=[jan, feb, mar], people=1, codes=["A"]) == [
        1.0,
        pytest.approx(1 / 3),
        pytest.approx(1 / 3),
    ]


def test_replayed_today_equals_the_stored_current_levels(cw: CompetencyWorld) -> None:
    """The replay and the service apply the same rule: for a random history the replayed value
    for today equals the average of the stored current levels."""
    a = cw.world.a
    rng = random.Random(7)
    raters = [a.manager, a.learner, a.coach, a.admin]
    competencies = [cw.cnc, cw.measure, cw.teamwork]
    for _ in range(40):
        rate(
            rng.choice(raters),
            a.learner,
            rng.choice(competencies),
            rng.randint(1, 4),
            assessed_on=months_ago(rng.randint(0, 4), day=rng.randint(1, 9)),
        )
    from gilde.competencies.progress import person_ratings, progress_of, ratings_of

    codes = [c.code for c in competencies]
    progress = progress_of(ratings_of(person_ratings(a.learner), cw.framework), codes=codes)
    assert progress is not None
    stored = CurrentLevel.objects.filter(person=a.learner, framework=cw.framework)
    expected = sum((c.normalised or 0.0) for c in stored) / len(codes)
    assert progress.values[-1] == pytest.approx(expected)
