from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gilde.privacy import registry


def models_pointing_at_a_person() -> set[str]:
    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {person_model._meta.label}
    for model in apps.get_models():
        for field in model._meta.get_fields(include_hidden=True):
            if (
                (field.concrete or field.many_to_many)
                and field.is_relation
                and field.related_model is person_model
                and not field.auto_created
            ):
                found.add(model._meta.label)
    return found


def test_every_model_that_points_at_a_person_is_covered_by_a_section() -> None:
    """A new model with a link to a person fails here until a section exports and erases it
    (docs/privacy.md says how)."""
    missing = models_pointing_at_a_person() - registry.covered_models()
    assert not missing, f"Personal data without an export/erasure section: {sorted(missing)}"


def test_the_check_finds_the_known_links_to_a_person() -> None:
    found = models_pointing_at_a_person()
    assert {"tenancy.Membership", "audit.AuditEvent", "mfa.Authenticator"} <= found


def test_a_section_name_can_be_registered_only_once() -> None:
    with pytest.raises(ImproperlyConfigured):
        registry.register("account", export=lambda person: {})
    assert [s.name for s in registry.sections()].count("account") == 1
