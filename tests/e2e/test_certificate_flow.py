"""Certificates and paths in the browser: a learner downloads the PDF of a certificate for a
completed item, the link on it verifies the certificate without logging in, a revoked one shows
as revoked; a manager enrols a team member in a path and sees the progress. axe-core checks every
page on the way (see conftest)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from gilde.demo.selectors import DemoLogin
from gilde.learning.models import Certificate, ItemKind, LearningPath
from gilde.tenancy.models import Membership
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.e2e


def as_login(email: str, demo: list[DemoLogin]) -> DemoLogin:
    return DemoLogin(
        role="learner", network="", organisation="", email=email, password=demo[0].password
    )


def test_learner_downloads_a_certificate_that_verifies_without_log_in(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    certificate = (
        Certificate.objects.filter(revoked_at__isnull=True, item__kind=ItemKind.SCHOOL_SUBJECT)
        .select_related("person")
        .first()
    )
    assert certificate is not None
    page = journey.page
    journey.log_in(as_login(certificate.person.email, demo))
    journey.open("learning:certificates")
    page.get_by_role("link", name=certificate.title, exact=True).click()
    journey.check("certificate")
    expect(page.locator("#verification-code")).to_have_text(certificate.code)
    verify_url = page.locator("#verify-link").get_attribute("href") or ""
    assert verify_url.endswith(f"/verify/{certificate.code}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )
    assert certificate.title in text and verify_url in text

    # Without logging in: the link on the certificate says it is valid.
    page.context.clear_cookies()
    journey.user = ""
    page.goto(verify_url)
    journey.check("verify-valid")
    expect(page.locator("#verdict")).to_have_attribute("data-status", "valid")
    expect(page.locator("main")).to_contain_text(certificate.title)
    expect(page.locator("main")).not_to_contain_text(certificate.person.email)

    # A revoked certificate shows as revoked; the code form finds it typed loosely.
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    journey.open("verify:form")
    page.fill('input[name="code"]', revoked.code.lower().replace("-", " "))
    with page.expect_navigation():
        page.press('input[name="code"]', "Enter")
    journey.check("verify-revoked")
    expect(page.locator("#verdict")).to_have_attribute("data-status", "revoked")


def test_manager_enrols_a_team_member_in_a_path_and_sees_progress(
    journey: Journey, demo: list[DemoLogin]
) -> None:
    foreman = Membership.objects.select_related("person", "organisation").get(
        function_title="Meewerkend voorman", organisation__slug="verspaning-ooij"
    )
    miller = Membership.objects.select_related("person").get(
        function_title="CNC-frezer", organisation__slug="verspaning-ooij"
    )
    path = LearningPath.objects.get(title="Verspanen in modules")
    page = journey.page
    journey.log_in(as_login(foreman.person.email, demo))
    journey.open("learning:paths")
    page.get_by_role("link", name=path.title).click()
    journey.check("path")
    page.get_by_role("link", name=f"Enrol people of {foreman.organisation.name}").or_(
        page.get_by_role("link", name=f"Mensen van {foreman.organisation.name} inschrijven")
    ).first.click()
    journey.check("path-enrol")
    page.get_by_label(miller.person.display_name).check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    journey.check("path-team")
    grid = page.locator("table.progress-grid")
    expect(grid).to_contain_text(miller.person.display_name)
    # The turner, enrolled by the demo, has done the first two modules.
    expect(grid.locator("tr", has_text="CNC").first).to_be_visible()
    expect(grid.locator("td.cell-done")).to_have_count(2)
