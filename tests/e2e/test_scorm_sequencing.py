"""SCORM 2004 forced sequential order and a cmi5 course in the browser, on the Utrecht
retailers' demo (S1): a shop assistant cannot open step 3 first; finishing a step moves her on to
the next by the SCO's own navigation request; a cmi5 AU in the page fetches its credential,
reads its launch data, and completing it counts. axe-core checks Gilde's pages on the way."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.selectors import DemoLogin
from gilde.learning.models import Enrolment, EnrolmentStatus
from gilde.learning.services import enrolment_self_create, item_publish
from gilde.scorm import services
from gilde.scorm.models import Registration
from gilde.tenancy.models import Membership, Role
from tests.e2e.conftest import Journey
from tests.scorm.packages import fixture_zip, upload

pytestmark = pytest.mark.e2e
# The start (or go on) button of the package page, whatever its words.
START = "form[action$='/launch/'] button[type=submit]:not(.link)"
T = TypeVar("T")
SHOP = "hoedenatelier-domstad"


def settled(read: Callable[[], T]) -> T:
    for _ in range(50):
        try:
            return read()
        except OperationalError:
            time.sleep(0.1)
    return read()


def _people() -> tuple[Any, Any]:
    admin = Membership.objects.filter(organisation__slug=SHOP, roles__role=Role.ORG_ADMIN).first()
    learner = Membership.objects.filter(
        organisation__slug=SHOP, function_title="Verkoopmedewerker"
    ).first()
    assert admin is not None and learner is not None
    return admin, learner


def _package(name: str) -> tuple[Any, DemoLogin]:
    admin, learner = _people()
    version = services.package_upload(
        actor=admin.person,
        upload=upload(fixture_zip(name)),
        filename=f"{name}.zip",
        organisation=admin.organisation,
    )
    item = version.package.item
    item = item_publish(actor=admin.person, item=item)
    enrolment_self_create(actor=learner.person, item=item)
    login = DemoLogin("learner", "", SHOP, learner.person.email, DEMO_PASSWORD)
    return item, login


def test_forced_order_blocks_a_later_sco_and_the_sco_moves_the_learner_on(
    journey: Journey,
) -> None:
    item, login = _package("scorm2004_sequential")
    page = journey.page
    journey.log_in(login)
    journey.open("scorm:package", item.uuid)
    # Forced order: the outline offers no links to choose a step.
    expect(page.get_by_role("button", name="Stap 3: draaien")).to_have_count(0)
    with page.expect_navigation():
        page.locator(START).click()
    journey.check("step-1")
    sco = page.frame_locator("#scorm-frame").frame_locator("#sco")
    expect(sco.get_by_text("Onderdeel voorbereiden")).to_be_visible()
    # Asking for step 3 by hand (a crafted request) is refused with a message.
    token = page.locator("#scorm-nav input[name=csrfmiddlewaretoken]").input_value()
    response = page.request.post(
        page.url + "navigate/",
        form={"csrfmiddlewaretoken": token, "request": "choice", "target": "STEP-3"},
    )
    assert response.ok
    assert "sets the order" in response.text() or "volgorde" in response.text()
    # Finishing step 1 in the SCO asks for "continue": the page moves on to step 2 by itself.
    with page.expect_navigation():
        sco.get_by_role("button", name="Onderdeel afronden").click()
    sco = page.frame_locator("#scorm-frame").frame_locator("#sco")
    expect(sco.get_by_text("Onderdeel opspannen")).to_be_visible()
    journey.check("step-2")
    registration = settled(lambda: Registration.objects.get(person__email=login.email))
    assert registration.state["activities"]["STEP-1"]["completed"] is True
    # Leave the player so no commit is still on its way when the test database is emptied.
    page.goto("about:blank")
    page.wait_for_timeout(1000)


def test_a_cmi5_au_plays_in_the_page_and_completing_it_counts(journey: Journey) -> None:
    item, login = _package("cmi5_two_aus")
    page = journey.page
    journey.log_in(login)
    journey.open("scorm:package", item.uuid)
    with page.expect_navigation():
        page.locator(START).click()
    journey.check("cmi5-au")
    au = page.frame_locator("#scorm-frame")
    expect(au.get_by_text("Gestart (Normal, Completed).")).to_be_visible()
    au.get_by_role("button", name="Afronden").click()
    expect(au.get_by_text("Afgerond.")).to_be_visible()
    au.get_by_role("button", name="Stoppen").click()
    page.wait_for_url(re.compile(r"/scorm/items/"))
    journey.check("cmi5-back")
    with page.expect_navigation():
        page.locator(START).click()
    au = page.frame_locator("#scorm-frame")
    expect(au.get_by_text("Gestart (Normal, Passed).")).to_be_visible()
    au.get_by_role("button", name="Toets maken (score 0,9)").click()
    expect(au.get_by_text("Geslaagd.")).to_be_visible()
    enrolment = settled(lambda: Enrolment.objects.get(person__email=login.email, item=item))
    for _ in range(50):
        settled(enrolment.refresh_from_db)
        if enrolment.status == EnrolmentStatus.COMPLETED:
            break
        page.wait_for_timeout(100)
    assert enrolment.status == EnrolmentStatus.COMPLETED
