"""An e-learning lesson on a phone (390 × 844), on the Utrecht retailers' demo (S1): a shop
assistant finds the banking lesson through the catalogue's search, starts it, leaves halfway,
comes back where she was, fails the quiz, tries again and passes — the item is then completed.
axe-core checks every page on the way (see conftest)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.selectors import DemoLogin
from gilde.learning.models import (
    Attempt,
    CatalogueItem,
    Completion,
    Enrolment,
    EnrolmentStatus,
    Question,
    QuestionKind,
)
from gilde.tenancy.models import Membership
from tests.e2e.conftest import Journey, _journey

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
S1 = "Utrechtse Retail Academie"
SHOP = "hoedenatelier-domstad"
TITLE = "Veilig online bankieren voor je winkel"


@pytest.fixture
def phone(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, demo: list[DemoLogin]
) -> Iterator[Journey]:
    yield from _journey(browser, request, live_server.url, PHONE)


def shop_assistant() -> DemoLogin:
    person = (
        Membership.objects.select_related("person")
        .get(organisation__slug=SHOP, function_title="Verkoopmedewerker")
        .person
    )
    return DemoLogin(
        role="learner", network=S1, organisation=SHOP, email=person.email, password=DEMO_PASSWORD
    )


def fits_the_phone(journey: Journey) -> None:
    """No sideways scrolling: the page is no wider than the screen."""
    width, screen = journey.page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width <= screen, f"{journey.page.url} is {width}px wide on a {screen}px screen"


def submit(journey: Journey, selector: str, label: str) -> None:
    with journey.page.expect_navigation():
        journey.page.locator(selector).first.click()
    journey.check(label)
    fits_the_phone(journey)


def answer_the_quiz(journey: Journey, attempt: Attempt, *, right: bool, label: str) -> None:
    page = journey.page
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    for number, pk in enumerate(attempt.question_ids, start=1):
        question = questions[pk]
        expect(page.locator("input[name='question']")).to_have_value(str(question.uuid))
        choices = list(question.choices.order_by("position", "pk"))
        if question.kind == QuestionKind.SHORT_ANSWER:
            page.fill("input[name='q-answer']", "HTTPS" if right else "weet niet")
        elif question.kind == QuestionKind.ORDERING:
            ranked = choices if right else list(reversed(choices))
            for place, choice in enumerate(ranked, start=1):
                page.select_option(f"select[name='q-place_{choice.pk}']", str(place))
        elif question.kind == QuestionKind.MULTIPLE:
            for choice in choices:
                if choice.correct == right:
                    page.check(f"input[name='q-answer'][value='{choice.pk}']")
        else:
            pick = next(c for c in choices if c.correct == right)
            page.check(f"input[name='q-answer'][value='{pick.pk}']")
        submit(journey, "form[action$='/answer/'] button[type='submit']", f"{label}-q{number}")
    submit(journey, "form[action$='/submit/'] button[type='submit']", f"{label}-result")


def test_a_shop_assistant_takes_a_lesson_on_a_phone(phone: Journey) -> None:
    journey = phone
    page = journey.page
    item = CatalogueItem.objects.get(title=TITLE)
    pages = list(item.pages.order_by("position"))
    journey.log_in(shop_assistant())

    # Find the lesson through the catalogue's search.
    journey.open("learning:catalogue")
    page.fill("#id_q", "bankieren")
    # The results follow the typing (htmx swaps them in and puts the search in the address).
    expect(page).to_have_url(re.compile(r"[?&]q=bankieren"))
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    journey.check("catalogue-search")
    fits_the_phone(journey)
    expect(page.locator("ul.catalogue > li")).to_have_count(1)
    card = page.locator("ul.catalogue > li", has_text=TITLE)
    with page.expect_navigation():
        card.locator("h3 a").click()
    journey.check("item")

    # Start: enrolled on the spot, on the first page.
    submit(journey, "#h-lesson ~ form[action$='/start/'] button", "page-1")
    expect(page.locator("h1")).to_have_text(pages[0].title)
    submit(journey, "form[action$='/open/'] button:not(.secondary)", "page-2")
    expect(page.locator("h1")).to_have_text(pages[1].title)
    enrolment = Enrolment.objects.get(
        item=item, status=EnrolmentStatus.ACTIVE, person__email=journey.user
    )
    assert enrolment.current_page == pages[1]

    # Leave for the home page, come back later through the item: on the page she left.
    journey.open("core:home")
    journey.open("learning:item-detail", item.uuid)
    with page.expect_navigation():
        page.locator(f"#h-lesson ~ p a[href$='/lessons/{item.uuid}/']").click()
    journey.check("resumed")
    expect(page.locator("h1")).to_have_text(pages[1].title)

    # Read on to the last page and take the quiz.
    for number in range(2, len(pages)):
        submit(journey, "form[action$='/open/'] button:not(.secondary)", f"page-{number + 1}")
        expect(page.locator("h1")).to_have_text(pages[number].title)
    submit(journey, "form[action$='/start/'].quiz-start button, .quiz-card form button", "quiz")
    first = Attempt.objects.get(enrolment=enrolment)
    answer_the_quiz(journey, first, right=False, label="attempt-1")
    first.refresh_from_db()
    assert first.passed is False
    expect(page.locator(".result-failed")).to_be_visible()

    # Try again, and pass: the lesson is completed.
    submit(journey, ".result form[action$='/start/'] button", "attempt-2")
    second = Attempt.objects.get(enrolment=enrolment, number=2)
    answer_the_quiz(journey, second, right=True, label="attempt-2")
    second.refresh_from_db()
    assert second.passed is True
    expect(page.locator(".result-passed")).to_be_visible()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert Completion.objects.get(enrolment=enrolment).result == "passed"
    # The first attempt is kept as it was.
    first.refresh_from_db()
    assert first.passed is False and first.answers.count() == len(first.question_ids)


def test_the_coordinator_writes_a_page_with_a_live_preview_and_sees_results_per_question(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    from gilde.tenancy.models import NetworkRoleKind
    from tests.e2e.conftest import login_for

    page = journey.page
    item = CatalogueItem.objects.get(title=TITLE)
    quiz = item.quizzes.get()
    journey.log_in(login_for(demo, NetworkRoleKind.COORDINATOR, S1))
    journey.open("learning:lesson-edit", item.uuid)
    expect(page.locator("ol.page-list > li")).to_have_count(item.pages.count())
    journey.open("learning:lesson-page-create", item.uuid)
    page.fill("input[name='title']", "Tot slot")
    page.fill("textarea[name='body']", "Bel bij twijfel **altijd** zelf je bank.")
    # The preview follows the typing.
    expect(page.locator("#preview-body strong")).to_have_text("altijd")
    journey.check("page-preview")
    submit(journey, "button[name='save']", "lesson-edit-after-save")
    expect(page.locator("ol.page-list > li").last).to_contain_text("Tot slot")
    journey.open("learning:quiz-edit", quiz.uuid)
    journey.open("learning:question-create", quiz.uuid)
    journey.page.goto(journey.url("learning:question-create", quiz.uuid) + "?kind=ordering")
    journey.check("question-ordering")
    journey.open("learning:quiz-results", quiz.uuid)
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("table caption").first).to_be_visible()
