"""Learning paths (steps, cycles, completion rules) and the learning records written for them."""

from __future__ import annotations

import pytest

from gilde.learning import records, services
from gilde.learning.models import (
    CatalogueItem,
    EnrolmentStatus,
    EnrolmentVia,
    LearningPath,
    PathCompletionRule,
    PathEnrolment,
    PathStep,
)
from gilde.lrs.models import Statement
from tests.conftest import World


def make_path(world: World, title: str, **fields: object) -> LearningPath:
    return LearningPath.objects.create(
        organisation=world.a.org, slug=title.lower().replace(" ", "-"), title=title, **fields
    )


def test_a_path_cannot_include_itself_directly_or_through_another(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    first = make_path(world, "Eerste")
    second = make_path(world, "Tweede")
    third = make_path(world, "Derde")
    services.path_step_add(actor=world.a.admin, path=first, included_path=second)
    services.path_step_add(actor=world.a.admin, path=second, included_path=third)
    for path, included in [(first, first), (third, first), (second, first)]:
        with pytest.raises(services.LearningError):
            services.path_step_add(actor=world.a.admin, path=path, included_path=included)
    assert PathStep.objects.count() == 2


def test_path_completes_when_all_required_items_are_done(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    inner = make_path(world, "Binnen")
    path = make_path(world, "Traject", certificate_enabled=True)
    services.path_step_add(actor=world.a.admin, path=path, item=items["a_private"])
    services.path_step_add(actor=world.a.admin, path=path, item=items["a_network"], required=False)
    services.path_step_add(actor=world.a.admin, path=inner, item=items["a_job"])
    services.path_step_add(actor=world.a.admin, path=path, included_path=inner)
    assert [req for _item, req in services.path_items(path)] == [True, False, True]
    path_enrolment = PathEnrolment.objects.create(
        person=world.a.learner, path=path, organisation=world.a.org, via=EnrolmentVia.SELF
    )
    first = services.enrolment_self_create(actor=world.a.learner, item=items["a_private"])
    first.path_enrolment = path_enrolment
    first.save(update_fields=["path_enrolment"])
    services.external_proof_submit(
        actor=world.a.learner, enrolment=first, link="https://example.org/p"
    )
    path_enrolment.refresh_from_db()
    assert path_enrolment.status == EnrolmentStatus.ACTIVE  # the job is still required
    job = services.enrolments_create_for_team(
        actor=world.a.manager,
        item=items["a_job"],
        organisation=world.a.org,
        people=[world.a.learner],
    ).enrolled[0]
    job.path_enrolment = path_enrolment
    job.save(update_fields=["path_enrolment"])
    services.on_the_job_sign_off(actor=world.a.manager, enrolment=job)
    path_enrolment.refresh_from_db()
    assert path_enrolment.status == EnrolmentStatus.COMPLETED
    assert Statement.objects.filter(registration=path_enrolment.uuid).exists()


def test_at_least_n_rule(world: World, items: dict[str, CatalogueItem]) -> None:
    path = make_path(
        world, "Keuze", completion_rule=PathCompletionRule.AT_LEAST_N, required_count=1
    )
    services.path_step_add(actor=world.a.admin, path=path, item=items["a_private"])
    services.path_step_add(actor=world.a.admin, path=path, item=items["a_network"])
    assert not services.path_rule_met(path, set())
    assert services.path_rule_met(path, {items["a_network"].pk})


def test_statements_are_valid_xapi_and_written_once(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    enrolment = services.enrolment_self_create(actor=world.a.learner, item=items["a_network"])
    completion = services.external_proof_submit(
        actor=world.a.learner, enrolment=enrolment, link="https://example.org/p"
    )
    before = Statement.objects.count()
    # Writing the same completion again stores nothing new (its id comes from the completion).
    records.record_completed(completion, enrolment)
    assert Statement.objects.count() == before
    stored = Statement.objects.filter(registration=enrolment.uuid).order_by("seq")
    assert [s.verb.rsplit("/", 1)[1] for s in stored] == ["registered", "completed"]
    assert all(s.person_id == world.a.learner.pk for s in stored)
    assert stored[1].activity == records.item_activity_id(items["a_network"])
    assert "/xapi/activities/learning/" in stored[1].activity


def test_launched_progressed_and_quiz_acts_are_recorded(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    from decimal import Decimal

    from django.utils import timezone

    from gilde.learning.models import Answer, Attempt, ItemKind, Question, QuestionKind, Quiz
    from tests.learning.conftest import make_item

    lesson = make_item(
        actor=world.a.admin,
        title="Les",
        kind=ItemKind.LESSON,
        organisation=world.a.org,
        publish=False,
    )
    page = lesson.pages.create(title="Pagina 1", body="Tekst", position=1)
    quiz = Quiz.objects.create(item=lesson, title="Toets", pass_mark_percent=50)
    question = Question.objects.create(quiz=quiz, kind=QuestionKind.SHORT_ANSWER, prompt="Wat?")
    question.accepted.create(text="dit")
    lesson = services.item_publish(actor=world.a.admin, item=lesson)
    enrolment = services.enrolment_self_create(actor=world.a.learner, item=lesson)
    records.record_launched(enrolment)
    enrolment.current_page = page
    enrolment.progress_percent = 50
    records.record_progressed(enrolment, page=page)
    attempt = Attempt.objects.create(
        enrolment=enrolment,
        quiz=quiz,
        number=1,
        question_ids=[question.pk],
        submitted_at=timezone.now(),
        score_percent=Decimal("100"),
        passed=True,
    )
    answer = Answer.objects.create(
        attempt=attempt, question=question, response={"value": "dit"}, correct=True
    )
    records.record_answered(attempt, [answer])
    records.record_attempt_result(attempt)
    verbs = list(
        Statement.objects.filter(registration=enrolment.uuid)
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert [v.rsplit("/", 1)[1] for v in verbs] == [
        "registered",
        "launched",
        "progressed",
        "answered",
        "passed",
    ]
    completion = services.complete_item(actor=world.a.learner, enrolment=enrolment)
    assert completion.result == "passed"
