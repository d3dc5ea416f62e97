"""One public address (SITE_URL) for feeds, the sitemap, robots.txt and e-mails: never the
http://localhost/ of Wagtail's Site record."""

from django.test import override_settings
from django.urls import reverse

import icalendar
import pytest

from tests.factories.events import EventIndexPageFactory, EventPageFactory, publish

pytestmark = pytest.mark.django_db
PUBLIC = "https://reseco.example"


@override_settings(SITE_URL=PUBLIC)
def test_feed_urls_and_sitemap_use_site_url(client, home_page):
    agenda = EventIndexPageFactory(parent=home_page)
    publish(EventPageFactory(parent=agenda, title="Journée textile", slug="journee-textile"))
    cal = icalendar.Calendar.from_ical(client.get(reverse("events:public_feed")).content)
    (event,) = cal.walk("VEVENT")
    assert str(event["URL"]).startswith(PUBLIC + "/") and "journee-textile" in str(event["URL"])
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{PUBLIC}/" in sitemap and "journee-textile" in sitemap
    assert "localhost" not in sitemap


@override_settings(SITE_URL=PUBLIC)
def test_robots_txt_points_at_the_sitemap_and_keeps_robots_out_of_personal_urls(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines
    for prefix in ("/admin/", "/compte/", "/calendrier/personnel/", "/inscriptions/"):
        assert f"Disallow: {prefix}" in lines
    assert "Disallow: /" not in lines


def test_wagtail_admin_base_url_defaults_to_site_url():
    from django.conf import settings

    assert settings.WAGTAILADMIN_BASE_URL == settings.SITE_URL
