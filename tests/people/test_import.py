from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import uuid
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from gilde.audit.models import AuditEvent
from gilde.people import importing
from gilde.people.importing import (
    ImportFileError,
    ImportRejected,
    batch_apply,
    batch_check,
    batch_create,
    detect_mapping,
    parse_date,
    parse_file,
    split_full_name,
)
from gilde.people.models import ImportBatch, ImportBatchStatus, Person
from gilde.tenancy.models import Membership, Role, Team
from tests.conftest import World

HEADER = (
    "Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mail;Afdeling;Functie;Datum in dienst"
)


def as_user(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def csv_file(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_file(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: Client, world: World, content: bytes, name: str = "mensen.csv") -> Any:
    return client.post(
        reverse("people:import", args=[world.a.org.slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


def latest_batch(world: World) -> ImportBatch:
    return ImportBatch.objects.filter(organisation=world.a.org).latest("created_at")


def preview_url(world: World, batch: ImportBatch) -> str:
    return reverse("people:import-preview", args=[world.a.org.slug, batch.uuid])


def confirm(client: Client, world: World, batch: ImportBatch) -> Any:
    batch.refresh_from_db()
    return client.post(preview_url(world, batch), {"action": "confirm", "revision": batch.revision})


def members_of_a(world: World) -> set[str]:
    return set(
        Membership.objects.filter(organisation=world.a.org).values_list("person__email", flat=True)
    )


GOOD = [
    HEADER,
    "1001;Jan;van 't;Hof;jan.hof@bakker.nl;Werkplaats A;Monteur;01-03-2021",
    "1002;Eva;;de Vries;eva@bakker.nl;Werkplaats A;Planner;2021-04-15",
    "1003;José;;Müller;jose@bakker.nl;;Stagiair;1-9-2023",
]


# --- parsing: messy real-world files -------------------------------------------------------


def test_a_utf8_file_with_a_byte_order_mark_is_read() -> None:
    parsed = parse_file("x.csv", codecs.BOM_UTF8 + csv_file(*GOOD))
    assert parsed.header[0] == "Personeelsnummer"
    assert parsed.rows[2][1][3] == "Müller"
    assert parsed.delimiter == ";"


def test_a_windows_1252_file_keeps_its_accents() -> None:
    parsed = parse_file("x.csv", csv_file(*GOOD, encoding="cp1252"))
    assert parsed.encoding == "cp1252"
    assert parsed.rows[2][1][1:4] == ["José", "", "Müller"]


def test_excel_unicode_text_utf16_with_tabs_is_read() -> None:
    content = "\r\n".join(line.replace(";", "\t") for line in GOOD).encode("utf-16")
    parsed = parse_file("x.txt", content)
    assert parsed.delimiter == "\t"
    assert parsed.rows[2][1][3] == "Müller"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_detected(delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Voornaam", "Achternaam", "E-mail", "Functie"])
    writer.writerow(["Jan", "Hof", "jan@x.nl", "Inkoop, verkoop; service"])
    parsed = parse_file("x.csv", buffer.getvalue().encode())
    assert parsed.delimiter == delimiter
    assert parsed.rows[0][1] == ["Jan", "Hof", "jan@x.nl", "Inkoop, verkoop; service"]


def test_title_rows_above_the_header_are_skipped_and_lines_keep_their_file_numbers() -> None:
    content = csv_file(
        "Personeelsoverzicht Bakkerij Jansen;;;",
        "Peildatum: 01-03-2024;;;",
        "",
        "Voornaam;Achternaam;E-mailadres;Functie",
        "Jan;Hof;jan@x.nl;Bakker",
        "",
        '"Eva";"de Vries";"eva@x.nl";"Verkoper; kassa"',
        'Piet;Jansen;piet@x.nl;"Eerste regel',
        'tweede regel"',
        "Kim;Bos;kim@x.nl;Bezorger",
    )
    parsed = parse_file("x.csv", content)
    assert parsed.header == ["Voornaam", "Achternaam", "E-mailadres", "Functie"]
    assert [line for line, _cells in parsed.rows] == [5, 7, 8, 10]
    assert parsed.rows[1][1][3] == "Verkoper; kassa"
    assert parsed.rows[2][1][3] == "Eerste regel\r\ntweede regel"


def test_an_excel_file_gives_real_dates_and_skips_its_title_row() -> None:
    content = xlsx_file(
        [
            ["Personeelslijst maart 2024"],
            [],
            ["Personeelsnr", "Roepnaam", "Achternaam", "E-mail", "In dienst", "Uit dienst"],
            [1001.0, "Jan", "van 't Hof", "jan@x.nl", dt.datetime(2021, 3, 1), None],
            ["0042", "Eva", "de Vries", "eva@x.nl", dt.date(2020, 1, 31), 45000],
        ]
    )
    parsed = parse_file("lijst.xlsx", content)
    assert parsed.kind == "xlsx"
    assert parsed.rows[0] == (4, ["1001", "Jan", "van 't Hof", "jan@x.nl", "2021-03-01"])
    assert parsed.rows[1][1][0] == "0042"
    assert parse_date(parsed.rows[1][1][4]) == dt.date(2020, 1, 31)
    # A date typed as a plain number in Excel is read as Excel's day number.
    assert parse_date(parsed.rows[1][1][5]) == dt.date(2023, 3, 15)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", b"", "leeg"),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("x.xlsx", b"PK\x03\x04 this is not a zip", "Excel"),
        ("x.xlsx", b"just text", "Excel"),
        ("x.csv", b"Voornaam;Achternaam;E-mail\r\n", "geen regels met mensen"),
        ("x.csv", "a\x00b;c".encode("utf-16-le"), "CSV"),
        ("x.csv", b"\x81\x8d\x8f\x90\x9d\xff\xfe", "letters in dit bestand"),
    ],
)
def test_unreadable_files_get_a_clear_message(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_file(name, content)
    assert message in str(caught.value)


def test_a_zip_that_is_not_a_workbook_gets_a_clear_message() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="Excel"):
        parse_file("x.xlsx", buffer.getvalue())


def test_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    lines = ["Voornaam;Achternaam;E-mail"] + [f"A;B;a{i}@x.nl" for i in range(5)]
    with pytest.raises(ImportFileError, match="meer dan 3"):
        parse_file("x.csv", csv_file(*lines))


@pytest.mark.parametrize(
    "text",
    [
        "01-03-2021",
        "1-3-2021",
        "2021-03-01",
        "01/03/2021",
        "1.3.2021",
        "01-03-21",
        "44256",
        "2021-03-01 00:00:00",
        "01-03-2021 08:30",
    ],
)
def test_dates_are_read_day_first_in_every_common_form(text: str) -> None:
    assert parse_date(text) == dt.date(2021, 3, 1)


@pytest.mark.parametrize(
    "text", ["31-02-2021", "13-13-2021", "morgen", "2021", "01-03-1850", "99999"]
)
def test_impossible_dates_are_not_read(text: str) -> None:
    assert parse_date(text) is None


def test_dutch_and_english_headers_are_recognised_whatever_their_case_or_punctuation() -> None:
    header = [
        "PERSONEELSNR.",
        "roepnaam",
        "Voornaam",
        "Tussenv.",
        "Achter naam",
        "E-mail adres",
        "afdeling",
        "Functie naam",
        "Datum in dienst",
        "Einddatum",
        "Leidinggevende",
        "Rollen",
    ]
    assert detect_mapping(header) == [
        "employee_number",
        "given_name",
        "",
        "infix",
        "family_name",
        "email",
        "team",
        "function_title",
        "start_date",
        "end_date",
        "manager",
        "",
    ]
    english = [
        "Employee ID",
        "First name",
        "Surname",
        "Email",
        "Department",
        "Job title",
        "Start date",
        "End date",
        "Manager",
        "Full name",
    ]
    assert detect_mapping(english) == [
        "employee_number",
        "given_name",
        "family_name",
        "email",
        "team",
        "function_title",
        "start_date",
        "end_date",
        "manager",
        "full_name",
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Jan van 't Hof", ("Jan", "van 't", "Hof")),
        ("Anna Maria de Vries", ("Anna Maria", "de", "Vries")),
        ("Hof, Jan van 't", ("Jan", "van 't", "Hof")),
        ("van den Berg, Els", ("Els", "van den", "Berg")),
        ("Piet  Jansen", ("Piet", "", "Jansen")),
        ("Cher", ("", "", "Cher")),
    ],
)
def test_a_full_name_is_split_into_dutch_name_parts(text: str, parts: tuple[str, str, str]) -> None:
    assert split_full_name(text) == parts


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["x.csv", "x.xlsx", "x.txt"]), content=st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_a_message(name: str, content: bytes) -> None:
    try:
        parsed = parse_file(name, content)
    except ImportFileError as error:
        assert str(error)
    else:
        assert parsed.rows and all(isinstance(c, str) for _l, cells in parsed.rows for c in cells)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=1000),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_text_in_any_supported_encoding_is_read_or_refused(text: str, encoding: str) -> None:
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        content = text.encode("utf-8")
    try:
        parse_file("x.csv", content)
    except ImportFileError as error:
        assert str(error)


GOOD_XLSX = xlsx_file(
    [
        ["Voornaam", "Achternaam", "E-mail", "In dienst"],
        ["Jan", "Hof", "jan@x.nl", dt.date(2021, 3, 1)],
    ]
)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_damaged_excel_file_is_read_or_refused_with_a_message(data: st.DataObject) -> None:
    content = bytearray(GOOD_XLSX)
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        position = data.draw(st.integers(min_value=0, max_value=len(content) - 1))
        content[position] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=4, max_value=len(content)))
    try:
        parsed = parse_file("x.xlsx", bytes(content[:cut]))
    except ImportFileError as error:
        assert str(error)
    else:
        assert all(isinstance(c, str) for _line, cells in parsed.rows for c in cells)


cell_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="\ufeff'"
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=20),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig"]),
)
def test_whatever_a_spreadsheet_writes_comes_back_cell_for_cell(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Voornaam", "Achternaam", "E-mail"])
    writer.writerows(rows)
    parsed = parse_file("x.csv", buffer.getvalue().encode(encoding))
    assert parsed.header == ["Voornaam", "Achternaam", "E-mail"]
    assert [cells for _line, cells in parsed.rows] == rows


# --- the pages: upload, preview, confirm -----------------------------------------------------


def test_the_admin_uploads_a_file_and_sees_the_preview_with_the_row_count(world: World) -> None:
    admin = as_user(world.a.admin)
    response = upload(admin, world, csv_file(*GOOD))
    batch = latest_batch(world)
    assert response.status_code == 302 and response.url == preview_url(world, batch)
    page = admin.get(preview_url(world, batch)).content.decode()
    assert "3 regels met mensen" in page
    assert "jan.hof@bakker.nl" in page
    assert 'name="action" value="confirm"' in page
    assert members_of_a(world).isdisjoint({"jan.hof@bakker.nl", "eva@bakker.nl"})


def test_a_file_of_another_kind_gets_a_clear_message(world: World) -> None:
    admin = as_user(world.a.admin)
    page = upload(admin, world, b"%PDF-1.4 ...", name="lijst.pdf").content.decode()
    assert "Upload een CSV-bestand (.csv) of een Excel-bestand (.xlsx)." in page
    page = upload(admin, world, b"\xd0\xcf\x11\xe0", name="lijst.xls").content.decode()
    assert "oud Excel-bestand" in page
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_size_limit_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gilde.people import forms_import

    monkeypatch.setattr(forms_import, "MAX_FILE_BYTES", 100)
    page = upload(as_user(world.a.admin), world, csv_file(*GOOD)).content.decode()
    assert "groter dan" in page
    assert not ImportBatch.objects.exists()


def test_one_bad_line_imports_nothing_and_the_report_names_the_line(world: World) -> None:
    admin = as_user(world.a.admin)
    lines = [*GOOD, "1004;Kim;;Bos;kim-at-bakker.nl;;Bezorger;01-03-2021"]
    upload(admin, world, csv_file(*lines))
    batch = latest_batch(world)
    page = admin.get(preview_url(world, batch)).content.decode()
    assert "1 regel kan niet worden geïmporteerd" in page
    assert '<th scope="row">5</th>' in page
    assert "“kim-at-bakker.nl” is geen geldig e-mailadres." in page
    assert 'value="confirm"' not in page  # nothing to confirm while a line is wrong

    before = (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    response = confirm(admin, world, batch)
    assert response.status_code == 200
    assert "Er is niets geïmporteerd." in response.content.decode()
    assert (
        Person.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.PENDING

    # The admin corrects the file and uploads it again.
    lines[-1] = lines[-1].replace("kim-at-bakker.nl", "kim@bakker.nl")
    upload(admin, world, csv_file(*lines))
    fixed = latest_batch(world)
    response = confirm(admin, world, fixed)
    assert response.status_code == 302
    assert {
        "jan.hof@bakker.nl",
        "eva@bakker.nl",
        "jose@bakker.nl",
        "kim@bakker.nl",
    } <= members_of_a(world)
    done = as_user(world.a.admin).get(preview_url(world, fixed)).content.decode()
    assert "De import is klaar" in done


def test_the_import_creates_people_memberships_and_the_learner_role(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD, encoding="cp1252"))
    confirm(admin, world, latest_batch(world))
    jan = Person.objects.get(email="jan.hof@bakker.nl")
    assert (jan.given_name, jan.infix, jan.family_name) == ("Jan", "van 't", "Hof")
    assert jan.sort_key == "hof jan van 't"
    assert not jan.has_usable_password()
    membership = Membership.objects.get(person=jan, organisation=world.a.org)
    assert membership.team == world.a.team
    assert membership.function_title == "Monteur"
    assert membership.employee_number == "1001"
    assert membership.start_date == dt.date(2021, 3, 1)
    assert list(membership.roles.values_list("role", flat=True)) == [Role.LEARNER]
    eva = Person.objects.get(email="eva@bakker.nl")
    assert (eva.infix, eva.family_name) == ("de", "Vries")
    jose = Membership.objects.get(person__email="jose@bakker.nl")
    assert jose.team is None and jose.person.family_name == "Müller"
    assert jose.start_date == dt.date(2023, 9, 1)


def test_an_imported_person_can_choose_a_password_with_forgot_password(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD))
    confirm(admin, world, latest_batch(world))
    mail.outbox.clear()
    Client().post(reverse("account_reset_password"), {"email": "eva@bakker.nl"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eva@bakker.nl"]


def test_the_import_leaves_one_audit_row_with_the_counts(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD))
    before = AuditEvent.objects.count()
    confirm(admin, world, latest_batch(world))
    events = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert [e.action for e in events] == ["people.import"]
    assert events[0].detail["created"] == 3
    assert events[0].organisation == world.a.org and events[0].actor == world.a.admin


def test_reimporting_the_same_file_updates_instead_of_duplicating(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD))
    confirm(admin, world, latest_batch(world))
    count = Membership.objects.count()

    upload(admin, world, csv_file(*GOOD))
    again = latest_batch(world)
    assert batch_check(batch=again, actor=world.a.admin).counts()["unchanged"] == 3
    confirm(admin, world, again)
    assert Membership.objects.count() == count

    changed = [
        HEADER,
        # Same employee number, new job title and a married name: matched on the number.
        "1001;Jan;;Hofman;jan.hof@bakker.nl;Werkplaats A;Chef werkplaats;01-03-2021",
        # No employee number in the file this time: matched on e-mail.
        ";Eva;;de Vries;eva@bakker.nl;;Planner;2021-04-15",
    ]
    upload(admin, world, csv_file(*changed))
    third = latest_batch(world)
    plan = batch_check(batch=third, actor=world.a.admin)
    assert plan.counts() | {"rows": 0} == {
        "rows": 0,
        "created": 0,
        "updated": 2,
        "unchanged": 0,
        "rejected": 0,
        "teams_created": 0,
    }
    confirm(admin, world, third)
    assert Membership.objects.count() == count
    jan = Membership.objects.select_related("person").get(employee_number="1001")
    assert jan.function_title == "Chef werkplaats"
    assert (jan.person.infix, jan.person.family_name) == ("", "Hofman")
    assert jan.person.sort_key.startswith("hofman")
    eva = Membership.objects.get(person__email="eva@bakker.nl")
    assert eva.team is None and eva.employee_number == "1002"


def test_an_employee_number_with_another_e_mail_address_is_rejected(world: World) -> None:
    world.a.learner_membership.employee_number = "777"
    world.a.learner_membership.save(update_fields=["employee_number"])
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(HEADER, "777;Lotte;;Anders;lotte.nieuw@x.nl;;;"))
    page = admin.get(preview_url(world, latest_batch(world))).content.decode()
    assert "Personeelsnummer 777 hoort bij" in page
    assert "Wijzig eerst het e-mailadres op de pagina van die persoon" in page


def test_duplicate_e_mail_addresses_are_rejected_on_every_line(world: World) -> None:
    admin = as_user(world.a.admin)
    lines = [*GOOD, "1004;Janneke;;Hof;JAN.HOF@bakker.nl;;;"]
    upload(admin, world, csv_file(*lines))
    plan = batch_check(batch=latest_batch(world), actor=world.a.admin)
    rejected = {r.line: r.reasons for r in plan.rejected}
    assert set(rejected) == {2, 5}
    assert "ook op regel 5" in rejected[2][0] and "ook op regel 2" in rejected[5][0]


def test_unknown_teams_are_rejected_unless_the_admin_chooses_to_create_them(world: World) -> None:
    admin = as_user(world.a.admin)
    lines = [HEADER, "1;Jan;;Hof;jan@x.nl;Kantoor;;", "2;Eva;;Bos;eva@x.nl;kantoor ;;"]
    upload(admin, world, csv_file(*lines))
    batch = latest_batch(world)
    page = admin.get(preview_url(world, batch)).content.decode()
    assert "Team “Kantoor” bestaat niet." in page

    form = {f"column_{i}": m for i, m in enumerate(batch.mapping)}
    response = admin.post(
        preview_url(world, batch), {**form, "action": "remap", "create_teams": "on"}
    )
    assert response.status_code == 302
    page = admin.get(preview_url(world, batch)).content.decode()
    assert "Deze teams worden aangemaakt: Kantoor" in page
    confirm(admin, world, batch)
    team = Team.objects.get(organisation=world.a.org, name="Kantoor")
    assert set(team.memberships.values_list("person__email", flat=True)) == {"jan@x.nl", "eva@x.nl"}


def test_bad_dates_and_an_end_before_the_start_are_rejected(world: World) -> None:
    lines = [
        "Voornaam;Achternaam;E-mail;In dienst;Uit dienst",
        "Jan;Hof;jan@x.nl;31-02-2021;",
        "Eva;Bos;eva@x.nl;01-03-2021;01-02-2021",
        "Kim;Bos;kim@x.nl;morgen;",
    ]
    batch = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="x.csv", content=csv_file(*lines)
    )
    plan = batch_check(batch=batch, actor=world.a.admin)
    reasons = {r.line: " ".join(r.reasons) for r in plan.rejected}
    assert "“31-02-2021” is geen datum die we kunnen lezen" in reasons[2]
    assert "De einddatum ligt vóór de startdatum." in reasons[3]
    assert "“morgen” is geen datum" in reasons[4]
    with pytest.raises(ImportRejected) as caught:
        batch_apply(actor=world.a.admin, batch=batch)
    assert len(caught.value.plan.rejected) == 3
    assert not Person.objects.filter(email__in=["jan@x.nl", "eva@x.nl", "kim@x.nl"]).exists()


def test_managers_are_found_by_e_mail_employee_number_or_name(world: World) -> None:
    lines = [
        "Personeelsnummer;Naam;E-mail;Leidinggevende",
        "10;Bea van der Berg;bea@x.nl;manager-a@example.org",
        "11;Jan van 't Hof;jan@x.nl;10",
        "12;Eva Bos;eva@x.nl;Hof, Jan van 't",
        "13;Kim Bos;kim@x.nl;Mark de LeiderA",
        "14;Tom Wit;tom@x.nl;Onbekend Persoon",
        "15;Ria Rood;ria@x.nl;ria@x.nl",
        "16;Olaf Oud;olaf@x.nl;admin-b@example.org",
    ]
    batch = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="x.csv", content=csv_file(*lines)
    )
    plan = batch_check(batch=batch, actor=world.a.admin)
    reasons = {r.line: r.reasons for r in plan.rejected}
    assert reasons == {
        6: ["Leidinggevende “Onbekend Persoon” staat niet in dit bestand en werkt hier niet."],
        7: ["Iemand kan niet zijn eigen leidinggevende zijn."],
        # Someone of another organisation is not found: nothing about them is revealed.
        8: ["Leidinggevende “admin-b@example.org” staat niet in dit bestand en werkt hier niet."],
    }
    batch.rows = batch.rows[:4]
    batch.save(update_fields=["rows"])
    batch_apply(actor=world.a.admin, batch=batch)
    managers = dict(
        Membership.objects.filter(
            organisation=world.a.org, employee_number__in=["10", "11", "12", "13"]
        ).values_list("employee_number", "manager__email")
    )
    assert managers == {
        "10": "manager-a@example.org",
        "11": "bea@x.nl",
        "12": "jan@x.nl",
        "13": "manager-a@example.org",
    }


def test_a_person_of_another_organisation_is_added_without_revealing_anything(world: World) -> None:
    admin = as_user(world.a.admin)
    outsider = world.b.learner
    lines = ["Voornaam;Achternaam;E-mail", f"Lotje;Anders;{outsider.email}"]
    upload(admin, world, csv_file(*lines))
    batch = latest_batch(world)
    page = admin.get(preview_url(world, batch)).content.decode()
    assert world.b.org.name not in page
    plan = batch_check(batch=batch, actor=world.a.admin)
    assert plan.counts()["created"] == 1  # the same as for a brand-new person
    confirm(admin, world, batch)
    outsider.refresh_from_db()
    # One account for life: the same person, now in both organisations, and their name is theirs.
    assert set(outsider.memberships.values_list("organisation__slug", flat=True)) == {
        world.a.org.slug,
        world.b.org.slug,
    }
    assert outsider.family_name == "LeerlingB"
    assert outsider.has_usable_password()


def test_the_admin_cannot_end_their_own_membership_by_import(world: World) -> None:
    lines = [
        "Voornaam;Achternaam;E-mail;Uit dienst",
        f"Anne;BeheerA;{world.a.admin.email};01-01-2030",
    ]
    batch = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="x.csv", content=csv_file(*lines)
    )
    plan = batch_check(batch=batch, actor=world.a.admin)
    assert plan.rejected[0].reasons == ["Je kunt je eigen lidmaatschap niet beëindigen."]


def test_changing_the_columns_checks_every_line_again(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD))
    batch = latest_batch(world)
    form = {f"column_{i}": m for i, m in enumerate(batch.mapping)}
    # Import the e-mail column as nothing: the page asks for it.
    response = admin.post(preview_url(world, batch), {**form, "column_4": "", "action": "remap"})
    assert response.status_code == 302
    page = admin.get(preview_url(world, batch)).content.decode()
    assert "Kies de kolom met het e-mailadres." in page
    assert 'value="confirm"' not in page
    # Two columns as the same field: the form says so and nothing is stored.
    revision = ImportBatch.objects.get(pk=batch.pk).revision
    page = admin.post(
        preview_url(world, batch), {**form, "column_6": "team", "action": "remap"}
    ).content.decode()
    assert "is al gekozen voor kolom 6" in page
    assert ImportBatch.objects.get(pk=batch.pk).revision == revision


def test_an_outdated_preview_cannot_be_confirmed(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD))
    batch = latest_batch(world)
    response = admin.post(preview_url(world, batch), {"action": "confirm", "revision": "0"})
    assert response.status_code == 302
    assert "eva@bakker.nl" not in members_of_a(world)


def test_confirming_twice_imports_once(world: World) -> None:
    admin = as_user(world.a.admin)
    upload(admin, world, csv_file(*GOOD))
    batch = latest_batch(world)
    confirm(admin, world, batch)
    count = Membership.objects.count()
    response = admin.post(preview_url(world, batch), {"action": "confirm", "revision": "2"})
    assert response.status_code == 302
    assert Membership.objects.count() == count
    batch.refresh_from_db()
    assert batch.rows == [] and batch.result["created"] == 3


def test_an_excel_file_imports_with_its_dates(world: World) -> None:
    admin = as_user(world.a.admin)
    content = xlsx_file(
        [
            ["Medewerkers"],
            ["Personeelsnummer", "Volledige naam", "E-mail", "Datum in dienst"],
            [501, "Jan van 't Hof", "jan@x.nl", dt.datetime(2019, 12, 1)],
        ]
    )
    upload(admin, world, content, name="export.xlsx")
    confirm(admin, world, latest_batch(world))
    membership = Membership.objects.select_related("person").get(person__email="jan@x.nl")
    assert membership.start_date == dt.date(2019, 12, 1)
    assert membership.employee_number == "501"
    assert membership.person.infix == "van 't"


def test_an_import_of_many_rows_runs_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    lines = ["Personeelsnummer;Voornaam;Achternaam;E-mail;Afdeling;Leidinggevende"]
    lines += [
        f"{i};Voor{i};Achter{i};p{i}@x.nl;Team {i % 7};{i - 1 if i > 1 else ''}"
        for i in range(1, 400)
    ]
    batch = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="x.csv", content=csv_file(*lines)
    )
    batch.create_teams = True
    batch.save(update_fields=["create_teams"])
    # Rows are written in bulk: the queries grow with batches of rows (SQLite caps how many
    # values one INSERT may hold), never with every row.
    with django_assert_max_num_queries(40):
        counts = batch_apply(actor=world.a.admin, batch=batch)
    assert counts["created"] == 399 and counts["teams_created"] == 7
    imported = Membership.objects.filter(organisation=world.a.org, person__email__endswith="@x.nl")
    assert imported.filter(manager__isnull=False).count() == 398


# --- who may see these pages -----------------------------------------------------------------


def _import_urls(world: World, batch: ImportBatch) -> list[str]:
    slug = world.a.org.slug
    return [
        reverse("people:import", args=[slug]),
        reverse("people:import-preview", args=[slug, batch.uuid]),
        reverse("people:export", args=[slug, "csv"]),
        reverse("people:export", args=[slug, "xlsx"]),
    ]


@pytest.mark.parametrize("persona", ["outsider_admin", "learner", "manager"])
def test_only_the_organisations_admin_reaches_import_and_export(world: World, persona: str) -> None:
    batch = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="x.csv", content=csv_file(*GOOD)
    )
    person = {
        "outsider_admin": world.b.admin,
        "learner": world.a.learner,
        "manager": world.a.manager,
    }[persona]
    client = as_user(person)
    for url in _import_urls(world, batch):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"action": "confirm", "revision": "1"}).status_code in (404, 405), (
            url
        )
    assert "eva@bakker.nl" not in members_of_a(world)


def test_a_forged_or_foreign_batch_gives_404(world: World) -> None:
    foreign = batch_create(
        actor=world.b.admin, organisation=world.b.org, filename="x.csv", content=csv_file(*GOOD)
    )
    admin = as_user(world.a.admin)
    for batch_uuid in (uuid.uuid4(), foreign.uuid):
        url = reverse("people:import-preview", args=[world.a.org.slug, batch_uuid])
        assert admin.get(url).status_code == 404
        assert admin.post(url, {"action": "confirm", "revision": "1"}).status_code == 404
    assert not Membership.objects.filter(person__email="eva@bakker.nl").exists()


def test_old_unconfirmed_uploads_are_removed(world: World) -> None:
    old = batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="x.csv", content=csv_file(*GOOD)
    )
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    batch_create(
        actor=world.a.admin, organisation=world.a.org, filename="y.csv", content=csv_file(*GOOD)
    )
    assert not ImportBatch.objects.filter(pk=old.pk).exists()
