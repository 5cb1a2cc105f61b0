"""The access matrix: every URL pattern, called by every role of a *foreign* network and
organisation (and anonymously), must not show or change the home side's data.

A new route is covered the day it is added: the walk below finds it, and if it has a URL keyword
argument without a sample in SAMPLES the test fails and says so. Samples must point at real
objects of the home side: a route whose sample gives 404 even to the home side's own people fails
too, so that a 404 for outsiders means something.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape

from tests.conftest import World

# One sample per URL keyword argument: a function of the test world returning a value that names
# an object of the home side (network A, organisation A).
SAMPLES: dict[str, Callable[[World], Any]] = {}


def sample(name: str) -> Callable[[Callable[[World], Any]], Callable[[World], Any]]:
    def register(fn: Callable[[World], Any]) -> Callable[[World], Any]:
        SAMPLES[name] = fn
        return fn

    return register


# URL arguments that are secrets mailed to one person (invitation tokens, password-reset keys):
# an outsider cannot know the real value, so the matrix calls these routes with made-up values,
# and the owner check below does not apply to them.
# A certificate's verification code is printed on the paper the holder hands out: the matrix uses
# a made-up one too (tests/learning/test_certificates.py checks what a real one shows).
# A session's check-in code is shown to the people in the room; a private calendar address is
# given to its owner once: both are secrets, so the matrix uses made-up ones.
# The link of an anonymous survey is mailed to one invitee and answers without log-in.
SECRET_KWARGS = {
    "token",
    "key",
    "uidb36",
    "verification_code",
    "checkin_token",
    "feed_token",
    "survey_token",
}

# Routes that answer anyone by design: they must still never show the home side's private data.
# Each entry says why it is public.
PUBLIC_ROUTES: dict[str, str] = {
    "tenancy:apply": "an open network invites applications; shows only its name and description",
    "people:invitation-accept": "the secret token in the link is the credential",
    "account_confirm_email": "the secret key in the link is the credential",
    "account_reset_password_from_key": "the secret key in the link is the credential",
    "verify:form": "anyone checks a certificate by the code printed on it",
    "events:feed": (
        "a calendar program fetches the private feed without logging in: the secret address is "
        "the credential (a made-up one answers 404)"
    ),
    "events:network-feed": (
        "a network publishes its public sessions as a calendar anyone may subscribe to: title, "
        "time and place of sessions marked public, never who takes part"
    ),
    "development:survey-link": (
        "the e-mailed link of an anonymous survey is the credential (a made-up one answers 404); "
        "it shows the questions and takes one answer, nothing about anyone"
    ),
    "scorm:cmi5-xapi": (
        "a launched cmi5 AU's xAPI endpoint: the session's credential in the Authorization "
        "header is the only key (xAPI answers 401 without it), never a log-in"
    ),
    "verify:certificate": (
        "anyone checks a certificate by its code: validity and what is printed on it, nothing "
        "else about the person"
    ),
}

# Status codes that reveal nothing: not found, forbidden, gone, method not allowed, redirects.
SAFE_STATUSES = {301, 302, 303, 400, 403, 404, 405, 410}


@dataclass
class Route:
    name: str
    pattern: str
    kwargs: list[str]


def iter_routes(
    patterns: list[Any] | None = None, prefix: str = "", ns: str = ""
) -> Iterator[Route]:
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner_ns = ns
            if entry.namespace:
                inner_ns = f"{ns}:{entry.namespace}" if ns else entry.namespace
            yield from iter_routes(entry.url_patterns, prefix + str(entry.pattern), inner_ns)
        elif isinstance(entry, URLPattern):
            pattern = entry.pattern
            if hasattr(pattern, "converters") and pattern.converters:
                kwargs = list(pattern.converters)
            else:
                kwargs = list(getattr(pattern, "regex", re.compile("")).groupindex)
            name = entry.name or ""
            full = f"{ns}:{name}" if ns and name else name
            yield Route(full, prefix + str(pattern), kwargs)


def tenant_tables_fingerprint() -> dict[str, int]:
    """Row counts of every table of our own apps (and accounts): a foreign request must leave all
    of them as they were."""
    counts = {}
    for model in apps.get_models():
        label = model._meta.app_label
        if label in {"sessions", "contenttypes", "auth", "admin"}:
            continue
        counts[model._meta.label] = model._default_manager.count()
    return counts


def markers_of_home_side(world: World) -> list[str]:
    """Strings that would only appear on a page that leaks the home side's data."""
    people = [*world.a.personas().values(), world.temp_worker]
    found: list[str] = []
    for person in people:
        found += [person.email, escape(person.display_name), person.family_name]
    found += [world.a.org.name, world.a.team.name, world.agency.name, "Monteur A"]
    return found


@dataclass
class Finding:
    route: str
    method: str
    persona: str
    problem: str


def check_matrix(
    world: World, personas: dict[str, Any], extra_samples: dict[str, Any] | None = None
) -> tuple[list[Finding], list[Route]]:
    """Run every route against every persona; return the problems found and the routes walked."""
    samples = {**SAMPLES, **(extra_samples or {})}
    findings: list[Finding] = []
    routes = list(iter_routes())
    markers = markers_of_home_side(world)
    resolved: dict[str, str] = {}
    for route in routes:
        missing = [k for k in route.kwargs if k not in samples]
        if not route.name:
            findings.append(Finding(route.pattern, "-", "-", "route has no name; name it"))
            continue
        if missing:
            findings.append(
                Finding(
                    route.name,
                    "-",
                    "-",
                    f"no sample for URL argument(s) {missing}: add one to SAMPLES",
                )
            )
            continue
        kwargs = {
            k: (samples[k](world) if callable(samples[k]) else samples[k]) for k in route.kwargs
        }
        resolved[route.name] = reverse(route.name, kwargs=kwargs)

    for persona_name, person in personas.items():
        client = Client()
        if person is not None:
            client.force_login(person)
        for route in routes:
            url = resolved.get(route.name)
            if url is None:
                continue
            for method in ("get", "post"):
                before = tenant_tables_fingerprint() if method == "post" else None
                response = getattr(client, method)(url)
                status = response.status_code
                body = response.content.decode(errors="replace") if status < 300 else ""
                leaked = [m for m in markers if m and m in body]
                if leaked:
                    findings.append(
                        Finding(route.name, method, persona_name, f"shows {leaked[:3]}")
                    )
                elif (
                    status not in SAFE_STATUSES and route.kwargs and route.name not in PUBLIC_ROUTES
                ):
                    findings.append(
                        Finding(
                            route.name, method, persona_name, f"answered {status} for foreign data"
                        )
                    )
                if before is not None:
                    after = tenant_tables_fingerprint()
                    changed = {
                        k: (before[k], after[k]) for k in before if before[k] != after.get(k)
                    }
                    if changed:
                        findings.append(
                            Finding(route.name, method, persona_name, f"changed rows {changed}")
                        )
                if status >= 500:
                    findings.append(
                        Finding(route.name, method, persona_name, f"server error {status}")
                    )
    return findings, routes


def check_samples_are_real(world: World, owners: dict[str, Any]) -> list[str]:
    """Every route with URL arguments must answer something other than 404 to at least one person
    of the home side: otherwise its sample is wrong and the matrix proves nothing for it."""
    problems = []
    clients = []
    for person in owners.values():
        client = Client()
        client.force_login(person)
        clients.append(client)
    clients.append(Client())
    for route in iter_routes():
        if not route.kwargs or not route.name or any(k not in SAMPLES for k in route.kwargs):
            continue
        if SECRET_KWARGS & set(route.kwargs):
            continue
        kwargs = {k: SAMPLES[k](world) for k in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        if all(c.get(url).status_code == 404 for c in clients):
            problems.append(f"{route.name}: every home-side persona gets 404 at {url}")
    return problems
