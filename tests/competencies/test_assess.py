"""Rating one person on one competency, outside a round."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEvent
from gilde.competencies.models import (
    Assessment,
    AssessmentSource,
    CurrentLevel,
    Evidence,
    RaterRole,
)
from tests.competencies.conftest import CompetencyWorld, rate


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


def rate_url(person: Any) -> str:
    return reverse("competencies:person-rate", args=[person.uuid])


def rating(cw: CompetencyWorld, **extra: Any) -> dict[str, Any]:
    return {
        "competency": f"{cw.framework.slug}:CNC-01",
        "level": "3",
        "assessed_on": timezone.localdate().isoformat(),
        "comment": "Zelfstandig een serie gedraaid",
        "evidence_link": "",
        **extra,
    }


def test_the_manager_chooses_a_competency_and_rates_with_a_link(cw: CompetencyWorld) -> None:
    a = cw.world.a
    manager = client_for(a.manager)
    chooser = manager.get(rate_url(a.learner)).content.decode()
    assert f'value="{cw.framework.slug}:CNC-01"' in chooser
    assert "You rate as: manager." in chooser

    form = manager.get(rate_url(a.learner), {"competency": f"{cw.framework.slug}:CNC-01"})
    page = form.content.decode()
    assert page.count('name="level"') == 4 and "Programmeert vijfassig" in page
    # The date is today unless changed.
    assert f'value="{timezone.localdate().isoformat()}"' in page

    response = manager.post(
        rate_url(a.learner), rating(cw, evidence_link="https://example.org/werkstuk")
    )
    assert response.status_code == 302
    saved = Assessment.objects.get()
    assert (saved.person, saved.competency, saved.level) == (a.learner, cw.cnc, 3)
    assert saved.rater == a.manager and saved.rater_role == RaterRole.MANAGER
    assert saved.source == AssessmentSource.DIRECT
    assert saved.comment == "Zelfstandig een serie gedraaid"
    assert Evidence.objects.get().assessment == saved
    assert CurrentLevel.objects.get(person=a.learner, code="CNC-01").validated == saved
    assert AuditEvent.objects.filter(action="assessment.rate", subject=a.learner).exists()


def test_an_earlier_date_is_kept_and_a_future_date_refused(cw: CompetencyWorld) -> None:
    a = cw.world.a
    manager = client_for(a.manager)
    earlier = timezone.localdate() - dt.timedelta(days=40)
    manager.post(rate_url(a.learner), rating(cw, assessed_on=earlier.isoformat()))
    assert Assessment.objects.get().assessed_on == earlier

    future = timezone.localdate() + dt.timedelta(days=1)
    response = manager.post(rate_url(a.learner), rating(cw, assessed_on=future.isoformat()))
    assert response.status_code == 200
    assert "A rating cannot be dated in the future." in response.content.decode()
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("level", ["0", "5", "7", "drie", ""])
def test_a_level_outside_the_scale_changes_nothing(cw: CompetencyWorld, level: str) -> None:
    a = cw.world.a
    response = client_for(a.manager).post(rate_url(a.learner), rating(cw, level=level))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose one of the levels of the scale." in page or "Choose a level." in page
    assert not Assessment.objects.exists()
    assert not CurrentLevel.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.rate").exists()


def test_an_unknown_competency_asks_to_choose_again(cw: CompetencyWorld) -> None:
    a = cw.world.a
    response = client_for(a.manager).post(
        rate_url(a.learner), rating(cw, competency=f"{cw.framework.slug}:NOPE-99")
    )
    assert response.status_code == 200
    assert "This competency was not found." in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_coach_rates_as_assessor_and_a_team_mate_as_peer(cw: CompetencyWorld) -> None:
    a = cw.world.a
    client_for(a.coach).post(rate_url(a.learner), rating(cw, level="2"))
    client_for(a.mentor).post(rate_url(a.learner), rating(cw, level="4"))
    roles = dict(Assessment.objects.values_list("rater_role", "level"))
    assert roles == {RaterRole.ASSESSOR: 2, RaterRole.PEER: 4}
    # A peer rating is kept but does not count as the level.
    current = CurrentLevel.objects.get(person=a.learner, code="CNC-01")
    assert current.validated is not None and current.validated.level == 2


def test_a_peer_does_not_see_earlier_ratings_but_the_manager_does(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 2, comment="Nog oefenen met G-code")
    query = {"competency": f"{cw.framework.slug}:CNC-01"}
    assert "Nog oefenen met G-code" in (
        client_for(a.admin).get(rate_url(a.learner), query).content.decode()
    )
    assert "Nog oefenen met G-code" not in (
        client_for(a.mentor).get(rate_url(a.learner), query).content.decode()
    )


@pytest.mark.parametrize("persona", ["org_admin", "manager", "learner", "coach", "coordinator"])
def test_people_of_the_other_organisation_get_404_and_change_nothing(
    cw: CompetencyWorld, persona: str
) -> None:
    a = cw.world.a
    outsider = client_for(cw.world.b.personas()[persona])
    assert outsider.get(rate_url(a.learner)).status_code == 404
    assert outsider.post(rate_url(a.learner), rating(cw)).status_code == 404
    assert not Assessment.objects.exists()


def test_someone_without_a_relation_cannot_rate(cw: CompetencyWorld) -> None:
    a = cw.world.a
    # The author works at the same company but is not in the learner's team, nor leads them.
    author = client_for(a.author)
    assert author.get(rate_url(a.learner)).status_code == 404
    assert author.post(rate_url(a.learner), rating(cw)).status_code == 404
    assert not Assessment.objects.exists()
    assert Client().get(rate_url(a.learner)).status_code == 302


def test_a_learner_can_rate_themselves_here_too(cw: CompetencyWorld) -> None:
    a = cw.world.a
    client_for(a.learner).post(rate_url(a.learner), rating(cw, level="4"))
    saved = Assessment.objects.get()
    assert saved.rater_role == RaterRole.SELF
    current = CurrentLevel.objects.get(person=a.learner, code="CNC-01")
    assert current.validated is None and current.self_rating == saved


def test_the_persons_page_links_to_rating_them(cw: CompetencyWorld) -> None:
    a = cw.world.a
    url = reverse("people:detail", args=[a.org.slug, a.learner_membership.uuid])
    page = client_for(a.manager).get(url).content.decode()
    assert rate_url(a.learner) in page
    assert client_for(a.manager).get(rate_url(a.learner)).status_code == 200
