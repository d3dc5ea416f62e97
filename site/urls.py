from django.conf import settings
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from base import sites
from home import sitemaps
from home import views as home_views
from members import views as member_views

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("admin/logout/", member_views.AdminLogoutView.as_view()),
    path("admin/double-authentification/", include("twofactor.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/donnees/", include("personaldata.urls")),
    path("compte/", include("accounts.urls")),
    path("compte/", include("members.urls")),
    path("calendrier/", include("events.urls")),
    path("inscriptions/", include("registrations.urls")),
    path("bibliotheque/", include("resources.urls")),
    path("payments/", include("payments.urls")),
    path("assistance/", include("helpdesk.urls")),
    path("lettre/", include("newsletter.urls")),
    path("presence/", include("attendance.urls")),
    path("evaluation/", include("evaluations.urls")),
    path("sitemap.xml", sitemaps.sitemap),
    path("plan-du-site/", home_views.site_map, name="site_map"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages: Wagtail's view with the site read from the cache (base.sites); Wagtail's own patterns
# follow (the password form, and reverse("wagtail_serve")).
urlpatterns += [re_path(serve_pattern, sites.serve, name="page"), path("", include(wagtail_urls))]
