"""`assessments_load` (the generator's and imports' bulk path) keeps current levels by the same
rule as rating one at a time."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.utils import timezone

from gilde.competencies.models import Assessment, AssessmentSource, CurrentLevel, RaterRole
from gilde.competencies.services import CompetencyError, assessments_load, competency_save
from tests.competencies.conftest import CompetencyWorld, rate

pytestmark = pytest.mark.django_db


def _plan(cw: CompetencyWorld) -> list[tuple[Any, str, Any, int, dt.date]]:
    a = cw.world.a
    rng = random.Random(4)
    today = timezone.localdate()
    plan = []
    for _ in range(40):
        by_manager = rng.random() < 0.5
        plan.append(
            (
                a.manager if by_manager else a.learner,
                RaterRole.MANAGER if by_manager else RaterRole.SELF,
                rng.choice([cw.cnc, cw.measure, cw.teamwork]),
                rng.randint(1, 4),
                today - dt.timedelta(days=rng.randint(0, 20)),
            )
        )
    return plan


def _levels(cw: CompetencyWorld) -> dict[str, tuple[Any, ...]]:
    return {
        c.code: (
            c.validated.level if c.validated else None,
            c.validated.assessed_on if c.validated else None,
            c.self_rating.level if c.self_rating else None,
            c.self_rating.assessed_on if c.self_rating else None,
            c.disagreement,
        )
        for c in CurrentLevel.objects.filter(person=cw.world.a.learner).select_related(
            "validated", "self_rating"
        )
    }


def test_bulk_and_single_ratings_give_the_same_current_levels(
    cw: CompetencyWorld, django_assert_max_num_queries: Any
) -> None:
    a = cw.world.a
    plan = _plan(cw)
    for rater, role, competency, level, day in plan:
        rate(rater, a.learner, competency, level, assessed_on=day, rater_role=role)
    one_by_one = _levels(cw)
    CurrentLevel.objects.filter(person=a.learner).delete()
    Assessment.objects.filter(person=a.learner).delete()

    rows = [
        Assessment(
            person=a.learner,
            competency=competency,
            level=level,
            rater=rater,
            rater_role=role,
            organisation=a.org,
            source=AssessmentSource.DIRECT,
            assessed_on=day,
        )
        for rater, role, competency, level, day in plan
    ]
    # In two parts: the second brings existing current levels up to date.
    with django_assert_max_num_queries(12):
        assert assessments_load(entries=rows[:25]) == 25
    assert assessments_load(entries=rows[25:]) == 15
    assert _levels(cw) == one_by_one
    assert Assessment.objects.filter(person=a.learner).count() == 40


def test_ratings_on_a_draft_are_refused_and_nothing_is_stored(cw: CompetencyWorld) -> None:
    from gilde.competencies.services import version_new_draft

    draft = version_new_draft(actor=None, framework=cw.framework)
    new = competency_save(actor=None, version=draft, code="NEW-01", name="Nieuw")
    a = cw.world.a
    with pytest.raises(CompetencyError):
        assessments_load(
            entries=[
                Assessment(
                    person=a.learner,
                    competency=new,
                    level=2,
                    rater=a.learner,
                    rater_role=RaterRole.SELF,
                    assessed_on=timezone.localdate(),
                )
            ]
        )
    assert not Assessment.objects.filter(person=a.learner).exists()
