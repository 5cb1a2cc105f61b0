"""The account pages (allauth, in Gilde's layout) and the person's own record in the browser:
every page is checked by axe-core on the way (see conftest), on a desktop and on a phone."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from gilde.demo.selectors import DemoLogin
from gilde.people.models import Person
from gilde.tenancy.models import Organisation, Role
from tests.e2e.conftest import Journey, login_for

pytestmark = pytest.mark.e2e


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def submit(journey: Journey, button: str) -> None:
    with journey.page.expect_navigation():
        journey.page.locator("main").locator(button).first.click()
    journey.check()


def test_pages_before_log_in(journey: Journey, phone_journey: Journey) -> None:
    for tab in (journey, phone_journey):
        page = tab.open("account_login")
        expect(page.locator("label[for='id_login']")).to_be_visible()
        tab.open("account_reset_password")
        page.fill("input[name='email']", "iemand@example.org")
        submit(tab, "button[type='submit']")
        assert page.url == tab.url("account_reset_password_done")


def test_learner_walks_through_my_details_export_and_erase_page(
    journey: Journey, phone_journey: Journey, demo: list[DemoLogin]
) -> None:
    login = login_for(demo, Role.LEARNER)
    for tab in (journey, phone_journey):
        tab.log_in(login)
        page = tab.open("privacy:me")
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("main")).to_contain_text(login.organisation)
        tab.open("privacy:edit")
        tab.open("privacy:export")
        with page.expect_download() as download:
            page.locator("main form button[type='submit']").click()
        assert download.value.suggested_filename.startswith("gilde-mijn-gegevens-")
        tab.open("privacy:erase")
        expect(page.locator("input[name='password']")).to_be_visible()
        tab.open("privacy:consent-give")
        tab.open("account_change_password")
        tab.open("account_logout")


def test_admin_turns_on_two_step_log_in_and_logs_in_with_a_code(
    journey: Journey, demo: list[DemoLogin], settings: object
) -> None:
    setattr(settings, "MFA_TOTP_TOLERANCE", 1)  # noqa: B010
    login = login_for(demo, Role.ORG_ADMIN)
    organisation = Organisation.objects.get(name=login.organisation)
    page = journey.page
    journey.log_in(login)
    journey.open("audit:organisation", organisation.slug)
    expect(page.locator("main table")).to_be_visible()
    journey.open("privacy:erase")

    journey.open("mfa_index")
    page.goto(journey.url("mfa_activate_totp"))
    journey.check("reauthenticate")
    page.fill("input[name='password']", login.password)
    submit(journey, "button[type='submit']")
    assert page.url == journey.url("mfa_activate_totp")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name='code']", totp_code(secret))
    submit(journey, "button[type='submit']")
    person = Person.objects.get(email=login.email)
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    journey.open("mfa_view_recovery_codes")
    journey.open("mfa_deactivate_totp")

    page.context.clear_cookies()
    journey.user = ""
    journey.open("account_login")
    page.fill("input[name='login']", login.email)
    page.fill("input[name='password']", login.password)
    submit(journey, "button[type='submit']")
    assert page.url == journey.url("mfa_authenticate")
    page.fill("input[name='code']", totp_code(secret))
    submit(journey, "button[type='submit']")
    assert page.url == journey.url("core:home")
