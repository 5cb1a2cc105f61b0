"""The demo's paths, cohorts and certificates: S3's one-year track as a cohort with one candidate
half-way, S9's module path ending in an on-the-job assignment, certificates issued and one
revoked; a reset removes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gilde.demo.services import demo_load, demo_reset
from gilde.learning.models import Certificate, Cohort, ItemKind, LearningPath, PathEnrolment
from gilde.learning.selectors_paths import cohort_progress


@pytest.fixture
def demo(db: Any) -> None:
    demo_load(competencies=False)


def test_s3_track_runs_as_a_cohort_with_a_candidate_half_way(demo: None) -> None:
    cohort = Cohort.objects.select_related("path").get(organisation__slug="noorderwerk-uitzenden")
    kinds = [s.item.kind for s in cohort.path.steps.select_related("item")]
    assert ItemKind.ON_THE_JOB in kinds and ItemKind.SCHOOL_SUBJECT in kinds
    progress = cohort_progress(cohort)
    done = sorted(row.done for row in progress.rows)
    assert done == [1, 1, 2]
    assert len(progress.behind) >= 1
    half_way = next(row for row in progress.rows if row.done == 2)
    assert half_way.behind == 0


def test_s9_module_path_ends_in_an_on_the_job_assignment(demo: None) -> None:
    path = LearningPath.objects.get(title="Verspanen in modules")
    last = path.steps.order_by("-position").select_related("item").first()
    assert last is not None and last.item.kind == ItemKind.ON_THE_JOB
    assert PathEnrolment.objects.filter(path=path).count() == 1


def test_certificates_are_issued_and_one_is_revoked(demo: None) -> None:
    assert Certificate.objects.filter(revoked_at__isnull=True).count() >= 3
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    page = Client().get(reverse("verify:certificate", args=[revoked.code]))
    assert 'data-status="revoked"' in page.content.decode()


def test_reset_removes_paths_cohorts_and_certificates(demo: None) -> None:
    demo_reset()
    assert not Certificate.objects.exists()
    assert not Cohort.objects.exists()
    assert not LearningPath.objects.exists()
