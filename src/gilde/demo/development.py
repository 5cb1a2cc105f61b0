"""The demo's development data, drawn from the seed:

- S2 (Gelderland tech firms): the needs analysis came first — a named survey across the whole
  network on the machining framework, closed, with a report worth reading and two needs turned
  into proposals for a shared offering; and an open anonymous survey at Machinefabriek Veluwezoom
  that too few have answered yet for a report.
- S4 (training firms): the trainers' personal development plans in every state — a draft, one
  waiting for agreement, agreed ones (one with an overdue action, one ticked off by a completed
  refresher course), a closed one with a look back — and check-ins with private and shared notes.
- S8 (energy transition): a certified job coach with a caseload of career plans across the
  firms (waiting for consent, in progress, closed, one withdrawn) against the network's target of
  fifty, and the coordinator's targets.

Everything goes through the development services, so the audit trail looks like real use; dates
are moved into the past afterwards where a history needs them. No e-mail is sent.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gilde.audit.services import audit_record
from gilde.competencies.models import Competency, Framework
from gilde.development import notify, services, services_career, services_surveys
from gilde.development.models import (
    ActionKind,
    ActionStatus,
    CareerPlan,
    CheckIn,
    CheckInNote,
    CheckInPrompt,
    DevelopmentPlan,
    DevelopmentTarget,
    GoalStatus,
    Measure,
    NoteVisibility,
    OfferingProposal,
    PlanAction,
    PlanComment,
    PlanRevision,
    Survey,
    SurveyInvitation,
    SurveyMode,
)
from gilde.development.services_surveys import Answers
from gilde.learning import services as learning_services
from gilde.learning.models import CatalogueItem, ItemKind
from gilde.people.models import Person
from gilde.tenancy.models import CoachAssignment, MembershipKind, Network, Organisation

S2_NETWORK = "lerend-netwerk-techniek-gelderland"
S4_NETWORK = "trainers-up-to-date"
S8_NETWORK = "klimaatvakmensen-noord-holland"
S2_TITLE = "Behoefteanalyse: wat willen onze vakmensen leren?"
S2_OPEN_TITLE = "Wat wil jij leren in de werkplaats?"
S2_OPEN_ORG = "machinefabriek-veluwezoom"
SEED = 2027


def _competencies(framework: Framework, codes: list[str]) -> dict[str, Competency]:
    version = services_surveys.published_version(framework)
    assert version is not None
    return {c.code: c for c in version.competencies.filter(code__in=codes)}


def _days(today: dt.date, n: int) -> dt.date:
    return today + dt.timedelta(days=n)


def _moment(today: dt.date, days: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(_days(today, days), dt.time(hour, 0)))


def demo_development_load(*, people: dict[str, Person], today: dt.date) -> None:
    with notify.quiet():
        _s4_plans(people, today)
        _s2_needs_analysis(people, today)
        _s8_career_plans(people, today)


# --- S4: trainers' development plans ------------------------------------------------------------


def _plan(
    person: Person,
    organisation: Organisation,
    *,
    title: str,
    question: str,
    start: dt.date,
    months: int = 12,
) -> DevelopmentPlan:
    return services.plan_create(
        actor=person,
        organisation=organisation,
        title=title,
        period_start=start,
        period_end=start + dt.timedelta(days=30 * months),
        learning_question=question,
    )


def _goal(
    person: Person,
    plan: DevelopmentPlan,
    *,
    what: str,
    why: str,
    how: str,
    due: dt.date,
    competencies: list[tuple[Competency, int]],
    actions: list[tuple[str, str, dt.date | None]],
    item: CatalogueItem | None = None,
) -> Any:
    goal = services.goal_save(
        actor=person,
        plan=plan,
        what=what,
        why=why,
        how_i_know=how,
        due_date=due,
        competencies=competencies,
    )
    for kind, description, due_date in actions:
        services.action_save(
            actor=person,
            goal=goal,
            kind=kind,
            description=description,
            due_date=due_date,
            catalogue_item=item if kind == ActionKind.LEARNING and item is not None else None,
        )
    return goal


def _s4_refresher(people: dict[str, Person], network: Network) -> CatalogueItem:
    coordinator = people["s4-coord"]
    item = learning_services.item_create(
        actor=coordinator,
        kind=ItemKind.EXTERNAL,
        fields={
            "title": "Opfriscursus reanimatie en AED: richtlijnen 2026",
            "summary": (
                "Een dagdeel bij de regionale ambulancedienst: wat er in de nieuwe "
                "reanimatierichtlijnen verandert en hoe je dat in je eigen training verwerkt."
            ),
            "language": "nl",
            "study_load_hours": Decimal("4"),
            "audience": "EHBO- en BHV-trainers",
            "certificate_enabled": False,
            "provider": "Ambulancezorg Brabant-Zuidoost",
            "url": "https://opleidingen.example/reanimatie-2026",
            "price": Decimal("95"),
        },
        network=network,
        tags=("reanimatie", "bijscholing"),
    )
    return learning_services.item_publish(actor=coordinator, item=item)


def _s4_plans(people: dict[str, Person], today: dt.date) -> None:
    network = Network.objects.get(slug=S4_NETWORK)
    brabant = Organisation.objects.get(slug="hulpverlening-opleidingen-brabant")
    kempen = Organisation.objects.get(slug="keurmerk-en-training-kempen")
    peel = Organisation.objects.get(slug="veilig-werken-trainingen-peel")
    framework = Framework.objects.get(network=network)
    c = _competencies(
        framework, ["DI-02", "DI-04", "DI-05", "VI-01", "VI-04", "GD-01", "GD-02", "DV-01", "TB-01"]
    )
    refresher = _s4_refresher(people, network)
    lead = people["hob-lead"]
    services.prompts_save(
        actor=people["hob-director"],
        organisation=brabant,
        texts=[
            "Welke training ging goed, en waardoor?",
            "Welke groep of situatie vond je lastig? Wat deed je?",
            "Wat wil je de komende tijd leren, en waarom juist nu?",
            "Wat heb je van mij of van collega's nodig?",
            "Wat spreken we af tot het volgende gesprek?",
        ],
    )

    # hob-t1: agreed in spring; one action is overdue; a check-in a month ago, the next planned.
    t1 = people["hob-t1"]
    plan = _plan(
        t1,
        brabant,
        title="Mijn ontwikkelplan dit jaar",
        question=(
            "Hoe zorg ik dat deelnemers die zenuwachtig zijn voor het praktijkexamen toch "
            "met vertrouwen reanimeren?"
        ),
        start=_days(today, -120),
    )
    _goal(
        t1,
        plan,
        what="Beter feedback geven tijdens het oefenen",
        why="Deelnemers haken af als ik alleen zeg wat er fout gaat.",
        how="Mijn collega ziet bij twee trainingen dat ik eerst benoem wat goed gaat.",
        due=_days(today, 60),
        competencies=[(c["DI-04"], 3)],
        actions=[
            (ActionKind.COACHING, "Twee keer meekijken door de senior trainer", _days(today, -10)),
            (
                ActionKind.ON_THE_JOB,
                "Feedbackformulier gebruiken in vijf trainingen",
                _days(today, 40),
            ),
        ],
    )
    _goal(
        t1,
        plan,
        what="Nieuwe reanimatierichtlijnen kunnen uitleggen",
        why="De richtlijnen veranderen en deelnemers vragen ernaar.",
        how="Ik geef de nieuwe versie van de les zonder spiekbriefje.",
        due=_days(today, 150),
        competencies=[(c["VI-01"], 4), (c["VI-04"], 3)],
        actions=[(ActionKind.LEARNING, "", _days(today, 90))],
        item=refresher,
    )
    services.plan_submit(actor=t1, plan=plan)
    services.plan_comment_add(
        actor=lead, plan=plan, text="Goed plan. Sanne kijkt graag mee bij je trainingen."
    )
    services.plan_agree(actor=lead, plan=plan)
    _backdate_plan(plan, submitted=-100, agreed=-95)
    check_in = services.check_in_plan(
        actor=lead,
        person=t1,
        leader=lead,
        organisation=brabant,
        scheduled_for=timezone.now() + dt.timedelta(minutes=5),
    )
    services.check_in_note_add(
        actor=t1,
        check_in=check_in,
        text="Ik merk dat ik het spannend vind om collega's te vragen mee te kijken.",
        visibility=NoteVisibility.PRIVATE,
    )
    services.check_in_note_add(
        actor=lead,
        check_in=check_in,
        text="Afgesproken: Sanne plant twee trainingen in om mee te kijken.",
        visibility=NoteVisibility.SHARED,
    )
    services.check_in_note_add(
        actor=lead,
        check_in=check_in,
        text="Let op werkdruk: veel avondtrainingen deze maand.",
        visibility=NoteVisibility.PRIVATE,
    )
    services.check_in_mark_held(actor=lead, check_in=check_in)
    CheckIn.objects.filter(pk=check_in.pk).update(
        scheduled_for=_moment(today, -30), held_at=_moment(today, -30, 11)
    )
    CheckInNote.objects.filter(check_in=check_in).update(created_at=_moment(today, -30, 11))
    services.check_in_plan(
        actor=lead,
        person=t1,
        leader=lead,
        organisation=brabant,
        scheduled_for=_moment(today, 12, 14),
    )

    # hob-t2: sent for agreement, waiting for the manager.
    t2 = people["hob-t2"]
    plan = _plan(
        t2,
        brabant,
        title="Groeien als EHBO-trainer",
        question="Hoe geef ik een training die past bij een groep met veel verschillen in niveau?",
        start=_days(today, -7),
    )
    _goal(
        t2,
        plan,
        what="Oefeningen op verschillende niveaus aanbieden",
        why="In bedrijfsgroepen zitten beginners en mensen die al jaren EHBO doen.",
        how="Ik heb per scenario een makkelijke en een moeilijke variant en gebruik ze.",
        due=_days(today, 120),
        competencies=[(c["DI-05"], 3)],
        actions=[
            (ActionKind.ON_THE_JOB, "Drie scenario's uitwerken in twee niveaus", _days(today, 45)),
            (ActionKind.COACHING, "Bespreken met de senior trainer", _days(today, 60)),
        ],
    )
    _goal(
        t2,
        plan,
        what="Rustig blijven bij emoties in de groep",
        why="Soms vertellen deelnemers over een echte reanimatie.",
        how="Ik weet wat ik zeg en doe, en de training loopt daarna gewoon door.",
        due=_days(today, 200),
        competencies=[(c["GD-02"], 3)],
        actions=[(ActionKind.LEARNING, "Workshop omgaan met emoties volgen", _days(today, 150))],
    )
    services.plan_submit(actor=t2, plan=plan)
    services.check_in_plan(
        actor=t2,
        person=t2,
        leader=lead,
        organisation=brabant,
        scheduled_for=timezone.now() + dt.timedelta(minutes=5),
    )
    CheckIn.objects.filter(person=t2).update(scheduled_for=_moment(today, -3, 15))

    # hob-author: last year's plan closed with a look back; a new one agreed; the refresher done.
    author = people["hob-author"]
    old = _plan(
        author,
        brabant,
        title="E-learning leren maken",
        question="Hoe maak ik een korte e-learning die trainers echt gebruiken?",
        start=_days(today, -420),
    )
    goal = _goal(
        author,
        old,
        what="Een eerste e-learning van tien minuten maken",
        why="Collega's vragen om korte opfrissers tussen de trainingen door.",
        how="De e-learning staat in de catalogus en vijf collega's hebben hem gedaan.",
        due=_days(today, -120),
        competencies=[(c["DV-01"], 3)],
        actions=[
            (ActionKind.LEARNING, "Cursus schrijven voor e-learning", _days(today, -300)),
            (
                ActionKind.ON_THE_JOB,
                "E-learning over de stabiele zijligging maken",
                _days(today, -150),
            ),
        ],
    )
    services.plan_submit(actor=author, plan=old)
    services.plan_agree(actor=lead, plan=old)
    for action in PlanAction.objects.filter(goal=goal):
        services.action_progress_set(actor=author, action=action, status=ActionStatus.DONE)
    services.goal_status_set(actor=author, goal=goal, status=GoalStatus.ACHIEVED)
    services.plan_close(
        actor=author,
        plan=old,
        reflection=(
            "De e-learning is af en wordt gebruikt. Ik leerde dat kort en met één duidelijk "
            "scenario het beste werkt. Volgende stap: collega's helpen er zelf een te maken."
        ),
    )
    _backdate_plan(old, submitted=-410, agreed=-400, closed=-40)
    new = _plan(
        author,
        brabant,
        title="Collega's leren e-learning maken",
        question="Hoe help ik collega's om zelf een korte e-learning te schrijven?",
        start=_days(today, -35),
    )
    _goal(
        author,
        new,
        what="Een workshop e-learning schrijven geven aan collega's",
        why="Dan kunnen meer trainers hun kennis delen.",
        how="Drie collega's hebben na de workshop een eerste versie gemaakt.",
        due=_days(today, 180),
        competencies=[(c["DV-01"], 4), (c["DI-02"], 3)],
        actions=[
            (ActionKind.ON_THE_JOB, "Workshop voorbereiden met een stappenplan", _days(today, 60)),
            (ActionKind.LEARNING, "", _days(today, 30)),
        ],
        item=refresher,
    )
    services.plan_submit(actor=author, plan=new)
    services.plan_agree(actor=lead, plan=new)
    _backdate_plan(new, submitted=-30, agreed=-28)
    enrolment = learning_services.enrolment_self_create(actor=author, item=refresher)
    learning_services.external_proof_submit(
        actor=author, enrolment=enrolment, link="https://certificaten.example/reanimatie-2026/118"
    )

    # hob-new: a newcomer's first draft.
    newcomer = people["hob-new"]
    draft = _plan(
        newcomer,
        brabant,
        title="Mijn eerste jaar als trainer",
        question="Hoe word ik een trainer bij wie deelnemers zich veilig voelen om te oefenen?",
        start=today,
    )
    _goal(
        newcomer,
        draft,
        what="Een groep van twaalf zelfstandig leiden",
        why="Nu train ik nog samen met een ervaren collega.",
        how="Ik geef een hele BHV-dag alleen en de evaluaties zijn goed.",
        due=_days(today, 240),
        competencies=[(c["GD-01"], 2)],
        actions=[],
    )

    # hob-t3: agreed, on track, a check-in last week.
    t3 = people["hob-t3"]
    plan = _plan(
        t3,
        brabant,
        title="Praktijkexamens afnemen",
        question="Hoe neem ik een eerlijk praktijkexamen af bij groepen van bedrijven?",
        start=_days(today, -60),
    )
    _goal(
        t3,
        plan,
        what="Zelfstandig praktijkexamens BHV afnemen",
        why="Nu doet alleen de senior trainer dat.",
        how="Ik neem drie examens af en de senior trainer bekijkt mijn beoordelingen.",
        due=_days(today, 100),
        competencies=[(c["TB-01"], 3)],
        actions=[
            (ActionKind.COACHING, "Twee examens meedoen als tweede beoordelaar", _days(today, 30)),
            (ActionKind.ON_THE_JOB, "Drie examens zelf afnemen", _days(today, 90)),
        ],
    )
    services.plan_submit(actor=t3, plan=plan)
    services.plan_agree(actor=lead, plan=plan)
    _backdate_plan(plan, submitted=-55, agreed=-50)
    check_in = services.check_in_plan(
        actor=t3, person=t3, leader=lead, organisation=brabant, scheduled_for=None, ad_hoc=True
    )
    services.check_in_note_add(
        actor=t3,
        check_in=check_in,
        text="Eerste examen als tweede beoordelaar gedaan; we waren het bijna overal eens.",
        visibility=NoteVisibility.SHARED,
    )
    CheckIn.objects.filter(pk=check_in.pk).update(
        scheduled_for=_moment(today, -7), held_at=_moment(today, -7)
    )
    CheckInNote.objects.filter(check_in=check_in).update(created_at=_moment(today, -7, 11))

    # The other firms: an agreed plan at Kempen, a draft at Peel.
    kemp = people["kemp-t1"]
    plan = _plan(
        kemp,
        kempen,
        title="Brandveiligheid erbij",
        question="Hoe kan ik naast BHV ook de training brand en ontruiming geven?",
        start=_days(today, -20),
    )
    _goal(
        kemp,
        plan,
        what="De training brand en ontruiming geven",
        why="Klanten vragen erom en we hebben te weinig trainers.",
        how="Ik geef de training twee keer samen met een collega en daarna alleen.",
        due=_days(today, 160),
        competencies=[(c["GD-01"], 3)],
        actions=[
            (ActionKind.ON_THE_JOB, "Twee keer meelopen met de brandtraining", _days(today, 50))
        ],
    )
    services.plan_submit(actor=kemp, plan=plan)
    services.plan_agree(actor=people["kemp-lead"], plan=plan)
    # The coordinator follows the plans across the three firms against two targets.
    for measure, value, kind in (
        (Measure.PLANS_AGREED, 12, ""),
        (Measure.SHARE_WITH_PLAN, 75, MembershipKind.EMPLOYEE),
    ):
        services.target_set(
            actor=people["s4-coord"],
            network=network,
            measure=measure,
            value=value,
            membership_kind=kind,
        )
    peel_trainee = people["peel-t3"]
    _plan(
        peel_trainee,
        peel,
        title="Trainer worden",
        question="Wat heb ik nodig om zelf BHV-trainingen te geven?",
        start=today,
    )


def _backdate_plan(
    plan: DevelopmentPlan, *, submitted: int, agreed: int | None = None, closed: int | None = None
) -> None:
    now = timezone.now()
    fields: dict[str, Any] = {
        "created_at": now + dt.timedelta(days=submitted - 3),
        "submitted_at": now + dt.timedelta(days=submitted),
    }
    if agreed is not None:
        fields["agreed_at"] = now + dt.timedelta(days=agreed)
        PlanRevision.objects.filter(plan=plan).update(agreed_at=now + dt.timedelta(days=agreed))
    if closed is not None:
        fields["closed_at"] = now + dt.timedelta(days=closed)
    DevelopmentPlan.objects.filter(pk=plan.pk).update(**fields)
    PlanComment.objects.filter(plan=plan).update(created_at=now + dt.timedelta(days=submitted + 1))


# --- S2: the needs analysis ---------------------------------------------------------------------

# How much each part of the trade is needed, on average (1–4), in the firms of S2: CAM and
# measuring are the big needs; conventional work is needed least.
_S2_NEED = {
    "VS-01": 1.6,
    "VS-02": 2.8,
    "VS-03": 2.7,
    "VS-04": 2.9,
    "CP-01": 2.4,
    "CP-03": 3.5,
    "CP-04": 3.1,
    "MK-02": 3.3,
    "PD-02": 2.6,
    "EV-02": 3.0,
}
# Where people think they stand now (1–4): CAM and the 3D measuring machine are new to most.
_S2_LEVEL = {
    "VS-01": 3.2,
    "VS-02": 2.8,
    "VS-03": 2.7,
    "VS-04": 2.5,
    "CP-01": 3.0,
    "CP-03": 1.4,
    "CP-04": 1.8,
    "MK-02": 1.5,
    "PD-02": 2.0,
    "EV-02": 2.9,
}
_S2_OPEN = (
    "Meer tijd om te oefenen met de CAM-software, liefst met iemand erbij.",
    "Een workshop meten met de 3D-meetmachine, die staat nu vaak stil.",
    "Leren van andere bedrijven: hoe doen zij het inwerken van nieuwe mensen?",
    "Korte filmpjes op de telefoon bij de machine.",
    "Ik wil graag weten hoe ik lean kan toepassen in een kleine werkplaats.",
    "Een vaste middag per maand om te leren, anders komt het er niet van.",
)


def _s2_answers(codes: list[str], rng: random.Random, *, open_questions: int) -> Answers:
    needs = {}
    levels: dict[str, int | None] = {}
    for code in codes:
        base = _S2_NEED.get(code, 2.5)
        needs[code] = max(1, min(4, round(rng.gauss(base, 0.7))))
        levels[code] = (
            None
            if rng.random() < 0.1
            else max(1, min(4, round(rng.gauss(_S2_LEVEL.get(code, 2.5), 0.6))))
        )
    ways = {
        way
        for way, chance in (
            ("masterclass", 0.45),
            ("elearning", 0.35),
            ("on_the_job", 0.8),
            ("peer_group", 0.4),
            ("coaching", 0.3),
        )
        if rng.random() < chance
    }
    return Answers(
        needs=needs,
        levels=levels,
        ways=ways,
        hours_per_week=rng.choice(["lt1", "1-2", "1-2", "2-4", "gt4"]),
        open_answers=[
            rng.choice(_S2_OPEN) if rng.random() < 0.6 else "" for _ in range(open_questions)
        ],
    )


def _s2_needs_analysis(people: dict[str, Person], today: dt.date) -> None:
    network = Network.objects.get(slug=S2_NETWORK)
    coordinator = people["s2-coord"]
    framework = Framework.objects.get(network=network)
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
    codes = list(_S2_NEED)
    survey = services_surveys.survey_create(
        actor=coordinator,
        title=S2_TITLE,
        introduction=(
            "Voordat we het lerend netwerk inrichten, willen we weten wat jullie nodig hebben. "
            "Per onderdeel van het vak: hoe belangrijk is het voor je werk, en hoe goed ben je "
            "er nu in? Je naam staat bij je antwoorden, zodat je leidinggevende en de school "
            "met je een eigen ontwikkeltraject kunnen maken."
        ),
        framework=framework,
        mode=SurveyMode.NAMED,
        closes_on=today,
        open_questions=[
            "Wat zou jou het meest helpen in je werk het komende jaar?",
            "Hoe leer jij het liefst iets nieuws?",
        ],
        network=network,
    )
    Survey.objects.filter(pk=survey.pk).update(codes=codes)
    survey.refresh_from_db()
    services_surveys.survey_launch(
        actor=coordinator, survey=survey, invitees=services_surveys.survey_audience(survey)
    )
    invitations = list(
        SurveyInvitation.objects.filter(survey=survey).select_related("person").order_by("pk")
    )
    for invitation in invitations:
        # Most answered; the school's own staff and a few others did not.
        if invitation.person.email.endswith("tcgeldersepoort.example") or rng.random() < 0.15:
            continue
        services_surveys.survey_answer(
            invitation=invitation, answers=_s2_answers(codes, rng, open_questions=2)
        )
    services_surveys.survey_close(actor=coordinator, survey=survey)
    closed = timezone.now() - dt.timedelta(days=95)
    Survey.objects.filter(pk=survey.pk).update(
        created_at=closed - dt.timedelta(days=24),
        opened_at=closed - dt.timedelta(days=21),
        closed_at=closed,
        closes_on=closed.date(),
    )
    for code, title, note in (
        (
            "CP-03",
            "Werkplaatsmiddagen CAM-programmeren bij Verspaning Ooij",
            "Hoogste behoefte in bijna alle bedrijven; Verspaning Ooij biedt de machines aan.",
        ),
        (
            "MK-02",
            "Workshop meten met de 3D-meetmachine",
            "Samen met de school; de meetmachine van de school staat op dinsdag vrij.",
        ),
    ):
        services_surveys.offering_propose(
            actor=coordinator, survey=survey, code=code, title=title, note=note
        )

    # An anonymous survey at one firm that too few have answered yet.
    firm = Organisation.objects.get(slug=S2_OPEN_ORG)
    open_survey = services_surveys.survey_create(
        actor=people["mfv-director"],
        title=S2_OPEN_TITLE,
        introduction="Anoniem: we willen eerlijk horen wat je nodig hebt.",
        framework=framework,
        mode=SurveyMode.ANONYMOUS,
        closes_on=_days(today, 12),
        open_questions=["Wat zou jou het meest helpen?"],
        organisation=firm,
    )
    Survey.objects.filter(pk=open_survey.pk).update(codes=codes[:6])
    open_survey.refresh_from_db()
    services_surveys.survey_launch(
        actor=people["mfv-director"],
        survey=open_survey,
        invitees=services_surveys.survey_audience(open_survey),
    )
    answered = 0
    for invitation in SurveyInvitation.objects.filter(survey=open_survey).select_related("person"):
        if invitation.person_id in (people["mfv-builder"].pk, people["mfv-trainee"].pk):
            continue
        if answered < 3:
            services_surveys.survey_answer(
                invitation=invitation, answers=_s2_answers(codes[:6], rng, open_questions=1)
            )
            answered += 1


# --- S8: the job coach's caseload ---------------------------------------------------------------

# The people the coach is assigned to (the network's spec assigns three; the caseload grew).
_S8_CASELOAD = (
    "s8-1-e3",
    "s8-2-e2",
    "s8-5-e4",
    "s8-3-e1",
    "s8-4-e2",
    "s8-6-e1",
    "s8-7-e3",
    "s8-8-e1",
    "s8-1-e5",
    "s8-2-e4",
    "s8-5-e2",
    "s8-7-e5",
)
_ROUTES = (
    (
        "Kwam via de eigenaar: twijfelt of hij het werk tot zijn pensioen kan blijven doen.",
        "Werkt acht jaar als cv-monteur; wil door naar warmtepompen.",
        "Technisch sterk, rustig bij klanten, helpt graag nieuwe collega's.",
        "Zekerheid voor zijn gezin; trots op vakwerk; wil over vijf jaar een team leiden.",
        "Opleiding warmtepompmonteur (mbo 4, bbl) of interne cursus en certificaat F-gassen.",
        "Bbl-opleiding warmtepompmonteur bij het ROC, naast het werk; F-gassen eerst.",
    ),
    (
        "Meldde zich zelf na de avondsessie over laadpalen.",
        "Installateur zonnepanelen, twee jaar in dienst, eerder magazijnmedewerker.",
        "Werkt netjes en veilig, leert snel van filmpjes en van collega's.",
        "Wil buiten werken en iets doen wat telt voor het klimaat.",
        "Doorgroeien tot eerste monteur; of overstappen naar laadpalen.",
        "Eerste monteur worden: cursus NEN 1010 en meelopen met de werkvoorbereider.",
    ),
    (
        "Wil minder overwerken en meer grip op de planning.",
        "Werkvoorbereider, komt uit de bouw, weinig ervaring met installatietechniek.",
        "Goed in plannen en overzicht; duidelijk in contact met klanten.",
        "Wil meer verantwoordelijkheid en minder overwerk.",
        "Cursus installatietechniek voor werkvoorbereiders; coaching op timemanagement.",
        "Cursus installatietechniek in het najaar; maandelijks gesprek met de eigenaar.",
    ),
)


def _s8_career_plans(people: dict[str, Person], today: dt.date) -> None:
    network = Network.objects.get(slug=S8_NETWORK)
    coach, coordinator = people["s8-coach"], people["s8-coord"]
    assigned = set(
        CoachAssignment.objects.filter(network=network, coach=coach).values_list(
            "person_id", flat=True
        )
    )
    for key in _S8_CASELOAD:
        person = people[key]
        if person.pk not in assigned:
            CoachAssignment.objects.create(
                network=network,
                coach=coach,
                person=person,
                start_date=_days(today, -150 + 7 * len(assigned)),
            )
            audit_record(actor=coordinator, action="coach.assign", network=network, subject=person)
            assigned.add(person.pk)
    rng = random.Random(SEED + 8)  # noqa: S311 - repeatable demo data, not security
    for number, key in enumerate(_S8_CASELOAD):
        person = people[key]
        plan = services_career.career_plan_start(actor=coach, person=person, network=network)
        if number in (10, 11):
            continue  # asked recently, no answer yet
        if number == 9:
            services_career.career_consent_withdraw(actor=person, plan=plan)
            continue
        services_career.career_consent_give(actor=person, plan=plan)
        intake, situation, strengths, values, options, route = _ROUTES[number % len(_ROUTES)]
        intake_day = _days(today, -140 + 9 * number)
        CareerPlan.objects.filter(pk=plan.pk).update(
            created_at=_moment(today, -150 + 9 * number),
            consent_given_at=_moment(today, -145 + 9 * number),
        )
        services_career.career_plan_update(
            actor=coach,
            plan=plan,
            intake_date=intake_day,
            intake=intake,
            current_situation=situation,
            strengths=strengths,
            values_ambitions=values,
            options=options,
            chosen_route=route,
        )
        steps = [
            ("Gesprek met de leidinggevende over de route", 14),
            ("Inschrijven voor de opleiding of cursus", 40),
            ("Eerste module afronden", 120),
            ("Evaluatiegesprek met de coach", 180),
        ]
        for description, offset in steps:
            step = services_career.career_step_add(
                actor=coach,
                plan=plan,
                description=description,
                due_date=intake_day + dt.timedelta(days=offset),
            )
            if intake_day + dt.timedelta(days=offset) < today and rng.random() < 0.85:
                services_career.career_step_done(actor=coach, step=step)
        services_career.career_note_add(
            actor=coach,
            plan=plan,
            text="Intake gehouden; route samen gekozen. Volgende afspraak over zes weken.",
            written_on=intake_day,
        )
        if number in (0, 4):
            services_career.career_note_add(
                actor=coach,
                plan=plan,
                text="Opleiding loopt; eerste toets gehaald. Werkgever denkt mee over rooster.",
                written_on=min(today, intake_day + dt.timedelta(days=60)),
            )
            services_career.career_plan_close(
                actor=coach,
                plan=plan,
                evaluation=(
                    "De route staat en loopt zonder coach verder: opleiding gestart, werkgever "
                    "betrokken, vervolggesprek over een jaar."
                ),
            )
    # The seed's target: fifty individual training and career plans by the job coach.
    services.target_set(actor=coordinator, network=network, measure=Measure.CAREER_PLANS, value=50)


# --- reset ----------------------------------------------------------------------------------------


def demo_development_reset(
    *, networks: QuerySet[Network], org_ids: list[int], people: QuerySet[Person]
) -> None:
    """Remove the development rows of the demo before the catalogue, frameworks, people and
    organisations they point at."""
    of_people = Q(person__in=people)
    CheckInNote.objects.filter(Q(author__in=people) | Q(check_in__person__in=people)).delete()
    PlanAction.objects.filter(goal__plan__person__in=people).update(check_in=None)
    CheckIn.objects.filter(
        of_people | Q(leader__in=people) | Q(organisation_id__in=org_ids)
    ).delete()
    DevelopmentPlan.objects.filter(of_people | Q(organisation_id__in=org_ids)).delete()
    CheckInPrompt.objects.filter(organisation_id__in=org_ids).delete()
    surveys = Survey.objects.filter(Q(network__in=networks) | Q(organisation_id__in=org_ids))
    OfferingProposal.objects.filter(survey__in=surveys).delete()
    surveys.delete()
    SurveyInvitation.objects.filter(of_people).delete()
    CareerPlan.objects.filter(of_people | Q(coach__in=people) | Q(network__in=networks)).delete()
    DevelopmentTarget.objects.filter(network__in=networks).delete()
    # The refresher course of S4 goes with the rest of the catalogue (learning's reset).


__all__ = ["demo_development_load", "demo_development_reset"]
