"""The lighter request path keeps what it replaces: django-csp's exact policy (and a changed
setting still applies), Django's messages when one is added, Wagtail's site lookup and routing
(from the cache, renewed when a site changes), and the health check never served from a cache."""

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from base.middleware import LazyMessageMiddleware, SettledPolicyCSPMiddleware
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

PAGES_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages-light-test"},
}


def test_policy_header_is_django_csp_s_and_follows_the_settings(client, home_page, settings):
    from csp.utils import build_policy

    response = client.get("/")
    assert response["Content-Security-Policy"] == build_policy()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    changed = {**settings.CONTENT_SECURITY_POLICY}
    changed["DIRECTIVES"] = {**changed["DIRECTIVES"], "img-src": ["'self'", "https://tuiles.example.org"]}
    settings.CONTENT_SECURITY_POLICY = changed
    assert "https://tuiles.example.org" in client.get("/?autre=1")["Content-Security-Policy"]


def test_a_view_that_changes_its_policy_still_gets_its_own():
    """The settled header is for responses that ask nothing: one that carries django-csp's
    per-response change (its decorators) goes through django-csp's own path."""
    from csp.decorators import csp_exempt, csp_update

    @csp_update({"img-src": ["https://tuiles.example.org"]})
    def with_tiles(request):
        return HttpResponse("ok")

    @csp_exempt()
    def exempt(request):
        return HttpResponse("ok")

    plain = SettledPolicyCSPMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    changed = SettledPolicyCSPMiddleware(with_tiles)(RequestFactory().get("/"))
    assert "https://tuiles.example.org" in changed["Content-Security-Policy"]
    assert "https://tuiles.example.org" not in plain["Content-Security-Policy"]
    assert "Content-Security-Policy" not in SettledPolicyCSPMiddleware(exempt)(RequestFactory().get("/"))


def test_admin_keeps_its_own_policy(client, home_page):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_messages_open_only_when_used_and_still_reach_the_person():
    def quiet(request):
        return HttpResponse("ok")

    def noisy(request):
        messages.success(request, "Inscription enregistrée.")
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    response = LazyMessageMiddleware(quiet)(request)
    assert "messages" not in response.cookies  # nothing read nor added: nothing written
    request = RequestFactory().post("/")
    request.session = {}
    response = LazyMessageMiddleware(noisy)(request)
    stored = CookieStorage(request)._decode(response.cookies["messages"].value)
    assert [str(message) for message in stored] == ["Inscription enregistrée."]


def test_site_lookup_is_shared_and_renewed_when_a_site_changes(client, home_page, django_capture_on_commit_callbacks):
    page = StandardPageFactory(parent=home_page, slug="a-propos", title="À propos")
    with override_settings(CACHES=PAGES_CACHE):
        caches["pages"].clear()
        assert client.get("/a-propos/?un=1").status_code == 200
        assert any(key.endswith("site:testserver:80") for key in caches["pages"]._cache)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/a-propos/?deux=1").status_code == 200
        assert not [q for q in queries.captured_queries if "wagtailcore_site" in q["sql"]]
        site = Site.objects.get(is_default_site=True)
        site.root_page = page
        with django_capture_on_commit_callbacks(execute=True):
            site.save()
        assert not any("site:" in key for key in caches["pages"]._cache)
        caches["pages"].clear()


def test_health_check_is_never_looked_up_nor_stored_in_the_page_cache(client, django_assert_num_queries):
    with override_settings(CACHES=PAGES_CACHE):
        caches["pages"].clear()
        for _ in range(2):
            with django_assert_num_queries(1):  # SELECT 1, every time
                assert client.get("/healthz").status_code == 200
        assert not caches["pages"]._cache


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "de", "fr-FR,fr;q=0.9", ""])
def test_one_language_whatever_the_browser_asks_and_no_vary_on_it(client, home_page, accept):
    """Without LocaleMiddleware: French for everyone, said in Content-Language, and the cached
    pages are not split per Accept-Language."""
    response = client.get("/compte/connexion/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Mot de passe" in response.content.decode()
    assert '<html lang="fr"' in response.content.decode()
