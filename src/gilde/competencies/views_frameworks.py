"""Pages of competency frameworks: the list, a framework with its versions, editing a draft,
publishing, and import and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gilde.competencies import importing
from gilde.competencies.access import access_framework, can_edit_framework
from gilde.competencies.forms_frameworks import (
    CompetencyForm,
    FrameworkCreateForm,
    ImportIntoForm,
    ImportNewForm,
    NewVersionForm,
    ScaleForm,
    editable_owners,
)
from gilde.competencies.models import (
    Competency,
    Framework,
    FrameworkImportStatus,
    FrameworkVersion,
    ScaleLevel,
    VersionStatus,
)
from gilde.competencies.selectors_frameworks import (
    framework_list as framework_list_selector,
)
from gilde.competencies.selectors_frameworks import (
    parent_names,
    pick_version,
    version_competencies,
    versions_to_show,
)
from gilde.competencies.services import (
    CompetencyError,
    competency_delete,
    competency_save,
    draft_version,
    framework_create,
    latest_version,
    version_new_draft,
    version_publish,
    version_scale_update,
)

COMPETENCIES_PER_PAGE = 100
PREVIEW_ROWS = 50


def _framework_url(framework: Framework, version: FrameworkVersion | None = None) -> str:
    url = reverse("competencies:framework", args=[framework.slug])
    return f"{url}?version={version.number}" if version is not None else url


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "competencies/framework_list.html",
        {
            "frameworks": framework_list_selector(request.user),
            "can_create": bool(editable_owners(request.user)),
        },
    )


@login_required
def framework_create_view(request: HttpRequest) -> HttpResponse:
    owners = editable_owners(request.user)
    if not owners:
        raise Http404
    form = FrameworkCreateForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            framework = framework_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                network=owner.network,
                organisation=owner.organisation,
                scale=importing.default_scale(form.number_of_levels()),
            )
        except CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The framework has been made. Add competencies to its draft, then publish it."),
            )
            return redirect(_framework_url(framework, framework.versions.get()))
    return render(request, "competencies/framework_form.html", {"form": form})


@dataclass
class CompetencyRow:
    competency: Competency
    descriptors: list[tuple[ScaleLevel, str]]
    parent_name: str


def _competency_row(
    competency: Competency, levels: list[ScaleLevel], parents: dict[str, str]
) -> CompetencyRow:
    texts = {d.level: d.text for d in competency.descriptors.all()}
    return CompetencyRow(
        competency=competency,
        descriptors=[(lv, texts[lv.value]) for lv in levels if lv.value in texts],
        parent_name=parents.get(competency.parent_code, ""),
    )


@login_required
def framework_detail(request: HttpRequest, framework_slug: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug)
    can_edit = can_edit_framework(request.user, framework)
    versions = versions_to_show(framework, can_edit=can_edit)
    version = pick_version(versions, request.GET.get("version"))
    context: dict[str, Any] = {
        "framework": framework,
        "can_edit": can_edit,
        "versions": versions,
        "version": version,
        "has_draft": any(v.status == VersionStatus.DRAFT for v in versions),
        "published": next((v for v in versions if v.status == VersionStatus.PUBLISHED), None),
    }
    if version is not None:
        page = Paginator(version_competencies(version), COMPETENCIES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        levels = list(version.levels.all())
        parents = parent_names(version, {c.parent_code for c in page.object_list if c.parent_code})
        context.update(
            page=page,
            rows=[_competency_row(c, levels, parents) for c in page.object_list],
            levels=levels,
            editing=can_edit and version.status == VersionStatus.DRAFT,
        )
    return render(request, "competencies/framework_detail.html", context)


@login_required
@require_GET
def framework_export(request: HttpRequest, framework_slug: str, fmt: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug)
    if fmt not in importing.EXPORT_FORMATS:
        raise Http404
    versions = versions_to_show(framework, can_edit=can_edit_framework(request.user, framework))
    version = pick_version(versions, request.GET.get("version"))
    if version is None:
        raise Http404
    export = importing.framework_export(version, fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _no_draft(request: HttpRequest, framework: Framework) -> HttpResponse:
    messages.info(request, _("There is no draft. Start a new version to make changes."))
    return redirect(_framework_url(framework))


@login_required
def framework_new_version(request: HttpRequest, framework_slug: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug, edit=True)
    existing = draft_version(framework)
    if existing is not None:
        messages.info(request, _("There is already a draft. Change it or publish it first."))
        return redirect(_framework_url(framework, existing))
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = version_new_draft(
                actor=request.user, framework=framework, note=form.cleaned_data["note"]
            )
        except CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Version %(number)d is a draft now: a copy you can change.")
                % {"number": draft.number},
            )
            return redirect(_framework_url(framework, draft))
    return render(
        request,
        "competencies/framework_new_version.html",
        {"framework": framework, "form": form, "source": latest_version(framework)},
    )


@login_required
def framework_publish(request: HttpRequest, framework_slug: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug, edit=True)
    draft = draft_version(framework)
    if draft is None:
        return _no_draft(request, framework)
    current = latest_version(framework, published=True)
    error = ""
    if request.method == "POST":
        try:
            version_publish(actor=request.user, version=draft)
        except CompetencyError as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                _("Version %(number)d is published. Everyone now sees this version.")
                % {"number": draft.number},
            )
            return redirect(_framework_url(framework))
    return render(
        request,
        "competencies/framework_publish.html",
        {
            "framework": framework,
            "draft": draft,
            "current": current,
            "competency_count": draft.competencies.count(),
            "profile_count": current.profiles.count() if current else 0,
            "error": error,
        },
    )


@login_required
def framework_scale(request: HttpRequest, framework_slug: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug, edit=True)
    draft = draft_version(framework)
    if draft is None:
        return _no_draft(request, framework)
    form = ScaleForm(request.POST or None, levels=list(draft.levels.all()))
    if request.method == "POST" and form.is_valid():
        try:
            version_scale_update(actor=request.user, version=draft, labels=form.labels())
        except CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The names of the levels have been saved."))
            return redirect(_framework_url(framework, draft))
    return render(
        request,
        "competencies/framework_scale.html",
        {"framework": framework, "draft": draft, "form": form},
    )


def _competency_form_page(
    request: HttpRequest,
    framework: Framework,
    draft: FrameworkVersion,
    competency: Competency | None,
) -> HttpResponse:
    levels = list(draft.levels.all())
    initial: dict[str, Any] = {}
    if competency is not None:
        initial = {
            "code": competency.code,
            "name": competency.name,
            "description": competency.description,
            "category": competency.category.name if competency.category else "",
            "esco_uri": competency.esco_uri,
            "parent": competency.parent_code,
        }
        initial.update({f"level_{d.level}": d.text for d in competency.descriptors.all()})
    form = CompetencyForm(
        request.POST or None,
        initial=initial,
        version=draft,
        levels=levels,
        competency=competency,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = competency_save(
                actor=request.user,
                version=draft,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                category=data["category"],
                esco_uri=data["esco_uri"],
                parent=data["parent"],
                descriptors=form.descriptors(),
                competency=competency,
            )
        except CompetencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(code)s has been saved in the draft.") % {"code": saved.code}
            )
            return redirect(_framework_url(framework, draft) + f"#c-{saved.pk}")
    return render(
        request,
        "competencies/framework_competency_form.html",
        {"framework": framework, "draft": draft, "form": form, "competency": competency},
    )


@login_required
def competency_add(request: HttpRequest, framework_slug: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug, edit=True)
    draft = draft_version(framework)
    if draft is None:
        return _no_draft(request, framework)
    return _competency_form_page(request, framework, draft, None)


def _draft_competency(framework: Framework, code: str) -> tuple[FrameworkVersion, Competency]:
    draft = draft_version(framework)
    competency = (
        draft.competencies.select_related("category").filter(code=code).first() if draft else None
    )
    if draft is None or competency is None:
        raise Http404
    return draft, competency


@login_required
def competency_edit(request: HttpRequest, framework_slug: str, code: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug, edit=True)
    draft, competency = _draft_competency(framework, code)
    return _competency_form_page(request, framework, draft, competency)


@login_required
def competency_remove(request: HttpRequest, framework_slug: str, code: str) -> HttpResponse:
    framework = access_framework(request.user, framework_slug, edit=True)
    draft, competency = _draft_competency(framework, code)
    error = ""
    if request.method == "POST":
        try:
            competency_delete(actor=request.user, competency=competency)
        except CompetencyError as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                _("%(code)s has been removed from the draft.") % {"code": competency.code},
            )
            return redirect(_framework_url(framework, draft))
    return render(
        request,
        "competencies/framework_competency_remove.html",
        {"framework": framework, "draft": draft, "competency": competency, "error": error},
    )


# --- import -----------------------------------------------------------------------------------


@login_required
def framework_import(request: HttpRequest) -> HttpResponse:
    """Upload a file for a new framework."""
    owners = editable_owners(request.user)
    if not owners:
        raise Http404
    form = ImportNewForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        owner = form.cleaned_data["owner"]
        try:
            batch = importing.import_upload(
                actor=request.user,
                filename=upload.name or "",
                content=upload.read(),
                network=owner.network,
                organisation=owner.organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levels=form.cleaned_data["levels"],
            )
        except importing.FrameworkImportError as error:
            form.add_error("file", str(error))
        else:
            return redirect("competencies:framework-import-preview", batch.uuid)
    return render(request, "competencies/framework_import.html", {"form": form, "framework": None})


@login_required
def framework_import_into(request: HttpRequest, framework_slug: str) -> HttpResponse:
    """Upload a file as the new content of a framework's draft."""
    framework = access_framework(request.user, framework_slug, edit=True)
    form = ImportIntoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.import_upload(
                actor=request.user,
                filename=upload.name or "",
                content=upload.read(),
                framework=framework,
                note=form.cleaned_data["note"],
            )
        except importing.FrameworkImportError as error:
            form.add_error("file", str(error))
        else:
            return redirect("competencies:framework-import-preview", batch.uuid)
    return render(
        request,
        "competencies/framework_import.html",
        {"form": form, "framework": framework, "draft": draft_version(framework)},
    )


@login_required
def framework_import_preview(request: HttpRequest, import_uuid: str) -> HttpResponse:
    batch = importing.access_framework_import(request.user, import_uuid)
    if batch.status == FrameworkImportStatus.IMPORTED:
        if request.method == "POST":
            messages.info(request, _("This file has already been imported."))
            return redirect("competencies:framework-import-preview", batch.uuid)
        return render(request, "competencies/framework_import_done.html", {"batch": batch})
    refused = ""
    if request.method == "POST":
        try:
            version = importing.import_apply(actor=request.user, batch=batch)
        except importing.FrameworkImportRejected as rejected:
            refused = str(rejected)
        except importing.FrameworkImportError as error:
            messages.error(request, str(error))
            return redirect("competencies:framework-import-preview", batch.uuid)
        else:
            messages.success(
                request,
                _(
                    "The file has been imported into draft version %(number)d. Check it, then "
                    "publish it."
                )
                % {"number": version.number},
            )
            return redirect(_framework_url(version.framework, version))
    report = importing.import_check(batch)
    return render(
        request,
        "competencies/framework_import_preview.html",
        {
            "batch": batch,
            "report": report,
            "rows": report.rows[:PREVIEW_ROWS],
            "more_rows": max(len(report.rows) - PREVIEW_ROWS, 0),
            "problem_lines": report.problem_lines(),
            "refused": refused,
            "line_word": _("Item") if report.file_format == importing.FORMAT_JSON else _("Line"),
        },
    )
