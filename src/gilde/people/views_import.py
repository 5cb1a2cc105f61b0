"""Pages of the HR import (upload, preview with column choice, confirmation) and the export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gilde.people.exporting import FORMATS
from gilde.people.exporting import people_export as people_export_service
from gilde.people.forms_import import ColumnMappingForm, ImportUploadForm
from gilde.people.importing import (
    MAX_ROWS,
    ImportField,
    ImportFileError,
    ImportPlan,
    ImportRejected,
    PeopleImportError,
    access_import_batch,
    batch_apply,
    batch_check,
    batch_create,
    batch_remap,
    known_headers,
)
from gilde.people.models import ImportBatch, ImportBatchStatus
from gilde.tenancy.access import access_organisation
from gilde.tenancy.models import Organisation, Role

# The preview lists this many of the rows to create and to update; rejected rows are all listed.
PREVIEW_ROWS = 50


@login_required
def import_upload(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = batch_create(
                    actor=request.user,
                    organisation=organisation,
                    filename=upload.name or "",
                    content=upload.read(),
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("people:import-preview", organisation.slug, batch.uuid)
    else:
        form = ImportUploadForm()
    return render(
        request,
        "people/import_upload.html",
        {
            "organisation": organisation,
            "form": form,
            "known_headers": known_headers(),
            "max_rows": MAX_ROWS,
        },
    )


def _mapping_form(batch: ImportBatch, data: Any = None) -> ColumnMappingForm:
    samples = [cells for _line, cells in batch.rows[:3]]
    initial: dict[str, Any] = {f"column_{i}": m for i, m in enumerate(batch.mapping)}
    initial["create_teams"] = batch.create_teams
    return ColumnMappingForm(data, header=batch.header, samples=samples, initial=initial)


def _change_labels(changes: list[str]) -> str:
    labels = [_("Name") if c == "name" else str(ImportField(c).label) for c in changes]
    return ", ".join(labels)


def _render_preview(
    request: HttpRequest,
    organisation: Organisation,
    batch: ImportBatch,
    plan: ImportPlan,
    form: ColumnMappingForm,
    refused: str = "",
) -> HttpResponse:
    created = plan.created
    updated = plan.updated
    counts = plan.counts()
    return render(
        request,
        "people/import_preview.html",
        {
            "organisation": organisation,
            "batch": batch,
            "plan": plan,
            "counts": counts,
            "form": form,
            "rejected": plan.rejected,
            "created": created[:PREVIEW_ROWS],
            "updated": [(row, _change_labels(row.changes)) for row in updated[:PREVIEW_ROWS]],
            "more_created": max(len(created) - PREVIEW_ROWS, 0),
            "more_updated": max(len(updated) - PREVIEW_ROWS, 0),
            "team_column": ImportField.TEAM in batch.mapping,
            "refused": refused,
        },
    )


@login_required
def import_preview(request: HttpRequest, org_slug: str, batch_uuid: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    batch = access_import_batch(request.user, organisation, batch_uuid)
    if batch.status == ImportBatchStatus.IMPORTED:
        if request.method == "POST":
            messages.info(request, _("This file has already been imported."))
            return redirect("people:import-preview", organisation.slug, batch.uuid)
        return render(
            request, "people/import_done.html", {"organisation": organisation, "batch": batch}
        )
    form: ColumnMappingForm | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "confirm":
            try:
                revision = int(request.POST.get("revision", ""))
            except ValueError:
                revision = -1
            try:
                counts = batch_apply(actor=request.user, batch=batch, revision=revision)
            except ImportRejected as rejected:
                return _render_preview(
                    request,
                    organisation,
                    batch,
                    rejected.plan,
                    _mapping_form(batch),
                    refused=str(rejected),
                )
            except PeopleImportError as error:
                messages.error(request, str(error))
                return redirect("people:import-preview", organisation.slug, batch.uuid)
            messages.success(
                request,
                _(
                    "The import is done: %(created)d new, %(updated)d changed, "
                    "%(unchanged)d unchanged."
                )
                % counts,
            )
            return redirect("people:import-preview", organisation.slug, batch.uuid)
        if action == "remap":
            form = _mapping_form(batch, request.POST)
            if form.is_valid():
                try:
                    batch_remap(
                        actor=request.user,
                        batch=batch,
                        mapping=form.mapping(),
                        create_teams=form.cleaned_data["create_teams"],
                    )
                except PeopleImportError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("The lines have been checked again."))
                    return redirect("people:import-preview", organisation.slug, batch.uuid)
        else:
            return redirect("people:import-preview", organisation.slug, batch.uuid)
    plan = batch_check(batch=batch, actor=request.user)
    return _render_preview(request, organisation, batch, plan, form or _mapping_form(batch))


@login_required
@require_GET
def people_export(request: HttpRequest, org_slug: str, fmt: str) -> HttpResponse:
    organisation = access_organisation(request.user, org_slug, Role.ORG_ADMIN)
    if fmt not in FORMATS:
        raise Http404
    export = people_export_service(actor=request.user, organisation=organisation, fmt=fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
