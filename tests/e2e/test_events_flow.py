"""Events in the browser, on the demo: a crew member of the film companies (S5) joins the waiting
list of a full practice day at the Learning Lab and gets the place when someone cancels; checks
in by opening the session's QR link on a phone (390 × 844); the coordinator sees the series'
progress change. An owner in the energy-transition network (S8) registers two of the team for an
evening session. axe-core checks every page (see conftest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from gilde.demo.data import DEMO_PASSWORD
from gilde.demo.events import S5_TITLE, S8_TITLE
from gilde.demo.selectors import DemoLogin
from gilde.events import attendance, services
from gilde.events.models import Registration, RegistrationStatus, Session
from gilde.learning.models import CatalogueItem
from gilde.people.models import Person
from gilde.tenancy.models import Membership, Role
from tests.e2e.conftest import Journey, _journey

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, demo: list[DemoLogin]
) -> Iterator[Journey]:
    yield from _journey(browser, request, live_server.url, PHONE)


def login_as(person: Person, role: str = "learner") -> DemoLogin:
    return DemoLogin(
        role=role, network="", organisation="", email=person.email, password=DEMO_PASSWORD
    )


def crew_not_registered_for(session: Session) -> list[Person]:
    """People of the network's companies without a registration for this session."""
    registered = Registration.objects.filter(session=session).values("person_id")
    return list(
        Person.objects.filter(
            memberships__organisation__network_memberships__network=session.series.item.network,
            memberships__organisation__kind="company",
        )
        .exclude(pk__in=registered)
        .distinct()
        .order_by("pk")
    )


def participants_reached(journey: Journey) -> int:
    """The first row of the targets table: different participants reached so far."""
    row = journey.page.locator("table.targets tbody tr").first
    return int(row.locator("td").first.inner_text())


def test_waiting_list_promotion_qr_check_in_and_progress(phone: Journey) -> None:
    journey = phone
    page = journey.page
    item = CatalogueItem.objects.get(title=S5_TITLE)
    coordinator = Person.objects.get(
        network_roles__role="coordinator", network_roles__network=item.network
    )
    later = Session.objects.get(series__item=item, title="Geluid op de set")
    learner, *others = crew_not_registered_for(later)
    # Fill the later practice day so that the next person waits.
    first_in = Registration.objects.get(session=later).person
    for person in others[: later.capacity - 1]:
        services.registration_create(actor=person, session=later)
    assert Registration.objects.filter(session=later, status="confirmed").count() == 6

    journey.log_in(login_as(learner))
    journey.open("events:series", item.uuid)
    journey.open("events:session", later.uuid)
    with page.expect_navigation():
        page.locator("form[action$='/register/'] button").click()
    journey.check("on-the-waiting-list")
    expect(page.locator("#you-status")).to_contain_text("1")
    assert Registration.objects.get(session=later, person=learner).status == "waiting"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the session page is {width}px wide on a phone"

    # Someone with a place cancels in the browser; the first one waiting gets it.
    journey.log_in(login_as(first_in))
    journey.open("events:session", later.uuid)
    with page.expect_navigation():
        page.locator("form[action$='/cancel/'] button").click()
    journey.check("cancelled")
    assert Registration.objects.get(session=later, person=learner).status == "confirmed"
    journey.log_in(login_as(learner))
    journey.open("events:session", later.uuid)
    expect(page.locator("#you-status .badge")).to_be_visible()
    expect(page.locator("a[href$='calendar.ics']")).to_be_visible()

    # A session starting in twenty minutes: check-in is open (from half an hour before).
    starts = timezone.localtime(timezone.now() + dt.timedelta(minutes=20))
    now_session = Session.objects.create(
        series=later.series,
        title="Extra oefenuur",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        address="Leerlab Beeld en Geluid, Mediapark 1, Hilversum",
        capacity=6,
    )
    services.registration_create(actor=learner, session=now_session)

    coordinator_login = login_as(coordinator, "coordinator")
    journey.log_in(coordinator_login)
    journey.open("events:series", item.uuid)
    before = participants_reached(journey)

    journey.log_in(login_as(learner))
    page.goto(
        attendance.check_in_url(now_session).replace("http://localhost:8000", journey.base_url)
    )
    journey.check("check-in")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    with page.expect_navigation():
        page.locator("button.tap-big").click()
    journey.check("checked-in")
    expect(page.locator("#you-status .badge-ok")).to_be_visible()

    journey.log_in(coordinator_login)
    journey.open("events:series", item.uuid)
    journey.check("progress-after")
    after = participants_reached(journey)
    assert after == before + 1
    expect(page.locator("#targets-chart-title")).to_be_attached()


def test_an_owner_registers_two_of_the_team_for_an_evening_session(phone: Journey) -> None:
    journey = phone
    page = journey.page
    item = CatalogueItem.objects.get(title=S8_TITLE)
    session = (
        Session.objects.filter(
            series__item=item, audience="employees", starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    assert session is not None
    owner_membership = (
        Membership.objects.filter(
            organisation__network_memberships__network=item.network,
            organisation__kind="company",
            roles__role=Role.MANAGER,
        )
        .select_related("person", "organisation")
        .order_by("pk")
        .first()
    )
    assert owner_membership is not None
    owner, firm = owner_membership.person, owner_membership.organisation
    journey.log_in(login_as(owner, "manager"))
    journey.open("events:session", session.uuid)
    with page.expect_navigation():
        page.locator(f"a[href$='/register/{firm.slug}/']").click()
    journey.check("team-form")
    boxes = page.locator("input[name='people']")
    assert boxes.count() >= 2
    before = Registration.objects.filter(session=session, organisation=firm).count()
    boxes.nth(0).check()
    boxes.nth(1).check()
    with page.expect_navigation():
        page.locator("form button[type='submit']").last.click()
    journey.check("team-registered")
    assert Registration.objects.filter(session=session, organisation=firm).count() == before + 2
    statuses = set(
        Registration.objects.filter(
            session=session, organisation=firm, registered_by=owner
        ).values_list("status", flat=True)
    )
    assert statuses <= {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING}
