"""Certificate pages: the learner's certificates and their PDFs, the issuer's page with
revocation, and the public verification page (no log-in; see learning/certificates.py for what
it shows and why)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gilde.learning import certificates
from gilde.learning.forms_certificates import CodeForm, RevokeForm
from gilde.learning.models import Certificate


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(certificates.verification_path(certificate))


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/certificate_list.html",
        {
            "certificates": certificates.my_certificates(request.user),
            "issuer": certificates.issues_certificates(request.user),
        },
    )


@login_required
def certificate_detail(request: HttpRequest, certificate_uuid: str) -> HttpResponse:
    certificate = certificates.access_certificate(request.user, certificate_uuid)
    return render(
        request,
        "learning/certificate_detail.html",
        {
            "certificate": certificate,
            "verify_url": _verify_url(request, certificate),
            "is_holder": certificate.person_id == request.user.pk,
            "is_issuer": certificates.is_issuer(request.user, certificate),
            "can_revoke": certificates.can_revoke(request.user, certificate),
            "form": RevokeForm(),
        },
    )


@login_required
def certificate_pdf(request: HttpRequest, certificate_uuid: str) -> HttpResponse:
    certificate = certificates.access_certificate(request.user, certificate_uuid)
    content = certificates.certificate_pdf(
        certificate, verify_url=_verify_url(request, certificate)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.certificate_filename(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_uuid: str) -> HttpResponse:
    certificate = certificates.access_certificate(request.user, certificate_uuid)
    if not certificates.is_issuer(request.user, certificate):
        raise Http404
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            certificates.certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except certificates.CertificateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The certificate is revoked. The verification page says so now.")
            )
            return redirect("learning:certificate", certificate.uuid)
    return render(
        request,
        "learning/certificate_detail.html",
        {
            "certificate": certificate,
            "verify_url": _verify_url(request, certificate),
            "is_holder": certificate.person_id == request.user.pk,
            "is_issuer": True,
            "can_revoke": certificates.can_revoke(request.user, certificate),
            "form": form,
        },
        status=400,
    )


@login_required
def certificate_find(request: HttpRequest) -> HttpResponse:
    """The issuer finds a certificate by the code on it (to revoke it, say)."""
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        found = certificates.certificate_by_code(form.cleaned_data["code"])
        if found is not None and certificates.can_see_certificate(request.user, found):
            return redirect("learning:certificate", found.uuid)
        form.add_error("code", _("You have no certificate with this code."))
    return render(
        request,
        "learning/certificate_find.html",
        {"form": form, "issued": certificates.issued_certificates(request.user)},
    )


# --- public -------------------------------------------------------------------------------------


def verify_form(request: HttpRequest) -> HttpResponse:
    """Anyone types the code from a paper certificate."""
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = certificates.normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("verify:certificate", code)
        form.add_error("code", _("A verification code has 12 letters and digits."))
    return render(request, "learning/certificate_verify_form.html", {"form": form})


def verify(request: HttpRequest, verification_code: str) -> HttpResponse:
    """Valid, revoked (with the date) or unknown (404). See learning/certificates.py."""
    certificate = certificates.certificate_by_code(verification_code)
    response = render(
        request,
        "learning/certificate_verify.html",
        {
            "certificate": certificate,
            "issuer": certificates.issuer_name(certificate) if certificate else "",
            "code": verification_code,
        },
        status=200 if certificate is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
