"""The demo's two e-learning lessons of the Utrecht retailers: published with real pages and a
quiz of at least six questions, one adviser passed at the second attempt, one assistant is
halfway."""

from __future__ import annotations

from typing import Any

import pytest

from gilde.demo.services import demo_load
from gilde.learning.lessons import lesson_publish_problem
from gilde.learning.models import (
    Attempt,
    CatalogueItem,
    Completion,
    EnrolmentStatus,
    ItemKind,
    ItemStatus,
)


@pytest.fixture
def demo(db: Any) -> None:
    demo_load(competencies=False)


def test_two_digital_lessons_with_quizzes(demo: None) -> None:
    lessons = CatalogueItem.objects.filter(
        kind=ItemKind.LESSON, network__slug="utrechtse-retail-academie"
    ).order_by("title")
    assert [item.title for item in lessons] == [
        "Veilig online bankieren voor je winkel",
        "Werken met de kassa-app",
    ]
    for item in lessons:
        assert item.status == ItemStatus.PUBLISHED
        assert item.pages.count() >= 3
        quiz = item.quizzes.get()
        assert quiz.questions.filter(active=True).count() >= 6
        assert lesson_publish_problem(item) is None
        kinds = set(quiz.questions.values_list("kind", flat=True))
        assert len(kinds) >= 4


def test_someone_passed_at_the_second_try_and_someone_is_halfway(demo: None) -> None:
    banking = CatalogueItem.objects.get(title="Veilig online bankieren voor je winkel")
    attempts = list(Attempt.objects.filter(quiz__item=banking).order_by("number"))
    assert [a.passed for a in attempts] == [False, True]
    assert len(attempts[0].question_ids) == 6
    completion = Completion.objects.get(item=banking)
    assert completion.result == "passed"
    till = CatalogueItem.objects.get(title="Werken met de kassa-app")
    halfway = till.enrolments.get()
    assert halfway.status == EnrolmentStatus.ACTIVE and 0 < halfway.progress_percent < 100
    assert halfway.current_page == till.pages.order_by("position")[1]
