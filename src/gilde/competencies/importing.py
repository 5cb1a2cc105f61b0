"""Import and export of competency frameworks: CSV, JSON, and the official ESCO skills CSV.

Three file formats are read:

* **Gilde CSV** — one line per competency. Columns (names compared loosely, English or Dutch):
  ``code``, ``name`` (both required), ``category``, ``description``, ``esco_uri``, ``parent``
  (the code of the competency this one is part of), and ``level_1`` … ``level_n`` with what each
  level means for this competency. Separated by ``;`` or ``,`` (or tabs); UTF-8 with or without a
  byte order mark, or Windows-1252.
* **Gilde JSON** — what the export writes: ``framework``, ``version``, ``scale``, ``categories``
  and ``competencies`` (each with ``descriptors`` per level).
* **ESCO skills CSV** — the ``skills_<language>.csv`` file of the ESCO download (columns
  ``conceptUri``, ``preferredLabel``, ``description``, ``skillType`` …). The URI becomes the
  competency's ESCO URI, the preferred label its name, the skill type its category, and the code is
  the first eight characters of the last part of the URI (longer when two would be the same).

Importing is all or nothing, in two steps: the upload reads the file and keeps what it read in a
FrameworkImport; the preview lists every line that cannot be imported, with the reason; the
confirmation checks everything again and writes the whole file into a draft version in one
transaction, or nothing at all. See docs/framework-import.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gilde.audit.services import audit_record
from gilde.competencies.access import access_framework
from gilde.competencies.models import (
    Category,
    Competency,
    Framework,
    FrameworkImport,
    FrameworkImportStatus,
    FrameworkVersion,
    LevelDescriptor,
    ScaleLevel,
)
from gilde.competencies.services import (
    CATEGORY_MAX,
    DEFAULT_SCALE,
    LABEL_MAX,
    NAME_MAX,
    CompetencyError,
    code_problem,
    draft_version,
    esco_uri_problem,
    framework_create,
    latest_version,
    version_new_draft,
)
from gilde.people.importing import PeopleImportError, decode_text
from gilde.tenancy.access import standing_of
from gilde.tenancy.models import Network, Organisation, Role

MAX_FILE_BYTES = 20 * 1024 * 1024  # the Dutch ESCO skills file is about 10 MB
MAX_COMPETENCIES = 20_000
MAX_COLUMNS = 60
MIN_LEVELS, MAX_LEVELS = 2, 10
PENDING_LIFETIME = dt.timedelta(days=1)
CHUNK = 500

FORMAT_CSV, FORMAT_JSON, FORMAT_ESCO = "csv", "json", "esco"
EXPORT_FORMATS = (FORMAT_CSV, FORMAT_JSON)
JSON_FORMAT_NAME = "gilde-framework"


class FrameworkImportError(ValueError):
    """The file cannot be imported; the message is fit to show to the user."""


class FrameworkImportRejected(FrameworkImportError):
    """At least one line cannot be imported, so nothing was. Carries the full report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            ngettext(
                "%(count)d line cannot be imported. Nothing has been imported.",
                "%(count)d lines cannot be imported. Nothing has been imported.",
                report.lines_with_problems,
            )
            % {"count": report.lines_with_problems}
        )
        self.report = report


# --- reading --------------------------------------------------------------------------------


@dataclass
class Row:
    """One competency as read from a file. `line` is the line in a CSV file, or the position in
    the list of competencies of a JSON file."""

    line: int
    code: str
    name: str
    category: str = ""
    description: str = ""
    esco_uri: str = ""
    parent: str = ""
    descriptors: dict[int, str] = field(default_factory=dict)

    def as_json(self) -> list[Any]:
        return [
            self.line,
            self.code,
            self.name,
            self.category,
            self.description,
            self.esco_uri,
            self.parent,
            {str(k): v for k, v in self.descriptors.items()},
        ]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Row:
        line, code, name, category, description, esco_uri, parent, descriptors = data
        return cls(
            line=line,
            code=code,
            name=name,
            category=category,
            description=description,
            esco_uri=esco_uri,
            parent=parent,
            descriptors={int(k): v for k, v in descriptors.items()},
        )


@dataclass
class Problem:
    line: int
    code: str
    message: str


@dataclass
class ParsedFramework:
    file_format: str
    rows: list[Row]
    # From a JSON file only: its own scale, its list of categories, its name.
    scale: list[tuple[int, str, str]] | None = None
    categories: list[str] | None = None
    name: str = ""
    description: str = ""
    # Problems found while reading (a JSON value of the wrong kind, a line with too many cells).
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def highest_level_column(self) -> int:
        return max((level for row in self.rows for level in row.descriptors), default=0)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def header_key(text: str) -> str:
    """Column names compared loosely: "ESCO URI", "esco_uri" and "EscoUri" match."""
    return "".join(c for c in _fold(text) if c.isalnum())


_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "competentiecode", "competencycode"),
    "name": ("name", "naam", "competentie", "competency", "titel", "title"),
    "category": ("category", "categorie", "group", "groep"),
    "description": ("description", "omschrijving", "beschrijving"),
    "esco_uri": ("esco_uri", "esco uri", "esco", "uri", "escouri"),
    "parent": ("parent", "parent code", "part of", "onderdeel van", "bovenliggend", "hoort bij"),
}
_COLUMN_INDEX = {header_key(alias): name for name, aliases in _COLUMNS.items() for alias in aliases}
_LEVEL_COLUMN = re.compile(r"^(?:level|niveau)(\d{1,3})$")
_ESCO_REQUIRED = ("concepturi", "preferredlabel")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@])")


def _clean_cell(value: str) -> str:
    # Our export puts an apostrophe before a leading =, +, - or @ so that a spreadsheet does not
    # run the cell as a formula; it is not part of the value.
    return _FORMULA_GUARD.sub("", value.replace("\ufeff", "").strip())


def _column_of(title: str) -> str | int | None:
    key = header_key(title)
    if key in _COLUMN_INDEX:
        return _COLUMN_INDEX[key]
    match = _LEVEL_COLUMN.match(key)
    if match:
        return int(match[1])
    return None


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for cells in reader:
            line = next_line
            next_line = reader.line_num + 1
            cleaned = [_clean_cell(c) for c in cells]
            while cleaned and not cleaned[-1]:
                cleaned.pop()
            if not cleaned:
                continue
            if len(cleaned) > MAX_COLUMNS:
                raise FrameworkImportError(
                    _("Line %(line)d has more than %(max)d columns.")
                    % {"line": line, "max": MAX_COLUMNS}
                )
            records.append((line, cleaned))
            if len(records) > MAX_COMPETENCIES + 1:
                raise FrameworkImportError(
                    _("The file has more than %(max)s competencies. Split it into smaller files.")
                    % {"max": f"{MAX_COMPETENCIES:,}".replace(",", ".")}
                )
    except csv.Error:
        raise FrameworkImportError(
            _('Line %(line)d of the file cannot be read. Check the quotes (") on that line.')
            % {"line": next_line}
        ) from None
    return records


def _header_score(cells: Sequence[str]) -> int:
    keys = [header_key(c) for c in cells]
    if all(k in keys for k in _ESCO_REQUIRED):
        return 100
    return sum(1 for c in cells if _column_of(c) is not None)


def _first_record(text: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(text[: 64 * 1024], newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            cleaned = [_clean_cell(c) for c in cells]
            if any(cleaned):
                return cleaned
    except csv.Error:
        return []
    return []


def parse_csv(content: bytes) -> ParsedFramework:
    try:
        text, _encoding = decode_text(content)
    except PeopleImportError as error:
        raise FrameworkImportError(str(error)) from None
    best_score, delimiter = -1, ";"
    for candidate in (";", ",", "\t"):
        score = _header_score(_first_record(text, candidate))
        if score > best_score:
            best_score, delimiter = score, candidate
    records = _records(text, delimiter)
    if not records:
        raise FrameworkImportError(_("The file is empty."))
    header = records[0][1]
    keys = [header_key(c) for c in header]
    if all(k in keys for k in _ESCO_REQUIRED):
        return _parse_esco(keys, records[1:])
    columns: dict[str | int, int] = {}
    ignored: list[str] = []
    for position, title in enumerate(header):
        column = _column_of(title)
        if column is None:
            if title:
                ignored.append(title)
            continue
        if column in columns:
            raise FrameworkImportError(
                _("The column “%(column)s” appears twice. Keep one of them.") % {"column": title}
            )
        columns[column] = position
    if "code" not in columns or "name" not in columns:
        raise FrameworkImportError(
            _(
                "The first line must hold the column names, with at least “code” and “name”. "
                "We found: %(found)s."
            )
            % {"found": ", ".join(header)[:300]}
        )
    if len(records) < 2:
        raise FrameworkImportError(_("We found the column names, but no competencies below them."))
    parsed = ParsedFramework(file_format=FORMAT_CSV, rows=[], ignored_columns=ignored)

    def cell(cells: list[str], column: str) -> str:
        position = columns.get(column)
        return cells[position] if position is not None and position < len(cells) else ""

    for line, cells in records[1:]:
        if len(cells) > len(header):
            parsed.problems.append(
                Problem(
                    line,
                    cells[0][:40],
                    _(
                        "This line has more cells than there are column names. Put text with a "
                        "%(delimiter)s between quotes."
                    )
                    % {"delimiter": "tab" if delimiter == "\t" else delimiter},
                )
            )
        descriptors = {
            column: cells[position]
            for column, position in columns.items()
            if isinstance(column, int) and position < len(cells) and cells[position]
        }
        parsed.rows.append(
            Row(
                line=line,
                code=cell(cells, "code"),
                name=cell(cells, "name"),
                category=cell(cells, "category"),
                description=cell(cells, "description"),
                esco_uri=cell(cells, "esco_uri"),
                parent=cell(cells, "parent"),
                descriptors=descriptors,
            )
        )
    return parsed


def esco_category(skill_type: str) -> str:
    kinds = {
        "skill/competence": _("Skills and competences"),
        "knowledge": _("Knowledge"),
    }
    return kinds.get(skill_type.strip().casefold(), skill_type.strip())


def _esco_code(uri: str, line: int, taken: set[str]) -> str:
    """A short code from the last part of the URI: its first eight characters, more when two
    concepts would get the same code, a number behind it as a last resort."""
    segment = re.sub(r"[^A-Za-z0-9._-]", "", uri.rstrip("/").rsplit("/", 1)[-1])
    if not segment:
        segment = f"ESCO-{line}"
    for length in (8, 12, 16, len(segment)):
        candidate = segment[:length]
        if candidate.casefold() not in taken:
            taken.add(candidate.casefold())
            return candidate
    n = 2
    while f"{segment[:30]}-{n}".casefold() in taken:
        n += 1
    code = f"{segment[:30]}-{n}"
    taken.add(code.casefold())
    return code


def _parse_esco(keys: list[str], records: list[tuple[int, list[str]]]) -> ParsedFramework:
    if not records:
        raise FrameworkImportError(_("We found the column names, but no skills below them."))
    position = {key: i for i, key in reversed(list(enumerate(keys)))}

    def cell(cells: list[str], key: str) -> str:
        i = position.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    parsed = ParsedFramework(file_format=FORMAT_ESCO, rows=[])
    taken: set[str] = set()
    for line, cells in records:
        uri = cell(cells, "concepturi")
        parsed.rows.append(
            Row(
                line=line,
                code=_esco_code(uri, line, taken),
                name=cell(cells, "preferredlabel"),
                category=esco_category(cell(cells, "skilltype")),
                description=cell(cells, "description") or cell(cells, "definition"),
                esco_uri=uri,
            )
        )
    return parsed


def _text(value: Any) -> str | None:
    """A JSON value as text: strings as they are, numbers written out, null as empty; None for
    anything else (a list, an object)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    return None


def _level_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4:
        return int(value.strip())
    return None


def _json_scale(data: Any) -> list[tuple[int, str, str]]:
    wrong = FrameworkImportError(
        _(
            "The scale in the file is not right: give %(min)d to %(max)d levels, each with a "
            "whole number (“value”) and a name (“label”)."
        )
        % {"min": MIN_LEVELS, "max": MAX_LEVELS}
    )
    if not isinstance(data, list) or not MIN_LEVELS <= len(data) <= MAX_LEVELS:
        raise wrong
    scale: list[tuple[int, str, str]] = []
    for item in data:
        if not isinstance(item, dict):
            raise wrong
        value = _level_number(item.get("value"))
        label = _text(item.get("label"))
        description = _text(item.get("description"))
        if value is None or not 0 <= value <= 100 or not label or description is None:
            raise wrong
        if len(label) > LABEL_MAX:
            raise wrong
        scale.append((value, label, description))
    if len({v for v, _l, _d in scale}) != len(scale):
        raise wrong
    return sorted(scale)


def _json_descriptors(data: Any, line: int, code: str, problems: list[Problem]) -> dict[int, str]:
    items: list[tuple[Any, Any]]
    if data is None:
        return {}
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list) and all(isinstance(d, dict) for d in data):
        items = [(d.get("level"), d.get("text")) for d in data]
    else:
        problems.append(Problem(line, code, _("“descriptors” must list a text per level.")))
        return {}
    descriptors: dict[int, str] = {}
    for key, value in items:
        level = _level_number(key)
        text = _text(value)
        if level is None:
            problems.append(
                Problem(line, code, _("“%(level)s” is not a level number.") % {"level": key})
            )
        elif text is None:
            problems.append(
                Problem(
                    line, code, _("The text for level %(level)d must be text.") % {"level": level}
                )
            )
        elif level in descriptors:
            problems.append(
                Problem(line, code, _("Level %(level)d is described twice.") % {"level": level})
            )
        elif text:
            descriptors[level] = text
    return descriptors


def parse_json(content: bytes) -> ParsedFramework:
    try:
        text, _encoding = decode_text(content)
    except PeopleImportError as error:
        raise FrameworkImportError(str(error)) from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        detail = (
            _("line %(line)d, column %(column)d") % {"line": error.lineno, "column": error.colno}
            if isinstance(error, json.JSONDecodeError)
            else _("too deeply nested")
        )
        raise FrameworkImportError(
            _("This JSON file cannot be read (%(detail)s).") % {"detail": detail}
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("competencies"), list):
        raise FrameworkImportError(
            _("The JSON file must hold an object with a list “competencies”.")
        )
    items = data["competencies"]
    if not items:
        raise FrameworkImportError(_("The file has no competencies."))
    if len(items) > MAX_COMPETENCIES:
        raise FrameworkImportError(
            _("The file has more than %(max)s competencies. Split it into smaller files.")
            % {"max": f"{MAX_COMPETENCIES:,}".replace(",", ".")}
        )
    parsed = ParsedFramework(file_format=FORMAT_JSON, rows=[])
    if data.get("scale") is not None:
        parsed.scale = _json_scale(data["scale"])
    if data.get("categories") is not None:
        raw = data["categories"]
        if not isinstance(raw, list):
            raise FrameworkImportError(_("“categories” must be a list of names."))
        names: list[str] = []
        for item in raw:
            name = _text(item.get("name") if isinstance(item, dict) else item)
            if not name:
                raise FrameworkImportError(_("“categories” must be a list of names."))
            names.append(name)
        parsed.categories = names
    about = data.get("framework")
    if isinstance(about, dict):
        parsed.name = (_text(about.get("name")) or "")[:NAME_MAX]
        parsed.description = _text(about.get("description")) or ""
    for line, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            parsed.problems.append(Problem(line, "", _("A competency must be an object.")))
            continue
        values: dict[str, str] = {}
        for key in ("code", "name", "category", "description", "esco_uri", "parent"):
            value = _text(item.get(key))
            if value is None:
                parsed.problems.append(
                    Problem(line, "", _("“%(field)s” must be text.") % {"field": key})
                )
                value = ""
            values[key] = value
        descriptors = _json_descriptors(
            item.get("descriptors"), line, values["code"], parsed.problems
        )
        parsed.rows.append(Row(line=line, descriptors=descriptors, **values))
    return parsed


def looks_like_json(filename: str, content: bytes) -> bool:
    if filename.lower().endswith(".json"):
        return True
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"{", b"[")


def parse_framework_file(filename: str, content: bytes) -> ParsedFramework:
    """Read an uploaded framework file. Raises FrameworkImportError with a message for the
    user; never anything else, whatever the bytes."""
    if not content:
        raise FrameworkImportError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise FrameworkImportError(
            _("The file is larger than %(max)d MB. Split it into smaller files.")
            % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FrameworkImportError(
            _("This is an Excel file. Save it in Excel as “CSV UTF-8” and upload that.")
        )
    if looks_like_json(filename, content):
        return parse_json(content)
    return parse_csv(content)


# --- checking -------------------------------------------------------------------------------


def check_rows(
    rows: Sequence[Row], *, levels: Sequence[int], categories: Sequence[str] | None = None
) -> list[Problem]:
    """Every reason why a line cannot be imported; nothing is written. `levels` are the values
    of the scale the competencies go into; `categories`, when the file lists them, are the only
    category names a competency may name."""
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        key = row.code.casefold()
        if key and key not in first_line:
            first_line[key] = row.line
    known_categories = {c.casefold() for c in categories} if categories is not None else None
    scale = sorted(levels)
    for row in rows:

        def report(message: str, row: Row = row) -> None:
            problems.append(Problem(row.line, row.code[:40], message))

        problem = code_problem(row.code)
        if problem:
            report(problem)
        elif first_line[row.code.casefold()] != row.line:
            report(
                _("The code %(code)s is also on line %(line)d.")
                % {"code": row.code, "line": first_line[row.code.casefold()]}
            )
        if not row.name:
            report(_("The name is empty."))
        elif len(row.name) > NAME_MAX:
            report(_("The name is longer than %(max)d characters.") % {"max": NAME_MAX})
        if len(row.category) > CATEGORY_MAX:
            report(_("The category is longer than %(max)d characters.") % {"max": CATEGORY_MAX})
        elif (
            row.category
            and known_categories is not None
            and row.category.casefold() not in known_categories
        ):
            report(
                _("The category “%(category)s” is not in the list of categories.")
                % {"category": row.category}
            )
        problem = esco_uri_problem(row.esco_uri)
        if problem:
            report(problem)
        for level in sorted(row.descriptors):
            if level not in scale:
                report(
                    _("Level %(level)d is not on the scale (%(low)d to %(high)d).")
                    % {"level": level, "low": scale[0], "high": scale[-1]}
                )
        if row.parent and row.parent.casefold() not in first_line:
            report(_("The parent code %(code)s is not in the file.") % {"code": row.parent})
    parents = {
        row.code.casefold(): row.parent.casefold()
        for row in rows
        if row.code and first_line.get(row.code.casefold()) == row.line
    }
    spelled = {row.code.casefold(): row.code for row in rows if row.code}
    # Follow "part of" from every code once (codes already followed are not walked again), so
    # that even a very long chain is checked in one pass.
    in_circle: dict[str, list[str]] = {}
    walked: dict[str, bool] = {}  # code -> still on the path being followed
    for start in parents:
        path: list[str] = []
        code = start
        while code and code not in walked:
            walked[code] = True
            path.append(code)
            code = parents.get(code, "")
        if code and walked.get(code):
            circle = path[path.index(code) :]
            for member in circle:
                in_circle[member] = circle
        for member in path:
            walked[member] = False
    for row in rows:
        members = in_circle.get(row.code.casefold())
        if members and first_line.get(row.code.casefold()) == row.line:
            at = members.index(row.code.casefold())
            round_trip = [*members[at:], *members[:at], row.code.casefold()]
            problems.append(
                Problem(
                    row.line,
                    row.code[:40],
                    _("The parent codes go round in a circle: %(path)s.")
                    % {"path": " → ".join(spelled.get(c, c) for c in round_trip)},
                )
            )
    problems.sort(key=lambda p: p.line)
    return problems


@dataclass
class ImportReport:
    file_format: str
    rows: list[Row]
    problems: list[Problem]
    scale: list[tuple[int, str, str]]
    scale_from_file: bool
    categories: list[str]
    ignored_columns: list[str]
    # Compared with the latest version of an existing framework (empty for a new framework).
    compared_with: FrameworkVersion | None = None
    new_codes: list[str] = field(default_factory=list)
    removed_codes: list[str] = field(default_factory=list)
    replaces_draft: FrameworkVersion | None = None

    @property
    def lines_with_problems(self) -> int:
        return len({p.line for p in self.problems})

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def with_esco_uri(self) -> int:
        return sum(1 for r in self.rows if r.esco_uri)

    @property
    def with_descriptors(self) -> int:
        return sum(1 for r in self.rows if r.descriptors)

    @property
    def sub_competencies(self) -> int:
        return sum(1 for r in self.rows if r.parent)

    def problem_lines(self) -> list[tuple[int, str, list[str]]]:
        """(line, code, reasons) per line with problems, in the order of the file."""
        grouped: dict[int, tuple[str, list[str]]] = {}
        for p in self.problems:
            code, reasons = grouped.setdefault(p.line, (p.code, []))
            reasons.append(p.message)
            if not code and p.code:
                grouped[p.line] = (p.code, reasons)
        return [(line, code, reasons) for line, (code, reasons) in sorted(grouped.items())]


def default_scale(levels: int) -> list[tuple[int, str, str]]:
    """Four levels get the usual names; another number of levels gets "Level 1" … "Level n",
    to be named on the draft's scale page. In the language of the person importing."""
    if levels == 4:
        return [
            (1, _("beginner"), _("Knows the basics; works with help.")),
            (2, _("advanced beginner"), _("Does common tasks alone; asks for help with the rest.")),
            (3, _("competent"), _("Works alone, also on uncommon tasks.")),
            (4, _("expert"), _("Teaches others and improves how the work is done.")),
        ]
    return [(n, _("Level %(n)d") % {"n": n}, "") for n in range(1, levels + 1)]


def _categories_in_order(rows: Sequence[Row], declared: Sequence[str] | None) -> list[str]:
    names: dict[str, str] = {}
    for name in [*(declared or []), *(r.category for r in rows)]:
        if name and name.casefold() not in names:
            names[name.casefold()] = name
    return list(names.values())


def _target_scale(batch: FrameworkImport) -> tuple[list[tuple[int, str, str]], bool]:
    """The scale the competencies go into, and whether it comes from the file."""
    payload_scale = batch.payload.get("scale")
    if payload_scale:
        return [(int(v), str(label), str(d)) for v, label, d in payload_scale], True
    if batch.framework_id is not None:
        source = latest_version(batch.framework) if batch.framework else None
        if source is not None:
            return [(lv.value, lv.label, lv.description) for lv in source.levels.all()], False
    return default_scale(batch.levels or len(DEFAULT_SCALE)), False


def import_check(batch: FrameworkImport) -> ImportReport:
    """What the import of this file would do, with every problem. Nothing is written."""
    payload = batch.payload
    rows = [Row.from_json(r) for r in payload.get("rows", [])]
    scale, from_file = _target_scale(batch)
    declared = payload.get("categories")
    problems = [Problem(*p) for p in payload.get("problems", [])]
    problems += check_rows(rows, levels=[v for v, _l, _d in scale], categories=declared)
    problems.sort(key=lambda p: p.line)
    report = ImportReport(
        file_format=batch.file_format,
        rows=rows,
        problems=problems,
        scale=scale,
        scale_from_file=from_file,
        categories=_categories_in_order(rows, declared),
        ignored_columns=list(payload.get("ignored_columns", [])),
    )
    if batch.framework is not None:
        latest = latest_version(batch.framework, published=True) or latest_version(batch.framework)
        report.replaces_draft = draft_version(batch.framework)
        if latest is not None:
            old = {c.casefold(): c for c in latest.competencies.values_list("code", flat=True)}
            new = {r.code.casefold(): r.code for r in rows if r.code}
            report.compared_with = latest
            report.new_codes = [code for key, code in new.items() if key not in old]
            report.removed_codes = [code for key, code in old.items() if key not in new]
    return report


# --- the stored upload ----------------------------------------------------------------------


def access_framework_import(actor: Any, uuid: Any) -> FrameworkImport:
    """An uploaded framework file, for the people who may edit where it goes; 404 otherwise."""
    batch = (
        FrameworkImport.objects.filter(uuid=uuid)
        .select_related("framework", "network", "organisation")
        .first()
    )
    if batch is None:
        raise Http404
    standing = standing_of(actor)
    if batch.framework is not None:
        access_framework(actor, batch.framework.slug, edit=True)
    elif batch.network_id is not None:
        if not standing.is_coordinator(batch.network_id):
            raise Http404
    elif not standing.has_org_role(batch.organisation_id or 0, Role.ORG_ADMIN):
        raise Http404
    return batch


@transaction.atomic
def import_upload(
    *,
    actor: Any,
    filename: str,
    content: bytes,
    framework: Framework | None = None,
    network: Network | None = None,
    organisation: Organisation | None = None,
    name: str = "",
    description: str = "",
    levels: int | None = None,
    note: str = "",
) -> FrameworkImport:
    """Read a file and keep what was read for the preview. Raises FrameworkImportError. For a new
    framework, `levels` is the number of levels (None: as many as the file's level columns, at
    least two, four if it has none) unless the file brings its own scale."""
    if framework is None and (network is None) == (organisation is None):
        raise FrameworkImportError(_("Choose who the framework belongs to."))
    if levels is not None and not MIN_LEVELS <= levels <= MAX_LEVELS:
        raise FrameworkImportError(
            _("A scale has %(min)d to %(max)d levels.") % {"min": MIN_LEVELS, "max": MAX_LEVELS}
        )
    parsed = parse_framework_file(filename, content)
    name = name.strip() or parsed.name
    if framework is None and not name:
        raise FrameworkImportError(_("Give the framework a name."))
    if framework is None and levels is None and parsed.scale is None:
        highest = parsed.highest_level_column()
        levels = highest if MIN_LEVELS <= highest <= MAX_LEVELS else len(DEFAULT_SCALE)
    FrameworkImport.objects.filter(
        status=FrameworkImportStatus.PENDING, created_at__lt=timezone.now() - PENDING_LIFETIME
    ).delete()
    return FrameworkImport.objects.create(
        framework=framework,
        network=network if framework is None else None,
        organisation=organisation if framework is None else None,
        name=name[:NAME_MAX],
        description=(description.strip() or parsed.description),
        note=note.strip()[:300],
        filename=filename[-255:] or "framework",
        file_format=parsed.file_format,
        levels=levels if framework is None else None,
        payload={
            "scale": [list(s) for s in parsed.scale] if parsed.scale else None,
            "categories": parsed.categories,
            "rows": [r.as_json() for r in parsed.rows],
            "problems": [[p.line, p.code, p.message] for p in parsed.problems],
            "ignored_columns": parsed.ignored_columns,
        },
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _empty_draft(actor: Any, framework: Framework, note: str) -> FrameworkVersion:
    draft = draft_version(framework)
    if draft is None:
        draft = version_new_draft(actor=actor, framework=framework, note=note)
    elif note:
        draft.note = note
        draft.save(update_fields=["note"])
    try:
        with transaction.atomic():
            draft.competencies.all().delete()
    except ProtectedError:
        raise FrameworkImportError(
            _("A competency of the draft is used by a rating or a claim; it cannot be replaced.")
        ) from None
    draft.categories.all().delete()
    return draft


@transaction.atomic
def import_apply(*, actor: Any, batch: FrameworkImport) -> FrameworkVersion:
    """All or nothing: check every line again; if any cannot be imported raise
    FrameworkImportRejected (with the full report) and write nothing, else write the whole file
    into a draft version — of a new framework, or replacing the content of the existing
    framework's draft (a new draft if there is none) — and leave one audit row."""
    locked = (
        # Lock only the import row: PostgreSQL cannot lock the nullable side of an outer join.
        FrameworkImport.objects.select_for_update(of=("self",))
        .select_related("framework", "network", "organisation")
        .get(pk=batch.pk)
    )
    if locked.status != FrameworkImportStatus.PENDING:
        raise FrameworkImportError(_("This file has already been imported."))
    report = import_check(locked)
    if not report.can_apply:
        raise FrameworkImportRejected(report)
    note = locked.note or _("Imported from %(file)s") % {"file": locked.filename}
    if locked.framework is None:
        try:
            framework = framework_create(
                actor=actor,
                name=locked.name,
                network=locked.network,
                organisation=locked.organisation,
                description=locked.description,
                scale=report.scale,
            )
        except CompetencyError as error:
            raise FrameworkImportError(str(error)) from None
        version = framework.versions.get()
        version.note = note[:300]
        version.save(update_fields=["note"])
    else:
        framework = locked.framework
        version = _empty_draft(actor, framework, note[:300])
        if report.scale_from_file:
            version.levels.all().delete()
            ScaleLevel.objects.bulk_create(
                [
                    ScaleLevel(version=version, value=v, label=label, description=d)
                    for v, label, d in report.scale
                ]
            )
    categories = {
        name.casefold(): row
        for name, row in zip(
            report.categories,
            Category.objects.bulk_create(
                [
                    Category(version=version, name=name, position=i)
                    for i, name in enumerate(report.categories)
                ]
            ),
            strict=True,
        )
    }
    if any(c.pk is None for c in categories.values()):
        categories = {c.name.casefold(): c for c in version.categories.all()}
    spelled = {r.code.casefold(): r.code for r in report.rows}
    created = Competency.objects.bulk_create(
        [
            Competency(
                version=version,
                category=categories.get(r.category.casefold()) if r.category else None,
                code=r.code,
                name=r.name,
                description=r.description,
                esco_uri=r.esco_uri,
                parent_code=spelled.get(r.parent.casefold(), "") if r.parent else "",
                position=i,
            )
            for i, r in enumerate(report.rows)
        ],
        batch_size=CHUNK,
    )
    by_code = {c.code: c for c in created}
    if any(c.pk is None for c in created):
        by_code = {c.code: c for c in version.competencies.all()}
    LevelDescriptor.objects.bulk_create(
        [
            LevelDescriptor(competency=by_code[r.code], level=level, text=text)
            for r in report.rows
            for level, text in sorted(r.descriptors.items())
        ],
        batch_size=CHUNK,
    )
    counts = {
        "competencies": len(report.rows),
        "categories": len(report.categories),
        "with_esco_uri": report.with_esco_uri,
    }
    audit_record(
        actor=actor,
        action="framework.import",
        network=framework.network,
        organisation=framework.organisation,
        framework=framework.name,
        version=version.number,
        file=locked.filename,
        **counts,
    )
    locked.status = FrameworkImportStatus.IMPORTED
    locked.imported_at = timezone.now()
    locked.framework = framework
    locked.version = version
    locked.result = counts
    # What was read now lives in the framework itself.
    locked.payload = {}
    locked.save(
        update_fields=["status", "imported_at", "framework", "version", "result", "payload"]
    )
    return version


# --- export ---------------------------------------------------------------------------------


@dataclass
class Export:
    content: bytes
    content_type: str
    filename: str


def _guard(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula; the import takes the mark off again."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _version_content(version: FrameworkVersion) -> tuple[list[ScaleLevel], list[Competency]]:
    levels = list(version.levels.all())
    competencies = list(
        version.competencies.select_related("category")
        .prefetch_related("descriptors")
        .order_by("position", "code")
    )
    return levels, competencies


def export_csv(version: FrameworkVersion) -> Export:
    levels, competencies = _version_content(version)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["code", "name", "category", "description", "esco_uri", "parent"]
        + [f"level_{lv.value}" for lv in levels]
    )
    for c in competencies:
        texts = {d.level: d.text for d in c.descriptors.all()}
        writer.writerow(
            [
                _guard(value)
                for value in [
                    c.code,
                    c.name,
                    c.category.name if c.category else "",
                    c.description,
                    c.esco_uri,
                    c.parent_code,
                    *(texts.get(lv.value, "") for lv in levels),
                ]
            ]
        )
    return Export(
        # A byte order mark, so that Excel reads the letters as UTF-8.
        content=b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        filename=f"{version.framework.slug}-v{version.number}.csv",
    )


def export_json(version: FrameworkVersion) -> Export:
    levels, competencies = _version_content(version)
    framework = version.framework
    data = {
        "format": JSON_FORMAT_NAME,
        "format_version": 1,
        "framework": {"name": framework.name, "description": framework.description},
        "version": {
            "number": version.number,
            "status": version.status,
            "note": version.note,
            "published_at": version.published_at.isoformat() if version.published_at else None,
        },
        "scale": [
            {"value": lv.value, "label": lv.label, "description": lv.description} for lv in levels
        ],
        "categories": [c.name for c in version.categories.all()],
        "competencies": [
            {
                "code": c.code,
                "name": c.name,
                "category": c.category.name if c.category else "",
                "description": c.description,
                "esco_uri": c.esco_uri,
                "parent": c.parent_code,
                "descriptors": {str(d.level): d.text for d in c.descriptors.all()},
            }
            for c in competencies
        ],
    }
    return Export(
        content=json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        filename=f"{framework.slug}-v{version.number}.json",
    )


def framework_export(version: FrameworkVersion, fmt: str) -> Export:
    if fmt == FORMAT_CSV:
        return export_csv(version)
    if fmt == FORMAT_JSON:
        return export_json(version)
    raise ValueError(fmt)
