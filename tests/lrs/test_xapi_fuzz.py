"""Hostile and random input never breaks the LRS: a 4xx with a message, or a stored statement."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gilde.lrs.validation import StatementInvalid, validate_statements
from tests.lrs.xapi_helpers import statement

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "actor",
                    "verb",
                    "object",
                    "id",
                    "objectType",
                    "mbox",
                    "result",
                    "score",
                    "context",
                    "display",
                    "definition",
                    "member",
                    "account",
                    "name",
                    "homePage",
                    "timestamp",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_validation_answers_with_a_message_or_accepts(value: Any) -> None:
    try:
        validate_statements(value)
    except StatementInvalid as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["actor", "verb", "object", "result", "context", "timestamp", "version"]),
    json_values,
)
def test_a_valid_statement_with_one_property_replaced(name: str, value: Any) -> None:
    body = statement()
    body[name] = value
    try:
        validate_statements(body)
    except StatementInvalid as error:
        assert str(error)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_posting_random_bodies_never_fails_on_the_server(lrs_fuzz: Any, body: bytes) -> None:
    response = lrs_fuzz.post(body)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert orjson.loads(response.content)["error"]["message"]


@pytest.fixture
def lrs_fuzz(world: Any) -> Any:
    from tests.lrs.xapi_helpers import make_lrs

    return make_lrs(world)
