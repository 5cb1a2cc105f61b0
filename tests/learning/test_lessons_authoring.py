"""Writing a lesson: pages with a preview, reordering, videos, images checked by what they are,
quizzes and a question bank where every question needs a right answer. Three personas: the
writer (the network's coordinator, or an organisation's author), an admin of another
organisation (404), and a learner who may take but not write the lesson (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from gilde.audit.models import AuditEvent
from gilde.learning import lessons, services
from gilde.learning.lessons import ChoiceInput, video_for
from gilde.learning.models import (
    Choice,
    ItemKind,
    ItemStatus,
    LessonImage,
    LessonPage,
    Question,
    QuestionKind,
)
from gilde.learning.services import LearningError
from tests.conftest import World
from tests.learning.conftest import make_item
from tests.learning.lesson_helpers import image_bytes, make_lesson, upload


def client_for(person: Any) -> Client:
    # The English source texts, also once the Dutch translation has them.
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)
    return client


@pytest.fixture
def draft(world: World) -> Any:
    return make_item(
        actor=world.a.author,
        title="Werken met de kassa-app",
        kind=ItemKind.LESSON,
        organisation=world.a.org,
        publish=False,
    )


# --- pages --------------------------------------------------------------------------------------


def test_author_writes_pages_with_a_preview_and_reorders_them(world: World, draft: Any) -> None:
    author = client_for(world.a.author)
    url = reverse("learning:lesson-page-create", args=[draft.uuid])
    assert author.get(url).status_code == 200
    # The preview button shows the rendered text and saves nothing.
    response = author.post(
        url, {"title": "Openen", "body": "## Start\n\n**Tik** op de app.", "preview": "1"}
    )
    assert response.status_code == 200
    assert "<strong>Tik</strong>" in response.content.decode()
    assert not LessonPage.objects.filter(item=draft).exists()
    for title in ("Openen", "Verkopen", "Afsluiten"):
        response = author.post(url, {"title": title, "body": f"Over {title.lower()}.", "save": "1"})
        assert response.status_code == 302
    pages = list(LessonPage.objects.filter(item=draft).order_by("position"))
    assert [p.title for p in pages] == ["Openen", "Verkopen", "Afsluiten"]
    move = reverse("learning:lesson-page-move", args=[draft.uuid, pages[2].uuid])
    author.post(move, {"direction": "up"})
    titles = list(
        LessonPage.objects.filter(item=draft).order_by("position").values_list("title", flat=True)
    )
    assert titles == ["Openen", "Afsluiten", "Verkopen"]
    # Moving the first page further up is refused and changes nothing.
    response = author.post(
        reverse("learning:lesson-page-move", args=[draft.uuid, pages[0].uuid]),
        {"direction": "up"},
        follow=True,
    )
    assert "cannot move further" in response.content.decode()
    assert (
        list(
            LessonPage.objects.filter(item=draft)
            .order_by("position")
            .values_list("title", flat=True)
        )
        == titles
    )
    assert AuditEvent.objects.filter(action="learning.lesson_page_move").count() == 1


def test_live_preview_answers_htmx_with_the_rendered_fragment(world: World, draft: Any) -> None:
    author = client_for(world.a.author)
    response = author.post(
        reverse("learning:lesson-preview", args=[draft.uuid]),
        {"body": "Hallo <script>alert(1)</script> *wereld*"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>wereld</em>" in html and "<script" not in html
    assert "<html" not in html


def test_page_without_title_is_refused(world: World, draft: Any) -> None:
    author = client_for(world.a.author)
    response = author.post(
        reverse("learning:lesson-page-create", args=[draft.uuid]), {"title": "", "body": "x"}
    )
    assert response.status_code == 400
    assert not LessonPage.objects.filter(item=draft).exists()


def test_outsiders_and_learners_cannot_write(world: World) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network)
    urls = [
        reverse("learning:lesson-edit", args=[lesson.item.uuid]),
        reverse("learning:lesson-page-create", args=[lesson.item.uuid]),
        reverse("learning:lesson-page-edit", args=[lesson.item.uuid, lesson.pages[0].uuid]),
        reverse("learning:quiz-edit", args=[lesson.quiz.uuid]),
        reverse("learning:question-edit", args=[lesson.questions["single"].uuid]),
    ]
    for person in (world.b.admin, world.b.coordinator, world.a.learner, world.a.author):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
            assert client.post(url, {"title": "Gekaapt"}).status_code in (404, 405)
    assert not LessonPage.objects.filter(title="Gekaapt").exists()
    writer = client_for(world.a.coordinator)
    for url in urls:
        assert writer.get(url).status_code == 200, url


def test_video_links_become_privacy_friendly_players_or_plain_links() -> None:
    youtube = video_for("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10")
    assert youtube is not None
    assert youtube.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    short = video_for("https://youtu.be/dQw4w9WgXcQ")
    assert short is not None and short.embed_url.endswith("/dQw4w9WgXcQ")
    vimeo = video_for("https://vimeo.com/76979871")
    assert vimeo is not None and vimeo.embed_url == "https://player.vimeo.com/video/76979871?dnt=1"
    other = video_for("https://example.org/film.mp4")
    assert other is not None and other.embed_url == "" and other.url.endswith("film.mp4")
    odd = video_for("https://www.youtube.com/watch?v=<script>")
    assert odd is not None and odd.embed_url == ""


def test_player_page_frames_only_the_two_video_hosts(world: World) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network)
    response = client_for(world.a.coordinator).get(
        reverse("learning:lesson-page", args=[lesson.item.uuid, lesson.pages[0].uuid])
    )
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;" in policy
    assert "script-src 'self';" in policy
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in response.content.decode()
    # Other pages keep the site's policy without frames.
    other = client_for(world.a.coordinator).get(reverse("learning:catalogue"))
    assert "frame-src" not in other["Content-Security-Policy"]


def test_a_video_link_must_be_https(world: World, draft: Any) -> None:
    with pytest.raises(LearningError, match="https"):
        lessons.lesson_page_save(
            actor=world.a.author, item=draft, title="Film", body="", video_url="http://x.org/v"
        )


# --- images -------------------------------------------------------------------------------------


def test_an_image_is_stored_with_its_description_and_served_to_who_sees_the_lesson(
    world: World,
) -> None:
    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network)
    image = lesson.image
    assert (image.content_type, image.width, image.height) == ("image/png", 40, 30)
    assert image.file.name.endswith(f"{image.uuid}.png")
    url = reverse("learning:lesson-image", args=[lesson.item.uuid, image.uuid])
    response = client_for(world.a.learner).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.b.learner).get(url).status_code == 404
    page = client_for(world.a.coordinator).get(
        reverse("learning:lesson-page", args=[lesson.item.uuid, lesson.pages[0].uuid])
    )
    # The page's Markdown had no description: the stored one is used.
    assert f'src="{url}" alt="Het inlogscherm"' in page.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<?php system($_GET['c']); ?>", "foto.png", "not an image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "logo.svg",
            "not an image",
        ),
        (b"GIF89a" + b"\x00" * 20, "kapot.gif", "not an image"),
        (image_bytes("PNG")[:60], "half.png", "not an image"),
        (image_bytes("BMP"), "oud.bmp", "not an image"),
        (image_bytes("PNG", (6001, 10)), "breed.png", "pixels"),
    ],
)
def test_an_image_that_is_not_an_image_is_refused_and_nothing_is_stored(
    world: World, draft: Any, content: bytes, name: str, message: str
) -> None:
    author = client_for(world.a.author)
    before = (
        set(default_storage.listdir("lessons")[0]) if default_storage.exists("lessons") else set()
    )
    response = author.post(
        reverse("learning:lesson-image-upload", args=[draft.uuid]),
        {"image": upload(content, name), "alt_text": "Een plaatje"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LessonImage.objects.filter(item=draft).exists()
    after = (
        set(default_storage.listdir("lessons")[0]) if default_storage.exists("lessons") else set()
    )
    assert after == before


def test_a_too_large_image_is_refused(world: World, draft: Any, settings: Any) -> None:
    big = upload(image_bytes("PNG"), "groot.png")
    big.size = 5 * 1024 * 1024 + 1
    with pytest.raises(LearningError, match="5 MB"):
        lessons.lesson_image_add(actor=world.a.author, item=draft, upload=big, alt_text="Groot")
    assert not LessonImage.objects.exists()


def test_an_image_needs_a_description(world: World, draft: Any) -> None:
    author = client_for(world.a.author)
    response = author.post(
        reverse("learning:lesson-image-upload", args=[draft.uuid]),
        {"image": upload(image_bytes("JPEG"), "a.jpg", "image/jpeg"), "alt_text": " "},
    )
    assert response.status_code == 400
    assert not LessonImage.objects.exists()
    for fmt, kind in (("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")):
        image = lessons.lesson_image_add(
            actor=world.a.author, item=draft, upload=upload(image_bytes(fmt)), alt_text="Kassa"
        )
        assert image.content_type == kind


# --- quizzes and questions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "choices", "accepted", "message"),
    [
        (QuestionKind.SINGLE, [ChoiceInput("a"), ChoiceInput("b")], [], "exactly one"),
        (QuestionKind.SINGLE, [ChoiceInput("a", True), ChoiceInput("b", True)], [], "exactly one"),
        (QuestionKind.MULTIPLE, [ChoiceInput("a"), ChoiceInput("b")], [], "at least one"),
        (QuestionKind.SHORT_ANSWER, [], ["  "], "accepted answer"),
        (QuestionKind.ORDERING, [ChoiceInput("alleen")], [], "two steps"),
        (QuestionKind.SINGLE, [ChoiceInput("a", True), ChoiceInput("A")], [], "different"),
    ],
)
def test_a_question_without_a_right_answer_cannot_be_saved(
    world: World,
    draft: Any,
    kind: str,
    choices: list[ChoiceInput],
    accepted: list[str],
    message: str,
) -> None:
    quiz = lessons.quiz_save(actor=world.a.author, item=draft, title="Toets", pass_mark_percent=70)
    with pytest.raises(LearningError, match=message):
        lessons.question_save(
            actor=world.a.author,
            quiz=quiz,
            kind=kind,
            prompt="Vraag?",
            choices=choices,
            accepted=accepted,
        )
    assert not Question.objects.filter(quiz=quiz).exists()


def test_the_question_form_refuses_a_question_without_right_answer(
    world: World, draft: Any
) -> None:
    quiz = lessons.quiz_save(actor=world.a.author, item=draft, title="Toets", pass_mark_percent=70)
    author = client_for(world.a.author)
    url = reverse("learning:question-create", args=[quiz.uuid])
    assert author.get(url + "?kind=single").status_code == 200
    response = author.post(
        url,
        {
            "kind": "single",
            "prompt": "Welke knop?",
            "points": "1",
            "choice_1": "Rood",
            "choice_2": "Groen",
        },
    )
    assert response.status_code == 400
    assert "Mark exactly one answer as correct" in response.content.decode()
    assert not Question.objects.exists()
    response = author.post(
        url,
        {
            "kind": "single",
            "prompt": "Welke knop?",
            "points": "1",
            "choice_1": "Rood",
            "choice_2": "Groen",
            "correct_2": "on",
            "feedback_2": "Groen is betalen.",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert [(c.text, c.correct, c.feedback) for c in question.choices.order_by("position")] == [
        ("Rood", False, ""),
        ("Groen", True, "Groen is betalen."),
    ]


def test_true_false_and_short_answer_forms(world: World, draft: Any) -> None:
    quiz = lessons.quiz_save(actor=world.a.author, item=draft, title="Toets", pass_mark_percent=70)
    author = client_for(world.a.author)
    url = reverse("learning:question-create", args=[quiz.uuid])
    author.post(
        url,
        {
            "kind": "true_false",
            "prompt": "De kassa telt zelf.",
            "points": "1",
            "true_is_correct": "0",
        },
    )
    author.post(
        url,
        {
            "kind": "short_answer",
            "prompt": "Welke toets?",
            "points": "2",
            "accepted": "Enter\n enter \nOK",
        },
    )
    tf = Question.objects.get(kind="true_false")
    # The statement is false: the second answer ("false", in the lesson's language) is right.
    assert [c.correct for c in tf.choices.order_by("position")] == [False, True]
    short = Question.objects.get(kind="short_answer")
    assert sorted(short.accepted.values_list("text", flat=True)) == ["Enter", "OK"]
    assert short.points == 2


def test_publishing_needs_pages_and_questions_with_right_answers(world: World, draft: Any) -> None:
    with pytest.raises(LearningError, match="at least one page"):
        services.item_publish(actor=world.a.author, item=draft)
    lessons.lesson_page_save(actor=world.a.author, item=draft, title="Eén", body="Tekst")
    quiz = lessons.quiz_save(actor=world.a.author, item=draft, title="Toets", pass_mark_percent=70)
    with pytest.raises(LearningError, match="no questions"):
        services.item_publish(actor=world.a.author, item=draft)
    question = lessons.question_save(
        actor=world.a.author,
        quiz=quiz,
        kind=QuestionKind.SINGLE,
        prompt="Vraag?",
        choices=[ChoiceInput("a", True), ChoiceInput("b")],
    )
    # A question that lost its right answer behind the services' back still stops publishing.
    Choice.objects.filter(question=question).update(correct=False)
    with pytest.raises(LearningError, match="Mark exactly one answer as correct"):
        services.item_publish(actor=world.a.author, item=draft)
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT
    Choice.objects.filter(question=question, text="a").update(correct=True)
    services.item_publish(actor=world.a.author, item=draft)
    draft.refresh_from_db()
    assert draft.status == ItemStatus.PUBLISHED


def test_an_answered_question_stays_as_it_is_and_leaves_the_bank_without_being_deleted(
    world: World,
) -> None:
    from tests.learning.lesson_helpers import right_post

    lesson = make_lesson(actor=world.a.coordinator, network=world.a.network)
    question = lesson.questions["single"]
    learner = client_for(world.a.learner)
    learner.post(reverse("learning:lesson-start", args=[lesson.item.uuid]))
    learner.post(reverse("learning:attempt-start", args=[lesson.quiz.uuid]))
    attempt = lesson.quiz.attempts.get()
    learner.post(reverse("learning:attempt-answer", args=[attempt.uuid]), right_post(question))
    with pytest.raises(LearningError, match="People have answered"):
        lessons.question_save(
            actor=world.a.coordinator,
            quiz=lesson.quiz,
            question=question,
            kind=QuestionKind.SINGLE,
            prompt="Anders",
            choices=[ChoiceInput("x", True), ChoiceInput("y")],
        )
    assert lessons.question_remove(actor=world.a.coordinator, question=question) is False
    question.refresh_from_db()
    assert question.active is False and question.prompt.startswith("Wat doe je")
    unanswered = lesson.questions["ordering"]
    assert lessons.question_remove(actor=world.a.coordinator, question=unanswered) is True
    assert not Question.objects.filter(pk=unanswered.pk).exists()
