"""The HR people import and the competency framework import, beyond what tests/people and
tests/competencies already fuzz (any bytes, CSV text in any encoding, damaged Excel files, CSV
written by a spreadsheet): Excel files written with random cells come back cell for cell, dates
in every accepted notation come back as the same day, and framework JSON of any shape is read or
refused with a message, a valid one as written."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from gilde.competencies.importing import FrameworkImportError, check_rows, parse_framework_file
from gilde.people.importing import ImportFileError, parse_date, parse_file
from tests.people.test_import import xlsx_file

# Cell text as people type it: no control characters (Excel cannot hold them), not starting
# with "=" (a formula), no whitespace at either end (the import trims it).
cell = st.text(
    st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=15
).filter(lambda s: s == s.strip() and not s.startswith("="))
HEADER = ["Voornaam", "Achternaam", "E-mail", "Afdeling"]


@given(rows=st.lists(st.lists(cell, min_size=4, max_size=4), min_size=1, max_size=15))
@example(rows=[["0123", "1.50", "TRUE", "31-12-2024"]])
def test_an_excel_file_with_any_text_comes_back_cell_for_cell(rows: list[list[str]]) -> None:
    parsed = parse_file("mensen.xlsx", xlsx_file([HEADER, *rows]))
    assert parsed.kind == "xlsx"
    assert parsed.header == HEADER
    assert [cells for _line, cells in parsed.rows] == rows


@given(
    rows=st.lists(
        st.lists(
            st.none() | st.integers(-(10**12), 10**12) | st.booleans() | st.dates() | cell,
            max_size=6,
        ),
        max_size=8,
    )
)
def test_an_excel_file_with_any_values_is_read_or_refused_with_a_message(
    rows: list[list[Any]],
) -> None:
    try:
        parsed = parse_file("mensen.xlsx", xlsx_file([HEADER, *rows]))
    except ImportFileError as error:
        assert str(error)
    else:
        assert all(isinstance(c, str) for _line, cells in parsed.rows for c in cells)


@given(value=st.text(max_size=30))
@example(value="99999")
@example(value="31-02-2024")
@example(value="2024-12-31T25:99")
def test_any_text_is_a_date_or_none(value: str) -> None:
    result = parse_date(value, today=dt.date(2026, 1, 1))
    assert result is None or 1900 <= result.year <= 2100


NOTATIONS = ["%d-%m-%Y", "%-d-%-m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d"]


@given(
    day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), notation=st.sampled_from(NOTATIONS)
)
def test_a_date_in_every_accepted_notation_is_the_same_day(day: dt.date, notation: str) -> None:
    assert parse_date(day.strftime(notation)) == day
    excel_day = (day - dt.date(1899, 12, 30)).days
    if excel_day >= 10_000:
        assert parse_date(str(excel_day)) == day


# --- competency frameworks as JSON ------------------------------------------------------------

KEYS = [
    "competencies",
    "scale",
    "categories",
    "framework",
    "code",
    "name",
    "category",
    "description",
    "esco_uri",
    "parent",
    "descriptors",
    "level",
    "text",
    "value",
    "label",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=30,
)


@given(document=json_values)
@example(document={"competencies": [{"code": 1e308 * 10}]})
@example(document={"competencies": [{"descriptors": {"NaN": "x", "1e999": "y"}}]})
@example(document={"competencies": [{}], "scale": [{"value": 1.5, "label": "x"}] * 3})
def test_any_json_framework_is_read_or_refused_with_a_message(document: Any) -> None:
    content = json.dumps(document).encode()
    try:
        parsed = parse_framework_file("kader.json", content)
    except FrameworkImportError as error:
        assert str(error)
        return
    levels = [value for value, _label, _text in parsed.scale] if parsed.scale else [1, 2, 3, 4]
    check_rows(parsed.rows, levels=levels, categories=parsed.categories)


words = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: s.strip() == s
)


@given(
    competencies=st.lists(
        st.fixed_dictionaries(
            {
                "code": st.from_regex(r"[A-Z]{2,4}-[0-9]{1,3}", fullmatch=True),
                "name": words,
                "description": words | st.just(""),
                "descriptors": st.dictionaries(st.sampled_from(["1", "2", "3", "4"]), words),
            }
        ),
        min_size=1,
        max_size=10,
        unique_by=lambda c: c["code"].casefold(),
    )
)
def test_a_valid_json_framework_is_read_as_written(competencies: list[dict[str, Any]]) -> None:
    content = json.dumps({"framework": {"name": "Kader"}, "competencies": competencies}).encode()
    parsed = parse_framework_file("kader.json", content)
    assert parsed.problems == []
    assert [(r.code, r.name, r.description) for r in parsed.rows] == [
        (c["code"], c["name"], c["description"]) for c in competencies
    ]
    assert [r.descriptors for r in parsed.rows] == [
        {int(k): v for k, v in c["descriptors"].items()} for c in competencies
    ]
    assert check_rows(parsed.rows, levels=[1, 2, 3, 4]) == []
