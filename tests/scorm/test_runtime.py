"""Playing packages: the content and player on their own origin, commits that keep the
learner's data in order, resume, SCORM 2004 sequencing (forced order, rollup, a global
objective), and who sees what."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from gilde.learning.models import EnrolmentStatus
from gilde.learning.services import enrolment_self_create
from gilde.privacy.registry import sections
from gilde.scorm import origins, services
from gilde.scorm.models import ActivityAttempt, Registration
from gilde.scorm.views_content import content_url
from tests.conftest import World
from tests.scorm.conftest import import_package

PAGE = "http://localhost"
CONTENT = "http://testserver"


def _launch(world: World, version: Any, enrolment: Any, **kw: Any) -> Any:
    return services.scorm_launch(
        actor=world.a.learner,
        enrolment=enrolment,
        package=version.package,
        page_origin=PAGE,
        content_origin=CONTENT,
        **kw,
    )


def _player_token(session: Any) -> str:
    return origins.sign("player", {"s": str(session.uuid), "c": CONTENT, "p": PAGE})


def _commit(session: Any, body: dict[str, Any]) -> dict[str, Any]:
    url = reverse("scorm:commit", args=[_player_token(session)])
    response = Client(enforce_csrf_checks=True).post(
        url, orjson.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


# --- content and player on their own origin ----------------------------------------------------


def test_content_is_served_only_on_the_origin_its_address_was_made_for(
    world: World, quiz12: Any
) -> None:
    version, _enrolment = quiz12
    url = content_url(version, CONTENT, PAGE, "quiz/index.html")
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 200
    assert b"Toets: veilig boren" in b"".join(response.streaming_content)
    assert response["Content-Security-Policy"] == f"frame-ancestors 'self' {PAGE}"
    other = content_url(version, "http://elsewhere.example", PAGE, "quiz/index.html")
    assert Client().get(urlsplit(other).path).status_code == 404
    token = urlsplit(url).path.split("/")[2]
    assert Client().get(f"/scorm-content/{token}/../../imsmanifest.xml").status_code == 404
    assert Client().get(f"/scorm-content/{token[:-2]}xx/quiz/index.html").status_code == 404


def test_the_content_address_serves_nothing_else(world: World, settings: Any) -> None:
    settings.SCORM_CONTENT_URL = "http://content.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "content.example.org"]
    client = Client(HTTP_HOST="content.example.org")
    client.force_login(world.a.learner)
    assert client.get(reverse("learning:catalogue")).status_code == 404
    assert client.get("/static/gilde/gilde.css").status_code == 404


def test_the_player_loads_the_saved_data_with_the_runtime(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    launch = _launch(world, version, enrolment)
    response = Client().get(reverse("scorm:player", args=[_player_token(launch.session)]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/scorm-again/scorm12.min.js" in html
    assert '"student_id": "' + str(world.a.learner.uuid) in html
    assert f"frame-ancestors {PAGE}" in response["Content-Security-Policy"]
    assert "Set-Cookie" not in response


# --- commits ------------------------------------------------------------------------------------


def test_commits_are_kept_in_order_and_a_repeat_changes_nothing(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    session = _launch(world, version, enrolment).session
    newer = {"core": {"lesson_location": "page-2", "lesson_status": "incomplete"}}
    older = {"core": {"lesson_location": "page-1", "lesson_status": "incomplete"}}
    assert _commit(session, {"seq": 2, "cmi": newer})["stored"] is True
    late = _commit(session, {"seq": 1, "cmi": older})
    assert late["result"] == "true" and late["stored"] is False
    again = _commit(session, {"seq": 2, "cmi": older})
    assert again["stored"] is False
    attempt = ActivityAttempt.objects.get()
    assert attempt.location == "page-2" and attempt.commit_seq == 2


def test_a_bad_commit_is_refused_and_changes_nothing(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    session = _launch(world, version, enrolment).session
    assert _commit(session, {"seq": 0, "cmi": {}})["result"] == "false"
    assert _commit(session, {"seq": 1, "cmi": "not an object"})["result"] == "false"
    url = reverse("scorm:commit", args=["made-up"])
    assert Client().post(url, b"{}", content_type="application/json").status_code == 404
    assert ActivityAttempt.objects.get().commit_seq == 0


def test_everything_the_sco_sets_is_kept_and_resumed(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    session = _launch(world, version, enrolment).session
    cmi = {
        "suspend_data": '{"page":2}',
        "core": {
            "lesson_location": "page-2",
            "lesson_status": "incomplete",
            "exit": "suspend",
            "session_time": "00:10:00",
            "score": {"raw": "40", "min": "0", "max": "100"},
        },
        "interactions": {"0": {"id": "q1", "type": "choice", "student_response": "a"}},
        "objectives": {"0": {"id": "obj-1", "status": "passed"}},
        "comments": "Goed te doen",
    }
    _commit(session, {"seq": 1, "terminate": True, "cmi": cmi})
    again = _launch(world, version, enrolment).session
    data = services.launch_data(again)
    assert data["cmi"]["core"]["entry"] == "resume"
    assert data["cmi"]["core"]["total_time"] == "0000:10:00"
    assert data["cmi"]["suspend_data"] == '{"page":2}'
    assert data["cmi"]["interactions"]["0"]["student_response"] == "a"
    assert data["cmi"]["comments"] == "Goed te doen"
    assert "exit" not in data["cmi"]["core"] and "session_time" not in data["cmi"]["core"]
    attempt = ActivityAttempt.objects.get()
    assert attempt.score_raw == 40 and attempt.total_seconds == 600
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


# --- SCORM 2004 sequencing ----------------------------------------------------------------------


def _finish(session: Any, seq: int = 1, nav: str = "continue", **extra: Any) -> Any:
    cmi = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "0.9"},
        "exit": "normal",
        "session_time": "PT1M",
        **extra,
    }
    return services.attempt_commit(
        session=session, seq=seq, cmi=cmi, terminate=True, nav_request=nav
    )


def test_forced_sequential_order_blocks_a_later_sco_and_rolls_up(world: World) -> None:
    version = import_package(world, "scorm2004_sequential")
    enrolment = enrolment_self_create(actor=world.a.learner, item=version.package.item)
    first = _launch(world, version, enrolment)
    assert first.activity.id == "STEP-1"
    with pytest.raises(services.PackageError, match="sets the order"):
        _launch(world, version, enrolment, request="choice", target="STEP-3")
    result = _finish(first.session)
    assert result.next_request == "continue"
    second = _launch(world, version, enrolment, request="continue", current=first.session)
    assert second.activity.id == "STEP-2"
    assert services.launch_data(second.session)["href"] == "shared/part.html?part=opspannen"
    _finish(second.session)
    third = _launch(world, version, enrolment, request="continue", current=second.session)
    assert third.activity.id == "STEP-3"
    registration = Registration.objects.get()
    assert registration.completion_status == "incomplete"
    _finish(third.session)
    registration.refresh_from_db()
    assert (registration.completion_status, registration.success_status) == ("completed", "passed")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completion.result == "passed"
    with pytest.raises(services.PackageError):
        _launch(world, version, enrolment, request="continue", current=third.session)


def test_a_global_objective_opens_the_next_sco(world: World) -> None:
    version = import_package(world, "scorm2004_global")
    enrolment = enrolment_self_create(actor=world.a.learner, item=version.package.item)
    first = _launch(world, version, enrolment)
    assert first.activity.id == "SAFETY"
    with pytest.raises(services.PackageError):
        _launch(
            world, version, enrolment, request="choice", target="PRACTICE", current=first.session
        )
    first = _launch(world, version, enrolment, request="choice", target="SAFETY")
    _finish(
        first.session,
        nav="",
        objectives={"0": {"id": "veiligheid", "success_status": "passed"}},
    )
    registration = Registration.objects.get()
    assert registration.state["globals"]["urn:gilde:test:veiligheid"]["satisfied"] is True
    practice = _launch(world, version, enrolment, request="choice", target="PRACTICE")
    objectives = services.launch_data(practice.session)["cmi"]["objectives"]
    assert {"id": "veiligheid-gelezen", "success_status": "passed"}.items() <= objectives[
        "1"
    ].items()


def test_a_2004_sco_that_leaves_without_suspending_starts_a_new_attempt(world: World) -> None:
    version = import_package(world, "scorm2004_global")
    enrolment = enrolment_self_create(actor=world.a.learner, item=version.package.item)
    first = _launch(world, version, enrolment)
    services.attempt_commit(
        session=first.session,
        seq=1,
        cmi={"location": "p1", "exit": "suspend", "completion_status": "incomplete"},
        terminate=True,
    )
    resumed = _launch(world, version, enrolment)
    assert resumed.session.attempt_id == first.session.attempt_id
    assert services.launch_data(resumed.session)["cmi"]["entry"] == "resume"
    services.attempt_commit(
        session=resumed.session,
        seq=2,
        cmi={"location": "p2", "exit": "", "completion_status": "incomplete"},
        terminate=True,
    )
    fresh = _launch(world, version, enrolment, request="choice", target="SAFETY")
    assert fresh.session.attempt.number == 2
    assert services.launch_data(fresh.session)["cmi"].get("location") is None


# --- pages and personas -------------------------------------------------------------------------


def test_the_learner_starts_and_navigates_from_gildes_pages(world: World) -> None:
    version = import_package(world, "scorm2004_sequential")
    item = version.package.item
    client = Client(HTTP_HOST="localhost")
    client.force_login(world.a.learner)
    enrolment_self_create(actor=world.a.learner, item=item)
    page = client.get(reverse("scorm:package", args=[item.uuid]))
    assert page.status_code == 200 and "Stap 1: voorbereiden" in page.content.decode()
    response = client.post(reverse("scorm:launch", args=[item.uuid]), {"request": "start"})
    assert response.status_code == 302
    player = client.get(response["Location"])
    assert player.status_code == 200
    assert "http://127.0.0.1/scorm-player/" in player.content.decode()
    assert "frame-src http://127.0.0.1" in player["Content-Security-Policy"]
    blocked = client.post(
        response["Location"] + "navigate/", {"request": "choice", "target": "STEP-3"}
    )
    assert blocked.status_code == 302 and blocked["Location"] == response["Location"]


def test_editors_see_versions_and_outsiders_see_nothing(world: World, quiz12: Any) -> None:
    version, _enrolment = quiz12
    item = version.package.item
    url = reverse("scorm:package", args=[item.uuid])
    admin = Client()
    admin.force_login(world.a.admin)
    assert "Upload a new version" in admin.get(url).content.decode()
    learner = Client()
    learner.force_login(world.a.learner)
    assert "Upload a new version" not in learner.get(url).content.decode()
    for outsider in (world.b.admin, world.b.learner, world.b.coordinator):
        client = Client()
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("scorm:results", args=[item.uuid])).status_code == 404


def test_only_the_learner_opens_their_launch(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    launch = _launch(world, version, enrolment)
    url = reverse("scorm:session", args=[launch.session.uuid])
    for other in (world.a.manager, world.a.admin, world.b.learner):
        client = Client()
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_the_manager_sees_the_learners_score(
    world: World, quiz12: Any, django_assert_max_num_queries: Any
) -> None:
    version, enrolment = quiz12
    launch = _launch(world, version, enrolment)
    _commit(
        launch.session,
        {
            "seq": 1,
            "terminate": True,
            "cmi": {"core": {"lesson_status": "passed", "score": {"raw": "80", "max": "100"}}},
        },
    )
    client = Client()
    client.force_login(world.a.manager)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("scorm:results", args=[version.package.item.uuid]))
    assert "80%" in page.content.decode()
    assert escape(world.a.learner.display_name) in page.content.decode()


def test_personal_data_export_and_erasure_cover_cmi_data(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    launch = _launch(world, version, enrolment)
    _commit(
        launch.session,
        {"seq": 1, "cmi": {"suspend_data": "geheim", "core": {"lesson_location": "p2"}}},
    )
    section = next(s for s in sections() if s.name == "packaged_learning")
    exported = section.export(world.a.learner)
    assert exported["registrations"][0]["activities"][0]["suspend_data"] == "geheim"
    assert section.erase is not None
    section.erase(world.a.learner)
    attempt = ActivityAttempt.objects.get()
    assert attempt.cmi == {} and attempt.suspend_data == "" and attempt.location == ""


def test_interactions_become_learning_records(world: World, quiz12: Any) -> None:
    from gilde.lrs.models import Statement

    version, enrolment = quiz12
    session = _launch(world, version, enrolment).session
    cmi = {
        "core": {"lesson_status": "incomplete", "exit": "suspend"},
        "interactions": {
            "0": {"id": "q1", "type": "choice", "student_response": "a", "result": "correct"},
            "1": {"id": "q 2", "type": "choice", "student_response": "b", "result": "wrong"},
        },
    }
    _commit(session, {"seq": 1, "terminate": True, "cmi": cmi})
    _commit(session, {"seq": 2, "terminate": True, "cmi": cmi})
    answered = [
        orjson.loads(s.data)
        for s in Statement.objects.filter(verb="http://adlnet.gov/expapi/verbs/answered")
    ]
    assert len(answered) == 2
    assert {a["result"]["success"] for a in answered} == {True, False}
    assert answered[0]["context"]["registration"] == str(enrolment.uuid)
