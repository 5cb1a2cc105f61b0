"""The demo's learning catalogue: the Utrecht retailers' shared masterclass series and digital
courses as network items (S1), one shop's own course, and a few enrolments so that the home
page, the catalogue and the owner's team overview have something to show. Everything goes
through the learning services, so it is recorded (audit trail, learning records) like real use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from gilde.demo.learning_paths import demo_paths_load
from gilde.demo.lessons import demo_lessons_load
from gilde.learning import services
from gilde.learning.models import (
    Answer,
    Attempt,
    CatalogueItem,
    Certificate,
    Cohort,
    CohortMember,
    Completion,
    Enrolment,
    ItemKind,
    LearningPath,
    LevelProposal,
    PathEnrolment,
    PathStep,
)
from gilde.people.models import Person
from gilde.tenancy.models import Network, Organisation


@dataclass(frozen=True)
class ItemSpec:
    key: str
    title: str
    summary: str
    kind: str
    hours: str
    tags: tuple[str, ...]
    audience: str = ""
    # "network:<slug>" or "org:<slug>"
    owner: str = "network:utrechtse-retail-academie"
    author: str = "s1-coord"
    extra: dict[str, Any] = field(default_factory=dict)


S1_ITEMS = (
    ItemSpec(
        key="mc-webwinkel",
        title="Masterclass 1: je eigen webwinkel in een middag",
        summary=(
            "Een webwinkel opzetten met wat je al hebt: foto's, prijzen en je kassasysteem. "
            "Met voorbeelden van winkels uit de binnenstad."
        ),
        kind=ItemKind.EVENT,
        hours="3",
        tags=("webwinkel", "e-commerce", "masterclass"),
        audience="Eigenaren en medewerkers van winkels in de binnenstad",
    ),
    ItemSpec(
        key="mc-data",
        title="Masterclass 2: klantdata slim en netjes gebruiken",
        summary=(
            "Wat weet je van je klanten, wat mag je ermee (AVG) en hoe haal je er meer "
            "verkoop uit? Met een spreadsheet, zonder dure systemen."
        ),
        kind=ItemKind.EVENT,
        hours="3",
        tags=("data", "klanten", "avg", "masterclass"),
        audience="Eigenaren en medewerkers van winkels in de binnenstad",
    ),
    ItemSpec(
        key="mc-marketing",
        title="Masterclass 3: online marketing met een klein budget",
        summary=(
            "Instagram, Google Bedrijfsprofiel en de nieuwsbrief: wat werkt voor een kleine "
            "winkel, en hoeveel tijd kost het per week?"
        ),
        kind=ItemKind.EVENT,
        hours="3",
        tags=("marketing", "sociale media", "masterclass"),
        audience="Eigenaren en medewerkers van winkels in de binnenstad",
    ),
    ItemSpec(
        key="ext-marketing",
        title="Online marketing: de basis",
        summary="Een gratis online cursus over vindbaarheid, sociale media en advertenties.",
        kind=ItemKind.EXTERNAL,
        hours="6",
        tags=("marketing", "online cursus"),
        extra={
            "provider": "Digitale Werkplaats",
            "url": "https://example.org/digitale-werkplaats/online-marketing",
            "price": Decimal("0"),
        },
    ),
    ItemSpec(
        key="job-webshop",
        title="Een week de webshop bijhouden",
        summary="In de praktijk: bestellingen, voorraad en productfoto's, een week lang.",
        kind=ItemKind.ON_THE_JOB,
        hours="8",
        tags=("webwinkel", "praktijk"),
        extra={
            "instructions": (
                "Houd vijf werkdagen de webshop bij: verwerk de bestellingen, zet twee nieuwe "
                "producten online met goede foto's en houd de voorraad bij. Bespreek aan het "
                "eind van de week met je begeleider wat goed ging."
            ),
            "sign_off_by": "mentor_or_manager",
        },
    ),
    ItemSpec(
        key="ext-barista",
        title="Barista-basis",
        summary="Twee dagen espresso en melk opschuimen bij een koffieschool.",
        kind=ItemKind.EXTERNAL,
        hours="14",
        tags=("koffie", "vakmanschap"),
        owner="org:koffiebranderij-de-gouden-boon",
        author="boon-owner",
        extra={
            "provider": "Koffieschool Utrecht",
            "url": "https://example.org/koffieschool/barista-basis",
            "price": Decimal("295"),
        },
    ),
)


@dataclass
class LearningLoaded:
    items: int = 0
    enrolments: int = 0
    completions: int = 0


def demo_learning_load(*, people: dict[str, Person], today: dt.date) -> LearningLoaded:
    loaded = LearningLoaded()
    items: dict[str, CatalogueItem] = {}
    for spec in S1_ITEMS:
        kind, _sep, slug = spec.owner.partition(":")
        owner: dict[str, Any] = (
            {"network": Network.objects.get(slug=slug)}
            if kind == "network"
            else {"organisation": Organisation.objects.get(slug=slug)}
        )
        fields: dict[str, Any] = {
            "title": spec.title,
            "summary": spec.summary,
            "language": "nl",
            "study_load_hours": Decimal(spec.hours),
            "audience": spec.audience,
            "certificate_enabled": False,
            **spec.extra,
        }
        actor = people[spec.author]
        item = services.item_create(
            actor=actor, kind=spec.kind, fields=fields, tags=spec.tags, **owner
        )
        items[spec.key] = services.item_publish(actor=actor, item=item)
        loaded.items += 1

    boon = Organisation.objects.get(slug="koffiebranderij-de-gouden-boon")
    # The coffee roaster's salesperson follows the online course and is busy with the webshop
    # week; the web manager has done both.
    course = services.enrolment_self_create(
        actor=people["boon-sales"],
        item=items["ext-marketing"],
        due_date=today + dt.timedelta(days=10),
    )
    Enrolment.objects.filter(pk=course.pk).update(progress_percent=40, last_activity_at=None)
    services.enrolments_create_for_team(
        actor=people["boon-owner"],
        item=items["job-webshop"],
        organisation=boon,
        people=[people["boon-sales"], people["boon-web"]],
        due_date=today + dt.timedelta(days=21),
    )
    services.enrolments_create_for_team(
        actor=people["boon-owner"],
        item=items["ext-barista"],
        organisation=boon,
        people=[people["boon-sales"]],
        due_date=today + dt.timedelta(days=60),
    )
    done = services.enrolment_self_create(actor=people["boon-web"], item=items["ext-marketing"])
    services.external_proof_submit(
        actor=people["boon-web"],
        enrolment=done,
        link="https://example.org/digitale-werkplaats/certificaat/boon-web",
        note="Certificaat van de online cursus.",
    )
    loaded.completions += 1
    week = Enrolment.objects.get(person=people["boon-web"], item=items["job-webshop"])
    services.on_the_job_sign_off(
        actor=people["boon-owner"], enrolment=week, note="Bestellingen keurig op tijd verwerkt."
    )
    loaded.completions += 1
    # Elsewhere in the network: two more people on the online course, one stopped.
    services.enrolment_self_create(actor=people["geluk-shop1"], item=items["ext-marketing"])
    stopped = services.enrolment_self_create(actor=people["bank-adv1"], item=items["ext-marketing"])
    services.enrolment_withdraw(
        actor=people["bank-adv1"], enrolment=stopped, reason="Eerst de masterclass volgen."
    )
    loaded.enrolments = Enrolment.objects.filter(item__in=items.values()).count()
    loaded.items += demo_lessons_load(people=people)
    # Paths, cohorts and certificates (S3's work-and-learn year, S9's modules).
    demo_paths_load(people=people, today=today)
    return loaded


def demo_learning_reset(
    *, networks: QuerySet[Network], org_ids: list[int], people: QuerySet[Person]
) -> None:
    """Remove the learning rows of the demo before the people, organisations and networks they
    point at (learning records go with the organisations' and networks' stores)."""
    items = CatalogueItem.objects.filter(
        Q(network__in=networks) | Q(organisation_id__in=org_ids) | Q(school_id__in=org_ids)
    )
    paths = LearningPath.objects.filter(Q(network__in=networks) | Q(organisation_id__in=org_ids))
    of_people = Q(person__in=people)
    enrolments = Enrolment.objects.filter(of_people | Q(item__in=items))
    completions = Completion.objects.filter(of_people | Q(item__in=items))
    for completion in completions.exclude(proof_file=""):
        completion.proof_file.delete(save=False)
    Certificate.objects.filter(
        of_people | Q(item__in=items) | Q(path__in=paths) | Q(completion__in=completions)
    ).delete()
    LevelProposal.objects.filter(of_people | Q(completion__in=completions)).delete()
    completions.delete()
    Answer.objects.filter(attempt__enrolment__in=enrolments).delete()
    Attempt.objects.filter(enrolment__in=enrolments).delete()
    enrolments.delete()
    cohorts = Cohort.objects.filter(
        Q(network__in=networks) | Q(organisation_id__in=org_ids) | Q(path__in=paths)
    )
    PathEnrolment.objects.filter(of_people | Q(path__in=paths) | Q(cohort__in=cohorts)).delete()
    CohortMember.objects.filter(of_people | Q(cohort__in=cohorts)).delete()
    cohorts.delete()
    PathStep.objects.filter(
        Q(path__in=paths) | Q(item__in=items) | Q(included_path__in=paths)
    ).delete()
    paths.delete()
    items.delete()
