"""The demo's learning paths, cohorts and certificates.

- S3: the one-year work-and-learn track of "Van Potentie naar Competentie" — placements at the
  host companies as on-the-job assignments and school subjects of Vakcollege Ommeland — run by
  the temp agency as a cohort that started half a year ago. One candidate is half-way and on
  schedule, one is behind; a school certificate (VCA) was issued to two candidates, and one of
  those was revoked (the exam was taken under someone else's name).
- S9's module path (precision machining, in the Gelderland technology network, whose machining
  firm Verspaning Ooij stands for S9 here): three education modules ending in an on-the-job
  assignment, with a certificate; the CNC turner is enrolled by the foreman and has done two
  modules.

Everything goes through the learning services, as in real use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gilde.learning import certificates, paths_admin, services
from gilde.learning.models import (
    CatalogueItem,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    ItemKind,
    LearningPath,
)
from gilde.people.models import Person
from gilde.tenancy.models import Membership, Network, Organisation

S3_NETWORK = "van-potentie-naar-competentie"
S3_AGENCY = "noorderwerk-uitzenden"
S3_SCHOOL = "vakcollege-ommeland"
S2_NETWORK = "lerend-netwerk-techniek-gelderland"
S9_FIRM = "verspaning-ooij"


def _item(
    actor: Person, network: Network, kind: str, title: str, summary: str, hours: str, **extra: Any
) -> CatalogueItem:
    fields: dict[str, Any] = {
        "title": title,
        "summary": summary,
        "language": "nl",
        "study_load_hours": Decimal(hours),
        "audience": "",
        "certificate_enabled": False,
        **extra,
    }
    item = services.item_create(actor=actor, kind=kind, fields=fields, network=network)
    return services.item_publish(actor=actor, item=item)


def _path(
    actor: Person, network: Network, title: str, summary: str, steps: list[CatalogueItem]
) -> LearningPath:
    path = paths_admin.path_create(
        actor=actor,
        fields={
            "title": title,
            "summary": summary,
            "language": "nl",
            "audience": "",
            "ordered": True,
            "completion_rule": "all_required",
            "required_count": None,
            "certificate_enabled": True,
        },
        network=network,
    )
    for step in steps:
        paths_admin.path_step_add_checked(actor=actor, path=path, item=step)
    return paths_admin.path_publish(actor=actor, path=path)


def _enrolment(person: Person, item: CatalogueItem) -> Enrolment:
    return Enrolment.objects.get(person=person, item=item, status=EnrolmentStatus.ACTIVE)


def _membership(person: Person, organisation: Organisation) -> Membership:
    return Membership.objects.current().get(person=person, organisation=organisation)


def demo_paths_load(*, people: dict[str, Person], today: dt.date) -> int:
    """Returns the number of certificates issued."""
    _s3_track(people, today)
    _s9_modules(people)
    return Certificate.objects.filter(person__in=list(people.values())).count()


def _s3_track(people: dict[str, Person], today: dt.date) -> None:
    network = Network.objects.get(slug=S3_NETWORK)
    agency = Organisation.objects.get(slug=S3_AGENCY)
    school = Organisation.objects.get(slug=S3_SCHOOL)
    coordinator = people["s3-coord"]
    placement_1 = _item(
        coordinator,
        network,
        ItemKind.ON_THE_JOB,
        "Plaatsing 1: meewerken in de bouw",
        "Een half jaar meewerken bij een bouwbedrijf, met een vaste begeleider op de bouwplaats.",
        "480",
        instructions=(
            "Werk mee in de uitvoering. Houd elke week met je begeleider bij wat je hebt geleerd: "
            "veilig werken, maatvoering, samenwerken. Aan het eind tekent je begeleider af."
        ),
        sign_off_by="mentor_or_manager",
    )
    vca = _item(
        coordinator,
        network,
        ItemKind.SCHOOL_SUBJECT,
        "Veilig werken (VCA basis)",
        "Het schoolvak veiligheid met het VCA-examen, bij Vakcollege Ommeland.",
        "24",
        school=school,
        certificate_enabled=True,
    )
    dutch = _item(
        coordinator,
        network,
        ItemKind.SCHOOL_SUBJECT,
        "Nederlands op de werkvloer",
        "Lezen en schrijven voor het werk: werkbonnen, instructies, een melding doen.",
        "40",
        school=school,
    )
    placement_2 = _item(
        coordinator,
        network,
        ItemKind.ON_THE_JOB,
        "Plaatsing 2: installatietechniek",
        "Een half jaar meewerken bij een installatiebedrijf: zonnepanelen en laadpalen.",
        "480",
        instructions=(
            "Werk mee met een monteur. Je begeleider bespreekt elke maand wat goed gaat en wat "
            "je nog oefent, en tekent aan het eind af."
        ),
        sign_off_by="mentor_or_manager",
    )
    maths = _item(
        coordinator,
        network,
        ItemKind.SCHOOL_SUBJECT,
        "Rekenen voor techniek",
        "Meten, verhoudingen en eenvoudige formules voor het werk.",
        "40",
        school=school,
    )
    track = _path(
        coordinator,
        network,
        "Werkend leren: een jaar bij bedrijven en op school",
        "Een jaar werken bij twee bedrijven na elkaar, met schoolvakken en certificaten.",
        [placement_1, vca, dutch, placement_2, maths],
    )
    owner = next(
        o for o in paths_admin.cohort_owners_for(coordinator, track) if o.organisation == agency
    )
    start = today - dt.timedelta(days=183)
    cohort = paths_admin.cohort_create(
        actor=coordinator,
        path=track,
        owner=owner,
        name="Instroom " + start.strftime("%m-%Y"),
        start_date=start,
        end_date=start + dt.timedelta(days=365),
        coordinator=people["s3-coach"],
        mentors=[people["bouw-site"], people["energie-master"]],
    )
    candidates = [people["cand-1"], people["cand-2"], people["cand-3"]]
    paths_admin.cohort_members_add(
        actor=coordinator,
        cohort=cohort,
        memberships=[_membership(c, agency) for c in candidates],
    )
    teacher = people["ommeland-teacher"]
    # cand-2 is half-way and on schedule: the building placement and VCA are done.
    services.on_the_job_sign_off(
        actor=people["s3-recruiter"],
        enrolment=_enrolment(people["cand-2"], placement_1),
        note="Zes maanden goed meegedraaid op de bouwplaats.",
    )
    services.school_result_record(
        actor=teacher, enrolment=_enrolment(people["cand-2"], vca), school_result="geslaagd"
    )
    # cand-1 has done the placement but not VCA yet, which was due: behind.
    services.on_the_job_sign_off(
        actor=people["bouw-site"],
        enrolment=_enrolment(people["cand-1"], placement_1),
        note="Zelfstandig en op tijd.",
    )
    # cand-3 passed VCA, but the exam was taken under someone else's name: revoked.
    services.school_result_record(
        actor=teacher, enrolment=_enrolment(people["cand-3"], vca), school_result="geslaagd"
    )
    revoked = Certificate.objects.get(person=people["cand-3"], item=vca)
    certificates.certificate_revoke(
        actor=coordinator,
        certificate=revoked,
        reason="Het examen is door iemand anders afgelegd; de school heeft de uitslag ingetrokken.",
    )


def _s9_modules(people: dict[str, Person]) -> None:
    network = Network.objects.get(slug=S2_NETWORK)
    firm = Organisation.objects.get(slug=S9_FIRM)
    author = people["s2-coord"]
    modules = [
        _item(
            author,
            network,
            ItemKind.EXTERNAL,
            title,
            summary,
            hours,
            provider="Techniekcollege Gelderse Poort",
            url=f"https://example.org/verspanen/module-{n}",
            price=Decimal("0"),
            certificate_enabled=True,
        )
        for n, (title, summary, hours) in enumerate(
            [
                (
                    "Module 1: technische tekeningen lezen",
                    "Aanzichten, maten en toleranties: een werktekening lezen zoals de machine.",
                    "16",
                ),
                (
                    "Module 2: CNC-draaien",
                    "Een draaiprogramma opbouwen, gereedschap kiezen en het eerste stuk meten.",
                    "24",
                ),
                (
                    "Module 3: meten en kwaliteit",
                    "Meetmiddelen, meetrapporten en wat je doet als een maat niet klopt.",
                    "16",
                ),
            ],
            start=1,
        )
    ]
    assignment = _item(
        author,
        network,
        ItemKind.ON_THE_JOB,
        "Praktijkopdracht: een serie draaien",
        "Zelf een serie van twintig stuks draaien, van tekening tot meetrapport.",
        "16",
        instructions=(
            "Kies met je leermeester een order van twintig stuks. Maak het programma, stel de "
            "machine in, draai de serie en lever het meetrapport in. Je leermeester tekent af."
        ),
        sign_off_by="mentor_or_manager",
    )
    path = _path(
        author,
        network,
        "Verspanen in modules",
        "Drie modules over verspanen, die eindigen met een opdracht op de werkvloer.",
        [*modules, assignment],
    )
    foreman = people["vo-foreman"]
    paths_admin.path_enrol_team(
        actor=foreman, path=path, organisation=firm, people=[people["vo-turner"]]
    )
    for module in modules[:2]:
        services.external_proof_submit(
            actor=people["vo-turner"],
            enrolment=_enrolment(people["vo-turner"], module),
            link=f"https://example.org/verspanen/bewijs/{module.slug}",
        )
