"""Checks for evidence: uploaded files and links.

A file is accepted by what it *is*, never by its name: the first bytes (and for office documents
the parts list inside the zip) must match one of a short list of document, image and video
types. Programs (Windows, Linux and macOS executables, scripts) are refused with their own
message, whatever they are called. The size is checked from the upload's recorded size before a
single byte is read; Django has by then streamed a large upload to a temporary file, not into
memory (FILE_UPLOAD_MAX_MEMORY_SIZE).

The stored name is made safe (no folders, no odd characters) and ends in the extension of the
detected type, so that a file opens in the right program and a text file called "run.bat"
cannot be started by a double click after download.
"""

from __future__ import annotations

import codecs
import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.validators import URLValidator
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_CLAIM = 5
HEAD_BYTES = 8192


class EvidenceError(ValueError):
    """The file or link cannot be used as evidence; the message is fit to show to the user."""


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    # Other extensions that are fine for this type (".jpeg" for a JPEG).
    also: tuple[str, ...] = ()


PDF = FileType("application/pdf", ".pdf")
PNG = FileType("image/png", ".png")
JPEG = FileType("image/jpeg", ".jpg", (".jpeg",))
WEBP = FileType("image/webp", ".webp")
MP4 = FileType("video/mp4", ".mp4", (".m4v",))
TEXT = FileType("text/plain", ".txt", (".csv", ".md"))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"
)
# OpenDocument is on the Dutch government's list of open standards; LibreOffice saves it.
ODT = FileType("application/vnd.oasis.opendocument.text", ".odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", ".ods")
ODP = FileType("application/vnd.oasis.opendocument.presentation", ".odp")

ALLOWED_TYPES = (PDF, PNG, JPEG, WEBP, MP4, TEXT, DOCX, XLSX, PPTX, ODT, ODS, ODP)

# Headers of programs: Windows (MZ), Linux and most Unix (ELF), macOS (Mach-O, fat binaries),
# Java classes share the fat-binary header. A script starts with "#!".
PROGRAM_HEADERS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)

MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"M4V ",
    b"dash",
    b"mmp4",
    b"MSNV",
    b"3gp4",
    b"3gp5",
}

OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
ODF_MIMETYPES = {t.content_type.encode(): t for t in (ODT, ODS, ODP)}


def allowed_types_text() -> str:
    """The accepted kinds of file, for help texts."""
    return _("PDF, Word, Excel, PowerPoint, OpenDocument, plain text, PNG, JPEG, WEBP or MP4 video")


def max_size_text() -> str:
    return _("at most %(mb)d MB") % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)}


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: a character cut in two at the end of the sample is not an error.
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control == 0


def _zip_type(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").strip()
                return ODF_MIMETYPES.get(declared)
            if "[Content_Types].xml" not in names:
                return None
            for prefix, kind in OOXML_PARTS:
                if any(name.startswith(prefix) for name in names):
                    return kind
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    return None


def detect_type(stream: IO[bytes]) -> FileType | None:
    """The allowed type of the file's content, or None. Raises EvidenceError for programs."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if head.startswith(PROGRAM_HEADERS):
        raise EvidenceError(
            _(
                "This file is a program or a script, not a document. Programs cannot be "
                "uploaded, whatever their name."
            )
        )
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return MP4
    if head.startswith(b"PK\x03\x04"):
        found = _zip_type(stream)
        stream.seek(0)
        return found
    if _looks_like_text(head):
        return TEXT
    return None


def safe_filename(name: str, kind: FileType) -> str:
    """A name without folders or odd characters that ends in the detected type's extension."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    stem, extension = os.path.splitext(base)
    try:
        stem = get_valid_filename(stem)[:120]
    except SuspiciousFileOperation:  # nothing usable left (an empty name, "..")
        stem = "evidence"
    extension = extension.lower()
    if extension not in (kind.extension, *kind.also):
        extension = kind.extension
    return f"{stem}{extension}"


@dataclass(frozen=True)
class CheckedFile:
    upload: Any
    kind: FileType
    filename: str
    size: int


def check_upload(upload: Any) -> CheckedFile:
    """Check an uploaded file (size first, then content). Raises EvidenceError."""
    size = int(getattr(upload, "size", 0) or 0)
    if size > MAX_EVIDENCE_BYTES:
        raise EvidenceError(
            _(
                "The file is %(size)s MB; evidence files can be at most %(max)d MB. Make it "
                "smaller, or put it online and add a link instead."
            )
            % {
                "size": f"{size / (1024 * 1024):.0f}",
                "max": MAX_EVIDENCE_BYTES // (1024 * 1024),
            }
        )
    if size == 0:
        raise EvidenceError(_("The file is empty."))
    kind = detect_type(upload)
    if kind is None:
        raise EvidenceError(
            _("This kind of file cannot be used as evidence. Allowed are: %(types)s.")
            % {"types": allowed_types_text()}
        )
    return CheckedFile(
        upload=upload, kind=kind, filename=safe_filename(upload.name or "", kind), size=size
    )


_link_validator = URLValidator(schemes=["http", "https"])


def check_link(link: str) -> str:
    """A web address starting with http:// or https://. Raises EvidenceError."""
    link = link.strip()
    if len(link) > 500:
        raise EvidenceError(_("This link is too long (at most 500 characters)."))
    try:
        _link_validator(link)
    except ValidationError as error:
        raise EvidenceError(
            _("Give a web address that starts with http:// or https:// (%(link)s).")
            % {"link": link[:80]}
        ) from error
    return link
