"""Front-end files from npm packages, one by one.

A package's `dist/` folder holds many builds (plain and minified, ES modules, type definitions,
source maps: 18 MB for scorm-again); collecting and compressing all of it made every start of
`gilde serve` minutes slower. This finder offers only the files Gilde serves (and the source maps
the minified files point to, which the manifest storage checks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

# URL prefix under STATIC_URL -> (folder, file names)
VENDOR_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "vendor/htmx": ("node_modules/htmx.org/dist", ("htmx.min.js",)),
    "vendor/scorm-again": (
        "node_modules/scorm-again/dist",
        ("scorm12.min.js", "scorm12.min.js.map", "scorm2004.min.js", "scorm2004.min.js.map"),
    ),
}


def _storages() -> Iterator[tuple[str, FileSystemStorage, tuple[str, ...]]]:
    root = Path(settings.PROJECT_DIR)
    for prefix, (folder, names) in VENDOR_FILES.items():
        storage = FileSystemStorage(location=root / folder)
        # collectstatic reads the prefix from the storage, as FileSystemFinder sets it.
        storage.prefix = prefix  # type: ignore[attr-defined]
        yield prefix, storage, names


class VendorFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[CheckMessage]:
        missing = [
            f"{prefix}/{name}"
            for prefix, storage, names in _storages()
            for name in names
            if not storage.exists(name)
        ]
        if not missing:
            return []
        return [
            Error(
                "Front-end files are missing: " + ", ".join(missing),
                hint="Install the npm packages: npm ci (or make install).",
                id="gilde.E001",
            )
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        find_all = find_all or kwargs.get("all", False)
        found = []
        for prefix, storage, names in _storages():
            name = path.removeprefix(prefix + "/")
            if name != path and name in names and storage.exists(name):
                if not find_all:
                    return storage.path(name)
                found.append(storage.path(name))
        return found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for _prefix, storage, names in _storages():
            for name in names:
                if storage.exists(name):
                    yield name, storage
