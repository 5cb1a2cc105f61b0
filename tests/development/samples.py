"""Objects of the home side (network A) for the access matrix: the learner's agreed plan with a
goal and an action, a check-in with their manager with a private and a shared note, an open
anonymous survey of organisation A with a proposal, and an active career plan with a step by A's
coach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gilde.development import services, services_career, services_surveys
from gilde.development.models import NoteVisibility, SurveyMode
from tests.conftest import World
from tests.development.conftest import agreed_plan, make_dev_world


def development_samples(world: World) -> dict[str, Any]:
    a = world.a
    dev = make_dev_world(world)
    plan = agreed_plan(dev)
    goal = plan.goals.get()
    action = goal.actions.get()
    check_in = services.check_in_plan(
        actor=a.learner,
        person=a.learner,
        leader=a.manager,
        organisation=a.org,
        scheduled_for=timezone.now() + dt.timedelta(days=3),
    )
    services.check_in_note_add(
        actor=a.learner, check_in=check_in, text="Privé A", visibility=NoteVisibility.PRIVATE
    )
    services.check_in_note_add(
        actor=a.manager, check_in=check_in, text="Samen A", visibility=NoteVisibility.SHARED
    )
    survey = services_surveys.survey_create(
        actor=a.admin,
        title="Behoeftepeiling A",
        framework=dev.framework,
        mode=SurveyMode.ANONYMOUS,
        closes_on=timezone.localdate() + dt.timedelta(days=14),
        organisation=a.org,
    )
    services_surveys.survey_launch(
        actor=a.admin, survey=survey, invitees=services_surveys.survey_audience(survey)
    )
    proposal = services_surveys.offering_propose(
        actor=a.admin, survey=survey, code="VEI-01", title="Masterclass veilig werken"
    )
    career = services_career.career_plan_start(actor=a.coach, person=a.learner, network=a.network)
    services_career.career_consent_give(actor=a.learner, plan=career)
    step = services_career.career_step_add(
        actor=a.coach, plan=career, description="Oriëntatiegesprek", due_date=None
    )
    return {
        "dev_plan": plan,
        "dev_goal": goal,
        "dev_action": action,
        "dev_check_in": check_in,
        "dev_survey": survey,
        "dev_offering": proposal,
        "dev_career": career,
        "dev_step": step,
    }
