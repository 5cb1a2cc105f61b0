"""Certificates: issued when an item or a path that gives one is completed, printed as a PDF with
a QR code, checked by anyone on the public verification page, and revoked by the issuer.

Who issues: the owner of the item or path — an organisation (its admins revoke) or a network (its
coordinators revoke). What a certificate says (holder, title, date, issuer, study load,
competencies) is fixed on the day of issue; later edits of the item do not change it.

The public verification page (`/verify/<code>/`, no log-in) answers one question: is this
certificate real and still valid? It shows validity (valid, or revoked with the date) together
with what is printed on the certificate itself — the holder's name, what was completed, when and
by whom it was issued — so that the person checking can see the paper and the record match.
Nothing else about the holder: no e-mail address, no employer beyond the issuer, no other
learning, and not the reason for a revocation (it may say something personal). An unknown code
answers 404. Codes are 12 random characters of a 31-character alphabet (about 10^18 codes), so
they cannot be guessed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gilde.audit.services import audit_record
from gilde.learning.models import (
    CatalogueItem,
    Certificate,
    Completion,
    Enrolment,
    ItemCompetency,
    LearningPath,
    PathEnrolment,
)
from gilde.tenancy.access import can_see_person, standing_of
from gilde.tenancy.models import Network, Organisation, Role


class CertificateError(ValueError):
    """A rule refused the change; the message is fit to show."""


# --- issuing ------------------------------------------------------------------------------------


def _competency_lines(item_ids: list[int]) -> list[str]:
    links = (
        ItemCompetency.objects.filter(item_id__in=item_ids)
        .select_related("competency")
        .order_by("competency__code", "pk")
    )
    best: dict[str, tuple[int, str]] = {}
    for link in links:
        code = link.competency.code
        if code not in best or link.target_level > best[code][0]:
            best[code] = (link.target_level, link.competency.name)
    return [
        _("%(code)s %(name)s (level %(level)s)") % {"code": code, "name": name, "level": level}
        for code, (level, name) in sorted(best.items())
    ]


def _issue(
    *,
    person: Any,
    title: str,
    owner_organisation: Organisation | None,
    owner_network: Network | None,
    study_load_hours: Decimal,
    competencies: list[str],
    item: CatalogueItem | None = None,
    path: LearningPath | None = None,
    completion: Completion | None = None,
    path_enrolment: PathEnrolment | None = None,
) -> Certificate:
    certificate = Certificate.objects.create(
        person=person,
        item=item,
        path=path,
        completion=completion,
        path_enrolment=path_enrolment,
        title=title,
        issuer_organisation=owner_organisation,
        network=owner_network,
        study_load_hours=study_load_hours,
        competencies=competencies,
    )
    audit_record(
        actor=None,
        action="learning.certificate_issue",
        organisation=owner_organisation,
        network=owner_network,
        subject=person,
        certificate=str(certificate.uuid),
        title=title,
    )
    return certificate


def certificate_issue_for_completion(
    *, completion: Completion, enrolment: Enrolment
) -> Certificate | None:
    """A certificate for a completed item that gives one (once per completion). Runs inside the
    completion's transaction (called from `services.on_item_completed`)."""
    item = enrolment.item
    if not item.certificate_enabled:
        return None
    if Certificate.objects.filter(completion=completion).exists():
        return None
    return _issue(
        person=enrolment.person,
        title=item.title,
        owner_organisation=item.organisation,
        owner_network=item.network,
        study_load_hours=item.study_load_hours,
        competencies=_competency_lines([item.pk]),
        item=item,
        completion=completion,
    )


def certificate_issue_for_path(*, path_enrolment: PathEnrolment) -> Certificate | None:
    """A certificate for a completed path that gives one (once per path enrolment). The study
    load is the sum of the completed steps' hours; the competencies those of all its items."""
    from gilde.learning.services import path_items

    path = path_enrolment.path
    if not path.certificate_enabled:
        return None
    if Certificate.objects.filter(path_enrolment=path_enrolment).exists():
        return None
    item_ids = [item_id for item_id, _required in path_items(path)]
    done = Completion.objects.filter(person_id=path_enrolment.person_id, item_id__in=item_ids)
    hours: dict[int, Decimal] = {}
    for item_id, study_hours in done.values_list("item_id", "study_hours"):
        hours[item_id] = max(hours.get(item_id, Decimal("0")), study_hours)
    return _issue(
        person=path_enrolment.person,
        title=path.title,
        owner_organisation=path.organisation,
        owner_network=path.network,
        study_load_hours=sum(hours.values(), Decimal("0")),
        competencies=_competency_lines(list(hours)),
        path=path,
        path_enrolment=path_enrolment,
    )


# --- who may see and revoke ---------------------------------------------------------------------


def is_issuer(actor: Any, certificate: Certificate) -> bool:
    """The actor speaks for the issuer: an admin of the issuing organisation, or a coordinator of
    the issuing network."""
    if not getattr(actor, "is_authenticated", False):
        return False
    standing = standing_of(actor)
    if certificate.issuer_organisation_id is not None:
        return standing.has_org_role(certificate.issuer_organisation_id, Role.ORG_ADMIN)
    return certificate.network_id is not None and standing.is_coordinator(certificate.network_id)


def can_revoke(actor: Any, certificate: Certificate) -> bool:
    return certificate.revoked_at is None and is_issuer(actor, certificate)


def can_see_certificate(actor: Any, certificate: Certificate) -> bool:
    """The holder, the issuer, and whoever may see the holder (manager, admin, mentor, coach)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.pk == certificate.person_id or is_issuer(actor, certificate):
        return True
    return can_see_person(actor, certificate.person)


def _with_facts(rows: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return rows.select_related("person", "issuer_organisation", "network", "revoked_by")


def access_certificate(actor: Any, certificate_uuid: Any) -> Certificate:
    certificate = _with_facts(Certificate.objects.filter(uuid=certificate_uuid)).first()
    if certificate is None or not can_see_certificate(actor, certificate):
        raise Http404
    return certificate


def my_certificates(actor: Any) -> list[Certificate]:
    return list(_with_facts(Certificate.objects.filter(person=actor)).order_by("-issued_at", "-pk"))


def issues_certificates(actor: Any) -> bool:
    """The actor speaks for an issuer: admin of an organisation or coordinator of a network."""
    standing = standing_of(actor)
    return bool(standing.admin_organisations() or standing.coordinated_networks())


@dataclass
class IssuedCertificates:
    """What an issuer finds on the certificates page: per organisation they administer, the
    certificates it issued; per network they coordinate, only the numbers (people of other
    organisations are not listed; a certificate is found by its code)."""

    organisations: list[tuple[Organisation, list[Certificate]]]
    networks: list[tuple[Network, int, int]]

    @property
    def any(self) -> bool:
        return bool(self.organisations or self.networks)


def issued_certificates(actor: Any) -> IssuedCertificates:
    """Three queries, however many certificates."""
    standing = standing_of(actor)
    admin_orgs = sorted(standing.admin_organisations(), key=lambda o: o.name)
    networks = sorted(standing.coordinated_networks(), key=lambda n: n.name)
    by_org: dict[int, list[Certificate]] = {o.pk: [] for o in admin_orgs}
    if admin_orgs:
        for certificate in _with_facts(
            Certificate.objects.filter(issuer_organisation_id__in=list(by_org))
        ).order_by("-issued_at", "-pk"):
            by_org[certificate.issuer_organisation_id or 0].append(certificate)
    counts: dict[int, list[int]] = {n.pk: [0, 0] for n in networks}
    if networks:
        rows = Certificate.objects.filter(
            issuer_organisation__isnull=True, network_id__in=list(counts)
        ).values_list("network_id", "revoked_at")
        for network_id, revoked_at in rows:
            counts[network_id][0 if revoked_at is None else 1] += 1
    return IssuedCertificates(
        organisations=[(o, by_org[o.pk]) for o in admin_orgs],
        networks=[(n, counts[n.pk][0], counts[n.pk][1]) for n in networks],
    )


_CODE_CHARACTERS = re.compile(r"[^A-Z0-9]")


def normalise_code(text: str) -> str:
    """ "abcd efgh-jkmn" → "ABCD-EFGH-JKMN": what people type from paper, in the stored form."""
    raw = _CODE_CHARACTERS.sub("", text.upper())
    if len(raw) != 12:
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code, for the public page; None if unknown."""
    code = normalise_code(code)
    if not code:
        return None
    return (
        Certificate.objects.filter(code=code)
        .select_related("person", "issuer_organisation", "network")
        .first()
    )


def access_certificate_by_code(actor: Any, code: str) -> Certificate:
    """For the issuer's search: a certificate with this code that the actor may see."""
    certificate = certificate_by_code(code)
    if certificate is None or not can_see_certificate(actor, certificate):
        raise Http404
    return certificate


# --- revoking -----------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """The issuer withdraws a certificate, with a reason. The row stays; the verification page
    says from then on that it is revoked, and since when."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked."))
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("person", "issuer_organisation", "network")
        .get(pk=certificate.pk)
    )
    if certificate.revoked_at is not None:
        raise CertificateError(_("This certificate is revoked already."))
    if not is_issuer(actor, certificate):
        raise CertificateError(_("Only the issuer can revoke a certificate."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        actor=actor,
        action="learning.certificate_revoke",
        organisation=certificate.issuer_organisation,
        network=certificate.network,
        subject=certificate.person,
        certificate=str(certificate.uuid),
        title=certificate.title,
    )
    return certificate


# --- the PDF ------------------------------------------------------------------------------------


def verification_path(certificate: Certificate) -> str:
    return reverse("verify:certificate", args=[certificate.code])


def issuer_name(certificate: Certificate) -> str:
    if certificate.issuer_organisation is not None:
        return certificate.issuer_organisation.name
    return certificate.network.name if certificate.network is not None else ""


# Fonts that cover every Latin script a learner's name may be written in: DejaVu where the system
# has it, else the Bitstream Vera that reportlab ships (Western European letters only).
_FONT_CANDIDATES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
)


def _fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "GildeSans" in pdfmetrics.getRegisteredFontNames():
        return "GildeSans", "GildeSans-Bold"
    # reportlab finds its own Vera*.ttf by name.
    regular, bold = "Vera.ttf", "VeraBd.ttf"
    for regular_path, bold_path in _FONT_CANDIDATES:
        if regular_path.exists() and bold_path.exists():
            regular, bold = str(regular_path), str(bold_path)
            break
    pdfmetrics.registerFont(TTFont("GildeSans", regular))
    pdfmetrics.registerFont(TTFont("GildeSans-Bold", bold))
    return "GildeSans", "GildeSans-Bold"


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as a one-page A4 PDF (landscape) with a QR code of `verify_url`, the
    public verification page. Text is real text (selectable, read by screen readers)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"{_('Certificate')}: {certificate.title}")
    pdf.setAuthor(issuer_name(certificate))
    pdf.setSubject(certificate.person.display_name)
    pdf.setCreator("Gilde")

    ink, accent = (0.11, 0.12, 0.14), (0.04, 0.33, 0.58)
    margin = 18 * mm
    pdf.setStrokeColorRGB(*accent)
    pdf.setLineWidth(2)
    pdf.rect(margin / 2, margin / 2, width - margin, height - margin)

    def line(text: str, y: float, *, size: float, font: str = regular, center: bool = True) -> None:
        pdf.setFont(font, size)
        if center:
            pdf.drawCentredString(width / 2, y, text)
        else:
            pdf.drawString(margin, y, text)

    def fit(text: str, size: float, font: str, room: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        while size > 10 and stringWidth(text, font, size) > room:
            size -= 1
        return size

    pdf.setFillColorRGB(*accent)
    line(_("Certificate"), height - 40 * mm, size=30, font=bold)
    pdf.setFillColorRGB(*ink)
    line(_("This is to certify that"), height - 55 * mm, size=13)
    name = certificate.person.display_name
    line(name, height - 70 * mm, size=fit(name, 26, bold, width - 2 * margin), font=bold)
    line(_("has completed"), height - 82 * mm, size=13)
    title = certificate.title
    line(title, height - 96 * mm, size=fit(title, 20, bold, width - 2 * margin), font=bold)
    issued = formats.date_format(timezone.localtime(certificate.issued_at).date(), "j F Y")
    line(_("on %(date)s") % {"date": issued}, height - 106 * mm, size=13)

    y = height - 122 * mm
    facts: list[tuple[str, str]] = []
    if certificate.issuer_organisation is not None:
        facts.append((_("Issued by"), certificate.issuer_organisation.name))
    if certificate.network is not None:
        label = _("Network") if certificate.issuer_organisation is not None else _("Issued by")
        facts.append((label, certificate.network.name))
    hours = formats.number_format(certificate.study_load_hours.normalize(), use_l10n=True)
    facts.append((_("Study load"), _("%(hours)s hours") % {"hours": hours}))
    for label, value in facts:
        pdf.setFont(bold, 11)
        pdf.drawString(margin + 6 * mm, y, f"{label}:")
        pdf.setFont(regular, 11)
        pdf.drawString(margin + 42 * mm, y, value)
        y -= 6 * mm
    if certificate.competencies:
        pdf.setFont(bold, 11)
        pdf.drawString(margin + 6 * mm, y, f"{_('Competencies')}:")
        pdf.setFont(regular, 10)
        shown = certificate.competencies[:6]
        for text in shown:
            pdf.drawString(margin + 42 * mm, y, str(text)[:90])
            y -= 5 * mm
        if len(certificate.competencies) > len(shown):
            more = len(certificate.competencies) - len(shown)
            pdf.drawString(margin + 42 * mm, y, _("and %(n)d more") % {"n": more})

    # The QR code and the code in words, bottom right.
    size = 34 * mm
    widget = QrCodeWidget(verify_url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - margin - size, margin)
    pdf.setFont(regular, 9)
    right = width - margin - size - 4 * mm
    pdf.drawRightString(right, margin + 20 * mm, _("Check this certificate:"))
    pdf.drawRightString(right, margin + 15 * mm, verify_url)
    pdf.setFont(bold, 11)
    pdf.drawRightString(
        right, margin + 8 * mm, _("Verification code: %(code)s") % {"code": certificate.code}
    )
    if certificate.revoked_at is not None:
        revoked = formats.date_format(timezone.localtime(certificate.revoked_at).date(), "j F Y")
        pdf.setFillColorRGB(0.7, 0.1, 0.1)
        pdf.setFont(bold, 16)
        pdf.drawString(margin, margin + 8 * mm, _("Revoked on %(date)s") % {"date": revoked})
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


__all__ = [
    "CertificateError",
    "IssuedCertificates",
    "access_certificate",
    "access_certificate_by_code",
    "can_revoke",
    "can_see_certificate",
    "certificate_by_code",
    "certificate_issue_for_completion",
    "certificate_issue_for_path",
    "certificate_pdf",
    "certificate_revoke",
    "is_issuer",
    "issued_certificates",
    "issues_certificates",
    "my_certificates",
    "normalise_code",
]
