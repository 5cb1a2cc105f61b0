from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gilde.tenancy.models import Membership
from tests.conftest import World

GOOD = "Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mail;Afdeling\n101;Joop;van 't;Hek;joop@hek.example;Magazijn\n102;Fenna;de;Boer;fenna@boer.example;Magazijn\n"


def test_the_command_imports_a_file_with_new_teams(tmp_path: Path, world: World) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(GOOD, encoding="utf-8-sig")
    call_command("import_people", world.a.org.slug, str(path), "--create-teams")
    rows = Membership.objects.filter(organisation=world.a.org, employee_number__in=["101", "102"])
    assert {m.team.name for m in rows if m.team} == {"Magazijn"}
    assert {m.person.display_name for m in rows} == {"Joop van 't Hek", "Fenna de Boer"}


def test_a_bad_line_imports_nothing_and_names_the_line(
    tmp_path: Path, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(GOOD + "103;Kees;;Kaal;geen-adres;Magazijn\n", encoding="utf-8")
    before = Membership.objects.count()
    with pytest.raises(CommandError):
        call_command("import_people", world.a.org.slug, str(path), "--create-teams")
    assert "line 4" in capsys.readouterr().err
    assert Membership.objects.count() == before


def test_a_dry_run_changes_nothing(tmp_path: Path, world: World) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = Membership.objects.count()
    call_command("import_people", world.a.org.slug, str(path), "--create-teams", "--dry-run")
    assert Membership.objects.count() == before


def test_an_unknown_organisation_is_refused(tmp_path: Path, db: None) -> None:
    path = tmp_path / "hr.csv"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_people", "bestaat-niet", str(path))
