"""The library: tree rules, resource types, criteria, filters, privacy, downloads."""

from wagtail.blocks import StructBlockValidationError
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

import pytest

from helpdesk.models import FaqPage
from home.models import HomePage, StandardPage
from resources.blocks import CriterionBlock
from resources.models import (
    ExamplePage,
    GuidePage,
    MinutesPage,
    ReportPage,
    ResourceDocument,
    ResourceIndexPage,
    ResourcePage,
    ResourceType,
    TenderTemplatePage,
    ToolPage,
)
from sectors.models import Sector
from tests.factories import EditorFactory, MemberFactory, SupplierContactFactory, UserFactory
from tests.factories.library import (
    WAGTAIL_DECIDES,
    DocumentFactory,
    ExamplePageFactory,
    GuidePageFactory,
    MinutesPageFactory,
    TenderTemplatePageFactory,
    members_document,
    publish,
    wagtail_allows,
)

pytestmark = pytest.mark.django_db


class TestTree(WagtailPageTestCase):
    def test_library_children(self):
        self.assertAllowedSubpageTypes(
            ResourceIndexPage, {GuidePage, TenderTemplatePage, ExamplePage, MinutesPage, ReportPage, ToolPage, FaqPage}
        )

    def test_resources_live_in_the_library_only(self):
        for model in (GuidePage, TenderTemplatePage, ExamplePage, MinutesPage, ReportPage, ToolPage):
            self.assertAllowedParentPageTypes(model, {ResourceIndexPage})
            self.assertAllowedSubpageTypes(model, set())
            self.assertCanNotCreateAt(HomePage, model)
            self.assertCanNotCreateAt(StandardPage, model)

    def test_shared_base_is_not_created_on_its_own(self):
        assert not ResourcePage.is_creatable
        assert ResourcePage not in ResourceIndexPage.creatable_subpage_models()


def test_each_type_sets_its_resource_type(library):
    expected = {
        GuidePageFactory: ResourceType.GUIDE,
        TenderTemplatePageFactory: ResourceType.TEMPLATE,
        ExamplePageFactory: ResourceType.EXAMPLE,
        MinutesPageFactory: ResourceType.MINUTES,
    }
    for factory, resource_type in expected.items():
        page = factory(parent=library["index"])
        assert ResourcePage.objects.get(pk=page.pk).resource_type == resource_type


def test_group_reads_its_deliverables(library):
    guide = GuidePageFactory(parent=library["index"], working_group=library["group"])
    assert list(library["group"].resources.all()) == [guide.resourcepage_ptr]


def test_award_criterion_needs_a_weighting_and_others_refuse_one():
    block = CriterionBlock()
    base = {"text": "<p>Critère</p>", "legal_basis": "", "verification": "label", "verification_details": ""}
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({**base, "placement": "award", "weighting": None}))
    assert "weighting" in error.value.block_errors
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**base, "placement": "selection", "weighting": 20}))
    assert block.clean(block.to_python({**base, "placement": "award", "weighting": 30}))["weighting"] == 30


def test_guide_page_shows_its_criteria(client, library):
    criterion = {
        "text": "<p>Papier 100 % recyclé</p>",
        "placement": "award",
        "weighting": 30,
        "legal_basis": "Code de la commande publique, art. R2152-7",
        "verification": "label",
        "verification_details": "Ange bleu ou équivalent",
    }
    guide = GuidePageFactory(
        parent=library["index"],
        body=[("section", {"title": "Attribuer", "text": "<p>Intro</p>", "criteria": [criterion]})],
    )
    html = client.get(guide.url).content.decode()
    for text in (
        "Attribuer",
        "Papier 100 % recyclé",
        "Critère d&#x27;attribution",
        "30 % de la note",
        "R2152-7",
        "Label",
        "Ange bleu",
    ):
        assert text in html


def test_example_page_shows_buyer_sector_year_result(client, library):
    sector = Sector.objects.get(slug="impression")
    page = ExamplePageFactory(
        parent=library["index"], buyer="Département de Loire-Atlantique", sector=sector, year=2012
    )
    html = client.get(page.url).content.decode()
    for text in ("Département de Loire-Atlantique", sector.name, "2012", "30 % de la note"):
        assert text in html


# --- Listing filters -----------------------------------------------------------------------


@pytest.fixture
def shelf(library):
    food = Sector.objects.get(slug="alimentation-restauration")
    textiles = Sector.objects.get(slug="textiles")
    index, group = library["index"], library["group"]
    return {
        "guide_food": GuidePageFactory(parent=index, title="Guide cantine", sector=food, year=2018),
        "guide_textiles": GuidePageFactory(parent=index, title="Guide textile", sector=textiles, year=2013),
        "template_food": TenderTemplatePageFactory(
            parent=index, title="Modèle cantine", sector=food, year=2018, working_group=group
        ),
        "example": ExamplePageFactory(parent=index, title="Exemple textile", sector=textiles, year=2020),
    }


def titles(response):
    return sorted(r.title for r in response.context["resources"])


def test_filters_combine_and_stay_in_the_url(client, shelf):
    assert titles(client.get("/ressources/")) == ["Exemple textile", "Guide cantine", "Guide textile", "Modèle cantine"]
    assert titles(client.get("/ressources/?type=guide")) == ["Guide cantine", "Guide textile"]
    assert titles(client.get("/ressources/?secteur=alimentation-restauration")) == ["Guide cantine", "Modèle cantine"]
    assert titles(client.get("/ressources/?type=guide&secteur=textiles")) == ["Guide textile"]
    assert titles(client.get("/ressources/?groupe=construction")) == ["Modèle cantine"]
    assert titles(client.get("/ressources/?annee=2018&type=modele")) == ["Modèle cantine"]
    response = client.get("/ressources/?type=guide&secteur=textiles")
    assert response.context["filter_query"] == "type=guide&secteur=textiles"


@pytest.mark.parametrize(
    "query",
    ["type=inconnu", "secteur=nulle-part", "groupe=fantome", "annee=1850", "annee=abc", "page=999", "page=-1"],
)
def test_unknown_filter_values_are_refused_with_a_400(client, shelf, query):
    response = client.get(f"/ressources/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "n&#x27;existe pas" in html or "n'existe pas" in html
    assert len(response.context["resources"]) == 4  # the bad filter is ignored, the rest still shows


def test_listing_paginates(client, library):
    for n in range(15):
        GuidePageFactory(parent=library["index"], title=f"Guide {n:02d}")
    first = client.get("/ressources/?type=guide")
    assert len(first.context["resources"]) == 12
    second = client.get("/ressources/?type=guide&page=2")
    assert second.status_code == 200 and len(second.context["resources"]) == 3
    assert 'href="?type=guide&amp;page=2"' in first.content.decode()


# --- Privacy --------------------------------------------------------------------------------


@pytest.fixture
def minutes(library):
    page = MinutesPageFactory(parent=library["index"], title="Compte rendu de mars", working_group=library["group"])
    return publish(page)


def test_minutes_are_members_only_on_first_publication(minutes):
    restriction = PageViewRestriction.objects.get(page=minutes)
    names = set(restriction.groups.values_list("name", flat=True))
    assert "Membres" in names and "Fournisseurs" not in names


def test_lifted_restriction_stays_lifted_on_later_publications(minutes):
    PageViewRestriction.objects.filter(page=minutes).delete()
    publish(minutes)
    assert not PageViewRestriction.objects.filter(page=minutes).exists()


def test_minutes_under_a_restricted_parent_get_no_second_restriction(library):
    restriction = PageViewRestriction.objects.create(page=library["index"], restriction_type=PageViewRestriction.LOGIN)
    page = publish(MinutesPageFactory(parent=library["index"]))
    assert PageViewRestriction.objects.filter(page=page).count() == 0
    restriction.delete()


@pytest.mark.parametrize(
    ("make_user", "sees"),
    [
        (None, False),
        (MemberFactory, True),
        (SupplierContactFactory, False),
        (UserFactory, False),
        (EditorFactory, WAGTAIL_DECIDES),
    ],
)
def test_listing_privacy_matrix(client, minutes, make_user, sees):
    user = make_user() if make_user else None
    if user:
        client.force_login(user)
    if sees == WAGTAIL_DECIDES:
        sees = wagtail_allows(user, *minutes.get_view_restrictions())
    listed = "Compte rendu de mars" in titles(client.get("/ressources/"))
    assert listed is sees
    status = client.get(minutes.url).status_code
    assert status == (200 if sees else (302 if make_user is None else 403))


@pytest.mark.parametrize(("make_user", "login_offered"), [(None, True), (SupplierContactFactory, False)])
def test_members_only_minutes_are_counted_not_hidden(client, minutes, make_user, login_offered):
    """Issue 14: « 0 ressource » for minutes that exist but are members-only was a dead end."""
    if make_user:
        client.force_login(make_user())
    response = client.get("/ressources/?type=compte-rendu")
    html = response.content.decode()
    assert response.context["reserved_count"] == 1
    assert "1 document réservé aux membres du réseau n'est pas affiché" in html
    login = 'href="/compte/connexion/?next=/ressources/%3Ftype%3Dcompte-rendu"'
    assert (login in html) is login_offered


def test_members_see_no_reserved_notice(client, minutes):
    client.force_login(MemberFactory())
    response = client.get("/ressources/?type=compte-rendu")
    assert response.context["reserved_count"] == 0
    assert "réservé aux membres du réseau" not in response.content.decode()


def test_superuser_sees_everything(client, minutes):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "Compte rendu de mars" in titles(client.get("/ressources/"))


def test_members_document_is_refused_to_others_also_by_direct_url(client, library):
    document = members_document("CCAP de travail")
    template = TenderTemplatePageFactory(parent=library["index"], title="Modèle nettoyage")
    ResourceDocument.objects.create(page=template, document=document)
    html = client.get(template.url).content.decode()
    assert document.url not in html and "réservé aux membres" in html
    assert client.get(document.url).status_code == 302  # anonymous: asked to log in
    client.force_login(SupplierContactFactory())
    assert client.get(document.url).status_code == 403
    client.force_login(MemberFactory())
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert document.url in client.get(template.url).content.decode()


def test_restricted_pages_stay_out_of_the_sitemap(client, minutes, shelf):
    body = client.get("/sitemap.xml").content.decode()
    assert "guide-cantine" in body
    assert minutes.slug not in body


def test_home_page_lists_latest_public_resources(client, shelf, minutes):
    response = client.get("/")
    latest = [r.title for r in response.context["latest_resources"]]
    assert "Compte rendu de mars" not in latest and len(latest) == 4
    assert "Derniers guides et ressources" in response.content.decode()


@pytest.mark.parametrize(
    ("make_user", "status"),
    [
        (None, 302),
        (MemberFactory, 200),
        (SupplierContactFactory, 403),
        (UserFactory, 403),
        (EditorFactory, WAGTAIL_DECIDES),
    ],
)
def test_members_document_privacy_matrix(client, library, make_user, status):
    document = members_document("Annexe de travail")
    public = DocumentFactory(title="Fiche publique")
    user = make_user() if make_user else None
    if user:
        client.force_login(user)
    if status == WAGTAIL_DECIDES:
        status = 200 if wagtail_allows(user, *document.collection.get_view_restrictions()) else 403
    assert client.get(document.url).status_code == status
    assert client.get(public.url).status_code == 200
