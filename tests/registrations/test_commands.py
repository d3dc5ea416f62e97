import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from registrations import services
from registrations.models import Registration
from tests.factories import MemberFactory
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db


def test_reminders_go_once_to_confirmed_people_due_soon(settings, django_capture_on_commit_callbacks):
    settings.REGISTRATIONS_REMINDER_DAYS = 3
    soon = OccurrenceFactory(capacity=1, start=timezone.now() + datetime.timedelta(days=2))
    later = OccurrenceFactory(start=timezone.now() + datetime.timedelta(days=10))
    confirmed = services.register(soon, user=MemberFactory())
    services.register(soon, user=MemberFactory())  # waitlisted: no reminder
    services.register(later, user=MemberFactory())  # too early
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
        call_command("send_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    assert mail.outbox[0].subject.startswith("Rappel")
    assert Registration.objects.get(pk=confirmed.pk).reminder_sent_at is not None


def test_release_expired_holds_command_is_safe_twice():
    occurrence = OccurrenceFactory(capacity=1)
    hold = services.register(
        occurrence, user=MemberFactory(), hold_seat_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("release_expired_holds", stdout=out)
    call_command("release_expired_holds", stdout=out)
    assert out.getvalue().splitlines() == ["1 réservation(s) libérée(s).", "0 réservation(s) libérée(s)."]
    hold.refresh_from_db()
    assert hold.status == "cancelled"


def test_periodic_jobs_declare_the_engine_commands():
    from home.management.commands.run_periodic_jobs import periodic_commands

    assert {"release_expired_holds", "send_reminders"} <= set(periodic_commands())


def test_raised_capacity_fills_from_the_waiting_list(django_capture_on_commit_callbacks):
    occurrence = OccurrenceFactory(capacity=1)
    people = [MemberFactory() for _ in range(4)]
    regs = [services.register(occurrence, user=person) for person in people]
    occurrence.capacity = 3
    occurrence.save()
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_expired_holds", stdout=out)
        call_command("release_expired_holds", stdout=out)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert len(mail.outbox) == 2 and "2 personne(s) sortie(s)" in out.getvalue()
