"""A real lesson for tests and the access matrix: two pages (one with a video), an uploaded
image, and a quiz whose bank holds one question of every kind; plus the right and a wrong answer
to each question as the player posts them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gilde.learning import lessons, services
from gilde.learning.lessons import ChoiceInput
from gilde.learning.models import (
    CatalogueItem,
    ItemKind,
    LessonImage,
    LessonPage,
    Question,
    QuestionKind,
    Quiz,
)
from tests.learning.conftest import make_item


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 83, 148)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(content: bytes, name: str = "foto.png", content_type: str = "image/png") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class Lesson:
    item: CatalogueItem
    pages: list[LessonPage]
    image: LessonImage
    quiz: Quiz
    questions: dict[str, Question]


def make_lesson(
    *,
    actor: Any,
    title: str = "Veilig internetbankieren",
    network: Any = None,
    organisation: Any = None,
    publish: bool = True,
    pass_mark: int = 80,
    max_attempts: int | None = 3,
    draw_count: int | None = None,
    time_limit: int | None = None,
) -> Lesson:
    item = make_item(
        actor=actor,
        title=title,
        kind=ItemKind.LESSON,
        network=network,
        organisation=organisation,
        publish=False,
        tags=("digitaal",),
    )
    image = lessons.lesson_image_add(
        actor=actor, item=item, upload=upload(image_bytes()), alt_text="Het inlogscherm"
    )
    first = lessons.lesson_page_save(
        actor=actor,
        item=item,
        title="Waarom veilig bankieren?",
        body=f"## Het begin\n\nOplichters sturen **nepmails**.\n\n![]({_image_url(item, image)})",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    second = lessons.lesson_page_save(
        actor=actor, item=item, title="Zo log je veilig in", body="1. Typ zelf het adres.\n"
    )
    quiz = lessons.quiz_save(
        actor=actor,
        item=item,
        title="Toets veilig bankieren",
        pass_mark_percent=pass_mark,
        max_attempts=max_attempts,
        draw_count=draw_count,
        time_limit_minutes=time_limit,
    )
    questions = {
        QuestionKind.SINGLE: lessons.question_save(
            actor=actor,
            quiz=quiz,
            kind=QuestionKind.SINGLE,
            prompt="Wat doe je met een verdachte mail van 'je bank'?",
            feedback="Een bank vraagt nooit om in te loggen via een link.",
            choices=[
                ChoiceInput("Op de link klikken", False, "Juist niet: de link is nep."),
                ChoiceInput("Verwijderen en melden", True, "Goed zo."),
                ChoiceInput("Doorsturen naar collega's", False),
            ],
        ),
        QuestionKind.MULTIPLE: lessons.question_save(
            actor=actor,
            quiz=quiz,
            kind=QuestionKind.MULTIPLE,
            prompt="Welke dingen wijzen op phishing?",
            choices=[
                ChoiceInput("Haast: 'vandaag nog'", True),
                ChoiceInput("Een vreemd afzenderadres", True),
                ChoiceInput("Je klantnummer klopt", False),
            ],
        ),
        QuestionKind.TRUE_FALSE: lessons.question_save(
            actor=actor,
            quiz=quiz,
            kind=QuestionKind.TRUE_FALSE,
            prompt="Een bank vraagt nooit om je pincode.",
            choices=lessons.true_false_choices(item, true_is_correct=True),
        ),
        QuestionKind.SHORT_ANSWER: lessons.question_save(
            actor=actor,
            quiz=quiz,
            kind=QuestionKind.SHORT_ANSWER,
            prompt="Met welke letters begint een beveiligd webadres?",
            accepted=["https", "https://"],
        ),
        QuestionKind.ORDERING: lessons.question_save(
            actor=actor,
            quiz=quiz,
            kind=QuestionKind.ORDERING,
            prompt="Zet de stappen van een betaling in volgorde.",
            choices=[
                ChoiceInput("Inloggen met de app"),
                ChoiceInput("Bedrag en rekening invullen"),
                ChoiceInput("Bevestigen in de app"),
            ],
        ),
    }
    if publish:
        item = services.item_publish(actor=actor, item=item)
    return Lesson(item=item, pages=[first, second], image=image, quiz=quiz, questions=questions)


def _image_url(item: CatalogueItem, image: LessonImage) -> str:
    from django.urls import reverse

    return reverse("learning:lesson-image", args=[item.uuid, image.uuid])


def right_post(question: Question) -> dict[str, Any]:
    """The form fields of the right answer, as the player posts them (prefix "q")."""
    choices = list(question.choices.order_by("position", "pk"))
    post: dict[str, Any] = {"question": str(question.uuid)}
    if question.kind == QuestionKind.SHORT_ANSWER:
        post["q-answer"] = "  HTTPS "
    elif question.kind == QuestionKind.ORDERING:
        for place, choice in enumerate(choices, start=1):
            post[f"q-place_{choice.pk}"] = str(place)
    elif question.kind == QuestionKind.MULTIPLE:
        post["q-answer"] = [str(c.pk) for c in choices if c.correct]
    else:
        post["q-answer"] = next(str(c.pk) for c in choices if c.correct)
    return post


def wrong_post(question: Question) -> dict[str, Any]:
    choices = list(question.choices.order_by("position", "pk"))
    post: dict[str, Any] = {"question": str(question.uuid)}
    if question.kind == QuestionKind.SHORT_ANSWER:
        post["q-answer"] = "http"
    elif question.kind == QuestionKind.ORDERING:
        for place, choice in enumerate(reversed(choices), start=1):
            post[f"q-place_{choice.pk}"] = str(place)
    else:
        post["q-answer"] = next(str(c.pk) for c in choices if not c.correct)
    return post
