"""The learning part of a person's data download and erasure."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from gilde.learning import services
from gilde.learning.models import (
    CatalogueItem,
    Completion,
    Enrolment,
    EnrolmentStatus,
    LevelProposal,
)
from gilde.people.models import Person
from gilde.privacy.services import person_erase
from tests.competencies.assess_samples import pdf_upload
from tests.conftest import World
from tests.learning.samples import learning_samples


def test_download_holds_enrolments_completions_and_proposals_of_the_person_only(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    learning_samples(world)
    other = services.enrolment_self_create(actor=world.a.manager, item=items["a_private"])
    services.enrolment_withdraw(actor=world.a.manager, enrolment=other, reason="Geheim B-plan")
    client.force_login(world.a.learner)
    response = client.post(reverse("privacy:export"))
    data = json.loads(response.content)["sections"]["learning"]
    assert {e["item"] for e in data["enrolments"]} == {
        "Lassen voor beginners",
        "Opdracht op de vloer",
    }
    assert data["completions"][0]["proof_link"] == "https://example.org/certificaat"
    assert data["levels_proposed_after_learning"][0]["level"] == 3
    text = response.content.decode()
    assert "Geheim B-plan" not in text
    for email in Person.objects.exclude(pk=world.a.learner.pk).values_list("email", flat=True):
        assert email not in text


def test_erasure_keeps_the_numbers_and_drops_what_identifies(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    learner = world.a.learner
    learning_samples(world)
    done = services.enrolment_self_create(actor=learner, item=items["a_network"])
    from gilde.competencies.evidence import check_upload

    services.external_proof_submit(
        actor=learner, enrolment=done, proof=check_upload(pdf_upload()), note="Mijn verhaal"
    )
    completion = Completion.objects.get(enrolment=done)
    stored = completion.proof_file.name
    assert completion.proof_file.storage.exists(stored)
    stopped = services.enrolment_self_create(actor=learner, item=items["a_private"])
    services.enrolment_withdraw(actor=learner, enrolment=stopped, reason="Ziek")
    open_one = services.enrolments_create_for_team(
        actor=world.a.manager, item=items["a_job"], organisation=world.a.org, people=[learner]
    ).enrolled[0]
    person_erase(actor=learner, person=learner)
    completion.refresh_from_db()
    assert completion.study_hours == items["a_network"].study_load_hours
    assert completion.proof_filename == "" and completion.note == ""
    assert not completion.proof_file.storage.exists(stored)
    stopped.refresh_from_db()
    assert stopped.withdrawn_reason == ""
    open_one.refresh_from_db()
    assert open_one.status == EnrolmentStatus.WITHDRAWN
    assert Enrolment.objects.filter(person=learner).count() == 5
    proposal = LevelProposal.objects.get(person=learner)
    assert proposal.status == "dismissed"
