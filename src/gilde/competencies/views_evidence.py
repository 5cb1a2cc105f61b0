"""Evidence files are served only here, after the access check, as a download: never through
MEDIA_URL, never shown inline in the browser."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from gilde.competencies.selectors_assess import access_evidence


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_uuid: str) -> FileResponse:
    evidence = access_evidence(request.user, evidence_uuid)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.filename,
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser still render it, it runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
