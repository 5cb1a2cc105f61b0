"""The Statements resource: storing, idempotence, conflicts, bad input, voiding, authentication."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

import orjson
import pytest
from django.test import Client as HttpClient

from gilde.lrs.models import Scope, Statement, StatementLink
from gilde.lrs.services import client_revoke
from tests.conftest import World
from tests.lrs.xapi_helpers import Lrs, make_lrs, new_id, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def lrs(world: World) -> Lrs:
    return make_lrs(world)


def error_of(response: Any) -> str:
    return str(orjson.loads(response.content)["error"]["message"])


def test_post_stores_one_statement_and_sets_what_the_lrs_owns(lrs: Lrs) -> None:
    response = lrs.post(statement(authority={"mbox": "mailto:liar@example.org"}))
    assert response.status_code == 200
    [sid] = orjson.loads(response.content)
    stored = orjson.loads(lrs.get(statementId=sid).content)
    assert stored["id"] == sid
    assert stored["stored"].endswith("Z")
    assert stored["timestamp"] == stored["stored"]
    # The authority is the client that wrote it, whatever the statement claimed.
    assert stored["authority"]["account"]["name"] == f"lrs-client:{lrs.key}"
    assert stored["version"] == "2.0.0"
    assert response["X-Experience-API-Version"] == "2.0.0"
    assert "X-Experience-API-Consistent-Through" in response


def test_put_with_id_answers_204_and_reposting_the_same_statement_changes_nothing(
    lrs: Lrs,
) -> None:
    sid = new_id()
    body = statement(id=sid)
    assert lrs.put(f"/xapi/statements?statementId={sid}", body).status_code == 204
    assert lrs.put(f"/xapi/statements?statementId={sid}", body).status_code == 204
    assert lrs.post(body).status_code == 200
    assert Statement.objects.filter(statement_id=sid).count() == 1


def test_a_reused_id_with_other_content_is_a_conflict_and_keeps_the_first(lrs: Lrs) -> None:
    sid = new_id()
    assert lrs.post(statement(id=sid)).status_code == 200
    response = lrs.post(statement(id=sid, verb="http://adlnet.gov/expapi/verbs/failed"))
    assert response.status_code == 409
    assert sid in error_of(response)
    kept = orjson.loads(lrs.get(statementId=sid).content)
    assert kept["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"


def test_put_id_must_match_the_statement_id(lrs: Lrs) -> None:
    response = lrs.put(f"/xapi/statements?statementId={new_id()}", statement(id=new_id()))
    assert response.status_code == 400
    assert Statement.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (statement(colour="blue"), "colour: unknown property"),
        (statement(actor={"objectType": "Robot", "mbox": "mailto:r@example.org"}), "actor"),
        (statement(result={"success": "true"}), "result.success"),
        (statement(timestamp="2008-09-15T15:53:00.601-00:00"), "timestamp"),
        (statement(verb={"id": "completed"}), "verb.id"),
        (statement(object={"objectType": "StatementRef", "id": "nope"}), "object.id"),
        (statement(result={"score": {"scaled": 1.5}}), "result.score"),
        (
            statement(actor={"mbox": "mailto:a@example.org", "openid": "http://a.example.org"}),
            "actor",
        ),
    ],
)
def test_invalid_statements_answer_400_naming_the_problem(lrs: Lrs, body: Any, named: str) -> None:
    response = lrs.post(body)
    assert response.status_code == 400
    assert named in error_of(response)
    assert Statement.objects.count() == 0


def test_one_bad_statement_in_a_batch_stores_none_of_it(lrs: Lrs) -> None:
    batch = [statement(), statement(), statement(extra=1)]
    response = lrs.post(batch)
    assert response.status_code == 400
    assert "2.extra" in error_of(response)
    assert Statement.objects.count() == 0
    assert StatementLink.objects.count() == 0


def test_malformed_json_and_wrong_content_type(lrs: Lrs) -> None:
    response = lrs.post(b'{"actor": ')
    assert response.status_code == 400
    assert "JSON" in error_of(response)
    plain = lrs.http.post(
        "/xapi/statements", data=b"{}", content_type="text/plain", **lrs.headers()
    )
    assert plain.status_code == 400
    assert Statement.objects.count() == 0


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(lrs: Lrs) -> None:
    response = lrs.http.post(
        "/xapi/statements",
        data=b"[]",
        content_type="application/json",
        **lrs.headers(CONTENT_LENGTH=str(50 * 1024 * 1024)),
    )
    assert response.status_code == 413
    assert Statement.objects.count() == 0


def test_duplicate_ids_in_one_batch_are_refused(lrs: Lrs) -> None:
    sid = new_id()
    response = lrs.post([statement(id=sid), statement(id=sid)])
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_voiding_hides_the_target_from_queries_but_keeps_it(lrs: Lrs) -> None:
    target = new_id()
    lrs.post(statement(id=target))
    voiding = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target})
    assert lrs.post(voiding).status_code == 200
    assert lrs.get(statementId=target).status_code == 404
    assert lrs.get(voidedStatementId=target).status_code == 200
    listed = orjson.loads(lrs.get().content)["statements"]
    assert [s["verb"]["id"] for s in listed] == [VOIDED]


def test_a_voiding_statement_cannot_be_voided(lrs: Lrs) -> None:
    target = new_id()
    voiding_id = new_id()
    lrs.post(statement(id=target))
    lrs.post(
        statement(id=voiding_id, verb=VOIDED, object={"objectType": "StatementRef", "id": target})
    )
    response = lrs.post(
        statement(verb=VOIDED, object={"objectType": "StatementRef", "id": voiding_id})
    )
    assert response.status_code == 400
    assert voiding_id in error_of(response)
    assert Statement.objects.filter(voided=True).count() == 1
    assert Statement.objects.count() == 2


def test_voiding_must_point_at_a_statement(lrs: Lrs) -> None:
    response = lrs.post(statement(verb=VOIDED))
    assert response.status_code == 400
    assert "StatementRef" in error_of(response)


def test_authentication_is_required_and_checked(lrs: Lrs) -> None:
    http = HttpClient()
    missing = http.get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Basic")
    wrong = base64.b64encode(f"{lrs.key}:not-the-secret".encode()).decode()
    bad = http.get(
        "/xapi/statements",
        HTTP_AUTHORIZATION=f"Basic {wrong}",
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    assert bad.status_code == 401
    client_revoke(actor=None, client=lrs.client)
    assert lrs.get().status_code == 401


def test_the_version_header_is_required_except_for_about(lrs: Lrs) -> None:
    response = lrs.http.get(
        "/xapi/statements", HTTP_AUTHORIZATION=lrs.headers()["HTTP_AUTHORIZATION"]
    )
    assert response.status_code == 400
    assert lrs.get(headers={"HTTP_X_EXPERIENCE_API_VERSION": "3.0.0"}).status_code == 400
    about = HttpClient().get("/xapi/about")
    assert about.status_code == 200
    assert "2.0.0" in orjson.loads(about.content)["version"]


def test_1_0_3_requests_get_1_0_3_answers_and_statements(lrs: Lrs) -> None:
    lrs.version = "1.0.3"
    response = lrs.post(statement())
    assert response["X-Experience-API-Version"] == "1.0.3"
    [sid] = orjson.loads(response.content)
    assert orjson.loads(lrs.get(statementId=sid).content)["version"] == "1.0.0"


def test_cors_preflight_is_answered(lrs: Lrs) -> None:
    response = lrs.http.options("/xapi/statements")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "X-Experience-API-Version" in response["Access-Control-Allow-Headers"]


def test_alternate_request_syntax_of_1_0_3(lrs: Lrs) -> None:
    auth = lrs.headers()["HTTP_AUTHORIZATION"]
    form = {
        "Authorization": auth,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "content": orjson.dumps(statement()).decode(),
    }
    response = lrs.http.generic(
        "POST",
        "/xapi/statements?method=POST",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Statement.objects.count() == 1
    # xAPI 2.0 has no alternate syntax.
    form["X-Experience-API-Version"] = "2.0.0"
    refused = lrs.http.generic(
        "POST",
        "/xapi/statements?method=POST",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert refused.status_code == 400
    assert Statement.objects.count() == 1


def test_a_write_only_client_cannot_read(world: World) -> None:
    writer = make_lrs(world, scopes=(Scope.STATEMENTS_WRITE,))
    assert writer.post(statement()).status_code == 200
    assert writer.get().status_code == 403


def test_read_mine_sees_only_its_own_statements(world: World) -> None:
    everyone = make_lrs(world)
    mine = make_lrs(world, scopes=(Scope.STATEMENTS_WRITE, Scope.STATEMENTS_READ_MINE))
    other_id = orjson.loads(everyone.post(statement()).content)[0]
    own_id = orjson.loads(mine.post(statement()).content)[0]
    listed = [s["id"] for s in orjson.loads(mine.get().content)["statements"]]
    assert listed == [own_id]
    assert mine.get(statementId=other_id).status_code == 404
    assert len(orjson.loads(everyone.get().content)["statements"]) == 2


def test_another_organisations_client_never_sees_these_statements(world: World) -> None:
    home = make_lrs(world)
    outsider = make_lrs(world, side="b")
    sid = orjson.loads(home.post(statement()).content)[0]
    assert outsider.get(statementId=sid).status_code == 404
    assert orjson.loads(outsider.get().content)["statements"] == []
    # The same id may exist in another store: stores are separate LRSs.
    assert (
        outsider.post(statement(id=sid, verb="http://adlnet.gov/expapi/verbs/failed")).status_code
        == 200
    )


def test_a_batch_costs_the_same_queries_as_one_statement(
    lrs: Lrs, django_assert_max_num_queries: Any
) -> None:
    lrs.post(statement())  # warm: the store and client exist
    # Auth, existing ids, people, two statement inserts and two link inserts (SQLite splits big
    # inserts by its variable limit), savepoints: not one query per statement.
    with django_assert_max_num_queries(10):
        assert (
            lrs.post([statement(actor=f"mailto:p{i}@example.org") for i in range(100)]).status_code
            == 200
        )
    assert Statement.objects.count() == 101
