"""GET on the Statements resource: every filter, paging by `more`, formats and attachments."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import orjson
import pytest

from tests.conftest import World
from tests.lrs.xapi_helpers import Lrs, make_lrs, new_id, statement

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
COURSE = "http://example.org/courses/cnc"


@pytest.fixture
def lrs(world: World) -> Lrs:
    return make_lrs(world)


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["id"] for s in orjson.loads(response.content)["statements"]]


def post(lrs: Lrs, body: dict[str, Any]) -> str:
    response = lrs.post(body)
    assert response.status_code == 200, response.content
    return str(orjson.loads(response.content)[0])


def agent(mbox: str) -> str:
    return orjson.dumps({"mbox": mbox}).decode()


def test_filters_by_agent_verb_and_activity(lrs: Lrs) -> None:
    ada_done = post(lrs, statement(actor="mailto:ada@example.org"))
    ada_failed = post(lrs, statement(actor="mailto:ada@example.org", verb=FAILED))
    bob_done = post(lrs, statement(actor="mailto:bob@example.org", activity=COURSE))
    assert ids(lrs.get(agent=agent("mailto:ada@example.org"))) == [ada_failed, ada_done]
    assert ids(lrs.get(agent=agent("mailto:ada@example.org"), verb=COMPLETED)) == [ada_done]
    assert ids(lrs.get(activity=COURSE)) == [bob_done]
    assert ids(lrs.get(verb=COMPLETED, ascending="true")) == [ada_done, bob_done]


def test_related_activities_and_related_agents_widen_the_filter(lrs: Lrs) -> None:
    lesson = post(
        lrs,
        statement(
            context={
                "contextActivities": {"parent": {"id": COURSE}},
                "instructor": {"mbox": "mailto:coach@example.org"},
            }
        ),
    )
    direct = post(lrs, statement(activity=COURSE))
    assert ids(lrs.get(activity=COURSE)) == [direct]
    assert ids(lrs.get(activity=COURSE, related_activities="true")) == [direct, lesson]
    coach = agent("mailto:coach@example.org")
    assert ids(lrs.get(agent=coach)) == []
    assert ids(lrs.get(agent=coach, related_agents="true")) == [lesson]


def test_a_single_context_activity_is_returned_as_a_list(lrs: Lrs) -> None:
    sid = post(lrs, statement(context={"contextActivities": {"parent": {"id": COURSE}}}))
    stored = orjson.loads(lrs.get(statementId=sid).content)
    assert stored["context"]["contextActivities"]["parent"] == [{"id": COURSE}]


def test_registration_since_and_until(lrs: Lrs) -> None:
    registration = str(uuid.uuid4())
    first = post(lrs, statement(context={"registration": registration}))
    post(lrs, statement())
    assert ids(lrs.get(registration=registration)) == [first]
    stored = orjson.loads(lrs.get(statementId=first).content)["stored"]
    assert first not in ids(lrs.get(since=stored))
    assert ids(lrs.get(until=stored)) == [first]


def test_statements_referring_to_a_match_match_too(lrs: Lrs) -> None:
    target = post(lrs, statement(verb=FAILED))
    comment = post(
        lrs,
        statement(
            verb="http://adlnet.gov/expapi/verbs/commented",
            object={"objectType": "StatementRef", "id": target},
        ),
    )
    assert ids(lrs.get(verb=FAILED)) == [comment, target]


def test_more_pages_through_everything_once(lrs: Lrs) -> None:
    posted = [post(lrs, statement(actor=f"mailto:p{i}@example.org")) for i in range(5)]
    seen: list[str] = []
    response = lrs.get(limit="2")
    while True:
        page = orjson.loads(response.content)
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        assert page["more"].startswith("/xapi/statements?")
        response = lrs.http.get(page["more"], **lrs.headers())
    assert seen == list(reversed(posted))


def test_bad_parameters_answer_400(lrs: Lrs) -> None:
    assert lrs.get(limit="many").status_code == 400
    assert lrs.get(agent="not json").status_code == 400
    assert lrs.get(agent=orjson.dumps({"name": "no identifier"}).decode()).status_code == 400
    assert lrs.get(format="pretty").status_code == 400
    assert lrs.get(ascending="yes").status_code == 400
    assert lrs.get(colour="blue").status_code == 400
    assert lrs.get(statementId=new_id(), verb=COMPLETED).status_code == 400


def test_formats_ids_and_canonical(lrs: Lrs) -> None:
    sid = post(lrs, statement())
    as_ids = orjson.loads(lrs.get(statementId=sid, format="ids").content)
    assert as_ids["actor"] == {"objectType": "Agent", "mbox": "mailto:ada@example.org"}
    assert as_ids["verb"] == {"id": COMPLETED}
    assert as_ids["object"] == {"id": "http://example.org/activities/lathe-safety"}
    canonical = orjson.loads(
        lrs.get(
            statementId=sid, format="canonical", headers={"HTTP_ACCEPT_LANGUAGE": "nl-NL,en;q=0.5"}
        ).content
    )
    assert canonical["verb"]["display"] == {"nl-NL": "voltooid"}
    assert canonical["object"]["definition"]["name"] == {"nl-NL": "Veilig draaien"}


def _multipart(body: dict[str, Any], content: bytes, sha2: str | None = None) -> tuple[bytes, str]:
    boundary = "gilde-test-boundary"
    digest = sha2 or hashlib.sha256(content).hexdigest()
    parts = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        orjson.dumps(body),
        (
            f"\r\n--{boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {digest}\r\n\r\n"
        ).encode(),
        content,
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f'multipart/mixed; boundary="{boundary}"'


def _with_attachment(content: bytes) -> dict[str, Any]:
    return statement(
        attachments=[
            {
                "usageType": "http://example.org/attachment/certificate",
                "display": {"en-US": "certificate"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": hashlib.sha256(content).hexdigest(),
            }
        ]
    )


def test_attachments_are_stored_and_returned_as_multipart(lrs: Lrs) -> None:
    content = b"Certificate: lathe safety, passed."
    body, ctype = _multipart(_with_attachment(content), content)
    response = lrs.http.post("/xapi/statements", data=body, content_type=ctype, **lrs.headers())
    assert response.status_code == 200, response.content
    [sid] = orjson.loads(response.content)
    back = lrs.get(statementId=sid, attachments="true")
    assert back["Content-Type"].startswith("multipart/mixed")
    assert content in back.content
    assert b"X-Experience-API-Hash: " + hashlib.sha256(content).hexdigest().encode() in back.content


def test_attachment_without_its_content_or_with_the_wrong_hash_is_refused(lrs: Lrs) -> None:
    content = b"proof"
    missing = lrs.post(_with_attachment(content))
    assert missing.status_code == 400
    assert "sha2" in orjson.loads(missing.content)["error"]["message"]
    body, ctype = _multipart(
        _with_attachment(content), b"other bytes", hashlib.sha256(content).hexdigest()
    )
    wrong = lrs.http.post("/xapi/statements", data=body, content_type=ctype, **lrs.headers())
    assert wrong.status_code == 400
    assert ids(lrs.get()) == []


def test_query_count_does_not_grow_with_the_page(
    lrs: Lrs, django_assert_max_num_queries: Any
) -> None:
    lrs.post([statement(actor=f"mailto:p{i}@example.org") for i in range(60)])
    with django_assert_max_num_queries(4):
        assert len(ids(lrs.get(limit="50", verb=COMPLETED))) == 50
