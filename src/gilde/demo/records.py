"""Learning records in the demo: an xAPI client for the first company of the Utrecht retailers
(S1), and a few months of learning by the people of the network's companies — a web-shop course,
a lesson and quiz on customer data, a masterclass on online marketing — recorded through the
Learning Record Store's own interface, so that "My learning records" and the team's records show
something on the first log-in.

The client's secret is fixed, like the demo password, so that `gilde demo` and
`gilde demo-logins` can print it again on every run: the database keeps only its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from gilde.demo.data import NETWORKS, RANDOM_SEED
from gilde.lrs.models import Client, Scope
from gilde.lrs.services import agent_for, client_create, record_statements, store_for
from gilde.tenancy.models import Organisation, OrganisationKind

# Public by design, printed with the demo log-ins (like the demo password).
DEMO_XAPI_SECRET = "gilde-demo-xapi-2026-retail"  # noqa: S105
DEMO_CLIENT_NAME = "E-learning Digitaal Ondernemen (demo)"
ADL = "http://adlnet.gov/expapi/verbs/"
ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",
}
# slug: (Dutch name, English name, activity type)
ACTIVITIES = {
    "webwinkel-basis": ("Je eigen webwinkel: de basis", "Your own web shop: the basics", "course"),
    "klantgegevens-avg": ("Klantgegevens en de AVG", "Customer data and the GDPR", "lesson"),
    "toets-klantgegevens": ("Toets klantgegevens", "Quiz: customer data", "assessment"),
    "masterclass-online-marketing": (
        "Masterclass online marketing",
        "Masterclass online marketing",
        "meeting",
    ),
    "instagram-voor-je-winkel": ("Instagram voor je winkel", "Instagram for your shop", "lesson"),
}


def demo_secret_hash() -> str:
    """What the Learning Record Store keeps of a client's secret (SHA-256), for the demo's."""
    return hashlib.sha256(DEMO_XAPI_SECRET.encode()).hexdigest()


def endpoint_url() -> str:
    return str(settings.SITE_URL).rstrip("/") + "/xapi/"


def activity_id(slug: str) -> str:
    return f"{str(settings.SITE_URL).rstrip('/')}/xapi/activities/demo/{slug}"


def _activity(slug: str) -> dict[str, Any]:
    dutch, english, kind = ACTIVITIES[slug]
    return {
        "objectType": "Activity",
        "id": activity_id(slug),
        "definition": {"name": {"nl": dutch, "en": english}, "type": ACTIVITY_TYPES[kind]},
    }


def _statement(
    person: Any,
    verb: str,
    slug: str,
    when: dt.datetime,
    number: int,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    built: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{activity_id(slug)}|{person.uuid}|{number}")),
        "actor": agent_for(person),
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": _activity(slug),
        "timestamp": when.isoformat(),
        "context": {"platform": "Gilde", "language": "nl-NL"},
    }
    if result:
        built["result"] = result
    return built


def _learning_of(person: Any, rng: random.Random, today: dt.date) -> list[dict[str, Any]]:
    """Some months of one person's learning, older first; not everyone does everything."""

    def moment(days_ago: int) -> dt.datetime:
        day = today - dt.timedelta(days=days_ago)
        at = dt.time(rng.choice((8, 9, 10, 13, 14, 16, 19, 20)), rng.choice((0, 15, 30, 45)))
        return min(timezone.make_aware(dt.datetime.combine(day, at)), timezone.now())

    out: list[dict[str, Any]] = []

    def add(verb: str, slug: str, days_ago: int, result: dict[str, Any] | None = None) -> None:
        out.append(_statement(person, verb, slug, moment(days_ago), len(out), result))

    start = rng.randint(150, 300)
    add("registered", "webwinkel-basis", start)
    add("launched", "webwinkel-basis", start - 1)
    add("progressed", "webwinkel-basis", start - rng.randint(8, 20), {"completion": False})
    if rng.random() < 0.8:
        minutes = rng.choice((90, 120, 150, 180))
        add(
            "completed",
            "webwinkel-basis",
            start - rng.randint(25, 45),
            {"completion": True, "duration": f"PT{minutes // 60}H{minutes % 60}M"},
        )
    lesson = rng.randint(60, 140)
    add("launched", "klantgegevens-avg", lesson)
    add("completed", "klantgegevens-avg", lesson - 2, {"completion": True, "duration": "PT35M"})
    first = rng.randint(45, 70)
    if first % 3 == 0:
        add(
            "failed",
            "toets-klantgegevens",
            lesson - 3,
            {"success": False, "completion": True, "score": {"scaled": first / 100}},
        )
        score = rng.randint(75, 95)
        add(
            "passed",
            "toets-klantgegevens",
            lesson - 9,
            {"success": True, "completion": True, "score": {"scaled": score / 100}},
        )
    else:
        score = rng.randint(70, 100)
        add(
            "passed",
            "toets-klantgegevens",
            lesson - 3,
            {"success": True, "completion": True, "score": {"scaled": score / 100}},
        )
    if rng.random() < 0.7:
        add("attended", "masterclass-online-marketing", rng.randint(20, 50), {"duration": "PT2H"})
    if rng.random() < 0.6:
        recent = rng.randint(2, 15)
        add("launched", "instagram-voor-je-winkel", recent)
        add("progressed", "instagram-voor-je-winkel", recent - 1 if recent > 2 else 0)
    return out


@dataclass(frozen=True)
class DemoXapiClient:
    organisation: str
    endpoint: str
    key: str
    secret: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def demo_records_load(*, people: dict[str, Any], today: dt.date) -> int:
    """The S1 client and the S1 companies' learning records; returns the number of records."""
    spec = NETWORKS[0]
    companies = [o for o in spec.organisations if o.kind == OrganisationKind.COMPANY]
    organisations = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[c.slug for c in companies])
    }
    first = organisations[companies[0].slug]
    made = client_create(
        actor=None,
        store=store_for(organisation=first),
        name=DEMO_CLIENT_NAME,
        scopes=[Scope.ALL],
        xapi_version="2.0.0",
    )
    Client.objects.filter(pk=made.client.pk).update(secret_hash=demo_secret_hash())
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - repeatable demo data, not security
    recorded = 0
    for company in companies:
        for person_spec in company.people:
            person = people[person_spec.key]
            statements = _learning_of(person, rng, today)
            recorded += len(
                record_statements(
                    statements=statements,
                    organisation=organisations[company.slug],
                    person=person,
                )
            )
    return recorded


def demo_xapi_client() -> DemoXapiClient | None:
    """The demo's client, if it is still there, active, and still has the demo secret."""
    client = (
        Client.objects.filter(
            name=DEMO_CLIENT_NAME,
            secret_hash=demo_secret_hash(),
            revoked_at__isnull=True,
            store__organisation__isnull=False,
        )
        .select_related("store__organisation")
        .order_by("pk")
        .first()
    )
    if client is None or client.store.organisation is None:
        return None
    return DemoXapiClient(
        organisation=client.store.organisation.name,
        endpoint=endpoint_url(),
        key=client.key,
        secret=DEMO_XAPI_SECRET,
    )


def xapi_client_text(client: DemoXapiClient | None) -> str:
    """The client for the terminal (developer output, in English)."""
    if client is None:
        return "No demo xAPI client found (load the demo first, or it was revoked)."
    return "\n".join(
        [
            f"xAPI client of {client.organisation} (Learning Record Store):",
            f"  endpoint  {client.endpoint}",
            f"  key       {client.key}",
            f"  secret    {client.secret}",
        ]
    )
