"""Development in the browser, on the demo: a trainer (S4) writes a plan with two goals from
her gaps and sends it; her manager comments and agrees; a check-in with a private and a shared
note, where the manager never sees the private one; an anonymous survey (S2) answered on a
360 px phone through the e-mailed link without logging in, once; the report refuses to show
fewer than five answers. axe-core checks every page on the way (see conftest).

The interface is in Dutch in these tests, so elements are found by their addresses, names and
roles rather than by English texts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.development import S2_OPEN_TITLE
from gilde.demo.selectors import DemoLogin
from gilde.development.models import (
    CheckIn,
    CheckInNote,
    DevelopmentPlan,
    PlanStatus,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from gilde.development.survey_report import survey_report
from gilde.people.models import Person
from gilde.tenancy.models import Membership
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.e2e

BRABANT = "hulpverlening-opleidingen-brabant"


def as_login(person: Person, role: str = "learner") -> DemoLogin:
    return DemoLogin(
        role=role, network="", organisation="", email=person.email, password=DEMO_PASSWORD
    )


def trainer_without_plan() -> tuple[Person, Person]:
    """A trainer of the Brabant team with a manager and no plan yet, and that manager."""
    membership = (
        Membership.objects.current()
        .filter(organisation__slug=BRABANT, manager__isnull=False, function_title="BHV-trainer")
        .exclude(person__development_plans__isnull=False)
        .select_related("person", "manager")
        .order_by("person__sort_key")
        .first()
    )
    assert membership is not None and membership.manager is not None
    return membership.person, membership.manager


def submit(journey: Journey, form: str = "main form") -> None:
    with journey.page.expect_navigation():
        journey.page.locator(f"{form} button[type=submit]").first.click()
    journey.check()


def test_trainer_writes_a_plan_from_her_gaps_and_her_manager_agrees(journey: Journey) -> None:
    page = journey.page
    trainer, manager = trainer_without_plan()
    journey.log_in(as_login(trainer))
    journey.open("development:mine")
    with page.expect_navigation():
        page.locator(f'main a[href="{reverse("development:plan-create")}"]').click()
    journey.check()
    page.fill(
        "textarea[name=learning_question]",
        "Hoe geef ik een BHV-training waar ook de stille deelnemers durven te oefenen?",
    )
    submit(journey)
    plan = DevelopmentPlan.objects.get(person=trainer)
    assert page.url == journey.url("development:plan", plan.uuid)

    # Two goals from the suggestions of her competency profile.
    suggestions = page.locator("ul.suggestions a[href*='/goals/new/?competency=']")
    assert suggestions.count() >= 2
    for n in range(2):
        with page.expect_navigation():
            page.locator("ul.suggestions a[href*='/goals/new/?competency=']").nth(n).click()
        journey.check(f"goal-form-{n}")
        expect(page.locator("select[name=competency_1]")).not_to_have_value("")
        expect(page.locator("select[name=level_1]")).not_to_have_value("")
        submit(journey)
    goals = list(plan.goals.order_by("position"))
    assert len(goals) == 2
    assert all(g.competencies.count() == 1 for g in goals)

    # An action for each goal, then the plan goes to her manager.
    for n, goal in enumerate(goals):
        url = reverse("development:action-create", args=[plan.uuid, goal.uuid])
        with page.expect_navigation():
            page.locator(f'main a[href="{url}"]').click()
        journey.check(f"action-form-{n}")
        page.select_option("select[name=kind]", "on_the_job")
        page.fill("input[name=description]", f"Oefenen in de eigen training {n + 1}")
        submit(journey)
    submit(journey, f'form[action="{reverse("development:plan-submit", args=[plan.uuid])}"]')
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    # The manager finds it on her development page, comments and agrees.
    journey.log_in(as_login(manager, "manager"))
    journey.open("development:mine")
    with page.expect_navigation():
        page.locator(
            f'main a[href="{journey.url("development:plan", plan.uuid).removeprefix(journey.base_url)}"]'
        ).first.click()
    journey.check("plan-as-manager")
    page.fill("textarea[name=text]", "Mooi plan. Plan je eerste oefening in de volgende training.")
    submit(journey, f'form[action="{reverse("development:plan-comment", args=[plan.uuid])}"]')
    submit(journey, f'form[action="{reverse("development:plan-agree", args=[plan.uuid])}"]')
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED and plan.agreed_by == manager
    assert plan.revisions.get().number == 1

    # The trainer sees the agreement and the kept version.
    journey.log_in(as_login(trainer))
    journey.open("development:plan", plan.uuid)
    version = reverse("development:plan-revision", args=[plan.uuid, 1])
    expect(page.locator(f'a[href="{version}"]')).to_have_count(1)
    expect(page.locator(".badge-ok").first).to_be_visible()
    with page.expect_navigation():
        page.locator(f'a[href="{version}"]').click()
    journey.check("agreed-version")


def test_a_private_note_stays_with_its_writer(journey: Journey) -> None:
    page = journey.page
    trainer, manager = trainer_without_plan()
    journey.log_in(as_login(trainer))
    journey.open("development:check-in-create")
    expect(page.locator("select[name=partner] option")).to_have_count(1)
    day = timezone.localdate() + dt.timedelta(days=5)
    page.fill("input[name=day]", day.isoformat())
    page.fill("input[name=time]", "09:30")
    submit(journey)
    check_in = CheckIn.objects.get(person=trainer)
    assert check_in.leader == manager
    private, shared = "Ik vind de avondtrainingen zwaar.", "We oefenen de opening samen."
    for text, visibility in ((private, "private"), (shared, "shared")):
        page.fill("textarea[name=text]", text)
        page.locator(f"input[name=visibility][value={visibility}]").check()
        submit(
            journey, f'form[action="{reverse("development:check-in-note", args=[check_in.uuid])}"]'
        )
        expect(page.locator("main")).to_contain_text(text)
    assert CheckInNote.objects.filter(check_in=check_in).count() == 2

    journey.log_in(as_login(manager, "manager"))
    journey.open("development:check-in", check_in.uuid)
    expect(page.locator("main")).to_contain_text(shared)
    expect(page.locator("main")).not_to_contain_text(private)
    assert private not in page.content()
    # Nor on the team overview: dates only.
    journey.open("development:team", BRABANT)
    assert private not in page.content() and shared not in page.content()


def test_anonymous_survey_on_a_phone_and_the_report_keeps_small_groups_hidden(
    phone_journey: Journey,
) -> None:
    journey = phone_journey
    page = journey.page
    survey = Survey.objects.get(title=S2_OPEN_TITLE)
    before = SurveyResponse.objects.filter(survey=survey).count()
    invitation = (
        SurveyInvitation.objects.filter(survey=survey, answered=False)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert invitation is not None
    link = reverse("development:survey-link", args=[invitation.token])
    page.goto(journey.base_url + link)
    journey.check("survey-on-phone")
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
    for n, code in enumerate(survey.codes):
        page.locator(f'input[name="need_{code}"][value="{1 + n % 4}"]').check()
        page.locator(f'input[name="level_{code}"]').nth(n % 3).check()
    page.locator("input[name=ways][value=on_the_job]").check()
    page.locator("input[name=hours_per_week][value='1-2']").check()
    page.fill("textarea[name=open_0]", "Meer oefenen op de nieuwe machine.")
    submit(journey, "main form")
    expect(page.locator(".message-success")).to_be_visible()
    assert SurveyResponse.objects.filter(survey=survey).count() == before + 1
    stored = SurveyResponse.objects.filter(survey=survey).order_by("-pk").first()
    assert stored is not None and stored.person is None
    # The same link a second time: a clear message, no second answer.
    page.goto(journey.base_url + link)
    journey.check("survey-answered-already")
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    assert SurveyResponse.objects.filter(survey=survey).count() == before + 1

    # The firm's director opens the report on her phone: fewer than five answers, nothing shown.
    assert survey_report(survey).too_small
    director = Person.objects.get(pk=survey.created_by_id)
    journey.log_in(as_login(director, "org_admin"))
    journey.open("development:survey-report", survey.uuid)
    expect(page.locator("main .message[role=status]")).to_be_visible()
    expect(page.locator("svg.heatmap")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Meer oefenen op de nieuwe machine.")
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
