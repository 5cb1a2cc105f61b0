"""Enrolment: by the learner, by a manager for the team, un-enrolling with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEvent
from gilde.learning.models import CatalogueItem, Enrolment, EnrolmentStatus, EnrolmentVia
from gilde.lrs.models import Statement
from tests.conftest import World


def test_learner_enrols_themselves_and_it_is_recorded(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    item = items["a_network"]
    client.force_login(world.a.learner)
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    response = client.post(reverse("learning:enrol", args=[item.uuid]), {"due_date": due})
    enrolment = Enrolment.objects.get(item=item)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:enrolment", args=[enrolment.uuid])
    assert enrolment.person == world.a.learner
    assert enrolment.organisation == world.a.org
    assert enrolment.via == EnrolmentVia.SELF
    assert enrolment.due_date.isoformat() == due
    assert AuditEvent.objects.filter(action="learning.enrol", subject=world.a.learner).exists()
    statement = Statement.objects.get(registration=enrolment.uuid)
    assert statement.verb.endswith("/registered")


def test_enrolling_twice_changes_nothing(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    item = items["a_network"]
    client.force_login(world.a.learner)
    client.post(reverse("learning:enrol", args=[item.uuid]))
    response = client.post(reverse("learning:enrol", args=[item.uuid]), follow=True)
    assert Enrolment.objects.filter(item=item).count() == 1
    assert any("already" in str(m) or "al " in str(m) for m in response.context["messages"])


def test_a_due_date_in_the_past_is_refused(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.a.learner)
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    client.post(reverse("learning:enrol", args=[items["a_network"].uuid]), {"due_date": past})
    assert not Enrolment.objects.exists()


def test_an_outsider_cannot_enrol_in_a_private_item(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    client.force_login(world.b.learner)
    for key in ("a_private", "a_network"):
        response = client.post(reverse("learning:enrol", args=[items[key].uuid]))
        assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_school_subjects_and_drafts_cannot_be_taken_by_the_learner(
    world: World, items: dict[str, CatalogueItem]
) -> None:
    import pytest

    from gilde.learning.services import LearningError, enrolment_self_create

    with pytest.raises(LearningError):
        enrolment_self_create(actor=world.a.author, item=items["a_draft"])
    assert not Enrolment.objects.exists()


def team_form(*people: Any, due: str = "") -> dict[str, Any]:
    return {"people": [str(m.uuid) for m in people], "due_date": due}


def test_manager_enrols_the_team_with_a_due_date(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    item = items["a_private"]
    url = reverse("learning:team-enrol", args=[item.uuid, world.a.org.slug])
    client.force_login(world.a.manager)
    page = client.get(url)
    choices = dict(page.context["form"].fields["people"].choices)
    assert str(world.a.learner_membership.uuid) in choices
    assert len(choices) == 1  # only the people the manager leads
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(url, team_form(world.a.learner_membership, due=due))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.via == EnrolmentVia.MANAGER
    assert enrolment.enrolled_by == world.a.manager
    assert enrolment.due_date.isoformat() == due
    # Again: reported, nothing new.
    client.post(url, team_form(world.a.learner_membership))
    assert Enrolment.objects.count() == 1


def test_manager_cannot_enrol_someone_they_do_not_lead(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    from gilde.tenancy.models import Membership

    item = items["a_private"]
    url = reverse("learning:team-enrol", args=[item.uuid, world.a.org.slug])
    author_membership = Membership.objects.get(person=world.a.author)
    client.force_login(world.a.manager)
    response = client.post(url, team_form(author_membership))
    assert response.status_code == 200
    assert response.context["form"].errors["people"]
    assert not Enrolment.objects.exists()


def test_team_enrolment_is_for_leads_of_that_organisation_only(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    item = items["a_private"]
    for person in (world.a.learner, world.b.manager, world.b.admin):
        client.force_login(person)
        url = reverse("learning:team-enrol", args=[item.uuid, world.a.org.slug])
        assert client.get(url).status_code == 404
        assert client.post(url, team_form(world.a.learner_membership)).status_code == 404
    # B's manager cannot push A's private item into B either.
    client.force_login(world.b.manager)
    url = reverse("learning:team-enrol", args=[item.uuid, world.b.org.slug])
    assert client.get(url).status_code == 404
    assert not Enrolment.objects.exists()


def test_withdraw_needs_a_reason(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    from gilde.learning.services import enrolment_self_create

    enrolment = enrolment_self_create(actor=world.a.learner, item=items["a_network"])
    client.force_login(world.a.learner)
    url = reverse("learning:withdraw", args=[enrolment.uuid])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    client.post(url, {"reason": "Geen tijd nu"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert enrolment.withdrawn_reason == "Geen tijd nu"
    # The item can be taken again.
    enrolment_self_create(actor=world.a.learner, item=items["a_network"])
    assert Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE).count() == 1


def test_who_sees_and_ends_an_enrolment(
    client: Client, world: World, items: dict[str, CatalogueItem]
) -> None:
    from gilde.learning.services import enrolment_self_create

    enrolment = enrolment_self_create(actor=world.a.learner, item=items["a_private"])
    page = reverse("learning:enrolment", args=[enrolment.uuid])
    withdraw = reverse("learning:withdraw", args=[enrolment.uuid])
    for person, status in [
        (world.a.learner, 200),
        (world.a.manager, 200),
        (world.a.admin, 200),
        (world.a.author, 404),
        (world.b.manager, 404),
        (world.b.admin, 404),
    ]:
        client.force_login(person)
        assert client.get(page).status_code == status, person
    for person in (world.a.author, world.b.admin):
        client.force_login(person)
        assert client.post(withdraw, {"reason": "weg"}).status_code == 404
    client.force_login(world.a.mentor)  # may see mentees only; the learner is not one
    assert client.get(page).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    client.force_login(world.a.manager)
    assert client.post(withdraw, {"reason": "Andere cursus"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert enrolment.withdrawn_by == world.a.manager
