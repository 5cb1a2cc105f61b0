"""Gilde's own apps record learning through `record_statements`; privacy export and erasure."""

from __future__ import annotations

import orjson
import pytest
from django.db import transaction

from gilde.lrs.models import LinkKind, Statement, StatementLink
from gilde.lrs.privacy import lrs_erase, lrs_export
from gilde.lrs.services import StatementInvalid, agent_for, record_statements, site_home
from tests.conftest import World
from tests.lrs.xapi_helpers import make_lrs

pytestmark = pytest.mark.django_db

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def learned(person: object, activity: str = "http://localhost:8000/xapi/activities/x") -> dict:
    return {
        "actor": agent_for(person),
        "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
        "object": {"id": activity},
    }


def test_recorded_statements_are_linked_to_the_person_and_readable_over_xapi(
    world: World,
) -> None:
    learner = world.a.learner
    [sid] = record_statements(
        statements=[learned(learner)], organisation=world.a.org, person=learner
    )
    row = Statement.objects.get(statement_id=sid)
    assert row.person == learner
    lrs = make_lrs(world)
    agent = orjson.dumps(agent_for(learner)).decode()
    listed = orjson.loads(lrs.get(agent=agent).content)["statements"]
    assert [s["id"] for s in listed] == [sid]
    assert listed[0]["authority"]["name"] == "Gilde"


def test_recording_takes_part_in_the_callers_transaction(world: World) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record_statements(statements=[learned(world.a.learner)], organisation=world.a.org)
        raise RuntimeError("the caller's other write failed")
    assert Statement.objects.count() == 0


def test_invalid_internal_statements_are_refused(world: World) -> None:
    bad = learned(world.a.learner)
    bad["verb"] = {"id": "completed"}
    with pytest.raises(StatementInvalid):
        record_statements(statements=[bad], organisation=world.a.org)
    assert Statement.objects.count() == 0


def test_export_holds_the_statements_and_erasure_anonymises_the_actor(world: World) -> None:
    learner = world.a.learner
    record_statements(
        statements=[learned(learner), learned(learner, "http://localhost:8000/xapi/activities/y")],
        organisation=world.a.org,
        person=learner,
    )
    exported = lrs_export(learner)
    assert len(exported["statements"]) == 2
    old_key = "account:" + site_home() + "|" + str(learner.uuid)
    lrs_erase(learner)
    assert Statement.objects.count() == 2
    assert Statement.objects.filter(person=learner).count() == 0
    for data in Statement.objects.values_list("data", flat=True):
        statement = orjson.loads(data)
        assert str(learner.uuid) not in data
        assert statement["actor"]["account"]["name"].startswith("anonymous-")
        assert statement["verb"]["id"] == COMPLETED
    assert not StatementLink.objects.filter(kind=LinkKind.AGENT, key=old_key).exists()
    assert lrs_export(learner)["statements"] == []
