"""Two e-learning lessons of the Utrecht retailers (S1) on digital topics, each with a few pages
and a quiz: safe online banking for a shop, and working with the till app. Written through the
lesson services like an author would, and taken by two people (one passed at the second try,
one halfway), so that the player and the quiz results have something to show."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gilde.learning import lessons, services
from gilde.learning.lessons import ChoiceInput
from gilde.learning.models import CatalogueItem, ItemKind, Question, QuestionKind
from gilde.people.models import Person
from gilde.tenancy.models import Network

NETWORK = "utrechtse-retail-academie"
# The network's coordinator writes the network's items.
WRITER = "s1-coord"


@dataclass(frozen=True)
class Q:
    kind: str
    prompt: str
    choices: tuple[tuple[str, bool, str], ...] = ()
    accepted: tuple[str, ...] = ()
    feedback: str = ""


@dataclass(frozen=True)
class LessonSpec:
    title: str
    summary: str
    hours: str
    tags: tuple[str, ...]
    pages: tuple[tuple[str, str], ...]
    quiz_title: str
    questions: tuple[Q, ...]
    draw: int | None = None


BANKING = LessonSpec(
    title="Veilig online bankieren voor je winkel",
    summary=(
        "Herken nepmails en nepfacturen, log veilig in en weet wat je doet als het toch "
        "misgaat. Voor iedereen die in de winkel met de zakelijke rekening werkt."
    ),
    hours="1",
    tags=("digitaal", "veiligheid", "bankieren", "e-learning"),
    pages=(
        (
            "Waarom dit over jouw winkel gaat",
            """Oplichters kiezen graag kleine winkels. Er is weinig tijd, iedereen doet een
beetje van alles en een betaling is snel gedaan. De meest gebruikte trucs:

- **Phishing**: een mail, sms of WhatsApp die lijkt te komen van je bank, de Belastingdienst
  of een leverancier. Je klikt op een link en vult je gegevens in op een nagemaakte site.
- **Nepfacturen**: een factuur die lijkt op die van een vaste leverancier, maar met een
  ander rekeningnummer.
- **Spoofing**: iemand belt en doet zich voor als medewerker van je bank. Op je scherm staat
  zelfs het echte nummer van de bank.

> Een bank vraagt je **nooit** om je pincode, je inlogcodes of een code uit je app te geven,
> en laat je nooit geld overmaken naar een "veilige rekening".

In deze les leer je de signalen herkennen, veilig inloggen en wat je doet als het misgaat.""",
        ),
        (
            "Herken een nepbericht",
            """Let bij elk bericht dat over geld of inloggen gaat op deze signalen:

| Signaal | Voorbeeld |
|---|---|
| Haast | "Vandaag nog, anders wordt je rekening geblokkeerd." |
| Vreemde afzender | *service@mijnbank-veilig.com* in plaats van het adres dat je kent |
| Link om in te loggen | "Klik hier om je pas te verlengen." |
| Vraag om codes | "Geef de code uit je app door aan onze medewerker." |
| Ander rekeningnummer | "Ons rekeningnummer is gewijzigd, betaal voortaan naar …" |

Twijfel je? **Klik niet** en bel zelf de afzender, met het nummer dat je al kent (van de
website, je bankpas of een oude factuur), niet met het nummer uit het bericht.""",
        ),
        (
            "Veilig inloggen en betalen",
            """1. Typ het adres van je bank zelf in, of gebruik de app van je bank.
2. Controleer dat het adres begint met **https** en dat de naam van de bank klopt.
3. Geef iedere medewerker een **eigen** toegang met eigen rechten en limieten. Deel nooit
   je eigen inlogcodes, ook niet met een collega.
4. Zet een **daglimiet** die past bij je winkel. Grote betalingen laat je door een tweede
   persoon goedkeuren.
5. Wijzigt een leverancier zijn rekeningnummer? Bel eerst na met een bekend nummer.

Werk je software, je telefoon en de app van je bank bij zodra er een update is.""",
        ),
        (
            "Het is misgegaan: wat nu?",
            """Snel handelen maakt het verschil. Doe dit meteen, in deze volgorde:

1. **Bel je bank** via het nummer op je bankpas of de website en laat je rekening of pas
   blokkeren.
2. **Verander je wachtwoorden** en log overal uit.
3. **Doe aangifte** bij de politie en bewaar de berichten als bewijs.
4. **Meld het** bij de Fraudehelpdesk, zodat anderen gewaarschuwd worden.

Vertel het ook je collega's: oplichters proberen het vaak bij meerdere mensen in dezelfde
winkel.""",
        ),
    ),
    quiz_title="Toets: veilig bankieren",
    draw=6,
    questions=(
        Q(
            QuestionKind.SINGLE,
            "Je krijgt een mail van 'je bank': je pas verloopt en je moet via de link opnieuw "
            "inloggen. Wat doe je?",
            (
                (
                    "Ik klik op de link en log snel in, anders ben ik de pas kwijt.",
                    False,
                    "Juist niet: de link leidt naar een nagemaakte site.",
                ),
                (
                    "Ik klik niet, verwijder de mail en meld hem bij mijn bank.",
                    True,
                    "Goed. Je bank stuurt nooit een link om in te loggen.",
                ),
                (
                    "Ik stuur de mail door naar een collega die er meer van weet.",
                    False,
                    "Dan loopt je collega hetzelfde risico.",
                ),
            ),
            feedback="Een bank vraagt nooit om via een link in te loggen.",
        ),
        Q(
            QuestionKind.MULTIPLE,
            "Welke signalen wijzen op een nepbericht? Kies alle goede antwoorden.",
            (
                ("Er staat haast achter: 'vandaag nog'.", True, ""),
                ("Het afzenderadres is net anders dan je gewend bent.", True, ""),
                ("Er wordt gevraagd om een code uit je bankapp.", True, ""),
                (
                    "Het bericht noemt je winkel bij naam.",
                    False,
                    "Oplichters kennen vaak je naam en adres; dat zegt niets.",
                ),
            ),
        ),
        Q(
            QuestionKind.TRUE_FALSE,
            "Een medewerker van de bank mag je aan de telefoon om je pincode vragen als het "
            "nummer van de bank op je scherm staat.",
            (
                ("true", False, "Nee: ook dat nummer kan vervalst zijn."),
                ("false", True, "Klopt: een bank vraagt nooit om je pincode."),
            ),
            feedback="Het nummer op je scherm kan nagemaakt zijn (spoofing).",
        ),
        Q(
            QuestionKind.SHORT_ANSWER,
            "Met welke vijf letters begint het adres van een beveiligde website?",
            accepted=("https", "https://"),
            feedback="Een adres dat met https begint, is versleuteld. Controleer ook de naam.",
        ),
        Q(
            QuestionKind.ORDERING,
            "Je hebt op een nepsite ingelogd. Zet de stappen in de goede volgorde.",
            (
                ("De bank bellen en de rekening laten blokkeren", False, ""),
                ("Wachtwoorden veranderen", False, ""),
                ("Aangifte doen bij de politie", False, ""),
                ("Melden bij de Fraudehelpdesk", False, ""),
            ),
            feedback="Eerst blokkeren: dan kan er geen geld meer weg.",
        ),
        Q(
            QuestionKind.SINGLE,
            "Een vaste leverancier mailt dat zijn rekeningnummer is veranderd. Wat doe je?",
            (
                ("Ik pas het nummer meteen aan.", False, "Zo werkt een nepfactuur."),
                ("Ik bel de leverancier op een nummer dat ik al had.", True, "Goed."),
                (
                    "Ik antwoord op de mail met de vraag of het klopt.",
                    False,
                    "Dan antwoordt de oplichter zelf.",
                ),
            ),
        ),
        Q(
            QuestionKind.TRUE_FALSE,
            "Het is verstandig dat elke medewerker een eigen toegang tot de zakelijke "
            "rekening heeft, met een eigen limiet.",
            (("true", True, ""), ("false", False, "Gedeelde codes zijn niet te controleren.")),
        ),
        Q(
            QuestionKind.MULTIPLE,
            "Wat helpt om grote fouten bij betalen te voorkomen?",
            (
                ("Een daglimiet die past bij de winkel", True, ""),
                ("Grote betalingen laten goedkeuren door een tweede persoon", True, ""),
                ("Inlogcodes op een briefje bij de kassa", False, "Juist niet."),
            ),
        ),
    ),
)

TILL = LessonSpec(
    title="Werken met de kassa-app",
    summary=(
        "De dag openen, verkopen en retouren afrekenen en de dag afsluiten met de kassa-app "
        "op de tablet. Voor nieuwe medewerkers en zaterdaghulpen."
    ),
    hours="1.5",
    tags=("digitaal", "kassa", "winkel", "e-learning"),
    pages=(
        (
            "De dag openen",
            """Voor de eerste klant binnenkomt:

1. Zet de tablet en de pinautomaat aan en open de **kassa-app**.
2. Log in met **je eigen** code. Zo is te zien wie welke verkoop deed.
3. Tik op **Dag openen** en tel het wisselgeld in de la. Vul het getelde bedrag in.
4. Klopt het bedrag niet met wat er gisteren is achtergelaten? Meld het bij je
   leidinggevende voordat je verder gaat.""",
        ),
        (
            "Een verkoop afrekenen",
            """- Scan de barcode, of zoek het artikel op naam. Zonder barcode? Kies
  **Vrij bedrag** en typ een omschrijving.
- Korting geef je met **Korting** op het artikel of op de hele bon. Sommige kortingen
  vragen om de code van een leidinggevende.
- Kies de betaalwijze: **pin** (ook contactloos), **contant** of **cadeaubon**.
- Bij contant betalen rekent de app het wisselgeld uit. Tel het hardop terug.
- Vraag of de klant de bon wil hebben: op papier of per mail.""",
        ),
        (
            "Retour en terugbetalen",
            """Een klant brengt iets terug:

1. Vraag om de **bon** (papier of mail) en zoek de verkoop op met **Bon zoeken**.
2. Kies de artikelen die terugkomen en tik op **Retour**.
3. Betaal terug op dezelfde manier als de klant betaalde: pin terug op de pinpas,
   contant terug uit de la.
4. Zonder bon? Dan geef je volgens de huisregels een tegoedbon, geen geld.""",
        ),
        (
            "De dag afsluiten",
            """Aan het eind van de dag:

1. Tik op **Dag afsluiten**. De app laat zien hoeveel er contant ontvangen is.
2. Tel de la en vul het getelde bedrag in. Het verschil heet het **kasverschil**.
3. Laat het vaste bedrag wisselgeld in de la en doe de rest in de kluiszak.
4. Druk het **dagrapport** af of mail het naar de eigenaar.

Een kasverschil van een paar euro gebeurt. Schrijf bij een groter verschil in de notitie
wat er volgens jou gebeurd is.""",
        ),
    ),
    quiz_title="Toets: de kassa-app",
    questions=(
        Q(
            QuestionKind.SINGLE,
            "Waarom log je in met je eigen code en niet met die van een collega?",
            (
                ("Omdat de app anders trager werkt", False, ""),
                ("Zodat te zien is wie welke verkoop deed", True, "Precies."),
                ("Omdat collega's hun code vaak vergeten", False, ""),
            ),
        ),
        Q(
            QuestionKind.ORDERING,
            "Zet de stappen van het openen van de dag in volgorde.",
            (
                ("Tablet en pinautomaat aanzetten", False, ""),
                ("Inloggen met je eigen code", False, ""),
                ("Dag openen en het wisselgeld tellen", False, ""),
            ),
        ),
        Q(
            QuestionKind.TRUE_FALSE,
            "Een klant die met pin betaalde, krijgt bij een retour het geld contant terug.",
            (
                ("true", False, "Nee: terugbetalen gaat zoals de klant betaalde."),
                ("false", True, ""),
            ),
        ),
        Q(
            QuestionKind.SHORT_ANSWER,
            "Hoe heet het verschil tussen het getelde geld en wat de app verwacht?",
            accepted=("kasverschil", "het kasverschil"),
        ),
        Q(
            QuestionKind.MULTIPLE,
            "Welke betaalwijzen kun je in de kassa-app kiezen?",
            (
                ("Pin (ook contactloos)", True, ""),
                ("Contant", True, ""),
                ("Cadeaubon", True, ""),
                ("Op rekening van de winkel", False, "Dat kent deze app niet."),
            ),
        ),
        Q(
            QuestionKind.SINGLE,
            "Een klant wil iets ruilen maar heeft geen bon. Wat doe je?",
            (
                ("Geld teruggeven, de klant is koning", False, ""),
                ("Volgens de huisregels een tegoedbon geven", True, ""),
                ("De klant wegsturen", False, ""),
            ),
        ),
        Q(
            QuestionKind.SINGLE,
            "Welk artikel reken je af met 'Vrij bedrag'?",
            (
                ("Een artikel zonder barcode", True, ""),
                ("Een artikel in de aanbieding", False, ""),
                ("Een cadeaubon", False, ""),
            ),
        ),
    ),
)


def _write(spec: LessonSpec, *, publisher: Person, network: Network) -> Any:
    item = services.item_create(
        actor=publisher,
        kind=ItemKind.LESSON,
        network=network,
        fields={
            "title": spec.title,
            "summary": spec.summary,
            "language": "nl",
            "study_load_hours": Decimal(spec.hours),
            "audience": "Medewerkers en eigenaren van winkels in de binnenstad",
            "certificate_enabled": False,
        },
        tags=spec.tags,
    )
    for title, body in spec.pages:
        lessons.lesson_page_save(actor=publisher, item=item, title=title, body=body)
    quiz = lessons.quiz_save(
        actor=publisher,
        item=item,
        title=spec.quiz_title,
        pass_mark_percent=70,
        max_attempts=3,
        draw_count=spec.draw,
    )
    for q in spec.questions:
        if q.kind == QuestionKind.TRUE_FALSE:
            truth = next(correct for text, correct, _fb in q.choices if text == "true")
            feedback = {text: fb for text, _correct, fb in q.choices}
            choices = lessons.true_false_choices(
                item,
                true_is_correct=truth,
                feedback_true=feedback.get("true", ""),
                feedback_false=feedback.get("false", ""),
            )
        else:
            choices = [ChoiceInput(text, correct, fb) for text, correct, fb in q.choices]
        lessons.question_save(
            actor=publisher,
            quiz=quiz,
            kind=q.kind,
            prompt=q.prompt,
            feedback=q.feedback,
            choices=choices,
            accepted=list(q.accepted),
        )
    return services.item_publish(actor=publisher, item=item), quiz


def _response(question: Question, right: bool) -> dict[str, Any]:
    choices = list(question.choices.order_by("position", "pk"))
    if question.kind == QuestionKind.SHORT_ANSWER:
        accepted = list(question.accepted.values_list("text", flat=True))
        return {"value": accepted[0] if right else "weet ik niet"}
    if question.kind == QuestionKind.ORDERING:
        order = [c.pk for c in choices]
        return {"order": order if right else list(reversed(order))}
    if right:
        return {"choices": [c.pk for c in choices if c.correct]}
    return {"choices": [next(c.pk for c in choices if not c.correct)]}


def _take(person: Person, item: CatalogueItem, quiz: Any, *, right: bool) -> Any:
    enrolment = lessons.lesson_start(actor=person, item=item)
    for page in item.pages.order_by("position"):
        lessons.lesson_page_open(actor=person, enrolment=enrolment, page=page)
    attempt = lessons.attempt_start(actor=person, enrolment=enrolment, quiz=quiz)
    questions = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    for pk in attempt.question_ids:
        lessons.answer_submit(
            actor=person,
            attempt=attempt,
            question=questions[pk],
            response=_response(questions[pk], right),
        )
    return lessons.attempt_submit(actor=person, attempt=attempt)


def demo_lessons_load(*, people: dict[str, Person]) -> int:
    """The two lessons, and who took them. Returns the number of lessons."""
    network = Network.objects.get(slug=NETWORK)
    publisher = people[WRITER]
    banking, banking_quiz = _write(BANKING, publisher=publisher, network=network)
    till, _till_quiz = _write(TILL, publisher=publisher, network=network)
    # A showroom adviser failed the banking quiz once and passed the second time.
    adviser = people["bank-adv2"]
    _take(adviser, banking, banking_quiz, right=False)
    _take(adviser, banking, banking_quiz, right=True)
    # A Saturday shop assistant is halfway through the till lesson.
    assistant = people["geluk-shop2"]
    enrolment = lessons.lesson_start(actor=assistant, item=till)
    second = till.pages.order_by("position")[1]
    lessons.lesson_page_open(actor=assistant, enrolment=enrolment, page=second)
    return 2
