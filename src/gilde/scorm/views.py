"""Pages of packaged e-learning on Gilde's own address: uploading packages and versions, the
package page (structure, progress, versions), the player page that frames the content, the
navigation between SCOs and the results a manager sees.

The content itself, the player inside the frame and its commits are served from the content
address (views_content.py); nothing here is reachable from there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gilde.core.middleware import content_security_policy
from gilde.learning.access import item_owners_for
from gilde.learning.models import EnrolmentStatus
from gilde.scorm import origins, services
from gilde.scorm.access import access_package, access_session, can_edit_package
from gilde.scorm.forms import NavigateForm, PackageUploadForm, VersionUploadForm
from gilde.scorm.models import Session, Standard
from gilde.scorm.selectors import my_enrolment, package_page, package_results


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    owners = item_owners_for(request.user)
    if not owners:
        raise Http404
    form = PackageUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        owners=owners,
    )
    if request.method == "POST" and form.is_valid():
        owner = form.chosen_owner()
        upload_file = form.cleaned_data["package"]
        try:
            if owner is None:
                raise services.PackageError(_("Choose for whom the package is."))
            version = services.package_upload(
                actor=request.user,
                upload=upload_file,
                filename=upload_file.name,
                organisation=owner.organisation,
                network=owner.network,
            )
        except services.PackageError as error:
            form.add_error("package", str(error))
        else:
            messages.success(
                request,
                _("The package is imported as a draft: check it, then publish it."),
            )
            return redirect("scorm:package", version.package.item.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "scorm/upload.html", {"form": form}, status=status)


@login_required
@require_GET
def package(request: HttpRequest, item_uuid: str) -> HttpResponse:
    found = access_package(request.user, item_uuid)
    if found is None:
        # Not a package: the item's own page says what it is.
        return redirect("learning:item-detail", item_uuid)
    editor = can_edit_package(request.user, found)
    page = package_page(request.user, found, editor=editor)
    return render(
        request,
        "scorm/package.html",
        {
            "package": found,
            "item": found.item,
            "page": page,
            "editor": editor,
            "version_form": VersionUploadForm() if editor else None,
            "can_play": page.enrolment is not None
            and page.enrolment.status == EnrolmentStatus.ACTIVE
            and found.current_id is not None,
            "no_content_origin": origins.content_origin_for(request) is None,
        },
    )


@login_required
@require_POST
def version_upload(request: HttpRequest, item_uuid: str) -> HttpResponse:
    found = access_package(request.user, item_uuid, edit=True)
    if found is None:
        raise Http404
    form = VersionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["package"]
        try:
            version = services.package_upload(
                actor=request.user,
                upload=upload_file,
                filename=upload_file.name,
                item=found.item,
            )
        except services.PackageError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s is uploaded. New learners start on it; learners who "
                    "started earlier keep their version and their data."
                )
                % {"number": version.number},
            )
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect("scorm:package", found.item.uuid)


def _launch_origins(request: HttpRequest) -> tuple[str, str]:
    content = origins.content_origin_for(request)
    if content is None:
        raise services.PackageError(
            _(
                "Packages cannot be played yet: the site has no separate address for content "
                "(SCORM_CONTENT_URL). Ask the administrator of this site."
            )
        )
    return origins.page_origin(request), content


@login_required
@require_POST
def launch(request: HttpRequest, item_uuid: str) -> HttpResponse:
    found = access_package(request.user, item_uuid)
    if found is None:
        raise Http404
    enrolment = my_enrolment(request.user, found)
    if enrolment is None or enrolment.status != EnrolmentStatus.ACTIVE:
        messages.error(request, _("Enrol first; then you can start the course."))
        return redirect("scorm:package", found.item.uuid)
    form = NavigateForm(request.POST)
    nav = form.cleaned_data["request"] if form.is_valid() else "start"
    target = form.cleaned_data.get("target", "") if form.is_valid() else ""
    try:
        page_origin, content_origin = _launch_origins(request)
        if found.current is not None and found.current.standard == Standard.CMI5:
            from gilde.scorm import cmi5

            session = cmi5.au_launch(
                actor=request.user,
                enrolment=enrolment,
                package=found,
                au_index=int(target) if target.isdigit() else None,
                page_origin=page_origin,
                content_origin=content_origin,
            )
            return redirect("scorm:session", session.uuid)
        result = services.scorm_launch(
            actor=request.user,
            enrolment=enrolment,
            package=found,
            request="choice" if nav == "choice" else "start",
            target=target,
            page_origin=page_origin,
            content_origin=content_origin,
        )
    except services.PackageError as error:
        messages.error(request, str(error))
        return redirect("scorm:package", found.item.uuid)
    return redirect("scorm:session", result.session.uuid)


def _player_csp(content_origin: str) -> str:
    return content_security_policy(frame_src=(content_origin,))


@login_required
@require_GET
def session(request: HttpRequest, launch_uuid: str) -> HttpResponse:
    found = access_session(request.user, launch_uuid)
    registration = found.registration
    version = registration.version
    package = version.package
    content_origin = origins.content_origin_for(request) or found.content_origin
    if found.ended_at is not None and version.standard != Standard.CMI5:
        messages.info(request, _("That part was closed; here is where you are now."))
        return redirect("scorm:package", package.item.uuid)
    player_url = _player_url(request, found, content_origin)
    from gilde.scorm.selectors import structure_rows

    context: dict[str, Any] = {
        "session": found,
        "package": package,
        "item": package.item,
        "version": version,
        "rows": structure_rows(version, registration),
        "player_url": player_url,
        "content_origin": content_origin,
        "nav_form_url": reverse("scorm:navigate", args=[found.uuid]),
        "is_cmi5": version.standard == Standard.CMI5,
    }
    context["single"] = (
        not context["is_cmi5"] and sum(1 for r in context["rows"] if r.launchable) == 1
    )
    response = render(request, "scorm/session.html", context)
    response["Content-Security-Policy"] = _player_csp(content_origin)
    return response


def _player_url(request: HttpRequest, found: Session, content_origin: str) -> str:
    page_origin = origins.page_origin(request)
    if found.registration.version.standard == Standard.CMI5:
        from gilde.scorm import cmi5

        return cmi5.launch_url(found, page_origin=page_origin, content_origin=content_origin)
    token = origins.sign("player", {"s": str(found.uuid), "c": content_origin, "p": page_origin})
    return content_origin + reverse("scorm:player", args=[token])


@login_required
@require_POST
def navigate(request: HttpRequest, launch_uuid: str) -> HttpResponse:
    found = access_session(request.user, launch_uuid)
    registration = found.registration
    package = registration.version.package
    form = NavigateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where to go."))
        return redirect("scorm:package", package.item.uuid)
    nav = form.cleaned_data["request"]
    target = form.cleaned_data["target"]
    if registration.version.standard == Standard.CMI5:
        from gilde.scorm import cmi5

        cmi5.session_leave(session=found)
        return redirect("scorm:package", package.item.uuid)
    if nav in ("exit", "exitAll", "suspendAll", "abandon", "abandonAll"):
        services.session_close(session=found, request=nav)
        if nav == "suspendAll":
            messages.success(request, _("Your place is kept; you can go on later."))
        return redirect("scorm:package", package.item.uuid)
    try:
        page_origin, content_origin = _launch_origins(request)
        result = services.scorm_launch(
            actor=request.user,
            enrolment=registration.enrolment,
            package=package,
            request=nav,
            target=target,
            current=found,
            page_origin=page_origin,
            content_origin=content_origin,
        )
    except services.PackageError as error:
        messages.error(request, str(error))
        if found.ended_at is None:
            return redirect("scorm:session", found.uuid)
        return redirect("scorm:package", package.item.uuid)
    return redirect("scorm:session", result.session.uuid)


@login_required
@require_GET
def results(request: HttpRequest, item_uuid: str) -> HttpResponse:
    found = access_package(request.user, item_uuid)
    if found is None:
        return redirect("learning:item-detail", item_uuid)
    rows = package_results(request.user, found)
    return render(
        request,
        "scorm/results.html",
        {"package": found, "item": found.item, "rows": rows},
    )
