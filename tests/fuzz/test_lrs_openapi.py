"""The LRS's OpenAPI document (/xapi/openapi.json): valid OpenAPI, and the server keeps to it.

schemathesis reads the served document, generates requests for every operation in it (valid ones
and broken ones) and sends them through the WSGI application with an LRS client's credentials.
Every answer must be no server error, with a documented status code, a documented content type and,
where the document gives one, a body that matches the schema.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import gilde.lrs
from gilde.lrs.models import Scope
from gilde.lrs.services import client_create, store_for, store_statements
from tests.conftest import World
from tests.lrs.xapi_helpers import statement

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_the_document_is_served_publicly_and_is_valid_openapi(client: Any) -> None:
    response = client.get("/xapi/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = orjson.loads(response.content)
    validate(document)  # raises with the offending part when the document is not valid OpenAPI
    assert client.post("/xapi/openapi.json").status_code == 405


def test_the_document_lists_every_xapi_resource(client: Any) -> None:
    from gilde.lrs.urls import urlpatterns

    document = orjson.loads(client.get("/xapi/openapi.json").content)
    assert set(document["paths"]) == {f"/xapi/{p.pattern}" for p in urlpatterns}


@pytest.fixture
def wsgi_app(db: Any, settings: Any) -> Iterator[Any]:
    # The test database lives in a transaction per test: the request cycle must not close the
    # connection in between (Django's own test client disconnects the same handlers).
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def basic_auth(world: World) -> dict[str, str]:
    """An LRS client with every scope, and one statement in its store for the reads to find."""
    store = store_for(organisation=world.a.org)
    made = client_create(actor=world.a.admin, store=store, name="fuzz", scopes=(Scope.ALL,))
    store_statements(store=store, statements=statement(), client=made.client, version="2.0.0")
    token = base64.b64encode(f"{made.key}:{made.secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# One test per operation and kind of data: valid requests (by the document) and, where an
# operation takes parameters or a body, broken ones. (pytest's lazy schemathesis fixture does not
# run on this pytest, so each test loads the served document itself and draws its own cases.)
DOCUMENT = orjson.loads((Path(gilde.lrs.__file__).parent / "openapi.json").read_bytes())
CASES = [
    pytest.param(path, method, mode, id=f"{method.upper()} {path} {mode.value}")
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method in ("get", "put", "post", "delete")
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE
    or operation["parameters"]
    or item.get("parameters")
    or "requestBody" in operation
]
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_the_lrs_answers_as_its_openapi_document_says(
    wsgi_app: Any, basic_auth: dict[str, str], path: str, method: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/xapi/openapi.json", wsgi_app)
    operation = schema[path][method.upper()]

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        case.call_and_validate(headers=basic_auth, checks=CHECKS)

    run()
