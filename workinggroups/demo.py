"""Demo: every working group the network has run, with its periods (issue 2's history)."""

from members.models import Organisation
from sectors.models import Sector

from .models import WorkingGroupIndexPage, WorkingGroupPage, WorkingGroupPeriod

# slug, title, sector slug, periods (start, end or None), purpose
GROUPS = [
    (
        "gaz-effet-de-serre",
        "Émissions de gaz à effet de serre",
        "gaz-effet-de-serre",
        [(2007, 2008), (2012, 2012)],
        "Intégrer le bilan carbone dans les critères d'attribution.",
    ),
    (
        "textiles",
        "Textiles",
        "textiles",
        [(2007, 2008), (2011, 2013)],
        "Vêtements de travail éco-conçus et issus du commerce équitable.",
    ),
    (
        "nettoyage",
        "Nettoyage des locaux",
        "nettoyage",
        [(2007, 2008), (2013, 2015)],
        "Prestations de nettoyage à faible impact environnemental avec volet social.",
    ),
    (
        "alimentation-restauration",
        "Alimentation et restauration collective",
        "alimentation-restauration",
        [(2016, 2018)],
        "Produits bio et locaux en restauration scolaire, dans le respect du code de la commande publique.",
    ),
    (
        "politique-achat",
        "Politique d'achat responsable",
        "politique-achat",
        [(2009, 2010)],
        "Rédiger et piloter un schéma de promotion des achats responsables (SPASER).",
    ),
    (
        "bois-mobilier",
        "Bois et mobilier",
        "bois-mobilier",
        [(2009, 2010)],
        "Bois certifié et mobilier durable, réparable et réemployé.",
    ),
    (
        "vehicules-mobilite",
        "Véhicules et mobilité",
        "vehicules-mobilite",
        [(2010, 2011), (2020, 2022)],
        "Flottes à faibles émissions et mobilité des agents.",
    ),
    (
        "groupements-commandes",
        "Groupements de commandes",
        "politique-achat",
        [(2010, 2011)],
        "Monter des achats groupés entre collectivités du réseau.",
    ),
    ("impression", "Impression et papier", "impression", [(2011, 2012)], "Papier recyclé et imprimeurs labellisés."),
    (
        "construction",
        "Construction et bâtiment",
        "construction-batiment",
        [(2011, 2013), (2021, None)],
        "Matériaux biosourcés, réemploi et chantiers à faibles nuisances.",
    ),
    (
        "prestations-intellectuelles",
        "Prestations intellectuelles",
        "prestations-intellectuelles",
        [(2012, 2014)],
        "Critères sociaux et environnementaux dans les marchés d'études.",
    ),
    (
        "gaz-electricite",
        "Gaz et électricité",
        "energie",
        [(2014, 2015)],
        "Achat d'énergie verte après la fin des tarifs réglementés.",
    ),
    (
        "marches-reserves",
        "Marchés réservés et insertion",
        "clauses-sociales",
        [(2014, 2016)],
        "Marchés réservés aux personnes éloignées de l'emploi ou en situation de handicap.",
    ),
    (
        "indicateurs",
        "Indicateurs et évaluation",
        "indicateurs-evaluation",
        [(2017, 2019)],
        "Mesurer les effets des achats responsables.",
    ),
    (
        "rse",
        "Responsabilité sociétale des entreprises",
        "rse",
        [(2016, 2017)],
        "Évaluer la RSE des candidats sans discriminer les PME.",
    ),
    (
        "voirie",
        "Voirie et routes durables",
        "voirie",
        [(2016, 2019)],
        "Enrobés recyclés et variantes environnementales en travaux routiers.",
    ),
    (
        "fournitures",
        "Fournitures de bureau et scolaires",
        "fournitures",
        [(2018, 2020)],
        "Fournitures éco-labellisées pour les services et les écoles.",
    ),
    (
        "economie-circulaire",
        "Économie circulaire",
        "economie-circulaire",
        [(2019, 2020)],
        "Réemploi, réutilisation et matières recyclées, en application de la loi AGEC.",
    ),
]


# Pilot authority and the person who leads the group, by group slug.
PILOTS = {
    "gaz-effet-de-serre": ("Région Pays de la Loire", "Chargée de mission climat"),
    "textiles": ("Ville de Nantes", "Sophie Le Goff, acheteuse publique"),
    "nettoyage": ("Rennes Métropole", "Yann Kerouac, responsable de la commande publique"),
    "alimentation-restauration": ("Ville de Nantes", "Responsable de la restauration scolaire"),
    "politique-achat": ("Région Bretagne", "Direction des achats"),
    "bois-mobilier": ("Département du Finistère", "Service patrimoine"),
    "vehicules-mobilite": ("Nantes Métropole", "Responsable du parc automobile"),
    "groupements-commandes": ("Département de Loire-Atlantique", "Service de la commande publique"),
    "impression": ("Département de Loire-Atlantique", "Responsable de la reprographie"),
    "construction": ("Angers Loire Métropole", "Direction du bâtiment"),
    "prestations-intellectuelles": ("Tours Métropole Val de Loire", "Service juridique et achats"),
    "gaz-electricite": ("Orléans Métropole", "Conseiller en énergie partagé"),
    "marches-reserves": ("Brest Métropole", "Facilitatrice des clauses sociales"),
    "indicateurs": ("Région Centre-Val de Loire", "Mission évaluation"),
    "rse": ("Ville de Rennes", "Direction de la commande publique"),
    "voirie": ("Département d'Ille-et-Vilaine", "Direction des routes"),
    "fournitures": ("Ville du Mans", "Service des moyens généraux"),
    "economie-circulaire": ("Lorient Agglomération", "Chargé de mission économie circulaire"),
}
PARTICIPANTS_PER_GROUP = 5


def load(demo):
    index = WorkingGroupIndexPage.objects.get()
    sectors = {s.slug: s for s in Sector.objects.all()}
    organisations = list(Organisation.objects.order_by("name"))
    by_name = {o.name: o for o in organisations}
    for number, (slug, title, sector, periods, purpose) in enumerate(GROUPS):
        pilot, pilot_name = PILOTS[slug]
        others = [o for o in organisations if o.name != pilot]
        participants = [by_name[pilot]] + [
            others[(number * 3 + step * 7) % len(others)] for step in range(PARTICIPANTS_PER_GROUP - 1)
        ]
        demo.child_page(
            index,
            WorkingGroupPage,
            slug,
            title=title,
            sector=sectors[sector],
            purpose=purpose,
            pilot_organisation=by_name[pilot],
            pilot_name=pilot_name,
            participants=participants,
            periods=[
                WorkingGroupPeriod(start_year=start, end_year=end, sort_order=order)
                for order, (start, end) in enumerate(periods)
            ],
        )
    demo.step(f"{len(GROUPS)} groupes de travail, avec pilotes et collectivités participantes")
