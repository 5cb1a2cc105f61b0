"""One-file backups of a Gilde installation and their restore (`gilde backup`, `gilde restore`).

An archive is a tar file (gzip-compressed when its name ends in .tar.gz or .tgz) holding

- ``database/gilde.sqlite3`` (SQLite's online backup, consistent while Gilde runs) or
  ``database/gilde.pgdump`` (``pg_dump --format=custom``),
- ``files/<root>/<path>``: every file under each storage root (``media`` is MEDIA_ROOT),
- ``manifest.json`` (the last member): format, versions, time, database vendor, the applied
  migrations and the size and SHA-256 of every other member.

A restore checks everything before it changes anything: the manifest, the database vendor, the
migrations, and every member's size and checksum while it unpacks into staging places (a
temporary folder for the database, a hidden folder inside each storage root for the files).
Only then does it replace the database (one transaction) and swap the files in by renames.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import importlib.metadata
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "gilde-backup"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/gilde.sqlite3", "postgresql": "database/gilde.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Folders a restore stages files in, inside each storage root; never part of a backup.
STAGING_PREFIX = ".gilde-restore-"
CHUNK = 1024 * 1024
ROOT_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the operator."""


def gilde_version() -> str:
    try:
        return importlib.metadata.version("gilde")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def storage_roots() -> dict[str, Path]:
    """Every folder uploaded files are kept in: MEDIA_ROOT ("media") and the `location` of any
    other file-system storage in settings.STORAGES (static files are rebuilt, not backed up)."""
    roots: dict[str, Path] = {"media": Path(settings.MEDIA_ROOT)}
    storages: dict[str, dict[str, Any]] = settings.STORAGES
    for alias, config in storages.items():
        if alias == "staticfiles" or not str(config.get("BACKEND", "")).endswith(
            "FileSystemStorage"
        ):
            continue
        location = config.get("OPTIONS", {}).get("location")
        if location and Path(location) not in roots.values() and ROOT_KEY.match(alias):
            roots[alias] = Path(location)
    return roots


def _connection(alias: str = DEFAULT_DB_ALIAS) -> Any:
    return connections[alias]


def _vendor() -> str:
    vendor = str(_connection().vendor)
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- PostgreSQL client programs ---------------------------------------------------------------


def postgres_program(name: str) -> str:
    """A PostgreSQL client program: from PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: Path) -> tuple[int, ...]:
        digits = path.parent.parent.name
        return tuple(int(p) for p in digits.split(".") if p.isdigit())

    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} not found: install the PostgreSQL client programs.")


def _postgres_env() -> dict[str, str]:
    """The connection parameters of the configured database as libpq environment variables."""
    params = _connection().settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    options = params.get("OPTIONS") or {}
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("service", "PGSERVICE"),
        ("passfile", "PGPASSFILE"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
        ("options", "PGOPTIONS"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(command, capture_output=True, check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        name = Path(command[0]).name
        raise BackupError(f"{name} failed: {message[0] if message else result.returncode}")
    return result


# --- making a backup --------------------------------------------------------------------------


def _dump_database(folder: Path, vendor: str) -> Path:
    conn = _connection()
    if vendor == "sqlite":
        if conn.in_atomic_block:
            # The copy would wait for this connection's own open transaction, for ever.
            raise BackupError("A SQLite backup cannot run inside a database transaction.")
        target_path = folder / "gilde.sqlite3"
        conn.ensure_connection()
        target = sqlite3.connect(target_path)
        try:
            # The online backup API: a consistent copy while other connections keep writing.
            conn.connection.backup(target)
            # A plain rollback-journal file: nothing is left in a -wal file beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        return target_path
    target_path = folder / "gilde.pgdump"
    _run(
        [postgres_program("pg_dump"), "--format=custom", "--no-password", f"--file={target_path}"],
        env=_postgres_env(),
    )
    return target_path


def _applied_migrations() -> list[list[str]]:
    applied = MigrationRecorder(_connection()).applied_migrations()
    return sorted([app, name] for app, name in applied)


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime)
    info.mode = 0o644
    return info


class _HashingReader:
    """Hashes what tarfile reads, so every file is read once and its checksum fits its bytes."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        reader = _HashingReader(handle)
        try:
            tar.addfile(_tarinfo(name, stat.st_size, stat.st_mtime), reader)
        except OSError as error:  # the file shrank while it was read
            raise BackupError(
                f"{path} changed while it was backed up; run the backup again."
            ) from error
    return {"name": name, "size": stat.st_size, "sha256": reader.digest.hexdigest()}


def _files_under(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, relative POSIX name) of every regular file under root, in a stable order."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if here == root:
            dirs[:] = [d for d in dirs if not d.startswith(STAGING_PREFIX)]
        dirs.sort()
        for file_name in sorted(files):
            path = here / file_name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


@dataclass
class BackupResult:
    path: Path
    files: int
    size: int


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            break
        value /= 1024
    return f"{value:.1f} {unit}"


def default_backup_name() -> str:
    return f"gilde-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(output: Path | None = None, *, progress: Progress | None = None) -> BackupResult:
    """Write one archive with the database, every stored file and a manifest.

    The archive is written under a temporary name next to `output` and renamed at the end, so
    a half-written backup never carries the final name."""
    vendor = _vendor()
    if output is None:
        output = Path.cwd() / default_backup_name()
    elif output.is_dir():
        output = output / default_backup_name()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another name.")
    if not output.parent.is_dir():
        raise BackupError(f"No such folder: {output.parent}")
    compressed = output.name.endswith((".tar.gz", ".tgz"))
    partial = output.with_name(f".{output.name}.{secrets.token_hex(4)}.partial")
    roots = storage_roots()
    file_lists = {key: list(_files_under(root)) for key, root in roots.items()}
    total = sum(len(files) for files in file_lists.values())
    step = max(100, total // 20)
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".gilde-backup-") as work:
            migrations = _applied_migrations()
            created = timezone.now()
            database = _dump_database(Path(work), vendor)
            members: list[dict[str, Any]] = []
            options: dict[str, Any] = {"compresslevel": 6} if compressed else {}
            with tarfile.open(partial, "w:gz" if compressed else "w", **options) as tar:
                members.append(_add_file(tar, database, DATABASE_MEMBERS[vendor]))
                database.unlink()
                done = 0
                for key, files in file_lists.items():
                    for path, relative in files:
                        # A file deleted since the listing is gone from the site too.
                        with suppress(FileNotFoundError):
                            members.append(_add_file(tar, path, f"files/{key}/{relative}"))
                        done += 1
                        if progress and total >= step and (done % step == 0 or done == total):
                            progress(f"files: {done} of {total}")
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "gilde_version": gilde_version(),
                    "created": created.isoformat(),
                    "database": vendor,
                    "migrations": migrations,
                    "roots": sorted(roots),
                    "members": members,
                }
                data = json.dumps(manifest, indent=1).encode()
                tar.addfile(
                    _tarinfo(MANIFEST, len(data), created.timestamp()),
                    _BytesReader(data),
                )
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(path=output, files=len(members) - 1, size=output.stat().st_size)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk


# --- checking and restoring -------------------------------------------------------------------

READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


@contextmanager
def _open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise BackupError(f"No such file: {path}")
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed below, after the caller's use
    except READ_ERRORS as error:
        raise BackupError(
            f"{path.name} is not a readable backup archive (not a tar file)."
        ) from error
    try:
        yield tar
    finally:
        tar.close()


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(
            f"Not a Gilde backup: the manifest's format is {found!r}, not {FORMAT!r}."
        )
    version = manifest.get("format_version")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        raise BackupError(
            f"Backup format version {version!r} is not supported by this Gilde "
            f"({gilde_version()} reads version {', '.join(map(str, sorted(SUPPORTED_FORMAT_VERSIONS)))})."
        )
    try:
        vendor = manifest["database"]
        members = manifest["members"]
        migrations = [(str(app), str(name)) for app, name in manifest["migrations"]]
        roots = [str(root) for root in manifest["roots"]]
        for member in members:
            if not (
                isinstance(member["name"], str)
                and isinstance(member["size"], int)
                and re.fullmatch(r"[0-9a-f]{64}", member["sha256"])
            ):
                raise TypeError(member)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError("The backup's manifest is incomplete or damaged.") from error
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"The backup holds an unknown kind of database ({vendor!r}).")
    names = [member["name"] for member in members]
    if len(set(names)) != len(names):
        raise BackupError("The backup's manifest names a file twice.")
    if names.count(DATABASE_MEMBERS[vendor]) != 1:
        raise BackupError("The backup's manifest has no database.")
    for name in names:
        _member_target(name, roots, vendor)  # refuses unsafe or unknown names
    manifest["migrations"] = migrations
    manifest["roots"] = roots
    return manifest


def _member_target(name: str, roots: list[str], vendor: str) -> tuple[str, PurePosixPath]:
    """(root key or "" for the database, path inside the root) of a member, or BackupError."""
    if name == DATABASE_MEMBERS[vendor]:
        return "", PurePosixPath()
    path = PurePosixPath(name)
    parts = path.parts
    if (
        len(parts) >= 3
        and parts[0] == "files"
        and parts[1] in roots
        and not path.is_absolute()
        and all(part not in {"", ".", ".."} for part in parts)
        and "\\" not in name
        and not parts[2].startswith(STAGING_PREFIX)
    ):
        return parts[1], PurePosixPath(*parts[2:])
    raise BackupError(f"The backup holds an unexpected file: {name!r}.")


def read_manifest(path: Path) -> dict[str, Any]:
    """The checked manifest of an archive (format, version, member names), or BackupError."""
    with _open_archive(path) as tar:
        try:
            member = tar.getmember(MANIFEST)
            handle = tar.extractfile(member)
            if handle is None:
                raise KeyError(MANIFEST)
            data = handle.read()
        except KeyError as error:
            raise BackupError(
                f"{path.name} has no {MANIFEST}: it is not a Gilde backup, or it is incomplete."
            ) from error
        except READ_ERRORS as error:
            raise BackupError(f"{path.name} is damaged or incomplete ({error}).") from error
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BackupError(f"The manifest in {path.name} is not valid JSON.") from error
    return _check_manifest(manifest)


def code_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_compatible(manifest: dict[str, Any]) -> None:
    """The backup fits this installation: same database vendor, no migrations the code lacks,
    and every storage root it holds files for is configured here."""
    vendor = _vendor()
    if manifest["database"] != vendor:
        raise BackupError(
            f"This is a {VENDOR_NAMES[manifest['database']]} backup; Gilde is configured for "
            f"{VENDOR_NAMES[vendor]}. Restore it into a {VENDOR_NAMES[manifest['database']]} "
            "installation (see docs/operations.md for moving between databases)."
        )
    unknown = sorted(set(manifest["migrations"]) - code_migrations())
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise BackupError(
            f"The backup comes from a newer Gilde ({manifest.get('gilde_version', '?')}): this "
            f"version does not know its migrations {listed}{more}. Install a version that does."
        )
    missing_roots = set(manifest["roots"]) - set(storage_roots())
    if missing_roots:
        raise BackupError(
            f"The backup holds files for storage {', '.join(sorted(missing_roots))}, "
            "which is not configured here."
        )


@dataclass
class PreparedRestore:
    """A checked, unpacked backup waiting to be applied; `close()` removes what was unpacked."""

    archive: Path
    manifest: dict[str, Any]
    work: Path
    database: Path
    staging: dict[str, Path] = field(default_factory=dict)
    created_roots: list[Path] = field(default_factory=list)
    files: int = 0

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        for folder in self.staging.values():
            shutil.rmtree(folder, ignore_errors=True)
        for root in self.created_roots:
            with suppress(OSError):
                root.rmdir()  # only if still empty

    def __enter__(self) -> PreparedRestore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prepare_restore(path: Path, *, progress: Progress | None = None) -> PreparedRestore:
    """Check an archive completely and unpack it into staging places; change nothing else.

    Raises BackupError (and leaves nothing behind) when anything is wrong."""
    manifest = read_manifest(path)
    check_compatible(manifest)
    vendor = manifest["database"]
    members = {member["name"]: member for member in manifest["members"]}
    work = Path(tempfile.mkdtemp(prefix="gilde-restore-"))
    prepared = PreparedRestore(
        archive=path,
        manifest=manifest,
        work=work,
        database=work / Path(DATABASE_MEMBERS[vendor]).name,
    )
    try:
        roots = storage_roots()
        token = secrets.token_hex(4)
        for key in manifest["roots"]:
            root = roots[key]
            if not root.exists():
                root.mkdir(parents=True)
                prepared.created_roots.append(root)
            staging = root / f"{STAGING_PREFIX}{token}"
            staging.mkdir()
            prepared.staging[key] = staging
            (staging / "new").mkdir()
        _unpack(path, prepared, members, progress)
        _check_database_file(prepared.database, vendor)
    except BaseException:
        prepared.close()
        raise
    return prepared


def _unpack(
    path: Path,
    prepared: PreparedRestore,
    members: dict[str, dict[str, Any]],
    progress: Progress | None,
) -> None:
    vendor = prepared.manifest["database"]
    seen: set[str] = set()
    total = len(members) - 1
    step = max(100, total // 20)
    with _open_archive(path) as tar:
        try:
            for info in tar:
                if info.name == MANIFEST:
                    continue
                expected = members.get(info.name)
                if expected is None or info.name in seen or not info.isfile():
                    raise BackupError(f"The backup holds an unexpected file: {info.name!r}.")
                seen.add(info.name)
                key, relative = _member_target(info.name, prepared.manifest["roots"], vendor)
                if key:
                    target = prepared.staging[key] / "new" / Path(*relative.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                else:
                    target = prepared.database
                _extract(tar, info, target, expected)
                if key:
                    prepared.files += 1
                    if (
                        progress
                        and total >= step
                        and (prepared.files % step == 0 or prepared.files == total)
                    ):
                        progress(f"checked files: {prepared.files} of {total}")
        except READ_ERRORS as error:
            raise BackupError(f"{path.name} is damaged or incomplete ({error}).") from error
        except OSError as error:  # no space left, or names that cannot be files side by side
            raise BackupError(
                f"Could not unpack {path.name} ({error}); nothing changed."
            ) from error
    missing = sorted(set(members) - seen)
    if missing:
        raise BackupError(
            f"{path.name} is incomplete: {len(missing)} file(s) named in its manifest are "
            f"missing (first: {missing[0]})."
        )


def _extract(
    tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path, expected: dict[str, Any]
) -> None:
    if info.size != expected["size"]:
        raise BackupError(
            f"Checksum mismatch: {info.name} has the wrong size; the backup is damaged."
        )
    source = tar.extractfile(info)
    if source is None:
        raise BackupError(f"The backup holds an unexpected file: {info.name!r}.")
    digest = hashlib.sha256()
    with source, target.open("xb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"Checksum mismatch: {info.name} is damaged; nothing was restored.")
    os.utime(target, (info.mtime, info.mtime))


def _check_database_file(path: Path, vendor: str) -> None:
    if vendor == "sqlite":
        try:
            source = sqlite3.connect(path)
            try:
                result = source.execute("PRAGMA integrity_check").fetchone()
                # The copy must not be in WAL mode, and must have the live database's page size
                # (SQLite cannot copy between page sizes into a database in WAL mode).
                source.execute("PRAGMA journal_mode=DELETE")
                conn = _connection()
                conn.ensure_connection()
                wanted = conn.connection.execute("PRAGMA page_size").fetchone()[0]
                if source.execute("PRAGMA page_size").fetchone()[0] != wanted:
                    source.execute(f"PRAGMA page_size={int(wanted)}")
                    source.execute("VACUUM")
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The database in the backup is damaged ({error}).") from error
        if not result or result[0] != "ok":
            raise BackupError("The database in the backup is damaged (integrity check failed).")
        return
    try:
        _run([postgres_program("pg_restore"), "--list", str(path)])
    except BackupError as error:
        raise BackupError(f"The database in the backup is damaged ({error}).") from error


def apply_restore(prepared: PreparedRestore) -> None:
    """Replace the database (in one transaction) and then the files (by renames)."""
    conn = _connection()
    if conn.in_atomic_block:
        raise BackupError("A restore cannot run inside a database transaction.")
    if prepared.manifest["database"] == "sqlite":
        _restore_sqlite(prepared.database)
    else:
        _restore_postgres(prepared.database)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    roots = storage_roots()
    for key, staging in prepared.staging.items():
        _swap_in(roots[key], staging)
    prepared.staging.clear()
    prepared.created_roots.clear()


def _restore_sqlite(path: Path) -> None:
    conn = _connection()
    conn.ensure_connection()
    source = sqlite3.connect(path)
    try:
        # The backup API writes the whole copy in one transaction of the live connection: other
        # connections see the old or the new database, and a failure leaves the old one.
        source.backup(conn.connection)
    except sqlite3.Error as error:
        raise BackupError(
            f"Restoring the SQLite database failed ({error}); nothing changed."
        ) from error
    finally:
        source.close()


def _restore_postgres(path: Path) -> None:
    """pg_restore's SQL run by psql in one transaction, after dropping every current table.

    Dropping first removes tables of migrations newer than the backup (pg_restore --clean only
    drops what the backup holds). Everything is one transaction: on any error nothing changes."""
    conn = _connection()
    tables = conn.introspection.table_names()
    quote = conn.ops.quote_name
    drop = "".join(f"DROP TABLE IF EXISTS {quote(table)} CASCADE;\n" for table in tables)
    env = _postgres_env()
    prefix = path.parent / "drop.sql"
    prefix.write_text(drop or "SELECT 1;\n", encoding="utf-8")
    restore = subprocess.Popen(  # noqa: S603
        [
            postgres_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file=-",
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        psql = subprocess.run(  # noqa: S603
            [
                postgres_program("psql"),
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                f"--file={prefix}",
                "--file=-",
            ],
            stdin=restore.stdout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
    finally:
        if restore.stdout:
            restore.stdout.close()
        restore_error = restore.stderr.read() if restore.stderr else b""
        restore.wait()
        if restore.stderr:
            restore.stderr.close()
    for code, output, name in (
        (restore.returncode, restore_error, "pg_restore"),
        (psql.returncode, psql.stderr, "psql"),
    ):
        if code != 0:
            lines = output.decode("utf-8", "replace").strip().splitlines()
            errors = [line for line in lines if "error" in line.lower()] or lines
            detail = errors[0] if errors else f"exit status {code}"
            raise BackupError(
                f"Restoring the PostgreSQL database failed ({name}: {detail}); nothing changed."
            )


def _swap_in(root: Path, staging: Path) -> None:
    """Move the root's current entries aside and the staged ones in; undo on failure."""
    new, old = staging / "new", staging / "old"
    old.mkdir()
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for entry in sorted(os.listdir(root)):
            if entry.startswith(STAGING_PREFIX):
                continue
            os.rename(root / entry, old / entry)
            moved_out.append(entry)
        for entry in sorted(os.listdir(new)):
            os.rename(new / entry, root / entry)
            moved_in.append(entry)
    except OSError as error:
        for entry in moved_in:
            with suppress(OSError):
                os.rename(root / entry, new / entry)
        for entry in moved_out:
            with suppress(OSError):
                os.rename(old / entry, root / entry)
        raise BackupError(
            f"The database was restored, but the files in {root} could not be swapped in "
            f"({error}); the old files are still in place."
        ) from error
    shutil.rmtree(staging, ignore_errors=True)


def pending_migrations() -> list[str]:
    """Migrations of this code that the (restored) database has not applied yet."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(_connection())
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def backup_created(manifest: dict[str, Any]) -> dt.datetime | None:
    try:
        return timezone.localtime(dt.datetime.fromisoformat(str(manifest["created"])))
    except (KeyError, ValueError):
        return None
