"""cmi5: launching an AU with the launch parameters, the one-time fetch URL, LMS.LaunchData,
the AU's statements checked against the cmi5 rules through the LRS, moveOn, satisfied for the
block and the course, abandoned, waived, and completion in the catalogue."""

from __future__ import annotations

import base64
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.test import Client

from gilde.learning.models import EnrolmentStatus
from gilde.learning.services import enrolment_self_create
from gilde.lrs.models import Statement
from gilde.scorm import cmi5
from gilde.scorm.models import Registration, Session
from tests.conftest import World
from tests.scorm.conftest import import_package

PAGE = "http://localhost"
CONTENT = "http://testserver"


@pytest.fixture
def course(world: World) -> Any:
    version = import_package(world, "cmi5_two_aus")
    enrolment = enrolment_self_create(actor=world.a.learner, item=version.package.item)
    return version, enrolment


class AU:
    """What an AU does, through the test client on the content address."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.client = Client()
        query = parse_qs(urlsplit(session.launch_url).query)
        self.params = {k: v[0] for k, v in query.items()}
        self.endpoint = urlsplit(self.params["endpoint"]).path
        self.auth = ""
        self.launch_data: dict[str, Any] = {}

    def fetch(self) -> dict[str, Any]:
        answer: dict[str, Any] = self.client.post(urlsplit(self.params["fetch"]).path).json()
        if "auth-token" in answer:
            self.auth = "Basic " + answer["auth-token"]
        return answer

    def call(self, method: str, resource: str, body: Any = None, **params: str) -> Any:
        return getattr(self.client, method)(
            self.endpoint
            + resource
            + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""),
            data=orjson.dumps(body) if body is not None else None,
            content_type="application/json",
            HTTP_AUTHORIZATION=self.auth,
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        )

    def start(self) -> None:
        self.fetch()
        response = self.client.get(
            self.endpoint + "activities/state",
            {
                "stateId": "LMS.LaunchData",
                "activityId": self.params["activityId"],
                "agent": self.params["actor"],
                "registration": self.params["registration"],
            },
            HTTP_AUTHORIZATION=self.auth,
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        )
        assert response.status_code == 200, response.content
        self.launch_data = orjson.loads(response.content)
        self.client.get(
            self.endpoint + "agents/profile",
            {"profileId": "cmi5LearnerPreferences", "agent": self.params["actor"]},
            HTTP_AUTHORIZATION=self.auth,
            HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
        )

    def statement(
        self, verb: str, result: dict[str, Any] | None = None, moveon: bool = False
    ) -> dict[str, Any]:
        context = orjson.loads(orjson.dumps(self.launch_data["contextTemplate"]))
        context["registration"] = self.params["registration"]
        context["contextActivities"]["category"] = [{"id": cmi5.CATEGORY}] + (
            [{"id": cmi5.MOVEON}] if moveon else []
        )
        built = {
            "id": str(uuid.uuid4()),
            "timestamp": "2026-01-01T10:00:00.000Z",
            "actor": orjson.loads(self.params["actor"]),
            "verb": {"id": cmi5.ADL + verb},
            "object": {"id": self.params["activityId"]},
            "context": context,
        }
        if result is not None:
            built["result"] = result
        return built

    def send(self, statement: dict[str, Any]) -> int:
        response = self.call("put", "statements", statement, statementId=statement["id"])
        return int(response.status_code)


def _launch(world: World, course: Any, index: int) -> AU:
    version, enrolment = course
    session = cmi5.au_launch(
        actor=world.a.learner,
        enrolment=enrolment,
        package=version.package,
        au_index=index,
        page_origin=PAGE,
        content_origin=CONTENT,
    )
    return AU(session)


def test_the_launch_url_carries_the_cmi5_parameters(world: World, course: Any) -> None:
    au = _launch(world, course, 0)
    assert set(au.params) >= {"endpoint", "fetch", "actor", "registration", "activityId", "part"}
    actor = orjson.loads(au.params["actor"])
    assert actor["account"]["name"] == str(world.a.learner.uuid)
    assert au.params["activityId"] != "https://gilde.test/cmi5/au/lezen"
    assert Registration.objects.get().uuid == uuid.UUID(au.params["registration"])
    launched = Statement.objects.get(verb=cmi5.VERBS["launched"])
    data = orjson.loads(launched.data)
    assert data["context"]["extensions"][cmi5.SESSION_EXT] == str(au.session.uuid)
    assert data["context"]["extensions"][cmi5.EXT + "moveon"] == "Completed"


def test_the_fetch_url_gives_the_credential_once(world: World, course: Any) -> None:
    au = _launch(world, course, 0)
    first = au.fetch()
    assert "auth-token" in first
    assert base64.b64decode(first["auth-token"]).decode().startswith(str(au.session.uuid))
    second = au.fetch()
    assert second["error-code"] == "1" and "auth-token" not in second


def test_launch_data_is_there_and_read_only(world: World, course: Any) -> None:
    au = _launch(world, course, 1)
    au.start()
    assert au.launch_data["moveOn"] == "Passed"
    assert au.launch_data["masteryScore"] == 0.8
    assert au.launch_data["launchMode"] == "Normal"
    assert au.launch_data["contextTemplate"]["contextActivities"]["grouping"] == [
        {"id": "https://gilde.test/cmi5/au/toets"}
    ]
    response = au.call(
        "put",
        "activities/state",
        {"x": 1},
        stateId="LMS.LaunchData",
        activityId=au.params["activityId"],
        agent=au.params["actor"],
        registration=au.params["registration"],
    )
    assert response.status_code == 403


def test_a_course_is_satisfied_when_both_aus_meet_move_on(world: World, course: Any) -> None:
    _version, enrolment = course
    au = _launch(world, course, 0)
    au.start()
    assert au.send(au.statement("completed", {"completion": True, "duration": "PT1M"}, True)) == 403
    assert au.send(au.statement("initialized")) == 204
    assert au.send(au.statement("completed", {"completion": True, "duration": "PT1M"}, True)) == 204
    assert au.send(au.statement("terminated", {"duration": "PT2M"})) == 204
    assert not Statement.objects.filter(verb=cmi5.VERBS["satisfied"]).exists()

    second = _launch(world, course, 1)
    second.start()
    assert second.send(second.statement("initialized")) == 204
    too_low = second.statement(
        "passed", {"success": True, "score": {"scaled": 0.5}, "duration": "PT1M"}, True
    )
    too_low["context"]["extensions"][cmi5.MASTERY_EXT] = 0.8
    assert second.send(too_low) == 403
    passed = second.statement(
        "passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT1M"}, True
    )
    passed["context"]["extensions"][cmi5.MASTERY_EXT] = 0.8
    assert second.send(passed) == 204
    satisfied = [
        orjson.loads(s.data)
        for s in Statement.objects.filter(verb=cmi5.VERBS["satisfied"]).order_by("seq")
    ]
    assert [s["object"]["definition"]["type"].rsplit("/", 1)[1] for s in satisfied] == [
        "block",
        "course",
    ]
    assert satisfied[1]["context"]["contextActivities"]["grouping"] == [
        {"id": "https://gilde.test/cmi5/course/werkplaats"}
    ]
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completion.score_percent == 90


@pytest.mark.parametrize(
    "change",
    [
        "no id",
        "local time",
        "mbox actor",
        "other registration",
        "no session",
        "other object",
        "void",
        "lms verb",
        "success on completed",
    ],
)
def test_statements_that_break_cmi5_rules_are_refused(
    world: World, course: Any, change: str
) -> None:
    au = _launch(world, course, 0)
    au.start()
    assert au.send(au.statement("initialized")) == 204
    statement = au.statement("completed", {"completion": True, "duration": "PT1M"}, True)
    if change == "no id":
        del statement["id"]
        response = au.call("post", "statements", statement)
        assert response.status_code == 403
        return
    if change == "local time":
        statement["timestamp"] = "2026-01-01T10:00:00-06:00"
    elif change == "mbox actor":
        statement["actor"] = {"mbox": "mailto:someone@example.org"}
    elif change == "other registration":
        statement["context"]["registration"] = str(uuid.uuid4())
    elif change == "no session":
        del statement["context"]["extensions"][cmi5.SESSION_EXT]
    elif change == "other object":
        statement["object"]["id"] = "https://example.org/not-the-au"
    elif change == "void":
        statement["verb"]["id"] = cmi5.VOIDED
    elif change == "lms verb":
        statement["verb"]["id"] = cmi5.VERBS["satisfied"]
    elif change == "success on completed":
        statement["result"]["success"] = True
    assert au.send(statement) == 403


def test_a_new_launch_abandons_an_open_session_and_waiving_satisfies(
    world: World, course: Any
) -> None:
    _version, enrolment = course
    first = _launch(world, course, 0)
    first.start()
    assert first.send(first.statement("initialized")) == 204
    _launch(world, course, 0)
    assert Statement.objects.filter(verb=cmi5.VERBS["abandoned"]).count() == 1
    first.session.refresh_from_db()
    assert first.session.abandoned_at is not None
    assert first.send(first.statement("terminated", {"duration": "PT1M"})) == 403
    registration = Registration.objects.get()
    cmi5.au_waive(actor=world.a.admin, registration=registration, au_index=0, reason="Vrijstelling")
    cmi5.au_waive(actor=world.a.admin, registration=registration, au_index=1, reason="Vrijstelling")
    assert Statement.objects.filter(verb=cmi5.VERBS["waived"]).count() == 2
    assert Statement.objects.filter(verb=cmi5.VERBS["satisfied"]).count() == 2
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED


def test_without_the_credential_the_endpoint_answers_401(world: World, course: Any) -> None:
    au = _launch(world, course, 0)
    response = au.call("get", "statements")
    assert response.status_code == 401
