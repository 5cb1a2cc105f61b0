"""Needs analysis: a survey from the template, sent to an organisation or a network, answered
in the app or with the e-mailed link without logging in, once; the report with its heatmap,
which shows no anonymous group of fewer than five; export; proposals for a shared offering."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from gilde.audit.models import AuditEvent
from gilde.development import services_surveys
from gilde.development.models import (
    OfferingProposal,
    ProposalStatus,
    Survey,
    SurveyInvitation,
    SurveyMode,
    SurveyResponse,
    SurveyStatus,
)
from gilde.development.services import DevelopmentError
from gilde.development.services_surveys import Answers, Invitee
from gilde.development.survey_report import survey_report
from gilde.people.models import Person
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create, team_create
from tests.conftest import World, make_person
from tests.development.conftest import DevWorld, client_for

pytestmark = pytest.mark.django_db


def make_survey(
    dev: DevWorld, *, mode: str = SurveyMode.ANONYMOUS, network: bool = False
) -> Survey:
    a = dev.world.a
    return services_surveys.survey_create(
        actor=a.coordinator if network else a.admin,
        title="Wat wil jij leren?",
        framework=dev.framework,
        mode=mode,
        closes_on=timezone.localdate() + dt.timedelta(days=14),
        open_questions=["Wat helpt jou het meest?"],
        network=a.network if network else None,
        organisation=None if network else a.org,
    )


def answers(need: int = 3, level: int | None = 2, text: str = "") -> Answers:
    return Answers(
        needs={"VEI-01": need, "EHBO-01": 4, "DID-01": 1},
        levels={"VEI-01": level, "EHBO-01": None, "DID-01": 3},
        ways={"masterclass", "coaching"},
        hours_per_week="1-2",
        open_answers=[text],
    )


def add_people(world: World, count: int, *, team: Any = None, prefix: str = "p") -> list[Person]:
    people = []
    for n in range(count):
        person = make_person(f"{prefix}{n}@example.org", "Piet", f"{prefix.upper()}{n}")
        membership_create(
            actor=None, person=person, organisation=world.a.org, roles=[Role.LEARNER], team=team
        )
        people.append(person)
    return people


def launch(survey: Survey, actor: Any) -> int:
    return services_surveys.survey_launch(
        actor=actor, survey=survey, invitees=services_surveys.survey_audience(survey)
    )


def test_admin_makes_and_sends_an_anonymous_survey(
    dev: DevWorld, django_capture_on_commit_callbacks: Any
) -> None:
    a = dev.world.a
    admin = client_for(a.admin)
    response = admin.post(
        reverse("development:org-survey-create", args=[a.org.slug]),
        {
            "title": "Behoeftepeiling",
            "framework": dev.framework.pk,
            "mode": "anonymous",
            "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "open_questions": "Wat mis je?\nNog iets?",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.codes == ["VEI-01", "EHBO-01", "DID-01"]
    assert survey.open_questions == ["Wat mis je?", "Nog iets?"]
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("development:survey-launch", args=[survey.uuid]), {})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN
    invited = SurveyInvitation.objects.filter(survey=survey)
    # Everyone currently at the organisation, once: six people of side A and the placed worker.
    assert invited.count() == 7
    assert len(mail.outbox) == 7
    learner_mail = next(m for m in mail.outbox if m.to == [a.learner.email])
    token = invited.get(person=a.learner).token
    assert f"/development/s/{token}/" in learner_mail.body
    assert "anonymous" in learner_mail.body


def test_the_link_works_on_a_phone_without_logging_in_and_only_once(dev: DevWorld) -> None:
    a = dev.world.a
    survey = make_survey(dev)
    launch(survey, a.admin)
    invitation = SurveyInvitation.objects.get(survey=survey, person=a.learner)
    url = reverse("development:survey-link", args=[invitation.token])
    browser = client_for(None)
    page = browser.get(url)
    assert page.status_code == 200
    assert "VEI-01" in page.content.decode()
    form = {
        "need_VEI-01": "4",
        "level_VEI-01": "2",
        "need_EHBO-01": "3",
        "level_EHBO-01": "x",
        "need_DID-01": "1",
        "level_DID-01": "4",
        "ways": ["elearning", "peer_group"],
        "hours_per_week": "2-4",
        "open_0": "Meer praktijk",
    }
    response = browser.post(url, form)
    assert "Thank you" in response.content.decode()
    stored = SurveyResponse.objects.get()
    # Anonymous: no person, no time; the invitation says only *that* it was answered.
    assert stored.person is None and stored.submitted_at is None
    invitation.refresh_from_db()
    assert invitation.answered and invitation.answered_at is None
    assert stored.prefers_elearning and stored.prefers_peer_group and not stored.prefers_coaching
    answer = stored.answers.get(code="EHBO-01")
    assert answer.need == 3 and answer.level is None
    audit = AuditEvent.objects.get(action="development.survey_answer")
    assert audit.actor is None and audit.subject is None
    # A second answer from the same link is refused with a message; nothing changes.
    again = browser.post(url, form)
    assert "answered this survey already" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(DevelopmentError, match="already"):
        services_surveys.survey_answer(invitation=invitation, answers=answers())


def test_an_expired_link_says_so_and_takes_nothing(dev: DevWorld) -> None:
    a = dev.world.a
    survey = make_survey(dev)
    launch(survey, a.admin)
    invitation = SurveyInvitation.objects.get(survey=survey, person=a.learner)
    Survey.objects.filter(pk=survey.pk).update(
        closes_on=timezone.localdate() - dt.timedelta(days=1)
    )
    url = reverse("development:survey-link", args=[invitation.token])
    page = client_for(None).get(url)
    assert page.status_code == 410
    assert "survey is closed" in page.content.decode()
    client_for(None).post(url, {"need_VEI-01": "4"})
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_a_named_survey_needs_a_log_in_and_keeps_the_name(dev: DevWorld) -> None:
    a = dev.world.a
    survey = make_survey(dev, mode=SurveyMode.NAMED)
    launch(survey, a.admin)
    invitation = SurveyInvitation.objects.get(survey=survey, person=a.learner)
    # The e-mailed token is no key to a named survey.
    assert (
        client_for(None)
        .get(reverse("development:survey-link", args=[invitation.token]))
        .status_code
        == 404
    )
    url = reverse("development:survey-answer", args=[survey.uuid])
    assert client_for(a.learner).get(url).status_code == 200
    assert client_for(dev.world.b.learner).get(url).status_code == 404
    services_surveys.survey_answer(invitation=invitation, answers=answers(text="Meer tijd"))
    response = SurveyResponse.objects.get()
    assert response.person == a.learner and response.submitted_at is not None
    report = client_for(a.admin).get(reverse("development:survey-report", args=[survey.uuid]))
    assert escape(a.learner.display_name) in report.content.decode()
    assert "Meer tijd" in report.content.decode()


def test_the_report_refuses_to_show_fewer_than_five_anonymous_answers(dev: DevWorld) -> None:
    a = dev.world.a
    survey = make_survey(dev)
    launch(survey, a.admin)
    invitations = list(SurveyInvitation.objects.filter(survey=survey).order_by("pk"))
    for invitation in invitations[:4]:
        services_surveys.survey_answer(invitation=invitation, answers=answers(text="Geheim"))
    url = reverse("development:survey-report", args=[survey.uuid])
    page = client_for(a.admin).get(url)
    body = page.content.decode()
    assert page.context["report"].too_small
    assert "Fewer than 5 people have answered" in body
    assert "Geheim" not in body and "<svg" not in body
    export = client_for(a.admin).get(
        reverse("development:survey-export", args=[survey.uuid, "csv"])
    )
    assert "Geheim" not in export.content.decode("utf-8-sig")
    assert ";2," not in export.content.decode("utf-8-sig")
    services_surveys.survey_answer(invitation=invitations[4], answers=answers(text="Geheim"))
    page = client_for(a.admin).get(url)
    assert not page.context["report"].too_small
    assert "<svg" in page.content.decode() and "Geheim" in page.content.decode()


def test_small_teams_are_shown_only_together_so_nobody_can_subtract(dev: DevWorld) -> None:
    world = dev.world
    big = team_create(actor=None, organisation=world.a.org, name="Groot")
    small = team_create(actor=None, organisation=world.a.org, name="Klein")
    add_people(world, 6, team=big, prefix="g")
    add_people(world, 3, team=small, prefix="k")
    survey = make_survey(dev)
    launch(survey, world.a.admin)
    for invitation in SurveyInvitation.objects.filter(survey=survey, team__in=[big, small]):
        services_surveys.survey_answer(invitation=invitation, answers=answers())
    report = survey_report(survey)
    names = [g.name for g in report.groups]
    # "Klein" (3) alone would be too small; added to the smallest shown group (Groot, 6) the
    # two are shown together, never Klein on its own nor Groot beside a total that betrays Klein.
    assert "Klein" not in names and "Groot" not in names
    other = next(g for g in report.groups if g.combined)
    assert other.responses == 9 and sorted(other.members) == ["Groot", "Klein"]
    assert all(g.responses >= 5 for g in report.groups)
    assert report.hidden_groups == 2


def test_network_survey_per_member_organisation_for_the_coordinator(dev: DevWorld) -> None:
    world = dev.world
    add_people(world, 5, prefix="n")
    survey = make_survey(dev, network=True)
    count = launch(survey, world.a.coordinator)
    # Org A (seven, the placed worker included, plus five); the worker's agency adds nobody new.
    assert count == 12
    for invitation in SurveyInvitation.objects.filter(survey=survey, organisation=world.a.org):
        services_surveys.survey_answer(invitation=invitation, answers=answers(need=4))
    coordinator = client_for(world.a.coordinator)
    page = coordinator.get(reverse("development:survey-report", args=[survey.uuid]))
    report = page.context["report"]
    assert [g.name for g in report.groups] == [world.a.org.name]
    assert report.group_label == "Organisation"
    assert report.top_needs[0].competency.code in {"VEI-01", "EHBO-01"}
    assert (
        client_for(world.a.admin)
        .get(reverse("development:survey-report", args=[survey.uuid]))
        .status_code
        == 404
    )
    assert (
        client_for(world.b.coordinator)
        .get(reverse("development:survey", args=[survey.uuid]))
        .status_code
        == 404
    )


def test_export_as_csv_and_xlsx(dev: DevWorld) -> None:
    world = dev.world
    survey = make_survey(dev, mode=SurveyMode.NAMED)
    launch(survey, world.a.admin)
    for invitation in SurveyInvitation.objects.filter(survey=survey)[:3]:
        services_surveys.survey_answer(invitation=invitation, answers=answers(need=2))
    admin = client_for(world.a.admin)
    csv_response = admin.get(reverse("development:survey-export", args=[survey.uuid, "csv"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Team", "Invited", "Responses"]
    everyone = next(r for r in rows if r and r[0] == "Everyone")
    assert everyone[2] == "3" and everyone[3] == "2.0"
    xlsx = admin.get(reverse("development:survey-export", args=[survey.uuid, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["A1"].value == "Team"
    assert AuditEvent.objects.filter(action="development.survey_export").count() == 2
    assert (
        admin.get(reverse("development:survey-export", args=[survey.uuid, "pdf"])).status_code
        == 404
    )


def test_a_need_becomes_a_proposal_linked_to_the_catalogue(dev: DevWorld) -> None:
    world = dev.world
    survey = make_survey(dev)
    launch(survey, world.a.admin)
    admin = client_for(world.a.admin)
    admin.post(
        reverse("development:offering-create", args=[survey.uuid]),
        {"code": "VEI-01", "title": "Masterclass veilig werken"},
    )
    proposal = OfferingProposal.objects.get()
    admin.post(reverse("development:offering", args=[proposal.uuid]), {"item": dev.item.pk})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.LINKED and proposal.catalogue_item == dev.item
    assert (
        client_for(world.b.admin)
        .get(reverse("development:offering", args=[proposal.uuid]))
        .status_code
        == 404
    )


def test_bad_survey_input(dev: DevWorld) -> None:
    a = dev.world.a
    with pytest.raises(DevelopmentError, match="past"):
        services_surveys.survey_create(
            actor=a.admin,
            title="Oud",
            framework=dev.framework,
            mode="anonymous",
            closes_on=timezone.localdate() - dt.timedelta(days=1),
            organisation=a.org,
        )
    with pytest.raises(DevelopmentError, match="no competencies"):
        services_surveys.survey_create(
            actor=a.admin,
            title="Leeg",
            framework=dev.framework,
            category="Bestaat niet",
            mode="anonymous",
            closes_on=timezone.localdate(),
            organisation=a.org,
        )
    survey = make_survey(dev)
    with pytest.raises(DevelopmentError, match="Nobody to invite"):
        services_surveys.survey_launch(actor=a.admin, survey=survey, invitees=[])
    launch(survey, a.admin)
    with pytest.raises(DevelopmentError, match="sent already"):
        services_surveys.survey_launch(
            actor=a.admin, survey=survey, invitees=[Invitee(a.learner.pk, a.org.pk, None)]
        )
    invitation = SurveyInvitation.objects.get(survey=survey, person=a.learner)
    partial = answers()
    del partial.needs["DID-01"]
    with pytest.raises(DevelopmentError, match="DID-01"):
        services_surveys.survey_answer(invitation=invitation, answers=partial)
    assert not SurveyResponse.objects.exists()
    # The form asks every question.
    response = client_for(a.learner).post(
        reverse("development:survey-answer", args=[survey.uuid]), {"need_VEI-01": "9"}
    )
    assert response.status_code == 200
    assert "Choose how much you need this" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_reminders_go_to_those_who_have_not_answered(
    dev: DevWorld, django_capture_on_commit_callbacks: Any
) -> None:
    a = dev.world.a
    survey = make_survey(dev)
    launch(survey, a.admin)
    services_surveys.survey_answer(
        invitation=SurveyInvitation.objects.get(survey=survey, person=a.learner), answers=answers()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(a.admin).post(reverse("development:survey-remind", args=[survey.uuid]))
    assert len(mail.outbox) == 6
    assert a.learner.email not in {m.to[0] for m in mail.outbox}
    with pytest.raises(DevelopmentError, match="less than a day ago"):
        services_surveys.survey_remind(actor=a.admin, survey=survey)


def test_who_runs_a_survey(dev: DevWorld) -> None:
    world = dev.world
    survey = make_survey(dev)
    url = reverse("development:survey", args=[survey.uuid])
    assert client_for(world.a.admin).get(url).status_code == 200
    for person in [
        world.a.manager,
        world.a.learner,
        world.a.coordinator,
        *world.b.personas().values(),
    ]:
        assert client_for(person).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_report_queries_do_not_grow_with_responses(
    dev: DevWorld, django_assert_max_num_queries: Any
) -> None:
    world = dev.world
    add_people(world, 20, prefix="q")
    survey = make_survey(dev)
    launch(survey, world.a.admin)
    invitations = list(SurveyInvitation.objects.filter(survey=survey))
    for invitation in invitations[:6]:
        services_surveys.survey_answer(invitation=invitation, answers=answers())
    admin = client_for(world.a.admin)
    url = reverse("development:survey-report", args=[survey.uuid])
    admin.get(url)
    with django_assert_max_num_queries(40) as few:
        admin.get(url)
    for invitation in invitations[6:]:
        services_surveys.survey_answer(invitation=invitation, answers=answers(text="x"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin.get(url)
