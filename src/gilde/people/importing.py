"""Importing people from HR exports (CSV and XLSX) into one organisation.

Four plain steps, each usable on its own (the benchmark times them separately):

1. parse  — bytes of an uploaded file to a header and rows of text cells (`parse_file`);
2. map    — which column holds which field, guessed from the header (`detect_mapping`);
3. check  — every row gets a verdict: create, update, unchanged or rejected with reasons
            (`check_rows`); nothing is written;
4. apply  — all or nothing: if any row is rejected nothing is written, otherwise one transaction
            writes everything in bulk and leaves one audit row (`batch_apply`).

Between upload and confirmation the parsed rows live in an ImportBatch, so the preview and the
confirmation need no second upload.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import secrets
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gilde.audit.services import audit_record
from gilde.people.models import ImportBatch, ImportBatchStatus, Person
from gilde.people.names import TUSSENVOEGSELS, full_name, sort_name, split_family_name
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import (
    Membership,
    MembershipKind,
    MembershipRole,
    Organisation,
    Role,
    Team,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip archive; its unpacked size is checked before openpyxl reads it.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
# The header row is looked for among the first rows that are not empty (title rows above it).
HEADER_SEARCH_ROWS = 10
# Unconfirmed uploads hold personal data; they are removed after this time.
PENDING_BATCH_LIFETIME = dt.timedelta(days=1)
# Rows per query for bulk writes and IN lookups (well inside SQLite's and PostgreSQL's limits).
CHUNK = 500


class PeopleImportError(ValueError):
    """The import cannot go on; the message is fit to show to the user."""


class ImportFileError(PeopleImportError):
    """The uploaded file cannot be read."""


class ImportRejected(PeopleImportError):
    """At least one row was rejected, so nothing was imported. Carries the full report."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(
            ngettext(
                "%(count)d line cannot be imported. Nothing has been imported.",
                "%(count)d lines cannot be imported. Nothing has been imported.",
                len(plan.rejected),
            )
            % {"count": len(plan.rejected)}
            if plan.rejected
            else _("Choose the columns first. Nothing has been imported.")
        )
        self.plan = plan


class ImportField(models.TextChoices):
    """What a column of an HR file can hold."""

    EMPLOYEE_NUMBER = "employee_number", gettext_lazy("Employee number")
    GIVEN_NAME = "given_name", gettext_lazy("First name")
    INFIX = "infix", gettext_lazy("Tussenvoegsel")
    FAMILY_NAME = "family_name", gettext_lazy("Last name")
    FULL_NAME = "full_name", gettext_lazy("Full name")
    EMAIL = "email", gettext_lazy("E-mail address")
    TEAM = "team", gettext_lazy("Team or department")
    FUNCTION_TITLE = "function_title", gettext_lazy("Job title")
    START_DATE = "start_date", gettext_lazy("Start date")
    END_DATE = "end_date", gettext_lazy("End date")
    MANAGER = "manager", gettext_lazy("Manager")


F = ImportField

# Column names as HR systems and spreadsheets write them, best first: when two columns match the
# same field ("Roepnaam" and "Voornaam"), the one listed first wins. They are compared after
# `header_key`, so case, spaces, dots and hyphens do not matter.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    F.EMPLOYEE_NUMBER: (
        "Personeelsnummer",
        "Personeelsnr",
        "Pers.nr",
        "Personeelsno",
        "Medewerkernummer",
        "Medewerkersnummer",
        "Registratienummer",
        "Employee number",
        "Employee ID",
        "Employee no",
        "Employee nr",
        "Staff number",
        "Staff ID",
        "Emp ID",
        "Payroll number",
    ),
    F.GIVEN_NAME: ("Roepnaam", "Voornaam", "First name", "Given name", "Forename", "Voornamen"),
    F.INFIX: (
        "Tussenvoegsel",
        "Tussenvoegsels",
        "Tussenv",
        "Voorvoegsel",
        "Voorvoegsels",
        "Infix",
        "Name prefix",
        "Surname prefix",
    ),
    F.FAMILY_NAME: (
        "Achternaam",
        "Geslachtsnaam",
        "Familienaam",
        "Last name",
        "Surname",
        "Family name",
    ),
    F.FULL_NAME: (
        "Volledige naam",
        "Naam",
        "Naam medewerker",
        "Medewerker",
        "Full name",
        "Name",
        "Employee name",
        "Employee",
    ),
    F.EMAIL: (
        "E-mail",
        "E-mailadres",
        "E-mail adres",
        "Email adres",
        "E-mail werk",
        "Werk e-mail",
        "Zakelijk e-mailadres",
        "Zakelijke e-mail",
        "E-mail zakelijk",
        "Mail",
        "Mailadres",
        "Email address",
        "E-mail address",
        "Work e-mail",
        "Work email address",
        "Business e-mail",
    ),
    F.TEAM: ("Afdeling", "Team", "Afdelingsnaam", "Teamnaam", "Department", "Dept"),
    F.FUNCTION_TITLE: (
        "Functie",
        "Functienaam",
        "Functietitel",
        "Functieomschrijving",
        "Job title",
        "Job",
        "Function",
        "Position",
        "Title",
    ),
    F.START_DATE: (
        "Datum in dienst",
        "In dienst",
        "Indienstdatum",
        "In dienst per",
        "Datum indiensttreding",
        "Startdatum",
        "Begindatum",
        "Start date",
        "Hire date",
        "Date of hire",
        "Employment start",
        "Date started",
    ),
    F.END_DATE: (
        "Uit dienst",
        "Datum uit dienst",
        "Uitdienstdatum",
        "Uit dienst per",
        "Datum uitdiensttreding",
        "Einddatum",
        "End date",
        "Termination date",
        "Leave date",
        "Leaving date",
        "Date left",
    ),
    F.MANAGER: (
        "Leidinggevende",
        "Leidinggevende e-mail",
        "E-mail leidinggevende",
        "Leidinggevende naam",
        "Naam leidinggevende",
        "Manager",
        "Manager e-mail",
        "Manager email",
        "Manager name",
        "Line manager",
        "Direct manager",
        "Reports to",
    ),
}

MAX_LENGTHS: dict[str, int] = {
    F.EMPLOYEE_NUMBER: 50,
    F.GIVEN_NAME: 100,
    F.INFIX: 30,
    F.FAMILY_NAME: 150,
    F.EMAIL: 254,
    F.TEAM: 200,
    F.FUNCTION_TITLE: 200,
}


def _fold(text: str) -> str:
    """Case- and accent-free form of a text, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def header_key(text: str) -> str:
    """Column names compared loosely: "E-mailadres", "e-mail adres" and "EMAILADRES" match."""
    return "".join(c for c in _fold(text) if c.isalnum())


_ALIAS_INDEX: dict[str, tuple[str, int]] = {}
for _field, _aliases in HEADER_ALIASES.items():
    for _priority, _alias in enumerate(_aliases):
        _ALIAS_INDEX.setdefault(header_key(_alias), (str(_field), _priority))
# Plain "E-mail" and "Email" normalise to the same key; keep the spelling the exports use.
_ALIAS_INDEX.setdefault("email", (str(F.EMAIL), 0))


def known_headers() -> dict[str, tuple[str, ...]]:
    """For the upload page: the column names recognised per field."""
    return {str(label): HEADER_ALIASES[value][:6] for value, label in ImportField.choices}


# --- 1. parse -----------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    kind: str  # "csv" or "xlsx"
    header: list[str]
    # (line number in the file, cells); empty lines are left out.
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""


_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@])")


def _clean_cell(value: str) -> str:
    # Exports (ours included) put an apostrophe before a leading =, +, - or @ so that a
    # spreadsheet does not run the cell as a formula; it is not part of the value.
    return _FORMULA_GUARD.sub("", value.replace("\ufeff", "").strip())


def _trimmed(cells: Iterable[str]) -> list[str]:
    cleaned = [_clean_cell(c) for c in cells]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s lines with people. Split it into smaller files.")
        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _too_many_columns(line: int) -> ImportFileError:
    return ImportFileError(
        _("Line %(line)d has more than %(max)d columns. Remove the columns you do not need.")
        % {"line": line, "max": MAX_COLUMNS}
    )


def decode_text(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-16 with a byte order mark (Excel's
    "Unicode text"), UTF-8 with or without a byte order mark, or else Windows-1252 (older Excel
    on Windows)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError(
                _("We cannot read the letters in this file. Save it as “CSV UTF-8” and try again.")
            ) from None
    else:
        try:
            text, encoding = content.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = content.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                raise ImportFileError(
                    _(
                        "We cannot read the letters in this file. Save it as “CSV UTF-8” and "
                        "try again."
                    )
                ) from None
    if "\x00" in text:
        raise ImportFileError(
            _("This does not look like a CSV file. Upload a CSV file or an Excel file (.xlsx).")
        )
    return text, encoding


def _csv_records(
    text: str, delimiter: str, *, limit: int | None = None
) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for cells in reader:
            line = next_line
            next_line = reader.line_num + 1
            cleaned = _trimmed(cells)
            if not cleaned or not any(cleaned):
                continue
            if len(cleaned) > MAX_COLUMNS:
                raise _too_many_columns(line)
            records.append((line, cleaned))
            if limit is not None and len(records) >= limit:
                break
            if len(records) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
    except csv.Error:
        raise ImportFileError(
            _('Line %(line)d of the file cannot be read. Check the quotes (") on that line.')
            % {"line": next_line}
        ) from None
    return records


def _header_score(cells: Sequence[str]) -> int:
    return len({_ALIAS_INDEX[k][0] for c in cells if (k := header_key(c)) in _ALIAS_INDEX})


def _locate_header(records: Sequence[tuple[int, list[str]]]) -> tuple[int, int]:
    """(position of the header among the records, how many known column names it has). Title rows
    above the header are passed over. Without any known name, the widest of the first rows is the
    header and the admin chooses the columns by hand."""
    head = records[:HEADER_SEARCH_ROWS]
    best, best_score = -1, 0
    for position, (_line, cells) in enumerate(head):
        score = _header_score(cells)
        if score > best_score:
            best, best_score = position, score
    if best >= 0:
        return best, best_score
    widths = [sum(1 for c in cells if c) for _line, cells in head]
    return widths.index(max(widths)), 0


def _split_at_header(
    kind: str, records: list[tuple[int, list[str]]], header_at: int, **extra: str
) -> ParsedFile:
    if not records:
        raise ImportFileError(_("The file is empty."))
    header = records[header_at][1]
    rows = records[header_at + 1 :]
    if not rows:
        raise ImportFileError(_("We found the column names, but no lines with people below them."))
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    width = max(len(header), *(len(cells) for _line, cells in rows))
    header = header + [""] * (width - len(header))
    return ParsedFile(kind=kind, header=header, rows=rows, **extra)


def parse_csv(content: bytes) -> ParsedFile:
    text, encoding = decode_text(content)
    # Choose the delimiter by what makes the best header in the first part of the file.
    sample = text[: 64 * 1024]
    best: tuple[int, int, int] | None = None
    delimiter = ";"
    for rank, candidate in enumerate((";", ",", "\t")):
        try:
            records = _csv_records(sample, candidate, limit=HEADER_SEARCH_ROWS + 1)
        except ImportFileError:
            continue
        if not records:
            continue
        position, score = _locate_header(records)
        width = len(records[position][1])
        key = (score, width, -rank)
        if best is None or key > best:
            best, delimiter = key, candidate
    if best is None and not text.strip():
        raise ImportFileError(_("The file is empty."))
    records = _csv_records(text, delimiter)
    if not records:
        raise ImportFileError(_("The file is empty."))
    header_at, _score = _locate_header(records)
    return _split_at_header("csv", records, header_at, encoding=encoding, delimiter=delimiter)


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_records(sheet: Any) -> list[tuple[int, list[str]]]:
    records: list[tuple[int, list[str]]] = []
    # Spreadsheet programs do not always write the sheet's size correctly; forget it and read
    # every row as it is, without padding.
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not values:
            continue
        cells = _trimmed(_xlsx_text(v) for v in values[: MAX_COLUMNS + 1])
        if not cells or not any(cells):
            continue
        if len(cells) > MAX_COLUMNS:
            raise _too_many_columns(number)
        records.append((number, cells))
        if len(records) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows()
    return records


def parse_xlsx(content: bytes) -> ParsedFile:
    import openpyxl

    unreadable = ImportFileError(
        _("We cannot open this Excel file. Save it again as .xlsx (or as CSV) and upload that.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise unreadable from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(_("This Excel file is too large. Split it into smaller files."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for broken files
        raise unreadable from None
    try:
        sheets = [workbook.active, *(s for s in workbook.worksheets if s is not workbook.active)]
        found: tuple[int, list[tuple[int, list[str]]], int] | None = None
        for sheet in sheets:
            if sheet is None or not hasattr(sheet, "iter_rows"):
                continue
            try:
                records = _xlsx_records(sheet)
            except PeopleImportError:
                raise
            except Exception:  # a broken sheet inside a valid archive
                raise unreadable from None
            if not records:
                continue
            position, score = _locate_header(records)
            if found is None or score > found[0]:
                found = (score, records, position)
            if score:
                break
    finally:
        workbook.close()
    if found is None:
        raise ImportFileError(_("The Excel file has no filled-in cells."))
    _score, records, position = found
    return _split_at_header("xlsx", records, position)


def parse_file(filename: str, content: bytes) -> ParsedFile:
    """Read an uploaded HR file. Raises ImportFileError with a message for the user; never
    anything else, whatever the bytes."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(max)d MB. Split it or remove columns you do not need.")
            % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content.startswith(b"PK\x03\x04"):
        return parse_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Save it in Excel as .xlsx or as CSV and upload that."
            )
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            _("We cannot open this Excel file. Save it again as .xlsx (or as CSV) and upload that.")
        )
    return parse_csv(content)


# --- 2. map -------------------------------------------------------------------------------------


def detect_mapping(header: Sequence[str]) -> list[str]:
    """One import field (or "" for "do not import") per column, guessed from the column names."""
    mapping = [""] * len(header)
    taken: dict[str, tuple[int, int]] = {}
    for column, title in enumerate(header):
        hit = _ALIAS_INDEX.get(header_key(title))
        if hit is None:
            continue
        name, priority = hit
        if name in taken:
            if priority >= taken[name][0]:
                continue
            mapping[taken[name][1]] = ""
        taken[name] = (priority, column)
        mapping[column] = name
    return mapping


def mapping_problems(mapping: Sequence[str]) -> list[str]:
    chosen = [m for m in mapping if m]
    problems: list[str] = []
    if F.EMAIL not in chosen:
        problems.append(_("Choose the column with the e-mail address."))
    has_full = F.FULL_NAME in chosen
    if not has_full and not (F.GIVEN_NAME in chosen and F.FAMILY_NAME in chosen):
        problems.append(
            _("Choose the columns with the first and last name, or one column with the full name.")
        )
    for name in sorted({m for m in chosen if chosen.count(m) > 1}):
        problems.append(
            _("“%(field)s” is chosen for more than one column.")
            % {"field": ImportField(name).label}
        )
    unknown = [m for m in chosen if m not in ImportField.values]
    if unknown:
        problems.append(_("Some columns have a choice that does not exist."))
    return problems


# --- 3. check -----------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: str, *, today: dt.date | None = None) -> dt.date | None:
    """A date as HR files write it: 31-12-2024, 1-3-2021, 31/12/2024, 31.12.2024, 2024-12-31,
    31-12-24, or an Excel day number (45000). Day before month, as in the Netherlands.
    None when it is not a date we can read."""
    text = value.strip()
    year: int
    if match := _YMD.match(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DMY.match(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if len(match[3]) == 2:
            # Two-digit years: up to ten years ahead is this century, the rest the previous one.
            this_year = (today or timezone.localdate()).year
            year += 2000 if 2000 + year <= this_year + 10 else 1900
    elif _EXCEL_SERIAL.match(text):
        day_number = _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
        return day_number if 1900 <= day_number.year <= 2100 else None
    else:
        return None
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_TUSSENVOEGSEL_SET = frozenset(TUSSENVOEGSELS)


def split_full_name(value: str) -> tuple[str, str, str]:
    """("Jan", "van 't", "Hof") from "Jan van 't Hof" and from "Hof, Jan van 't"."""
    text = " ".join(value.split())
    if "," in text:
        family_part, _sep, given_part = (p.strip() for p in text.partition(","))
        tokens = given_part.split()
        for i in range(1, len(tokens)):
            tail = " ".join(tokens[i:])
            if tail.lower() in _TUSSENVOEGSEL_SET:
                return " ".join(tokens[:i]), tail.lower(), family_part
        infix, family = split_family_name(family_part)
        return given_part, infix, family
    tokens = text.split()
    if len(tokens) < 2:
        return "", "", text
    for i in range(1, len(tokens) - 1):
        infix, family = split_family_name(" ".join(tokens[i:]))
        if infix:
            return " ".join(tokens[:i]), infix, family
    return " ".join(tokens[:-1]), "", tokens[-1]


def _name_key(text: str) -> str:
    return " ".join(_fold(text).replace(",", " , ").split())


def _name_keys(given: str, infix: str, family: str) -> set[str]:
    """The ways a file may write someone's name in a manager column."""
    return {
        _name_key(full_name(given, infix, family)),
        _name_key(f"{family}, {given} {infix}"),
        _name_key(f"{infix} {family}, {given}"),
        _name_key(f"{full_name('', infix, family)} {given}"),
    }


CREATE, UPDATE, UNCHANGED, REJECT = "create", "update", "unchanged", "reject"


@dataclass(slots=True)
class Existing:
    """A membership of the organisation as the check needs it (read with one query)."""

    membership_id: int
    person_id: int
    email: str
    given_name: str
    infix: str
    family_name: str
    employee_number: str
    team_id: int | None
    manager_id: int | None
    function_title: str
    start_date: dt.date
    end_date: dt.date | None

    def is_current_or_future(self, today: dt.date) -> bool:
        return self.end_date is None or self.end_date >= today


# A manager is either another row of the file or a person who already works here.
ManagerRef = tuple[str, int]


@dataclass(slots=True)
class RowCheck:
    line: int
    cells: list[str]
    action: str = CREATE
    reasons: list[str] = field(default_factory=list)
    email: str = ""
    given_name: str = ""
    infix: str = ""
    family_name: str = ""
    employee_number: str = ""
    team: str = ""
    function_title: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    manager_text: str = ""
    manager: ManagerRef | None = None
    existing: Existing | None = None
    # A person known from an earlier, ended membership here (coming back to work).
    person_id: int | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return full_name(self.given_name, self.infix, self.family_name)

    @property
    def values(self) -> str:
        return " · ".join(c for c in self.cells if c)


@dataclass
class ImportPlan:
    total: int
    rows: list[RowCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Teams that do not exist yet, as first written in the file.
    new_teams: list[str] = field(default_factory=list)
    create_teams: bool = False
    team_ids: dict[str, int] = field(default_factory=dict)

    def _with(self, action: str) -> list[RowCheck]:
        return [r for r in self.rows if r.action == action]

    @property
    def created(self) -> list[RowCheck]:
        return self._with(CREATE)

    @property
    def updated(self) -> list[RowCheck]:
        return self._with(UPDATE)

    @property
    def unchanged(self) -> list[RowCheck]:
        return self._with(UNCHANGED)

    @property
    def rejected(self) -> list[RowCheck]:
        return self._with(REJECT)

    @property
    def can_apply(self) -> bool:
        return not self.problems and not self.rejected

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.total,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected),
            "teams_created": len(self.new_teams) if self.create_teams else 0,
        }


def _team_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass
class _Organisation:
    """What the check needs to know about the organisation, in a fixed number of queries."""

    by_email: dict[str, Existing]
    by_number: dict[str, Existing]
    current_by_email: dict[str, Existing]
    current_by_number: dict[str, Existing]
    # People who also work at another organisation now: their name is theirs to change.
    shared: set[int]
    teams: dict[str, int]
    _by_name: dict[str, set[int]] | None = None

    def current_people_named(self, key: str) -> set[int]:
        """Person ids of current members whose name matches (built on first use: only when
        the file names a manager by name)."""
        if self._by_name is None:
            self._by_name = defaultdict(set)
            for m in self.current_by_email.values():
                for name in _name_keys(m.given_name, m.infix, m.family_name):
                    self._by_name[name].add(m.person_id)
        return self._by_name.get(key, set())

    @classmethod
    def load(cls, organisation: Organisation, today: dt.date) -> _Organisation:
        members = [
            Existing(*values)
            for values in Membership.objects.filter(organisation=organisation)
            .order_by("start_date", "pk")
            .values_list(
                "pk",
                "person_id",
                "person__email",
                "person__given_name",
                "person__infix",
                "person__family_name",
                "employee_number",
                "team_id",
                "manager_id",
                "function_title",
                "start_date",
                "end_date",
            )
        ]
        by_email: dict[str, Existing] = {}
        by_number: dict[str, Existing] = {}
        current_by_email: dict[str, Existing] = {}
        current_by_number: dict[str, Existing] = {}
        # Later memberships (ordered by start) overwrite earlier ones; a current one wins.
        for m in members:
            current = m.is_current_or_future(today)
            for index, key in ((by_email, m.email), (by_number, m.employee_number)):
                if not key:
                    continue
                held = index.get(key)
                if held is None or current or not held.is_current_or_future(today):
                    index[key] = m
            if current:
                current_by_email[m.email] = m
                if m.employee_number:
                    current_by_number.setdefault(m.employee_number, m)
        shared = set(
            Membership.objects.current(today)
            .filter(person__memberships__organisation=organisation)
            .exclude(organisation=organisation)
            .values_list("person_id", flat=True)
            .distinct()
        )
        teams = {
            _team_key(name): pk
            for pk, name in Team.objects.filter(organisation=organisation).values_list("pk", "name")
        }
        return cls(by_email, by_number, current_by_email, current_by_number, shared, teams)


def _read_row(line: int, cells: list[str], columns: dict[str, int]) -> RowCheck:
    """Everything that can be said about one row on its own."""
    row = RowCheck(line=line, cells=cells)
    reasons = row.reasons

    def get(name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    row.email = get(F.EMAIL).lower()
    if not row.email:
        reasons.append(_("The e-mail address is missing."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            reasons.append(_("“%(value)s” is not a valid e-mail address.") % {"value": row.email})
    given, infix, family = get(F.GIVEN_NAME), get(F.INFIX), get(F.FAMILY_NAME)
    whole = get(F.FULL_NAME)
    if whole and not (given or family):
        given, infix, family = split_full_name(whole)
    elif family and not infix:
        infix, family = split_family_name(family)
    row.given_name, row.infix, row.family_name = given, infix, family
    if not given:
        reasons.append(_("The first name is missing."))
    if not family:
        reasons.append(_("The last name is missing."))
    row.employee_number = get(F.EMPLOYEE_NUMBER)
    row.team = " ".join(get(F.TEAM).split())
    row.function_title = get(F.FUNCTION_TITLE)
    row.manager_text = get(F.MANAGER)
    for name, value in (
        (F.EMAIL, row.email),
        (F.GIVEN_NAME, given),
        (F.INFIX, infix),
        (F.FAMILY_NAME, family),
        (F.EMPLOYEE_NUMBER, row.employee_number),
        (F.TEAM, row.team),
        (F.FUNCTION_TITLE, row.function_title),
    ):
        if len(value) > MAX_LENGTHS[name]:
            reasons.append(
                _("%(field)s is longer than %(max)d characters.")
                % {"field": ImportField(name).label, "max": MAX_LENGTHS[name]}
            )
    for name in (F.START_DATE, F.END_DATE):
        text = get(name)
        if not text:
            continue
        day = parse_date(text)
        if day is None:
            reasons.append(
                _("“%(value)s” is not a date we can read (%(field)s). Write it like 31-12-2024.")
                % {"value": text, "field": ImportField(name).label.lower()}
            )
        elif name == F.START_DATE:
            row.start_date = day
        else:
            row.end_date = day
    if row.start_date and row.end_date and row.end_date < row.start_date:
        reasons.append(_("The end date lies before the start date."))
    return row


def _lines(rows: Sequence[RowCheck], indexes: Iterable[int], but: int) -> str:
    return ", ".join(str(rows[i].line) for i in indexes if i != but)


def check_rows(
    *,
    organisation: Organisation,
    actor: Any,
    rows: Sequence[Sequence[Any]],
    mapping: Sequence[str],
    create_teams: bool,
) -> ImportPlan:
    """The verdict on every row. Reads the organisation in a fixed number of queries; writes
    nothing. `rows` are (line, cells) pairs as stored in an ImportBatch."""
    plan = ImportPlan(total=len(rows), create_teams=create_teams)
    plan.problems = mapping_problems(mapping)
    if plan.problems:
        return plan
    columns = {name: index for index, name in enumerate(mapping) if name}
    today = timezone.localdate()
    org = _Organisation.load(organisation, today)
    plan.team_ids = org.teams
    checks = [_read_row(int(line), list(cells), columns) for line, cells in rows]
    plan.rows = checks

    # Within the file: the same e-mail address or employee number on more than one line.
    by_email: dict[str, list[int]] = defaultdict(list)
    by_number: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(checks):
        if row.email:
            by_email[row.email].append(i)
        if row.employee_number:
            by_number[row.employee_number].append(i)
    for email, found in by_email.items():
        if len(found) > 1:
            for i in found:
                checks[i].reasons.append(
                    _("The e-mail address %(email)s is also on line %(lines)s.")
                    % {"email": email, "lines": _lines(checks, found, i)}
                )
    for number, found in by_number.items():
        if len(found) > 1:
            for i in found:
                checks[i].reasons.append(
                    _("Employee number %(number)s is also on line %(lines)s.")
                    % {"number": number, "lines": _lines(checks, found, i)}
                )

    # Who is who: employee number first, then e-mail address, within this organisation only.
    claimed: dict[int, int] = {}
    for i, row in enumerate(checks):
        by_nr = org.by_number.get(row.employee_number) if row.employee_number else None
        by_mail = org.by_email.get(row.email) if row.email else None
        if by_nr and by_mail and by_nr.person_id != by_mail.person_id:
            row.reasons.append(
                _(
                    "Employee number %(number)s belongs to %(name)s, but the e-mail address "
                    "belongs to %(other)s."
                )
                % {
                    "number": row.employee_number,
                    "name": full_name(by_nr.given_name, by_nr.infix, by_nr.family_name),
                    "other": full_name(by_mail.given_name, by_mail.infix, by_mail.family_name),
                }
            )
            continue
        if by_nr and row.email and by_nr.email != row.email:
            row.reasons.append(
                _(
                    "Employee number %(number)s belongs to %(name)s with e-mail address "
                    "%(email)s. Change the e-mail address on their page first, or correct the file."
                )
                % {
                    "number": row.employee_number,
                    "name": full_name(by_nr.given_name, by_nr.infix, by_nr.family_name),
                    "email": by_nr.email,
                }
            )
            continue
        match = by_nr or by_mail
        if match is None:
            continue
        if (
            not match.is_current_or_future(today)
            and row.start_date is not None
            and match.end_date is not None
            and row.start_date > match.end_date
        ):
            # Back at work after an earlier membership ended: a new membership.
            row.person_id = match.person_id
            continue
        if match.membership_id in claimed:
            row.reasons.append(
                _("This person is also on line %(line)s.")
                % {"line": checks[claimed[match.membership_id]].line}
            )
            continue
        claimed[match.membership_id] = i
        row.existing = match

    def person_of(i: int) -> int | None:
        row = checks[i]
        if row.existing is not None:
            return row.existing.person_id
        return row.person_id

    def as_ref(i: int) -> ManagerRef:
        known = person_of(i)
        return ("person", known) if known is not None else ("row", i)

    # Managers: by e-mail address, else employee number, else name; in the file or working here.
    if F.MANAGER in columns:
        # Built only when a manager is named by name, not by e-mail or number.
        file_names: dict[str, set[int]] | None = None
        for i, row in enumerate(checks):
            text = row.manager_text
            if not text:
                continue
            candidates: set[ManagerRef] = set()
            if "@" in text:
                email = text.lower()
                if email in by_email:
                    candidates.add(as_ref(by_email[email][0]))
                elif email in org.current_by_email:
                    candidates.add(("person", org.current_by_email[email].person_id))
            elif text in by_number:
                candidates.add(as_ref(by_number[text][0]))
            elif text in org.current_by_number:
                candidates.add(("person", org.current_by_number[text].person_id))
            else:
                if file_names is None:
                    file_names = defaultdict(set)
                    for j, other in enumerate(checks):
                        for key in _name_keys(other.given_name, other.infix, other.family_name):
                            file_names[key].add(j)
                key = _name_key(text)
                candidates.update(as_ref(j) for j in file_names.get(key, ()))
                candidates.update(("person", p) for p in org.current_people_named(key))
            if not candidates:
                row.reasons.append(
                    _("Manager “%(value)s” is not in this file and does not work here.")
                    % {"value": text}
                )
            elif len(candidates) > 1:
                row.reasons.append(
                    _(
                        "More than one person is called “%(value)s”. Use the manager's e-mail "
                        "address instead."
                    )
                    % {"value": text}
                )
            else:
                ref = candidates.pop()
                if ref == as_ref(i):
                    row.reasons.append(_("A person cannot be their own manager."))
                else:
                    row.manager = ref

    # Teams: existing ones by name (not case-sensitive); new ones created only when asked.
    if F.TEAM in columns:
        new_teams: dict[str, str] = {}
        for row in checks:
            if not row.team:
                continue
            key = _team_key(row.team)
            if key in org.teams:
                continue
            if create_teams:
                new_teams.setdefault(key, row.team)
            else:
                row.reasons.append(
                    _(
                        "Team “%(team)s” does not exist. Tick “Create missing teams” or correct "
                        "the name."
                    )
                    % {"team": row.team}
                )
        plan.new_teams = sorted(new_teams.values(), key=_team_key)

    actor_id = getattr(actor, "pk", None)
    for row in checks:
        if row.reasons:
            row.action = REJECT
            continue
        m = row.existing
        if m is None:
            row.action = CREATE
            continue
        changes = row.changes
        if m.person_id not in org.shared and (row.given_name, row.infix, row.family_name) != (
            m.given_name,
            m.infix,
            m.family_name,
        ):
            changes.append("name")
        if F.TEAM in columns:
            team_id = org.teams.get(_team_key(row.team)) if row.team else None
            if team_id != m.team_id or (row.team and _team_key(row.team) not in org.teams):
                changes.append(F.TEAM)
        if F.FUNCTION_TITLE in columns and row.function_title != m.function_title:
            changes.append(F.FUNCTION_TITLE)
        if row.employee_number and row.employee_number != m.employee_number:
            changes.append(F.EMPLOYEE_NUMBER)
        if row.start_date is not None and row.start_date != m.start_date:
            changes.append(F.START_DATE)
        if F.END_DATE in columns and row.end_date != m.end_date:
            changes.append(F.END_DATE)
        if F.MANAGER in columns:
            wanted = row.manager
            if wanted is None:
                differs = m.manager_id is not None
            else:
                differs = wanted != ("person", m.manager_id)
            if differs:
                changes.append(F.MANAGER)
        start = row.start_date or m.start_date
        end = row.end_date if F.END_DATE in columns else m.end_date
        if end is not None and end < start:
            row.reasons.append(_("The end date lies before the start date."))
        if F.END_DATE in changes and row.end_date is not None and m.person_id == actor_id:
            row.reasons.append(_("You cannot end your own membership."))
        row.action = REJECT if row.reasons else (UPDATE if changes else UNCHANGED)
    return plan


# --- batches: upload, mapping, check, apply ---------------------------------------------------


def access_import_batch(actor: Any, organisation: Organisation, uuid: Any) -> ImportBatch:
    """A batch of this organisation, for its admins only; 404 for anything else."""
    if not standing_of(actor).has_org_role(organisation.pk, Role.ORG_ADMIN):
        raise Http404
    # The rows (large for a big file) are read only where they are used.
    batch = ImportBatch.objects.filter(organisation=organisation, uuid=uuid).defer("rows").first()
    if batch is None:
        raise Http404
    return batch


@transaction.atomic
def batch_create(
    *, actor: Any, organisation: Organisation, filename: str, content: bytes
) -> ImportBatch:
    """Read an uploaded file and keep its rows for the preview. Raises ImportFileError."""
    parsed = parse_file(filename, content)
    ImportBatch.objects.filter(
        status=ImportBatchStatus.PENDING, created_at__lt=timezone.now() - PENDING_BATCH_LIFETIME
    ).delete()
    batch = ImportBatch.objects.create(
        organisation=organisation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        filename=filename[-255:],
        file_kind=parsed.kind,
        header=parsed.header,
        rows=[[line, cells] for line, cells in parsed.rows],
        row_count=len(parsed.rows),
        mapping=detect_mapping(parsed.header),
    )
    audit_record(
        actor=actor,
        action="people.import_upload",
        organisation=organisation,
        file=batch.filename,
        rows=batch.row_count,
    )
    return batch


@transaction.atomic
def batch_remap(
    *, actor: Any, batch: ImportBatch, mapping: Sequence[str], create_teams: bool
) -> ImportBatch:
    """Store the admin's choice of columns. Only the draft changes, so no audit row: the import
    itself records what was imported."""
    if batch.status != ImportBatchStatus.PENDING:
        raise PeopleImportError(_("This file has already been imported."))
    if len(mapping) != len(batch.header) or any(m and m not in ImportField.values for m in mapping):
        raise PeopleImportError(_("Some columns have a choice that does not exist."))
    batch.mapping = list(mapping)
    batch.create_teams = create_teams
    batch.revision += 1
    batch.save(update_fields=["mapping", "create_teams", "revision"])
    return batch


def batch_check(*, batch: ImportBatch, actor: Any) -> ImportPlan:
    return check_rows(
        organisation=batch.organisation,
        actor=actor,
        rows=batch.rows,
        mapping=batch.mapping,
        create_teams=batch.create_teams,
    )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:50] or "team"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[:46]}-{n}"
        n += 1
    taken.add(slug)
    return slug


def apply_plan(*, plan: ImportPlan, organisation: Organisation) -> dict[str, int]:
    """Write a checked plan without a single rejected row, in bulk. Call inside a transaction."""
    if not plan.can_apply:
        raise ImportRejected(plan)
    today = timezone.localdate()
    rows = plan.rows

    team_ids = dict(plan.team_ids)
    if plan.create_teams and plan.new_teams:
        taken = set(Team.objects.filter(organisation=organisation).values_list("slug", flat=True))
        teams = [
            Team(organisation=organisation, name=name, slug=_free_slug(name, taken))
            for name in plan.new_teams
        ]
        Team.objects.bulk_create(teams)
        if any(t.pk is None for t in teams):
            saved = dict(Team.objects.filter(organisation=organisation).values_list("slug", "pk"))
            for t in teams:
                t.pk = saved[t.slug]
        team_ids.update({_team_key(t.name): t.pk for t in teams})

    # People: an account for everyone new; someone who already has an account (perhaps through
    # another organisation) keeps it, and their name stays theirs.
    creating = [r for r in rows if r.action == CREATE]
    person_ids: dict[str, int] = {}
    unknown = [r.email for r in creating if r.person_id is None]
    for chunk in _chunks(unknown):
        person_ids.update(Person.objects.filter(email__in=chunk).values_list("email", "pk"))
    new_people = [
        Person(
            email=r.email,
            given_name=r.given_name,
            infix=r.infix,
            family_name=r.family_name,
            # Person.save() keeps the sort key; bulk_create does not call save().
            sort_key=sort_name(r.given_name, r.infix, r.family_name) or r.email,
            # No password yet: they choose one through "forgot password" or an invitation. The
            # same unusable value make_password(None) gives, without its slow per-character
            # random choice (a second per 10,000 people).
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
        for r in creating
        if r.person_id is None and r.email not in person_ids
    ]
    Person.objects.bulk_create(new_people, batch_size=CHUNK)
    if any(p.pk is None for p in new_people):
        for chunk in _chunks([p.email for p in new_people]):
            person_ids.update(Person.objects.filter(email__in=chunk).values_list("email", "pk"))
    else:
        person_ids.update({p.email: p.pk for p in new_people})

    def person_of(row: RowCheck) -> int:
        if row.existing is not None:
            return row.existing.person_id
        if row.person_id is not None:
            return row.person_id
        return person_ids[row.email]

    def manager_id(row: RowCheck) -> int | None:
        if row.manager is None:
            return None
        kind, value = row.manager
        return value if kind == "person" else person_of(rows[value])

    def team_id(row: RowCheck) -> int | None:
        return team_ids[_team_key(row.team)] if row.team else None

    renamed = [
        Person(
            pk=r.existing.person_id,
            given_name=r.given_name,
            infix=r.infix,
            family_name=r.family_name,
            sort_key=sort_name(r.given_name, r.infix, r.family_name) or r.existing.email,
        )
        for r in rows
        if r.action == UPDATE and r.existing is not None and "name" in r.changes
    ]
    Person.objects.bulk_update(
        renamed, ["given_name", "infix", "family_name", "sort_key"], batch_size=CHUNK
    )

    memberships = [
        Membership(
            person_id=person_of(r),
            organisation=organisation,
            team_id=team_id(r),
            manager_id=manager_id(r),
            function_title=r.function_title,
            employee_number=r.employee_number,
            start_date=r.start_date or today,
            end_date=r.end_date,
            kind=MembershipKind.EMPLOYEE,
        )
        for r in creating
    ]
    Membership.objects.bulk_create(memberships, batch_size=CHUNK)
    if any(made.pk is None for made in memberships):
        made_ids = dict(
            Membership.objects.filter(
                organisation=organisation, uuid__in=[made.uuid for made in memberships]
            ).values_list("uuid", "pk")
        )
        for made in memberships:
            made.pk = made_ids[made.uuid]
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership_id=made.pk, role=Role.LEARNER) for made in memberships],
        batch_size=CHUNK,
    )

    changed: list[Membership] = []
    for r in rows:
        m = r.existing
        if r.action != UPDATE or m is None or r.changes == ["name"]:
            continue
        changed.append(
            Membership(
                pk=m.membership_id,
                team_id=team_id(r) if F.TEAM in r.changes else m.team_id,
                manager_id=manager_id(r) if F.MANAGER in r.changes else m.manager_id,
                function_title=r.function_title
                if F.FUNCTION_TITLE in r.changes
                else m.function_title,
                employee_number=r.employee_number
                if F.EMPLOYEE_NUMBER in r.changes
                else m.employee_number,
                start_date=r.start_date or m.start_date,
                end_date=r.end_date if F.END_DATE in r.changes else m.end_date,
            )
        )
    Membership.objects.bulk_update(
        changed,
        ["team", "manager", "function_title", "employee_number", "start_date", "end_date"],
        batch_size=CHUNK,
    )
    return plan.counts()


@transaction.atomic
def batch_apply(*, actor: Any, batch: ImportBatch, revision: int | None = None) -> dict[str, int]:
    """All or nothing: check every row again; if any is rejected raise ImportRejected (with the
    full report) and write nothing, else write everything and one audit row."""
    locked = ImportBatch.objects.select_for_update().select_related("organisation").get(pk=batch.pk)
    if locked.status != ImportBatchStatus.PENDING:
        raise PeopleImportError(_("This file has already been imported."))
    if revision is not None and revision != locked.revision:
        raise PeopleImportError(
            _("The choice of columns has changed in the meantime. Check the preview again.")
        )
    plan = batch_check(batch=locked, actor=actor)
    if not plan.can_apply:
        raise ImportRejected(plan)
    organisation = locked.organisation
    counts = apply_plan(plan=plan, organisation=organisation)
    audit_record(
        actor=actor,
        action="people.import",
        organisation=organisation,
        file=locked.filename,
        **counts,
    )
    locked.status = ImportBatchStatus.IMPORTED
    locked.applied_at = timezone.now()
    locked.result = counts
    # The counts stay; the people's data now lives where it belongs.
    locked.rows = []
    locked.save(update_fields=["status", "applied_at", "result", "rows"])
    batch.status, batch.applied_at, batch.result, batch.rows = (
        locked.status,
        locked.applied_at,
        locked.result,
        locked.rows,
    )
    return counts
