"""Check that every translation catalogue is complete and that its compiled .mo file is current.

For each src/gilde/**/locale/<lang>/LC_MESSAGES/<domain>.po:

1. no entry is fuzzy and none is left untranslated;
2. the .mo file next to it holds exactly the translations of the .po file (so the committed
   .mo is not older than the .po);
3. if GNU gettext's xgettext is installed: running makemessages on a copy of the source finds no
   string that is missing from the catalogue (a new interface string without a translation).

Only the standard library is used for reading the files; step 3 runs Django's makemessages.
Exit status 0 when everything is fine, 1 with a list of problems otherwise.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "gilde"


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    translations: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return self.msgid if self.context is None else f"{self.context}\x04{self.msgid}"


def _unquote(text: str) -> str:
    value = ast.literal_eval(text.strip())
    if not isinstance(value, str):
        raise ValueError(f"not a string: {text}")
    return value


def read_po(path: Path) -> list[Entry]:
    """Parse a .po file into entries; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    seen_keyword = False

    def finish() -> None:
        nonlocal current, seen_keyword, target
        if seen_keyword:
            entries.append(current)
        current = Entry()
        seen_keyword = False
        target = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if seen_keyword:
                finish()
            current.fuzzy = current.fuzzy or "fuzzy" in {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if seen_keyword:
                finish()
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: text outside an entry")
            name, index = target
            if name == "msgctxt":
                current.context = (current.context or "") + _unquote(line)
            elif name == "msgid":
                current.msgid += _unquote(line)
            elif name == "msgid_plural":
                current.plural = (current.plural or "") + _unquote(line)
            else:
                current.translations[index] += _unquote(line)
            continue
        keyword, _, rest = line.partition(" ")
        if seen_keyword and (
            keyword == "msgctxt" or (keyword == "msgid" and target != ("msgctxt", 0))
        ):
            finish()
        seen_keyword = True
        current.line = current.line or number
        if keyword == "msgctxt":
            current.context = _unquote(rest)
            target = ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid = _unquote(rest)
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            current.plural = _unquote(rest)
            target = ("msgid_plural", 0)
        elif keyword == "msgstr":
            current.translations[0] = _unquote(rest)
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[len("msgstr[") : -1])
            current.translations[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: unknown line {raw!r}")
    finish()
    return entries


def check_complete(path: Path, entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if entry.msgid == "":
            continue  # the header
        where = f"{path.relative_to(ROOT)}:{entry.line}"
        if entry.fuzzy:
            problems.append(f"{where}: fuzzy translation of {entry.msgid!r}")
        elif not entry.translations or any(not text for text in entry.translations.values()):
            problems.append(f"{where}: no translation for {entry.msgid!r}")
    return problems


def check_compiled(path: Path, entries: list[Entry]) -> list[str]:
    mo_path = path.with_suffix(".mo")
    shown = mo_path.relative_to(ROOT)
    if not mo_path.exists():
        return [f"{shown}: missing; run `uv run gilde compilemessages`"]
    with mo_path.open("rb") as handle:
        catalog: dict[object, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in entries:
        if entry.msgid == "" or entry.fuzzy:
            continue
        if entry.plural is None:
            expected[entry.key] = entry.translations.get(0, "")
        else:
            for index, text in entry.translations.items():
                expected[(entry.key, index)] = text
    actual = {key: value for key, value in catalog.items() if key != ""}
    if actual != expected:
        differing = len(set(actual.items()) ^ set(expected.items()))
        return [
            f"{shown}: does not match its .po file ({differing} differences); "
            "run `uv run gilde compilemessages`"
        ]
    return []


def check_up_to_date(catalogues: list[Path]) -> list[str]:
    """Run makemessages on a copy of the source and report strings missing from a catalogue."""
    if shutil.which("xgettext") is None:
        print("check_translations: xgettext not installed; skipped the search for new strings.")
        return []
    problems = []
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / "gilde"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        languages = sorted({po.parent.parent.name for po in catalogues})
        env = {**os.environ, "PYTHONPATH": temp, "DJANGO_SETTINGS_MODULE": "gilde.settings"}
        command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "-v", "0"]
        for language in languages:
            command += ["-l", language]
        subprocess.run(command, cwd=copy, env=env, check=True)  # noqa: S603 - our own command line
        for po in catalogues:
            fresh = copy / po.relative_to(PACKAGE)
            if not fresh.exists():
                continue
            known = {entry.key for entry in read_po(po)}
            missing = [e for e in read_po(fresh) if e.msgid and e.key not in known]
            for entry in missing:
                problems.append(
                    f"{po.relative_to(ROOT)}: new string not in the catalogue: {entry.msgid!r}"
                )
    if problems:
        problems.append(
            "run `uv run gilde makemessages -l nl` in src/gilde, translate, then compilemessages"
        )
    return problems


def main() -> int:
    catalogues = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po"))
    if not catalogues:
        print("check_translations: no translation catalogues (.po files) found.")
        return 0
    problems: list[str] = []
    for po in catalogues:
        entries = read_po(po)
        problems += check_complete(po, entries)
        problems += check_compiled(po, entries)
    problems += check_up_to_date(catalogues)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    count = sum(len([e for e in read_po(po) if e.msgid]) for po in catalogues)
    print(f"check_translations: {len(catalogues)} catalogue(s), {count} strings, all translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
