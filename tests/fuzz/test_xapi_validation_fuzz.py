"""xAPI statement validation beyond tests/lrs/test_xapi_fuzz.py (random JSON, one property
replaced, random bodies posted): valid generated statements are accepted as they are, a rich
statement with any one value anywhere replaced is accepted or refused with StatementInvalid,
and the parameter parsers (agent, timestamps) never fail in another way."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gilde.lrs.selectors import parse_agent_param
from gilde.lrs.validation import (
    StatementInvalid,
    check_timestamp,
    parse_timestamp,
    validate_agent,
    validate_statements,
)
from tests.conftest import World
from tests.lrs.test_xapi_fuzz import json_values
from tests.lrs.xapi_helpers import Lrs, make_lrs

iris = st.from_regex(r"https://[a-z]{1,10}\.example/[A-Za-z0-9/_\-]{0,20}", fullmatch=True)
lang_maps = st.dictionaries(st.sampled_from(["en-US", "nl-NL", "nl", "de"]), st.text(max_size=20))
agents = st.one_of(
    st.builds(
        lambda local: {"mbox": f"mailto:{local}@example.org"},
        st.from_regex(r"[a-z0-9.]{1,12}", fullmatch=True),
    ),
    st.builds(lambda h: {"mbox_sha1sum": h}, st.from_regex(r"[0-9a-f]{40}", fullmatch=True)),
    st.builds(lambda iri: {"openid": iri}, iris),
    st.builds(
        lambda home, name: {"account": {"homePage": home, "name": name}},
        iris,
        st.text(min_size=1, max_size=20),
    ),
).flatmap(
    lambda ifi: st.fixed_dictionaries(
        {key: st.just(value) for key, value in ifi.items()},
        optional={"name": st.text(max_size=20), "objectType": st.just("Agent")},
    )
)
timestamps = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
).map(lambda d: d.isoformat().replace("+00:00", "Z"))
scores = st.floats(-1, 1).map(lambda s: {"scaled": s})
statements = st.fixed_dictionaries(
    {
        "actor": agents,
        "verb": st.fixed_dictionaries({"id": iris}, optional={"display": lang_maps}),
        "object": st.fixed_dictionaries(
            {"id": iris},
            optional={
                "objectType": st.just("Activity"),
                "definition": st.fixed_dictionaries(
                    {}, optional={"name": lang_maps, "description": lang_maps, "type": iris}
                ),
            },
        ),
    },
    optional={
        "id": st.uuids().map(str),
        "timestamp": timestamps,
        "result": st.fixed_dictionaries(
            {},
            optional={
                "success": st.booleans(),
                "completion": st.booleans(),
                "score": scores,
                "response": st.text(max_size=20),
                "duration": st.sampled_from(["PT1H", "PT0.5S", "P1D", "PT1M30S"]),
            },
        ),
        "context": st.fixed_dictionaries(
            {},
            optional={
                "registration": st.uuids().map(str),
                "platform": st.text(max_size=10),
                "language": st.sampled_from(["nl-NL", "en"]),
                "contextActivities": st.fixed_dictionaries(
                    {},
                    optional={"parent": st.lists(st.builds(lambda i: {"id": i}, iris), max_size=2)},
                ),
            },
        ),
    },
)


@given(statement=statements)
def test_a_valid_statement_is_accepted_as_it_is(statement: dict[str, Any]) -> None:
    before = copy.deepcopy(statement)
    assert validate_statements(statement) == [before]


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths_of(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths_of(inner, (*prefix, index))
    return found


@given(statement=statements, data=st.data(), replacement=json_values)
def test_a_statement_with_any_value_anywhere_replaced_is_accepted_or_refused(
    statement: dict[str, Any], data: st.DataObject, replacement: Any
) -> None:
    path = data.draw(st.sampled_from(paths_of(statement)[1:]))
    target = statement
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = replacement
    try:
        validate_statements(statement)
    except StatementInvalid as error:
        assert str(error)


@given(value=json_values | agents)
def test_any_agent_is_accepted_or_refused(value: Any) -> None:
    try:
        agent = validate_agent(value)
    except StatementInvalid as error:
        assert str(error)
    else:
        assert agent == value


@given(raw=st.text(max_size=60) | (json_values | agents).map(json.dumps))
def test_any_agent_parameter_is_parsed_or_refused(raw: str) -> None:
    try:
        parse_agent_param(raw)
    except StatementInvalid as error:
        assert str(error)


stamp_text = st.from_regex(
    r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}T[0-9]{2}:?[0-9]{2}(:?[0-9]{2}([.,][0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?",
    fullmatch=True,
)


@given(value=st.text(max_size=40) | stamp_text)
@example(value="0001-01-01T00:00:00+23:59")
@example(value="9999-12-31T23:59:59-23:59")
def test_any_timestamp_is_a_moment_or_refused(value: str) -> None:
    parsed = parse_timestamp(value)
    if parsed is None:
        with pytest.raises(StatementInvalid):
            check_timestamp(value, "since")
        return
    # A moment the database can compare with: it has a UTC time.
    assert parsed.astimezone(dt.UTC).tzinfo is dt.UTC


@pytest.fixture
def lrs(world: World) -> Lrs:
    # Made once for all examples of a test (hypothesis runs them inside one test call).
    return make_lrs(world)


@pytest.mark.django_db
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(since=stamp_text, until=stamp_text)
@example(since="0001-01-01T00:00:00+23:59", until="9999-12-31T23:59:59-23:59")
def test_any_since_and_until_answer_a_page_or_a_message(lrs: Lrs, since: str, until: str) -> None:
    response = lrs.get(since=since, until=until)
    assert response.status_code in (200, 400), response.content
    response = lrs.get(
        "/xapi/activities/state",
        activityId="https://x.example/a",
        agent='{"mbox":"mailto:a@example.org"}',
        since=since,
    )
    assert response.status_code in (200, 400), response.content


@pytest.mark.django_db
def test_a_statement_whose_timestamp_falls_before_year_one_in_utc_is_refused(world: World) -> None:
    # It passed validation and failed when stored (OverflowError): a server error.
    body = {
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "https://x.example/v"},
        "object": {"id": "https://x.example/o"},
        "timestamp": "0001-01-01T00:00:00+01:00",
    }
    response = make_lrs(world).post(body)
    assert response.status_code == 400
    assert "timestamp" in orjson.loads(response.content)["error"]["message"]


# Found by schemathesis on PostgreSQL: values SQLite stores but PostgreSQL refuses.


@pytest.mark.django_db
def test_a_parameter_with_a_nul_character_is_refused(world: World) -> None:
    lrs = make_lrs(world)
    response = lrs.put(
        "/xapi/agents/profile?agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D"
        "&profileId=a%00b",
        {"x": 1},
        HTTP_IF_NONE_MATCH="*",
    )
    assert response.status_code == 400
    assert "NUL" in orjson.loads(response.content)["error"]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("object", {"id": "https://x.example/a\x00b"}),
        ("verb", {"id": "https://x.example/v\x00"}),
        ("actor", {"mbox": "mailto:a\x00@example.org"}),
        ("actor", {"account": {"homePage": "https://x.example", "name": "a\x00"}}),
    ],
)
def test_a_statement_with_a_nul_character_where_it_is_indexed_is_refused(
    world: World, where: str, value: Any
) -> None:
    body = {
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "https://x.example/v"},
        "object": {"id": "https://x.example/o"},
        where: value,
    }
    response = make_lrs(world).post(body)
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_since_with_an_offset_beyond_postgresqls_range_is_the_same_moment(
    world: World,
) -> None:
    lrs = make_lrs(world)
    assert (
        lrs.post(
            {
                "actor": {"mbox": "mailto:a@example.org"},
                "verb": {"id": "https://x.example/v"},
                "object": {"id": "https://x.example/o"},
                "timestamp": "2030-01-01T12:00:00-20:55",
            }
        ).status_code
        == 200
    )
    response = lrs.get(since="2000-01-01T02:54:15-20:55")
    assert response.status_code == 200
    assert len(orjson.loads(response.content)["statements"]) == 1
    response = lrs.get(
        "/xapi/activities/profile",
        activityId="https://x.example/o",
        since="2000-04-13T08:08:59+16:16",
    )
    assert response.status_code == 200
