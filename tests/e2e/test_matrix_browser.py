"""The team at a glance in a real browser: a manager rates a cell inline (htmx, no page load), by
mouse and by keyboard, and the person's own chart shows it; the phone list fits 360 px. axe-core
checks every page and state on the way (see conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gilde.competencies.models import Assessment, AssessmentSource, ProfileAssignment, RaterRole
from gilde.demo.selectors import DemoLogin
from gilde.tenancy.models import Membership, Organisation, Role
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.e2e

# Situation S4: the Brabant trainers, whose manager follows the team's development.
ORGANISATION = "hulpverlening-opleidingen-brabant"


def _team(demo: list[DemoLogin]) -> tuple[Organisation, DemoLogin, Membership]:
    """The organisation, a log-in for its manager, and a trainer they manage who has a
    function profile."""
    organisation = Organisation.objects.get(slug=ORGANISATION)
    lead = (
        Membership.objects.current()
        .filter(organisation=organisation, roles__role=Role.MANAGER)
        .select_related("person")
        .order_by("person__sort_key")
        .first()
    )
    assert lead is not None
    password = demo[0].password
    login = DemoLogin("manager", "", organisation.name, lead.person.email, password)
    trainee = (
        Membership.objects.current()
        .filter(organisation=organisation, manager=lead.person, profile_assignment__isnull=False)
        .select_related("person")
        .order_by("person__sort_key")
        .first()
    )
    assert trainee is not None
    return organisation, login, trainee


def test_manager_rates_a_cell_inline_and_the_trainer_sees_it(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    organisation, login, trainee = _team(demo)
    journey.log_in(login)
    journey.open("competencies:matrix", organisation.slug)
    matrix_url = page.url
    row = page.locator("tbody tr", has=page.get_by_role("link", name=trainee.person.display_name))
    cell = row.locator("td.c").first
    before = Assessment.objects.count()

    cell.locator("a").click()
    select = cell.locator("select")
    expect(select).to_be_focused()
    journey.check("matrix-cell-form")
    levels = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    level = [v for v in levels if v][-1]  # the highest level of the scale
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)  # htmx owns the form
    select.select_option(level)
    cell.get_by_role("button").click()

    updated = row.locator("td.c").first
    expect(updated.locator("form")).to_have_count(0)
    expect(updated).to_contain_text(level)
    expect(page.locator("#matrix-status")).not_to_be_empty()
    assert page.url == matrix_url  # no page load: htmx swapped the cell
    journey.check("matrix-after-rating")
    assert Assessment.objects.count() == before + 1
    rating = Assessment.objects.latest("pk")
    assert rating.person_id == trainee.person_id
    assert rating.source == AssessmentSource.MATRIX
    assert rating.rater_role == RaterRole.MANAGER
    assert rating.level == int(level)

    # The trainer's own chart and table now show the validated level.
    trainer = DemoLogin("learner", "", organisation.name, trainee.person.email, login.password)
    journey.log_in(trainer)
    journey.open("competencies:mine")
    code = rating.competency.code
    profile = ProfileAssignment.objects.get(membership=trainee).profile
    required = profile.requirements.get(competency__code=code).level
    chart = page.locator("svg.chart").first
    expect(chart.locator("text", has_text=f"{level}/{required}").first).to_be_attached()
    expect(page.locator("main")).to_contain_text(code)


def test_manager_rates_a_cell_with_the_keyboard(journey: Journey, demo: list[DemoLogin]) -> None:
    page = journey.page
    organisation, login, trainee = _team(demo)
    journey.log_in(login)
    journey.open("competencies:matrix", organisation.slug)
    row = page.locator("tbody tr", has=page.get_by_role("link", name=trainee.person.display_name))
    # The second cell of the row, found by its place among the cells: while it shows its form it
    # has no link, so counting links would point at the next cell.
    cell = row.locator("td.c").nth(1)
    cell.locator("a").focus()
    page.keyboard.press("Enter")
    select = cell.locator("select")
    expect(select).to_be_focused()
    # The browser may focus the new form (autofocus) a moment before htmx has taken it over;
    # a key pressed in that moment sends the form the plain way (a full page, also correct).
    # Wait until htmx has settled the swap, as a person's next key press would.
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(row.locator("td.c form")).to_have_count(0)
    # Focus lands on the saved cell, ready for the next one.
    expect(cell.locator("a")).to_be_focused()
    assert Assessment.objects.filter(source=AssessmentSource.MATRIX).count() == 1


def test_matrix_list_fits_a_phone(phone_journey: Journey, demo: list[DemoLogin]) -> None:
    page = phone_journey.page
    organisation, login, trainee = _team(demo)
    phone_journey.log_in(login)
    phone_journey.open("competencies:matrix", organisation.slug)
    # The table scrolls inside its own box; the page itself does not get wider.
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], widths
    page.locator("a.list-link").click()
    page.wait_for_url("**view=list**")
    phone_journey.check("matrix-list-on-a-phone")
    expect(page.locator("main")).to_contain_text(trainee.person.display_name)
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], widths
