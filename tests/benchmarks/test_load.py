"""The load test's personas (benchmarks/load/locustfile.py) ask for pages that exist, and its
account picker (benchmarks/load/accounts.py) finds the right people. No load is run here."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.urls import resolve

from tests.conftest import World

LOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "load"
SAMPLES = {
    "org": "bedrijf-a",
    "network": "netwerk-a",
    "item": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "plan": "1f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    "survey": "2f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
}

# Importing locust patches the standard library for gevent, so the locustfile is read in a
# Python process of its own, which reports its personas as JSON.
DESCRIBE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import locustfile
print(json.dumps({
    "login": locustfile.LOGIN_PATH,
    "personas": [
        {"name": c.__name__, "persona": c.persona, "weight": c.weight, "pages": c.pages,
         "tasks": len(c.tasks), "wait": [c.wait_time(c) for _ in range(50)]}
        for c in locustfile.PERSONAS
    ],
    "shape": [cls.__name__ for cls in vars(locustfile).values()
              if isinstance(cls, type) and issubclass(cls, locustfile.LoadTestShape)
              and cls is not locustfile.LoadTestShape],
}))
"""


@pytest.fixture(scope="module")
def personas() -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in {"LOAD_ACCOUNTS", "LOAD_RESULTS"}}
    output = subprocess.run(
        [sys.executable, "-c", DESCRIBE, str(LOAD)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_personas_are_weighted_80_15_5(personas: dict[str, Any]) -> None:
    weights = {p["persona"]: p["weight"] for p in personas["personas"]}
    total = sum(weights.values())
    assert {k: round(100 * v / total) for k, v in weights.items()} == {
        "learners": 80,
        "managers": 15,
        "coordinators": 5,
    }
    assert all(p["tasks"] >= 3 for p in personas["personas"])
    # People read: 1 to 3 seconds between pages.
    assert all(1 <= w <= 3 for p in personas["personas"] for w in p["wait"])
    assert personas["shape"] == ["Steps"]


def test_every_page_resolves_to_its_url_name(personas: dict[str, Any]) -> None:
    assert resolve(personas["login"]).url_name == "account_login"
    for persona in personas["personas"]:
        for name, template in persona["pages"].items():
            match = resolve(template.format(**SAMPLES))
            assert match.view_name == name, (persona["name"], template)


def test_every_page_the_personas_open_is_declared(personas: dict[str, Any]) -> None:
    source = (LOAD / "locustfile.py").read_text(encoding="utf-8")
    opened = set(re.findall(r'"([a-z]+:[a-z-]+)"', source))
    declared = {name for p in personas["personas"] for name in p["pages"]}
    assert opened and opened <= declared


def load_accounts_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gilde_load_accounts", LOAD / "accounts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_accounts_are_picked_by_role(world: World) -> None:
    picked = load_accounts_module().pick_accounts()
    learners = {a["email"] for a in picked["learners"]}
    assert world.a.learner.email in learners
    assert world.temp_worker.email in learners
    assert not learners & {world.a.manager.email, world.a.admin.email, world.a.mentor.email}
    assert {"email": world.a.manager.email, "org": world.a.org.slug} in picked["managers"]
    assert world.a.admin.email not in {a["email"] for a in picked["managers"]}
    assert {"email": world.b.coordinator.email, "network": world.b.network.slug} in picked[
        "coordinators"
    ]
    assert world.a.coach.email not in {a["email"] for a in picked["coordinators"]}
