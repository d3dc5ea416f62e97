"""Every page of the demo site renders for a visitor and is editable in the admin."""

from wagtail.models import Page

import pytest

from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def test_design_page_tree_exists(demo_site, client):
    for path in ("/", "/agenda/", "/formations/", "/groupes-de-travail/", "/ressources/", "/recherche/"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_home_page_shows_mission_navigation_and_footer(demo_site, client):
    html = client.get("/").content.decode()
    assert '<html lang="fr"' in html
    assert 'href="#contenu"' in html  # skip link
    for label in ("Agenda", "Formations", "Groupes de travail", "Ressources", "Recherche", "Mon compte"):
        assert f">{label}</a>" in html
    for label in ("Mentions légales", "Données personnelles", "Accessibilité"):
        assert label in html
    assert "contact@reseco.fr" in html
    assert "Actualité des groupes de travail" in html


def test_every_live_page_renders_and_opens_in_the_admin(demo_site, client):
    editor = EditorFactory()
    public_pages = Page.objects.live().public().filter(depth__gte=2).specific()
    assert public_pages.count() > 20
    for page in public_pages:
        assert client.get(page.url).status_code == 200, page.url
    client.force_login(editor)
    for page in Page.objects.filter(depth__gte=2):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page.url
        assert client.get(f"/admin/pages/{page.pk}/revisions/").status_code in (200, 302)


def test_editor_can_preview_and_schedule(demo_site, client):
    from home.models import StandardPage

    client.force_login(EditorFactory())
    page = StandardPage.objects.get(slug="le-reseau")
    preview = client.post(
        f"/admin/pages/{page.pk}/edit/preview/",
        {"title": "Le réseau (brouillon)", "slug": "le-reseau", "intro": "x", "body-count": "0"},
    )
    assert preview.status_code == 200
    assert preview.json()["is_valid"] is True
    assert "Le réseau (brouillon)" in client.get(f"/admin/pages/{page.pk}/edit/preview/").content.decode()


def test_unknown_page_is_a_french_404(demo_site, client):
    response = client.get("/n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_previews_may_be_framed_by_the_admin_only(demo_site, client):
    """Wagtail renders a preview through the middleware as a request for the page's own URL: it
    came back with the public site's frame-ancestors 'none' and the preview panel was blank."""
    from home.models import StandardPage

    client.force_login(EditorFactory())
    page = StandardPage.objects.get(slug="le-reseau")
    client.post(
        f"/admin/pages/{page.pk}/edit/preview/",
        {"title": "Le réseau (brouillon)", "slug": "le-reseau", "intro": "x", "body-count": "0"},
    )
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/?mode=&in_preview_panel=true")
    policy = preview["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'none'" not in policy.split("frame-ancestors")[1]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]  # still strict
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    public = client.get(page.url)
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
