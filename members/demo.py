"""Demo: member organisations of the three regions, suppliers, and the demo accounts."""

import datetime

from django.apps import apps as django_apps

from sectors.models import Sector

from .models import CompanySize, DemoAccount, Label, Organisation, OrganisationKind, Region, Supplier, User
from .moderation import set_up_moderation
from .services import grant_editor_permissions, sync_groups
from .validators import with_luhn_key

K, R = OrganisationKind, Region
ORGANISATIONS = [
    ("Région Pays de la Loire", K.REGION, R.PAYS_DE_LA_LOIRE, "Nantes", 2007),
    ("Département de Loire-Atlantique", K.DEPARTEMENT, R.PAYS_DE_LA_LOIRE, "Nantes", 2007),
    ("Nantes Métropole", K.INTERCOMMUNALITE, R.PAYS_DE_LA_LOIRE, "Nantes", 2007),
    ("Ville de Nantes", K.COMMUNE, R.PAYS_DE_LA_LOIRE, "Nantes", 2007),
    ("Angers Loire Métropole", K.INTERCOMMUNALITE, R.PAYS_DE_LA_LOIRE, "Angers", 2008),
    ("Ville du Mans", K.COMMUNE, R.PAYS_DE_LA_LOIRE, "Le Mans", 2009),
    ("Département de la Sarthe", K.DEPARTEMENT, R.PAYS_DE_LA_LOIRE, "Le Mans", 2012),
    ("Ville de Saint-Nazaire", K.COMMUNE, R.PAYS_DE_LA_LOIRE, "Saint-Nazaire", 2010),
    ("Ville de Laval", K.COMMUNE, R.PAYS_DE_LA_LOIRE, "Laval", 2014),
    ("La Roche-sur-Yon Agglomération", K.INTERCOMMUNALITE, R.PAYS_DE_LA_LOIRE, "La Roche-sur-Yon", 2016),
    ("CHU de Nantes", K.HOPITAL, R.PAYS_DE_LA_LOIRE, "Nantes", 2011),
    ("Université d'Angers", K.UNIVERSITE, R.PAYS_DE_LA_LOIRE, "Angers", 2015),
    ("Région Bretagne", K.REGION, R.BRETAGNE, "Rennes", 2007),
    ("Rennes Métropole", K.INTERCOMMUNALITE, R.BRETAGNE, "Rennes", 2007),
    ("Ville de Rennes", K.COMMUNE, R.BRETAGNE, "Rennes", 2008),
    ("Brest Métropole", K.INTERCOMMUNALITE, R.BRETAGNE, "Brest", 2009),
    ("Département du Finistère", K.DEPARTEMENT, R.BRETAGNE, "Quimper", 2010),
    ("Département d'Ille-et-Vilaine", K.DEPARTEMENT, R.BRETAGNE, "Rennes", 2008),
    ("Lorient Agglomération", K.INTERCOMMUNALITE, R.BRETAGNE, "Lorient", 2013),
    ("Ville de Vannes", K.COMMUNE, R.BRETAGNE, "Vannes", 2018),
    ("Université de Rennes", K.UNIVERSITE, R.BRETAGNE, "Rennes", 2017),
    ("Région Centre-Val de Loire", K.REGION, R.CENTRE_VAL_DE_LOIRE, "Orléans", 2012),
    ("Tours Métropole Val de Loire", K.INTERCOMMUNALITE, R.CENTRE_VAL_DE_LOIRE, "Tours", 2013),
    ("Orléans Métropole", K.INTERCOMMUNALITE, R.CENTRE_VAL_DE_LOIRE, "Orléans", 2014),
    ("Département d'Indre-et-Loire", K.DEPARTEMENT, R.CENTRE_VAL_DE_LOIRE, "Tours", 2015),
    ("Ville de Blois", K.COMMUNE, R.CENTRE_VAL_DE_LOIRE, "Blois", 2016),
    ("Chartres Métropole", K.INTERCOMMUNALITE, R.CENTRE_VAL_DE_LOIRE, "Chartres", 2019),
    ("CHU de Tours", K.HOPITAL, R.CENTRE_VAL_DE_LOIRE, "Tours", 2020),
    (
        "Service départemental d'incendie et de secours de Loire-Atlantique",
        K.ETABLISSEMENT_PUBLIC,
        R.PAYS_DE_LA_LOIRE,
        "La Chapelle-sur-Erdre",
        2018,
    ),
    ("Syndicat mixte Mégalis Bretagne", K.ETABLISSEMENT_PUBLIC, R.BRETAGNE, "Cesson-Sévigné", 2019),
    ("Ville d'Angers", K.COMMUNE, R.PAYS_DE_LA_LOIRE, "Angers", 2008),  # coordinates a grouped purchase
]
# A former member, so membership counts per year differ.
FORMER = ("Ville de Cholet", K.COMMUNE, R.PAYS_DE_LA_LOIRE, "Cholet", 2009, datetime.date(2019, 12, 31))

SUPPLIERS = [
    (
        "Textiles Solidaires de l'Ouest",
        CompanySize.PME,
        "Cholet",
        ["textiles", "clauses-sociales"],
        ["Commerce équitable (Fairtrade)", "Écolabel européen"],
    ),
    ("Nettoyage Vert Atlantique", CompanySize.PME, "Saint-Herblain", ["nettoyage"], ["Écolabel européen", "ISO 14001"]),
    ("Bois et Mobilier d'Armor", CompanySize.TPE, "Lamballe", ["bois-mobilier"], ["PEFC", "FSC"]),
    (
        "Restauration Bio du Val de Loire",
        CompanySize.ETI,
        "Tours",
        ["alimentation-restauration"],
        ["Agriculture biologique (AB)", "ISO 14001"],
    ),
    ("Imprimerie Coopérative Rennaise", CompanySize.TPE, "Rennes", ["impression"], ["FSC", "NF Environnement"]),
    (
        "Atelier Réemploi Mobilier ESAT",
        CompanySize.TPE,
        "Angers",
        ["economie-circulaire", "bois-mobilier", "clauses-sociales"],
        ["Entreprise adaptée / ESAT"],
    ),
]

DEMO_PASSWORD = "reseco-demo-2026"
ACCOUNTS = [
    # email, first, last, role, organisation, supplier, staff/superuser
    ("admin@reseco.fr", "Claire", "Administratrice", "Directrice du réseau", None, None, "admin"),
    ("editeur@reseco.fr", "Julien", "Morel", "Chargé de mission achats durables", None, None, "editor"),
    ("membre@nantes.fr", "Sophie", "Le Goff", "Acheteuse publique", "Ville de Nantes", None, ""),
    ("membre@rennes.fr", "Yann", "Kerouac", "Responsable de la commande publique", "Rennes Métropole", None, ""),
    ("ancien@cholet.fr", "Paul", "Bernard", "Acheteur", "Ville de Cholet", None, ""),
    (
        "fournisseur@textiles-ouest.fr",
        "Amélie",
        "Durand",
        "Responsable RSE",
        None,
        "Textiles Solidaires de l'Ouest",
        "",
    ),
]


def _siren(index):
    return with_luhn_key(f"2{index:07d}")


def _siret(index):
    siren = with_luhn_key(f"8{index:07d}")
    return with_luhn_key(f"{siren}0001")


def load(demo):
    for index, (name, kind, region, city, since) in enumerate(ORGANISATIONS, start=1):
        Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "region": region,
                "city": city,
                "siren": _siren(index),
                "member_since": datetime.date(since, 1, 1),
                "member_until": None,
                "active": True,
            },
        )
    name, kind, region, city, since, until = FORMER
    Organisation.objects.update_or_create(
        name=name,
        defaults={
            "kind": kind,
            "region": region,
            "city": city,
            "siren": _siren(99),
            "member_since": datetime.date(since, 1, 1),
            "member_until": until,
            "active": True,
        },
    )
    demo.step(f"{len(ORGANISATIONS) + 1} organisations membres")

    for index, (name, size, city, sectors, labels) in enumerate(SUPPLIERS, start=1):
        supplier, _ = Supplier.objects.update_or_create(
            siret=_siret(index), defaults={"name": name, "size": size, "city": city}
        )
        supplier.sectors.set(Sector.objects.filter(slug__in=sectors))
        supplier.labels.set(Label.objects.filter(name__in=labels))
    demo.step(f"{len(SUPPLIERS)} fournisseurs")

    editors = grant_editor_permissions()
    set_up_moderation(django_apps)  # the French workflow, also on a database built before its migration
    kept = []
    for email, first, last, role, organisation, supplier, kind in ACCOUNTS:
        user = _demo_account(email)
        if user is None:
            kept.append(email)
            continue
        user.first_name, user.last_name, user.job_title = first, last, role
        user.organisation = Organisation.objects.get(name=organisation) if organisation else None
        user.supplier = Supplier.objects.get(name=supplier) if supplier else None
        user.is_staff = kind in ("admin", "editor")
        user.is_superuser = kind == "admin"
        user.set_password(DEMO_PASSWORD)
        user.save()
        DemoAccount.objects.get_or_create(email=email)
        sync_groups(user)
        if kind == "editor":
            user.groups.add(editors)
    demo.step(f"comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
    if kept:
        demo.step(f"{len(kept)} compte(s) effacé(s) ou désactivé(s) laissé(s) tel(s) quel(s)")


def _demo_account(email):
    """The demo account to (re)set, or None when it must stay as it is: erased since (its address
    is anonymised, so only the record of its creation tells), deleted, or deactivated."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return None if DemoAccount.objects.filter(email=email).exists() else User(email=email)
    return user if user.is_active and user.has_usable_password() else None
