"""Members-only pages and documents: anonymous, member, supplier, former member, editor."""

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from tests.factories import EditorFactory, MemberFactory, StandardPageFactory, SupplierContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_page(home_page):
    page = StandardPageFactory(parent=home_page, title="Espace membres", slug="espace-membres", intro="Réservé")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Membres")])
    return page


@pytest.fixture
def members_document(db):
    collection = Collection.get_first_root_node().add_child(name="Comptes rendus (membres)")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Membres")])
    document = Document(title="Compte rendu", collection=collection)
    document.file.save("compte-rendu.txt", ContentFile(b"contenu reserve"), save=True)
    return document


def test_anonymous_is_asked_to_log_in(client, members_page, members_document):
    response = client.get("/espace-membres/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    response = client.get(members_document.url)
    assert response.status_code == 302
    assert "connexion" in response["Location"]


def test_member_sees_page_and_document(client, members_page, members_document):
    client.force_login(MemberFactory())
    assert client.get("/espace-membres/").status_code == 200
    response = client.get(members_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"contenu reserve"


@pytest.mark.parametrize("make_user", [SupplierContactFactory, UserFactory])
def test_supplier_or_non_member_gets_a_clear_french_refusal(client, members_page, members_document, make_user):
    client.force_login(make_user())
    response = client.get("/espace-membres/")
    assert response.status_code == 403
    assert "réservée aux agents des collectivités membres" in response.content.decode()
    response = client.get(members_document.url)
    assert response.status_code == 403
    assert "Ce document est réservé" in response.content.decode()


def test_former_member_is_refused(client, members_page):
    import datetime

    former = MemberFactory(organisation__member_until=datetime.date(2019, 12, 31))
    client.force_login(former)
    assert client.get("/espace-membres/").status_code == 403


def test_editor_sees_members_page_in_admin_and_site(client, members_page):
    editor = EditorFactory()
    client.force_login(editor)
    assert client.get(f"/admin/pages/{members_page.pk}/edit/").status_code == 200


def test_restricted_page_is_not_listed_in_search_or_sitemap(client, members_page):
    from search.models import SearchPage

    StandardPageFactory(parent=members_page.get_parent(), title="Page publique", slug="publique")
    SearchPage(title="Recherche", slug="recherche")
    assert "espace-membres" not in client.get("/sitemap.xml").content.decode()
