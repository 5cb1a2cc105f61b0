"""State, Activity Profile and Agent Profile: ETags, preconditions, merging, listing, Person."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
import pytest

from gilde.lrs.models import Document
from tests.conftest import World
from tests.lrs.xapi_helpers import Lrs, make_lrs

pytestmark = pytest.mark.django_db

ACTIVITY = "http://example.org/activities/lathe-safety"
AGENT = orjson.dumps({"mbox": "mailto:ada@example.org"}).decode()


@pytest.fixture
def lrs(world: World) -> Lrs:
    return make_lrs(world)


def state_url(**extra: str) -> str:
    params = {"activityId": ACTIVITY, "agent": AGENT, **extra}
    return "/xapi/activities/state?" + urlencode(params)


def test_state_put_get_and_etag(lrs: Lrs) -> None:
    url = state_url(stateId="bookmark")
    assert lrs.put(url, {"page": 3}).status_code == 204
    response = lrs.http.get(url, **lrs.headers())
    assert response.status_code == 200
    assert orjson.loads(response.content) == {"page": 3}
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert "Last-Modified" in response


def test_post_merges_json_objects(lrs: Lrs) -> None:
    url = state_url(stateId="progress")
    lrs.put(url, {"page": 3, "score": 1})
    assert (
        lrs.http.post(
            url,
            data=orjson.dumps({"score": 2, "done": True}),
            content_type="application/json",
            **lrs.headers(),
        ).status_code
        == 204
    )
    assert orjson.loads(lrs.http.get(url, **lrs.headers()).content) == {
        "page": 3,
        "score": 2,
        "done": True,
    }
    refused = lrs.http.post(url, data=b"[1, 2]", content_type="application/json", **lrs.headers())
    assert refused.status_code == 400


def test_if_match_and_if_none_match(lrs: Lrs) -> None:
    url = state_url(stateId="answers")
    lrs.put(url, {"a": 1})
    etag = lrs.http.get(url, **lrs.headers())["ETag"]
    assert lrs.put(url, {"a": 2}, HTTP_IF_MATCH='"not-the-etag"').status_code == 412
    assert lrs.put(url, {"a": 2}, HTTP_IF_NONE_MATCH="*").status_code == 412
    assert orjson.loads(lrs.http.get(url, **lrs.headers()).content) == {"a": 1}
    assert lrs.put(url, {"a": 2}, HTTP_IF_MATCH=etag).status_code == 204
    assert lrs.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert Document.objects.count() == 1


def test_put_without_precondition_to_an_existing_document_is_a_conflict_in_2_0(lrs: Lrs) -> None:
    url = state_url(stateId="s")
    lrs.put(url, {"a": 1})
    response = lrs.put(url, {"a": 2})
    assert response.status_code == 409
    assert "If-Match" in orjson.loads(response.content)["error"]["message"]
    # xAPI 1.0.3 lets State PUTs overwrite.
    lrs.version = "1.0.3"
    assert lrs.put(url, {"a": 3}).status_code == 204


def test_listing_ids_and_deleting_all_state(lrs: Lrs) -> None:
    for name in ("one", "two"):
        lrs.put(state_url(stateId=name), {"x": name})
    listed = orjson.loads(lrs.http.get(state_url(), **lrs.headers()).content)
    assert sorted(listed) == ["one", "two"]
    assert lrs.delete(state_url()).status_code == 204
    assert Document.objects.count() == 0


def test_activity_and_agent_profiles(lrs: Lrs) -> None:
    activity_url = "/xapi/activities/profile?" + urlencode(
        {"activityId": ACTIVITY, "profileId": "rubric"}
    )
    agent_url = "/xapi/agents/profile?" + urlencode({"agent": AGENT, "profileId": "prefs"})
    for url in (activity_url, agent_url):
        assert (
            lrs.put(
                url, b"plain text", content_type="text/plain", HTTP_IF_NONE_MATCH="*"
            ).status_code
            == 204
        )
        got = lrs.http.get(url, **lrs.headers())
        assert got.content == b"plain text"
        assert got["Content-Type"] == "text/plain"
        assert lrs.put(url, b"again", content_type="text/plain").status_code == 409


def test_missing_or_bad_parameters(lrs: Lrs) -> None:
    assert lrs.http.get("/xapi/activities/state?stateId=x", **lrs.headers()).status_code == 400
    bad_agent = "/xapi/activities/state?" + urlencode(
        {"activityId": ACTIVITY, "agent": "{}", "stateId": "x"}
    )
    assert lrs.put(bad_agent, {"a": 1}).status_code == 400
    bad_registration = state_url(stateId="x", registration="not-a-uuid")
    assert lrs.put(bad_registration, {"a": 1}).status_code == 400
    assert Document.objects.count() == 0


def test_documents_of_another_store_are_invisible(world: World, lrs: Lrs) -> None:
    lrs.put(state_url(stateId="private"), {"secret": True})
    outsider = make_lrs(world, side="b")
    assert outsider.http.get(state_url(stateId="private"), **outsider.headers()).status_code == 404


def test_activities_and_agents_resources(lrs: Lrs) -> None:
    from tests.lrs.xapi_helpers import statement

    lrs.post(statement())
    activity: Any = orjson.loads(lrs.get("/xapi/activities", activityId=ACTIVITY).content)
    assert activity["definition"]["name"]["nl-NL"] == "Veilig draaien"
    person = orjson.loads(lrs.get("/xapi/agents", agent=AGENT).content)
    assert person == {"objectType": "Person", "mbox": ["mailto:ada@example.org"]}
    assert lrs.get("/xapi/agents").status_code == 400
