"""The development section of a person's data download and erasure: the person's own plans,
notes and answers, never another person's private note; erasure clears the texts and keeps the
counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from gilde.development import services, services_career, services_surveys
from gilde.development.models import (
    CareerPlan,
    CheckInNote,
    DevelopmentPlan,
    Goal,
    PlanRevision,
    SurveyInvitation,
    SurveyMode,
    SurveyResponse,
)
from gilde.development.privacy import development_erase, development_export
from gilde.development.services_surveys import Answers
from tests.development.conftest import DevWorld, agreed_plan, client_for

pytestmark = pytest.mark.django_db


def _setup(dev: DevWorld) -> None:
    a = dev.world.a
    agreed_plan(dev)
    check_in = services.check_in_plan(
        actor=a.learner,
        person=a.learner,
        leader=a.manager,
        organisation=a.org,
        scheduled_for=timezone.now() + dt.timedelta(days=2),
    )
    services.check_in_note_add(
        actor=a.learner, check_in=check_in, text="Mijn eigen", visibility="private"
    )
    services.check_in_note_add(
        actor=a.manager, check_in=check_in, text="Alleen de leider", visibility="private"
    )
    services.check_in_note_add(
        actor=a.manager, check_in=check_in, text="Voor ons twee", visibility="shared"
    )
    survey = services_surveys.survey_create(
        actor=a.admin,
        title="Peiling",
        framework=dev.framework,
        mode=SurveyMode.NAMED,
        closes_on=timezone.localdate(),
        organisation=a.org,
        open_questions=["Nog iets?"],
    )
    services_surveys.survey_launch(
        actor=a.admin, survey=survey, invitees=services_surveys.survey_audience(survey)
    )
    services_surveys.survey_answer(
        invitation=SurveyInvitation.objects.get(survey=survey, person=a.learner),
        answers=Answers(
            needs={"VEI-01": 4, "EHBO-01": 2, "DID-01": 1},
            levels={"VEI-01": 1, "EHBO-01": None, "DID-01": None},
            ways={"coaching"},
            hours_per_week="lt1",
            open_answers=["Mijn antwoord"],
        ),
    )
    career = services_career.career_plan_start(actor=a.coach, person=a.learner, network=a.network)
    services_career.career_consent_give(actor=a.learner, plan=career)
    services_career.career_plan_update(
        actor=a.coach, plan=career, intake_date=None, strengths="Sterk"
    )


def test_the_download_holds_the_persons_development_and_not_others_private_notes(
    dev: DevWorld,
) -> None:
    _setup(dev)
    a = dev.world.a
    data = development_export(a.learner)
    text = json.dumps(data, ensure_ascii=False)
    assert data["development_plans"][0]["learning_question"].startswith("Hoe word ik")
    assert data["development_plans"][0]["agreed_versions"][0]["number"] == 1
    assert "Mijn eigen" in text and "Voor ons twee" in text
    assert "Alleen de leider" not in text
    assert data["named_survey_answers"][0]["needs"]["VEI-01"] == {"need": 4, "level": 1}
    assert data["career_plans_about_you"][0]["strengths"] == "Sterk"
    assert a.manager.email not in text and a.manager.family_name not in text
    # The manager's own download has their private note, not the learner's.
    manager_text = json.dumps(development_export(a.manager), ensure_ascii=False)
    assert "Alleen de leider" in manager_text and "Mijn eigen" not in manager_text
    # Through the page: the section is part of the downloaded file.
    response = client_for(a.learner).post(reverse("privacy:export"))
    assert "development" in json.loads(response.content)["sections"]


def test_erasure_clears_the_texts_and_keeps_the_counts(dev: DevWorld) -> None:
    _setup(dev)
    a = dev.world.a
    development_erase(a.learner)
    plan = DevelopmentPlan.objects.get(person=a.learner)
    assert plan.learning_question == "" and plan.agreed_at is not None
    assert not Goal.objects.filter(plan=plan).exclude(what="—").exists()
    assert PlanRevision.objects.get(plan=plan).snapshot == {}
    assert not CheckInNote.objects.filter(author=a.learner).exists()
    assert set(CheckInNote.objects.values_list("text", flat=True)) == {""}
    response = SurveyResponse.objects.get()
    assert response.person is None and response.open_answers == []
    assert response.answers.count() == 3  # the numbers still count in the report
    assert CareerPlan.objects.get().strengths == ""
