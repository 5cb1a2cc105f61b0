"""The demo's competency frameworks, profiles and rating histories: enough to tell a story when
a manager of the training firms (S4) logs in, loaded once, and removed with --reset."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Max, Min
from django.test import TestCase
from django.utils import timezone

from gilde.competencies.models import (
    Assessment,
    AssessmentRound,
    Category,
    ClaimStatus,
    Competency,
    CurrentLevel,
    Evidence,
    EvidenceKind,
    Framework,
    FrameworkVersion,
    FunctionProfile,
    LevelDescriptor,
    PriorLearningClaim,
    ProfileAssignment,
    RaterRole,
    Requirement,
    RoundParticipant,
    VersionStatus,
)
from gilde.competencies.services import rating_with_evidence_record
from gilde.demo.data import S5, S8
from gilde.demo.selectors import DemoLogin, demo_logins
from gilde.demo.services import demo_load, demo_reset
from gilde.people.models import Person
from gilde.tenancy.models import Membership, MembershipKind, Network, Role

COMPETENCY_MODELS: tuple[Any, ...] = (
    Framework,
    FrameworkVersion,
    Category,
    Competency,
    LevelDescriptor,
    FunctionProfile,
    Requirement,
    ProfileAssignment,
    Assessment,
    CurrentLevel,
    AssessmentRound,
    RoundParticipant,
    PriorLearningClaim,
    Evidence,
)
S4 = "Trainers Up-to-date"
ONE_STEP = 1 / 3  # one step of the demo's four-level scale on the common 0–1 range


def competency_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COMPETENCY_MODELS}


def ratings_fingerprint() -> list[tuple[str, str, int, str, str]]:
    """Every rating, by whom it is about, what, which level, in which role and on which day."""
    return sorted(
        (a.person.email, a.competency.code, a.level, a.rater_role, a.assessed_on.isoformat())
        for a in Assessment.objects.select_related("person", "competency")
    )


def published(name: str) -> FrameworkVersion:
    return FrameworkVersion.objects.get(framework__name=name, status=VersionStatus.PUBLISHED)


class LoadedDemoTests(TestCase):
    """Reads of one loaded demo (loaded once for the class, rolled back afterwards)."""

    logins: ClassVar[list[DemoLogin]]

    @classmethod
    def setUpTestData(cls) -> None:
        demo_load()
        cls.logins = demo_logins()

    def s4_manager(self) -> Person:
        login = next(x for x in self.logins if x.network == S4 and x.role == Role.MANAGER)
        return Person.objects.get(email=login.email)

    def test_retail_cnc_and_trainer_frameworks_have_fifteen_competencies_with_every_level(
        self,
    ) -> None:
        for name, network in (
            ("Digitale vaardigheden in de winkel", "Utrechtse Retail Academie"),
            ("Verspanen en CNC", "Lerend Netwerk Techniek Gelderland"),
            ("Didactiek voor BHV- en EHBO-trainers", S4),
        ):
            version = published(name)
            assert version.framework.network is not None
            assert version.framework.network.name == network
            assert [lv.label for lv in version.levels.all()] == [
                "Beginner",
                "Gevorderd beginner",
                "Bekwaam",
                "Expert",
            ]
            competencies = list(version.competencies.prefetch_related("descriptors"))
            assert 15 <= len(competencies) <= 30, name
            assert version.categories.count() >= 3, name
            for competency in competencies:
                assert competency.category_id is not None
                assert competency.description
                levels = [d.level for d in competency.descriptors.all() if d.text.strip()]
                assert levels == [1, 2, 3, 4], competency.code

    def test_every_framework_has_ten_to_thirty_competencies_and_every_network_one(self) -> None:
        for version in FrameworkVersion.objects.filter(status=VersionStatus.PUBLISHED):
            assert 10 <= version.competencies.count() <= 30, version
            missing = version.competencies.annotate(n=Count("descriptors")).exclude(n=4)
            assert not missing.exists(), version
        # The film companies (S5) and the energy-transition network (S8) show events only.
        for network in Network.objects.exclude(slug__in=[S5.slug, S8.slug]):
            assert Framework.objects.filter(network=network).exists(), network.name
            assert FunctionProfile.objects.filter(network=network).exists(), network.name
        # One framework belongs to a single organisation rather than a whole network.
        assert Framework.objects.filter(organisation__isnull=False).exists()

    def test_the_retail_framework_has_a_second_version_and_old_ratings_keep_the_first(
        self,
    ) -> None:
        framework = Framework.objects.get(name="Digitale vaardigheden in de winkel")
        first, second = framework.versions.order_by("number")
        assert (first.status, second.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
        assert second.note
        old = first.competencies.get(code="OM-01")
        new = second.competencies.get(code="OM-01")
        assert old.name != new.name
        assert Assessment.objects.filter(competency__version=first).exists()
        assert Assessment.objects.filter(competency__version=second).exists()
        # Ratings of the old version are older than the new version.
        newest_old = Assessment.objects.filter(competency__version=first).aggregate(
            Max("assessed_on")
        )["assessed_on__max"]
        assert second.published_at is not None
        assert newest_old <= timezone.localtime(second.published_at).date()
        assert set(
            FunctionProfile.objects.filter(version__framework=framework).values_list(
                "version", flat=True
            )
        ) == {second.pk}

    def test_every_person_with_a_profile_has_ratings_spread_over_months(self) -> None:
        assigned = ProfileAssignment.objects.filter(is_target=False)
        assert assigned.count() >= 25
        people = set(assigned.values_list("person_id", flat=True))
        rated = set(Assessment.objects.values_list("person_id", flat=True))
        assert people <= rated
        today = timezone.localdate()
        span = Assessment.objects.aggregate(first=Min("assessed_on"), last=Max("assessed_on"))
        assert 180 <= (today - span["first"]).days <= 280
        assert span["last"] <= today
        # Self-ratings are by the person; validating ratings are by someone else.
        for assessment in Assessment.objects.only("person_id", "rater_id", "rater_role"):
            if assessment.rater_role == RaterRole.SELF:
                assert assessment.rater_id == assessment.person_id
            else:
                assert assessment.rater_id not in (None, assessment.person_id)
        # Most people were rated by someone else too, at several moments.
        both = (
            Assessment.objects.filter(person_id__in=people)
            .exclude(rater_role=RaterRole.SELF)
            .values("person_id")
            .annotate(days=Count("assessed_on", distinct=True))
        )
        assert sum(1 for row in both if row["days"] >= 2) >= len(people) // 2

    def test_some_current_levels_disagree_by_two_levels_or_more(self) -> None:
        disagreeing = CurrentLevel.objects.filter(disagreement=True)
        assert disagreeing.count() >= 5
        for row in disagreeing:
            assert row.validated_normalised is not None and row.self_normalised is not None
            assert abs(row.validated_normalised - row.self_normalised) >= 2 * ONE_STEP - 1e-9
        # Both ways: some rate themselves higher than their manager does, some lower.
        assert any(r.self_normalised > r.validated_normalised for r in disagreeing)  # type: ignore[operator]
        assert any(r.self_normalised < r.validated_normalised for r in disagreeing)  # type: ignore[operator]

    def test_the_s4_managers_team_has_validated_self_only_and_disagreeing_cells(self) -> None:
        manager = self.s4_manager()
        team = list(
            Membership.objects.current().filter(manager=manager).values_list("person_id", flat=True)
        )
        assert len(team) >= 5
        cells = CurrentLevel.objects.filter(person_id__in=team)
        validated = cells.filter(validated_normalised__isnull=False)
        self_only = cells.filter(validated_normalised__isnull=True, self_normalised__isnull=False)
        assert validated.count() >= 40
        assert self_only.count() >= 10
        assert cells.filter(disagreement=True).exists()
        # Someone in the team grew: a later validated rating is higher than an earlier one.
        history: dict[tuple[int, str], list[tuple[Any, int]]] = defaultdict(list)
        for a in (
            Assessment.objects.filter(person_id__in=team)
            .exclude(rater_role=RaterRole.SELF)
            .select_related("competency")
        ):
            history[(a.person_id, a.competency.code)].append((a.assessed_on, a.level))
        grew = [key for key, rows in history.items() if sorted(rows)[-1][1] > sorted(rows)[0][1]]
        assert len({person for person, _code in grew}) >= 2

    def test_the_s4_manager_has_an_open_round_with_some_people_done(self) -> None:
        manager = self.s4_manager()
        open_round = AssessmentRound.objects.get(requested_by=manager, closed_at__isnull=True)
        assert open_round.due_date > timezone.localdate()
        participants = list(open_round.participants.all())
        done = [p for p in participants if p.self_done_at is not None]
        waiting = [p for p in participants if p.self_done_at is None]
        assert done and waiting
        assert any(p.validated_at is not None for p in done)
        assert not any(p.validated_at is not None for p in waiting)
        for participant in done:
            rated = Assessment.objects.filter(
                round=open_round, person=participant.person, rater_role=RaterRole.SELF
            )
            assert rated.count() == open_round.profile.requirements.count()
        # Everyone in the round works for the manager and has the round's profile.
        for participant in participants:
            membership = Membership.objects.current().get(
                person=participant.person, organisation=open_round.organisation
            )
            assert membership.manager_id == manager.pk
            assert membership.profile_assignment.profile_id == open_round.profile_id

    def test_a_temp_workers_prior_learning_claim_waits_for_an_assessor(self) -> None:
        claim = PriorLearningClaim.objects.get()
        assert claim.status == ClaimStatus.SUBMITTED
        assert Membership.objects.current().filter(
            person=claim.person, kind=MembershipKind.PLACEMENT
        )
        assert claim.statement
        evidence = claim.evidence.get()
        assert evidence.kind == EvidenceKind.LINK and evidence.link.startswith("https://")

    def test_some_people_picked_a_target_profile(self) -> None:
        targets = ProfileAssignment.objects.filter(is_target=True)
        assert targets.count() >= 3
        for target in targets:
            own = ProfileAssignment.objects.get(person=target.person, is_target=False)
            assert own.profile_id != target.profile_id


@pytest.mark.django_db
def test_loading_the_demo_twice_adds_no_competency_rows() -> None:
    demo_load()
    before = competency_counts()
    assert before["Assessment"] >= 800
    assert not demo_load().created
    assert competency_counts() == before


@pytest.mark.django_db
def test_reset_removes_the_competency_rows_and_loads_the_same_histories_again(
    settings: Any,
) -> None:
    demo_load()
    fingerprint = ratings_fingerprint()
    # Something a demo user did: a rating with an uploaded evidence file.
    login = next(x for x in demo_logins() if x.network == S4 and x.role == Role.MANAGER)
    manager = Person.objects.get(email=login.email)
    member = Membership.objects.current().filter(manager=manager).first()
    assert member is not None
    requirement = member.profile_assignment.profile.requirements.first()
    assert requirement is not None
    rating_with_evidence_record(
        actor=manager,
        person=member.person,
        competency=requirement.competency,
        level=3,
        upload=SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    )
    stored = Evidence.objects.get(kind=EvidenceKind.FILE)
    path = stored.file.path
    demo_reset()
    assert all(count == 0 for count in competency_counts().values()), competency_counts()
    assert not Path(path).exists()
    assert demo_load().created
    assert ratings_fingerprint() == fingerprint
