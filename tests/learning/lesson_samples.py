"""Objects of the home side for the access matrix: a published lesson of network A with its
pages, an uploaded image, the quiz and a question, and the A learner's attempt at it."""

from __future__ import annotations

from typing import Any

from gilde.learning import lessons
from tests.conftest import World
from tests.learning.lesson_helpers import make_lesson


def lesson_samples(world: World) -> dict[str, Any]:
    a = world.a
    lesson = make_lesson(actor=a.coordinator, network=a.network, title="Les voor de matrix")
    enrolment = lessons.lesson_start(actor=a.learner, item=lesson.item)
    attempt = lessons.attempt_start(actor=a.learner, enrolment=enrolment, quiz=lesson.quiz)
    return {
        "lesson": lesson.item,
        "lesson_page": lesson.pages[0],
        "lesson_image": lesson.image,
        "lesson_quiz": lesson.quiz,
        "lesson_question": lesson.questions["single"],
        "lesson_attempt": attempt,
    }
