"""Recognition of prior learning (EVC): a learner claims, an assessor accepts with a level or
explains why not."""

from __future__ import annotations

from pathlib import Path
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
    AssessmentSource,
    ClaimStatus,
    CurrentLevel,
    Evidence,
    PriorLearningClaim,
    RaterRole,
)
from gilde.competencies.services import claim_submit
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.competencies.assess_samples import SMALL_PDF, pdf_upload
from tests.competencies.conftest import CompetencyWorld
from tests.conftest import make_person


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


def key(cw: CompetencyWorld, code: str = "CNC-01") -> str:
    return f"{cw.framework.slug}:{code}"


def make_claim(cw: CompetencyWorld, person: Any = None, **extra: Any) -> PriorLearningClaim:
    a = cw.world.a
    return claim_submit(
        actor=person or a.learner,
        organisation=a.org,
        competency=cw.cnc,
        claimed_level=extra.pop("claimed_level", 3),
        statement="Vijf jaar CNC-draaien bij Metaal Oost.",
        uploads=[pdf_upload()],
        **extra,
    )


def detail_url(claim: PriorLearningClaim) -> str:
    return reverse("competencies:claim-detail", args=[claim.uuid])


def decide_url(claim: PriorLearningClaim) -> str:
    return reverse("competencies:claim-decide", args=[claim.uuid])


def test_a_learner_submits_a_claim_with_a_file_and_a_link(cw: CompetencyWorld) -> None:
    a = cw.world.a
    learner = client_for(a.learner)
    chooser = learner.get(reverse("competencies:claim-create")).content.decode()
    assert f'value="{key(cw)}"' in chooser
    form = learner.get(reverse("competencies:claim-create"), {"competency": key(cw)})
    assert "Programmeert vijfassig" in form.content.decode()

    response = learner.post(
        reverse("competencies:claim-create"),
        {
            "competency": key(cw),
            "claimed_level": "3",
            "statement": "Vijf jaar CNC-draaien bij Metaal Oost.",
            "evidence_files": [pdf_upload("getuigschrift.pdf")],
            "links": "https://example.org/portfolio\n",
            "organisation": a.org.slug,
        },
    )
    claim = PriorLearningClaim.objects.get()
    assert response.status_code == 302 and response.url == detail_url(claim)
    assert (claim.person, claim.organisation, claim.competency) == (a.learner, a.org, cw.cnc)
    assert claim.claimed_level == 3 and claim.status == ClaimStatus.SUBMITTED
    assert sorted(claim.evidence.values_list("kind", flat=True)) == ["file", "link"]
    assert AuditEvent.objects.filter(action="claim.submit", subject=a.learner).exists()
    listing = learner.get(reverse("competencies:claim-list")).content.decode()
    assert "waiting for an assessor" in listing
    assert not Assessment.objects.exists()


def test_a_claim_without_a_statement_or_with_a_level_off_the_scale_changes_nothing(
    cw: CompetencyWorld, _own_media_root: Path
) -> None:
    learner = client_for(cw.world.a.learner)
    base = {"competency": key(cw), "organisation": cw.world.a.org.slug, "links": ""}
    for data, message in [
        ({"claimed_level": "3", "statement": " "}, "Tell what you did and where."),
        ({"claimed_level": "9", "statement": "Gedaan"}, "Choose one of the levels of the scale."),
        (
            {"claimed_level": "3", "statement": "Gedaan", "links": "javascript:alert(1)"},
            "starts with http:// or https://",
        ),
    ]:
        response = learner.post(
            reverse("competencies:claim-create"),
            {**base, **data, "evidence_files": [pdf_upload()]},
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not PriorLearningClaim.objects.exists()
    assert not Evidence.objects.exists()
    assert [p for p in _own_media_root.rglob("*") if p.is_file()] == []


def test_a_disguised_program_in_a_claim_is_refused(cw: CompetencyWorld) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(cw.world.a.learner).post(
        reverse("competencies:claim-create"),
        {
            "competency": key(cw),
            "claimed_level": "3",
            "statement": "Gedaan",
            "organisation": cw.world.a.org.slug,
            "evidence_files": [
                pdf_upload(),
                SimpleUploadedFile("diploma.pdf", b"MZ" + b"\x00" * 100),
            ],
        },
    )
    assert "diploma.pdf: This file is a program" in response.content.decode()
    assert not PriorLearningClaim.objects.exists()
    assert not Evidence.objects.exists()


def test_the_manager_accepts_and_a_validated_assessment_is_created(cw: CompetencyWorld) -> None:
    a = cw.world.a
    claim = make_claim(cw)
    manager = client_for(a.manager)
    review = manager.get(reverse("competencies:claim-review"))
    assert list(review.context["claims"]) == [claim]
    page = manager.get(detail_url(claim)).content.decode()
    assert "Vijf jaar CNC-draaien bij Metaal Oost." in page
    evidence = claim.evidence.get()
    assert reverse("competencies:evidence-download", args=[evidence.uuid]) in page
    assert (
        manager.get(reverse("competencies:evidence-download", args=[evidence.uuid])).status_code
        == 200
    )

    response = manager.post(
        decide_url(claim), {"decision": "accept", "level": "2", "note": "Meten nog oefenen"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assessment = Assessment.objects.get()
    assert claim.status == ClaimStatus.ACCEPTED and claim.assessment == assessment
    assert claim.assessor == a.manager and claim.decided_at is not None
    assert assessment.source == AssessmentSource.PRIOR_LEARNING
    assert assessment.rater_role == RaterRole.MANAGER and assessment.level == 2
    assert assessment.person == a.learner and assessment.organisation == a.org
    evidence.refresh_from_db()
    assert evidence.assessment == assessment
    current = CurrentLevel.objects.get(person=a.learner, code="CNC-01")
    assert current.validated == assessment
    assert AuditEvent.objects.filter(action="claim.accept", subject=a.learner).exists()
    # The learner sees the outcome.
    mine = client_for(a.learner).get(detail_url(claim)).content.decode()
    assert "accepted" in mine and "Meten nog oefenen" in mine
    # Decided claims leave the list; a second decision is refused.
    assert not list(manager.get(reverse("competencies:claim-review")).context["claims"])
    assert manager.post(decide_url(claim), {"decision": "reject", "note": "x"}).status_code == 404
    assert Assessment.objects.count() == 1


def test_the_coach_accepts_as_assessor(cw: CompetencyWorld) -> None:
    claim = make_claim(cw)
    client_for(cw.world.a.coach).post(decide_url(claim), {"decision": "accept", "level": "3"})
    assert Assessment.objects.get().rater_role == RaterRole.ASSESSOR


def test_rejecting_needs_a_note_and_creates_no_assessment(cw: CompetencyWorld) -> None:
    a = cw.world.a
    claim = make_claim(cw)
    admin = client_for(a.admin)
    response = admin.post(decide_url(claim), {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert "Tell the person why the claim is not accepted." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED

    admin.post(decide_url(claim), {"decision": "reject", "note": "Stuur een werkstuk mee."})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.decision_note
    assert not Assessment.objects.exists()
    assert not CurrentLevel.objects.exists()
    assert AuditEvent.objects.filter(action="claim.reject", subject=a.learner).exists()
    assert (
        "Stuur een werkstuk mee." in client_for(a.learner).get(detail_url(claim)).content.decode()
    )


def test_accepting_with_a_level_off_the_scale_changes_nothing(cw: CompetencyWorld) -> None:
    claim = make_claim(cw)
    response = client_for(cw.world.a.manager).post(
        decide_url(claim), {"decision": "accept", "level": "6"}
    )
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert not Assessment.objects.exists()


def test_who_may_not_decide_cannot(cw: CompetencyWorld) -> None:
    a = cw.world.a
    claim = make_claim(cw)
    # The learner themselves, a team mate (peer), a colleague without a relation.
    for person in (a.learner, a.mentor, a.author):
        client = client_for(person)
        response = client.post(decide_url(claim), {"decision": "accept", "level": "4"})
        assert response.status_code == 404, person
        assert not list(client.get(reverse("competencies:claim-review")).context["claims"])
    assert not Assessment.objects.exists()
    # The learner sees their claim without a decision form.
    page = client_for(a.learner).get(detail_url(claim)).content.decode()
    assert decide_url(claim) not in page


@pytest.mark.parametrize("persona", ["org_admin", "manager", "learner", "coach", "coordinator"])
def test_people_of_the_other_organisation_see_nothing_of_a_claim(
    cw: CompetencyWorld, persona: str
) -> None:
    claim = make_claim(cw)
    evidence = claim.evidence.get()
    outsider = client_for(cw.world.b.personas()[persona])
    assert outsider.get(detail_url(claim)).status_code == 404
    assert outsider.post(decide_url(claim), {"decision": "accept", "level": "4"}).status_code == 404
    assert (
        outsider.get(reverse("competencies:evidence-download", args=[evidence.uuid])).status_code
        == 404
    )
    assert not list(outsider.get(reverse("competencies:claim-review")).context["claims"])
    assert cw.world.a.learner.display_name not in (
        outsider.get(reverse("competencies:claim-list")).content.decode()
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_another_learner_cannot_open_the_claim_or_its_evidence(cw: CompetencyWorld) -> None:
    a = cw.world.a
    claim = make_claim(cw)
    evidence = claim.evidence.get()
    other = make_person("learner2-a@example.org", "Lies", "AnderA")
    membership_create(actor=None, person=other, organisation=a.org, roles=[Role.LEARNER])
    client = client_for(other)
    assert client.get(detail_url(claim)).status_code == 404
    assert (
        client.get(reverse("competencies:evidence-download", args=[evidence.uuid])).status_code
        == 404
    )
    download = client_for(a.learner).get(
        reverse("competencies:evidence-download", args=[evidence.uuid])
    )
    assert b"".join(download.streaming_content) == SMALL_PDF  # type: ignore[attr-defined]


def test_the_list_of_claims_to_decide_runs_the_same_queries_for_more_claims(
    cw: CompetencyWorld,
) -> None:
    a = cw.world.a
    manager = client_for(a.manager)
    make_claim(cw)
    with CaptureQueriesContext(connection) as few:
        manager.get(reverse("competencies:claim-review"))
    for n in range(5):
        person = make_person(f"claimer{n}@example.org", "Claim", f"Indiener{n}")
        membership_create(
            actor=None,
            person=person,
            organisation=a.org,
            roles=[Role.LEARNER],
            manager=a.manager,
            start_date=timezone.localdate(),
        )
        make_claim(cw, person)
    with CaptureQueriesContext(connection) as many:
        response = manager.get(reverse("competencies:claim-review"))
    assert len(response.context["claims"]) == 6
    assert len(many.captured_queries) == len(few.captured_queries)
