"""Evidence files: checked by size and content, stored under a safe name, served only to the
person and whoever may see their levels."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gilde.competencies.evidence import (
    MAX_EVIDENCE_BYTES,
    EvidenceError,
    check_link,
    check_upload,
)
from gilde.competencies.models import Assessment, Evidence, EvidenceKind
from gilde.tenancy.models import Role
from gilde.tenancy.services import membership_create
from tests.competencies.assess_samples import SMALL_PDF, pdf_upload
from tests.competencies.conftest import CompetencyWorld
from tests.conftest import make_person


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    client.cookies["django_language"] = "en"
    return client


def rate_url(cw: CompetencyWorld) -> str:
    return reverse("competencies:person-rate", args=[cw.world.a.learner.uuid])


def key(cw: CompetencyWorld) -> str:
    return f"{cw.framework.slug}:CNC-01"


def post_rating(cw: CompetencyWorld, rater: Any, upload: Any = None, **extra: Any) -> Any:
    data = {
        "competency": key(cw),
        "level": "3",
        "assessed_on": timezone.localdate().isoformat(),
        "comment": "Goed",
        **extra,
    }
    if upload is not None:
        data["evidence_file"] = upload
    return client_for(rater).post(rate_url(cw), data)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}document.xml", "<doc/>")
    return buffer.getvalue()


# --- what is refused --------------------------------------------------------------------------


def test_a_50_mb_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    cw: CompetencyWorld, _own_media_root: Path
) -> None:
    big = SimpleUploadedFile("video.pdf", b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    response = post_rating(cw, cw.world.a.manager, big)
    assert response.status_code == 200
    page = response.content.decode()
    assert "evidence files can be at most 10 MB" in page
    assert not Assessment.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(_own_media_root) == []


def test_the_size_is_checked_before_the_file_is_read() -> None:
    class Unread:
        name = "groot.pdf"
        size = 50 * 1024 * 1024

        def read(self, *args: Any) -> bytes:
            raise AssertionError("the file was read")

        def seek(self, *args: Any) -> None:
            raise AssertionError("the file was read")

    with translation.override("en"), pytest.raises(EvidenceError, match="at most 10 MB"):
        check_upload(Unread())


def test_large_uploads_stream_to_disk_not_into_memory() -> None:
    # Files above this size go to a temporary file while they arrive; the limit for evidence is
    # not lower than it, so a too-large file is never held in memory whole.
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= MAX_EVIDENCE_BYTES


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "report.pdf"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "report.pdf"),
        (b"#!/bin/sh\nrm -rf ~\n", "notes.txt"),
    ],
)
def test_a_program_disguised_as_a_document_is_refused(
    cw: CompetencyWorld, _own_media_root: Path, content: bytes, name: str
) -> None:
    response = post_rating(cw, cw.world.a.manager, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "This file is a program or a script, not a document." in response.content.decode()
    assert not Assessment.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(_own_media_root) == []


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02\x03binary",
        b"PK\x03\x04not really a zip",
        office_file("other/"),
        b"GIF89a" + b"\x00" * 20,
    ],
)
def test_other_kinds_of_file_are_refused(content: bytes) -> None:
    with (
        translation.override("en"),
        pytest.raises(EvidenceError, match="cannot be used as evidence"),
    ):
        check_upload(SimpleUploadedFile("bestand.pdf", content))


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/a", "file:///etc"])
def test_only_web_links_are_accepted(cw: CompetencyWorld, link: str) -> None:
    with pytest.raises(EvidenceError):
        check_link(link)
    response = post_rating(cw, cw.world.a.manager, evidence_link=link)
    assert response.status_code == 200
    assert "starts with http:// or https://" in response.content.decode()
    assert not Assessment.objects.exists()


# --- what is accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type", "stored_name"),
    [
        (SMALL_PDF, "Rapport stage.PDF", "application/pdf", "Rapport_stage.pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "foto.png", "image/png", "foto.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 30, "foto.jpeg", "image/jpeg", "foto.jpeg"),
        (
            office_file("word/"),
            "verslag.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "verslag.docx",
        ),
        (
            office_file("xl/"),
            "uren.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "uren.xlsx",
        ),
        (b"Logboek: 40 uur frezen\n", "run.bat", "text/plain", "run.txt"),
        # Named by content: a PNG called .pdf is stored as .png.
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "scan.pdf", "image/png", "scan.png"),
        (SMALL_PDF, "../../etc/passwd", "application/pdf", "passwd.pdf"),
    ],
)
def test_allowed_files_are_recognised_by_their_content(
    content: bytes, name: str, content_type: str, stored_name: str
) -> None:
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.kind.content_type == content_type
    assert checked.filename == stored_name


def test_a_small_pdf_is_stored_and_downloadable_only_by_allowed_people(
    cw: CompetencyWorld, _own_media_root: Path
) -> None:
    a, b = cw.world.a, cw.world.b
    response = post_rating(cw, a.manager, pdf_upload("Werkstuk.pdf"))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assessment = Assessment.objects.get()
    assert evidence.assessment == assessment and evidence.kind == EvidenceKind.FILE
    assert evidence.person == a.learner and evidence.uploaded_by == a.manager
    assert evidence.content_type == "application/pdf" and evidence.size == len(SMALL_PDF)
    assert evidence.file.name == f"evidence/{a.learner.pk}/{evidence.uuid}/Werkstuk.pdf"
    assert (_own_media_root / evidence.file.name).read_bytes() == SMALL_PDF

    url = reverse("competencies:evidence-download", args=[evidence.uuid])
    for allowed in (a.learner, a.manager, a.admin, a.coach):
        download = client_for(allowed).get(url)
        assert download.status_code == 200, allowed
        assert b"".join(download.streaming_content) == SMALL_PDF  # type: ignore[attr-defined]
        assert download["Content-Disposition"].startswith("attachment")
        assert 'filename="Werkstuk.pdf"' in download["Content-Disposition"]
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Type"] == "application/pdf"

    other_learner = make_person("learner2-a@example.org", "Lies", "AnderA")
    membership_create(actor=None, person=other_learner, organisation=a.org, roles=[Role.LEARNER])
    refused = [other_learner, a.author, a.mentor, cw.world.temp_worker, *b.personas().values()]
    for person in refused:
        assert client_for(person).get(url).status_code == 404, person
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous.url
    # Never reachable through the media URL.
    assert Client().get(f"/media/{evidence.file.name}").status_code == 404
    assert client_for(a.learner).post(url).status_code == 405


def test_the_rating_page_lists_the_evidence_for_those_who_see_levels(
    cw: CompetencyWorld,
) -> None:
    a = cw.world.a
    post_rating(cw, a.manager, pdf_upload("Werkstuk.pdf"), evidence_link="https://example.org/film")
    evidence = Evidence.objects.filter(kind=EvidenceKind.FILE).get()
    page = client_for(a.admin).get(f"{rate_url(cw)}?competency={key(cw)}").content.decode()
    assert reverse("competencies:evidence-download", args=[evidence.uuid]) in page
    assert "https://example.org/film" in page
    assert Evidence.objects.filter(kind=EvidenceKind.LINK, link="https://example.org/film").exists()
