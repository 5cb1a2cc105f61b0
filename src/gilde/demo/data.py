"""The demo networks, drawn from six projects of the seed: Utrecht retailers with their
city-centre foundation (S1), Gelderland tech firms with their vocational school (S2), a
Groningen temp agency with its host companies (S3), three first-aid and safety training firms
whose trainers keep each other up to date (S4), film and video companies with a Learning Lab
(S5) and energy-transition firms that learn in breakfast and evening sessions (S8).

Every organisation and person here is invented. People's names are drawn from the pools below
by a seeded random generator, so each load gives the same people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gilde.tenancy.models import MembershipKind, NetworkRoleKind, OrganisationKind, Role

# One password for every demo account; it is printed with the log-ins.
DEMO_PASSWORD = "gilde-demo-2026"  # noqa: S105 - public by design, printed for every demo
# A fixed salt makes the demo password's hash the same for every demo account, so the log-in
# list can ask the database which accounts still open with the demo password (one query, no
# hashing per account). Long enough for Django's salt-entropy check.
DEMO_PASSWORD_SALT = "gildedemoaccountsalt2026"  # noqa: S105 - a salt, not a secret
RANDOM_SEED = 2026

LEARNER = Role.LEARNER
ADMIN = Role.ORG_ADMIN
MANAGER = Role.MANAGER
MENTOR = Role.MENTOR
AUTHOR = Role.AUTHOR
COORDINATOR = NetworkRoleKind.COORDINATOR
COACH = NetworkRoleKind.COACH


@dataclass(frozen=True)
class PersonSpec:
    key: str
    title: str
    roles: tuple[str, ...]
    team: str = ""
    manager: str = ""
    mentor: str = ""
    kind: str = MembershipKind.EMPLOYEE
    network_role: str = ""


@dataclass(frozen=True)
class OrganisationSpec:
    """An organisation and its people. `domain` is their e-mail domain, always under the reserved
    top-level domain .example (RFC 2606), so no demo address can reach a real mailbox."""

    slug: str
    name: str
    kind: str
    city: str
    domain: str
    teams: tuple[str, ...]
    people: tuple[PersonSpec, ...]


@dataclass(frozen=True)
class PlacementSpec:
    """A temp worker of the agency working at a host; days are counted back from today."""

    person: str
    host: str
    mentor: str
    title: str
    team: str
    started_days_ago: int
    ended_days_ago: int | None = None


@dataclass(frozen=True)
class ApplicationSpec:
    organisation_name: str
    city: str
    contact_name: str
    contact_email: str
    motivation: str


@dataclass(frozen=True)
class NetworkSpec:
    slug: str
    name: str
    description: str
    enrolment_open: bool
    organisations: tuple[OrganisationSpec, ...]
    coaching: tuple[tuple[str, tuple[str, ...]], ...] = ()
    placements: tuple[PlacementSpec, ...] = ()
    applications: tuple[ApplicationSpec, ...] = field(default=())


P = PersonSpec

S1 = NetworkSpec(
    slug="utrechtse-retail-academie",
    name="Utrechtse Retail Academie",
    description=(
        "Vier winkels uit de Utrechtse binnenstad leren samen over digitale onderwerpen: "
        "webwinkel, klantdata en online marketing. Met masterclasses, e-learning en een "
        "kennisbank. De binnenstadsstichting begeleidt het netwerk."
    ),
    enrolment_open=False,
    organisations=(
        OrganisationSpec(
            slug="stichting-hart-van-utrecht",
            name="Stichting Hart van Utrecht",
            kind=OrganisationKind.FOUNDATION,
            city="Utrecht",
            domain="hartvanutrecht.example",
            teams=("Programmabureau",),
            people=(
                P(
                    "s1-coord",
                    "Programmamanager binnenstad",
                    (ADMIN, LEARNER),
                    "Programmabureau",
                    network_role=COORDINATOR,
                ),
                P(
                    "s1-coach",
                    "Digitaal coach retail",
                    (AUTHOR, LEARNER),
                    "Programmabureau",
                    network_role=COACH,
                ),
            ),
        ),
        OrganisationSpec(
            slug="koffiebranderij-de-gouden-boon",
            name="Koffiebranderij De Gouden Boon",
            kind=OrganisationKind.COMPANY,
            city="Utrecht",
            domain="degoudenboon.example",
            teams=("Winkel", "Branderij en webshop"),
            people=(
                P("boon-owner", "Eigenaar", (ADMIN, MANAGER, LEARNER), "Winkel"),
                P(
                    "boon-roaster",
                    "Koffiebrander",
                    (MENTOR, LEARNER),
                    "Branderij en webshop",
                    manager="boon-owner",
                ),
                P(
                    "boon-sales",
                    "Verkoopmedewerker",
                    (LEARNER,),
                    "Winkel",
                    manager="boon-owner",
                    mentor="boon-roaster",
                ),
                P(
                    "boon-web",
                    "Webshopbeheerder",
                    (AUTHOR, LEARNER),
                    "Branderij en webshop",
                    manager="boon-owner",
                ),
            ),
        ),
        OrganisationSpec(
            slug="bankenhuis-oudegracht",
            name="Bankenhuis Oudegracht",
            kind=OrganisationKind.COMPANY,
            city="Utrecht",
            domain="bankenhuisoudegracht.example",
            teams=("Showroom", "Logistiek"),
            people=(
                P("bank-owner", "Directeur-eigenaar", (ADMIN, LEARNER)),
                P("bank-lead", "Filiaalmanager", (MANAGER, LEARNER), "Showroom"),
                P("bank-adv1", "Woonadviseur", (LEARNER,), "Showroom", manager="bank-lead"),
                P("bank-adv2", "Woonadviseur", (LEARNER,), "Showroom", manager="bank-lead"),
                P(
                    "bank-driver",
                    "Bezorger en monteur",
                    (LEARNER,),
                    "Logistiek",
                    manager="bank-lead",
                ),
            ),
        ),
        OrganisationSpec(
            slug="hoedenatelier-domstad",
            name="Hoedenatelier Domstad",
            kind=OrganisationKind.COMPANY,
            city="Utrecht",
            domain="hoedenatelierdomstad.example",
            teams=("Atelier", "Winkel"),
            people=(
                P(
                    "hoed-owner",
                    "Eigenaar en modiste",
                    (ADMIN, MANAGER, MENTOR, LEARNER),
                    "Atelier",
                ),
                P(
                    "hoed-trainee",
                    "Hoedenmaker in opleiding",
                    (LEARNER,),
                    "Atelier",
                    manager="hoed-owner",
                    mentor="hoed-owner",
                    kind=MembershipKind.TRAINEE,
                ),
                P("hoed-sales", "Verkoopmedewerker", (LEARNER,), "Winkel", manager="hoed-owner"),
            ),
        ),
        OrganisationSpec(
            slug="cadeauwinkel-het-kleine-geluk",
            name="Cadeauwinkel Het Kleine Geluk",
            kind=OrganisationKind.COMPANY,
            city="Utrecht",
            domain="hetkleinegeluk.example",
            teams=("Winkel", "Webshop"),
            people=(
                P("geluk-owner", "Eigenaar", (ADMIN, MANAGER, LEARNER), "Winkel"),
                P(
                    "geluk-web",
                    "Medewerker webshop",
                    (AUTHOR, LEARNER),
                    "Webshop",
                    manager="geluk-owner",
                ),
                P("geluk-shop1", "Winkelmedewerker", (LEARNER,), "Winkel", manager="geluk-owner"),
                P(
                    "geluk-shop2",
                    "Winkelmedewerker (zaterdag)",
                    (LEARNER,),
                    "Winkel",
                    manager="geluk-owner",
                ),
            ),
        ),
    ),
    coaching=(("s1-coach", ("boon-sales", "hoed-sales", "geluk-shop1")),),
)

S2 = NetworkSpec(
    slug="lerend-netwerk-techniek-gelderland",
    name="Lerend Netwerk Techniek Gelderland",
    description=(
        "Zes Gelderse metaal- en techniekbedrijven en hun mbo-school. Eerst een "
        "behoefteanalyse, dan een eigen ontwikkeltraject voor medewerkers, coaching voor "
        "leidinggevenden en workshops in het lerend netwerk. Andere bedrijven uit de regio "
        "kunnen zich aanmelden."
    ),
    enrolment_open=True,
    organisations=(
        OrganisationSpec(
            slug="techniekcollege-gelderse-poort",
            name="Techniekcollege Gelderse Poort",
            kind=OrganisationKind.SCHOOL,
            city="Arnhem",
            domain="tcgeldersepoort.example",
            teams=("Team leven lang ontwikkelen",),
            people=(
                P(
                    "s2-coord",
                    "Coördinator leven lang ontwikkelen",
                    (ADMIN, AUTHOR, LEARNER),
                    "Team leven lang ontwikkelen",
                    network_role=COORDINATOR,
                ),
                P(
                    "s2-coach",
                    "Loopbaancoach",
                    (LEARNER,),
                    "Team leven lang ontwikkelen",
                    network_role=COACH,
                ),
                P(
                    "s2-teacher",
                    "Docent werktuigbouwkunde",
                    (AUTHOR, LEARNER),
                    "Team leven lang ontwikkelen",
                ),
            ),
        ),
        OrganisationSpec(
            slug="machinefabriek-veluwezoom",
            name="Machinefabriek Veluwezoom",
            kind=OrganisationKind.COMPANY,
            city="Apeldoorn",
            domain="mfveluwezoom.example",
            teams=("Productie", "Engineering"),
            people=(
                P("mfv-director", "Algemeen directeur", (ADMIN, LEARNER)),
                P("mfv-lead", "Productieleider", (MANAGER, LEARNER), "Productie"),
                P("mfv-master", "Leermeester", (MENTOR, LEARNER), "Productie", manager="mfv-lead"),
                P(
                    "mfv-builder",
                    "Machinebouwer",
                    (LEARNER,),
                    "Productie",
                    manager="mfv-lead",
                    mentor="mfv-master",
                ),
                P(
                    "mfv-trainee",
                    "Leerling-monteur (bbl)",
                    (LEARNER,),
                    "Productie",
                    manager="mfv-lead",
                    mentor="mfv-master",
                    kind=MembershipKind.TRAINEE,
                ),
                P(
                    "mfv-engineer",
                    "Werktuigbouwkundig engineer",
                    (LEARNER,),
                    "Engineering",
                    manager="mfv-director",
                ),
            ),
        ),
        OrganisationSpec(
            slug="rijnstaal-constructie",
            name="Rijnstaal Constructie",
            kind=OrganisationKind.COMPANY,
            city="Arnhem",
            domain="rijnstaal.example",
            teams=("Constructie", "Werkvoorbereiding"),
            people=(
                P("rijn-owner", "Eigenaar", (ADMIN, MANAGER, LEARNER), "Werkvoorbereiding"),
                P(
                    "rijn-welder",
                    "Constructielasser",
                    (LEARNER,),
                    "Constructie",
                    manager="rijn-owner",
                ),
                P(
                    "rijn-planner",
                    "Werkvoorbereider",
                    (LEARNER,),
                    "Werkvoorbereiding",
                    manager="rijn-owner",
                ),
            ),
        ),
        OrganisationSpec(
            slug="metaalbewerking-de-liemers",
            name="Metaalbewerking De Liemers",
            kind=OrganisationKind.COMPANY,
            city="Zevenaar",
            domain="metaaldeliemers.example",
            teams=("Plaatwerk",),
            people=(
                P("liem-hr", "HR-adviseur", (ADMIN, LEARNER)),
                P("liem-lead", "Teamleider plaatwerk", (MANAGER, MENTOR, LEARNER), "Plaatwerk"),
                P(
                    "liem-op1",
                    "Kantbankoperator",
                    (LEARNER,),
                    "Plaatwerk",
                    manager="liem-lead",
                    mentor="liem-lead",
                ),
                P("liem-op2", "Lasrobotoperator", (LEARNER,), "Plaatwerk", manager="liem-lead"),
            ),
        ),
        OrganisationSpec(
            slug="gereedschapmakerij-achterhoek",
            name="Gereedschapmakerij Achterhoek",
            kind=OrganisationKind.COMPANY,
            city="Doetinchem",
            domain="gmachterhoek.example",
            teams=("Slijperij",),
            people=(
                P("gma-lead", "Bedrijfsleider", (ADMIN, MANAGER, LEARNER), "Slijperij"),
                P(
                    "gma-grinder1",
                    "Gereedschapsslijper",
                    (LEARNER,),
                    "Slijperij",
                    manager="gma-lead",
                ),
                P(
                    "gma-grinder2",
                    "Gereedschapsslijper",
                    (LEARNER,),
                    "Slijperij",
                    manager="gma-lead",
                ),
            ),
        ),
        OrganisationSpec(
            slug="foodtech-systemen-betuwe",
            name="Foodtech Systemen Betuwe",
            kind=OrganisationKind.COMPANY,
            city="Tiel",
            domain="foodtechbetuwe.example",
            teams=("Service", "Assemblage"),
            people=(
                P("ftb-hr", "Manager HR", (ADMIN, LEARNER)),
                P("ftb-lead", "Hoofd service", (MANAGER, LEARNER), "Service"),
                P("ftb-tech", "Servicemonteur", (LEARNER,), "Service", manager="ftb-lead"),
                P("ftb-asm", "Assemblagemedewerker", (LEARNER,), "Assemblage", manager="ftb-lead"),
            ),
        ),
        OrganisationSpec(
            slug="verspaning-ooij",
            name="Verspaning Ooij",
            kind=OrganisationKind.COMPANY,
            city="Nijmegen",
            domain="verspaningooij.example",
            teams=("Draaierij", "Freesafdeling"),
            people=(
                P("vo-director", "Directeur", (ADMIN, LEARNER)),
                P("vo-foreman", "Meewerkend voorman", (MANAGER, MENTOR, LEARNER), "Draaierij"),
                P(
                    "vo-turner",
                    "CNC-draaier",
                    (LEARNER,),
                    "Draaierij",
                    manager="vo-foreman",
                    mentor="vo-foreman",
                ),
                P("vo-miller", "CNC-frezer", (LEARNER,), "Freesafdeling", manager="vo-foreman"),
            ),
        ),
    ),
    coaching=(("s2-coach", ("mfv-builder", "liem-op2", "ftb-tech", "vo-miller")),),
    applications=(
        ApplicationSpec(
            organisation_name="Lasbedrijf Lingewaard",
            city="Bemmel",
            contact_name="Hanneke Willemsen",
            contact_email="hanneke.willemsen@lasbedrijflingewaard.example",
            motivation=(
                "Wij zijn een lasbedrijf met twaalf medewerkers. We willen graag leren hoe andere "
                "bedrijven hun mensen laten groeien, en onze lassers een eigen ontwikkelplan geven."
            ),
        ),
    ),
)

S3 = NetworkSpec(
    slug="van-potentie-naar-competentie",
    name="Van Potentie naar Competentie",
    description=(
        "Kandidaten met weinig diploma's werken een jaar bij verschillende bedrijven in de "
        "bouw en de energietechniek. Intussen volgen ze schoolvakken en halen ze certificaten. "
        "De bedrijven zorgen voor goede begeleiding op de werkvloer."
    ),
    enrolment_open=False,
    organisations=(
        OrganisationSpec(
            slug="noorderwerk-uitzenden",
            name="Noorderwerk Uitzenden",
            kind=OrganisationKind.TEMP_AGENCY,
            city="Winsum",
            domain="noorderwerk.example",
            teams=("Kantoor", "Kandidaten"),
            people=(
                P(
                    "s3-coord",
                    "Vestigingsmanager",
                    (ADMIN, LEARNER),
                    "Kantoor",
                    network_role=COORDINATOR,
                ),
                P("s3-coach", "Jobcoach", (LEARNER,), "Kantoor", network_role=COACH),
                P("s3-recruiter", "Intercedent", (MANAGER, LEARNER), "Kantoor"),
                P(
                    "cand-1",
                    "Kandidaat bouw",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
                P(
                    "cand-2",
                    "Kandidaat energietechniek",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
                P(
                    "cand-3",
                    "Kandidaat",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
                P(
                    "cand-4",
                    "Kandidaat",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
                P(
                    "cand-5",
                    "Kandidaat",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
                P(
                    "cand-6",
                    "Kandidaat",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
                P(
                    "cand-7",
                    "Kandidaat",
                    (LEARNER,),
                    "Kandidaten",
                    manager="s3-recruiter",
                    kind=MembershipKind.CANDIDATE,
                ),
            ),
        ),
        OrganisationSpec(
            slug="bouwbedrijf-hoogeland",
            name="Bouwbedrijf Hoogeland",
            kind=OrganisationKind.COMPANY,
            city="Loppersum",
            domain="bouwhoogeland.example",
            teams=("Uitvoering",),
            people=(
                P("bouw-director", "Directeur", (ADMIN, LEARNER)),
                P("bouw-site", "Uitvoerder", (MANAGER, MENTOR, LEARNER), "Uitvoering"),
                P("bouw-carpenter", "Timmerman", (LEARNER,), "Uitvoering", manager="bouw-site"),
            ),
        ),
        OrganisationSpec(
            slug="energiewerk-eemsdelta",
            name="Energiewerk Eemsdelta",
            kind=OrganisationKind.COMPANY,
            city="Delfzijl",
            domain="energiewerkeemsdelta.example",
            teams=("Installatie",),
            people=(
                P("energie-lead", "Bedrijfsleider", (ADMIN, MANAGER, LEARNER), "Installatie"),
                P(
                    "energie-master",
                    "Leermeester installatietechniek",
                    (MENTOR, LEARNER),
                    "Installatie",
                    manager="energie-lead",
                ),
                P(
                    "energie-fitter",
                    "Monteur zonnepanelen",
                    (LEARNER,),
                    "Installatie",
                    manager="energie-lead",
                    mentor="energie-master",
                ),
            ),
        ),
        OrganisationSpec(
            slug="vakcollege-ommeland",
            name="Vakcollege Ommeland",
            kind=OrganisationKind.SCHOOL,
            city="Groningen",
            domain="vakcollegeommeland.example",
            teams=(),
            people=(P("ommeland-teacher", "Coördinator praktijkleren", (ADMIN, AUTHOR, LEARNER)),),
        ),
    ),
    coaching=(("s3-coach", ("cand-1", "cand-2", "cand-3", "cand-4")),),
    placements=(
        # cand-2 worked half a year at the builder and now works at the energy firm: the
        # programme's "several companies in turn".
        PlacementSpec(
            "cand-1", "bouwbedrijf-hoogeland", "bouw-site", "Leerling-timmerman", "Uitvoering", 90
        ),
        PlacementSpec(
            "cand-2", "bouwbedrijf-hoogeland", "bouw-site", "Bouwhulp", "Uitvoering", 230, 61
        ),
        PlacementSpec(
            "cand-2",
            "energiewerk-eemsdelta",
            "energie-master",
            "Hulpmonteur zonnepanelen",
            "Installatie",
            60,
        ),
    ),
)

S4 = NetworkSpec(
    slug="trainers-up-to-date",
    name="Trainers Up-to-date",
    description=(
        "Drie kleine opleiders in BHV en EHBO houden hun trainers samen bij. Trainers schrijven "
        "korte e-learnings voor elkaar, nieuwe trainers volgen een eigen inwerkprogramma en "
        "leidinggevenden zien in één overzicht waar elke trainer staat. Eén van de drie is ook "
        "certificerende instelling."
    ),
    enrolment_open=False,
    organisations=(
        OrganisationSpec(
            slug="keurmerk-en-training-kempen",
            name="Keurmerk & Training Kempen",
            kind=OrganisationKind.CERTIFYING_BODY,
            city="Eindhoven",
            domain="keurmerkkempen.example",
            teams=("Bureau", "Trainers"),
            people=(
                P(
                    "s4-coord",
                    "Coördinator kwaliteit en bijscholing",
                    (ADMIN, LEARNER),
                    "Bureau",
                    network_role=COORDINATOR,
                ),
                P(
                    "s4-coach",
                    "Praktijkbegeleider trainers",
                    (LEARNER,),
                    "Bureau",
                    network_role=COACH,
                ),
                P("kemp-lead", "Hoofd opleidingen", (MANAGER, AUTHOR, LEARNER), "Trainers"),
                P("kemp-t1", "BHV-trainer", (LEARNER,), "Trainers", manager="kemp-lead"),
                P("kemp-t2", "EHBO-trainer", (LEARNER,), "Trainers", manager="kemp-lead"),
                P(
                    "kemp-t3",
                    "Trainer brandveiligheid",
                    (LEARNER,),
                    "Trainers",
                    manager="kemp-lead",
                ),
            ),
        ),
        OrganisationSpec(
            slug="hulpverlening-opleidingen-brabant",
            name="Hulpverlening Opleidingen Brabant",
            kind=OrganisationKind.COMPANY,
            city="'s-Hertogenbosch",
            domain="hulpverleningbrabant.example",
            teams=("Trainers EHBO", "Trainers BHV"),
            people=(
                P("hob-director", "Directeur", (ADMIN, LEARNER)),
                P("hob-lead", "Hoofd trainersteam", (MANAGER, LEARNER), "Trainers EHBO"),
                P(
                    "hob-senior",
                    "Senior EHBO-trainer",
                    (MENTOR, LEARNER),
                    "Trainers EHBO",
                    manager="hob-lead",
                ),
                P(
                    "hob-author",
                    "EHBO-trainer en e-learningauteur",
                    (AUTHOR, LEARNER),
                    "Trainers EHBO",
                    manager="hob-lead",
                ),
                P("hob-t1", "EHBO-trainer", (LEARNER,), "Trainers EHBO", manager="hob-lead"),
                P("hob-t2", "EHBO-trainer", (LEARNER,), "Trainers EHBO", manager="hob-lead"),
                P(
                    "hob-new",
                    "EHBO-trainer in opleiding",
                    (LEARNER,),
                    "Trainers EHBO",
                    manager="hob-lead",
                    mentor="hob-senior",
                ),
                P("hob-t3", "BHV-trainer", (LEARNER,), "Trainers BHV", manager="hob-lead"),
                P("hob-t4", "BHV-trainer", (LEARNER,), "Trainers BHV", manager="hob-lead"),
            ),
        ),
        OrganisationSpec(
            slug="veilig-werken-trainingen-peel",
            name="Veilig Werken Trainingen Peel",
            kind=OrganisationKind.COMPANY,
            city="Helmond",
            domain="veiligwerkenpeel.example",
            teams=("Trainers",),
            people=(
                P(
                    "peel-owner",
                    "Eigenaar en trainer",
                    (ADMIN, MANAGER, MENTOR, LEARNER),
                    "Trainers",
                ),
                P("peel-t1", "BHV-trainer", (LEARNER,), "Trainers", manager="peel-owner"),
                P("peel-t2", "BHV- en EHBO-trainer", (LEARNER,), "Trainers", manager="peel-owner"),
                P(
                    "peel-t3",
                    "Trainer in opleiding",
                    (LEARNER,),
                    "Trainers",
                    manager="peel-owner",
                    mentor="peel-owner",
                ),
            ),
        ),
    ),
    coaching=(("s4-coach", ("kemp-t1", "hob-new", "peel-t3")),),
)

# S8: firms of the energy transition learn as a network: breakfast sessions for entrepreneurs and
# evening sessions for their employees (demo/events.py plans them). Eight installers and solar,
# insulation and heat-pump firms, each an owner who leads a team.
_S8_FIRMS = (
    ("warmtepomp-techniek-zaanstreek", "Warmtepomp Techniek Zaanstreek", "Zaandam", 8),
    ("zonnedak-installaties-alkmaar", "Zonnedak Installaties Alkmaar", "Alkmaar", 7),
    ("isolatiebedrijf-de-schil", "Isolatiebedrijf De Schil", "Hoorn", 6),
    ("laadpaal-service-haarlem", "Laadpaal Service Haarlem", "Haarlem", 5),
    ("installatiebedrijf-waterland", "Installatiebedrijf Waterland", "Purmerend", 8),
    ("energieadvies-kennemerland", "Energieadvies Kennemerland", "Beverwijk", 4),
    ("klimaattechniek-west-friesland", "Klimaattechniek West-Friesland", "Enkhuizen", 6),
    ("duurzaam-bouwen-texel", "Duurzaam Bouwen Texel", "Den Burg", 4),
)
_S8_JOBS = ("Monteur warmtepompen", "Installateur zonnepanelen", "Werkvoorbereider", "Monteur")


def _s8_firm(slug: str, name: str, city: str, staff: int, number: int) -> OrganisationSpec:
    key = f"s8-{number}"
    people = [P(f"{key}-owner", "Eigenaar", (ADMIN, MANAGER, LEARNER), "Team")]
    for n in range(1, staff + 1):
        roles: tuple[str, ...] = (LEARNER,)
        if number == 1 and n == 1:
            roles = (MENTOR, LEARNER)
        if number == 1 and n == 2:
            roles = (AUTHOR, LEARNER)
        people.append(
            P(
                f"{key}-e{n}",
                _S8_JOBS[n % len(_S8_JOBS)],
                roles,
                "Team",
                manager=f"{key}-owner",
            )
        )
    return OrganisationSpec(
        slug=slug,
        name=name,
        kind=OrganisationKind.COMPANY,
        city=city,
        domain=f"{slug.replace('-', '')}.example",
        teams=("Team",),
        people=tuple(people),
    )


S8 = NetworkSpec(
    slug="klimaatvakmensen-noord-holland",
    name="Klimaatvakmensen Noord-Holland",
    description=(
        "Installateurs en bedrijven in zonne-energie, isolatie en warmtepompen leren samen als "
        "netwerk: vier ontbijtsessies voor ondernemers, acht avondsessies voor hun medewerkers, "
        "en een gecertificeerde loopbaancoach voor persoonlijke ontwikkelplannen."
    ),
    enrolment_open=False,
    organisations=(
        OrganisationSpec(
            slug="stichting-energieke-vakmensen",
            name="Stichting Energieke Vakmensen",
            kind=OrganisationKind.FOUNDATION,
            city="Zaandam",
            domain="energiekevakmensen.example",
            teams=("Netwerkbureau",),
            people=(
                P(
                    "s8-coord",
                    "Netwerkcoördinator",
                    (ADMIN, LEARNER),
                    "Netwerkbureau",
                    network_role=COORDINATOR,
                ),
                P(
                    "s8-coach",
                    "Gecertificeerd loopbaancoach",
                    (LEARNER,),
                    "Netwerkbureau",
                    network_role=COACH,
                ),
            ),
        ),
        *(_s8_firm(*firm, number) for number, firm in enumerate(_S8_FIRMS, start=1)),
    ),
    # The certified job coach writes career plans with people of several firms.
    coaching=(("s8-coach", ("s8-1-e3", "s8-2-e2", "s8-5-e4")),),
)

# S5: four film and video production companies with blended learning and practice days at a
# Learning Lab (the lab keeps a waiting list: demo/events.py).
_S5_COMPANIES = (
    ("beeldfabriek-amsterdam", "Beeldfabriek Amsterdam", "Amsterdam"),
    ("studio-noorderlicht", "Studio Noorderlicht", "Groningen"),
    ("montagehuis-de-knip", "Montagehuis De Knip", "Hilversum"),
    ("cameraploeg-zuid", "Cameraploeg Zuid", "Eindhoven"),
)
_S5_JOBS = ("Cameravrouw", "Editor", "Productieassistent", "Geluidsman")


def _s5_company(slug: str, name: str, city: str, number: int) -> OrganisationSpec:
    key = f"s5-{number}"
    people = [P(f"{key}-owner", "Producent en eigenaar", (ADMIN, MANAGER, LEARNER), "Crew")]
    for n in range(1, 5):
        roles: tuple[str, ...] = (LEARNER,)
        if number == 1 and n == 1:
            roles = (MENTOR, LEARNER)
        if number == 1 and n == 2:
            roles = (AUTHOR, LEARNER)
        people.append(P(f"{key}-c{n}", _S5_JOBS[n - 1], roles, "Crew", manager=f"{key}-owner"))
    return OrganisationSpec(
        slug=slug,
        name=name,
        kind=OrganisationKind.COMPANY,
        city=city,
        domain=f"{slug.replace('-', '')}.example",
        teams=("Crew",),
        people=tuple(people),
    )


S5 = NetworkSpec(
    slug="filmpool-leerlab",
    name="Filmpool Leerlab",
    description=(
        "Vier film- en videoproductiebedrijven leiden samen mensen op: online modules over "
        "concept, voorproductie, productie, postproductie en camera, en praktijkdagen in het "
        "Leerlab. Wie het kan, komt in de gezamenlijke pool voor producties."
    ),
    enrolment_open=False,
    organisations=(
        OrganisationSpec(
            slug="leerlab-beeld-en-geluid",
            name="Leerlab Beeld en Geluid",
            kind=OrganisationKind.FOUNDATION,
            city="Hilversum",
            domain="leerlabbeeld.example",
            teams=("Lab",),
            people=(
                P(
                    "s5-coord",
                    "Coördinator Leerlab",
                    (ADMIN, LEARNER),
                    "Lab",
                    network_role=COORDINATOR,
                ),
                P("s5-coach", "Praktijkdocent camera", (LEARNER,), "Lab", network_role=COACH),
            ),
        ),
        *(_s5_company(*company, number) for number, company in enumerate(_S5_COMPANIES, start=1)),
    ),
    coaching=(("s5-coach", ("s5-1-c1", "s5-3-c2")),),
)

NETWORKS: tuple[NetworkSpec, ...] = (S1, S2, S3, S4, S5, S8)

# fmt: off
GIVEN_NAMES = (
    "Anna", "Sanne", "Lotte", "Eva", "Fleur", "Iris", "Noor", "Femke", "Marieke", "Ingrid",
    "Anouk", "Esther", "Willemijn", "Saskia", "Mirjam", "Janneke", "Roos", "Lieke", "Hanna",
    "Daan", "Bram", "Joost", "Ruud", "Sander", "Thijs", "Niels", "Maarten", "Wouter", "Jeroen",
    "Pieter", "Kees", "Henk", "Gerrit", "Sjoerd", "Hidde", "Jelle", "Stijn", "Koen", "Rik",
    "Youssef", "Fatima", "Mehmet", "Priya", "Dewi", "Samira", "Luuk", "Jesse", "Milan", "Tess",
    "Mees", "Sem", "Yara", "Ilse", "Wietske", "Geert", "Harm", "Jikke", "Bart", "Floor",
)

FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("van", "Dijk"), ("de", "Vries"), ("van den", "Berg"), ("van 't", "Hof"),
    ("van der", "Linden"), ("de", "Graaf"), ("", "Bakker"), ("", "Visser"), ("", "Smit"),
    ("", "Mulder"), ("de", "Boer"), ("", "Meijer"), ("", "Jansen"), ("van", "Leeuwen"),
    ("", "Hendriks"), ("van den", "Broek"), ("ter", "Horst"), ("", "Kok"), ("", "Postma"),
    ("", "Huizinga"), ("", "Dijkstra"), ("van der", "Veen"), ("", "Wiersma"), ("de", "Jong"),
    ("", "Brouwer"), ("", "Schouten"), ("van 't", "Veer"), ("in 't", "Veld"), ("", "Yilmaz"),
    ("", "El Amrani"), ("", "Kuipers"), ("van", "Beek"), ("", "Hermsen"), ("", "Willemsen"),
    ("ten", "Brinke"), ("", "Arends"), ("op de", "Weegh"), ("", "Zijlstra"), ("", "Bos"),
    ("van der", "Meer"), ("de", "Haan"), ("", "Wijnen"), ("van", "Rooij"), ("", "Peters"),
    ("", "Kramer"), ("van de", "Kamp"), ("", "Nijhuis"), ("", "Hoekstra"), ("", "Çelik"),
    ("", "Pranoto"), ("van", "Doorn"), ("", "Verbeek"), ("de", "Wit"), ("", "Timmermans"),
)
# fmt: on
