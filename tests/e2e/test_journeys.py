"""What people do in the browser: log in per role, approve an application, switch language,
move by keyboard, use a phone. axe-core checks every page on the way (see conftest)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from gilde.demo.data import NETWORKS
from gilde.demo.selectors import DemoLogin
from gilde.people.models import Person
from gilde.tenancy.models import (
    Membership,
    Network,
    NetworkMembership,
    NetworkMembershipStatus,
    NetworkRoleKind,
    Organisation,
    Role,
)
from tests.e2e.conftest import Journey, login_for

pytestmark = pytest.mark.e2e

# The home-page section each role brings (see core/home.html).
ROLE_SECTIONS = {
    NetworkRoleKind.COORDINATOR: "#h-coord",
    NetworkRoleKind.COACH: "#h-coach",
    Role.ORG_ADMIN: "#h-admin",
    Role.MANAGER: "[id^='h-team-']",
    Role.MENTOR: "[id^='h-mentor-']",
}
LEADING_SECTIONS = ", ".join(ROLE_SECTIONS.values())


def test_each_demo_role_logs_in_and_sees_its_own_home_page(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    with translation.override("nl"):
        author_badge = str(Role.AUTHOR.label)
    # One log-in per role (seven) in every demo network.
    assert len(demo) == 7 * len(NETWORKS)
    for login in demo:
        journey.log_in(login)
        main = page.locator("main")
        expect(main.locator("h1")).to_be_visible()
        expect(main).to_contain_text(login.organisation)
        if login.role in ROLE_SECTIONS:
            expect(main.locator(ROLE_SECTIONS[login.role])).to_be_visible()
        elif login.role == Role.AUTHOR:
            expect(main.locator(".badge", has_text=author_badge).first).to_be_visible()
        else:
            # A learner leads nobody: only their own workplaces and networks.
            expect(main.locator("#h-mine")).to_be_visible()
            expect(main.locator(LEADING_SECTIONS)).to_have_count(0)


def test_coordinator_approves_the_waiting_application(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    login = login_for(demo, NetworkRoleKind.COORDINATOR, "Techniek Gelderland")
    waiting = NetworkMembership.objects.select_related("network", "organisation").get(
        status=NetworkMembershipStatus.APPLIED
    )
    network, organisation = waiting.network, waiting.organisation.name
    journey.log_in(login)
    # The home page points the coordinator to the waiting application.
    page.locator("#h-coord ~ ul").get_by_role("link", name="1").first.click()
    page.wait_for_url(journey.url("tenancy:applications", network.slug))
    journey.check()
    expect(page.get_by_role("heading", name=organisation)).to_be_visible()
    page.get_by_role("button", name=organisation).click()
    page.wait_for_url(journey.url("tenancy:applications", network.slug))
    expect(page.locator(".messages")).to_contain_text(organisation)
    journey.check("applications-after-approval")
    journey.open("tenancy:organisations", network.slug)
    expect(page.locator("main")).to_contain_text(organisation)
    waiting.refresh_from_db()
    assert waiting.status == NetworkMembershipStatus.APPROVED


def test_language_switch_to_english_and_back(journey: Journey, demo: list[DemoLogin]) -> None:
    page = journey.page
    journey.log_in(login_for(demo, Role.LEARNER))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    page.locator(".lang-form button[value='en']").click()
    expect(html).to_have_attribute("lang", "en")
    assert page.url == journey.url("core:home")
    expect(page.locator("main h1")).to_contain_text("Welcome")
    journey.check("home-in-english")
    page.locator(".lang-form button[value='nl']").click()
    expect(html).to_have_attribute("lang", "nl")
    expect(page.locator(".lang-form button[value='en']")).to_be_visible()
    journey.check("home-in-dutch")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    page = journey.page
    journey.log_in(login_for(demo, Role.ORG_ADMIN))
    page.reload()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    skip = page.locator(".skip-link")
    expect(skip).to_be_visible()
    expect(skip).to_be_in_viewport()
    journey.check("skip-link-focused")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


def page_widths(journey: Journey) -> dict[str, int]:
    return journey.page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ORG_ADMIN])
def test_home_page_fits_a_phone_without_sideways_scrolling(
    phone_journey: Journey, demo: list[DemoLogin], role: str
) -> None:
    phone_journey.log_in(login_for(demo, role))
    widths = page_widths(phone_journey)
    assert widths["inner"] == 360
    assert widths["scroll"] <= widths["inner"], widths


def test_coordinator_reads_the_member_list_on_a_phone(
    phone_journey: Journey, demo: list[DemoLogin]
) -> None:
    """The table is wider than the phone: it scrolls on its own, also by keyboard (axe)."""
    login = login_for(demo, NetworkRoleKind.COORDINATOR, "Techniek Gelderland")
    phone_journey.log_in(login)
    network = Network.objects.get(name=login.network)
    phone_journey.open("tenancy:organisations", network.slug)
    expect(phone_journey.page.locator("main table")).to_contain_text("Verspaning Ooij")
    widths = page_widths(phone_journey)
    assert widths["scroll"] <= widths["inner"], widths


def test_the_page_check_fails_on_a_serious_accessibility_problem(blank_journey: Journey) -> None:
    blank_journey.page.set_content(
        "<html lang='nl'><body><main><h1>Test</h1><img src='data:,'></main></body></html>"
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        blank_journey.check("image-without-alt")


TITLE_LINE = "Personeelslijst Bankenhuis Oudegracht maart 2026"
HEADER_LINE = (
    "Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mail;Afdeling;Functie;Datum in dienst"
)
NEW_PEOPLE = [
    ("0101", "Lotte", "van der", "Wal", "lotte.vanderwal", "Woonadviseur"),
    ("0102", "Ruud", "", "Bos", "ruud.bos", "Magazijnmedewerker"),
    ("0103", "Sanne", "van 't", "Hooft", "sanne.vanthooft", "Stylist"),
]


def hr_file(folder: Path, name: str, domain: str, bad_email: str = "") -> Path:
    """An HR export as Excel saves it: a title line above the header, ';' and a BOM."""
    lines = [TITLE_LINE, HEADER_LINE]
    for number, given, infix, family, local, title in NEW_PEOPLE:
        email = bad_email if bad_email and number == "0102" else f"{local}@{domain}"
        lines.append(f"{number};{given};{infix};{family};{email};Showroom;{title};01-03-2026")
    path = folder / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def test_org_admin_imports_a_file_after_fixing_the_line_it_refused(
    journey: Journey, demo: list[DemoLogin], tmp_path: Path
) -> None:
    page = journey.page
    login = login_for(demo, Role.ORG_ADMIN, "Utrechtse Retail")
    organisation = Organisation.objects.get(name=login.organisation)
    domain = login.email.split("@")[1]
    journey.log_in(login)
    page.locator("#h-admin ~ ul").locator(
        f"a[href='{reverse('people:import', args=[organisation.slug])}']"
    ).click()
    journey.check()

    # First try: the second person's e-mail address is wrong (line 4: title, header, 1st).
    page.set_input_files(
        "input[type=file]", hr_file(tmp_path, "personeel.csv", domain, "ruud.bos(at)werk")
    )
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"))
    journey.check("preview-with-a-bad-line")
    refused = page.locator("section[aria-labelledby='rejected-title'] tbody tr")
    expect(refused).to_have_count(1)
    expect(refused.locator("th")).to_have_text("4")
    expect(refused).to_contain_text("ruud.bos(at)werk")
    expect(page.locator("input[name='action'][value='confirm']")).to_have_count(0)
    assert not Person.objects.filter(email__endswith=f"@{domain}", family_name="Hooft").exists()

    # Second try: the corrected file goes through.
    page.locator("section[aria-labelledby='rejected-title'] a.button").click()
    page.wait_for_url(journey.url("people:import", organisation.slug))
    page.set_input_files("input[type=file]", hr_file(tmp_path, "personeel-goed.csv", domain))
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f-]{36}/$"))
    journey.check("preview-all-lines-right")
    expect(page.locator("section[aria-labelledby='rejected-title']")).to_have_count(0)
    page.locator("form:has(input[name='action'][value='confirm']) button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    journey.check("import-done")
    page.locator(
        f"main a.button[href='{reverse('people:list', args=[organisation.slug])}']"
    ).click()
    page.wait_for_url(journey.url("people:list", organisation.slug))
    journey.check()
    people = page.locator("main table")
    for _number, given, infix, family, _local, _title in NEW_PEOPLE:
        expect(people).to_contain_text(" ".join(p for p in (given, infix, family) if p))
    assert Membership.objects.current().filter(
        organisation=organisation, person__email__in=[f"{p[4]}@{domain}" for p in NEW_PEOPLE]
    ).count() == len(NEW_PEOPLE)
