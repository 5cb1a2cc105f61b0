"""The demo's learning records: an xAPI client for the first Utrecht retailer whose printed
credentials work, and records of the retailers' people on their pages."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gilde.demo.data import NETWORKS
from gilde.demo.records import DEMO_XAPI_SECRET, demo_xapi_client
from gilde.demo.selectors import demo_logins
from gilde.demo.services import demo_load, demo_reset
from gilde.lrs.models import Statement, Store
from gilde.lrs.services import client_for_credentials
from gilde.tenancy.models import OrganisationKind, Role

S1 = NETWORKS[0]
FIRST_COMPANY = next(o for o in S1.organisations if o.kind == OrganisationKind.COMPANY)


@pytest.fixture
def demo(db: Any) -> None:
    demo_load(competencies=False)


def test_the_demo_client_belongs_to_the_first_retailer_and_its_credentials_work(
    demo: None,
) -> None:
    printed = demo_xapi_client()
    assert printed is not None
    assert printed.organisation == FIRST_COMPANY.name
    assert printed.endpoint.endswith("/xapi/") and printed.secret == DEMO_XAPI_SECRET
    client = client_for_credentials(printed.key, printed.secret)
    assert client is not None and client.store.organisation is not None
    assert client.store.organisation.slug == FIRST_COMPANY.slug


def test_the_printed_credentials_open_the_xapi_endpoint(demo: None) -> None:
    printed = demo_xapi_client()
    assert printed is not None
    auth = base64.b64encode(f"{printed.key}:{printed.secret}".encode()).decode()
    response = Client().get(
        "/xapi/statements",
        {"limit": "5"},
        HTTP_AUTHORIZATION=f"Basic {auth}",
        HTTP_X_EXPERIENCE_API_VERSION="2.0.0",
    )
    assert response.status_code == 200
    assert len(json.loads(response.content)["statements"]) == 5


def test_the_retailers_people_have_records_in_their_own_organisations_store(demo: None) -> None:
    companies = {o.slug for o in S1.organisations if o.kind == OrganisationKind.COMPANY}
    stores = Store.objects.filter(organisation__slug__in=companies)
    assert stores.count() == len(companies)
    for store in stores:
        statements = Statement.objects.filter(store=store)
        assert statements.exists()
        assert not statements.filter(person__isnull=True).exists()
        people = set(statements.values_list("person_id", flat=True))
        assert people <= set(
            store.organisation.memberships.values_list("person_id", flat=True)  # type: ignore[union-attr]
        )
    verbs = set(Statement.objects.values_list("verb", flat=True))
    assert {
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/passed",
    } <= verbs
    assert all(
        "/xapi/activities/" in a for a in Statement.objects.values_list("activity", flat=True)
    )


def test_the_demo_learner_of_the_retailers_sees_records_and_the_manager_the_team(
    demo: None,
) -> None:
    logins = {login.role: login for login in demo_logins() if login.network == S1.name}
    learner = Client(HTTP_ACCEPT_LANGUAGE="nl")
    learner.login(username=logins[Role.LEARNER].email, password=logins[Role.LEARNER].password)
    page = learner.get(reverse("records:mine")).content.decode()
    assert "Je eigen webwinkel: de basis" in page
    assert "<svg" in page
    manager = Client(HTTP_ACCEPT_LANGUAGE="en")
    manager.login(username=logins[Role.MANAGER].email, password=logins[Role.MANAGER].password)
    from gilde.people.models import Person

    person = Person.objects.get(email=logins[Role.MANAGER].email)
    org = person.memberships.get(roles__role=Role.MANAGER).organisation
    team = manager.get(reverse("records:team", args=[org.slug])).content.decode()
    assert "Your own web shop" not in team  # a summary, not the records
    assert 'data-label="Records">0<' not in team


def test_gilde_demo_prints_the_client_with_the_log_ins(db: Any) -> None:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    printed = out.getvalue()
    client = demo_xapi_client()
    assert client is not None
    assert client.key in printed and DEMO_XAPI_SECRET in printed and client.endpoint in printed
    assert "learning records." in printed
    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert client.key in again.getvalue() and DEMO_XAPI_SECRET in again.getvalue()


def test_demo_logins_prints_the_client_as_json(demo: None) -> None:
    out = io.StringIO()
    call_command("demo_logins", "--xapi", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == demo_xapi_client().as_dict()  # type: ignore[union-attr]
    assert set(printed) == {"organisation", "endpoint", "key", "secret"}
    text = io.StringIO()
    call_command("demo_logins", stdout=text)
    assert printed["key"] in text.getvalue()


def test_a_revoked_demo_client_is_no_longer_printed(demo: None) -> None:
    from gilde.lrs.models import Client as XapiClient
    from gilde.lrs.services import client_revoke

    client_revoke(actor=None, client=XapiClient.objects.get())
    assert demo_xapi_client() is None
    out = io.StringIO()
    call_command("demo_logins", "--xapi", stdout=out)
    assert "No demo xAPI client" in out.getvalue()


def test_demo_reset_removes_the_records_and_the_client(demo: None) -> None:
    demo_reset()
    assert not Statement.objects.exists() and not Store.objects.exists()
    assert demo_xapi_client() is None
