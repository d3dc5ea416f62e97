"""/recherche/: French matching, facets, highlights, paging, privacy, bad input, logging,
promoted results."""

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

from search.models import SearchLog
from search.queries import highlight
from sectors.models import Sector
from tests.factories import EditorFactory, MemberFactory, StandardPageFactory, SupplierContactFactory, UserFactory
from tests.factories.library import (
    WAGTAIL_DECIDES,
    DocumentFactory,
    ExamplePageFactory,
    GuidePageFactory,
    MinutesPageFactory,
    members_document,
    publish,
    wagtail_allows,
)
from tests.utils import assert_sent_to_admin_login

pytestmark = pytest.mark.django_db


def found(response):
    return [hit["title"] for hit in response.context["results"]]


@pytest.fixture
def corpus(library):
    index = library["index"]
    food = Sector.objects.get(slug="alimentation-restauration")
    cleaning = Sector.objects.get(slug="nettoyage")
    return {
        "canteen": GuidePageFactory(
            parent=index, title="Le restaurant collectif durable", summary="Des repas bio.", sector=food
        ),
        "cleaning": GuidePageFactory(
            parent=index, title="Nettoyage écologique", summary="Produits écolabellisés.", sector=cleaning
        ),
        "example": ExamplePageFactory(
            parent=index, title="Cantine bio à Nantes", summary="Restaurants scolaires et bio.", sector=food
        ),
        "event_page": StandardPageFactory(parent=library["home"], title="Événement de lancement", intro="Rencontre."),
    }


@pytest.mark.postgres
def test_french_stemming_and_accents_on_postgresql(client, corpus):
    assert "Le restaurant collectif durable" in found(client.get("/recherche/?q=restauration"))
    assert "Événement de lancement" in found(client.get("/recherche/?q=evenement"))
    assert "Nettoyage écologique" in found(client.get("/recherche/?q=ecologiques"))


def test_a_plain_word_is_found_on_every_database(client, corpus):
    assert "Nettoyage écologique" in found(client.get("/recherche/?q=nettoyage"))


def test_facets_count_and_filter_by_type_and_sector(client, corpus):
    response = client.get("/recherche/?q=bio")
    types = {f["value"]: f["count"] for f in response.context["type_facets"]}
    assert types == {"guide": 1, "exemple": 1}
    sectors = {f["value"]: f["count"] for f in response.context["sector_facets"]}
    assert sectors == {"alimentation-restauration": 2}
    assert found(client.get("/recherche/?q=bio&type=exemple")) == ["Cantine bio à Nantes"]
    assert found(client.get("/recherche/?q=bio&type=guide&secteur=alimentation-restauration")) == [
        "Le restaurant collectif durable"
    ]
    assert found(client.get("/recherche/?q=bio&secteur=nettoyage")) == []


def test_highlight_marks_the_match_and_escapes_the_rest():
    snippet = highlight("<script>alert(1)</script> Le restaurant collectif sert du bio.", "restauration")
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>restaurant</mark>" in snippet


def test_results_show_escaped_highlighted_snippets(client, library):
    GuidePageFactory(parent=library["index"], title="Guide papier", summary="<b>Papier</b> recyclé & labellisé")
    html = client.get("/recherche/?q=papier").content.decode()
    assert "<b>Papier" not in html
    assert "<mark>Papier</mark> recyclé &amp; labellisé" in html


def test_results_are_paginated(client, library):
    for n in range(23):
        GuidePageFactory(parent=library["index"], title=f"Guide compostage {n}")
    first = client.get("/recherche/?q=compostage")
    assert first.context["total"] == 23 and len(first.context["results"]) == 10
    third = client.get("/recherche/?q=compostage&page=3")
    assert len(third.context["results"]) == 3
    assert client.get("/recherche/?q=compostage&page=9").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "x" * 201,
        " ".join(["mot"] * 16),
        "'\"&|!():*<>",
        "%",
    ],
)
def test_hostile_or_huge_queries_get_a_clear_400(client, corpus, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_null_bytes_are_refused(client, corpus):
    assert client.get("/recherche/", {"q": "bio\x00cantine"}).status_code == 400


@pytest.mark.parametrize("query", ["restaurant & (bio | !cantine)", "l'achat:* <b>", "bio\tcantine\x07", "a" * 200])
def test_operators_and_control_characters_never_break_search(client, corpus, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["type=inconnu", "secteur=nulle-part"])
def test_unknown_facet_values_are_refused(client, corpus, query):
    response = client.get(f"/recherche/?q=bio&{query}")
    assert response.status_code == 400
    assert "n&#x27;existe pas" in response.content.decode()


# --- Privacy ---------------------------------------------------------------------------------


@pytest.fixture
def secrets(library):
    minutes = publish(MinutesPageFactory(parent=library["index"], title="Compte rendu confidentiel compostage"))
    document = members_document("Annexe confidentielle compostage")
    public = DocumentFactory(title="Fiche publique compostage")
    return {"minutes": minutes, "document": document, "public": public}


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
def test_search_never_shows_what_the_visitor_may_not_open(client, secrets, make_user, sees):
    user = make_user() if make_user else None
    if user:
        client.force_login(user)
    if sees == WAGTAIL_DECIDES:
        sees = wagtail_allows(user, *secrets["minutes"].get_view_restrictions())
        assert sees == wagtail_allows(user, *secrets["document"].collection.get_view_restrictions())
    titles = found(client.get("/recherche/?q=compostage"))
    assert "Fiche publique compostage" in titles
    assert ("Compte rendu confidentiel compostage" in titles) is sees
    assert ("Annexe confidentielle compostage" in titles) is sees


def test_promoted_page_is_hidden_from_those_who_may_not_open_it(client, secrets):
    query = Query.get("compostage")
    SearchPromotion.objects.create(query=query, page=secrets["minutes"], description="Recommandé", sort_order=0)
    assert client.get("/recherche/?q=compostage").context["promotions"] == []
    client.force_login(MemberFactory())
    assert [p.page_id for p in client.get("/recherche/?q=compostage").context["promotions"]] == [secrets["minutes"].pk]


# --- Logging and promotions -------------------------------------------------------------------


def test_searches_are_logged_with_zero_result_ones(client, corpus):
    client.get("/recherche/?q=restaurant")
    client.get("/recherche/?q=Restaurant")
    client.get("/recherche/?q=introuvablexyz")
    client.get("/recherche/?q=restaurant&page=1")  # paging is not a new search
    assert Query.objects.get(query_string="restaurant").hits == 2
    assert SearchLog.objects.get(query_string="restaurant").hits == 2
    nothing = SearchLog.objects.get(query_string="introuvablexyz")
    assert (nothing.zero_result_hits, nothing.last_result_count) == (1, 0)


def test_editors_see_the_searches_that_find_nothing(client, corpus):
    client.get("/recherche/?q=introuvablexyz")
    client.get("/recherche/?q=restaurant")
    client.force_login(EditorFactory())
    response = client.get("/admin/reports/recherches/?zero=true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "introuvablexyz" in html and ">restaurant<" not in html
    export = client.get("/admin/reports/recherches/?export=csv")
    assert b"introuvablexyz" in b"".join(export.streaming_content)


def test_search_report_is_refused_to_members(client):
    client.force_login(MemberFactory())
    assert_sent_to_admin_login(client.get("/admin/reports/recherches/"), "/admin/reports/recherches/")


def test_promoted_results_come_first(client, corpus):
    query = Query.get("bio")
    SearchPromotion.objects.create(query=query, page=corpus["cleaning"], description="Le guide phare", sort_order=0)
    response = client.get("/recherche/?q=bio")
    assert [p.page_id for p in response.context["promotions"]] == [corpus["cleaning"].pk]
    html = response.content.decode()
    assert html.index("Nettoyage écologique") < html.index("Cantine bio à Nantes")
    assert "Le guide phare" in html


def test_searches_are_never_served_from_the_shared_page_cache(client, corpus, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "search-test"},
    }
    first = client.get("/recherche/?q=nettoyage")
    client.get("/recherche/?q=nettoyage")
    assert "private" in first["Cache-Control"]
    assert SearchLog.objects.get(query_string="nettoyage").hits == 2
    assert "public" in client.get("/recherche/")["Cache-Control"]  # the empty search form may be cached


def test_editors_can_promote_results(client, corpus):
    client.force_login(EditorFactory())
    assert client.get("/admin/searchpicks/").status_code == 200
    assert client.get("/admin/searchpicks/add/").status_code == 200


def test_published_faq_answers_are_found(client, library):
    from helpdesk.models import FaqPage
    from tests.factories.library import FaqEntryFactory

    faq = FaqPage(title="Questions fréquentes", slug="faq")
    library["index"].add_child(instance=faq)
    entry = FaqEntryFactory(
        question="Peut-on exiger un label ?", answer="<p>Oui, avec « ou équivalent » (vermicompostage).</p>"
    )
    FaqEntryFactory(question="Brouillon", answer="<p>vermicompostage caché</p>", published=False)
    response = client.get("/recherche/?q=vermicompostage")
    assert found(response) == ["Peut-on exiger un label ?"]
    hit = response.context["results"][0]
    assert hit["url"] == f"/ressources/faq/#question-{entry.pk}" and "<mark>" in hit["snippet"]
    assert 'id="question-' in client.get("/ressources/faq/").content.decode()
