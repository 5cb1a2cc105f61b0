"""The learning catalogue in the browser, on the Utrecht retailers' demo (S1): a salesperson
finds a course by searching on a phone, enrols and sees it on the home page; the shop's owner
follows the team's progress and signs off a webshop week. axe-core checks every page (see
conftest)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.selectors import DemoLogin
from gilde.learning.models import Completion, Enrolment, EnrolmentStatus
from gilde.tenancy.models import Membership
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.e2e

S1 = "Utrechtse Retail Academie"
SHOP = "koffiebranderij-de-gouden-boon"


def login_of(function_title: str, role: str) -> DemoLogin:
    person = (
        Membership.objects.select_related("person")
        .get(organisation__slug=SHOP, function_title=function_title)
        .person
    )
    return DemoLogin(
        role=role, network=S1, organisation=SHOP, email=person.email, password=DEMO_PASSWORD
    )


def test_a_salesperson_finds_and_takes_a_masterclass_course_on_a_phone(
    phone_journey: Journey, demo: list[DemoLogin]
) -> None:
    journey = phone_journey
    page = journey.page
    journey.log_in(login_of("Verkoopmedewerker", "learner"))
    journey.open("learning:catalogue")
    # The results follow the typing (htmx swaps them in and puts the query in the address);
    # wait until that has settled before looking, so no request is still on its way.
    page.fill("#id_q", "barista")
    expect(page).to_have_url(re.compile(r"q=barista"))
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )
    journey.check("catalogue-search")
    cards = page.locator("ul.catalogue > li")
    expect(cards).to_have_count(1)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"the catalogue is {width}px wide on a 360px phone"
    with page.expect_navigation():
        cards.first.locator("h3 a").click()
    journey.check("item")
    expect(page.locator("h1")).to_have_text("Barista-basis")
    journey.open("core:home")
    expect(page.locator("#h-learning")).to_be_visible()


def test_the_owner_follows_the_team_and_signs_off_the_webshop_week(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    journey.log_in(login_of("Eigenaar", "org_admin"))
    journey.open("learning:team", SHOP)
    expect(page.locator("svg.chart")).to_be_visible()
    week = Enrolment.objects.get(
        item__title="Een week de webshop bijhouden",
        status=EnrolmentStatus.ACTIVE,
    )
    journey.open("learning:enrolment", week.uuid)
    page.fill("textarea[name='note']", "Goed gedaan, ook de foto's.")
    with page.expect_navigation():
        page.locator("#h-sign ~ form button[type='submit']").click()
    journey.check("signed-off")
    assert Completion.objects.filter(enrolment=week, signed_off_by__isnull=False).exists()
