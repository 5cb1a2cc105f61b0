"""Assessment rounds: a manager asks people to rate themselves, they do, the manager validates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEvent
from gilde.competencies.models import (
    Assessment,
    AssessmentRound,
    AssessmentSource,
    CurrentLevel,
    RaterRole,
    RoundParticipant,
)
from gilde.competencies.services import round_create
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.competencies.conftest import CompetencyWorld
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    # The assertions read the English texts; Dutch is the default language of the site.
    client.cookies["django_language"] = "en"
    return client


def start_round(cw: CompetencyWorld, **extra: Any) -> AssessmentRound:
    a = cw.world.a
    return round_create(
        actor=a.manager,
        organisation=a.org,
        title="Zelfbeoordeling voorjaar",
        profile=cw.profile,
        due_date=timezone.localdate() + dt.timedelta(days=14),
        people=[a.learner],
        **extra,
    )


def self_url(cw: CompetencyWorld, assessment_round: AssessmentRound) -> str:
    return reverse("competencies:round-self", args=[cw.world.a.org.slug, assessment_round.uuid])


def detail_url(cw: CompetencyWorld, assessment_round: AssessmentRound) -> str:
    return reverse("competencies:round-detail", args=[cw.world.a.org.slug, assessment_round.uuid])


def validate_url(cw: CompetencyWorld, assessment_round: AssessmentRound, person: Any) -> str:
    return reverse(
        "competencies:round-validate",
        args=[cw.world.a.org.slug, assessment_round.uuid, person.uuid],
    )


def levels(
    cw: CompetencyWorld, cnc: Any, met: Any, soft: Any, cnc_comment: str = ""
) -> dict[str, Any]:
    return {
        f"level_{cw.cnc.pk}": str(cnc),
        f"level_{cw.measure.pk}": str(met),
        f"level_{cw.teamwork.pk}": str(soft),
        f"comment_{cw.cnc.pk}": cnc_comment,
        f"comment_{cw.measure.pk}": "",
        f"comment_{cw.teamwork.pk}": "",
    }


# --- starting a round -------------------------------------------------------------------------


def test_a_manager_starts_a_round_and_the_learner_sees_it_on_the_home_page(
    cw: CompetencyWorld,
) -> None:
    a = cw.world.a
    manager = client_for(a.manager)
    url = reverse("competencies:round-create", args=[a.org.slug])
    page = manager.get(url).content.decode()
    assert "Verspaner" in page and 'value="reports"' in page
    due = timezone.localdate() + dt.timedelta(days=7)
    response = manager.post(
        url,
        {
            "title": "Zelfbeoordeling voorjaar",
            "profile": cw.profile.pk,
            "people": "reports",
            "due_date": due.isoformat(),
        },
    )
    created = AssessmentRound.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(cw, created)
    assert created.requested_by == a.manager and created.due_date == due
    assert list(created.participants.values_list("person", flat=True)) == [a.learner.pk]
    assert AuditEvent.objects.filter(action="round.create", organisation=a.org).exists()

    home = client_for(a.learner).get(reverse("core:home")).content.decode()
    assert "Zelfbeoordeling voorjaar" in home
    assert self_url(cw, created) in home
    assert due.strftime("%Y") in home
    # The manager is not a participant: no link to rate themselves.
    assert self_url(cw, created) not in manager.get(reverse("core:home")).content.decode()


def test_a_due_date_in_the_past_is_refused(cw: CompetencyWorld) -> None:
    a = cw.world.a
    response = client_for(a.manager).post(
        reverse("competencies:round-create", args=[a.org.slug]),
        {
            "title": "Te laat",
            "profile": cw.profile.pk,
            "people": "reports",
            "due_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "The date cannot be in the past." in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_an_admin_starts_a_round_for_a_team(cw: CompetencyWorld) -> None:
    a = cw.world.a
    admin = client_for(a.admin)
    url = reverse("competencies:round-create", args=[a.org.slug])
    assert f'value="team:{a.team.slug}"' in admin.get(url).content.decode()
    admin.post(
        url,
        {
            "title": "Werkplaats",
            "profile": cw.profile.pk,
            "people": f"team:{a.team.slug}",
            "due_date": timezone.localdate().isoformat(),
        },
    )
    created = AssessmentRound.objects.get()
    assert created.team == a.team
    assert set(created.participants.values_list("person", flat=True)) == {
        a.manager.pk,
        a.mentor.pk,
        a.learner.pk,
    }


def test_a_manager_cannot_pick_a_team_or_a_profile_of_another_network(
    cw: CompetencyWorld,
) -> None:
    a, b = cw.world.a, cw.world.b
    from gilde.competencies.services import (
        competency_save,
        framework_create,
        profile_save,
        version_publish,
    )

    framework = framework_create(actor=b.coordinator, name="Elders", network=b.network)
    version = framework.versions.get()
    competency_save(actor=None, version=version, code="X-01", name="Iets")
    version_publish(actor=None, version=version)
    version.refresh_from_db()
    foreign = profile_save(
        actor=None, name="Vreemd", version=version, network=b.network, requirements={}
    )
    response = client_for(a.manager).post(
        reverse("competencies:round-create", args=[a.org.slug]),
        {
            "title": "Poging",
            "profile": foreign.pk,
            "people": f"team:{a.team.slug}",
            "due_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"profile", "people"}
    assert not AssessmentRound.objects.exists()


# --- rating yourself and validating -----------------------------------------------------------


def test_a_learner_rates_themselves_and_the_manager_validates(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    learner = client_for(a.learner)

    page = learner.get(self_url(cw, assessment_round)).content.decode()
    # One group of radio buttons per competency, with the level descriptors.
    assert page.count(f'name="level_{cw.cnc.pk}"') == 4
    assert "Programmeert vijfassig" in page and "<legend>" in page

    response = learner.post(
        self_url(cw, assessment_round), levels(cw, 3, 2, 4, cnc_comment="Draai al jaren")
    )
    assert response.status_code == 302
    ratings = Assessment.objects.filter(person=a.learner, round=assessment_round)
    assert ratings.count() == 3
    assert set(ratings.values_list("source", "rater_role")) == {
        (AssessmentSource.ROUND, RaterRole.SELF)
    }
    current = CurrentLevel.objects.get(person=a.learner, code="CNC-01")
    assert current.self_rating is not None and current.self_rating.level == 3
    assert current.validated is None
    participant = RoundParticipant.objects.get(round=assessment_round, person=a.learner)
    assert participant.self_done_at is not None and participant.validated_at is None

    # Coming back and changing: a new self-rating; the first stays in the history.
    learner.post(self_url(cw, assessment_round), levels(cw, 2, 2, 4))
    assert list(
        Assessment.objects.filter(person=a.learner, competency=cw.cnc)
        .order_by("created_at", "pk")
        .values_list("level", flat=True)
    ) == [3, 2]
    again = learner.get(self_url(cw, assessment_round)).content.decode()
    assert f'value="2" id="id_level_{cw.cnc.pk}_1" required checked' in again

    # The manager's round page and the validation form with the self-rating beside it.
    manager = client_for(a.manager)
    overview = manager.get(detail_url(cw, assessment_round)).content.decode()
    assert a.learner.display_name.replace("'", "&#x27;") in overview
    assert validate_url(cw, assessment_round, a.learner) in overview
    form_page = manager.get(validate_url(cw, assessment_round, a.learner)).content.decode()
    assert "Their own rating" in form_page
    # Prefilled with the learner's latest self-rating (2 on CNC-01).
    assert f'value="2" id="id_level_{cw.cnc.pk}_1" required checked' in form_page

    response = manager.post(validate_url(cw, assessment_round, a.learner), levels(cw, 3, 2, 3))
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.validated is not None
    assert current.validated.level == 3 and current.validated.rater_role == RaterRole.MANAGER
    assert current.validated.round == assessment_round
    participant.refresh_from_db()
    assert participant.validated_at is not None
    assert AuditEvent.objects.filter(action="round.validate", subject=a.learner).exists()
    overview = manager.get(detail_url(cw, assessment_round))
    assert overview.context["overview"].validated == 1
    assert overview.context["overview"].self_done == 1


def test_a_level_outside_the_scale_changes_nothing(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    response = client_for(a.learner).post(self_url(cw, assessment_round), levels(cw, 7, 2, 2))
    assert response.status_code == 200
    assert "Choose one of the levels of the scale." in response.content.decode()
    assert not Assessment.objects.exists()
    assert not CurrentLevel.objects.exists()
    assert RoundParticipant.objects.get(round=assessment_round).self_done_at is None


def test_a_missing_level_is_asked_for_and_nothing_is_saved(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    data = levels(cw, 2, 2, 2)
    del data[f"level_{cw.teamwork.pk}"]
    response = client_for(a.learner).post(self_url(cw, assessment_round), data)
    assert response.status_code == 200
    assert "Choose a level." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_closed_round_takes_no_more_ratings(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    manager = client_for(a.manager)
    close = reverse("competencies:round-close", args=[a.org.slug, assessment_round.uuid])
    assert manager.get(close).status_code == 405
    manager.post(close)
    assessment_round.refresh_from_db()
    assert assessment_round.closed_at is not None
    learner = client_for(a.learner)
    response = learner.post(self_url(cw, assessment_round), levels(cw, 2, 2, 2))
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    assert "Zelfbeoordeling voorjaar" not in learner.get(reverse("core:home")).content.decode()


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["org_admin", "manager", "learner", "coordinator"])
def test_people_of_the_other_organisation_get_404_on_every_round_page(
    cw: CompetencyWorld, persona: str
) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    outsider = client_for(cw.world.b.personas()[persona])
    urls = [
        reverse("competencies:round-list", args=[a.org.slug]),
        reverse("competencies:round-create", args=[a.org.slug]),
        detail_url(cw, assessment_round),
        self_url(cw, assessment_round),
        validate_url(cw, assessment_round, a.learner),
    ]
    for url in urls:
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, levels(cw, 2, 2, 2)).status_code == 404, url
    assert not Assessment.objects.exists()


def test_a_learner_sees_only_their_own_form_not_the_managers_pages(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    for person in (a.learner, a.mentor, a.author):
        client = client_for(person)
        assert client.get(detail_url(cw, assessment_round)).status_code == 404
        assert client.get(validate_url(cw, assessment_round, a.learner)).status_code == 404
    # Not a participant: no self-assessment form either.
    assert client_for(a.author).get(self_url(cw, assessment_round)).status_code == 404


def test_a_manager_sees_and_validates_only_their_own_reports(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = round_create(
        actor=a.admin,
        organisation=a.org,
        title="Hele werkplaats",
        profile=cw.profile,
        due_date=timezone.localdate(),
        people=[a.learner, a.mentor, a.manager],
        team=a.team,
    )
    manager = client_for(a.manager)
    overview = manager.get(detail_url(cw, assessment_round)).context["overview"]
    assert [row.participant.person for row in overview.rows] == [a.learner]
    assert manager.get(validate_url(cw, assessment_round, a.mentor)).status_code == 404
    # Not their own ratings either.
    assert manager.get(validate_url(cw, assessment_round, a.manager)).status_code == 404
    # Only the admin (who started it) may close it.
    manager.post(reverse("competencies:round-close", args=[a.org.slug, assessment_round.uuid]))
    assessment_round.refresh_from_db()
    assert assessment_round.closed_at is None
    admin_rows = client_for(a.admin).get(detail_url(cw, assessment_round)).context["overview"]
    assert admin_rows.total == 3


def test_the_round_list_shows_progress(cw: CompetencyWorld) -> None:
    a = cw.world.a
    assessment_round = start_round(cw)
    client_for(a.learner).post(self_url(cw, assessment_round), levels(cw, 2, 2, 2))
    response = client_for(a.manager).get(reverse("competencies:round-list", args=[a.org.slug]))
    listed = list(response.context["rounds"])
    assert [(r.title, r.n_people, r.n_self, r.n_validated) for r in listed] == [
        ("Zelfbeoordeling voorjaar", 1, 1, 0)
    ]
    # A learner (no lead role) gets 404 on the list.
    assert (
        client_for(a.learner).get(reverse("competencies:round-list", args=[a.org.slug])).status_code
        == 404
    )


def test_the_round_page_runs_the_same_number_of_queries_for_more_participants(
    cw: CompetencyWorld,
) -> None:
    a = cw.world.a
    manager = client_for(a.manager)
    small = start_round(cw)
    with CaptureQueriesContext(connection) as few:
        assert manager.get(detail_url(cw, small)).status_code == 200

    people = [a.learner]
    for n in range(6):
        person = make_person(f"extra{n}@example.org", "Extra", f"Deelnemer{n}")
        membership_create(
            actor=None,
            person=person,
            organisation=a.org,
            roles=[Role.LEARNER],
            manager=a.manager,
            start_date=timezone.localdate() - dt.timedelta(days=3),
        )
        people.append(person)
    large = round_create(
        actor=a.manager,
        organisation=a.org,
        title="Groot",
        profile=cw.profile,
        due_date=timezone.localdate(),
        people=people,
    )
    RoundParticipant.objects.filter(round=large).update(self_done_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        response = manager.get(detail_url(cw, large))
    assert response.context["overview"].total == 7
    assert len(many.captured_queries) == len(few.captured_queries)
