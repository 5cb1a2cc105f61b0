"""Competencies in the browser, on the demo's training firms (S4): a trainer rates herself in the
open round, her manager validates one cell of the team overview inline and her own profile
changes; an admin's framework file with a bad line is refused whole; the team overview passes
axe-core on a laptop and on a 360 px phone. axe-core checks every page on the way (see conftest).

The interface is in Dutch in these tests, so elements are found by their addresses, names and
roles rather than by English texts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from gilde.competencies.models import (
    Assessment,
    AssessmentRound,
    AssessmentSource,
    Competency,
    CurrentLevel,
    Framework,
    FrameworkImport,
    FrameworkImportStatus,
    RaterRole,
    RoundParticipant,
)
from gilde.competencies.services import scale_of
from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.selectors import DemoLogin
from gilde.people.models import Person
from gilde.tenancy.models import Membership, Role
from tests.e2e.conftest import PHONE, Journey, login_for

pytestmark = pytest.mark.e2e

S4 = "Trainers Up-to-date"


def login_as(person: Person, role: str, organisation: str) -> DemoLogin:
    return DemoLogin(
        role=role, network=S4, organisation=organisation, email=person.email, password=DEMO_PASSWORD
    )


def profile_row(page: Page, code: str) -> Locator:
    """The row of one competency in the first profile table of "My competencies"."""
    table = page.locator("section.profile-section table.stack").first
    return table.locator("tbody tr").filter(has=page.locator("th strong", has_text=code))


def test_trainer_rates_herself_and_her_manager_validates_a_cell_inline(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    assessment_round = AssessmentRound.objects.select_related(
        "organisation", "profile__version", "requested_by"
    ).get(closed_at__isnull=True)
    organisation, profile = assessment_round.organisation, assessment_round.profile
    participant = (
        RoundParticipant.objects.select_related("person")
        .filter(round=assessment_round, self_done_at__isnull=True)
        .order_by("pk")
        .first()
    )
    assert participant is not None, "the demo round has someone who has not rated yet"
    trainer, manager = participant.person, assessment_round.requested_by
    assert manager is not None
    membership = Membership.objects.current().get(person=trainer, organisation=organisation)
    scale = scale_of(profile.version)
    competencies: list[Competency] = [
        r.competency
        for r in profile.requirements.select_related("competency").order_by("competency__position")
    ]
    current = {
        row.code: row
        for row in CurrentLevel.objects.filter(person=trainer, framework=profile.version.framework)
    }

    def level_of(code: str) -> int | None:
        row = current.get(code)
        if row is None or row.validated_normalised is None:
            return None
        return scale.from_normalised(row.validated_normalised)

    # The competency the story is about: validated low, and she now rates herself two higher.
    chosen = next(
        c for c in competencies if (level_of(c.code) or scale.highest) <= scale.highest - 2
    )
    validated_before = level_of(chosen.code)
    assert validated_before is not None
    own_level = validated_before + 2

    # 1. The trainer looks at her own profile, then rates herself from her home page.
    journey.log_in(login_as(trainer, Role.LEARNER, organisation.name))
    journey.open("competencies:mine")
    row = profile_row(page, chosen.code)
    expect(row).to_have_count(1)
    row_before = row.inner_text()
    chart = page.locator("section.profile-section figure.chart-figure svg").first
    expect(chart).to_have_attribute("role", "img")
    chart_before = chart.inner_html()

    journey.open("core:home")
    round_url = reverse("competencies:round-self", args=[organisation.slug, assessment_round.uuid])
    with page.expect_navigation():
        page.locator(f'main a[href="{round_url}"]').click()
    assert page.url == journey.base_url + round_url
    journey.check()
    for competency in competencies:
        level = own_level if competency == chosen else (level_of(competency.code) or 2)
        page.locator(f'input[name="level_{competency.pk}"][value="{level}"]').check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url == journey.base_url + round_url
    expect(page.locator(".messages")).to_be_visible()
    journey.check("round-saved")
    participant.refresh_from_db()
    assert participant.self_done_at is not None
    assert Assessment.objects.filter(
        round=assessment_round,
        person=trainer,
        competency=chosen,
        level=own_level,
        rater_role=RaterRole.SELF,
    ).exists()

    # Her profile now flags the difference between her own rating and the validated level.
    journey.open("competencies:mine")
    expect(profile_row(page, chosen.code).locator(".badge-warn")).to_be_visible()
    journey.check("mine-after-self-rating")

    # 2. The manager opens the team overview for the round's profile and sees the same cell.
    journey.log_in(login_as(manager, Role.MANAGER, organisation.name))
    journey.open("competencies:matrix", organisation.slug)
    page.locator("#f-profile").select_option(profile.slug)
    with page.expect_navigation():
        page.locator("form.matrix-filters button[type=submit]").click()
    journey.check("matrix-with-profile")
    matrix_url = page.url
    cell_link = page.locator(f'td.c a[href*="m={membership.uuid}"][href*="c={chosen.code}"]')
    expect(cell_link).to_have_count(1)
    expect(cell_link).to_contain_text(str(validated_before))
    expect(cell_link.locator("b.mk", has_text="!")).to_have_count(1)

    # She agrees with the trainer: the cell turns into a small form and back, in place.
    cell_link.click()
    editing = page.locator("td.c.editing")
    expect(editing.locator("select[name=level]")).to_be_visible()
    journey.check("matrix-cell-form")
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)  # htmx owns the form
    editing.locator("select[name=level]").select_option(str(own_level))
    editing.locator("button[type=submit]").click()
    expect(editing).to_have_count(0)
    expect(cell_link).to_contain_text(str(own_level))
    expect(cell_link.locator("b.mk", has_text="!")).to_have_count(0)
    expect(page.locator("#matrix-status")).not_to_be_empty()
    assert page.url == matrix_url, "the cell was saved without leaving the overview"
    journey.check("matrix-after-validation")

    validation = Assessment.objects.get(
        person=trainer, competency=chosen, rater=manager, source=AssessmentSource.MATRIX
    )
    assert (validation.level, validation.rater_role) == (own_level, RaterRole.MANAGER)
    level = CurrentLevel.objects.get(
        person=trainer, framework=profile.version.framework, code=chosen.code
    )
    assert level.validated_id == validation.pk and not level.disagreement

    # 3. The trainer's own profile shows the validated level: the table and the chart changed.
    journey.log_in(login_as(trainer, Role.LEARNER, organisation.name))
    journey.open("competencies:mine")
    row = profile_row(page, chosen.code)
    expect(row.locator(".badge-ok")).to_be_visible()
    expect(row.locator(".badge-warn")).to_have_count(0)
    assert row.inner_text() != row_before
    expect(row.locator("td").nth(1)).to_contain_text(str(own_level))
    chart = page.locator("section.profile-section figure.chart-figure svg").first
    assert chart.inner_html() != chart_before
    journey.check("mine-after-validation")


BAD_CSV = (
    "code;name;category;description;level_1;level_2;level_3;level_4\n"
    "KR-01;Reanimeren bij kinderen;Vakinhoud;Reanimatie bij baby's en kinderen;"
    "Kent de stappen;Doet het voor;Leert het aan;Traint trainers\n"
    "KR-02;;Vakinhoud;Een regel zonder naam;a;b;c;d\n"
    "KR-03;Verslikking bij kinderen;Vakinhoud;Helpen bij verslikking;a;b;c;d\n"
)


def test_admin_imports_a_framework_file_with_a_bad_line_and_nothing_is_imported(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    admin = login_for(demo, Role.ORG_ADMIN, S4)
    frameworks_before = Framework.objects.count()
    journey.log_in(admin)
    journey.open("competencies:framework-list")
    import_url = reverse("competencies:framework-import")
    with page.expect_navigation():
        page.locator(f'main a[href="{import_url}"]').click()
    journey.check()

    page.locator("input[type=file][name=file]").set_input_files(
        files=[
            {
                "name": "kindereerstehulp.csv",
                "mimeType": "text/csv",
                "buffer": BAD_CSV.encode("utf-8"),
            }
        ]
    )
    owner = page.locator("select[name=owner]")
    expect(owner.locator("option", has_text=admin.organisation)).to_have_count(1)
    owner.select_option(label=admin.organisation)
    page.locator("input[name=name]").fill("Eerste hulp bij kinderen")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    batch = FrameworkImport.objects.get(filename="kindereerstehulp.csv")
    assert page.url == journey.url("competencies:framework-import-preview", batch.uuid)
    journey.check("import-report")

    # The report names the bad line (line 3: the header is line 1) and offers no import.
    problems = page.locator("section[aria-labelledby=h-problems]")
    expect(problems.locator("[role=alert]")).to_be_visible()
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr th")).to_have_text("3")
    expect(page.locator("section[aria-labelledby=h-confirm]")).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)

    batch.refresh_from_db()
    assert batch.status == FrameworkImportStatus.PENDING
    assert Framework.objects.count() == frameworks_before
    assert not Competency.objects.filter(code__in=["KR-01", "KR-03"]).exists()

    # The way back is the upload page, for a corrected file.
    with page.expect_navigation():
        problems.locator(f'a[href="{import_url}"]').click()
    journey.check()


def test_team_overview_passes_axe_on_a_laptop_and_a_phone(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    assessment_round = AssessmentRound.objects.select_related("organisation", "profile").get(
        closed_at__isnull=True
    )
    organisation, profile = assessment_round.organisation, assessment_round.profile
    manager = assessment_round.requested_by
    assert manager is not None
    journey.log_in(login_as(manager, Role.MANAGER, organisation.name))
    url = journey.url("competencies:matrix", organisation.slug) + f"?profile={profile.slug}"
    page.goto(url)
    table = page.locator("table.matrix")
    expect(table.locator("tbody tr")).not_to_have_count(0)
    # The story of the demo is on the page: validated cells, self-ratings only, disagreements.
    expect(table.locator("td.c b.mk", has_text="!").first).to_be_visible()
    expect(table.locator("td.c[title]").first).to_be_attached()
    journey.check("matrix-desktop")
    page.goto(url + "&sort=gap")
    journey.check("matrix-desktop-by-gap")

    page.set_viewport_size(PHONE)
    page.goto(url)
    journey.check("matrix-phone")
    # The table scrolls inside its own region; the page itself does not get wider than the phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        page.locator("a.list-link").click()
    expect(page.locator("ul.person-gaps > li").first).to_be_visible()
    journey.check("matrix-phone-list")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
