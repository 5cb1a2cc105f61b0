"""Test packages: the real ones in fixtures/ (written for these tests) zipped on demand, and
hostile or broken zips built in memory."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURES = Path(__file__).parent / "fixtures"


def zip_bytes(files: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode() if isinstance(content, str) else content)
    return buffer.getvalue()


def fixture_files(name: str) -> dict[str, bytes | str]:
    root = FIXTURES / name
    return {
        str(path.relative_to(root)).replace("\\", "/"): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def fixture_zip(name: str, **changes: Any) -> bytes:
    files = fixture_files(name)
    files.update(changes)
    return zip_bytes(files)


def upload(content: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/zip")
