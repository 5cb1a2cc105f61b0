"""`gilde backup` and `gilde restore`: a round trip gives back every row of every table and every
stored file byte for byte; a damaged, foreign or unfitting archive is refused with one line and
changes nothing. Runs on SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import io
import json
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gilde.audit.models import AuditEvent
from gilde.core import backup
from gilde.people.models import Person
from gilde.tenancy.models import OrganisationKind
from gilde.tenancy.services import organisation_create
from tests.conftest import World, make_person

FILES = {
    "notes.txt": b"Werkplaats A: veiligheidsinstructie\n",
    "evidence/2026/certificaat.pdf": b"%PDF-1.4 " + bytes(range(256)) * 40,
    "scorm/pakket-1/index.html": "<h1>Lassen – les 1</h1>".encode(),
}


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    for name, content in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    settings.MEDIA_ROOT = root
    return root


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in an order that does not depend on how they were stored."""

    def plain(value: Any) -> Any:
        return bytes(value) if isinstance(value, memoryview) else value

    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = [tuple(plain(value) for value in row) for row in cursor.fetchall()]
            state[table] = sorted(rows, key=repr)
    return state


def files_state(root: Path) -> dict[str, bytes]:
    """Every file under root (hidden ones too), with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def make_backup(folder: Path, name: str = "backup.tar.gz") -> Path:
    output = folder / name
    call_command("backup", output=output, verbosity=0)
    return output


def rewrite(
    source: Path,
    target: Path,
    *,
    manifest: Callable[[dict[str, Any]], Any] | None = None,
    members: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """A copy of an archive with the manifest or members changed (checksums left as they were)."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for info in old:
            if info.name in drop:
                continue
            data = old.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == backup.MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif members and info.name in members:
                data = members[info.name]
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def assert_archive_contents(archive: Path) -> None:
    manifest = backup.read_manifest(archive)
    assert manifest["format"] == "gilde-backup"
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["database"] == connection.vendor
    assert ("people", "0001_initial") in manifest["migrations"]
    names = {member["name"] for member in manifest["members"]}
    assert names == {backup.DATABASE_MEMBERS[connection.vendor]} | {
        f"files/media/{name}" for name in FILES
    }
    with tarfile.open(archive) as tar:
        assert tar.getnames()[-1] == "manifest.json"
        for member in manifest["members"]:
            assert tar.getmember(member["name"]).size == member["size"]


# The round trip commits, backs up and restores for real: a transactional test (the test
# database is emptied afterwards, as after every transactional test).
@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_back_every_row_and_every_file(
    world: World, media: Path, tmp_path: Path
) -> None:
    before_rows = database_state()
    before_files = files_state(media)
    assert before_rows["people_person"], "the world has people"
    archive = make_backup(tmp_path)
    assert_archive_contents(archive)
    # Nothing half-written is left next to it.
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name, "media"]

    # Change, add and delete data and files after the backup.
    Person.objects.filter(pk=world.a.learner.pk).update(given_name="Veranderd")
    organisation_create(actor=None, name="Na de back-up", kind=OrganisationKind.COMPANY)
    AuditEvent.objects.filter(action="membership.create").delete()
    with connection.cursor() as cursor:  # a table of a newer migration, pointing at a person
        cursor.execute(
            "CREATE TABLE later_table (id integer PRIMARY KEY, "
            "person_id bigint REFERENCES people_person (id))"
        )
        cursor.execute("INSERT INTO later_table VALUES (1, %s)", [world.a.learner.pk])
    (media / "notes.txt").write_bytes(b"overwritten")
    (media / "evidence/2026/certificaat.pdf").unlink()
    (media / "new-folder").mkdir()
    (media / "new-folder/later.txt").write_bytes(b"uploaded after the backup")
    assert database_state() != before_rows

    call_command("restore", str(archive), interactive=False, verbosity=0)

    restored = AuditEvent.objects.get(action="backup.restore")
    assert restored.detail["file"] == archive.name
    restored.delete()  # the one row the restore adds on purpose
    assert database_state() == before_rows
    assert files_state(media) == before_files
    assert Person.objects.get(pk=world.a.learner.pk).given_name == world.a.learner.given_name


@pytest.fixture
def fake_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that need a well-formed archive but never restore its database run inside a
    transaction, where SQLite cannot copy the database: a stand-in database member instead."""

    def dump(folder: Path, vendor: str) -> Path:
        path = folder / "stand-in"
        path.write_bytes(b"a database")
        return path

    monkeypatch.setattr(backup, "_dump_database", dump)


def test_backup_refuses_to_overwrite_and_leaves_no_partial_file(
    world: World, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_dump: None
) -> None:
    existing = tmp_path / "existing.tar.gz"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=existing, verbosity=0)
    assert existing.read_bytes() == b"keep me"

    def broken(*args: Any) -> Any:
        raise backup.BackupError("disk full")

    monkeypatch.setattr(backup, "_add_file", broken)
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup", output=tmp_path / "new.tar.gz", verbosity=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.tar.gz", "media"]


@pytest.fixture
def good_archive(world: World, media: Path, tmp_path: Path, fake_dump: None) -> Path:
    """A valid backup, made before the state the bad-input tests protect."""
    folder = tmp_path / "archives"
    folder.mkdir()
    archive = make_backup(folder)
    # After the backup: data and files that a refused restore must leave alone.
    make_person("na-backup@example.org", "Nina", "Nabackup")
    (media / "after.txt").write_bytes(b"kept")
    return archive


def other_vendor() -> str:
    return "sqlite" if connection.vendor == "postgresql" else "postgresql"


def _random(tmp: Path, good: Path) -> Path:
    target = tmp / "random.tar.gz"
    target.write_bytes(os.urandom(4096))
    return target


def _truncated_gz(tmp: Path, good: Path) -> Path:
    target = tmp / "truncated.tar.gz"
    data = good.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def _truncated_tar(tmp: Path, good: Path) -> Path:
    plain = rewrite(good, tmp / "plain.tar")
    data = plain.read_bytes()
    target = tmp / "truncated.tar"
    target.write_bytes(data[: len(data) // 2])
    return target


def _tampered(tmp: Path, good: Path) -> Path:
    return rewrite(
        good,
        tmp / "t.tar",
        members={"files/media/notes.txt": b"Werkplaats B!!!!!!!!!!!!!!!!!!!!!\n"},
    )


def _missing_member(tmp: Path, good: Path) -> Path:
    return rewrite(good, tmp / "m.tar", drop=("files/media/notes.txt",))


def _no_manifest(tmp: Path, good: Path) -> Path:
    return rewrite(good, tmp / "n.tar", drop=("manifest.json",))


def _foreign_format(tmp: Path, good: Path) -> Path:
    return rewrite(good, tmp / "f.tar", manifest=lambda m: {**m, "format": "other-backup"})


def _future_format(tmp: Path, good: Path) -> Path:
    return rewrite(good, tmp / "v.tar", manifest=lambda m: {**m, "format_version": 99})


def _other_vendor(tmp: Path, good: Path) -> Path:
    def change(m: dict[str, Any]) -> dict[str, Any]:
        old, new = backup.DATABASE_MEMBERS[m["database"]], backup.DATABASE_MEMBERS[other_vendor()]
        members = [{**x, "name": new} if x["name"] == old else x for x in m["members"]]
        return {**m, "database": other_vendor(), "members": members}

    return rewrite(good, tmp / "o.tar", manifest=change)


def _newer_migrations(tmp: Path, good: Path) -> Path:
    return rewrite(
        good,
        tmp / "g.tar",
        manifest=lambda m: {**m, "migrations": [*m["migrations"], ["learning", "9999_future"]]},
    )


def _escaping_name(tmp: Path, good: Path) -> Path:
    def change(m: dict[str, Any]) -> dict[str, Any]:
        members = [
            {**x, "name": "files/media/../../outside.txt"}
            if x["name"] == "files/media/notes.txt"
            else x
            for x in m["members"]
        ]
        return {**m, "members": members}

    return rewrite(good, tmp / "e.tar", manifest=change)


BAD_ARCHIVES = {
    "random bytes": (_random, "not a readable backup archive"),
    "truncated .tar.gz": (_truncated_gz, "damaged or incomplete|has no manifest.json"),
    "truncated .tar": (_truncated_tar, "damaged or incomplete|has no manifest.json"),
    "tampered member": (_tampered, "Checksum mismatch: files/media/notes.txt"),
    "missing member": (_missing_member, "is incomplete"),
    "no manifest": (_no_manifest, "has no manifest.json: it is not a Gilde backup"),
    "foreign format": (_foreign_format, "Not a Gilde backup"),
    "newer format version": (_future_format, "format version 99 is not supported"),
    "other database vendor": (_other_vendor, "backup; Gilde is configured for"),
    "newer migrations": (_newer_migrations, "newer Gilde .* learning.9999_future"),
    "name outside the storage": (_escaping_name, "unexpected file"),
    # good_archive's database member is a stand-in: not a database at all.
    "damaged database": (lambda tmp, good: good, "The database in the backup is damaged"),
}


@pytest.mark.parametrize("kind", BAD_ARCHIVES)
def test_bad_archive_is_refused_and_nothing_changes(
    kind: str, good_archive: Path, media: Path, tmp_path: Path
) -> None:
    make, message = BAD_ARCHIVES[kind]
    bad = make(tmp_path, good_archive)
    rows, files = database_state(), files_state(media)
    with pytest.raises(CommandError, match=message) as refused:
        call_command("restore", str(bad), interactive=False, verbosity=0)
    assert "\n" not in str(refused.value)
    assert database_state() == rows
    assert files_state(media) == files
    assert sorted(p.name for p in media.iterdir()) == sorted(
        ["after.txt", "evidence", "notes.txt", "scorm"]
    )


def test_other_vendor_message_names_both_databases(good_archive: Path, tmp_path: Path) -> None:
    bad = _other_vendor(tmp_path, good_archive)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    expected = f"This is a {names[other_vendor()]} backup; Gilde is configured for {names[connection.vendor]}"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(bad), interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_a_no_changes_nothing(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_person("voor@example.org", "Vera", "Voor")
    good_archive = make_backup(tmp_path)
    make_person("na@example.org", "Nico", "Na")
    rows, files = database_state(), files_state(media)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled; nothing changed"):
        call_command("restore", str(good_archive), verbosity=0)
    assert database_state() == rows
    assert files_state(media) == files
