"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server,
with the demo networks loaded into the test database.

Every page a journey visits is checked with axe-core (serious and critical violations fail the
test) and photographed into test-artifacts/e2e/<test>/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

# Playwright's sync API runs an event loop in the test thread; Django would then refuse
# database access from that thread although nothing here is asynchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Only Debian's Chromium is used; Playwright must never fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

from playwright.sync_api import Browser, Page, sync_playwright

from gilde.demo.selectors import DemoLogin, demo_logins
from gilde.demo.services import demo_load

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PROJECT_DIR = Path(django_settings.PROJECT_DIR)
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_DIR / "test-artifacts" / "e2e"
AXE_SOURCE = AXE_SCRIPT.read_text(encoding="utf-8") if AXE_SCRIPT.exists() else ""
FAILING_IMPACTS = ("serious", "critical")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's outcome on the test, so fixtures can photograph a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci`.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def demo(transactional_db: Any, live_server: Any, settings: Any) -> list[DemoLogin]:
    """The demo networks in the test database; returns the log-ins `gilde demo-logins` prints."""
    # Every journey logs in from 127.0.0.1 many times a minute.
    settings.ACCOUNT_RATE_LIMITS = False
    demo_load()
    return demo_logins()


def login_for(logins: list[DemoLogin], role: str, network: str = "") -> DemoLogin:
    for login in logins:
        if login.role == role and network in login.network:
            return login
    raise LookupError(f"no demo log-in for {role} in {network or 'any network'}")


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious or critical problem(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


@dataclass
class Journey:
    """One person's way through the site in one browser tab."""

    page: Page
    base_url: str
    folder: Path
    user: str = ""
    checked: set[str] = field(default_factory=set)
    shots: int = 0

    def url(self, name: str, *args: Any) -> str:
        return self.base_url + reverse(name, args=args)

    def open(self, name: str, *args: Any) -> Page:
        self.page.goto(self.url(name, *args))
        self.check()
        return self.page

    def check(self, label: str = "") -> None:
        """Photograph the page and run axe-core on it, once per distinct page (and label), person,
        language and screen width."""
        self.page.wait_for_load_state("domcontentloaded")
        path = self.page.url.removeprefix(self.base_url)
        lang_and_width = self.page.evaluate("() => document.documentElement.lang + innerWidth")
        key = f"{self.user}|{path}|{label}|{lang_and_width}"
        if key in self.checked:
            return
        self.checked.add(key)
        self.shots += 1
        name = re.sub(r"[^a-z0-9]+", "-", (label or path).lower()).strip("-") or "page"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=self.folder / f"{self.shots:02d}-{name}.png", full_page=True)
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # The site's CSP forbids inline scripts, so a <script> element with axe's source
            # would be blocked; evaluating the source directly is not.
            self.page.evaluate(AXE_SOURCE)
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        bad = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
        if bad:
            report = format_violations(self.page.url, bad)
            print(report)
            pytest.fail(report, pytrace=False)

    def log_in(self, login: DemoLogin) -> None:
        self.page.context.clear_cookies()
        self.user = ""
        self.open("account_login")
        self.page.fill('input[name="login"]', login.email)
        self.page.fill('input[name="password"]', login.password)
        with self.page.expect_navigation():
            self.page.press('input[name="password"]', "Enter")
        assert self.page.url == self.url("core:home"), f"log-in failed for {login}"
        self.user = login.email
        self.check(f"home-{login.role}-{login.email.split('@')[1]}")


def _journey(
    browser: Browser, request: pytest.FixtureRequest, base_url: str, viewport: dict[str, int]
) -> Iterator[Journey]:
    context = browser.new_context(viewport=viewport, locale="nl-NL")  # type: ignore[arg-type]
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    journey = Journey(page=page, base_url=base_url, folder=folder)
    yield journey
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / "failure.png", full_page=True)
    context.close()


@pytest.fixture
def journey(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, demo: list[DemoLogin]
) -> Iterator[Journey]:
    yield from _journey(browser, request, live_server.url, DESKTOP)


@pytest.fixture
def phone_journey(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, demo: list[DemoLogin]
) -> Iterator[Journey]:
    yield from _journey(browser, request, live_server.url, PHONE)


@pytest.fixture
def blank_journey(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Journey]:
    """A tab without the site or the demo, for checking the checks themselves."""
    yield from _journey(browser, request, "", DESKTOP)
