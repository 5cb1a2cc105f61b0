"""Locust personas for the load test: learners, managers and a network coordinator.

Run through benchmarks/load/run.py (`make load`), which starts the server, loads the data and
hands the accounts over in LOAD_ACCOUNTS (a JSON file, see accounts.py). Each simulated user is
one person: it logs in once through the real log-in form and then opens one page after another,
waiting 1 to 3 seconds between pages as a reader does. Pages only, no static files (a browser
keeps those in its cache).

The users are added in steps (`Steps` below). Every request is recorded with the step it belongs
to; at the end the per-step figures are written to LOAD_RESULTS (JSON) for run.py's table.

Pages are named by their Django URL name and built from the path templates in each persona's
`pages`; tests/benchmarks/test_load_personas.py resolves every template, so a renamed or moved
URL breaks that test rather than the load run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from locust import FastHttpUser, LoadTestShape, between, events, task

LOGIN_PATH = "/accounts/login/"
LOGIN_NAMES = {"log in (form)", "log in"}

# Step plan: concurrent users per step, seconds per step, seconds of each step spent adding the
# new users (their log-ins); the rest of the step is the measured window.
STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "5,10,20,40,80,160").split(",") if n]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "40"))
RAMP_SECONDS = float(os.environ.get("LOAD_RAMP_SECONDS", "10"))
# A step fails when its p95 reaches this many milliseconds or any request fails; the run stops
# after the first failed step.
P95_LIMIT_MS = float(os.environ.get("LOAD_P95_LIMIT_MS", "500"))

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ITEM_LINK = re.compile(rf"/learning/items/({UUID})/")
PLAN_LINK = re.compile(rf"/development/plans/({UUID})/")
SURVEY_LINK = re.compile(rf"/development/surveys/({UUID})/")


def _load_accounts() -> dict[str, Any]:
    path = os.environ.get("LOAD_ACCOUNTS", "")
    if not path:
        return {"password": "", "learners": [], "managers": [], "coordinators": []}
    return json.loads(Path(path).read_text(encoding="utf-8"))


ACCOUNTS = _load_accounts()


def _rotation(accounts: list[dict[str, str]]) -> Iterator[dict[str, str]]:
    """The accounts in a shuffled, endless rotation: every person in use before any twice."""
    shuffled = list(accounts)
    random.Random(1).shuffle(shuffled)
    return itertools.cycle(shuffled) if shuffled else iter(())


ROTATIONS = {persona: _rotation(ACCOUNTS.get(persona, [])) for persona in ACCOUNTS}


class Person(FastHttpUser):
    """One logged-in person. Subclasses name their pages (URL name -> path template)."""

    abstract = True
    wait_time = between(1, 3)
    persona: ClassVar[str] = ""
    pages: ClassVar[dict[str, str]] = {}

    def on_start(self) -> None:
        self.account = next(ROTATIONS[self.persona])
        self.log_in()

    def log_in(self) -> None:
        """GET the allauth log-in form for its CSRF token, then POST e-mail and password."""
        with self.client.get(LOGIN_PATH, name="log in (form)", catch_response=True) as response:
            match = CSRF_INPUT.search(response.text or "")
            if response.status_code != 200 or match is None:
                response.failure(f"no log-in form ({response.status_code})")
                return
        form = {
            "csrfmiddlewaretoken": match.group(1),
            "login": self.account["email"],
            "password": ACCOUNTS["password"],
        }
        with self.client.post(
            LOGIN_PATH,
            data=form,
            name="log in",
            headers={"Referer": self.host + LOGIN_PATH},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = (response.headers or {}).get("location", "")
            if response.status_code != 302 or LOGIN_PATH in location:
                response.failure(f"log-in refused ({response.status_code})")

    def open(self, name: str, **values: str) -> str:
        """GET one page by its URL name; 4xx, 5xx and a detour to the log-in page are failures.
        Returns the page's HTML ("" on failure)."""
        path = self.pages[name].format(**values)
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            status = response.status_code
            if status >= 400 or status == 0:
                response.failure(f"HTTP {status}")
                return ""
            if 300 <= status < 400:
                location = (response.headers or {}).get("location", "")
                if LOGIN_PATH in location:
                    response.failure("sent to the log-in page")
                return ""
            return response.text or ""

    def open_one_of(self, links: re.Pattern[str], html: str, name: str, key: str) -> None:
        """Follow one of the links `links` finds in `html`, if there is any."""
        found = sorted(set(links.findall(html)))
        if found:
            self.open(name, **{key: random.choice(found)})


class Learner(Person):
    """A learner browsing: home, catalogue and an item from it, own records, own competency
    profile and personal details, development plan."""

    weight = 16
    persona = "learners"
    pages: ClassVar[dict[str, str]] = {
        "core:home": "/",
        "learning:catalogue": "/learning/",
        "learning:item-detail": "/learning/items/{item}/",
        "learning:mine": "/learning/mine/",
        "records:mine": "/records/",
        "competencies:mine": "/competencies/me/",
        "privacy:me": "/me/",
        "development:mine": "/development/",
        "development:plan": "/development/plans/{plan}/",
    }

    @task(4)
    def home(self) -> None:
        self.open("core:home")

    @task(4)
    def catalogue_and_item(self) -> None:
        html = self.open("learning:catalogue")
        self.wait()
        self.open_one_of(ITEM_LINK, html, "learning:item-detail", "item")

    @task(2)
    def my_learning(self) -> None:
        self.open("learning:mine")

    @task(2)
    def records(self) -> None:
        self.open("records:mine")

    @task(2)
    def profile(self) -> None:
        self.open("competencies:mine")

    @task(1)
    def personal_details(self) -> None:
        self.open("privacy:me")

    @task(2)
    def development_plan(self) -> None:
        html = self.open("development:mine")
        self.wait()
        self.open_one_of(PLAN_LINK, html, "development:plan", "plan")


class Manager(Person):
    """A manager of one organisation: the team at a glance, the team's learning progress and
    development, the list of the people they manage."""

    weight = 3
    persona = "managers"
    pages: ClassVar[dict[str, str]] = {
        "core:home": "/",
        "competencies:matrix": "/competencies/org/{org}/matrix/",
        "learning:team": "/learning/org/{org}/team/",
        "development:team": "/development/org/{org}/team/",
        "people:team": "/org/{org}/team/",
    }

    @task(2)
    def home(self) -> None:
        self.open("core:home")

    @task(3)
    def matrix(self) -> None:
        self.open("competencies:matrix", org=self.account["org"])

    @task(3)
    def team_progress(self) -> None:
        self.open("learning:team", org=self.account["org"])

    @task(1)
    def team_development(self) -> None:
        self.open("development:team", org=self.account["org"])

    @task(2)
    def people(self) -> None:
        self.open("people:team", org=self.account["org"])


class Coordinator(Person):
    """A network coordinator: the network's organisations, its calendar, the gaps across the
    network, and the report of a needs analysis when the network has one."""

    weight = 1
    persona = "coordinators"
    pages: ClassVar[dict[str, str]] = {
        "core:home": "/",
        "tenancy:network": "/networks/{network}/",
        "tenancy:organisations": "/networks/{network}/organisations/",
        "events:network-feed": "/events/networks/{network}/calendar.ics",
        "competencies:network-gaps": "/competencies/networks/{network}/gaps/",
        "development:network-surveys": "/development/networks/{network}/surveys/",
        "development:survey-report": "/development/surveys/{survey}/report/",
    }

    @task(1)
    def home(self) -> None:
        self.open("core:home")

    @task(1)
    def network(self) -> None:
        self.open("tenancy:network", network=self.account["network"])

    @task(3)
    def organisations(self) -> None:
        self.open("tenancy:organisations", network=self.account["network"])

    @task(1)
    def calendar(self) -> None:
        self.open("events:network-feed", network=self.account["network"])

    @task(2)
    def network_gaps(self) -> None:
        self.open("competencies:network-gaps", network=self.account["network"])

    @task(1)
    def needs_report(self) -> None:
        html = self.open("development:network-surveys", network=self.account["network"])
        self.wait()
        self.open_one_of(SURVEY_LINK, html, "development:survey-report", "survey")


PERSONAS: list[type[Person]] = [Learner, Manager, Coordinator]


# --- steps and per-step figures -----------------------------------------------------------------


class Recorder:
    """Every request with the step it fell in; a step's figures from its measured window."""

    def __init__(self) -> None:
        self.step = -1
        self.measuring = False
        self.window_start = 0.0
        self.windows: dict[int, float] = {}
        self.samples: dict[int, list[tuple[str, float, bool, bool]]] = {}

    def begin_step(self, step: int) -> None:
        self.step, self.measuring = step, False
        self.samples[step] = []

    def begin_window(self) -> None:
        self.measuring, self.window_start = True, time.monotonic()

    def end_step(self) -> None:
        if self.measuring:
            self.windows[self.step] = time.monotonic() - self.window_start
        self.measuring = False

    def add(self, name: str, milliseconds: float, failed: bool) -> None:
        if self.step >= 0:
            self.samples[self.step].append((name, milliseconds, failed, self.measuring))

    def summary(self, step: int) -> dict[str, Any]:
        """A step's figures: pages (not log-ins) in the measured window for the times and the
        rate; log-ins on their own; failures of any request in the whole step."""
        samples = self.samples.get(step, [])
        seconds = self.windows.get(step, 0.0)
        pages: dict[str, list[float]] = {}
        for name, ms, _failed, measuring in samples:
            if measuring and name not in LOGIN_NAMES:
                pages.setdefault(name, []).append(ms)
        errors: dict[str, int] = {}
        for name, _ms, failed, _measuring in samples:
            if failed:
                errors[name] = errors.get(name, 0) + 1
        times = [ms for page in pages.values() for ms in page]
        logins = [ms for name, ms, _f, _m in samples if name == "log in"]
        return {
            "users": STEPS[step],
            "seconds": round(seconds, 1),
            "requests": len(times),
            "rps": len(times) / seconds if seconds else 0.0,
            **_times(times),
            "errors": sum(errors.values()),
            "errors_by_page": errors,
            "logins": {"requests": len(logins), **_times(logins)},
            "pages": {name: {"requests": len(t), **_times(t)} for name, t in sorted(pages.items())},
        }

    def failed(self, step: int) -> bool:
        figures = self.summary(step)
        return bool(figures["errors"]) or figures["p95"] >= P95_LIMIT_MS


def _times(milliseconds: list[float]) -> dict[str, float]:
    if not milliseconds:
        return {"median": 0.0, "p95": 0.0, "max": 0.0}
    ordered = sorted(milliseconds)
    p95 = ordered[-1] if len(ordered) < 20 else statistics.quantiles(ordered, n=20)[-1]
    return {"median": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


RECORDER = Recorder()


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    RECORDER.add(name, response_time, exception is not None)


@events.test_stop.add_listener
def _write_results(**_: Any) -> None:
    RECORDER.end_step()
    path = os.environ.get("LOAD_RESULTS", "")
    if path:
        steps = [RECORDER.summary(step) for step in sorted(RECORDER.samples)]
        Path(path).write_text(json.dumps({"steps": steps}, indent=2), encoding="utf-8")


class Steps(LoadTestShape):
    """STEPS users, one step every STEP_SECONDS; stop after the first step that fails (p95 at
    or over the limit, or any failed request) or after the last step."""

    def tick(self) -> tuple[int, float] | None:
        step = int(self.get_run_time() // STEP_SECONDS)
        if step != RECORDER.step:
            if RECORDER.step >= 0:
                RECORDER.end_step()
                if RECORDER.failed(RECORDER.step):
                    return None
            if step >= len(STEPS):
                return None
            RECORDER.begin_step(step)
        if not RECORDER.measuring and self.get_run_time() - step * STEP_SECONDS >= RAMP_SECONDS:
            RECORDER.begin_window()
        users = STEPS[step]
        added = users - (STEPS[step - 1] if step else 0)
        return users, max(1.0, added / (RAMP_SECONDS * 0.8))
