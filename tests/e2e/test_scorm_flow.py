"""A SCORM 1.2 package on a phone (390 × 844), on the Utrecht retailers' demo (S1): the shop's
admin uploads the package and publishes it; a shop assistant enrols, answers the first
question, leaves, comes back the next day (a new browser) and resumes where she was, finishes
with a score; the package is completed in the catalogue and her manager sees the score.
The content plays from the other loopback address (its own origin); axe-core checks Gilde's
pages on the way (see conftest)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.db import OperationalError
from playwright.sync_api import Browser, FrameLocator, expect

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.selectors import DemoLogin
from gilde.learning.models import CatalogueItem, Enrolment, EnrolmentStatus
from gilde.scorm.models import ActivityAttempt
from gilde.tenancy.models import Membership, Role
from tests.e2e.conftest import Journey, _journey
from tests.scorm.packages import FIXTURES, fixture_zip

pytestmark = pytest.mark.e2e
# The start (or go on) button of the package page, whatever its words.
START = "form[action$='/launch/'] button[type=submit]:not(.link)"
T = TypeVar("T")

PHONE = {"width": 390, "height": 844}
SHOP = "hoedenatelier-domstad"


@pytest.fixture
def phone(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, demo: list[DemoLogin]
) -> Iterator[Journey]:
    yield from _journey(browser, request, live_server.url, PHONE)


def _login(**filters: Any) -> DemoLogin:
    person = (
        Membership.objects.select_related("person").filter(organisation__slug=SHOP, **filters)
    ).first()
    assert person is not None, filters
    return DemoLogin(
        role="x", network="", organisation=SHOP, email=person.person.email, password=DEMO_PASSWORD
    )


def sco(journey: Journey) -> FrameLocator:
    return journey.page.frame_locator("#scorm-frame").frame_locator("#sco")


def settled(read: Callable[[], T]) -> T:
    """Read the test database once the live server's last write is done (SQLite's shared test
    database answers "table is locked" to a read that meets a write)."""
    for _ in range(50):
        try:
            return read()
        except OperationalError:
            time.sleep(0.1)
    return read()


def fits_the_phone(journey: Journey) -> None:
    width, screen = journey.page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width <= screen, f"{journey.page.url} is {width}px wide on a {screen}px screen"


def test_a_learner_plays_leaves_resumes_and_completes_a_scorm_package(
    phone: Journey,
    browser: Browser,
    request: pytest.FixtureRequest,
    live_server: Any,
    tmp_path: Any,
) -> None:
    page = phone.page
    admin = _login(roles__role=Role.ORG_ADMIN)
    phone.log_in(admin)
    zip_path = tmp_path / "veilig-boren.zip"
    zip_path.write_bytes(fixture_zip("scorm12_quiz"))
    phone.open("scorm:upload")
    page.set_input_files("input[name=package]", str(zip_path))
    with page.expect_navigation():
        page.locator("main form[enctype] button[type=submit]").click()
    phone.check("package-page-admin")
    item = CatalogueItem.objects.get(title="Veilig werken met de boormachine")
    phone.open("learning:item-detail", item.uuid)
    with page.expect_navigation():
        page.get_by_role("button", name="Publiceren").click()

    learner = _login(function_title="Verkoopmedewerker")
    phone.log_in(learner)
    phone.open("learning:item-detail", item.uuid)
    with page.expect_navigation():
        page.get_by_role("button", name="Inschrijven").click()
    phone.open("scorm:package", item.uuid)
    with page.expect_navigation():
        page.locator(START).click()
    phone.check("player")
    fits_the_phone(phone)
    content = sco(phone)
    expect(content.get_by_text("Wat draag je altijd bij het boren?")).to_be_visible()
    content.get_by_label("Een veiligheidsbril").check()
    content.get_by_role("button", name="Volgende vraag").click()
    expect(content.get_by_text("Vraag 2 van 2")).to_be_visible()
    # The content's origin is not Gilde's: its scripts cannot read Gilde's cookies.
    frame_url = page.frame_locator("#scorm-frame").locator("body").evaluate("() => location.origin")
    assert frame_url != live_server.url
    # Leaving the only part of the course brings her back to the course page.
    with page.expect_navigation(url=re.compile(r"/scorm/items/")):
        content.get_by_role("button", name="Later verder").click()
    phone.check("back-after-leaving")
    attempt = settled(
        lambda: ActivityAttempt.objects.get(registration__person__email=learner.email)
    )
    assert attempt.exit == "suspend"
    assert attempt.location == "page-2"
    assert '"q1":"a"' in attempt.suspend_data

    # The next day, in another browser: she resumes on question 2.
    phone.log_in(learner)
    phone.open("scorm:package", item.uuid)
    with page.expect_navigation():
        page.locator(START).click()
    content = sco(phone)
    expect(content.get_by_text("Je gaat verder waar je was gebleven.")).to_be_visible()
    expect(content.get_by_text("Vraag 2 van 2")).to_be_visible()
    content.get_by_label("De stekker uit het stopcontact halen").check()
    with page.expect_navigation(url=re.compile(r"/scorm/items/")):
        content.get_by_role("button", name="Toets inleveren").click()
    phone.check("course-done")
    enrolment = settled(lambda: Enrolment.objects.get(person__email=learner.email, item=item))
    for _ in range(50):
        settled(enrolment.refresh_from_db)
        if enrolment.status == EnrolmentStatus.COMPLETED:
            break
        page.wait_for_timeout(100)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completion.score_percent == 100
    settled(attempt.refresh_from_db)
    assert attempt.cmi["interactions"]["1"]["student_response"] == "a"
    assert attempt.total_seconds == 150 + 75

    manager = Membership.objects.get(organisation__slug=SHOP, person__email=learner.email).manager
    if manager is not None:
        phone.log_in(DemoLogin("m", "", SHOP, manager.email, DEMO_PASSWORD))
        phone.open("scorm:results", item.uuid)
        expect(page.get_by_role("cell", name="100%")).to_be_visible()
    assert FIXTURES.exists()
