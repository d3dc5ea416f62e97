"""« Mon compte » keeps each section in the page cache under the person's ``account_version``:
one person's sections are never shown to another, a change (a registration, a cancellation, an
invoice, a waiting-list position moved by someone else) shows at once, the CSRF token is the
browser's own, and a visit costs a fixed number of queries (three once the sections are cached)."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from accounts.models import Referent
from events.models import CalendarToken
from helpdesk.models import Question
from members.account import CSRF_PLACEHOLDER
from newsletter.models import SubscriberStatus
from payments.invoicing import issue_invoice
from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.factories import MemberFactory, StandardPageFactory
from tests.factories.newsletter import SubscriberFactory
from tests.factories.payments import PaymentFactory
from tests.factories.registrations import OccurrenceFactory, RegistrationFactory, ensure_page_tree

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home_page", "pages_cache")]

ACCOUNT = reverse("members:account")


def _occurrence(title, **fields):
    ensure_page_tree()
    return OccurrenceFactory(page=StandardPageFactory(parent=Page.get_first_root_node(), title=title), **fields)


def _register(user, title, **fields):
    status = fields.pop("status", RegistrationStatus.CONFIRMED)
    return RegistrationFactory(occurrence=_occurrence(title, **fields), user=user, email=user.email, status=status)


def _invoice(registration):
    payment = PaymentFactory(registration=registration, billing_entity="Ville")
    return issue_invoice(payment, notify=False)


def _logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def _page(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def alice():
    """A member with something in every section that can be hers alone."""
    alice = MemberFactory(first_name="Alice")
    registration = _register(alice, "Atelier réservé à Alice")
    CalendarToken.objects.create(user=alice, token="jeton-secret-d-alice")
    Question.objects.create(author=alice, topic="Question confidentielle d'Alice", tender_context="Marché")
    SubscriberFactory(email=alice.email, user=alice, status=SubscriberStatus.UNSUBSCRIBED)
    Referent.objects.create(organisation=alice.organisation, user=alice)
    alice.invoice_number = _invoice(registration).number
    return alice


def _markers(alice):
    return {
        "inscriptions": "Atelier réservé à Alice",
        "agenda": "jeton-secret-d-alice",
        "factures": alice.invoice_number,
        "questions": "Question confidentielle d&#x27;Alice",
        "lettre": "Vous êtes désabonné·e de toutes les lettres.",
        "mon-organisation": "Gérer mon organisation",
    }


def test_one_persons_sections_are_never_shown_to_another(alice):
    bob = MemberFactory(first_name="Bob", organisation=alice.organisation)  # a colleague, even
    markers = _markers(alice)
    clients = {alice: _logged_in(alice), bob: _logged_in(bob)}
    for turn in range(2):  # the second round is served from what the first stored
        for person in (alice, bob, alice, bob):
            body = _page(clients[person])
            for section, marker in markers.items():
                assert (marker in body) == (person == alice), (turn, person.first_name, section)
            assert str(CSRF_PLACEHOLDER) not in body


def test_sections_are_served_from_the_cache(alice):
    client = _logged_in(alice)
    _page(client)
    with CaptureQueriesContext(connection) as queries:
        body = _page(client)
    # The session, the person, their organisation: no section's query.
    assert len(queries) == 3, [q["sql"][:80] for q in queries]
    assert "Atelier réservé à Alice" in body


def test_changes_show_at_once(alice, django_capture_on_commit_callbacks):
    client = _logged_in(alice)
    assert "Formation de juin" not in _page(client)
    occurrence = _occurrence("Formation de juin")
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(occurrence, user=alice)
    body = _page(client)
    assert "Formation de juin" in body and "Annuler mon inscription à « Formation de juin »" in body
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration, actor=alice)
    assert "Annuler mon inscription à « Formation de juin »" not in _page(client)
    with django_capture_on_commit_callbacks(execute=True):
        number = _invoice(_register(alice, "Formation payante")).number
    assert number != alice.invoice_number and number in _page(client)


def test_a_waiting_list_position_moved_by_someone_else_shows_at_once(django_capture_on_commit_callbacks):
    occurrence = _occurrence("Rencontre complète", capacity=1)
    first, second = MemberFactory(), MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        holder = services.register(occurrence, user=MemberFactory())
        services.register(occurrence, user=first)
        services.register(occurrence, user=second)
    client = _logged_in(second)
    assert "position 2" in _page(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(holder)  # the first waiting is promoted: the second moves up
    assert Registration.objects.get(user=first).status == RegistrationStatus.CONFIRMED
    body = _page(client)
    assert "position 1" in body and "position 2" not in body


def test_a_date_that_ends_moves_to_past_without_any_change(alice, time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    start, end = now - datetime.timedelta(hours=1), now + datetime.timedelta(seconds=10)
    _register(alice, "Webinaire qui se termine", start=start, original_start=start, end=end)
    client = _logged_in(alice)
    body = _page(client)
    assert "Webinaire qui se termine" in body[body.index("À venir") : body.index("Passées")]
    time_machine.move_to(now + datetime.timedelta(seconds=20), tick=False)  # within the cache's minute
    body = _page(client)
    assert "Webinaire qui se termine" in body[body.index("Passées") :]


def test_the_csrf_token_is_each_browsers_own(alice):
    first, second = _logged_in(alice, enforce_csrf_checks=True), _logged_in(alice, enforce_csrf_checks=True)
    _page(first)
    body = _page(second)  # the newsletter's form, served from what the first stored
    form = body[body.index('id="lettre"') :]  # not the header's log-out form, rendered afresh
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = second.post(reverse("newsletter:preferences"), {"csrfmiddlewaretoken": token, "members_letters": "on"})
    assert response.status_code != 403


def test_query_count_does_not_grow_with_registrations(django_capture_on_commit_callbacks):
    member = MemberFactory()
    client = _logged_in(member)
    _page(client)  # the site and the footer, shared by every page

    def counts(n):
        with django_capture_on_commit_callbacks(execute=True):
            _add(n)
        with CaptureQueriesContext(connection) as cold:
            _page(client)
        with CaptureQueriesContext(connection) as warm:
            _page(client)
        return len(cold), len(warm)

    def _add(n):
        for i in range(n):
            status = RegistrationStatus.WAITLISTED if i % 3 == 0 else RegistrationStatus.CONFIRMED
            start = timezone.now() + datetime.timedelta(days=(i % 2) * 40 - 20)  # half past, half to come
            registration = _register(member, f"Date {n}-{i}", start=start, original_start=start, status=status)
            if i % 5 == 0:
                _invoice(registration)

    few, many = counts(2), counts(48)
    assert few == many
    assert many[1] == 3  # the session, the person, their organisation


def test_a_date_cancelled_by_the_staff_shows_at_once(alice, django_capture_on_commit_callbacks, monkeypatch):
    from registrations.occurrences import cancel_occurrence

    occurrence = Registration.objects.get(user=alice).occurrence
    client = _logged_in(alice)
    assert "Annuler mon inscription à « Atelier réservé à Alice »" in _page(client)
    # As in another process: its page cache is not emptied, and the background settling of each
    # registration (refunds, e-mails) has not run yet; the registrations are cancelled in bulk.
    monkeypatch.setattr("base.caching.clear_page_cache", lambda **kwargs: None)
    monkeypatch.setattr("registrations.notices._enqueue_on_commit", lambda *args: None)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_occurrence(occurrence, reason="Intervenante malade")
    assert "Annuler mon inscription à « Atelier réservé à Alice »" not in _page(client)
