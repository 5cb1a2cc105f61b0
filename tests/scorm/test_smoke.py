from __future__ import annotations

from typing import Any

from gilde.learning.models import EnrolmentStatus
from gilde.scorm import services
from tests.conftest import World


def test_scorm12_quiz_imports_plays_and_completes(world: World, quiz12: Any) -> None:
    version, enrolment = quiz12
    assert version.standard == "scorm12"
    package = version.package
    launch = services.scorm_launch(
        actor=world.a.learner,
        enrolment=enrolment,
        package=package,
        page_origin="http://localhost",
        content_origin="http://127.0.0.1",
    )
    data = services.launch_data(launch.session)
    assert data["href"] == "quiz/index.html"
    assert data["cmi"]["core"]["entry"] == "ab-initio"
    cmi = {
        "core": {
            "lesson_status": "passed",
            "score": {"raw": "100", "min": "0", "max": "100"},
            "session_time": "00:01:15",
            "exit": "",
            "lesson_location": "page-2",
        },
        "suspend_data": "x",
    }
    result = services.attempt_commit(session=launch.session, seq=1, cmi=cmi, terminate=True)
    assert result.stored
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completion.score_percent == 100
