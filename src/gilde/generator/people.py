"""Networks, member organisations, teams and people.

People arrive the way they arrive in real organisations: through the HR import, one CSV file per
organisation, with teams and managers named in the file. The first person of each organisation is
its owner (organisation admin and manager); each team's first person manages the team.
"""

from __future__ import annotations

from typing import Any

from gilde.demo.data import FAMILY_NAMES, GIVEN_NAMES
from gilde.generator.services import Member, World, ascii_word, split
from gilde.people import importing
from gilde.people.models import Person
from gilde.tenancy.models import Membership, NetworkRoleKind, OrganisationKind, Role
from gilde.tenancy.services import (
    membership_update,
    network_create,
    network_membership_add,
    network_role_grant,
    organisation_create,
)

REGIONS = (
    "Twente", "Zuid-Limburg", "Drechtsteden", "Noord-Friesland", "Rivierenland", "Achterhoek",
    "West-Brabant", "Kop van Noord-Holland", "Zeeuws-Vlaanderen", "Gooi en Vecht", "Veluwe",
    "Westland", "Oost-Groningen", "Drenthe", "Haaglanden", "Flevoland", "De Peel", "Betuwe",
)  # fmt: skip
TRADES = (
    ("Bakkerij", "Verkoop"), ("Machinefabriek", "Productie"), ("Filmstudio", "Productie"),
    ("Rederij", "Vaart"), ("Opleidingscentrum", "Training"), ("Fietsenwinkel", "Werkplaats"),
    ("Installatiebedrijf", "Montage"), ("Drukkerij", "Productie"), ("Webwinkel", "Klantenservice"),
    ("Tuincentrum", "Verkoop"), ("Garage", "Werkplaats"), ("Koffiebranderij", "Branderij"),
    ("Boekhandel", "Winkel"), ("Timmerfabriek", "Werkplaats"), ("Kapsalon", "Salon"),
    ("Transportbedrijf", "Planning"), ("Schildersbedrijf", "Buitendienst"),
)  # fmt: skip
TEAMS = ("Kantoor", "Logistiek", "Verkoop", "Service", "Planning", "Inkoop", "Administratie")
CITIES = (
    "Enschede", "Hengelo", "Almelo", "Maastricht", "Heerlen", "Dordrecht", "Leeuwarden",
    "Tiel", "Doetinchem", "Breda", "Terneuzen", "Hilversum", "Apeldoorn", "Naaldwijk",
    "Winschoten", "Assen", "Den Haag", "Almere", "Helmond", "Culemborg", "Zwolle", "Deventer",
)  # fmt: skip
FUNCTIONS = (
    "medewerker", "allround medewerker", "monteur", "verkoper", "planner", "operator",
    "stagiair", "teamleider", "vakkracht", "leerling", "assistent", "specialist",
)  # fmt: skip
TEAM_SIZE = 9  # organisations above this size are split into teams of about this many

HEADER = [
    "Personeelsnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "E-mail", "Afdeling",
    "Functie", "Datum in dienst", "Leidinggevende",
]  # fmt: skip


def build(world: World) -> dict[str, int]:
    size, rng = world.size, world.rng
    per_network = split(size.organisations, size.networks, rng, least=2, skew=4.0)
    people_per_org = split(size.people, size.organisations, rng, least=2)
    names_used: set[str] = set()
    org_number = 0
    for n in range(size.networks):
        region = REGIONS[n % len(REGIONS)] + ("" if n < len(REGIONS) else f" {n // len(REGIONS)}")
        network = network_create(
            actor=None,
            name=f"Leernetwerk {region}",
            description=f"Kleine bedrijven in {region} die samen leren.",
            slug=f"leernetwerk-{n + 1:03d}",
        )
        world.networks.append(network)
        organisations = []
        for _ in range(per_network[n]):
            trade, workplace = TRADES[org_number % len(TRADES)]
            family = rng.choice(FAMILY_NAMES)
            name = f"{trade} {' '.join(p for p in family if p).title()}"
            if name in names_used:
                name = f"{name} {org_number + 1}"
            names_used.add(name)
            kind = OrganisationKind.TEMP_AGENCY if rng.random() < 0.03 else OrganisationKind.COMPANY
            organisation = organisation_create(
                actor=None,
                name=name,
                kind=kind,
                city=rng.choice(CITIES),
                slug=f"org-{org_number + 1:05d}",
            )
            network_membership_add(actor=None, network=network, organisation=organisation)
            _import_people(world, organisation, n, people_per_org[org_number], workplace)
            organisations.append(organisation)
            org_number += 1
            world.report("organisations and people", org_number, size.organisations)
        world.organisations.append(organisations)
        # The owner of the network's first organisation coordinates the network.
        coordinator = next(m.person for m in world.members if m.organisation == organisations[0])
        network_role_grant(
            actor=None, network=network, person=coordinator, role=NetworkRoleKind.COORDINATOR
        )
        world.coordinators.append(coordinator)
    Person.objects.filter(pk__in=[m.person.pk for m in world.members]).update(password=world.hash())
    return {
        "networks": len(world.networks),
        "organisations": org_number,
        "people": len(world.members),
    }


def _import_people(
    world: World, organisation: Any, network_index: int, count: int, workplace: str
) -> None:
    rng = world.rng
    domain = f"{organisation.slug}.example"
    rows: list[list[str]] = []
    teams = [workplace, *TEAMS][: max(1, -(-count // TEAM_SIZE))] if count > TEAM_SIZE else [""]
    owner_email = ""
    team_managers: dict[str, str] = {}
    for i in range(count):
        given = rng.choice(GIVEN_NAMES)
        infix, family = rng.choice(FAMILY_NAMES)
        email = f"{ascii_word(given)}.{ascii_word(infix + family)}.{i + 1}@{domain}"
        team = teams[i % len(teams)] if i else teams[0]
        if i == 0:
            owner_email, manager = email, ""
        elif team and team not in team_managers:
            team_managers[team] = email
            manager = owner_email
        else:
            manager = team_managers.get(team, owner_email)
        function = "eigenaar" if i == 0 else rng.choice(FUNCTIONS)
        started = world.day_back(6000, 30)
        rows.append(
            [
                f"{i + 1:04d}", given, infix, family, email, team, function,
                started.strftime("%d-%m-%Y"), manager,
            ]
        )  # fmt: skip
    content = "\n".join(";".join(row) for row in [HEADER, *rows]).encode()
    batch = importing.batch_create(
        actor=None, organisation=organisation, filename="personeel.csv", content=content
    )
    if any(team for team in teams):
        batch = importing.batch_remap(
            actor=None, batch=batch, mapping=batch.mapping, create_teams=True
        )
    importing.batch_apply(actor=None, batch=batch)

    memberships = {
        m.person.email: m
        for m in Membership.objects.filter(organisation=organisation).select_related(
            "person", "team", "manager"
        )
    }
    managers = {owner_email, *team_managers.values()}
    for row in rows:
        membership = memberships[row[4]]
        if row[4] in managers:
            roles = [Role.MANAGER, Role.LEARNER]
            if row[4] == owner_email:
                roles = [Role.ORG_ADMIN, Role.MANAGER, Role.AUTHOR, Role.LEARNER]
            membership_update(
                actor=None,
                membership=membership,
                team=membership.team,
                manager=membership.manager,
                function_title=membership.function_title,
                employee_number=membership.employee_number,
                roles=roles,
            )
        world.members.append(
            Member(
                person=membership.person,
                membership=membership,
                organisation=organisation,
                network_index=network_index,
                manager=membership.manager,
                is_manager=row[4] in managers,
            )
        )
