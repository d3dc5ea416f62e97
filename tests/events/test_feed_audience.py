"""Who a feed serves and what it says to them: a restricted page's feed and links follow the
page's rule; a personal feed shows waiting-list places as tentative, without the online link."""

from django.urls import reverse

import pytest

from events.models import CalendarToken
from registrations.models import Occurrence, Registration, RegistrationStatus
from tests.events.test_feeds import get_feed, parse, restrict_to_members
from tests.factories import MemberFactory, SupplierContactFactory
from tests.factories.events import EventPageFactory, publish
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_restricted_event_page_offers_its_feed_only_to_whom_it_serves(client, agenda):
    """The page and its feed follow one rule (Wagtail privacy): a link or <link rel=alternate> is
    never offered to someone the feed refuses, and a calendar server (no session) is never
    offered a subscription to a restricted page."""
    public = publish(EventPageFactory(parent=agenda, title="Journée publique", audience="members"))
    private = restrict_to_members(publish(EventPageFactory(parent=agenda, title="Réunion privée")))
    feed = reverse("events:event_feed", kwargs={"page_id": private.pk})
    public_feed = reverse("events:event_feed", kwargs={"page_id": public.pk})

    html = client.get(public.url).content.decode()
    assert f'type="text/calendar" title="Cet événement (iCalendar)" href="{public_feed}"' in html
    assert "Ajouter à mon calendrier" in html and "S'abonner" in html
    webcal = "webcal://testserver" + public_feed
    assert f'href="{webcal}"' in html
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Ftestserver" in html
    assert "outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Ftestserver" in html
    assert get_feed(client, public_feed)["Cache-Control"].startswith("public")

    assert client.get(private.url).status_code == 302  # asked to log in
    assert client.get(feed).status_code == 404
    supplier = SupplierContactFactory()
    client.force_login(supplier)
    assert feed not in client.get(private.url).content.decode()
    assert client.get(feed).status_code == 404

    member = MemberFactory()
    assert member.groups.filter(name="Membres").exists()
    client.force_login(member)
    html = client.get(private.url).content.decode()
    assert f'href="{feed}"' in html and "Ajouter à mon calendrier" in html
    assert "S'abonner" not in html and "webcal://" not in html
    response = get_feed(client, feed)
    assert response["Cache-Control"] == "private, no-store"
    assert "Réunion privée" in response.content.decode()


def test_personal_feed_shows_waiting_list_places_as_tentative_without_the_link(client, agenda):
    page = publish(
        EventPageFactory(parent=agenda, title="Webinaire complet", online_url="https://visio.example.fr/plein")
    )
    occurrence = Occurrence.objects.get(page=page)
    member = MemberFactory()
    RegistrationFactory(occurrence=occurrence, user=member, email=member.email, status=RegistrationStatus.WAITLISTED)
    token = CalendarToken.objects.create(user=member)
    url = reverse("events:personal_feed", kwargs={"token": token.token})
    response = get_feed(client, url)
    etag = response["ETag"]
    (event,) = parse(response.content).walk("VEVENT")
    assert event["STATUS"] == "TENTATIVE"
    assert "visio.example.fr" not in str(event.get("DESCRIPTION")) + str(event.get("LOCATION"))
    registration = Registration.objects.get(user=member)
    registration.status = RegistrationStatus.CONFIRMED
    registration.save()  # the occurrence itself does not change: the feed's validators must
    (event,) = parse(get_feed(client, url, HTTP_IF_NONE_MATCH=etag).content).walk("VEVENT")
    assert event["STATUS"] == "CONFIRMED"
    assert "visio.example.fr/plein" in str(event.get("DESCRIPTION"))
