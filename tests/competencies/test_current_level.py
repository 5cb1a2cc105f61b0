from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gilde.competencies.models import Assessment, CurrentLevel, RaterRole
from gilde.competencies.selectors import gap_score, profile_gaps
from gilde.competencies.services import (
    CompetencyError,
    Scale,
    assessment_record,
    competency_save,
    framework_create,
    version_new_draft,
    version_publish,
)
from tests.competencies.conftest import CompetencyWorld, rate


def level_of(cw: CompetencyWorld, code: str = "CNC-01") -> CurrentLevel:
    return CurrentLevel.objects.get(person=cw.world.a.learner, framework=cw.framework, code=code)


def test_scales_map_onto_one_range() -> None:
    four = Scale((1, 2, 3, 4))
    five = Scale((0, 1, 2, 3, 4))
    assert [four.normalise(v) for v in four.values] == [0.0, 1 / 3, 2 / 3, 1.0]
    assert five.normalise(2) == 0.5
    assert four.from_normalised(five.normalise(4)) == 4
    with pytest.raises(CompetencyError):
        four.normalise(5)


def test_the_manager_rating_counts_and_the_self_rating_stays_beside_it(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.learner, a.learner, cw.cnc, 4)
    assert level_of(cw).normalised == 1.0
    assert level_of(cw).validated is None  # only a self-rating: shown as not validated
    rate(a.manager, a.learner, cw.cnc, 2)
    current = level_of(cw)
    assert current.normalised == pytest.approx(1 / 3)
    assert current.self_normalised == 1.0
    assert current.disagreement  # 4 against 2: two steps apart


def test_one_step_apart_is_no_disagreement(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.learner, a.learner, cw.cnc, 3)
    rate(a.manager, a.learner, cw.cnc, 2)
    assert not level_of(cw).disagreement


def test_the_latest_validated_rating_wins_not_the_first_competent_one(cw: CompetencyWorld) -> None:
    a = cw.world.a
    today = timezone.localdate()
    rate(a.manager, a.learner, cw.cnc, 3, assessed_on=today - dt.timedelta(days=90))
    rate(a.coach, a.learner, cw.cnc, 2, assessed_on=today - dt.timedelta(days=10))
    assert level_of(cw).validated.rater_role == RaterRole.ASSESSOR
    assert level_of(cw).normalised == pytest.approx(1 / 3)
    # A rating entered later but dated earlier does not replace a more recent one.
    rate(a.manager, a.learner, cw.cnc, 4, assessed_on=today - dt.timedelta(days=30))
    assert level_of(cw).normalised == pytest.approx(1 / 3)
    assert Assessment.objects.filter(person=a.learner).count() == 3  # nothing overwritten


def test_a_peer_rating_is_kept_but_never_counts(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 2)
    peer = rate(a.mentor, a.learner, cw.cnc, 4, rater_role=RaterRole.PEER)
    assert peer.pk
    assert level_of(cw).normalised == pytest.approx(1 / 3)


def test_who_may_rate_whom(cw: CompetencyWorld) -> None:
    a, b = cw.world.a, cw.world.b
    assert rate(a.manager, a.learner, cw.cnc, 2).rater_role == RaterRole.MANAGER
    assert rate(a.admin, a.learner, cw.cnc, 2).rater_role == RaterRole.MANAGER
    assert rate(a.coach, a.learner, cw.cnc, 2).rater_role == RaterRole.ASSESSOR
    assert rate(a.mentor, cw.world.temp_worker, cw.cnc, 2).rater_role == RaterRole.MENTOR
    assert rate(a.mentor, a.learner, cw.cnc, 2).rater_role == RaterRole.PEER  # same team
    before = Assessment.objects.count()
    for outsider in (b.admin, b.manager, a.coordinator, a.author):
        with pytest.raises(CompetencyError):
            rate(outsider, a.learner, cw.cnc, 2)
    assert Assessment.objects.count() == before


def test_a_level_outside_the_scale_changes_nothing(cw: CompetencyWorld) -> None:
    a = cw.world.a
    for level in (0, 5, 99):
        with pytest.raises(CompetencyError):
            rate(a.manager, a.learner, cw.cnc, level)
    assert not Assessment.objects.exists()
    assert not CurrentLevel.objects.exists()


def test_an_old_assessment_keeps_its_version_and_the_level_follows_the_code(
    cw: CompetencyWorld,
) -> None:
    a = cw.world.a
    old = rate(a.manager, a.learner, cw.cnc, 3)
    draft = version_new_draft(actor=a.coordinator, framework=cw.framework, note="Nieuwe namen")
    renamed = draft.competencies.get(code="CNC-01")
    competency_save(
        actor=None, version=draft, code="CNC-01", name="Draaien en frezen (CNC)", competency=renamed
    )
    version_publish(actor=a.coordinator, version=draft)
    old.refresh_from_db()
    assert old.competency.version.number == 1
    assert old.competency.name == "CNC-draaien"
    renamed.refresh_from_db()
    new = rate(a.manager, a.learner, renamed, 4)
    assert new.competency.version.number == 2
    assert level_of(cw).validated == new
    cw.version.refresh_from_db()
    assert cw.version.status == "retired"


def test_a_published_version_cannot_be_edited(cw: CompetencyWorld) -> None:
    with pytest.raises(CompetencyError):
        competency_save(actor=None, version=cw.version, code="NEW-01", name="Nieuw")


def test_a_draft_cannot_be_rated(cw: CompetencyWorld) -> None:
    a = cw.world.a
    draft = version_new_draft(actor=a.coordinator, framework=cw.framework)
    with pytest.raises(CompetencyError):
        assessment_record(
            actor=a.manager, person=a.learner, competency=draft.competencies.first(), level=2
        )


def test_gaps_against_the_function_profile(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 1)  # required 3, weight 3
    rate(a.manager, a.learner, cw.measure, 3)  # met
    rows = profile_gaps(person=a.learner, profile=cw.profile)
    assert rows[0].competency.code == "CNC-01"
    assert rows[0].gap == pytest.approx(2 / 3)
    met = next(r for r in rows if r.competency.code == "MET-01")
    assert met.gap == 0
    unknown = next(r for r in rows if r.competency.code == "SOFT-01")
    assert unknown.current is None and unknown.gap == pytest.approx(1 / 3)
    assert 0 < gap_score(rows) < 1


def test_frameworks_with_different_scales_compare_on_one_range(cw: CompetencyWorld) -> None:
    a = cw.world.a
    five = framework_create(
        actor=None,
        name="Vijf stappen",
        organisation=a.org,
        scale=[(0, "geen", ""), (1, "a", ""), (2, "b", ""), (3, "c", ""), (4, "d", "")],
    )
    version = five.versions.get()
    comp = competency_save(actor=None, version=version, code="X", name="X")
    version_publish(actor=None, version=version)
    comp.refresh_from_db()
    high = rate(a.manager, a.learner, comp, 4)
    mid = rate(a.manager, a.learner, cw.cnc, 4)
    assert high.normalised == mid.normalised == 1.0
