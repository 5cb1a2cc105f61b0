from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

import gilde
from gilde.audit.labels import ACTION_LABELS
from gilde.audit.models import AuditEvent
from gilde.audit.services import audit_record
from gilde.privacy.services import person_erase
from gilde.tenancy.models import Organisation
from gilde.tenancy.services import team_create
from tests.conftest import World


@pytest.fixture(autouse=True)
def _english(client: Client) -> None:
    # The assertions read the English labels; Dutch is the default language of the site.
    client.cookies["django_language"] = "en"


def audit_url(organisation: Organisation) -> str:
    return reverse("audit:organisation", args=[organisation.slug])


def add_events(world: World, count: int) -> None:
    for n in range(count):
        audit_record(
            actor=world.a.admin,
            action="membership.update",
            organisation=world.a.org,
            subject=world.a.learner if n % 2 else world.a.manager,
        )


def test_admin_sees_who_did_what_to_whom_newest_first(client: Client, world: World) -> None:
    team_create(actor=world.a.admin, organisation=world.a.org, name="Kantoor")
    client.force_login(world.a.admin)
    page = client.get(audit_url(world.a.org)).content.decode()
    table = page.split("<tbody>")[1]
    assert table.index("Team added") < table.index("Person added to the organisation")
    assert escape(world.a.admin.display_name) in page
    assert escape(world.a.learner.display_name) in page
    # Nothing of the other organisation.
    assert escape(world.b.learner.display_name) not in page


def test_admin_filters_by_action(client: Client, world: World) -> None:
    team_create(actor=world.a.admin, organisation=world.a.org, name="Kantoor")
    client.force_login(world.a.admin)
    response = client.get(audit_url(world.a.org), {"action": "team.create"})
    rows = response.context["rows"]
    assert rows and {row["event"].action for row in rows} == {"team.create"}
    assert (
        response.context["page"].paginator.count
        == AuditEvent.objects.filter(organisation=world.a.org, action="team.create").count()
    )
    # An unknown action shows everything rather than an error.
    response = client.get(audit_url(world.a.org), {"action": "<script>"})
    assert response.status_code == 200 and response.context["action"] == ""


def test_erased_former_member_shows_as_erased(client: Client, world: World) -> None:
    person_erase(actor=world.a.learner, person=world.a.learner)
    client.force_login(world.a.admin)
    page = client.get(audit_url(world.a.org), {"action": "person.erase"}).content.decode()
    assert "Account erased" in page and "Verwijderde gebruiker" in page
    assert "learner-a@example.org" not in page


@pytest.mark.parametrize(
    "persona", ["learner", "manager", "mentor", "author", "coordinator", "coach"]
)
def test_other_roles_of_the_organisation_get_404(
    client: Client, world: World, persona: str
) -> None:
    client.force_login(world.a.personas()[persona])
    assert client.get(audit_url(world.a.org)).status_code == 404


def test_admin_of_another_organisation_gets_404(client: Client, world: World) -> None:
    client.force_login(world.b.admin)
    assert client.get(audit_url(world.a.org)).status_code == 404
    assert client.get(reverse("audit:organisation", args=["bestaat-niet"])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client: Client, world: World) -> None:
    response = client.get(audit_url(world.a.org))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_query_count_is_the_same_for_10_and_50_events(client: Client, world: World) -> None:
    client.force_login(world.a.admin)
    AuditEvent.objects.filter(organisation=world.a.org).delete()
    add_events(world, 10)
    with CaptureQueriesContext(connection) as ten:
        assert len(client.get(audit_url(world.a.org)).context["rows"]) == 10
    add_events(world, 40)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(audit_url(world.a.org)).context["rows"]) == 50
    assert len(ten) == len(fifty)


def test_long_trail_is_split_into_pages(client: Client, world: World) -> None:
    AuditEvent.objects.filter(organisation=world.a.org).delete()
    add_events(world, 120)
    client.force_login(world.a.admin)
    response = client.get(audit_url(world.a.org), {"page": 3, "action": "membership.update"})
    assert response.context["page"].number == 3
    assert len(response.context["rows"]) == 20
    page = response.content.decode()
    assert "?action=membership.update&amp;page=2" in page


def test_every_action_in_the_code_has_a_readable_label() -> None:
    """A new audit action gets a translatable label in gilde/audit/labels.py."""
    source = Path(gilde.__file__).parent
    found: set[str] = set()
    for path in source.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "action=" in line:
                found |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
    assert {"membership.end", "network.approve", "network.reject"} <= found
    missing = sorted(found - set(ACTION_LABELS))
    assert not missing, f"Audit actions without a label: {missing}"


def test_other_pages_can_show_the_readable_label() -> None:
    from django.template import Context, Template

    rendered = Template("{% load audit_labels %}{{ code|action_label }}|{{ other|action_label }}")
    with translation.override("en"):
        text = rendered.render(Context({"code": "membership.end", "other": "made.up"}))
    assert text == "Membership ended|made.up"
