"""Competency frameworks, function profiles and assessment stories of the demo networks.

The frameworks are written in Dutch, as the people of the demo would write them: retail digital
skills for the Utrecht shops (S1), machining and CNC for the Gelderland tech firms (S2), energy
transition installation work for the Groningen temp agency's hosts (S3), the didactics of
first-aid and safety trainers (S4), and two smaller ones: video making for the shops and the
technical crew of small ships, taught at the Groningen vocational school.

Every competency has a descriptor for each of the four levels of the scale. Ratings are generated
from a "story" per person (see `Story`), by a seeded random generator, so each load tells the same
story relative to the day it is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Story(Enum):
    """How a person's ratings develop over the last months."""

    # Self and manager mostly agree, around the required level.
    STEADY = "steady"
    # The manager's ratings climb from one cycle to the next.
    GROWING = "growing"
    # Rates themselves two levels higher than the manager does on a few competencies.
    OVERCONFIDENT = "overconfident"
    # Rates themselves two levels lower than the manager does on a few competencies.
    MODEST = "modest"
    # Only rated themselves; no manager has looked yet.
    SELF_ONLY = "self_only"


# The four levels of every demo framework: value, label, what it means.
SCALE: tuple[tuple[int, str, str], ...] = (
    (1, "Beginner", "Kent de basis en werkt met hulp van een ander."),
    (2, "Gevorderd beginner", "Doet het gewone werk zelf en vraagt hulp bij de rest."),
    (3, "Bekwaam", "Werkt zelfstandig, ook als het werk anders loopt dan normaal."),
    (4, "Expert", "Leert het anderen en verbetert hoe het werk gedaan wordt."),
)


@dataclass(frozen=True)
class CompetencySpec:
    code: str
    name: str
    category: str
    description: str
    levels: tuple[str, str, str, str]


@dataclass(frozen=True)
class FrameworkSpec:
    key: str
    name: str
    description: str
    competencies: tuple[CompetencySpec, ...]
    network: str = ""
    organisation: str = ""
    # How many days ago version 1 was published (for a realistic history).
    published_days_ago: int = 300


@dataclass(frozen=True)
class NewVersionSpec:
    """A second version of a framework with some competencies rewritten (same code)."""

    framework: str
    note: str
    changed: tuple[CompetencySpec, ...]
    published_days_ago: int


@dataclass(frozen=True)
class ProfileSpec:
    key: str
    name: str
    description: str
    framework: str
    # (competency code, required level, weight)
    requirements: tuple[tuple[str, int, int], ...]
    network: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class AssignmentSpec:
    """A person's function profile at one of their organisations (their first one if empty),
    with how their ratings develop. `cycles` are the rating cycles they took part in (see
    CYCLES)."""

    person: str
    profile: str
    story: Story = Story.STEADY
    cycles: tuple[int, ...] = (0, 2)
    organisation: str = ""
    target: str = ""


@dataclass(frozen=True)
class RoundSpec:
    """An open assessment round: people who already rated themselves (`done`), one of whom the
    manager already validated, and people who still have to."""

    organisation: str
    requested_by: str
    profile: str
    title: str
    team: str
    created_days_ago: int
    due_in_days: int
    done: tuple[str, ...]
    validated: tuple[str, ...]
    waiting: tuple[str, ...]


@dataclass(frozen=True)
class ClaimSpec:
    """A prior-learning (EVC) claim waiting for an assessor."""

    person: str
    organisation: str
    competency: str
    framework: str
    level: int
    statement: str
    link: str
    link_description: str
    submitted_days_ago: int


# Rating cycles, in days before today: self-ratings first, the manager a week or two later.
CYCLES: tuple[int, ...] = (250, 140, 40)


def c(code: str, name: str, category: str, description: str, *levels: str) -> CompetencySpec:
    if len(levels) != 4:
        raise ValueError(f"{code} needs four level descriptors")
    return CompetencySpec(
        code, name, category, description, (levels[0], levels[1], levels[2], levels[3])
    )


# --- S1: retail digital skills ------------------------------------------------------------------

EC, DA, OM, KB, SK = (
    "E-commerce",
    "Data en klantinzicht",
    "Online marketing",
    "Klantbeleving",
    "Soft skills en 21e-eeuwse vaardigheden",
)

RETAIL = FrameworkSpec(
    key="retail",
    name="Digitale vaardigheden in de winkel",
    network="utrechtse-retail-academie",
    published_days_ago=290,
    description=(
        "Wat winkelmedewerkers en webshopbeheerders in de binnenstad nodig hebben om winkel en "
        "webwinkel samen te laten werken: e-commerce, werken met data, online marketing en een "
        "goede klantbeleving, in de winkel en online."
    ),
    competencies=(
        c(
            "EC-01",
            "Webwinkel bijhouden",
            EC,
            "Producten, prijzen en voorraad in de webwinkel kloppen altijd.",
            "Past met hulp een prijs of productfoto aan in de webwinkel.",
            "Zet zelf nieuwe producten online met tekst, foto en prijs.",
            "Houdt het hele assortiment actueel en lost fouten in prijs of voorraad zelf op.",
            "Richt de webwinkel slim in en leert collega's hoe het beheer sneller kan.",
        ),
        c(
            "EC-02",
            "Bestellingen en retouren",
            EC,
            "Bestellingen op tijd de deur uit, retouren netjes afgehandeld.",
            "Pakt een bestelling in volgens de paklijst.",
            "Verwerkt bestellingen en retouren zelf in het systeem.",
            "Lost problemen met bezorging en retour zelf op, met klant en vervoerder.",
            "Verbetert de hele weg van bestelling tot retour en maakt afspraken met vervoerders.",
        ),
        c(
            "EC-03",
            "Productteksten en foto's",
            EC,
            "Producten online duidelijk en aantrekkelijk laten zien.",
            "Maakt een productfoto met de telefoon volgens een voorbeeld.",
            "Schrijft een korte, foutloze producttekst en maakt bruikbare foto's.",
            "Maakt teksten en foto's die verkopen en goed te vinden zijn.",
            "Bepaalt de stijl van beeld en tekst voor de hele winkel en bewaakt die.",
        ),
        c(
            "EC-04",
            "Winkel en webwinkel verbinden",
            EC,
            "Online bestellen, in de winkel ophalen of ruilen: voor de klant is het één winkel.",
            "Weet dat klanten online kunnen bestellen en in de winkel kunnen ophalen.",
            "Helpt klanten in de winkel bij ophalen, ruilen en online bestellen.",
            "Zorgt dat voorraad, prijzen en acties in de winkel en online gelijk zijn.",
            "Bedenkt nieuwe manieren om winkel en online te verbinden en voert ze in.",
        ),
        c(
            "EC-05",
            "Veilig betalen en privacy",
            EC,
            "Betaalmethoden, fraude herkennen en zorgvuldig omgaan met gegevens (AVG).",
            "Kent de betaalmethoden die de winkel aanbiedt.",
            "Herkent een verdachte bestelling en vraagt dan om hulp.",
            "Handelt fraude en betaalproblemen zelf af en werkt volgens de AVG.",
            "Kiest betaaldiensten en maakt regels voor veilig en privacyvriendelijk werken.",
        ),
        c(
            "DA-01",
            "Verkoopcijfers lezen",
            DA,
            "Cijfers uit kassa en webwinkel begrijpen en er iets mee doen.",
            "Leest de omzet van de dag af uit de kassa.",
            "Vergelijkt de omzet per week en per productgroep.",
            "Ziet trends in de cijfers en doet op basis daarvan een voorstel.",
            "Maakt een eenvoudig dashboard en stuurt de winkel bij op de cijfers.",
        ),
        c(
            "DA-02",
            "Bezoekers van de webwinkel volgen",
            DA,
            "Bezoekers, conversie en zoekgedrag van de webwinkel volgen.",
            "Weet wat bezoekers en conversie betekenen.",
            "Zoekt op hoeveel bezoekers er waren en waar ze vandaan kwamen.",
            "Vindt waar bezoekers afhaken en past de webwinkel daarop aan.",
            "Test verbeteringen met een proef (A/B-test) en legt de uitkomst uit aan anderen.",
        ),
        c(
            "DA-03",
            "Klantgegevens beheren",
            DA,
            "Het klantenbestand netjes en volgens de AVG bijhouden.",
            "Voert een klant in volgens de vaste stappen.",
            "Houdt gegevens juist en vraagt toestemming voor de nieuwsbrief.",
            "Deelt klanten in groepen in om ze gericht te benaderen, binnen de regels van de AVG.",
            "Bepaalt welke gegevens de winkel bewaart, hoe lang en waarom.",
        ),
        c(
            "DA-04",
            "Inkoop en voorraad met data",
            DA,
            "Slim inkopen op basis van wat er verkocht wordt.",
            "Telt de voorraad en meldt tekorten.",
            "Bestelt bij volgens de minimumvoorraad in het systeem.",
            "Voorspelt de vraag per seizoen en koopt daarop in.",
            "Maakt inkoopafspraken met leveranciers op basis van verkoopdata.",
        ),
        c(
            "OM-01",
            "Sociale media",
            OM,
            "Berichten plaatsen op sociale media en reageren op volgers.",
            "Plaatst een bericht dat een collega heeft voorbereid.",
            "Maakt zelf berichten en reageert vriendelijk op vragen.",
            "Maakt een planning voor berichten en ziet welke berichten goed werken.",
            "Bepaalt de aanpak voor sociale media en begeleidt collega's daarbij.",
        ),
        c(
            "OM-02",
            "Nieuwsbrief en e-mail",
            OM,
            "Klanten per e-mail op de hoogte houden en terug laten komen.",
            "Zet een klaargemaakte nieuwsbrief in het verzendprogramma.",
            "Schrijft en verstuurt zelf een nieuwsbrief.",
            "Stuurt nieuwsbrieven naar verschillende klantgroepen en meet wat er gelezen wordt.",
            "Zet automatische e-mails op, zoals een welkomstmail, en verbetert ze.",
        ),
        c(
            "OM-03",
            "Gevonden worden in Google",
            OM,
            "Vindbaarheid van winkel en webwinkel (SEO en bedrijfsprofiel).",
            "Weet dat klanten de winkel via Google moeten kunnen vinden.",
            "Houdt openingstijden en foto's in het bedrijfsprofiel actueel.",
            "Kiest zoekwoorden en verwerkt ze in de teksten van de webwinkel.",
            "Verbetert de vindbaarheid stap voor stap en volgt de plaats in de zoekresultaten.",
        ),
        c(
            "OM-04",
            "Online adverteren",
            OM,
            "Advertenties op sociale media en zoekmachines inzetten.",
            "Herkent advertenties van de eigen winkel online.",
            "Zet met hulp een eenvoudige advertentie op met een vast budget.",
            "Richt campagnes op een doelgroep en houdt kosten en opbrengst in de gaten.",
            "Verdeelt het budget over kanalen op basis van resultaten.",
        ),
        c(
            "KB-01",
            "Klanten online helpen",
            KB,
            "Vragen via chat, e-mail en berichten-apps snel en vriendelijk beantwoorden.",
            "Beantwoordt eenvoudige vragen met standaardteksten.",
            "Helpt klanten per chat en e-mail snel en vriendelijk.",
            "Lost klachten online op en zorgt dat de klant tevreden is.",
            "Maakt afspraken voor online klantcontact en traint collega's.",
        ),
        c(
            "KB-02",
            "Reviews en klachten",
            KB,
            "Omgaan met beoordelingen van klanten op internet.",
            "Leest reviews en geeft ze door aan de eigenaar.",
            "Reageert netjes op positieve en negatieve reviews.",
            "Haalt verbeterpunten uit reviews en bespreekt die in het team.",
            "Gebruikt reviews actief om de winkel bekender te maken.",
        ),
        c(
            "KB-03",
            "De klantreis verbeteren",
            KB,
            "De weg van de klant, van de eerste zoekvraag tot na de aankoop.",
            "Vertelt hoe een klant de winkel meestal vindt.",
            "Ziet waar een klant in de winkel of webwinkel vastloopt.",
            "Beschrijft de klantreis en verbetert er zelf stappen in.",
            "Ontwerpt samen met anderen een klantreis die winkel en online verbindt.",
        ),
        c(
            "SK-01",
            "Samenwerken in het team",
            SK,
            "Samen met collega's de winkel draaiende houden.",
            "Doet zijn of haar deel van het werk als het gevraagd wordt.",
            "Stemt het werk af met collega's en helpt waar het nodig is.",
            "Neemt zelf initiatief in het team en lost kleine conflicten op.",
            "Brengt mensen samen en zorgt dat het team goed loopt.",
        ),
        c(
            "SK-02",
            "Nieuwe digitale hulpmiddelen leren",
            SK,
            "Zelf leren werken met nieuwe apps en programma's, ook met AI-hulpmiddelen.",
            "Gebruikt een nieuwe app als iemand het uitlegt.",
            "Leert zelf een nieuwe app via een filmpje of handleiding.",
            "Probeert nieuwe hulpmiddelen uit en kiest wat bruikbaar is voor de winkel.",
            "Volgt nieuwe ontwikkelingen en helpt de winkel ze slim te gebruiken.",
        ),
        c(
            "SK-03",
            "Problemen oplossen",
            SK,
            "Een probleem zien, de oorzaak zoeken en een oplossing kiezen.",
            "Meldt een probleem bij een collega.",
            "Zoekt zelf een oplossing voor bekende problemen.",
            "Lost nieuwe problemen op door oorzaken te zoeken en keuzes af te wegen.",
            "Voorkomt problemen door de manier van werken te verbeteren.",
        ),
    ),
)

RETAIL_V2 = NewVersionSpec(
    framework="retail",
    note="Sociale media: nu ook korte video's (reels).",
    published_days_ago=100,
    changed=(
        c(
            "OM-01",
            "Sociale media en korte video",
            OM,
            "Berichten en korte video's plaatsen op sociale media en reageren op volgers.",
            "Plaatst een bericht of video die een collega heeft voorbereid.",
            "Maakt zelf berichten en korte video's met de telefoon en reageert op vragen.",
            "Maakt een planning voor berichten en video's en ziet wat goed werkt.",
            "Bepaalt de aanpak voor sociale media en video en begeleidt collega's daarbij.",
        ),
    ),
)

# --- S1: video for shops (smaller) ----------------------------------------------------------------

VC, VO, VM = "Concept en voorbereiding", "Opname", "Montage en publicatie"

VIDEO = FrameworkSpec(
    key="video",
    name="Video maken voor winkel en webwinkel",
    network="utrechtse-retail-academie",
    published_days_ago=200,
    description=(
        "De rollen bij het maken van een productvideo of een filmpje over de winkel: van idee "
        "en draaiboek, via camera, licht en geluid, tot montage en publiceren."
    ),
    competencies=(
        c(
            "VP-01",
            "Idee en script",
            VC,
            "Een idee voor een video uitwerken tot een kort script.",
            "Vertelt in een paar zinnen waar de video over gaat.",
            "Schrijft een kort script met begin, midden en eind.",
            "Schrijft scripts die passen bij het kanaal en de doelgroep.",
            "Bedenkt reeksen video's die samen een verhaal over de winkel vertellen.",
        ),
        c(
            "VP-02",
            "Draaiboek en planning",
            VC,
            "De opname voorbereiden: plek, mensen, spullen en tijd.",
            "Helpt mee met klaarzetten volgens het draaiboek.",
            "Maakt een draaiboek voor een korte opname in de winkel.",
            "Plant een opnamedag met meerdere mensen en locaties.",
            "Maakt vaste werkwijzen zodat opnames snel en goedkoop gaan.",
        ),
        c(
            "VP-03",
            "Camerawerk",
            VO,
            "Beelden maken die rustig, scherp en goed in beeld zijn.",
            "Filmt met de telefoon op een statief.",
            "Kiest zelf de kader en het standpunt en filmt rustig.",
            "Werkt met een echte camera en kiest lens en instellingen.",
            "Bepaalt de beeldstijl en leert anderen goed filmen.",
        ),
        c(
            "VP-04",
            "Licht",
            VO,
            "Licht zo gebruiken dat product en mensen goed te zien zijn.",
            "Zet een lamp neer zoals het voorbeeld laat zien.",
            "Gebruikt daglicht en één lamp goed.",
            "Licht een scène uit met meerdere lampen.",
            "Ontwerpt licht dat past bij de sfeer van het merk.",
        ),
        c(
            "VP-05",
            "Geluid",
            VO,
            "Helder geluid opnemen, zonder storende ruis.",
            "Weet dat geluid net zo belangrijk is als beeld.",
            "Neemt op met een dasspeldmicrofoon en controleert het geluid.",
            "Kiest de juiste microfoon en lost storingen zelf op.",
            "Zorgt voor goed geluid op elke locatie en leert anderen hoe.",
        ),
        c(
            "VP-06",
            "Mensen voor de camera",
            VO,
            "Collega's en klanten op hun gemak stellen voor de camera.",
            "Vraagt iemand vriendelijk om mee te doen.",
            "Legt uit wat er gaat gebeuren en geeft duidelijke aanwijzingen.",
            "Haalt het beste uit mensen die niet gewend zijn aan een camera.",
            "Regisseert een opname met meerdere mensen.",
        ),
        c(
            "VP-07",
            "Monteren",
            VM,
            "Losse opnames tot een korte, goede video maken.",
            "Knipt een opname bij in een app.",
            "Monteert een korte video met titels en muziek.",
            "Monteert met een goed ritme en verschillende versies voor elk kanaal.",
            "Maakt sjablonen zodat anderen snel in de eigen stijl monteren.",
        ),
        c(
            "VP-08",
            "Ondertitels en toegankelijkheid",
            VM,
            "Video's die ook zonder geluid en voor iedereen te volgen zijn.",
            "Weet dat veel mensen video's zonder geluid kijken.",
            "Zet ondertitels onder een video en controleert ze.",
            "Maakt video's toegankelijk, ook met een beschrijving van het beeld.",
            "Maakt regels voor toegankelijke video's in de winkel.",
        ),
        c(
            "VP-09",
            "Publiceren en meten",
            VM,
            "De video op het juiste kanaal zetten en kijken hoe hij het doet.",
            "Zet een video online met hulp.",
            "Kiest het goede formaat en zet video's zelf online met een goede tekst.",
            "Vergelijkt kijkcijfers en past volgende video's daarop aan.",
            "Maakt een videoplan voor alle kanalen en bewaakt het resultaat.",
        ),
        c(
            "VP-10",
            "Rechten en toestemming",
            VM,
            "Beeldrecht, muziekrechten en toestemming van mensen in beeld.",
            "Weet dat je niet zomaar iedereen mag filmen.",
            "Vraagt schriftelijk toestemming aan mensen die in beeld komen.",
            "Gebruikt alleen muziek en beelden waarvoor de winkel rechten heeft.",
            "Regelt rechten en toestemming voor alle video's van de winkel.",
        ),
    ),
)

# --- S2: machining and CNC ----------------------------------------------------------------------

VV, CP, MK, PD, EV = (
    "Vakkennis verspanen",
    "Tekening, CAM en programmeren",
    "Meten en kwaliteit",
    "Procesdenken",
    "21e-eeuwse vaardigheden",
)

CNC = FrameworkSpec(
    key="cnc",
    name="Verspanen en CNC",
    network="lerend-netwerk-techniek-gelderland",
    published_days_ago=320,
    description=(
        "Het vak van verspaner in de Gelderse maakindustrie: machines instellen, draaien en "
        "frezen, CAM-programmeren, meten, denken in het hele proces en de vaardigheden die je "
        "nodig hebt om bij te blijven."
    ),
    competencies=(
        c(
            "VS-01",
            "Conventioneel draaien en frezen",
            VV,
            "Werken met draai- en freesbanken zonder computersturing.",
            "Bedient een conventionele draai- of freesbank onder begeleiding.",
            "Maakt eenvoudige onderdelen zelf volgens tekening.",
            "Maakt ook lastige onderdelen met krappe toleranties zelf.",
            "Kiest de beste bewerking en leert anderen het vak.",
        ),
        c(
            "VS-02",
            "CNC-machine instellen",
            VV,
            "Opspannen, nulpunten bepalen en gereedschap inmeten.",
            "Spant een werkstuk op volgens de instelkaart, met hulp.",
            "Stelt nulpunten en gereedschappen zelf in voor een bekend product.",
            "Richt de machine zelf in voor nieuwe producten en kiest de opspanning.",
            "Verkort insteltijden en maakt standaarden voor het instellen.",
        ),
        c(
            "VS-03",
            "CNC-draaien",
            VV,
            "Onderdelen draaien op een CNC-draaibank.",
            "Start een bestaand programma en let op de machine.",
            "Draait series zelf en voert correcties door.",
            "Draait ingewikkelde onderdelen, ook met aangedreven gereedschap.",
            "Verbetert draaiprocessen en lost moeilijke problemen op.",
        ),
        c(
            "VS-04",
            "CNC-frezen",
            VV,
            "Frezen op drie, vier en vijf assen.",
            "Start een bestaand freesprogramma en let op de machine.",
            "Freest onderdelen op drie assen zelf.",
            "Freest ook op vier en vijf assen en past programma's aan.",
            "Richt meerassig frezen in en begeleidt collega's.",
        ),
        c(
            "VS-05",
            "Gereedschap en snijgegevens",
            VV,
            "Het juiste gereedschap en de juiste toerentallen en voedingen kiezen.",
            "Kent de gewone gereedschappen bij naam.",
            "Kiest gereedschap en snijgegevens uit de tabellen.",
            "Past snijgegevens aan op materiaal en slijtage.",
            "Test nieuw gereedschap en verkort zo de bewerkingstijd.",
        ),
        c(
            "VS-06",
            "Materiaalkennis",
            VV,
            "Hoe metalen en kunststoffen zich gedragen bij verspanen.",
            "Herkent staal, rvs en aluminium.",
            "Weet hoe de gewone materialen zich gedragen bij verspanen.",
            "Bewerkt ook lastige materialen, zoals titanium en technische kunststoffen.",
            "Adviseert klanten en collega's over materiaal en bewerking.",
        ),
        c(
            "CP-01",
            "Technische tekening lezen",
            CP,
            "Maten, toleranties en symbolen op een werktekening begrijpen.",
            "Leest maten en toleranties van een eenvoudige tekening.",
            "Leest ook doorsneden en vorm- en plaatstoleranties.",
            "Begrijpt ingewikkelde tekeningen en ziet fouten of onduidelijkheden.",
            "Overlegt met engineering over hoe een onderdeel beter te maken is.",
        ),
        c(
            "CP-02",
            "Programmeren aan de machine",
            CP,
            "Programma's schrijven en aanpassen in G-code of de besturing van de machine.",
            "Herkent hoe een CNC-programma is opgebouwd.",
            "Past een bestaand programma aan de machine aan.",
            "Schrijft zelf programma's aan de machine, ook met subprogramma's.",
            "Schrijft slimme programma's die voor veel producten bruikbaar zijn.",
        ),
        c(
            "CP-03",
            "CAM-programmeren",
            CP,
            "Met CAM-software uit een 3D-model een bewerkingsprogramma maken.",
            "Opent een 3D-model en een bestaand CAM-programma.",
            "Maakt met CAM eenvoudige 2,5D-bewerkingen.",
            "Programmeert 3D- en meerassige bewerkingen en simuleert ze.",
            "Bouwt bibliotheken en sjablonen zodat programmeren sneller gaat.",
        ),
        c(
            "CP-04",
            "Simuleren en botsingen voorkomen",
            CP,
            "Een programma eerst in de computer testen.",
            "Weet waarom een programma eerst gesimuleerd wordt.",
            "Draait een simulatie en ziet duidelijke fouten.",
            "Controleert banen, botsingen en cyclustijd zelf.",
            "Richt een digitale kopie van de machine in voor een betrouwbare simulatie.",
        ),
        c(
            "MK-01",
            "Meten met handmeetmiddelen",
            MK,
            "Meten met schuifmaat, micrometer, meetklok en kalibers.",
            "Meet met schuifmaat en micrometer, met hulp.",
            "Meet zelf nauwkeurig en vult het meetrapport in.",
            "Kiest het juiste meetmiddel en meet ook lastige vormen.",
            "Zet meetmethoden op en leert anderen goed meten.",
        ),
        c(
            "MK-02",
            "Meten met een 3D-meetmachine",
            MK,
            "Werken met een coördinatenmeetmachine in de meetkamer.",
            "Weet wat een 3D-meetmachine doet.",
            "Start een bestaand meetprogramma en leest het rapport.",
            "Maakt zelf meetprogramma's en beoordeelt de uitkomst.",
            "Beheert de meetkamer en bepaalt hoe er gemeten wordt.",
        ),
        c(
            "MK-03",
            "Kwaliteit bewaken",
            MK,
            "Eerste-stukkeuring, procescontrole en afwijkingen melden.",
            "Volgt de controlestappen uit de werkinstructie.",
            "Doet zelf een eerste-stukkeuring.",
            "Houdt de procescijfers bij en grijpt in bij afwijkingen.",
            "Verbetert het kwaliteitssysteem en zoekt de oorzaak van fouten.",
        ),
        c(
            "PD-01",
            "Werkvoorbereiding en planning",
            PD,
            "Het werk voorbereiden en plannen over mensen en machines.",
            "Werkt volgens de planning van de dag.",
            "Bereidt het eigen werk voor: materiaal, gereedschap en tekening.",
            "Maakt bewerkingsvolgordes en schat tijden voor nieuwe orders.",
            "Plant de afdeling en verdeelt het werk over de machines.",
        ),
        c(
            "PD-02",
            "Lean en verbeteren",
            PD,
            "Verspilling zien en het werk steeds een beetje beter maken.",
            "Houdt de werkplek netjes en opgeruimd (5S).",
            "Doet mee met verbeteracties van het team.",
            "Ziet verspilling en stelt zelf verbeteringen voor.",
            "Leidt verbeterprojecten en meet het resultaat.",
        ),
        c(
            "PD-03",
            "Onderhoud en storingen",
            PD,
            "Machines goed houden en storingen verhelpen.",
            "Doet het dagelijkse onderhoud volgens de lijst.",
            "Verhelpt kleine storingen zelf.",
            "Vindt de oorzaak van storingen en voorkomt dat ze terugkomen.",
            "Maakt het onderhoudsplan samen met de technische dienst.",
        ),
        c(
            "EV-01",
            "Samenwerken en overdragen",
            EV,
            "Samenwerken met collega's, andere ploegen en engineering.",
            "Vertelt de volgende ploeg wat er gebeurd is als daarom gevraagd wordt.",
            "Draagt het werk duidelijk over en vraagt hulp op tijd.",
            "Stemt zelf af met engineering, planning en kwaliteit.",
            "Verbindt afdelingen en lost samen problemen op.",
        ),
        c(
            "EV-02",
            "Digitaal werken",
            EV,
            "Werken met het ERP-systeem, digitale werkinstructies en tekeningen op een scherm.",
            "Meldt zich aan op een order in het systeem.",
            "Zoekt zelf tekeningen en instructies op en boekt uren en aantallen.",
            "Werkt digitale instructies bij en gebruikt machinedata.",
            "Helpt de afdeling over te stappen op nieuwe digitale middelen.",
        ),
        c(
            "EV-03",
            "Blijven leren en kennis delen",
            EV,
            "Bijblijven in het vak en wat je weet delen met anderen.",
            "Volgt een training als die wordt aangeboden.",
            "Vraagt zelf om uitleg en leert van fouten.",
            "Zoekt zelf nieuwe kennis op en deelt die met collega's.",
            "Begeleidt leerlingen en geeft workshops in het netwerk.",
        ),
    ),
)

# --- S3: energy transition installation work ----------------------------------------------------

EN_V, EN_S, EN_K = "Vakkennis installatie", "Veiligheid", "Soft skills"

ENERGY = FrameworkSpec(
    key="energy",
    name="Installatiewerk energietransitie",
    network="van-potentie-naar-competentie",
    published_days_ago=260,
    description=(
        "Wat een monteur nodig heeft voor zonnepanelen, warmtepompen en laadpalen: het "
        "vakwerk, veilig werken en goed omgaan met de klant."
    ),
    competencies=(
        c(
            "EN-01",
            "Zonnepanelen monteren",
            EN_V,
            "Montagesystemen en panelen op schuine en platte daken plaatsen.",
            "Draagt panelen aan en helpt bij het monteren.",
            "Monteert panelen op een gewoon dak volgens de tekening.",
            "Monteert zelfstandig op elk soort dak en lost problemen op.",
            "Leidt een montageploeg en kiest het juiste systeem.",
        ),
        c(
            "EN-02",
            "Omvormer en aansluiting",
            EN_V,
            "De omvormer plaatsen en de installatie op de meterkast aansluiten.",
            "Weet wat een omvormer doet.",
            "Plaatst een omvormer en legt de bekabeling aan, met controle.",
            "Sluit de installatie zelf aan en meet hem door.",
            "Ontwerpt de aansluiting bij grotere installaties.",
        ),
        c(
            "EN-03",
            "Warmtepompen installeren",
            EN_V,
            "Lucht-water- en hybride warmtepompen plaatsen en aansluiten.",
            "Helpt bij het plaatsen van een warmtepomp.",
            "Plaatst een hybride warmtepomp volgens de instructie.",
            "Installeert en regelt een volledige warmtepomp zelf in.",
            "Adviseert over het juiste systeem voor een woning.",
        ),
        c(
            "EN-04",
            "Laadpalen plaatsen",
            EN_V,
            "Laadpalen voor elektrische auto's plaatsen en aansluiten.",
            "Weet welke soorten laadpalen er zijn.",
            "Plaatst een laadpaal aan de muur volgens de instructie.",
            "Plaatst en sluit laadpalen zelf aan, ook met slimme sturing.",
            "Ontwerpt laadpleinen voor bedrijven.",
        ),
        c(
            "EN-05",
            "Elektrotechnische basis",
            EN_V,
            "Spanning, stroom, groepen en de regels van NEN 1010.",
            "Kent het verschil tussen spanning en stroom.",
            "Leest een groepenverklaring en meet met een multimeter.",
            "Werkt volgens NEN 1010 en past een groepenkast aan.",
            "Controleert het werk van anderen op de regels.",
        ),
        c(
            "EN-06",
            "Werken op hoogte",
            EN_S,
            "Veilig werken op daken, ladders en steigers.",
            "Werkt op hoogte onder direct toezicht.",
            "Gebruikt valbeveiliging goed en controleert de eigen spullen.",
            "Richt een veilige werkplek op hoogte in voor de ploeg.",
            "Beoordeelt risico's op hoogte en leert anderen veilig werken.",
        ),
        c(
            "EN-07",
            "Veilig werken met elektriciteit",
            EN_S,
            "Veilig werken volgens VCA en NEN 3140.",
            "Volgt de veiligheidsregels als iemand erop wijst.",
            "Werkt spanningsloos en volgt de regels van VCA.",
            "Maakt een werkplek veilig en spreekt anderen aan.",
            "Is aangewezen persoon en bewaakt de veiligheid van de ploeg.",
        ),
        c(
            "EN-08",
            "Uitleg aan de klant",
            EN_K,
            "De klant vertellen hoe de installatie werkt.",
            "Is vriendelijk en netjes bij de klant thuis.",
            "Legt de klant in eenvoudige woorden uit wat er gedaan is.",
            "Beantwoordt vragen en geeft advies over gebruik en besparen.",
            "Helpt klanten kiezen en verkoopt uitbreidingen.",
        ),
        c(
            "EN-09",
            "Samenwerken op het werk",
            EN_K,
            "Samenwerken met collega's en andere vakmensen.",
            "Doet wat gevraagd wordt en is op tijd.",
            "Stemt het werk af met collega's en meldt problemen.",
            "Werkt goed samen met andere vakmensen op de bouwplaats.",
            "Leidt de samenwerking op een project.",
        ),
        c(
            "EN-10",
            "Inregelen, opleveren en storingen",
            EN_V,
            "Een installatie goed afstellen, opleveren en storingen vinden.",
            "Helpt bij het opleveren met de checklist.",
            "Levert een installatie op en vult het opleverrapport in.",
            "Regelt installaties in en vindt zelf de oorzaak van storingen.",
            "Lost lastige storingen op en verbetert de opleverprocedure.",
        ),
    ),
)

# --- S3: maritime technical crew (owned by the vocational school) -------------------------------

MT_T, MT_S, MT_K = "Scheepstechniek", "Veiligheid en milieu aan boord", "Soft skills"

MARITIME = FrameworkSpec(
    key="maritime",
    name="Technische bemanning kleine schepen",
    organisation="vakcollege-ommeland",
    published_days_ago=180,
    description=(
        "Voor de opleiding tot technisch bemanningslid op kustvaarders en werkschepen in de "
        "Eemshaven en Delfzijl: motoren en systemen aan boord, veiligheid en werken in een "
        "kleine bemanning."
    ),
    competencies=(
        c(
            "MT-01",
            "Motoren onderhouden",
            MT_T,
            "Onderhoud aan de hoofdmotor en de hulpmotoren.",
            "Helpt bij onderhoud en houdt de machinekamer schoon.",
            "Doet het gewone onderhoud volgens het onderhoudsplan.",
            "Doet ook groot onderhoud en vindt zelf storingen.",
            "Maakt het onderhoudsplan en begeleidt nieuwe bemanning.",
        ),
        c(
            "MT-02",
            "Brandstof en smeerolie",
            MT_T,
            "Brandstof- en smeeroliesystemen, bunkeren en separatoren.",
            "Weet hoe brandstof en olie door het schip lopen.",
            "Bedient de separatoren en helpt bij het bunkeren.",
            "Leidt het bunkeren en houdt de systemen in orde.",
            "Verbetert het verbruik en de zorg voor de systemen.",
        ),
        c(
            "MT-03",
            "Elektrische installatie aan boord",
            MT_T,
            "Generatoren, schakelborden en verlichting aan boord.",
            "Kent de gevaren van elektriciteit aan boord.",
            "Verhelpt eenvoudige storingen aan verlichting en stopcontacten.",
            "Werkt aan schakelborden en generatoren.",
            "Zoekt ingewikkelde elektrische storingen.",
        ),
        c(
            "MT-04",
            "Pompen, leidingen en kleppen",
            MT_T,
            "Koelwater-, lens- en ballastsystemen.",
            "Weet waar de belangrijkste pompen en kleppen zitten.",
            "Bedient de pompen en kleppen volgens de instructie.",
            "Repareert pompen en leidingen zelf.",
            "Beoordeelt de staat van de systemen en plant vervanging.",
        ),
        c(
            "MT-05",
            "Hydrauliek en dekwerktuigen",
            MT_T,
            "Kranen, lieren en luiken met hydrauliek.",
            "Helpt bij het smeren en controleren van dekwerktuigen.",
            "Doet onderhoud aan hydraulische systemen volgens de lijst.",
            "Vindt lekkages en storingen en verhelpt ze.",
            "Plant het onderhoud aan alle dekwerktuigen.",
        ),
        c(
            "MT-06",
            "Wacht lopen in de machinekamer",
            MT_T,
            "Rondes lopen, alarmen opvolgen en het logboek bijhouden.",
            "Loopt een ronde mee met een ervaren collega.",
            "Loopt zelf een wacht en vult het logboek in.",
            "Handelt alarmen zelf af en neemt beslissingen tijdens de wacht.",
            "Leidt de wachtindeling en leert anderen wacht lopen.",
        ),
        c(
            "MT-07",
            "Brand en noodsituaties",
            MT_S,
            "Brandbestrijding, verlaten van het schip en oefeningen.",
            "Kent de alarmsignalen en het eigen verzamelpunt.",
            "Doet mee aan oefeningen en gebruikt blusmiddelen.",
            "Leidt een brandploeg tijdens een oefening.",
            "Organiseert oefeningen en verbetert de noodprocedures.",
        ),
        c(
            "MT-08",
            "Milieuregels aan boord",
            MT_S,
            "Afval, olie en uitstoot volgens de regels (MARPOL).",
            "Scheidt afval zoals het aan boord geregeld is.",
            "Houdt het olieregister bij en volgt de milieuregels.",
            "Controleert of de milieuregels aan boord worden gevolgd.",
            "Bereidt het schip voor op inspecties.",
        ),
        c(
            "MT-09",
            "Werken in een kleine bemanning",
            MT_K,
            "Samenleven en samenwerken met weinig mensen aan boord.",
            "Houdt zich aan de afspraken aan boord.",
            "Helpt ook buiten de eigen taak mee.",
            "Lost spanningen in de bemanning op.",
            "Zorgt voor een goede sfeer en een veilige werkcultuur.",
        ),
        c(
            "MT-10",
            "Engels aan boord",
            MT_K,
            "Communiceren in het Engels met bemanning en wal.",
            "Begrijpt eenvoudige opdrachten in het Engels.",
            "Praat over het dagelijkse werk in het Engels.",
            "Leest technische handboeken in het Engels.",
            "Voert overleg met inspecteurs en leveranciers in het Engels.",
        ),
    ),
)

# --- S4: didactics of first-aid and safety trainers ---------------------------------------------

TD, TV, TT, TG, TDV = (
    "Didactiek",
    "Vakinhoud EHBO en BHV",
    "Toetsen en beoordelen",
    "Groepsdynamiek",
    "Digitale vaardigheden",
)

TRAINERS = FrameworkSpec(
    key="trainers",
    name="Didactiek voor BHV- en EHBO-trainers",
    network="trainers-up-to-date",
    published_days_ago=300,
    description=(
        "Wat een goede trainer in bedrijfshulpverlening en eerste hulp kan: lesgeven aan "
        "volwassenen, de vakinhoud volgens de nieuwste richtlijnen, eerlijk toetsen, een groep "
        "leiden en korte e-learnings maken voor collega's en cursisten."
    ),
    competencies=(
        c(
            "DI-01",
            "Les voorbereiden",
            TD,
            "Lesdoelen bepalen en een lesplan maken dat past bij de groep.",
            "Geeft een les volgens een kant-en-klaar lesplan.",
            "Past een lesplan aan op de groep en de beschikbare tijd.",
            "Maakt zelf lesplannen met duidelijke lesdoelen.",
            "Ontwikkelt nieuwe trainingen en helpt collega's met hun lesplannen.",
        ),
        c(
            "DI-02",
            "Instructie geven",
            TD,
            "Voordoen, uitleggen, laten nadoen en laten oefenen.",
            "Doet een handeling voor en vertelt wat er gebeurt.",
            "Werkt in een vaste volgorde: voordoen, nadoen, oefenen.",
            "Past de uitleg aan als deelnemers het niet snappen.",
            "Is een voorbeeld voor andere trainers en coacht hen.",
        ),
        c(
            "DI-03",
            "Oefenen met praktijkscenario's",
            TD,
            "Realistische oefeningen, ook met een lotus (nagespeeld slachtoffer).",
            "Speelt mee in een scenario dat een collega leidt.",
            "Voert een bekend scenario uit met een lotus.",
            "Bedenkt scenario's die passen bij de werkplek van de groep.",
            "Ontwerpt grote oefeningen met meerdere slachtoffers of een ontruiming.",
        ),
        c(
            "DI-04",
            "Feedback geven",
            TD,
            "Deelnemers helpen beter te worden met goede feedback.",
            "Zegt wat er goed ging.",
            "Geeft concrete tips die de deelnemer meteen kan gebruiken.",
            "Stelt vragen zodat deelnemers zelf zien wat beter kan.",
            "Leert collega's hoe ze goede feedback geven.",
        ),
        c(
            "DI-05",
            "Inspelen op verschillen",
            TD,
            "Rekening houden met voorkennis, taalniveau en beperkingen van deelnemers.",
            "Weet dat deelnemers op verschillende manieren leren.",
            "Houdt rekening met voorkennis en taalniveau.",
            "Kiest werkvormen voor deelnemers die weinig Nederlands spreken of een beperking hebben.",
            "Maakt lesmateriaal dat voor iedereen werkt.",
        ),
        c(
            "VI-01",
            "Reanimatie en AED",
            TV,
            "Reanimeren en de AED gebruiken volgens de geldende richtlijn.",
            "Reanimeert goed en gebruikt een AED.",
            "Legt reanimatie en AED uit volgens de richtlijn.",
            "Verbetert de techniek van deelnemers gericht en kent de achtergrond van de richtlijn.",
            "Vertaalt nieuwe richtlijnen naar de training en informeert collega's.",
        ),
        c(
            "VI-02",
            "Eerste hulp bij letsel en ziekte",
            TV,
            "Wonden, brandwonden, botbreuken en plotselinge ziekte.",
            "Kent de eerste hulp bij de meest voorkomende letsels.",
            "Legt eerste hulp bij letsel en ziekte helder uit en laat het oefenen.",
            "Beantwoordt ook lastige vragen en past de stof aan op de branche van de groep.",
            "Schrijft lesstof over nieuwe onderwerpen en controleert die van anderen.",
        ),
        c(
            "VI-03",
            "Brand en ontruiming",
            TV,
            "Beginnende brand blussen, alarmeren en een gebouw ontruimen (BHV).",
            "Kent de taken van een BHV'er bij brand.",
            "Laat deelnemers oefenen met blusmiddelen en een ontruiming.",
            "Past de training aan op het ontruimingsplan van het bedrijf.",
            "Adviseert bedrijven over hun BHV-organisatie en ontruimingsplan.",
        ),
        c(
            "VI-04",
            "Richtlijnen en certificering bijhouden",
            TV,
            "De eisen van de verschillende certificerende instellingen kennen en volgen.",
            "Weet welk certificaat de eigen training oplevert.",
            "Houdt de eigen licenties en bijscholing bij.",
            "Kent de eisen van de verschillende instellingen en past de training daarop aan.",
            "Denkt mee over de eisen en vertaalt wijzigingen voor het hele team.",
        ),
        c(
            "VI-05",
            "Veilig en hygiënisch trainen",
            TV,
            "Letsel en besmetting tijdens de training voorkomen.",
            "Maakt oefenpoppen schoon volgens de regels.",
            "Let tijdens oefeningen op de veiligheid van deelnemers.",
            "Past oefeningen aan voor deelnemers met klachten of een beperking.",
            "Maakt de veiligheidsregels voor trainingen en controleert ze.",
        ),
        c(
            "TB-01",
            "Praktijkexamen afnemen",
            TT,
            "Eerlijk en volgens de regels van de instelling beoordelen.",
            "Helpt bij een praktijkexamen.",
            "Neemt een examen af met de beoordelingslijst.",
            "Beoordeelt eerlijk, ook in twijfelgevallen, en legt uit waarom.",
            "Is examinator voor de instelling en traint nieuwe beoordelaars.",
        ),
        c(
            "TB-02",
            "Beoordelen tijdens de training",
            TT,
            "Tijdens de training zien wie het al kan en wie nog extra oefening nodig heeft.",
            "Ziet wanneer een deelnemer iets duidelijk fout doet.",
            "Houdt per deelnemer bij wat goed gaat en wat niet.",
            "Geeft deelnemers extra oefening op de punten waar ze zwak zijn.",
            "Maakt hulpmiddelen waarmee trainers voortgang beter zien.",
        ),
        c(
            "TB-03",
            "Administratie en certificaten",
            TT,
            "Presentielijsten, uitslagen en certificaten op tijd en goed regelen.",
            "Laat deelnemers de presentielijst tekenen.",
            "Verwerkt uitslagen en vraagt certificaten aan.",
            "Regelt de administratie voor verschillende instellingen foutloos.",
            "Verbetert de administratie zodat trainers minder tijd kwijt zijn.",
        ),
        c(
            "GD-01",
            "Een groep leiden",
            TG,
            "Een veilige en actieve sfeer maken in de groep.",
            "Heet de groep welkom en houdt zich aan het programma.",
            "Betrekt iedereen bij de les en houdt de tijd in de gaten.",
            "Houdt de groep actief, ook als de energie wegzakt.",
            "Leidt ook moeilijke groepen en leert collega's hoe.",
        ),
        c(
            "GD-02",
            "Omgaan met emoties",
            TG,
            "Deelnemers die iets ergs hebben meegemaakt of bang zijn goed opvangen.",
            "Merkt het als een deelnemer geraakt is.",
            "Geeft ruimte aan emoties en stelt de deelnemer gerust.",
            "Weet wanneer en hoe een gesprek buiten de groep nodig is.",
            "Leert collega's omgaan met emoties in de groep.",
        ),
        c(
            "GD-03",
            "Trainen bij een bedrijf",
            TG,
            "Trainen op locatie en afstemmen met de opdrachtgever.",
            "Volgt de afspraken die met het bedrijf gemaakt zijn.",
            "Bespreekt vooraf met het bedrijf wat het wil en hoe het gebouw eruitziet.",
            "Past de training aan op de risico's van het bedrijf.",
            "Adviseert bedrijven over een goed opleidingsplan.",
        ),
        c(
            "DV-01",
            "Korte e-learning maken",
            TDV,
            "Zelf korte online lessen maken voor cursisten en collega's.",
            "Bekijkt e-learnings en geeft tips om ze te verbeteren.",
            "Maakt een korte e-learning met een sjabloon.",
            "Maakt e-learnings met filmpjes, vragen en goede uitleg.",
            "Bepaalt de opzet van de e-learnings en helpt collega-auteurs.",
        ),
        c(
            "DV-02",
            "Online en praktijk combineren",
            TDV,
            "De online voorbereiding laten aansluiten op de praktijkdag.",
            "Weet welke e-learning de deelnemers vooraf hebben gedaan.",
            "Begint de praktijkdag met wat deelnemers online hebben geleerd.",
            "Gebruikt de resultaten van de e-learning om de praktijkdag aan te passen.",
            "Ontwerpt trainingen waarin online en praktijk één geheel zijn.",
        ),
    ),
)

FRAMEWORKS: tuple[FrameworkSpec, ...] = (RETAIL, VIDEO, CNC, ENERGY, MARITIME, TRAINERS)
NEW_VERSIONS: tuple[NewVersionSpec, ...] = (RETAIL_V2,)

# --- function profiles --------------------------------------------------------------------------

S1_NET = "utrechtse-retail-academie"
S2_NET = "lerend-netwerk-techniek-gelderland"
S3_NET = "van-potentie-naar-competentie"
S4_NET = "trainers-up-to-date"

PROFILES: tuple[ProfileSpec, ...] = (
    ProfileSpec(
        key="shop-online",
        name="Winkelmedewerker online",
        description="Werkt in de winkel en helpt ook klanten die online kopen.",
        framework="retail",
        network=S1_NET,
        requirements=(
            ("EC-01", 2, 2),
            ("EC-02", 2, 1),
            ("EC-03", 2, 1),
            ("EC-04", 3, 3),
            ("EC-05", 2, 1),
            ("DA-03", 2, 1),
            ("OM-01", 2, 2),
            ("KB-01", 3, 3),
            ("KB-02", 2, 1),
            ("SK-01", 3, 2),
            ("SK-02", 2, 2),
        ),
    ),
    ProfileSpec(
        key="webshop",
        name="Webshopbeheerder",
        description="Houdt de webwinkel draaiende en zorgt dat klanten hem vinden.",
        framework="retail",
        network=S1_NET,
        requirements=(
            ("EC-01", 4, 3),
            ("EC-02", 3, 2),
            ("EC-03", 3, 2),
            ("EC-05", 3, 2),
            ("DA-01", 3, 1),
            ("DA-02", 3, 3),
            ("DA-03", 3, 2),
            ("OM-01", 3, 1),
            ("OM-02", 3, 2),
            ("OM-03", 3, 3),
            ("OM-04", 2, 1),
            ("KB-03", 3, 2),
            ("SK-02", 3, 2),
        ),
    ),
    ProfileSpec(
        key="video-maker",
        name="Maker van winkelvideo's",
        description="Maakt korte video's over producten en de winkel.",
        framework="video",
        network=S1_NET,
        requirements=(
            ("VP-01", 2, 2),
            ("VP-02", 2, 1),
            ("VP-03", 3, 3),
            ("VP-05", 2, 2),
            ("VP-07", 3, 3),
            ("VP-08", 2, 1),
            ("VP-09", 3, 2),
            ("VP-10", 2, 2),
        ),
    ),
    ProfileSpec(
        key="cnc-machinist",
        name="CNC-verspaner",
        description="Stelt CNC-machines in, draait en freest en meet zijn eigen werk.",
        framework="cnc",
        network=S2_NET,
        requirements=(
            ("VS-01", 2, 1),
            ("VS-02", 3, 3),
            ("VS-03", 3, 2),
            ("VS-04", 3, 2),
            ("VS-05", 3, 2),
            ("VS-06", 2, 1),
            ("CP-01", 3, 3),
            ("CP-02", 2, 2),
            ("CP-03", 2, 2),
            ("MK-01", 3, 3),
            ("MK-03", 2, 2),
            ("PD-02", 2, 1),
            ("EV-01", 2, 1),
            ("EV-02", 2, 1),
        ),
    ),
    ProfileSpec(
        key="planner",
        name="Werkvoorbereider",
        description="Bereidt orders voor, programmeert met CAM en plant de werkplaats.",
        framework="cnc",
        network=S2_NET,
        requirements=(
            ("CP-01", 4, 3),
            ("CP-03", 3, 3),
            ("CP-04", 3, 2),
            ("VS-05", 3, 1),
            ("VS-06", 3, 1),
            ("MK-03", 3, 2),
            ("PD-01", 4, 3),
            ("PD-02", 3, 2),
            ("EV-01", 3, 2),
            ("EV-02", 3, 2),
        ),
    ),
    ProfileSpec(
        key="operator",
        name="Allround operator",
        description="Bedient machines in de productie, controleert de kwaliteit en denkt mee.",
        framework="cnc",
        network=S2_NET,
        requirements=(
            ("VS-02", 2, 2),
            ("VS-05", 2, 1),
            ("CP-01", 2, 2),
            ("MK-01", 2, 2),
            ("MK-03", 2, 2),
            ("PD-02", 2, 1),
            ("PD-03", 2, 2),
            ("EV-01", 2, 1),
            ("EV-02", 2, 1),
            ("EV-03", 2, 1),
        ),
    ),
    ProfileSpec(
        key="solar",
        name="Monteur zonnepanelen",
        description="Monteert zonnepanelen en sluit ze aan.",
        framework="energy",
        network=S3_NET,
        requirements=(
            ("EN-01", 3, 3),
            ("EN-02", 2, 2),
            ("EN-05", 2, 2),
            ("EN-06", 3, 3),
            ("EN-07", 3, 3),
            ("EN-08", 2, 1),
            ("EN-09", 2, 1),
        ),
    ),
    ProfileSpec(
        key="heat-pump",
        name="Monteur warmtepompen",
        description="Installeert warmtepompen en regelt ze in.",
        framework="energy",
        network=S3_NET,
        requirements=(
            ("EN-02", 2, 1),
            ("EN-03", 3, 3),
            ("EN-05", 3, 2),
            ("EN-07", 3, 3),
            ("EN-08", 3, 2),
            ("EN-09", 2, 1),
            ("EN-10", 3, 3),
        ),
    ),
    ProfileSpec(
        key="ship-engineer",
        name="Assistent scheepswerktuigkundige",
        description="Eerste functie in de machinekamer na de opleiding.",
        framework="maritime",
        organisation="vakcollege-ommeland",
        requirements=(
            ("MT-01", 2, 3),
            ("MT-02", 2, 2),
            ("MT-04", 2, 2),
            ("MT-06", 2, 3),
            ("MT-07", 3, 3),
            ("MT-08", 2, 1),
            ("MT-09", 3, 2),
            ("MT-10", 2, 1),
        ),
    ),
    ProfileSpec(
        key="bhv-trainer",
        name="BHV-trainer",
        description="Geeft trainingen bedrijfshulpverlening: brand, ontruiming en eerste hulp.",
        framework="trainers",
        network=S4_NET,
        requirements=(
            ("DI-01", 3, 2),
            ("DI-02", 3, 3),
            ("DI-03", 2, 2),
            ("DI-04", 3, 2),
            ("VI-03", 3, 3),
            ("VI-04", 2, 1),
            ("VI-05", 3, 2),
            ("TB-01", 2, 2),
            ("TB-02", 2, 1),
            ("TB-03", 2, 1),
            ("GD-01", 3, 2),
            ("GD-03", 2, 1),
            ("DV-02", 2, 1),
        ),
    ),
    ProfileSpec(
        key="ehbo-trainer",
        name="EHBO-trainer",
        description="Geeft cursussen eerste hulp en reanimatie en neemt praktijkexamens af.",
        framework="trainers",
        network=S4_NET,
        requirements=(
            ("DI-01", 3, 2),
            ("DI-02", 3, 3),
            ("DI-03", 3, 2),
            ("DI-04", 3, 2),
            ("DI-05", 2, 1),
            ("VI-01", 3, 3),
            ("VI-02", 3, 3),
            ("VI-04", 2, 1),
            ("VI-05", 3, 2),
            ("TB-01", 2, 2),
            ("TB-02", 3, 1),
            ("GD-01", 3, 2),
            ("GD-02", 2, 1),
            ("DV-02", 2, 1),
        ),
    ),
    ProfileSpec(
        key="ehbo-senior",
        name="Ervaren EHBO-trainer",
        description="Ervaren trainer die examens afneemt, e-learnings maakt en nieuwe trainers begeleidt.",
        framework="trainers",
        network=S4_NET,
        requirements=(
            ("DI-01", 4, 2),
            ("DI-02", 4, 3),
            ("DI-03", 3, 2),
            ("DI-04", 4, 3),
            ("DI-05", 3, 1),
            ("VI-01", 4, 3),
            ("VI-02", 4, 2),
            ("VI-04", 3, 2),
            ("TB-01", 3, 3),
            ("TB-02", 3, 1),
            ("GD-01", 3, 2),
            ("GD-02", 3, 1),
            ("DV-01", 3, 2),
            ("DV-02", 3, 1),
        ),
    ),
)

# --- who has which profile, and how their ratings go --------------------------------------------

A = AssignmentSpec
S = Story

ASSIGNMENTS: tuple[AssignmentSpec, ...] = (
    # S1: the shops
    A("boon-sales", "shop-online", S.GROWING, (0, 1, 2), target="webshop"),
    A("boon-web", "webshop", S.STEADY, (0, 2)),
    A("bank-adv1", "shop-online", S.OVERCONFIDENT, (1, 2)),
    A("bank-adv2", "shop-online", S.STEADY, (0, 2)),
    A("hoed-sales", "shop-online", S.MODEST, (0, 2)),
    A("geluk-web", "webshop", S.GROWING, (0, 1, 2), target="video-maker"),
    A("geluk-shop1", "shop-online", S.STEADY, (1, 2)),
    A("geluk-shop2", "shop-online", S.SELF_ONLY, (2,)),
    # S2: the tech firms
    A("vo-turner", "cnc-machinist", S.STEADY, (0, 2)),
    A("vo-miller", "cnc-machinist", S.GROWING, (0, 1, 2)),
    A("rijn-planner", "planner", S.MODEST, (0, 2)),
    A("mfv-builder", "operator", S.STEADY, (1, 2)),
    A("mfv-trainee", "operator", S.GROWING, (0, 1, 2), target="cnc-machinist"),
    A("liem-op1", "operator", S.OVERCONFIDENT, (0, 2)),
    A("liem-op2", "operator", S.GROWING, (0, 2)),
    A("gma-grinder1", "operator", S.STEADY, (0, 2)),
    A("gma-grinder2", "operator", S.SELF_ONLY, (2,)),
    A("ftb-asm", "operator", S.STEADY, (1, 2)),
    # S3: energy; the temp worker's profile is for the placement at the energy firm
    A("energie-fitter", "solar", S.GROWING, (0, 1, 2), target="heat-pump"),
    A("cand-2", "solar", S.GROWING, (2,), organisation="energiewerk-eemsdelta"),
    # S4: the trainers. The Brabant team is the one whose manager logs in.
    A("hob-senior", "ehbo-senior", S.STEADY, (0, 2)),
    A("hob-author", "ehbo-trainer", S.MODEST, (0, 1, 2), target="ehbo-senior"),
    A("hob-t1", "ehbo-trainer", S.OVERCONFIDENT, (0, 1, 2), target="ehbo-senior"),
    A("hob-t2", "ehbo-trainer", S.GROWING, (0, 1, 2)),
    A("hob-new", "ehbo-trainer", S.SELF_ONLY, ()),
    A("hob-t3", "bhv-trainer", S.GROWING, (0, 2)),
    A("hob-t4", "bhv-trainer", S.SELF_ONLY, (1, 2)),
    A("kemp-t1", "bhv-trainer", S.GROWING, (0, 2)),
    A("kemp-t2", "ehbo-trainer", S.STEADY, (0, 2)),
    A("kemp-t3", "bhv-trainer", S.OVERCONFIDENT, (1, 2)),
    A("peel-t1", "bhv-trainer", S.STEADY, (0, 2)),
    A("peel-t2", "ehbo-trainer", S.MODEST, (1, 2)),
    A("peel-t3", "bhv-trainer", S.GROWING, (1, 2)),
)

# The open round in the Brabant team: two trainers rated themselves (one of them already
# validated), the newcomer too, one still has to.
ROUNDS: tuple[RoundSpec, ...] = (
    RoundSpec(
        organisation="hulpverlening-opleidingen-brabant",
        requested_by="hob-lead",
        profile="ehbo-trainer",
        title="Zelfbeoordeling EHBO-trainers, tweede helft van het jaar",
        team="Trainers EHBO",
        created_days_ago=12,
        due_in_days=9,
        done=("hob-t1", "hob-author", "hob-new"),
        validated=("hob-author",),
        waiting=("hob-t2",),
    ),
)

# A temp worker who worked as a scaffolder before asks to have that recognised.
CLAIMS: tuple[ClaimSpec, ...] = (
    ClaimSpec(
        person="cand-2",
        organisation="noorderwerk-uitzenden",
        framework="energy",
        competency="EN-06",
        level=3,
        statement=(
            "Voor ik bij Noorderwerk kwam, heb ik drie jaar als steigerbouwer gewerkt bij een "
            "bouwbedrijf in Emmen. Ik werkte elke dag op hoogte, bouwde steigers op en af en "
            "controleerde de valbeveiliging van de ploeg. Ik heb het certificaat Werken op "
            "hoogte en mijn VCA-diploma."
        ),
        link="https://certificaten.example/werken-op-hoogte/2021-0457",
        link_description="Certificaat Werken op hoogte",
        submitted_days_ago=6,
    ),
)
