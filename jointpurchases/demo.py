"""Demo: /achats-groupes/ with two grouped purchases — the fair-trade coffee of Ville d'Angers and
Angers Loire Métropole, open for interest, and a canteen purchase of five municipalities,
awarded and public."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Site

from members.models import Organisation
from resources.demo import document
from resources.models import ExamplePage, GuidePage
from resources.services import members_documents_collection
from sectors.models import Sector

from .models import JointPurchaseIndexPage, JointPurchasePage, Lot, LotQuantity, Participation, ParticipationStatus


def _lots(page, lots):
    """Lots found by name, so their keys (and the declarations on them) survive a reload."""
    existing = {lot.name: lot for lot in page.lots.all()}
    page.lots = [existing.get(name) or Lot(name=name, unit=unit) for name, unit in lots]


def _declare(page, organisation, status, contact, email, quantities):
    participation, _created = Participation.objects.update_or_create(
        purchase=page,
        organisation=organisation,
        defaults={"status": status, "contact_name": contact, "contact_email": email},
    )
    keys = {lot.name: lot.key for lot in page.lots.all()}
    for name, quantity in quantities.items():
        LotQuantity.objects.update_or_create(
            participation=participation, lot_key=keys[name], defaults={"quantity": quantity}
        )


def load(demo):
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = demo.child_page(
        home,
        JointPurchaseIndexPage,
        "achats-groupes",
        title="Achats groupés",
        intro="<p>Les groupements de commandes du réseau : une collectivité coordonne, les autres déclarent "
        "leurs besoins, signent la convention, et un seul marché est passé pour tous.</p>",
    )
    sectors = {s.slug: s for s in Sector.objects.all()}
    food = sectors.get("alimentation-restauration")
    orgs = {o.name: o for o in Organisation.objects.all()}
    angers = orgs["Ville d'Angers"]  # members/demo.py
    alm = orgs["Angers Loire Métropole"]
    today = timezone.localdate()
    convention = document(
        "Convention constitutive — groupement café équitable", "convention-cafe.pdf", members_documents_collection()
    )

    coffee = demo.child_page(
        index,
        JointPurchasePage,
        "cafe-equitable-angers",
        title="Café issu du commerce équitable (Angers)",
        summary="<p>La Ville d'Angers et Angers Loire Métropole coordonnent un groupement de commandes de café "
        "issu du commerce équitable et de l'agriculture biologique, pour les services, les écoles et les "
        "réceptions. Déclarez vos besoins annuels estimés par lot.</p>",
        sector=food,
        coordinator=angers,
        convention=convention,
        interest_deadline=today + datetime.timedelta(days=21),
        convention_deadline=today + datetime.timedelta(days=60),
        tender_deadline=today + datetime.timedelta(days=90),
        award_deadline=today + datetime.timedelta(days=150),
        execution_start=today + datetime.timedelta(days=180),
        awarded=False,
    )
    _lots(coffee, [("Café en grains", "kg"), ("Café moulu", "kg")])
    coffee.co_coordinators = [alm]
    coffee.save_revision().publish()
    coffee.refresh_from_db()
    _declare(
        coffee,
        orgs["Université d'Angers"],
        ParticipationStatus.INTERESTED,
        "Service achats",
        "achats@univ-angers.example",
        {"Café en grains": 420, "Café moulu": 150},
    )
    _declare(
        coffee,
        orgs["Ville du Mans"],
        ParticipationStatus.INTERESTED,
        "Direction de la commande publique",
        "commande.publique@lemans.example",
        {"Café moulu": 800},
    )
    demo.step("groupement « café équitable » (Angers), ouvert aux déclarations d'intérêt")

    guide = GuidePage.objects.filter(slug="guide-restauration-collective-durable").first()
    example = ExamplePage.objects.filter(slug="produits-bio-restauration-scolaire").first()
    municipalities = [angers] + [
        orgs[name] for name in ("Ville de Nantes", "Ville du Mans", "Ville de Saint-Nazaire", "Ville de Laval")
    ]
    canteen = demo.child_page(
        index,
        JointPurchasePage,
        "denrees-restauration-scolaire",
        title="Denrées bio et durables pour la restauration scolaire",
        summary="<p>Cinq communes ont acheté ensemble les denrées de leurs cantines scolaires : produits "
        "biologiques, de saison et sous signe de qualité, conformément à la loi EGalim.</p>",
        sector=food,
        coordinator=orgs["Ville de Nantes"],
        interest_deadline=datetime.date(2025, 1, 31),
        convention_deadline=datetime.date(2025, 3, 15),
        tender_deadline=datetime.date(2025, 4, 15),
        award_deadline=datetime.date(2025, 7, 1),
        execution_start=datetime.date(2025, 9, 1),
        awarded=True,
        outcome="<p>Un accord-cadre en quatre lots (fruits et légumes, produits laitiers, viandes, épicerie), "
        "attribué en juillet 2025 : 1,2 million de repas par an, 32 % de produits bio, 58 % de produits "
        "durables et de qualité.</p>",
        criteria="<ul><li>Prix : 40 %</li><li>Performance environnementale (saisonnalité, emballages, "
        "transport) : 30 %</li><li>Qualité gustative : 20 %</li><li>Insertion sociale : 10 %</li></ul>",
        resource=example or guide,
    )
    _lots(canteen, [("Repas servis", "repas")])
    canteen.save_revision().publish()
    canteen.refresh_from_db()
    meals = [450_000, 300_000, 200_000, 150_000, 100_000]
    for org, count in zip(municipalities, meals, strict=True):
        _declare(
            canteen,
            org,
            ParticipationStatus.SIGNED,
            "Service restauration",
            f"restauration@{slugify(org.name)}.example",
            {"Repas servis": count},
        )
    demo.step("groupement « restauration scolaire » de cinq communes, attribué (page publique)")
