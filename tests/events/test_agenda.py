"""/agenda/ (list, month grid, archive, filters) and event pages, with bad input and query counts."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import time_machine

from events.templatetags.events_tags import french_span
from registrations.models import Occurrence, Registration, RegistrationStatus
from registrations.occurrences import cancel_occurrence, reschedule_occurrence
from tests.factories import MemberFactory
from tests.factories.events import EventPageFactory, make_events, paris, publish

pytestmark = pytest.mark.django_db


class Span:
    def __init__(self, start, end, all_day=False):
        self.start, self.end, self.all_day = start, end, all_day


def test_french_dates():
    assert french_span(Span(paris(2026, 3, 3, 9, 30), paris(2026, 3, 3, 12))) == "mardi 3 mars 2026, 9 h 30 – 12 h"
    assert french_span(Span(paris(2026, 5, 1, 14), paris(2026, 5, 1, 17, 5))) == "vendredi 1er mai 2026, 14 h – 17 h 05"
    assert (
        french_span(Span(paris(2026, 6, 2, 9), paris(2026, 6, 4, 17)))
        == "du mardi 2 juin 2026, 9 h, au jeudi 4 juin 2026, 17 h"
    )
    assert french_span(Span(paris(2026, 6, 2), paris(2026, 6, 3), all_day=True)) == "mardi 2 juin 2026"
    assert (
        french_span(Span(paris(2026, 6, 2), paris(2026, 6, 4), all_day=True))
        == "du mardi 2 juin 2026 au mercredi 3 juin 2026"
    )


@pytest.fixture
def events(agenda):
    series = publish(
        EventPageFactory(
            parent=agenda,
            title="Réunion mensuelle",
            kind="working_group_meeting",
            start=paris(2030, 1, 8, 9, 30),
            end=paris(2030, 1, 8, 12),
            repeat="monthly_weekday",
            repeat_count=6,
            online_url="https://visio.example.fr/secret",
            format="hybrid",
        )
    )
    webinar = publish(
        EventPageFactory(
            parent=agenda,
            title="Webinaire clauses sociales",
            kind="webinar",
            format="online",
            location="",
            online_url="https://visio.example.fr/webinaire",
            start=paris(2030, 2, 14, 11),
            end=paris(2030, 2, 14, 12),
            capacity=2,
        )
    )
    rows = list(Occurrence.objects.filter(page=series))
    cancel_occurrence(rows[2], reason="Intervenant indisponible")
    reschedule_occurrence(rows[3], start=paris(2030, 4, 11, 14), end=paris(2030, 4, 11, 16), reason="Salle occupée")
    return series, webinar


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_agenda_list_filters_and_feed_link(client, agenda, events):
    response = client.get("/agenda/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<link rel="alternate" type="text/calendar"' in html
    assert "Réunion mensuelle" in html and "Webinaire clauses sociales" in html
    assert "mardi 8 janvier 2030, 9 h 30 – 12 h" in html
    assert "Intervenant indisponible" in html and "Salle occupée" in html
    assert "Set-Cookie" not in response.headers
    filtered = client.get("/agenda/?type=webinar&format=online").content.decode()
    assert "Webinaire clauses sociales" in filtered and "Réunion mensuelle" not in filtered
    assert "/calendrier/agenda.ics?type=webinar&amp;format=online" in filtered  # filters survive into the feed
    assert 'value="webinar" selected' in filtered


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_agenda_bad_input_never_500(client, agenda, events):
    response = client.get("/agenda/?type=inconnu&secteur=%3Cscript%3E&public=x&groupe=zz&format=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("valeur inconnue") == 5 and "<script>" not in html
    assert "Réunion mensuelle" in html
    for month in ("2030-13", "abc", "99999-01", "2030-02-30", "-1--1"):
        response = client.get(f"/agenda/?vue=mois&mois={month}")
        assert response.status_code == 200
        assert "mois demandé n&#x27;est pas valide" in response.content.decode()
    for number in ("999", "0", "abc", "-1"):
        assert client.get(f"/agenda/?vue=archives&page={number}").status_code == 404
    assert client.get("/agenda/?vue=nimporte").status_code == 200


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_month_grid_is_an_accessible_table(client, agenda, events):
    html = client.get("/agenda/?vue=mois&mois=2030-04").content.decode()
    assert "<caption>Agenda de avril 2030</caption>" in html
    assert html.count('<th scope="col">') == 7
    assert "Réunion mensuelle" in html and "14 h" in html
    assert "mois=2030-03" in html and "mois=2030-05" in html


def test_archive_is_paginated(client, agenda):
    make_events(agenda, 25, start=paris(2029, 1, 7, 14))
    with time_machine.travel(datetime.datetime(2030, 6, 1, tzinfo=datetime.UTC), tick=False):
        first = client.get("/agenda/?vue=archives")
        second = client.get("/agenda/?vue=archives&page=2")
    assert first.status_code == second.status_code == 200
    assert "Page 1 sur 2" in first.content.decode()
    assert second.content.decode().count('<li class="card') == 5


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_event_page(client, agenda, events):
    series, webinar = events
    occ = Occurrence.objects.get(page=webinar)
    Registration.objects.create(
        occurrence=occ, first_name="A", last_name="B", email="a@b.fr", status=RegistrationStatus.CONFIRMED
    )
    html = client.get(webinar.url).content.decode()
    assert (
        f'<link rel="alternate" type="text/calendar" title="Cet événement (iCalendar)" href="/calendrier/evenement/{webinar.pk}.ics">'
        in html
    )
    assert "jeudi 14 février 2030, 11 h – 12 h" in html
    assert "1 place restante" in html
    assert "visio.example.fr" not in html
    assert "Ajouter à mon calendrier" in html
    assert f"/inscriptions/{occ.pk}/" in html and ">S'inscrire<" in html
    series_html = client.get(series.url).content.decode()
    assert "Annulé" in series_html and "Intervenant indisponible" in series_html
    assert "Déplacé" in series_html and "Salle occupée" in series_html
    # a registered member sees the online link
    member = MemberFactory()
    Registration.objects.create(
        occurrence=occ,
        user=member,
        first_name="C",
        last_name="D",
        email=member.email,
        status=RegistrationStatus.CONFIRMED,
    )
    client.force_login(member)
    html = client.get(webinar.url).content.decode()
    assert "https://visio.example.fr/webinaire" in html and "Vous êtes inscrit" in html


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_home_shows_next_events(client, agenda, events):
    html = client.get("/").content.decode()
    assert "Prochains rendez-vous" in html and "Réunion mensuelle" in html


def queries_for(client, url):
    client.get(url)  # warm the site root paths cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_agenda_and_event_page_query_counts_do_not_grow(client, agenda):
    pages = make_events(agenda, 10, recurring=2)
    urls = ["/agenda/", "/agenda/?vue=mois&mois=2030-03", "/agenda/?vue=archives", pages[0].url, "/"]
    with time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=True):
        small = [queries_for(client, url) for url in urls]
    # Ten times as many, several pages of the agenda: a query per row would show (`make bench`: 1,000).
    make_events(agenda, 90, recurring=10, start=paris(2030, 1, 3, 9))
    with time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=True):
        big = [queries_for(client, url) for url in urls]
    assert small == big


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_event_page_shows_the_registration_window(client, agenda):
    not_yet = publish(EventPageFactory(parent=agenda, title="Pas encore", registration_opens_at=paris(2030, 2, 1, 9)))
    closed = publish(EventPageFactory(parent=agenda, title="Clos", registration_closes_at=paris(2029, 12, 20, 18)))
    html = client.get(not_yet.url).content.decode()
    assert "Inscriptions ouvertes à partir du vendredi 1er février 2030" in html and ">S'inscrire<" not in html
    html = client.get(closed.url).content.decode()
    assert "Inscriptions closes." in html and ">S'inscrire<" not in html


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_members_only_date_says_so_and_offers_to_log_in(client, agenda):
    """Issue 14: « S'inscrire » on a members-only date ended on a refusal; the page says who it is
    for and logs the visitor in straight back to the registration form."""
    from members.audience import Audience
    from tests.factories import SupplierContactFactory

    page = publish(EventPageFactory(parent=agenda, title="Entre membres", audience=Audience.MEMBERS))
    occurrence = Occurrence.objects.get(page=page)
    html = client.get(page.url).content.decode()
    assert "Les inscriptions sont réservées aux membres du réseau." in html and ">S'inscrire<" not in html
    assert f'href="/compte/connexion/?next={page.url}"' in html
    assert f"/inscriptions/{occurrence.pk}/" not in html
    client.force_login(SupplierContactFactory())
    html = client.get(page.url).content.decode()
    assert "Votre compte n'y donne pas accès" in html and "/compte/connexion/" not in html
    client.force_login(MemberFactory())
    assert f'href="/inscriptions/{occurrence.pk}/">S\'inscrire' in client.get(page.url).content.decode()


@time_machine.travel(datetime.datetime(2030, 1, 1, 8, tzinfo=datetime.UTC), tick=False)
def test_month_view_names_each_day_for_the_phone_list(client, agenda):
    """On a phone the grid becomes a list of days (CSS): each day carries its weekday's name."""
    html = client.get("/agenda/?vue=mois&mois=2030-03").content.decode()
    assert '<span class="month-grid__weekday">vendredi </span>1<' in html
    assert '<span class="month-grid__weekday">dimanche </span>31<' in html


def test_agenda_applies_the_page_privacy_rule_to_every_account(client, agenda):
    """An event on a page restricted to a group is listed (agenda, home, month view) only to who
    may open the page: not to any logged-in account (a supplier, a former member)."""
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction

    from tests.factories import SupplierContactFactory

    page = publish(EventPageFactory(parent=agenda, title="Réunion des référents"))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name="Membres")])
    publish(EventPageFactory(parent=agenda, title="Journée ouverte"))
    month = f"?vue=mois&mois={page.start:%Y-%m}"
    for user, sees in ((None, False), (SupplierContactFactory(), False), (MemberFactory(), True)):
        client.logout()
        if user:
            client.force_login(user)
        for url in (agenda.url, agenda.url + month):
            html = client.get(url).content.decode()
            assert "Journée ouverte" in html
            assert ("Réunion des référents" in html) == sees, (user, url)
