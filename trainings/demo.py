"""Demo: the training catalogue, with past and future runs (dates relative to today).

- a three-day ADEME training on sustainable public procurement (free for members);
- a one-day course on social clauses (paid, members and non-members);
- a webinar series on responsible purchasing (free, online).

Runs are updated in place (their stable keys kept), so running it twice leaves the same rows."""

import datetime
import io
from decimal import Decimal

from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images.models import Image

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from sectors.models import Sector

from .models import TrainingPage, TrainingRun

ADEME_LOGO_TITLE = "Logo ADEME"


def _at(days, hour, minute=0, *, weekday=1):
    """``days`` from today, moved on to the next ``weekday`` (1 = Tuesday), at ``hour``:``minute``."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _days(start, count, hour=17):
    """The end of a run of ``count`` consecutive days beginning at ``start``."""
    last = timezone.localtime(start).date() + datetime.timedelta(days=count - 1)
    return timezone.make_aware(datetime.datetime.combine(last, datetime.time(hour)))


def _run(days, count, **fields):
    start = _at(days, 9)
    return {"start": start, "end": _days(start, count), **fields}


def _session(start, end, title, content=""):
    return {"start": datetime.time(*start), "end": datetime.time(*end), "title": title, "content": content}


def _day(title, *sessions):
    return {"type": "day", "value": {"title": title, "sessions": list(sessions)}}


def _trainer(name, role):
    return {"type": "trainer", "value": {"name": name, "role": role}}


def _logo():
    """A small generated logo for the ADEME partner (no file shipped with the demo)."""
    image = Image.objects.filter(title=ADEME_LOGO_TITLE).first()
    if image is not None:
        return image
    canvas = PILImage.new("RGB", (320, 160), (0, 94, 168))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((16, 16, 304, 144), outline=(255, 255, 255), width=6)
    draw.text((160, 80), "ADEME", fill=(255, 255, 255), font=ImageFont.load_default(size=56), anchor="mm")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(title=ADEME_LOGO_TITLE, file=ImageFile(buffer, name="logo-ademe.png"))


def _runs(page, wanted):
    """The page's runs set to ``wanted`` (dicts), reusing existing rows in order (keys kept)."""
    existing = list(page.runs.all()) if page and page.pk else []
    runs = []
    for index, fields in enumerate(wanted):
        run = existing[index] if index < len(existing) else TrainingRun()
        for name, value in fields.items():
            setattr(run, name, value)
        run.sort_order = index
        runs.append(run)
    return runs


DEFAULTS = {
    "partner_name": "",
    "partner_logo": None,
    "partner_url": "",
    "audience": "everyone",
    "prerequisites": "",
    "vat_rate": Decimal("20.00"),
    "free_for_members": False,
}


def _training(demo, catalogue, slug, runs, **fields):
    page = TrainingPage.objects.child_of(catalogue).filter(slug=slug).first()
    return demo.child_page(catalogue, TrainingPage, slug, runs=_runs(page, runs), **{**DEFAULTS, **fields})


ANGERS = "Maison de l'ADEME Pays de la Loire\n5 boulevard Maréchal Foch\n49000 Angers"
RENNES = "Espace des Lices — salle Du Guesclin\n8 place des Lices\n35000 Rennes"
NANTES = "Hôtel de Région des Pays de la Loire\n1 rue de la Loire\n44000 Nantes"


def load(demo):
    catalogue = demo.page("/formations/")
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    general = next(iter(sectors.values()), None)

    _training(
        demo,
        catalogue,
        "achats-publics-durables-ademe",
        title="Achats publics durables : intégrer l'environnement dans vos marchés",
        intro="Trois jours avec l'ADEME pour construire des marchés publics qui réduisent vraiment leur empreinte.",
        objectives=(
            "<ul><li>Connaître le cadre juridique de l'achat public durable (loi Climat et résilience, SPASER).</li>"
            "<li>Rédiger des spécifications techniques et des critères environnementaux vérifiables.</li>"
            "<li>Utiliser les labels, l'analyse du cycle de vie et le coût global.</li>"
            "<li>Suivre l'exécution : clauses, indicateurs, dialogue avec les titulaires.</li></ul>"
        ),
        target_audience="<p>Acheteurs, juristes de la commande publique et prescripteurs des collectivités.</p>",
        prerequisites="<p>Connaître les bases de la procédure de passation des marchés publics.</p>",
        duration_hours=Decimal("21"),
        programme=[
            _day(
                "Jour 1 : le cadre et la stratégie",
                _session((9, 0), (12, 30), "Loi Climat et résilience : ce qui change en 2026"),
                _session((13, 30), (17, 0), "Construire son schéma de promotion des achats (SPASER)"),
            ),
            _day(
                "Jour 2 : rédiger le marché",
                _session((9, 0), (12, 30), "Spécifications techniques, labels et écolabels"),
                _session((13, 30), (17, 0), "Critères d'attribution et coût du cycle de vie"),
            ),
            _day(
                "Jour 3 : exécuter et mesurer",
                _session((9, 0), (12, 30), "Clauses d'exécution et suivi des engagements"),
                _session((13, 30), (17, 0), "Atelier : vos marchés à venir"),
            ),
        ],
        trainers=[
            _trainer("Hélène Carré", "chargée de mission achats durables, ADEME Pays de la Loire"),
            _trainer("Yann Le Roux", "animateur du réseau RESECO"),
        ],
        partner_name="ADEME",
        partner_logo=_logo(),
        partner_url="https://www.ademe.fr/",
        sector=sectors.get("politique-achat") or general,
        format="in_person",
        price_member=Decimal("0"),
        price_non_member=Decimal("450.00"),
        free_for_members=True,
        cancellation_deadline_days=15,
        late_cancellation_charge=100,
        runs=[
            _run(-170, 3, location=ANGERS, capacity=20, seats_per_organisation=3),
            _run(45, 3, location=RENNES, capacity=20, seats_per_organisation=3),
            _run(200, 3, location=ANGERS, capacity=20, seats_per_organisation=3),
        ],
    )
    _training(
        demo,
        catalogue,
        "clauses-sociales",
        title="Les clauses sociales dans la commande publique",
        intro="Une journée pour réserver des heures d'insertion et des lots aux structures de l'économie sociale et solidaire.",
        objectives=(
            "<ul><li>Choisir entre clause d'exécution, critère et marché réservé.</li>"
            "<li>Calibrer un volume d'heures d'insertion et travailler avec le facilitateur.</li>"
            "<li>Contrôler la réalisation des engagements.</li></ul>"
        ),
        target_audience="<p>Acheteurs, responsables de l'insertion et élus délégués.</p>",
        duration_hours=Decimal("7"),
        programme=[
            _day(
                "Une journée",
                _session((9, 30), (12, 30), "Les outils juridiques : articles L. 2113-12 à L. 2113-16"),
                _session((13, 30), (16, 30), "Cas pratiques avec les facilitateurs du territoire"),
            )
        ],
        trainers=[_trainer("Sophie Bernard", "facilitatrice des clauses sociales, Nantes Métropole")],
        sector=sectors.get("clauses-sociales") or general,
        format="in_person",
        price_member=Decimal("150.00"),
        price_non_member=Decimal("300.00"),
        cancellation_deadline_days=10,
        late_cancellation_charge=50,
        runs=[
            {
                "start": _at(-60, 9, 30, weekday=3),
                "end": _at(-60, 16, 30, weekday=3),
                "location": NANTES,
                "capacity": 25,
            },
            {
                "start": _at(36, 9, 30, weekday=3),
                "end": _at(36, 16, 30, weekday=3),
                "location": NANTES,
                "capacity": 25,
                "seats_per_organisation": 2,
            },
        ],
    )
    _training(
        demo,
        catalogue,
        "webinaires-achat-responsable",
        title="Webinaires : l'achat responsable en une heure et demie",
        intro="Un cycle de webinaires pour découvrir, thème par thème, les leviers de l'achat public responsable.",
        objectives="<p>Découvrir un levier d'achat responsable par séance et repartir avec des exemples de clauses.</p>",
        target_audience="<p>Tous les agents intéressés, débutants bienvenus.</p>",
        duration_hours=Decimal("1.5"),
        programme=[],
        trainers=[_trainer("L'équipe RESECO", "animation du réseau")],
        sector=sectors.get("economie-circulaire") or general,
        format="online",
        price_member=Decimal("0"),
        price_non_member=Decimal("0"),
        cancellation_deadline_days=0,
        late_cancellation_charge=0,
        runs=[
            {
                "start": _at(days, 11, weekday=4),
                "end": _at(days, 12, 30, weekday=4),
                "location": "",
                "online_url": "https://visio.reseco.fr/webinaire",
                "capacity": 100,
            }
            for days in (-90, -30, 14, 42, 70)
        ],
    )
    demo.step("catalogue de formations (ADEME, clauses sociales, webinaires)")
