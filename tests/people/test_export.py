from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gilde.audit.models import AuditEvent
from gilde.people.exporting import EXPORT_HEADER
from gilde.people.importing import batch_apply, batch_check, batch_create
from gilde.people.models import Person
from gilde.tenancy.models import Membership, OrganisationKind, Role
from gilde.tenancy.services import membership_create, membership_end, organisation_create
from tests.conftest import World, make_person


def as_user(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def export(world: World, fmt: str, person: Person | None = None) -> Any:
    return as_user(person or world.a.admin).get(
        reverse("people:export", args=[world.a.org.slug, fmt])
    )


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_csv_export_lists_current_members_sorted_the_dutch_way(world: World) -> None:
    world.a.learner_membership.employee_number = "0042"
    world.a.learner_membership.save(update_fields=["employee_number"])
    gone = make_person("weg-a@example.org", "Willem", "Weg")
    ended = membership_create(
        actor=None,
        person=gone,
        organisation=world.a.org,
        start_date=timezone.localdate() - dt.timedelta(days=100),
    )
    membership_end(
        actor=None, membership=ended, end_date=timezone.localdate() - dt.timedelta(days=1)
    )

    response = export(world, "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="bedrijf-a-mensen-' in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0] == EXPORT_HEADER
    emails = [r[4] for r in rows[1:]]
    assert "weg-a@example.org" not in emails
    assert world.b.learner.email not in emails
    assert world.temp_worker.email in emails
    # Family name first, tussenvoegsel ignored: AuteurA, BeheerA (van), ..., LeerlingA (van 't).
    families = [r[3] for r in rows[1:]]
    assert families == sorted(families, key=str.casefold)
    learner = next(r for r in rows if r[4] == world.a.learner.email)
    start = world.a.learner_membership.start_date.strftime("%d-%m-%Y")
    assert learner[:10] == [
        "0042",
        "Lotte",
        "van 't",
        "LeerlingA",
        world.a.learner.email,
        "Werkplaats A",
        "Monteur A",
        start,
        "",
        world.a.manager.email,
    ]
    admin = next(r for r in rows if r[4] == world.a.admin.email)
    assert len(admin[10].split(", ")) == 2  # organisation admin and learner
    assert len(learner[10].split(", ")) == 1


def test_the_excel_export_has_real_dates_and_the_same_columns(world: World) -> None:
    response = export(world, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0] == EXPORT_HEADER
    learner = next(r for r in rows if r[4] == world.a.learner.email)
    assert isinstance(learner[7], dt.datetime)
    assert learner[7].date() == world.a.learner_membership.start_date
    assert len(rows) == len(csv_rows(export(world, "csv").content))


def test_a_name_that_looks_like_a_formula_stays_text(world: World) -> None:
    sneaky = make_person("formule-a@example.org", '=HYPERLINK("http://x")', "Formule")
    membership_create(actor=None, person=sneaky, organisation=world.a.org, function_title="+31 6")
    rows = csv_rows(export(world, "csv").content)
    row = next(r for r in rows if r[4] == sneaky.email)
    assert row[1] == '\'=HYPERLINK("http://x")' and row[6] == "'+31 6"
    content = export(world, "xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_export_leaves_an_audit_row(world: World, fmt: str) -> None:
    before = AuditEvent.objects.filter(action="people.export").count()
    export(world, fmt)
    event = AuditEvent.objects.filter(action="people.export").latest("id")
    assert AuditEvent.objects.filter(action="people.export").count() == before + 1
    assert event.actor == world.a.admin and event.organisation == world.a.org
    assert event.detail["format"] == fmt and event.detail["rows"] == 7


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_runs_the_same_number_of_queries_for_many_people(
    world: World, fmt: str, django_assert_max_num_queries: Any
) -> None:
    client = as_user(world.a.admin)
    url = reverse("people:export", args=[world.a.org.slug, fmt])
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for i in range(40):
        person = make_person(f"extra{i}-a@example.org", f"Extra{i}", "Mens", "de")
        membership_create(
            actor=None,
            person=person,
            organisation=world.a.org,
            team=world.a.team,
            manager=world.a.manager,
            roles=[Role.LEARNER, Role.MENTOR],
        )
    client = as_user(world.a.admin)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    rows = csv_rows(response.content) if fmt == "csv" else xlsx_rows(response.content)
    assert len(rows) == 1 + 7 + 40


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imported_again_changes_nothing(world: World, fmt: str) -> None:
    content = export(world, fmt).content
    batch = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename=f"mensen.{fmt}", content=content
    )
    assert batch.mapping[:10] == [
        "employee_number",
        "given_name",
        "infix",
        "family_name",
        "email",
        "team",
        "function_title",
        "start_date",
        "end_date",
        "manager",
    ]
    plan = batch_check(batch=batch, actor=world.a.admin)
    assert plan.counts() == {
        "rows": 7,
        "created": 0,
        "updated": 0,
        "unchanged": 7,
        "rejected": 0,
        "teams_created": 0,
    }


def test_an_export_loads_into_a_new_organisation(world: World) -> None:
    content = export(world, "csv").content
    new_org = organisation_create(actor=None, name="Nieuw Bedrijf", kind=OrganisationKind.COMPANY)
    boss = make_person("baas@nieuw.example", "Bea", "Baas")
    membership_create(actor=None, person=boss, organisation=new_org, roles=[Role.ORG_ADMIN])
    batch = batch_create(actor=boss, organisation=new_org, filename="a.csv", content=content)
    batch.create_teams = True
    batch.save(update_fields=["create_teams"])
    counts = batch_apply(actor=boss, batch=batch)
    assert counts["created"] == 7 and counts["teams_created"] == 1
    learner = Membership.objects.get(organisation=new_org, person=world.a.learner)
    assert learner.manager == world.a.manager
    assert learner.team is not None and learner.team.organisation == new_org
    # The same accounts: one person for life, now in both organisations.
    assert Person.objects.filter(email=world.a.learner.email).count() == 1


@pytest.mark.parametrize("persona", ["outsider_admin", "learner", "manager"])
def test_only_the_organisations_admin_can_export(world: World, persona: str) -> None:
    person = {
        "outsider_admin": world.b.admin,
        "learner": world.a.learner,
        "manager": world.a.manager,
    }[persona]
    for fmt in ("csv", "xlsx"):
        assert export(world, fmt, person).status_code == 404
    assert not AuditEvent.objects.filter(action="people.export").exists()


def test_an_unknown_format_gives_404(world: World) -> None:
    assert export(world, "pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="people.export").exists()
