"""Demo: a year of past events and the coming months — webinars, a monthly working-group meeting
(one date cancelled, one moved), awareness days, a feedback day, a market-engagement meeting."""

import datetime

from django.utils import timezone

from registrations.models import Occurrence, OccurrenceStatus
from registrations.occurrences import cancel_occurrence, reschedule_occurrence
from sectors.models import Sector
from workinggroups.models import WorkingGroupPage

from .models import EventIndexPage, EventPage
from .schedule import local_zone, nth_weekday

NANTES = "Maison de l'environnement, 2 rue de la Loire, 44000 Nantes"
RENNES = "Rennes Métropole, 4 avenue Henri Fréville, 35200 Rennes"
ANGERS = "Hôtel de ville, boulevard de la Résistance et de la Déportation, 49000 Angers"
VISIO = "https://visio.reseco.fr/salle-"


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), local_zone())


def _weekday_on_or_after(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _programme(*items):
    return [{"type": "paragraph", "value": f"<p>{item}</p>"} for item in items]


# slug, title, kind, days from today, hour, minutes long, format, sector slug, group slug, audience, summary
SINGLE_EVENTS = [
    (
        "webinaire-clauses-sociales",
        "Webinaire : les clauses sociales dans les marchés de nettoyage",
        "webinar",
        -330,
        11,
        60,
        "online",
        "clauses-sociales",
        None,
        "everyone",
        "Retour sur les heures d'insertion réalisées et les bonnes pratiques de suivi.",
    ),
    (
        "journee-achats-alimentaires",
        "Journée de sensibilisation : achats alimentaires durables (loi EGalim)",
        "awareness_day",
        -290,
        9,
        420,
        "in_person",
        "alimentation-restauration",
        None,
        "everyone",
        "Comprendre les obligations EGalim et construire un allotissement favorable aux producteurs locaux.",
    ),
    (
        "webinaire-bilan-carbone",
        "Webinaire : intégrer le bilan carbone dans l'analyse des offres",
        "webinar",
        -250,
        14,
        90,
        "online",
        "gaz-effet-de-serre",
        None,
        "everyone",
        "Méthodes de notation et exemples de critères GES.",
    ),
    (
        "retour-experience-textiles",
        "Journée retour d'expérience : vêtements de travail éco-conçus",
        "feedback_day",
        -200,
        9,
        450,
        "in_person",
        "textiles",
        "textiles",
        "members",
        "Trois collectivités présentent leurs marchés de vêtements de travail et leurs résultats.",
    ),
    (
        "webinaire-materiaux-biosources",
        "Webinaire : matériaux biosourcés dans la construction publique",
        "webinar",
        -150,
        11,
        60,
        "online",
        "construction-batiment",
        None,
        "everyone",
        "Panorama des filières régionales et clauses types.",
    ),
    (
        "evenement-economie-circulaire",
        "Rencontre thématique : réemploi et économie circulaire",
        "thematic",
        -90,
        9,
        240,
        "hybrid",
        "economie-circulaire",
        None,
        "everyone",
        "Le réemploi du mobilier et des matériaux : retours de terrain.",
    ),
    (
        "webinaire-energie",
        "Webinaire : achats d'énergie verte et garanties d'origine",
        "webinar",
        -30,
        11,
        60,
        "online",
        "energie",
        None,
        "everyone",
        "Ce que valent les offres vertes et comment les comparer.",
    ),
    (
        "webinaire-indicateurs",
        "Webinaire : suivre les indicateurs d'achat responsable",
        "webinar",
        12,
        11,
        60,
        "online",
        "indicateurs-evaluation",
        None,
        "everyone",
        "Quels indicateurs pour le schéma de promotion des achats socialement et écologiquement responsables (SPASER) ?",
    ),
    (
        "journee-vehicules-propres",
        "Journée de sensibilisation : véhicules propres et mobilité",
        "awareness_day",
        40,
        9,
        420,
        "in_person",
        "vehicules-mobilite",
        None,
        "everyone",
        "Obligations de la loi LOM, mutualisation des flottes, retours d'expérience.",
    ),
    (
        "sourcage-economie-circulaire",
        "Rencontre fournisseurs : mobilier de réemploi",
        "market_engagement",
        55,
        14,
        180,
        "in_person",
        "economie-circulaire",
        "economie-circulaire",
        "suppliers",
        "Le groupe de travail rencontre des entreprises du réemploi de mobilier avant son prochain marché.",
    ),
    (
        "retour-experience-restauration",
        "Journée retour d'expérience : restauration collective bio et locale",
        "feedback_day",
        75,
        9,
        450,
        "in_person",
        "alimentation-restauration",
        "alimentation-restauration",
        "members",
        "Les cuisines centrales du réseau partagent leurs marchés et leurs chiffres.",
    ),
]


def load(demo):
    agenda = EventIndexPage.objects.first()
    if agenda is None:
        return
    today = timezone.localdate()
    sectors = {s.slug: s for s in Sector.objects.all()}
    groups = {g.slug: g for g in WorkingGroupPage.objects.all()}
    for slug, title, kind, days, hour, minutes, fmt, sector, group, audience, summary in SINGLE_EVENTS:
        day = today + datetime.timedelta(days=days)
        start = _at(day, hour)
        demo.child_page(
            agenda,
            EventPage,
            slug,
            title=title,
            kind=kind,
            summary=summary,
            start=start,
            end=start + datetime.timedelta(minutes=minutes),
            format=fmt,
            location="" if fmt == "online" else [NANTES, RENNES, ANGERS][len(slug) % 3],
            online_url=f"{VISIO}{slug}" if fmt in ("online", "hybrid") else "",
            sector=sectors.get(sector),
            working_group=groups.get(group) if group else None,
            audience=audience,
            capacity={"webinar": 100, "market_engagement": 8}.get(kind, 40),
            seats_per_organisation=2 if kind == "feedback_day" else None,
            registration_questions=["dietary", "accessibility"] if minutes > 300 else ["role"],
            partners="ADEME" if kind == "awareness_day" else "",
            programme=_programme(
                "Accueil et tour de table.", "Interventions et retours d'expérience.", "Questions et échanges."
            ),
        )
    demo.step(f"{len(SINGLE_EVENTS)} événements ponctuels (passés et à venir)")
    _monthly_meeting(demo, agenda, today, sectors, groups)
    _awareness_week(demo, agenda, today, sectors)


def _monthly_meeting(demo, agenda, today, sectors, groups):
    """The construction group's meeting, every 2nd Tuesday at 9:30, from six months ago, no end."""
    first = _weekday_on_or_after(today.replace(day=1) - datetime.timedelta(days=180), 1)
    while nth_weekday(first) != 2:
        first += datetime.timedelta(days=7)
    start = _at(first, 9, 30)
    page = demo.child_page(
        agenda,
        EventPage,
        "groupe-construction-reunion-mensuelle",
        title="Groupe de travail Construction : réunion mensuelle",
        kind="working_group_meeting",
        summary="Avancement du guide des clauses environnementales pour les marchés de travaux.",
        start=start,
        end=_at(first, 12),
        repeat="monthly_weekday",
        format="hybrid",
        location=NANTES,
        online_url=f"{VISIO}gt-construction",
        sector=sectors.get("construction-batiment"),
        working_group=groups.get("construction"),
        audience="members",
        capacity=25,
        registration_questions=["role"],
    )
    upcoming = list(Occurrence.objects.filter(page=page, start__gte=timezone.now()).order_by("original_start")[:4])
    already_done = Occurrence.objects.filter(page=page, detached=True).exists()  # idempotent
    if len(upcoming) >= 4 and not already_done:
        cancel_occurrence(upcoming[1], reason="Réunion annulée : indisponibilité de la salle et de l'animatrice.")
        moved = upcoming[3]
        day = moved.start.astimezone(local_zone()).date() + datetime.timedelta(days=2)
        reschedule_occurrence(
            moved, start=_at(day, 14), end=_at(day, 16, 30), reason="Déplacée au jeudi après-midi (visite de chantier)."
        )
    cancelled = Occurrence.objects.filter(page=page, status=OccurrenceStatus.CANCELLED).count()
    demo.step(f"réunion mensuelle du groupe Construction ({page.occurrences.count()} dates, {cancelled} annulée)")


def _awareness_week(demo, agenda, today, sectors):
    """An all-day, several-day event held every year (with an exception date)."""
    first = _weekday_on_or_after(today + datetime.timedelta(days=100), 1)
    demo.child_page(
        agenda,
        EventPage,
        "semaine-achats-responsables",
        title="Semaine régionale des achats responsables",
        kind="awareness_day",
        summary="Trois journées d'ateliers ouverts à tous les acheteurs publics du Grand Ouest.",
        start=_at(first, 9),
        end=_at(first + datetime.timedelta(days=2), 17),
        all_day=True,
        repeat="yearly",
        format="in_person",
        location=RENNES,
        sector=sectors.get("politique-achat"),
        capacity=150,
        partners="ADEME, Région Bretagne",
    )
    demo.step("semaine régionale des achats responsables (plusieurs jours, annuelle)")
