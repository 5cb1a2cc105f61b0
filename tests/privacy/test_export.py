from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gilde.audit.models import AuditEvent
from gilde.people.models import Person
from gilde.people.services import invitation_create
from tests.conftest import World

SECTIONS = {
    "account",
    "imports",
    "memberships",
    "network_applications",
    "network_roles",
    "coach_assignments",
    "consents",
    "audit",
    "competencies",
    "learning",
    "learning_records",
    "events",
    "development",
    "packaged_learning",
}


def download(client: Client) -> tuple[Any, dict[str, Any]]:
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 200
    return response, json.loads(response.content.decode("utf-8"))


def other_emails(person: Person) -> list[str]:
    return list(Person.objects.exclude(pk=person.pk).values_list("email", flat=True))


def test_export_page_explains_and_records_nothing_yet(client: Client, world: World) -> None:
    client.force_login(world.a.learner)
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.export").exists()


def test_learner_downloads_a_file_with_every_section(client: Client, world: World) -> None:
    learner = world.a.learner
    client.force_login(learner)
    response, data = download(client)
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="gilde-mijn-gegevens-{today}.json"'
    )
    assert response["Content-Type"].startswith("application/json")
    assert set(data["sections"]) == SECTIONS
    account = data["sections"]["account"]
    assert account["email"] == learner.email
    assert account["infix"] == "van 't"
    memberships = data["sections"]["memberships"]["memberships"]
    assert [m["organisation"] for m in memberships] == [world.a.org.name]
    assert memberships[0]["function_title"] == "Monteur A"
    assert memberships[0]["roles"] == ["learner"]
    coached = data["sections"]["coach_assignments"]["coach_assignments"]
    assert [c["you_are"] for c in coached] == ["coached"]
    events = data["sections"]["audit"]["events"]
    assert any(e["action"] == "membership.create" and "subject" in e["you_were"] for e in events)
    text = response.content.decode("utf-8")
    for email in other_emails(learner):
        assert email not in text
    assert AuditEvent.objects.filter(
        action="privacy.export", subject=learner, actor=learner
    ).exists()


def test_admin_export_leaves_out_the_people_they_invited(client: Client, world: World) -> None:
    admin = world.a.admin
    invitation_create(actor=admin, organisation=world.a.org, email="nieuw@example.org")
    client.force_login(admin)
    response, data = download(client)
    events = data["sections"]["audit"]["events"]
    assert any(e["action"] == "invitation.create" and e["you_were"] == ["actor"] for e in events)
    text = response.content.decode("utf-8")
    assert "nieuw@example.org" not in text
    for email in other_emails(admin):
        assert email not in text


def test_coordinator_export_lists_network_role(client: Client, world: World) -> None:
    client.force_login(world.a.coordinator)
    _response, data = download(client)
    roles = data["sections"]["network_roles"]["network_roles"]
    assert [(r["network"], r["role"]) for r in roles] == [(world.a.network.name, "coordinator")]


def test_export_is_post_only_for_the_file(client: Client, world: World) -> None:
    client.force_login(world.b.learner)
    response = client.get(reverse("privacy:export"))
    assert "Content-Disposition" not in response
    assert world.a.learner.email not in response.content.decode()
