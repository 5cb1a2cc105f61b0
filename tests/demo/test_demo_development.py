"""The demo's development data: S2's finished needs analysis with a report worth reading, S4's
trainers with plans in every state, S8's job coach with a caseload and a target; the pages of
the people who log in show them; wiping the demo removes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gilde.demo.development import S2_OPEN_TITLE, S2_TITLE
from gilde.demo.services import demo_load, demo_reset
from gilde.development.models import (
    CareerPlan,
    CareerStatus,
    CheckIn,
    DevelopmentPlan,
    DevelopmentTarget,
    Measure,
    PlanAction,
    PlanStatus,
    Survey,
    SurveyStatus,
)
from gilde.development.survey_report import survey_report
from gilde.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db: Any) -> None:
    demo_load()


def browser(person: Person) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(person)
    return client


def test_s2_has_a_finished_needs_analysis_with_a_report_worth_reading(loaded: None) -> None:
    survey = Survey.objects.get(title=S2_TITLE)
    assert survey.status == SurveyStatus.CLOSED
    report = survey_report(survey, viewer_sees_names=True)
    assert report.responses >= 15
    assert len(report.groups) >= 5
    assert report.top_needs[0].competency.code in {"CP-03", "MK-02", "CP-04"}
    assert any(texts for _question, texts in report.open_answers)
    assert survey.proposals.count() == 2
    coordinator = Person.objects.get(
        email__endswith="tcgeldersepoort.example", network_roles__role="coordinator"
    )
    page = browser(coordinator).get(reverse("development:survey-report", args=[survey.uuid]))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    # The open anonymous survey of one firm has too few answers for a report yet.
    open_survey = Survey.objects.get(title=S2_OPEN_TITLE)
    assert survey_report(open_survey).too_small


def test_s4_trainers_have_plans_in_every_state(loaded: None) -> None:
    plans = DevelopmentPlan.objects.filter(
        organisation__network_memberships__network__slug="trainers-up-to-date"
    )
    statuses = set(plans.values_list("status", flat=True))
    assert statuses == {
        PlanStatus.DRAFT,
        PlanStatus.SUBMITTED,
        PlanStatus.AGREED,
        PlanStatus.CLOSED,
    }
    # The refresher course completed in the catalogue ticked its action.
    assert PlanAction.objects.filter(goal__plan__in=plans, completion__isnull=False).exists()
    manager = (
        DevelopmentPlan.objects.get(status=PlanStatus.SUBMITTED).person.memberships.get().manager
    )
    assert manager is not None
    page = browser(manager).get(
        reverse("development:team", args=["hulpverlening-opleidingen-brabant"])
    )
    overview = page.context["overview"]
    assert any(row.overdue for row in overview.rows)
    assert any(row.check_in_overdue for row in overview.rows)
    assert any(row.plan is None for row in overview.rows)
    assert CheckIn.objects.filter(notes__visibility="private").exists()


def test_s8_has_a_job_coach_with_a_caseload_and_a_target(loaded: None) -> None:
    plans = CareerPlan.objects.filter(network__slug="klimaatvakmensen-noord-holland")
    statuses = set(plans.values_list("status", flat=True))
    assert statuses == {
        CareerStatus.AWAITING_CONSENT,
        CareerStatus.ACTIVE,
        CareerStatus.CLOSED,
        CareerStatus.WITHDRAWN,
    }
    assert plans.values("coach").distinct().count() == 1
    target = DevelopmentTarget.objects.get(
        network__slug="klimaatvakmensen-noord-holland", measure=Measure.CAREER_PLANS
    )
    assert target.value == 50
    coach = plans.first().coach  # type: ignore[union-attr]
    page = browser(coach).get(reverse("development:caseload"))
    assert len(page.context["plans"]) == 12


def test_wiping_the_demo_removes_development_data(loaded: None) -> None:
    demo_reset()
    assert not DevelopmentPlan.objects.exists()
    assert not Survey.objects.exists()
    assert not CareerPlan.objects.exists()
