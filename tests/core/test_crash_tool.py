"""The helpers of the crash-safety test (tools/crash_test.py): its files, statements and verdicts
must be right, or the test would prove nothing. The test itself runs with `make crash`."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest

from gilde.lrs.services import _collect_links
from gilde.lrs.validation import validate_statements
from gilde.people.importing import ImportField, detect_mapping, parse_file

TOOL = Path(__file__).resolve().parents[2] / "tools" / "crash_test.py"


@pytest.fixture(scope="module")
def crash() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_test", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_test"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_people_file_is_read_as_an_hr_export(crash: ModuleType) -> None:
    parsed = parse_file("people.csv", crash.people_csv(2, 25))
    assert len(parsed.rows) == 25
    mapping = detect_mapping(parsed.header)
    assert set(mapping) == {
        ImportField.EMPLOYEE_NUMBER,
        ImportField.GIVEN_NAME,
        ImportField.FAMILY_NAME,
        ImportField.EMAIL,
        ImportField.FUNCTION_TITLE,
    }
    emails = [cells[mapping.index(ImportField.EMAIL)] for _line, cells in parsed.rows]
    assert emails[0] == crash.import_email(2, 0)
    assert all(e.startswith(crash.import_email_prefix(2)) for e in emails)
    assert len(set(emails)) == 25


def test_statements_are_valid_seeded_and_come_back_unchanged(crash: ModuleType) -> None:
    first = [crash.make_statement(random.Random(7)) for _ in range(2)]
    assert first[0] == first[1]  # the same seed, the same statement
    statement = crash.make_statement(random.Random(8), attachment=b"photo")
    # The LRS accepts it as it is and stores it in this form (lists, milliseconds).
    assert validate_statements([dict(statement)])[0] == statement
    assert statement["attachments"][0]["length"] == 5
    assert _collect_links(statement).rows  # it has index rows to check


def test_statement_differences_ignore_what_the_store_adds(crash: ModuleType) -> None:
    sent = crash.make_statement(random.Random(3))
    returned = dict(sent, stored="2024-01-01T00:00:00.000Z", authority={}, version="1.0.0")
    assert crash.statement_differences(sent, returned) == []
    returned["result"] = {"completion": False}
    assert crash.statement_differences(sent, returned) == ["result"]
    del returned["context"]
    assert crash.statement_differences(sent, returned) == ["result", "context"]


def test_multipart_body_names_each_attachment_by_its_hash(crash: ModuleType) -> None:
    statement = crash.make_statement(random.Random(4), attachment=b"abc")
    body, content_type = crash.multipart_body([statement], [b"abc"])
    boundary = content_type.split('boundary="', 1)[1].rstrip('"')
    assert body.count(f"--{boundary}".encode()) == 3  # two parts and the end
    assert f"X-Experience-API-Hash: {statement['attachments'][0]['sha2']}".encode() in body
    assert body.endswith(f"--{boundary}--\r\n".encode())


def test_missing_link_rows_are_counted_with_repeats(crash: ModuleType) -> None:
    expected = [("a", "x", True), ("c", "y", True), ("c", "y", True)]
    assert crash.link_rows_missing(expected, expected) == []
    assert crash.link_rows_missing(expected, [("a", "x", True), ("c", "y", True)]) == [
        ("c", "y", True)
    ]
    assert crash.link_rows_missing(expected, [*expected, ("a", "z", False)]) == []


@pytest.mark.parametrize(
    ("people", "memberships", "roles", "verdict"),
    [(0, 0, 0, "none"), (5, 5, 5, "all"), (5, 0, 0, "partial"), (5, 5, 0, "partial")],
)
def test_import_is_all_or_nothing(
    crash: ModuleType, people: int, memberships: int, roles: int, verdict: str
) -> None:
    found = crash.import_verdict(rows=5, people=people, memberships=memberships, roles=roles)
    assert found == verdict


def test_success_is_read_from_the_messages_cookie(crash: ModuleType) -> None:
    def cookie(*levels: int) -> str:
        storage = CookieStorage(HttpRequest())
        return str(storage._encode([Message(level, "text") for level in levels]))

    assert crash.succeeded(cookie(constants.SUCCESS))
    assert not crash.succeeded(cookie(constants.ERROR))
    assert not crash.succeeded(cookie(constants.SUCCESS, constants.ERROR))
    assert not crash.succeeded("")


def test_summary_table_and_verdict(crash: ModuleType) -> None:
    good = crash.Row("sqlite", "xapi", kills=3, in_flight=3, acknowledged=900, restarts=3)
    good.clean_restarts = 3
    bad = crash.Row("postgresql", "import", kills=1, restarts=1, clean_restarts=1, lost=2)
    assert good.ok and not bad.ok
    table = crash.summary_table([good, bad]).splitlines()
    assert table[0].startswith("| database ")
    assert "| 900 " in table[2] and "| 3/3 " in table[2]
    assert len({len(line) for line in table}) == 1  # columns line up
