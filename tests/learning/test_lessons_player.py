"""Taking a lesson on the phone: start (enrols), page through, leave and resume, take the quiz,
fail, retry, pass — and the item is completed through the completion service. Bad input:
answers posted twice, after handing in or after the time limit change nothing. Personas: the
learner, their manager (sees results, answers nothing), the network's coordinator (the author:
per-question numbers) and outsiders of network B (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from gilde.audit.models import AuditEvent
from gilde.learning import lessons
from gilde.learning.models import (
    Answer,
    Attempt,
    Completion,
    Enrolment,
    EnrolmentStatus,
    EnrolmentVia,
    ItemKind,
    QuestionKind,
)
from gilde.learning.services import LearningError
from gilde.lrs.models import Statement
from tests.conftest import World
from tests.learning.conftest import make_item
from tests.learning.lesson_helpers import Lesson, make_lesson, right_post, wrong_post


def client_for(person: Any) -> Client:
    # The English source texts, also once the Dutch translation has them.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)
    return client


@pytest.fixture
def lesson(world: World) -> Lesson:
    return make_lesson(actor=world.a.coordinator, network=world.a.network)


def verbs_of(enrolment: Enrolment) -> list[str]:
    rows = Statement.objects.filter(registration=enrolment.uuid).order_by("seq")
    return [v.rsplit("/", 1)[1] for v in rows.values_list("verb", flat=True)]


def start_attempt(client: Client, lesson: Lesson) -> Attempt:
    client.post(reverse("learning:attempt-start", args=[lesson.quiz.uuid]))
    return Attempt.objects.filter(quiz=lesson.quiz).order_by("-pk").first()  # type: ignore[return-value]


def answer_all(client: Client, attempt: Attempt, right: bool) -> None:
    for question in lesson_questions(attempt):
        post = right_post(question) if right else wrong_post(question)
        response = client.post(reverse("learning:attempt-answer", args=[attempt.uuid]), post)
        assert response.status_code == 302


def lesson_questions(attempt: Attempt) -> list[Any]:
    from gilde.learning.models import Question

    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    return [by_id[pk] for pk in attempt.question_ids]


# --- starting, paging, resuming -----------------------------------------------------------------


def test_learner_starts_pages_through_leaves_and_resumes(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    item = lesson.item
    intro = learner.get(reverse("learning:lesson", args=[item.uuid]))
    assert intro.status_code == 200 and "Start the lesson" in intro.content.decode()
    response = learner.post(reverse("learning:lesson-start", args=[item.uuid]))
    first, second = lesson.pages
    assert response["Location"] == reverse("learning:lesson-page", args=[item.uuid, first.uuid])
    enrolment = Enrolment.objects.get(person=world.a.learner, item=item)
    assert enrolment.via == EnrolmentVia.SELF and enrolment.current_page == first
    page = learner.get(response["Location"])
    html = page.content.decode()
    assert "Waarom veilig bankieren?" in html and "<strong>nepmails</strong>" in html
    assert "Page 1 of 2" in html
    learner.post(reverse("learning:lesson-page-open", args=[item.uuid, second.uuid]))
    enrolment.refresh_from_db()
    # Two pages read of a lesson with a quiz: 90%, the quiz makes it 100.
    assert (enrolment.current_page, enrolment.progress_percent) == (second, 90)
    # Back to page 1: progress does not go down, the place to resume does move.
    learner.post(reverse("learning:lesson-page-open", args=[item.uuid, first.uuid]))
    learner.post(reverse("learning:lesson-page-open", args=[item.uuid, second.uuid]))
    # Leave and come back another day: the lesson opens where they were.
    again = client_for(world.a.learner).get(reverse("learning:lesson", args=[item.uuid]))
    assert again["Location"] == reverse("learning:lesson-page", args=[item.uuid, second.uuid])
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 90
    assert verbs_of(enrolment) == [
        "registered",
        "launched",
        "progressed",
        "progressed",
        "progressed",
    ]
    # Starting again resumes: no second enrolment.
    learner.post(reverse("learning:lesson-start", args=[item.uuid]))
    assert Enrolment.objects.filter(person=world.a.learner, item=item).count() == 1


def test_a_lesson_page_is_not_read_without_enrolling(world: World, lesson: Lesson) -> None:
    url = reverse("learning:lesson-page", args=[lesson.item.uuid, lesson.pages[0].uuid])
    response = client_for(world.a.learner).get(url)
    assert response["Location"] == reverse("learning:lesson", args=[lesson.item.uuid])


def test_outsiders_get_404_everywhere(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    urls = [
        reverse("learning:lesson", args=[lesson.item.uuid]),
        reverse("learning:lesson-page", args=[lesson.item.uuid, lesson.pages[0].uuid]),
        reverse("learning:lesson-image", args=[lesson.item.uuid, lesson.image.uuid]),
        reverse("learning:attempt", args=[attempt.uuid]),
        reverse("learning:quiz-results", args=[lesson.quiz.uuid]),
    ]
    posts = [
        reverse("learning:lesson-start", args=[lesson.item.uuid]),
        reverse("learning:attempt-start", args=[lesson.quiz.uuid]),
        reverse("learning:attempt-answer", args=[attempt.uuid]),
        reverse("learning:attempt-submit", args=[attempt.uuid]),
    ]
    for person in (world.b.learner, world.b.admin, world.b.manager, world.b.coordinator):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        for url in posts:
            assert client.post(url, right_post(lesson.questions["single"])).status_code == 404
    assert not Enrolment.objects.filter(person__in=[world.b.learner, world.b.admin]).exists()
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


# --- the quiz -----------------------------------------------------------------------------------


def test_questions_are_drawn_per_attempt_and_a_resumed_attempt_shows_the_same(
    world: World,
) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network, draw_count=3)
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    bank = {q.pk for q in lesson.questions.values()}
    assert len(attempt.question_ids) == 3 and set(attempt.question_ids) <= bank
    first = lesson_questions(attempt)[0]
    page = learner.get(reverse("learning:attempt", args=[attempt.uuid])).content.decode()
    assert "Question 1 of 3" in page and escape(first.prompt) in page
    learner.post(reverse("learning:attempt-answer", args=[attempt.uuid]), right_post(first))
    # Leave, come back, press the quiz button again: the same attempt and questions.
    again = start_attempt(client_for(world.a.learner), lesson)
    assert again.pk == attempt.pk and again.question_ids == attempt.question_ids
    assert Attempt.objects.filter(quiz=lesson.quiz).count() == 1
    page = learner.get(reverse("learning:attempt", args=[attempt.uuid])).content.decode()
    assert "Question 2 of 3" in page and "1 of 3 questions answered" in page


def test_fail_retry_pass_completes_the_item(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    enrolment = Enrolment.objects.get(person=world.a.learner, item=lesson.item)
    first = start_attempt(learner, lesson)
    answer_all(learner, first, right=False)
    response = learner.post(reverse("learning:attempt-submit", args=[first.uuid]), follow=True)
    first.refresh_from_db()
    assert (first.passed, first.score_percent) == (False, Decimal("0.00"))
    html = response.content.decode()
    assert "Not passed" in html and "Try again" in html and "2 attempts left" in html
    # Feedback per answer and per question is shown with the result.
    assert "Juist niet: de link is nep." in html
    assert "Een bank vraagt nooit om in te loggen via een link." in html
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    second = start_attempt(learner, lesson)
    assert second.number == 2 and second.pk != first.pk
    answer_all(learner, second, right=True)
    response = learner.post(reverse("learning:attempt-submit", args=[second.uuid]), follow=True)
    second.refresh_from_db()
    assert (second.passed, second.score_percent) == (True, Decimal("100.00"))
    assert "Passed" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.progress_percent == 100
    completion = Completion.objects.get(enrolment=enrolment)
    assert completion.result == "passed" and completion.score_percent == Decimal("100.00")
    assert completion.study_hours == lesson.item.study_load_hours
    # The first attempt is kept as it was: attempts are never overwritten.
    first.refresh_from_db()
    assert first.passed is False and first.answers.count() == 5
    verbs = verbs_of(enrolment)
    assert verbs[:2] == ["registered", "launched"]
    assert verbs.count("answered") == 10
    assert [v for v in verbs if v in {"failed", "passed"}] == ["failed", "passed", "passed"]
    assert AuditEvent.objects.filter(action="learning.attempt_submit").count() == 2
    assert AuditEvent.objects.filter(action="learning.complete").count() == 1
    # No more attempts after passing.
    with pytest.raises(LearningError):
        lessons.attempt_start(actor=world.a.learner, enrolment=enrolment, quiz=lesson.quiz)


def test_an_answer_posted_twice_changes_nothing(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    question = lesson_questions(attempt)[0]
    url = reverse("learning:attempt-answer", args=[attempt.uuid])
    learner.post(url, right_post(question))
    response = learner.post(url, wrong_post(question), follow=True)
    assert "your first answer counts" in response.content.decode()
    answer = Answer.objects.get(attempt=attempt, question=question)
    assert answer.correct is True
    with pytest.raises(LearningError, match="first answer counts"):
        lessons.answer_submit(
            actor=world.a.learner, attempt=attempt, question=question, response={"value": "x"}
        )
    assert Answer.objects.filter(attempt=attempt).count() == 1


def test_an_answer_after_handing_in_is_refused(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    learner.post(reverse("learning:attempt-submit", args=[attempt.uuid]))
    question = lesson_questions(attempt)[0]
    response = learner.post(
        reverse("learning:attempt-answer", args=[attempt.uuid]), right_post(question), follow=True
    )
    assert "handed in already" in response.content.decode()
    assert not Answer.objects.filter(attempt=attempt).exists()
    attempt.refresh_from_db()
    assert attempt.score_percent == Decimal("0.00")
    response = learner.post(reverse("learning:attempt-submit", args=[attempt.uuid]), follow=True)
    assert "handed in already" in response.content.decode()


def test_an_answer_after_the_time_limit_is_refused(world: World) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network, time_limit=10)
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    assert attempt.deadline_at is not None
    questions = lesson_questions(attempt)
    learner.post(reverse("learning:attempt-answer", args=[attempt.uuid]), right_post(questions[0]))
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = learner.post(
        reverse("learning:attempt-answer", args=[attempt.uuid]),
        right_post(questions[1]),
        follow=True,
    )
    html = response.content.decode()
    assert "time for this attempt is up" in html
    assert Answer.objects.filter(attempt=attempt).count() == 1
    # Handing in still works: the one answer given in time counts.
    learner.post(reverse("learning:attempt-submit", args=[attempt.uuid]))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.score_percent == Decimal("20.00")


def test_a_late_open_attempt_is_handed_in_when_the_learner_returns(world: World) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network, time_limit=5)
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(minutes=1)
    )
    again = start_attempt(learner, lesson)
    assert again.pk == attempt.pk and again.submitted_at is not None and again.passed is False
    third = start_attempt(learner, lesson)
    assert third.number == 2


def test_attempts_run_out(world: World) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network, max_attempts=1)
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    learner.post(reverse("learning:attempt-submit", args=[attempt.uuid]))
    response = learner.post(reverse("learning:attempt-start", args=[lesson.quiz.uuid]), follow=True)
    assert "used all 1 attempts" in response.content.decode()
    assert Attempt.objects.filter(quiz=lesson.quiz).count() == 1


def test_bad_answers_are_refused_with_a_message(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    url = reverse("learning:attempt-answer", args=[attempt.uuid])
    current = lesson_questions(attempt)[0]
    empty = learner.post(url, {"question": str(current.uuid)})
    assert empty.status_code == 400
    ordering = lesson.questions[QuestionKind.ORDERING]
    choices = list(ordering.choices.all())
    same_place = {"question": str(ordering.uuid)} | {f"q-place_{c.pk}": "1" for c in choices}
    response = learner.post(url, same_place)
    assert response.status_code == 400
    assert "different place" in response.content.decode()
    stranger = lesson.questions[QuestionKind.SINGLE]
    foreign_choice = lesson.questions[QuestionKind.MULTIPLE].choices.first()
    assert foreign_choice is not None
    with pytest.raises(LearningError, match="answers shown"):
        lessons.answer_submit(
            actor=world.a.learner,
            attempt=attempt,
            question=stranger,
            response={"choices": [foreign_choice.pk]},
        )
    assert not Answer.objects.exists()


def test_grading_of_each_kind(world: World, lesson: Lesson) -> None:
    short = lesson.questions[QuestionKind.SHORT_ANSWER]
    accepted = list(short.accepted.values_list("text", flat=True))
    assert lessons.grade(short, [], accepted, {"value": "  HttPS:// "})
    assert not lessons.grade(short, [], accepted, {"value": "http"})
    multiple = lesson.questions[QuestionKind.MULTIPLE]
    choices = list(multiple.choices.all())
    right = [c.pk for c in choices if c.correct]
    assert lessons.grade(multiple, choices, [], {"choices": right})
    assert not lessons.grade(multiple, choices, [], {"choices": right[:1]})
    ordering = lesson.questions[QuestionKind.ORDERING]
    steps = list(ordering.choices.all())
    assert lessons.grade(ordering, steps, [], {"order": [c.pk for c in steps]})
    assert not lessons.grade(ordering, steps, [], {"order": [c.pk for c in reversed(steps)]})


def test_ordering_steps_are_shuffled_the_same_way_each_time(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    ordering = lesson.questions[QuestionKind.ORDERING]
    steps = list(ordering.choices.order_by("position"))
    shown = lessons.ordering_display(attempt, ordering, steps)
    assert [c.pk for c in shown] != [c.pk for c in steps]
    assert lessons.ordering_display(attempt, ordering, steps) == shown


def test_a_lesson_without_quiz_completes_after_the_last_page(world: World) -> None:
    from gilde.learning import services

    item = make_item(
        actor=world.a.author,
        title="Kassa openen",
        kind=ItemKind.LESSON,
        organisation=world.a.org,
        publish=False,
    )
    page = lessons.lesson_page_save(actor=world.a.author, item=item, title="Stap 1", body="Tik.")
    item = services.item_publish(actor=world.a.author, item=item)
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[item.uuid]))
    html = learner.get(
        reverse("learning:lesson-page", args=[item.uuid, page.uuid])
    ).content.decode()
    assert "finish" in html
    learner.post(reverse("learning:lesson-finish", args=[item.uuid]))
    assert Completion.objects.get(item=item).result == "passed"
    # Read again later: allowed, nothing recorded.
    again = learner.get(reverse("learning:lesson", args=[item.uuid]))
    assert "You completed this lesson" in again.content.decode()
    reread = learner.get(reverse("learning:lesson-page", args=[item.uuid, page.uuid]))
    assert reread.status_code == 200 and "reading it again" in reread.content.decode()
    assert Enrolment.objects.filter(item=item).count() == 1


# --- others looking on --------------------------------------------------------------------------


def test_manager_sees_the_attempt_but_cannot_answer(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    attempt = start_attempt(learner, lesson)
    answer_all(learner, attempt, right=True)
    learner.post(reverse("learning:attempt-submit", args=[attempt.uuid]))
    manager = client_for(world.a.manager)
    page = manager.get(reverse("learning:attempt", args=[attempt.uuid]))
    assert page.status_code == 200 and escape(world.a.learner.display_name) in page.content.decode()
    question = lesson_questions(attempt)[0]
    assert (
        manager.post(
            reverse("learning:attempt-answer", args=[attempt.uuid]), right_post(question)
        ).status_code
        == 404
    )
    assert manager.post(reverse("learning:attempt-submit", args=[attempt.uuid])).status_code == 404


def test_results_per_question_for_the_author_and_the_manager(world: World, lesson: Lesson) -> None:
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    failed = start_attempt(learner, lesson)
    answer_all(learner, failed, right=False)
    learner.post(reverse("learning:attempt-submit", args=[failed.uuid]))
    passed = start_attempt(learner, lesson)
    answer_all(learner, passed, right=True)
    learner.post(reverse("learning:attempt-submit", args=[passed.uuid]))
    url = reverse("learning:quiz-results", args=[lesson.quiz.uuid])
    author = client_for(world.a.coordinator).get(url)
    html = author.content.decode()
    assert author.status_code == 200
    assert "2 attempts" in html and "1 passed" in html
    assert "<svg" in html and "Right answers per question" in html
    assert html.count('<td data-label="%">50%</td>') == 5
    # The coordinator of the network sees the numbers, not who made the attempts.
    assert escape(world.a.learner.display_name) not in html
    manager = client_for(world.a.manager).get(url).content.decode()
    assert escape(world.a.learner.display_name) in manager
    assert client_for(world.a.learner).get(url).status_code == 404
    assert client_for(world.b.manager).get(url).status_code == 404


# --- query counts -------------------------------------------------------------------------------


def test_player_and_attempt_pages_run_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    small = make_lesson(actor=world.a.coordinator, network=world.a.network, title="Klein")
    big = make_lesson(actor=world.a.coordinator, network=world.a.network, title="Groot")
    for number in range(12):
        lessons.lesson_page_save(
            actor=world.a.coordinator, item=big.item, title=f"Extra {number}", body="Tekst"
        )
    learner = client_for(world.a.learner)
    for lesson in (small, big):
        learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
        attempt = start_attempt(learner, lesson)
        answer_all(learner, attempt, right=False)
        page = reverse("learning:lesson-page", args=[lesson.item.uuid, lesson.pages[1].uuid])
        with django_assert_max_num_queries(16):
            assert learner.get(page).status_code == 200
        with django_assert_max_num_queries(14):
            assert learner.get(reverse("learning:attempt", args=[attempt.uuid])).status_code == 200
        learner.post(reverse("learning:attempt-submit", args=[attempt.uuid]))
        with django_assert_max_num_queries(14):
            assert learner.get(reverse("learning:attempt", args=[attempt.uuid])).status_code == 200
