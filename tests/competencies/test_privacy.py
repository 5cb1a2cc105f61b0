from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from gilde.competencies.models import Assessment, CurrentLevel
from gilde.privacy.services import person_erase
from tests.competencies.conftest import CompetencyWorld, rate


def test_the_export_holds_the_ratings_without_the_raters_names(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 2, comment="Goed bezig")
    client = Client()
    client.force_login(a.learner)
    data = json.loads(client.post(reverse("privacy:export")).content)
    section = data["sections"]["competencies"]
    assert section["ratings_of_you"][0]["level"] == 2
    assert section["ratings_of_you"][0]["comment"] == "Goed bezig"
    assert a.manager.email not in json.dumps(section)


def test_erasure_keeps_levels_for_aggregates_and_drops_comments(cw: CompetencyWorld) -> None:
    a = cw.world.a
    rate(a.manager, a.learner, cw.cnc, 2, comment="Persoonlijke notitie")
    person_erase(actor=a.learner, person=a.learner)
    rating = Assessment.objects.get(person=a.learner)
    assert rating.level == 2 and rating.comment == ""
    assert CurrentLevel.objects.filter(person=a.learner).exists()
