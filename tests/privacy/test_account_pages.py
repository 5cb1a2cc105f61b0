"""The account pages of django-allauth, shown in Gilde's layout: log-in by e-mail, throttling,
password reset and change, and two-step log-in (TOTP) from activation to log-in."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gilde.people.models import Person
from tests.conftest import PASSWORD, World


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings: Any) -> Iterator[None]:
    # allauth counts failed log-ins in the cache; every test starts with a clean count. One step
    # of tolerance keeps the TOTP test independent of where in a 30-second window it runs.
    settings.MFA_TOTP_TOLERANCE = 1
    cache.clear()
    yield
    cache.clear()


def assert_gilde_page(response: Any) -> str:
    assert response.status_code == 200, response
    page: str = response.content.decode()
    assert 'class="skip-link"' in page
    assert 'class="site-header"' in page
    assert reverse("set_language") in page
    assert 'id="main"' in page
    assert page.count("<h1") == 1
    return page


def log_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_log_in_page_uses_the_gilde_layout_and_labels_every_field(client: Client, db: None) -> None:
    page = assert_gilde_page(client.get(reverse("account_login")))
    assert '<label for="id_login"' in page and '<label for="id_password"' in page
    assert reverse("account_reset_password") in page
    assert reverse("account_signup") not in page


def test_log_in_by_e_mail_address(client: Client, world: World) -> None:
    response = log_in(client, "LEARNER-A@example.org")
    assert response.status_code == 302
    assert client.get(reverse("privacy:me")).status_code == 200


def test_wrong_password_is_announced(client: Client, world: World) -> None:
    response = log_in(client, world.a.learner.email, "not-the-password")
    page = assert_gilde_page(response)
    assert 'role="alert"' in page
    assert client.get(reverse("privacy:me")).status_code == 302


def test_sixth_attempt_in_a_row_is_throttled_even_with_the_right_password(
    client: Client, world: World
) -> None:
    email = world.a.learner.email
    for _attempt in range(5):
        assert log_in(client, email, "not-the-password").status_code == 200
    response = log_in(client, email)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get(reverse("privacy:me")).status_code == 302
    # Another account is not blocked by these attempts.
    assert log_in(Client(), world.a.manager.email).status_code == 302


def test_password_reset_sends_a_mail_and_the_link_sets_a_new_password(
    client: Client, world: World
) -> None:
    person = world.a.learner
    assert_gilde_page(client.get(reverse("account_reset_password")))
    response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    assert_gilde_page(client.get(response["Location"]))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert match
    response = client.get(match.group(1))
    assert response.status_code == 302
    form_url = response["Location"]
    assert_gilde_page(client.get(form_url))
    new_password = "a-brand-new-secret-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert_gilde_page(client.get(response["Location"]))
    assert log_in(Client(), person.email, new_password).status_code == 302


def test_password_change_page(client: Client, world: World) -> None:
    person = world.a.learner
    log_in(client, person.email)
    assert_gilde_page(client.get(reverse("account_change_password")))
    new_password = "another-new-secret-42"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_logout_e_mail_and_reauthenticate_pages(client: Client, world: World) -> None:
    client.force_login(world.a.learner)
    assert_gilde_page(client.get(reverse("account_logout")))
    # allauth's own e-mail page is replaced by "My details" (password check, audit row).
    email_page = client.get(reverse("account_email"))
    assert email_page.status_code == 302 and email_page["Location"] == reverse("privacy:edit")
    # Without a fresh password log-in, allauth asks for the password before two-step settings.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert_gilde_page(client.get(response["Location"]))


def test_two_step_log_in_from_activation_to_log_in(client: Client, world: World) -> None:
    person: Person = world.a.admin
    log_in(client, person.email)
    page = assert_gilde_page(client.get(reverse("mfa_index")))
    assert reverse("mfa_activate_totp") in page

    # Two-step settings ask for the password once more first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    reauthenticate_url = response["Location"]
    assert '<label for="id_password"' in assert_gilde_page(client.get(reauthenticate_url))
    response = client.post(reauthenticate_url, {"password": PASSWORD})
    assert response.status_code == 302

    page = assert_gilde_page(client.get(reverse("mfa_activate_totp")))
    assert '<label for="id_code"' in page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not Authenticator.objects.filter(user=person).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    assert_gilde_page(client.get(reverse("mfa_view_recovery_codes")))
    assert_gilde_page(client.get(reverse("mfa_deactivate_totp")))

    other = Client()
    response = log_in(other, person.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert_gilde_page(other.get(reverse("mfa_authenticate")))
    assert other.get(reverse("privacy:me")).status_code == 302
    response = other.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = other.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    page = other.get(reverse("privacy:me")).content.decode()
    assert "badge-ok" in page


def test_account_pages_follow_the_language_switch(client: Client, world: World) -> None:
    client.cookies["django_language"] = "en"
    page = assert_gilde_page(client.get(reverse("account_login")))
    assert '<html lang="en">' in page
    client.cookies["django_language"] = "nl"
    page = assert_gilde_page(client.get(reverse("account_login")))
    assert '<html lang="nl">' in page
