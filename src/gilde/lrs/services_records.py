"""Downloads of learning records: the statements themselves (JSON) or one readable row per record
(CSV), with the filters of the page, and an audit row saying who took whose records.

Both files are made in chunks from rows read a few hundred at a time, so years of records never
sit in memory as model objects at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.lrs.models import Statement
from gilde.lrs.selectors_records import RecordFilters, iter_matching, record_of

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# A cell starting with one of these would be a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RecordsExport:
    filename: str
    content_type: str
    chunks: Iterator[bytes]


class _Line:
    """csv.writer writes into this and gets the line back, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def _guarded(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_header() -> list[str]:
    return [
        _("Date and time"),
        _("What"),
        _("Activity"),
        _("Activity id"),
        _("Score"),
        _("Result"),
        _("Completed"),
        _("Duration"),
        _("Organisation"),
        _("Record id"),
    ]


def _csv_chunks(statements: Iterator[Statement], language: str) -> Iterator[bytes]:
    # The chunks may be read after the view has returned: keep the language of the request.
    with translation.override(language):
        writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
        # A byte order mark and semicolons: what Excel with Dutch settings opens without asking.
        yield ("\ufeff" + writer.writerow(csv_header())).encode("utf-8")
        zone = timezone.get_current_timezone()
        for statement in statements:
            record = record_of(statement, language)
            when = timezone.localtime(record.when, zone)
            row = [
                formats.date_format(when, "Y-m-d H:i"),
                record.verb_text,
                record.activity_text,
                record.activity_id,
                record.score,
                record.success_text,
                _("yes") if record.completion else "",
                record.duration,
                record.organisation,
                record.statement_id,
            ]
            yield writer.writerow([_guarded(str(v)) for v in row]).encode("utf-8")


def _json_chunks(statements: Iterator[Statement]) -> Iterator[bytes]:
    """The statements exactly as the LRS keeps them, as one JSON array."""
    yield b"["
    first = True
    for statement in statements:
        yield (b"" if first else b",") + statement.data.encode("utf-8")
        first = False
    yield b"]"


@transaction.atomic
def records_export(
    *,
    actor: Any,
    person: Any,
    records: QuerySet[Statement],
    filters: RecordFilters,
    fmt: str,
    organisation: Any = None,
) -> RecordsExport:
    """A download of `records` (already limited to what the actor may see) and an audit row."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    audit_record(
        actor=actor,
        action="lrs.records_export",
        organisation=organisation,
        subject=person,
        format=fmt,
        filtered=filters.active,
    )
    language = translation.get_language() or "nl"
    statements = iter_matching(records, filters)
    chunks = _csv_chunks(statements, language) if fmt == "csv" else _json_chunks(statements)
    day = timezone.localdate().isoformat()
    name = slugify(_("learning records"))
    if actor.pk != person.pk:
        name += "-" + slugify(person.display_name)
    return RecordsExport(filename=f"{name}-{day}.{fmt}", content_type=FORMATS[fmt], chunks=chunks)
