"""Demo: the page tree of DESIGN.md, legal pages, a members-only page and site settings."""

from wagtail.models import Page, PageViewRestriction, Site

from events.models import EventIndexPage
from members.services import members_only_groups
from resources.models import ResourceIndexPage
from search.models import SearchPage
from trainings.models import TrainingIndexPage
from workinggroups.models import WorkingGroupIndexPage

from . import demo_legal as legal_text
from .models import HomePage, SiteSettings, StandardPage

MISSION = (
    "<p>RESECO réunit environ 130 collectivités et établissements publics de Pays de la Loire, de "
    "Bretagne et du Centre-Val de Loire qui s'entraident pour acheter de façon responsable : "
    "critères environnementaux et sociaux dans les marchés publics, clauses d'insertion, "
    "économie circulaire.</p><p>Le réseau anime des <b>groupes de travail</b> par secteur d'achat, "
    "organise des <b>formations</b> avec l'ADEME, des webinaires et des rencontres avec les "
    "fournisseurs, et publie des guides et des modèles de cahiers des charges.</p>"
)


def _home_page(demo):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    fields = {
        "title": "Achetons responsable, ensemble",
        "intro": "Le réseau des acheteurs publics du Grand Ouest pour une commande publique durable.",
        "mission": MISSION,
        "body": [
            {
                "type": "key_figures",
                "value": {
                    "title": "Le réseau en chiffres",
                    "figures": [
                        {"value": "130", "caption": "collectivités et établissements membres"},
                        {"value": "20", "caption": "groupes de travail depuis 2007"},
                        {"value": "3", "caption": "régions : Pays de la Loire, Bretagne, Centre-Val de Loire"},
                    ],
                },
            },
        ],
    }
    if home is None:
        home = HomePage(slug="accueil", **fields)
        root.add_child(instance=home)
    else:
        for name, value in fields.items():
            setattr(home, name, value)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port, site.site_name, site.root_page = "localhost", 80, "RESECO", home
    site.save()
    # Wagtail's placeholder page is replaced by ours.
    Page.objects.filter(depth=2).exclude(pk=home.pk).exclude(slug__in=[home.slug]).filter(
        content_type__model="page"
    ).delete()
    return home


def _body(*paragraphs):
    return [{"type": "paragraph", "value": p} for p in paragraphs]


def load(demo):
    home = _home_page(demo)
    demo.step("page d'accueil")
    demo.child_page(
        home,
        EventIndexPage,
        "agenda",
        title="Agenda",
        intro="<p>Webinaires, journées thématiques, réunions des groupes de travail et rencontres fournisseurs.</p>",
    )
    demo.child_page(
        home,
        TrainingIndexPage,
        "formations",
        title="Formations",
        intro="<p>Les formations du réseau, dont deux sessions de trois jours par an avec l'ADEME.</p>",
    )
    demo.child_page(
        home,
        WorkingGroupIndexPage,
        "groupes-de-travail",
        title="Groupes de travail",
        intro="<p>Depuis 2007, les membres du réseau travaillent ensemble, secteur par secteur, et publient leurs travaux.</p>",
    )
    demo.child_page(
        home,
        ResourceIndexPage,
        "ressources",
        title="Ressources",
        intro="<p>Guides de bonnes pratiques, modèles de cahiers des charges, retours d'expérience et comptes rendus.</p>",
    )
    demo.child_page(home, SearchPage, "recherche", title="Recherche")
    demo.step("sections du site")

    legal = demo.child_page(
        home,
        StandardPage,
        "mentions-legales",
        title="Mentions légales",
        show_in_menus=False,
        intro=legal_text.LEGAL_NOTICE_INTRO,
        body=_body(*legal_text.LEGAL_NOTICE),
    )
    accessibility = demo.child_page(
        home,
        StandardPage,
        "accessibilite",
        title="Déclaration d'accessibilité",
        intro=legal_text.ACCESSIBILITY_INTRO,
        body=_body(*legal_text.ACCESSIBILITY),
    )
    personal_data = demo.child_page(
        home,
        StandardPage,
        "donnees-personnelles",
        title="Données personnelles",
        intro=legal_text.PERSONAL_DATA_INTRO,
        body=_body(*legal_text.PERSONAL_DATA),
    )
    demo.child_page(
        home,
        StandardPage,
        "le-reseau",
        title="Le réseau",
        intro="Qui sommes-nous ?",
        body=_body(
            "<p>Créé en 2007, RESECO est le réseau des acheteurs publics du Grand Ouest engagés pour des achats durables.</p>",
            "<p>Une équipe de cinq personnes anime les groupes de travail, les formations, un service d'assistance aux acheteurs et la veille juridique.</p>",
        ),
    )
    members_area = demo.child_page(
        home,
        StandardPage,
        "espace-membres",
        title="Espace membres",
        intro="Documents et informations réservés aux collectivités membres.",
        body=_body(
            "<p>Bienvenue dans l'espace réservé aux membres : comptes rendus des groupes de travail, documents de travail et annuaire des référents achats durables.</p>",
        ),
    )
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=members_area, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(members_only_groups())
    demo.step("pages légales et espace membres (réservé au groupe « Membres »)")

    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "contact_email": "contact@reseco.fr",
            "contact_phone": "02 40 00 00 00",
            "postal_address": "RESECO\n2 rue de la Commande publique\n44000 Nantes",
            "linkedin_url": "https://www.linkedin.com/company/reseco",
            "legal_notice_page": legal,
            "accessibility_page": accessibility,
            "personal_data_page": personal_data,
        },
    )
    demo.step("paramètres du site")
