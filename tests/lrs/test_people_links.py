"""A statement whose actor is a member's e-mail address is linked to that person's account, in
the store of the organisation that employs them or of a network it is an approved member of; the
same address sent to any other store is not linked."""

from __future__ import annotations

from typing import Any

import pytest

from gilde.lrs.models import Statement
from gilde.lrs.services import store_for, store_statements
from gilde.tenancy.models import NetworkMembership, NetworkMembershipStatus
from tests.conftest import World

pytestmark = pytest.mark.django_db


def by(email: str) -> dict[str, Any]:
    return {
        "actor": {"mbox": f"mailto:{email}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.org/lesson/1"},
    }


def linked(store: Any, emails: list[str]) -> list[int | None]:
    written = store_statements(store=store, statements=[by(e) for e in emails])
    people = dict(Statement.objects.filter(store=store).values_list("statement_id", "person_id"))
    return [people[next(k for k in people if str(k) == sid)] for sid in written.ids]


def test_an_organisation_store_links_its_own_members_only(
    world: World, django_assert_max_num_queries: Any
) -> None:
    store = store_for(organisation=world.a.org)
    with django_assert_max_num_queries(8):
        found = linked(store, [world.a.learner.email, world.b.learner.email, "x@example.org"])
    assert found == [world.a.learner.pk, None, None]


def test_a_network_store_links_members_of_approved_member_organisations(world: World) -> None:
    store = store_for(network=world.a.network)
    assert linked(store, [world.a.learner.email, world.b.learner.email]) == [
        world.a.learner.pk,
        None,
    ]
    NetworkMembership.objects.filter(network=world.a.network, organisation=world.a.org).update(
        status=NetworkMembershipStatus.LEFT
    )
    assert linked(store, [world.a.manager.email]) == [None]
