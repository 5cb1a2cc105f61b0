from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from gilde.people.services import invitation_create
from gilde.tenancy.models import Consent, Organisation, OrganisationKind
from gilde.tenancy.services import network_apply, organisation_create
from tests.competencies.assess_samples import assessment_samples
from tests.competencies.framework_samples import DRAFT_CODE, framework_samples
from tests.conftest import World
from tests.development.samples import development_samples
from tests.events.samples import events_samples
from tests.learning.certificate_samples import certificate_samples
from tests.learning.lesson_samples import lesson_samples
from tests.learning.samples import learning_samples
from tests.lrs.records_samples import records_samples
from tests.scorm.samples import scorm_samples
from tests.tenancy.access_matrix import (
    SAMPLES,
    check_matrix,
    check_samples_are_real,
    iter_routes,
    sample,
)

# --- samples: one per URL keyword argument, naming an object of the home side --------------

sample("network_slug")(lambda w: w.a.network.slug)
sample("org_slug")(lambda w: w.a.org.slug)
sample("team_slug")(lambda w: w.a.team.slug)
sample("membership_uuid")(lambda w: w.a.learner_membership.uuid)
sample("application_uuid")(lambda w: w.extra["application"].uuid)
sample("invitation_uuid")(lambda w: w.extra["invitation"].uuid)
sample("token")(lambda w: "made-up-token-" + "x" * 30)
sample("batch_uuid")(lambda w: w.extra["batch"].uuid)
sample("consent_uuid")(lambda w: w.extra["consent"].uuid)
sample("role_id")(lambda w: w.a.network.roles.get(person=w.a.coach).pk)
sample("fmt")(lambda w: "csv")
sample("framework_slug")(lambda w: w.extra["fw_framework"].slug)
sample("code")(lambda w: DRAFT_CODE)
sample("profile_slug")(lambda w: w.extra["fw_profile"].slug)
sample("import_uuid")(lambda w: w.extra["fw_import"].uuid)
sample("person_uuid")(lambda w: w.a.learner.uuid)
sample("round_uuid")(lambda w: w.extra["round"].uuid)
sample("claim_uuid")(lambda w: w.extra["claim"].uuid)
sample("evidence_uuid")(lambda w: w.extra["evidence"].uuid)
sample("item_uuid")(lambda w: w.extra["learning_item"].uuid)
sample("enrolment_uuid")(lambda w: w.extra["learning_enrolment"].uuid)
sample("proposal_uuid")(lambda w: w.extra["learning_proposal"].uuid)
sample("client_uuid")(lambda w: w.extra["lrs_client"].uuid)
sample("certificate_uuid")(lambda w: w.extra["certificate"].uuid)
sample("verification_code")(lambda w: "MADE-UPXX-CODE")
sample("series_uuid")(lambda w: w.extra["event_series"].uuid)
sample("session_uuid")(lambda w: w.extra["event_session"].uuid)
sample("registration_uuid")(lambda w: w.extra["event_registration"].uuid)
# Secrets: a made-up check-in code and calendar address must not work.
sample("checkin_token")(lambda w: "made-up-check-in-code")
sample("feed_token")(lambda w: "made-up-calendar-address-" + "x" * 20)
sample("lesson_uuid")(lambda w: w.extra["lesson"].uuid)
sample("page_uuid")(lambda w: w.extra["lesson_page"].uuid)
sample("image_uuid")(lambda w: w.extra["lesson_image"].uuid)
sample("quiz_uuid")(lambda w: w.extra["lesson_quiz"].uuid)
sample("question_uuid")(lambda w: w.extra["lesson_question"].uuid)
sample("attempt_uuid")(lambda w: w.extra["lesson_attempt"].uuid)
sample("path_uuid")(lambda w: w.extra["path"].uuid)
sample("cohort_uuid")(lambda w: w.extra["cohort"].uuid)
sample("launch_uuid")(lambda w: w.extra["scorm_session"].uuid)
sample("file_path")(lambda w: "quiz/index.html")
sample("resource")(lambda w: "statements")
sample("plan_uuid")(lambda w: w.extra["dev_plan"].uuid)
sample("goal_uuid")(lambda w: w.extra["dev_goal"].uuid)
sample("action_uuid")(lambda w: w.extra["dev_action"].uuid)
sample("revision_number")(lambda w: 1)
sample("check_in_uuid")(lambda w: w.extra["dev_check_in"].uuid)
sample("survey_uuid")(lambda w: w.extra["dev_survey"].uuid)
sample("offering_uuid")(lambda w: w.extra["dev_offering"].uuid)
sample("career_uuid")(lambda w: w.extra["dev_career"].uuid)
sample("step_uuid")(lambda w: w.extra["dev_step"].uuid)
# The e-mailed link of an anonymous survey is a secret: a made-up one must not work.
sample("survey_token")(lambda w: "made-up-survey-link-" + "x" * 20)
# allauth's e-mailed keys: a foreign person cannot know the real one; a made-up key must not work.
sample("key")(lambda w: "made-up-key")
sample("uidb36")(lambda w: "1")


@pytest.fixture
def matrix_world(world: World) -> World:
    applicant = organisation_create(actor=None, name="Aanvrager A", kind=OrganisationKind.COMPANY)
    application = network_apply(
        actor=None,
        network=world.a.network,
        organisation=applicant,
        contact_email="new-a@example.org",
    )
    invitation = invitation_create(
        actor=world.a.admin,
        organisation=world.a.org,
        email="invitee-a@example.org",
        given_name="Ivo",
        family_name="UitgenodigdA",
    )
    certifier = organisation_create(
        actor=None, name="Keurmerk A", kind=OrganisationKind.CERTIFYING_BODY
    )
    consent = Consent.objects.create(
        person=world.a.learner, organisation=certifier, purpose="Bijscholing"
    )
    world.extra = {
        "consent": consent,
        "application": application,
        "invitation": invitation,
        "batch": _import_batch(world.a.org, world.a.admin),
        **framework_samples(world),
    }
    world.extra.update(assessment_samples(world))
    world.extra.update(learning_samples(world))
    world.extra.update(records_samples(world))
    world.extra.update(certificate_samples(world))
    world.extra.update(events_samples(world))
    world.extra.update(lesson_samples(world))
    world.extra.update(scorm_samples(world))
    world.extra.update(development_samples(world))
    return world


def _import_batch(organisation: Organisation, actor: Any) -> Any:
    """A real import batch of the home organisation (a preview waiting for confirmation)."""
    from gilde.people import importing

    content = b"E-mail;Voornaam;Achternaam\nnieuw-a@example.org;Nina;NieuwA\n"
    return importing.batch_create(
        actor=actor, organisation=organisation, filename="people.csv", content=content
    )


def foreign_personas(world: World) -> dict[str, Any]:
    return {**{f"B/{k}": v for k, v in world.b.personas().items()}, "anonymous": None}


@pytest.mark.django_db
def test_no_route_shows_or_changes_another_organisations_data(matrix_world: World) -> None:
    findings, routes = check_matrix(matrix_world, foreign_personas(matrix_world))
    assert routes, "the URL walk found no routes"
    report = "\n".join(f"{f.route} [{f.method} as {f.persona}]: {f.problem}" for f in findings)
    assert not findings, "Access matrix failures:\n" + report


@pytest.mark.django_db
def test_every_sample_names_a_real_object_of_the_home_side(matrix_world: World) -> None:
    owners = {**matrix_world.a.personas(), "temp": matrix_world.temp_worker}
    assert check_samples_are_real(matrix_world, owners) == []


def test_every_url_argument_in_use_has_a_sample() -> None:
    used = {k for route in iter_routes() for k in route.kwargs}
    assert used - set(SAMPLES) == set()


# --- the matrix catches a route that forgets the gateway ------------------------------------


def leaky_people_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Deliberately wrong: reads an organisation's people without the access gateway."""
    organisation = Organisation.objects.get(slug=org_slug)
    names = ", ".join(m.person.email for m in organisation.memberships.select_related("person"))
    return HttpResponse(names)


leaky_urlpatterns = [
    path("", include("gilde.urls")),
    path("leaky/<slug:org_slug>/", leaky_people_view, name="leaky-people"),
]


@pytest.mark.django_db
def test_a_route_added_without_scoping_is_caught(matrix_world: World) -> None:
    import sys
    import types

    module = types.ModuleType("tests_leaky_urls")
    module.urlpatterns = leaky_urlpatterns  # type: ignore[attr-defined]
    sys.modules["tests_leaky_urls"] = module
    with override_settings(ROOT_URLCONF="tests_leaky_urls"):
        findings, _routes = check_matrix(matrix_world, {"B/learner": matrix_world.b.learner})
    leaky = [f for f in findings if f.route == "leaky-people"]
    assert leaky, "the unscoped route was not caught"
    assert all(f.route == "leaky-people" for f in findings)


@pytest.mark.django_db
def test_a_route_with_an_unknown_url_argument_is_reported(matrix_world: World) -> None:
    import sys
    import types

    def view(request: HttpRequest, widget_uuid: str) -> HttpResponse:
        return HttpResponse("")

    module = types.ModuleType("tests_unknown_kwarg_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("", include("gilde.urls")),
        path("w/<uuid:widget_uuid>/", view, name="widget"),
    ]
    sys.modules["tests_unknown_kwarg_urls"] = module
    with override_settings(ROOT_URLCONF="tests_unknown_kwarg_urls"):
        findings, _routes = check_matrix(matrix_world, {"anonymous": None})
    assert any(f.route == "widget" and "no sample" in f.problem for f in findings)
