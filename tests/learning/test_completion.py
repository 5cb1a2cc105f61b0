"""Completion per kind and what follows: proof for an external course, sign-off of on-the-job
work, a school's result, learning records, the item_completed signal, and proposals of new
levels that only a manager turns into a rating."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gilde.audit.models import AuditEvent
from gilde.competencies.models import Assessment, CurrentLevel, RaterRole
from gilde.competencies.services import assessment_record
from gilde.learning import services
from gilde.learning.models import (
    CatalogueItem,
    Completion,
    CompletionResult,
    Enrolment,
    EnrolmentStatus,
    ItemKind,
    LevelProposal,
    ProposalStatus,
)
from gilde.learning.signals import item_completed
from gilde.lrs.models import Statement
from gilde.tenancy.models import Organisation, OrganisationKind, Role
from gilde.tenancy.services import membership_create, network_membership_add, organisation_create
from tests.competencies.assess_samples import pdf_upload
from tests.conftest import World, make_person
from tests.learning.conftest import make_item
from tests.learning.samples import learning_samples


@pytest.fixture
def external(world: World, items: dict[str, CatalogueItem]) -> Enrolment:
    return services.enrolment_self_create(actor=world.a.learner, item=items["a_network"])


def test_learner_completes_an_external_course_with_a_file(
    client: Client, world: World, external: Enrolment
) -> None:
    client.force_login(world.a.learner)
    response = client.post(
        reverse("learning:proof", args=[external.uuid]),
        {"file": pdf_upload("certificaat.pdf"), "note": "Gehaald!"},
    )
    assert response.status_code == 302
    completion = Completion.objects.get()
    assert completion.enrolment == external
    assert completion.result == CompletionResult.COMPLETED
    assert completion.study_hours == external.item.study_load_hours
    assert completion.proof_filename == "certificaat.pdf"
    assert completion.proof_file.read().startswith(b"%PDF")
    external.refresh_from_db()
    assert external.status == EnrolmentStatus.COMPLETED
    assert external.progress_percent == 100
    assert AuditEvent.objects.filter(action="learning.complete", subject=world.a.learner)
    verbs = set(Statement.objects.filter(registration=external.uuid).values_list("verb", flat=True))
    assert "http://adlnet.gov/expapi/verbs/completed" in verbs


def test_a_program_as_proof_is_refused_and_nothing_changes(
    client: Client, world: World, external: Enrolment
) -> None:
    client.force_login(world.a.learner)
    fake = SimpleUploadedFile("bewijs.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(reverse("learning:proof", args=[external.uuid]), {"file": fake})
    assert response.status_code == 400
    assert not Completion.objects.exists()
    external.refresh_from_db()
    assert external.status == EnrolmentStatus.ACTIVE
    response = client.post(reverse("learning:proof", args=[external.uuid]), {"note": "x"})
    assert response.status_code == 400
    assert not Completion.objects.exists()


def test_proof_posted_twice_completes_once(
    client: Client, world: World, external: Enrolment
) -> None:
    client.force_login(world.a.learner)
    url = reverse("learning:proof", args=[external.uuid])
    client.post(url, {"link": "https://example.org/bewijs"})
    response = client.post(url, {"link": "https://example.org/bewijs"})
    assert response.status_code == 400
    assert Completion.objects.count() == 1


def test_only_the_learner_adds_proof(client: Client, world: World, external: Enrolment) -> None:
    for person in (world.a.manager, world.b.learner):
        client.force_login(person)
        url = reverse("learning:proof", args=[external.uuid])
        assert client.post(url, {"link": "https://example.org/x"}).status_code == 404
    assert not Completion.objects.exists()


@pytest.fixture
def placed_job(world: World, items: dict[str, CatalogueItem]) -> Enrolment:
    """The temp worker placed at Org A (mentor: A's mentor) enrolled by A's admin."""
    result = services.enrolments_create_for_team(
        actor=world.a.admin,
        item=items["a_job"],
        organisation=world.a.org,
        people=[world.temp_worker],
    )
    return result.enrolled[0]


def test_mentor_signs_off_on_the_job_work(
    client: Client, world: World, placed_job: Enrolment
) -> None:
    url = reverse("learning:sign-off", args=[placed_job.uuid])
    client.force_login(world.temp_worker)
    assert client.post(url, {"note": "klaar"}).status_code == 400  # not yourself
    client.force_login(world.b.mentor)
    assert client.post(url).status_code == 404
    assert not Completion.objects.exists()
    client.force_login(world.a.mentor)
    page = client.get(reverse("learning:enrolment", args=[placed_job.uuid]))
    assert "sign-off" in page.content.decode()
    response = client.post(url, {"note": "Netjes gedaan."})
    assert response.status_code == 302
    completion = Completion.objects.get()
    assert completion.signed_off_by == world.a.mentor
    assert completion.result == CompletionResult.SIGNED_OFF
    assert completion.note == "Netjes gedaan."


def test_an_assignment_for_the_manager_is_not_signed_off_by_the_mentor(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    job = make_item(
        actor=world.a.admin,
        title="Leidinggeven",
        kind=ItemKind.ON_THE_JOB,
        organisation=world.a.org,
        sign_off_by="manager",
    )
    enrolment = services.enrolments_create_for_team(
        actor=world.a.admin, item=job, organisation=world.a.org, people=[world.temp_worker]
    ).enrolled[0]
    with pytest.raises(services.LearningError, match="manager"):
        services.on_the_job_sign_off(actor=world.a.mentor, enrolment=enrolment)
    assert not Completion.objects.exists()
    services.on_the_job_sign_off(actor=world.a.admin, enrolment=enrolment)
    assert Completion.objects.get().signed_off_by == world.a.admin


def test_the_school_records_a_subjects_result(client: Client, world: World) -> None:
    school = organisation_create(actor=None, name="ROC A", kind=OrganisationKind.SCHOOL)
    network_membership_add(actor=None, network=world.a.network, organisation=school)
    teacher = make_person("docent-a@example.org", "Dora", "Docent")
    membership_create(actor=None, person=teacher, organisation=school, roles=[Role.ORG_ADMIN])
    agency_admin = make_person("bureau-a@example.org", "Bas", "Bureau")
    membership_create(
        actor=None, person=agency_admin, organisation=world.agency, roles=[Role.ORG_ADMIN]
    )
    subject = make_item(
        actor=world.a.coordinator,
        title="Nederlands 2F",
        kind=ItemKind.SCHOOL_SUBJECT,
        network=world.a.network,
        school=school,
    )
    enrolment = services.enrolments_create_for_team(
        actor=agency_admin, item=subject, organisation=world.agency, people=[world.temp_worker]
    ).enrolled[0]
    url = reverse("learning:school-result", args=[enrolment.uuid])
    for person in (world.temp_worker, world.b.admin):
        client.force_login(person)
        assert client.post(url, {"school_result": "8"}).status_code in (400, 404)
    client.force_login(teacher)
    assert client.get(reverse("learning:enrolment", args=[enrolment.uuid])).status_code == 200
    assert client.post(url, {"school_result": " "}).status_code == 400
    assert not Completion.objects.exists()
    assert client.post(url, {"school_result": "7,5"}).status_code == 302
    assert Completion.objects.get().school_result == "7,5"
    # The school sees the enrolments in its own subject, nothing else of the person.
    assert isinstance(school, Organisation)


def test_other_apps_hear_of_a_completion(world: World, external: Enrolment) -> None:
    heard: list[Any] = []

    def receiver(sender: Any, completion: Completion, enrolment: Enrolment, **kw: Any) -> None:
        heard.append((completion.pk, enrolment.pk))

    item_completed.connect(receiver, dispatch_uid="test-receiver")
    try:
        completion = services.external_proof_submit(
            actor=world.a.learner, enrolment=external, link="https://example.org/p"
        )
    finally:
        item_completed.disconnect(dispatch_uid="test-receiver")
    assert heard == [(completion.pk, external.pk)]


def test_a_failing_receiver_leaves_no_completion(world: World, external: Enrolment) -> None:
    def receiver(**kwargs: Any) -> None:
        raise RuntimeError("plan app broke")

    item_completed.connect(receiver, dispatch_uid="test-breaks")
    try:
        with pytest.raises(RuntimeError):
            services.external_proof_submit(
                actor=world.a.learner, enrolment=external, link="https://example.org/p"
            )
    finally:
        item_completed.disconnect(dispatch_uid="test-breaks")
    assert not Completion.objects.exists()
    external.refresh_from_db()
    assert external.status == EnrolmentStatus.ACTIVE
    assert not Statement.objects.filter(verb__endswith="/completed").exists()


# --- proposals of new levels ------------------------------------------------------------------


def test_completion_proposes_the_target_level_without_changing_levels(world: World) -> None:
    samples = learning_samples(world)
    proposal = samples["learning_proposal"]
    assert proposal.person == world.a.learner
    assert proposal.level == 3
    assert proposal.organisation == world.a.org
    assert proposal.status == ProposalStatus.OPEN
    assert not Assessment.objects.filter(person=world.a.learner).exists()
    assert not CurrentLevel.objects.filter(person=world.a.learner).exists()


def test_manager_accepts_a_proposal_and_the_level_is_validated(
    client: Client, world: World
) -> None:
    samples = learning_samples(world)
    proposal = samples["learning_proposal"]
    client.force_login(world.a.manager)
    page = client.get(reverse("learning:proposals"))
    assert "LR-01" in page.content.decode()
    prefix = str(proposal.uuid)
    response = client.post(
        reverse("learning:proposal-decide", args=[proposal.uuid]),
        {f"{prefix}-decision": "accept", f"{prefix}-level": "2"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assessment = proposal.assessment
    assert assessment is not None
    assert assessment.level == 2 and assessment.rater_role == RaterRole.MANAGER
    current = CurrentLevel.objects.get(person=world.a.learner, code="LR-01")
    assert current.validated_id == assessment.pk
    # Deciding again changes nothing.
    client.post(
        reverse("learning:proposal-decide", args=[proposal.uuid]),
        {f"{prefix}-decision": "accept", f"{prefix}-level": "4"},
    )
    assert Assessment.objects.filter(person=world.a.learner).count() == 1


def test_a_proposal_is_decided_only_by_the_persons_manager_or_admin(
    client: Client, world: World
) -> None:
    samples = learning_samples(world)
    proposal = samples["learning_proposal"]
    prefix = str(proposal.uuid)
    url = reverse("learning:proposal-decide", args=[proposal.uuid])
    for person in (world.a.learner, world.a.mentor, world.b.manager, world.b.admin):
        client.force_login(person)
        assert "LR-01" not in client.get(reverse("learning:proposals")).content.decode()
        assert client.post(url, {f"{prefix}-decision": "dismiss"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    client.force_login(world.a.admin)
    assert client.post(url, {f"{prefix}-decision": "dismiss"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert not Assessment.objects.filter(person=world.a.learner).exists()


def test_no_proposal_when_the_validated_level_is_already_there(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    samples = learning_samples(world)
    competency = samples["learning_competency"]
    assessment_record(actor=world.a.manager, person=world.a.manager, competency=competency, level=4)
    assessment_record(actor=world.a.admin, person=world.a.manager, competency=competency, level=4)
    enrolment = services.enrolment_self_create(actor=world.a.manager, item=samples["learning_item"])
    completion = services.external_proof_submit(
        actor=world.a.manager, enrolment=enrolment, link="https://example.org/p"
    )
    assert not completion.level_proposals.exists()
    assert LevelProposal.objects.count() == 1  # only the learner's from the samples
