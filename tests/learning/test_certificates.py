"""Certificates: issued on completion, the learner's list and PDF, revocation by the issuer only,
and the public verification page that tells validity and nothing else about the person."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from gilde.audit.models import AuditEvent
from gilde.competencies.services import competency_save, framework_create, version_publish
from gilde.learning import certificates, services
from gilde.learning.models import Certificate, ItemKind
from tests.conftest import World
from tests.learning.conftest import make_item


def _complete_external(person: Any, item: Any) -> Any:
    enrolment = services.enrolment_self_create(actor=person, item=item)
    return services.external_proof_submit(
        actor=person, enrolment=enrolment, link="https://example.org/bewijs"
    )


@pytest.fixture
def issued(world: World) -> dict[str, Any]:
    """A network item and an organisation item that give a certificate, both completed by A's
    learner; the network item aims at a competency."""
    a = world.a
    framework = framework_create(actor=a.coordinator, name="Vakmanschap", network=a.network)
    competency = competency_save(
        actor=None, version=framework.versions.get(), code="VK-01", name="Lassen"
    )
    version_publish(actor=None, version=framework.versions.get())
    network_item = make_item(
        actor=a.coordinator,
        title="Lassen in de praktijk",
        network=a.network,
        certificate_enabled=True,
        study_load_hours=Decimal("12.5"),
    )
    services.item_competency_set(
        actor=a.coordinator, item=network_item, competency=competency, level=3
    )
    org_item = make_item(
        actor=a.admin, title="Veilig heffen", organisation=a.org, certificate_enabled=True
    )
    plain = make_item(actor=a.admin, title="Zonder certificaat", organisation=a.org)
    _complete_external(a.learner, network_item)
    _complete_external(a.learner, org_item)
    _complete_external(a.learner, plain)
    return {
        "network": Certificate.objects.get(item=network_item),
        "org": Certificate.objects.get(item=org_item),
    }


def client_for(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


# --- issuing ------------------------------------------------------------------------------------


def test_completing_an_item_that_gives_a_certificate_issues_one(
    world: World, issued: dict[str, Any]
) -> None:
    assert Certificate.objects.filter(person=world.a.learner).count() == 2
    network_cert = issued["network"]
    assert network_cert.title == "Lassen in de praktijk"
    assert network_cert.network == world.a.network
    assert network_cert.issuer_organisation is None
    assert network_cert.study_load_hours == Decimal("12.5")
    assert network_cert.competencies == ["VK-01 Lassen (level 3)"]
    assert issued["org"].issuer_organisation == world.a.org
    assert AuditEvent.objects.filter(action="learning.certificate_issue").count() == 2


def test_what_a_certificate_says_stays_when_the_item_changes(
    world: World, issued: dict[str, Any]
) -> None:
    item = issued["org"].item
    fields = {
        "title": "Nieuwe titel",
        "summary": "",
        "language": "nl",
        "study_load_hours": Decimal("40"),
        "audience": "",
        "certificate_enabled": True,
        "provider": "Academie",
        "url": "https://example.org/x",
        "price": None,
    }
    services.item_update(actor=world.a.admin, item=item, fields=fields)
    issued["org"].refresh_from_db()
    assert issued["org"].title == "Veilig heffen"
    assert issued["org"].study_load_hours == Decimal("4")


def test_a_path_with_a_certificate_gives_one_when_completed(world: World) -> None:
    from gilde.learning.models import EnrolmentVia, LearningPath, PathEnrolment

    a = world.a
    first = make_item(actor=a.admin, title="Stap een", organisation=a.org)
    second = make_item(actor=a.admin, title="Stap twee", organisation=a.org)
    path = LearningPath.objects.create(
        organisation=a.org, slug="traject", title="Traject", certificate_enabled=True
    )
    services.path_step_add(actor=a.admin, path=path, item=first)
    services.path_step_add(actor=a.admin, path=path, item=second)
    path_enrolment = PathEnrolment.objects.create(
        person=a.learner, path=path, organisation=a.org, via=EnrolmentVia.SELF
    )
    for item in (first, second):
        enrolment = services.enrolment_self_create(actor=a.learner, item=item)
        enrolment.path_enrolment = path_enrolment
        enrolment.save(update_fields=["path_enrolment"])
        services.external_proof_submit(
            actor=a.learner, enrolment=enrolment, link="https://example.org/p"
        )
    certificate = Certificate.objects.get(path=path)
    assert certificate.title == "Traject"
    assert certificate.study_load_hours == Decimal("8")
    assert certificate.path_enrolment == path_enrolment


# --- the learner's pages and the PDF ------------------------------------------------------------


def test_learner_sees_their_certificates_and_downloads_a_real_pdf(
    world: World, issued: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.a.learner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("learning:certificates"))
    assert page.status_code == 200
    assert "Lassen in de praktijk" in page.content.decode()
    certificate = issued["network"]
    response = client.get(reverse("learning:certificate-pdf", args=[certificate.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Lassen in de praktijk" in flat
    assert world.a.learner.display_name in flat
    assert certificate.code in flat
    assert "Netwerk A" in flat
    assert "VK-01 Lassen" in flat
    assert reverse("verify:certificate", args=[certificate.code]) in flat


def test_my_certificates_runs_a_fixed_number_of_queries(
    world: World, issued: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.a.learner)
    client.get(reverse("learning:certificates"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("learning:certificates"))
    for n in range(5):
        item = make_item(
            actor=world.a.admin,
            title=f"Extra {n}",
            organisation=world.a.org,
            certificate_enabled=True,
        )
        _complete_external(world.a.learner, item)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("learning:certificates"))


def test_manager_sees_a_team_members_certificate_and_an_outsider_gets_404(
    world: World, issued: dict[str, Any]
) -> None:
    url = reverse("learning:certificate", args=[issued["org"].uuid])
    assert client_for(world.a.manager).get(url).status_code == 200
    assert client_for(world.a.author).get(url).status_code == 404
    for person in world.b.personas().values():
        assert client_for(person).get(url).status_code == 404
        pdf = reverse("learning:certificate-pdf", args=[issued["org"].uuid])
        assert client_for(person).get(pdf).status_code == 404


# --- revoking -----------------------------------------------------------------------------------


def test_only_the_issuer_can_revoke(world: World, issued: dict[str, Any]) -> None:
    org_cert, network_cert = issued["org"], issued["network"]
    for certificate, issuer, others in [
        (org_cert, world.a.admin, [world.a.learner, world.a.manager, world.a.coordinator]),
        (network_cert, world.a.coordinator, [world.a.learner, world.a.manager, world.a.admin]),
    ]:
        url = reverse("learning:certificate-revoke", args=[certificate.uuid])
        for person in [*others, world.b.admin, world.b.coordinator]:
            response = client_for(person).post(url, {"reason": "Fraude"})
            assert response.status_code == 404
            with pytest.raises(certificates.CertificateError):
                certificates.certificate_revoke(
                    actor=person, certificate=certificate, reason="Fraude"
                )
        certificate.refresh_from_db()
        assert certificate.revoked_at is None
        response = client_for(issuer).post(url, {"reason": "Toets niet zelf gemaakt"})
        assert response.status_code == 302
        certificate.refresh_from_db()
        assert certificate.revoked_at is not None
        assert certificate.revoked_by == issuer
        assert certificate.revoke_reason == "Toets niet zelf gemaakt"
    assert AuditEvent.objects.filter(action="learning.certificate_revoke").count() == 2


def test_revoking_without_a_reason_or_twice_changes_nothing(
    world: World, issued: dict[str, Any]
) -> None:
    certificate = issued["org"]
    url = reverse("learning:certificate-revoke", args=[certificate.uuid])
    response = client_for(world.a.admin).post(url, {"reason": "   "})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    certificates.certificate_revoke(actor=world.a.admin, certificate=certificate, reason="Fout")
    with pytest.raises(certificates.CertificateError, match="revoked already"):
        certificates.certificate_revoke(
            actor=world.a.admin, certificate=certificate, reason="Nog eens"
        )
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Fout"


def test_issuer_page_lists_the_organisations_certificates_and_finds_one_by_code(
    world: World, issued: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    admin = client_for(world.a.admin)
    with django_assert_max_num_queries(12):
        page = admin.get(reverse("learning:certificates-issued"))
    body = page.content.decode()
    assert "Veilig heffen" in body
    # The network's certificate is not the organisation's to list.
    assert "Lassen in de praktijk" not in body
    coordinator = client_for(world.a.coordinator)
    code = issued["network"].code.lower().replace("-", " ")
    found = coordinator.get(reverse("learning:certificates-issued"), {"code": code})
    assert found.status_code == 302
    assert found["Location"] == reverse("learning:certificate", args=[issued["network"].uuid])
    # Another network's coordinator finds nothing with the same code.
    other = client_for(world.b.coordinator).get(
        reverse("learning:certificates-issued"), {"code": code}
    )
    assert other.status_code == 200
    assert "You have no certificate with this code." in other.content.decode()


# --- the public verification page ---------------------------------------------------------------


def test_verification_shows_validity_and_only_what_is_on_the_certificate(
    world: World, issued: dict[str, Any]
) -> None:
    certificate = issued["org"]
    response = Client().get(reverse("verify:certificate", args=[certificate.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body
    assert certificate.title in body
    assert escape(world.a.learner.display_name) in body
    assert world.a.org.name in body  # the issuer, as printed on the certificate
    learner = world.a.learner
    for secret in [
        learner.email,
        str(learner.uuid),
        "Monteur A",  # the learner's job title
        world.a.team.name,
        escape(world.a.manager.display_name),
        "Zonder certificaat",  # other learning of the person
        "Lassen in de praktijk",  # another certificate of the person
        str(certificate.uuid),
        "https://example.org/bewijs",  # the proof
    ]:
        assert secret not in body, secret
    assert response["X-Robots-Tag"] == "noindex"


def test_a_revoked_certificate_shows_as_revoked_without_the_reason(
    world: World, issued: dict[str, Any]
) -> None:
    certificate = certificates.certificate_revoke(
        actor=world.a.coordinator,
        certificate=issued["network"],
        reason="Ziekmelding van Lotte bleek vals",
    )
    response = Client().get(reverse("verify:certificate", args=[certificate.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="revoked"' in body
    assert 'data-status="valid"' not in body
    assert "Ziekmelding" not in body


def test_an_unknown_code_answers_404(world: World, issued: dict[str, Any]) -> None:
    for code in ["AAAA-BBBB-CCCC", "nonsense", "x" * 40]:
        response = Client().get(reverse("verify:certificate", args=[code]))
        assert response.status_code == 404
        assert 'data-status="unknown"' in response.content.decode()


def test_a_code_typed_loosely_is_found(world: World, issued: dict[str, Any]) -> None:
    certificate = issued["org"]
    loose = certificate.code.lower().replace("-", " ")
    response = Client().get(reverse("verify:form"), {"code": loose})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify:certificate", args=[certificate.code])
    typed = Client().get(reverse("verify:certificate", args=[certificate.code.replace("-", "")]))
    assert typed.status_code == 200


def test_verification_needs_no_log_in_and_reads_a_fixed_number_of_queries(
    world: World, issued: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        response = Client().get(reverse("verify:certificate", args=[issued["network"].code]))
    assert response.status_code == 200


def test_kind_without_certificate_issues_none(world: World) -> None:
    job = make_item(
        actor=world.a.admin, title="Klus", kind=ItemKind.ON_THE_JOB, organisation=world.a.org
    )
    enrolment = services.enrolments_create_for_team(
        actor=world.a.manager, item=job, organisation=world.a.org, people=[world.a.learner]
    ).enrolled[0]
    services.on_the_job_sign_off(actor=world.a.manager, enrolment=enrolment)
    assert not Certificate.objects.exists()
