"""Exporting an organisation's current people to CSV or XLSX, in a form the import reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation

from gilde.audit.services import audit_record
from gilde.tenancy.access import memberships_visible_to
from gilde.tenancy.models import MembershipRole, Organisation

# The column names are part of the file format (HR systems and our own import read them), so
# they are fixed Dutch words and not translated with the interface.
EXPORT_HEADER = [
    "Personeelsnummer",
    "Voornaam",
    "Tussenvoegsel",
    "Achternaam",
    "E-mail",
    "Afdeling",
    "Functie",
    "Datum in dienst",
    "Uit dienst",
    "Leidinggevende e-mail",
    "Rollen",
]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    rows: int


def export_rows(*, actor: Any, organisation: Organisation) -> list[list[Any]]:
    """One row per current member, sorted the Dutch way; dates stay dates. Three queries,
    however many people."""
    today = timezone.localdate()
    members = (
        memberships_visible_to(actor, organisation)
        .filter(Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "team", "manager")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("person__sort_key", "pk")
    )
    rows: list[list[Any]] = []
    # Role names in the same language as the column names.
    with translation.override("nl"):
        for m in members:
            person = m.person
            rows.append(
                [
                    m.employee_number,
                    person.given_name,
                    person.infix,
                    person.family_name,
                    person.email,
                    m.team.name if m.team else "",
                    m.function_title,
                    m.start_date,
                    m.end_date,
                    m.manager.email if m.manager else "",
                    ", ".join(str(r.get_role_display()) for r in m.roles.all()),
                ]
            )
    return rows


def _guarded(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(rows: list[list[Any]]) -> bytes:
    """Semicolons and a byte order mark: what Excel with Dutch settings opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d-%m-%Y")
                if isinstance(value, dt.date)
                else _guarded(str(value or ""))
                for value in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Medewerkers")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in EXPORT_HEADER:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, dt.date):
                # A spreadsheet date is a date-time; midnight shown as a date.
                cell = WriteOnlyCell(sheet, value=dt.datetime.combine(value, dt.time()))
                cell.number_format = "DD-MM-YYYY"
            else:
                cell = WriteOnlyCell(sheet, value=str(value or ""))
                # Text stays text: a name starting with "=" must not become a formula.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def people_export(*, actor: Any, organisation: Organisation, fmt: str) -> ExportFile:
    """The organisation's current people as a file, and an audit row saying who took it."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    rows = export_rows(actor=actor, organisation=organisation)
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    audit_record(
        actor=actor, action="people.export", organisation=organisation, format=fmt, rows=len(rows)
    )
    day = timezone.localdate().isoformat()
    return ExportFile(
        content=content,
        content_type=FORMATS[fmt],
        filename=f"{organisation.slug}-mensen-{day}.{fmt}",
        rows=len(rows),
    )
