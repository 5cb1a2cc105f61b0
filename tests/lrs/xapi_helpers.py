"""Shared helpers for the xAPI protocol tests: an authenticated client and statement builders."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from django.test import Client as HttpClient

from gilde.lrs.models import Client, Scope, Store
from gilde.lrs.services import client_create, store_for
from tests.conftest import World


@dataclass
class Lrs:
    http: HttpClient
    store: Store
    client: Client
    key: str
    secret: str
    version: str = "2.0.0"

    def headers(self, **extra: str) -> dict[str, str]:
        auth = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        headers = {
            "HTTP_AUTHORIZATION": f"Basic {auth}",
            "HTTP_X_EXPERIENCE_API_VERSION": self.version,
        }
        headers.update(extra)
        return headers

    def post(self, body: Any, path: str = "/xapi/statements", **extra: str) -> Any:
        data = body if isinstance(body, bytes) else orjson.dumps(body)
        return self.http.post(
            path, data=data, content_type="application/json", **self.headers(**extra)
        )

    def put(
        self, path: str, body: Any, content_type: str = "application/json", **extra: str
    ) -> Any:
        data = body if isinstance(body, bytes) else orjson.dumps(body)
        return self.http.put(path, data=data, content_type=content_type, **self.headers(**extra))

    def get(self, path: str = "/xapi/statements", **params: Any) -> Any:
        extra = params.pop("headers", {})
        return self.http.get(path, params, **self.headers(**extra))

    def delete(self, path: str, **extra: str) -> Any:
        return self.http.delete(path, **self.headers(**extra))


def make_lrs(world: World, *, side: str = "a", scopes: tuple[str, ...] = (Scope.ALL,)) -> Lrs:
    org = world.a.org if side == "a" else world.b.org
    store = store_for(organisation=org)
    made = client_create(actor=world.a.admin, store=store, name="test client", scopes=scopes)
    return Lrs(HttpClient(), store, made.client, made.key, made.secret)


def statement(
    *,
    actor: str = "mailto:ada@example.org",
    verb: str = "http://adlnet.gov/expapi/verbs/completed",
    activity: str = "http://example.org/activities/lathe-safety",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Ada", "mbox": actor},
        "verb": {"id": verb, "display": {"en-US": "completed", "nl-NL": "voltooid"}},
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"name": {"en-US": "Lathe safety", "nl-NL": "Veilig draaien"}},
        },
    }
    body.update(extra)
    return body


def new_id() -> str:
    return str(uuid.uuid4())
