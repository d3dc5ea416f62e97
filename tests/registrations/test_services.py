import datetime

from django.core import mail
from django.utils import timezone

import pytest

from members.audience import Audience
from members.models import Supplier
from registrations import applications, services
from registrations.emails import french_datetime
from registrations.errors import RegistrationError
from registrations.models import Registration, RegistrationChange, RegistrationSource
from registrations.models import RegistrationStatus as S
from registrations.signals import registration_cancelled, registration_confirmed
from tests.factories import MemberFactory, OrganisationFactory, SupplierContactFactory, UserFactory
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db


def codes(callable_, *args, **kwargs):
    with pytest.raises(RegistrationError) as info:
        callable_(*args, **kwargs)
    return info.value.code


def test_member_confirmed_then_waitlisted_with_positions(occurrence, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        results = [services.register(occurrence, user=m) for m in members]
    assert [r.status for r in results] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED, S.WAITLISTED]
    assert services.seats_left(occurrence) == 0
    assert services.waitlist_positions(results) == {results[2].pk: 1, results[3].pk: 2, results[4].pk: 3}
    assert [m.subject.split(" :")[0] for m in mail.outbox].count("Inscription confirmée") == 2
    assert all(m.to == [r.email] for m, r in zip(mail.outbox, results, strict=True))
    confirmation = mail.outbox[0]
    assert confirmation.attachments[0][0] == "evenement.ics"
    assert "METHOD:REQUEST" in confirmation.attachments[0][1]
    assert "position 1" in mail.outbox[2].body
    assert RegistrationChange.objects.filter(to_status=S.CONFIRMED, from_status="").count() == 2


def test_one_active_registration_per_person(occurrence, members):
    services.register(occurrence, user=members[0])
    assert codes(services.register, occurrence, user=members[0]) == "already_registered"
    assert Registration.objects.filter(occurrence=occurrence).count() == 1


def test_database_constraint_catches_a_race_past_the_check(occurrence, members, monkeypatch):
    services.register(occurrence, user=members[0])
    # Pretend the pre-check saw nothing (as a concurrent request would): the constraint still refuses.
    monkeypatch.setattr(Registration.objects.__class__, "active", lambda self: self.none(), raising=False)
    from registrations.models import RegistrationQuerySet

    monkeypatch.setattr(RegistrationQuerySet, "active", lambda self: self.none())
    assert codes(services.register, occurrence, user=members[0]) == "already_registered"
    assert Registration.objects.filter(occurrence=occurrence).count() == 1


def test_cancel_promotes_first_waitlisted_in_order_and_tells_them(
    occurrence, members, django_capture_on_commit_callbacks
):
    regs = [services.register(occurrence, user=m) for m in members]
    received = []
    registration_confirmed.connect(lambda **kw: received.append(kw["registration"].pk), weak=False, dispatch_uid="t1")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel(regs[0], actor=members[0])
    finally:
        registration_confirmed.disconnect(dispatch_uid="t1")
    assert received == [regs[2].pk]  # only the promoted one (the cancelled seat's owner is not re-confirmed)
    regs = [Registration.objects.get(pk=r.pk) for r in regs]
    assert [r.status for r in regs] == [S.CANCELLED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert services.waitlist_positions(regs) == {regs[3].pk: 1, regs[4].pk: 2}
    subjects = [(m.to[0], m.subject.split(" :")[0]) for m in mail.outbox]
    assert (regs[2].email, "Une place s'est libérée") in subjects
    assert (regs[0].email, "Inscription annulée") in subjects
    cancelled_ics = next(m for m in mail.outbox if m.to == [regs[0].email]).attachments[0][1]
    assert "METHOD:CANCEL" in cancelled_ics
    change = regs[2].changes.last()
    assert (change.from_status, change.to_status) == (S.WAITLISTED, S.CONFIRMED)
    # Cancelling twice changes nothing.
    services.cancel(regs[0])
    assert Registration.objects.filter(occurrence=occurrence, status=S.CONFIRMED).count() == 2


def test_no_promotion_inside_the_cutoff(members, settings):
    settings.REGISTRATIONS_PROMOTION_CUTOFF_HOURS = 24
    occurrence = OccurrenceFactory(capacity=1, start=timezone.now() + datetime.timedelta(hours=10))
    first, second = services.register(occurrence, user=members[0]), services.register(occurrence, user=members[1])
    services.cancel(first)
    second.refresh_from_db()
    assert second.status == S.WAITLISTED
    settings.REGISTRATIONS_PROMOTION_CUTOFF_HOURS = 2
    third = services.register(occurrence, user=members[2])
    assert third.status == S.CONFIRMED


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": "cancelled"}, "cancelled"),
        ({"start": timezone.now() - datetime.timedelta(hours=1)}, "past"),
        ({"registration_opens_at": timezone.now() + datetime.timedelta(days=1)}, "not_open"),
        ({"registration_closes_at": timezone.now() - datetime.timedelta(days=1)}, "closed"),
        ({"audience": Audience.SUPPLIERS}, "audience"),
    ],
)
def test_rules_refuse(members, changes, code):
    occurrence = OccurrenceFactory(**changes)
    assert codes(services.register, occurrence, user=members[0]) == code
    assert not Registration.objects.exists()


def test_audience_members_only_refuses_non_members_and_guests(db):
    occurrence = OccurrenceFactory(audience=Audience.MEMBERS)
    former = UserFactory(organisation=OrganisationFactory(member_until=datetime.date(2019, 12, 31)))
    assert codes(services.register, occurrence, user=former) == "audience"
    assert codes(services.register, occurrence, user=SupplierContactFactory()) == "audience"
    guest = {"first_name": "A", "last_name": "B", "email": "a@b.fr"}
    assert codes(services.register, occurrence, guest=guest) == "audience"


def test_seats_per_organisation(db):
    organisation = OrganisationFactory()
    occurrence = OccurrenceFactory(capacity=10, seats_per_organisation=2)
    colleagues = [MemberFactory(organisation=organisation) for _ in range(3)]
    services.register(occurrence, user=colleagues[0])
    services.register(occurrence, user=colleagues[1])
    assert codes(services.register, occurrence, user=colleagues[2]) == "organisation_full"
    assert services.register(occurrence, user=MemberFactory()).status == S.CONFIRMED


def test_guest_double_opt_in(django_capture_on_commit_callbacks):
    occurrence = OccurrenceFactory(capacity=1, audience=Audience.EVERYONE)
    guest = {"first_name": "Léa", "last_name": "Invitée", "email": "Lea@Exemple.fr", "organisation_name": "Asso"}
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(occurrence, guest=guest)
    assert registration.status == S.PENDING_CONFIRMATION and registration.source == RegistrationSource.GUEST
    assert services.seats_left(occurrence) == 1  # the seat counts only after the link
    assert "/inscriptions/confirmer/" in mail.outbox[0].body and not mail.outbox[0].attachments
    assert services.confirm_guest(registration).status == S.CONFIRMED
    assert services.confirm_guest(registration).status == S.CONFIRMED  # twice: unchanged
    assert services.seats_left(occurrence) == 0


def test_unconfirmed_guests_and_expired_holds_are_released(members, settings):
    occurrence = OccurrenceFactory(capacity=1, audience=Audience.EVERYONE)
    hold = services.register(
        occurrence, user=members[0], hold_seat_until=timezone.now() + datetime.timedelta(minutes=30)
    )
    assert hold.status == S.PENDING_PAYMENT and services.seats_left(occurrence) == 0
    waiting = services.register(occurrence, user=members[1])
    assert waiting.status == S.WAITLISTED
    guest = services.register(occurrence, guest={"first_name": "A", "last_name": "B", "email": "g@exemple.fr"})
    assert services.release_expired_holds() == 0
    later = timezone.now() + datetime.timedelta(hours=49)
    assert services.release_expired_holds(now=later) == 2
    assert services.release_expired_holds(now=later) == 0  # twice: nothing more
    hold.refresh_from_db(), waiting.refresh_from_db(), guest.refresh_from_db()
    assert (hold.status, waiting.status, guest.status) == (S.CANCELLED, S.CONFIRMED, S.CANCELLED)


def test_expired_holds_of_an_ended_date_are_history(members):
    """The periodic release never touches a date that has ended: its registrations stay as they were."""
    occurrence = OccurrenceFactory(capacity=1, audience=Audience.EVERYONE)
    hold = services.register(
        occurrence, user=members[0], hold_seat_until=timezone.now() + datetime.timedelta(minutes=30)
    )
    guest = services.register(occurrence, guest={"first_name": "A", "last_name": "B", "email": "g@exemple.fr"})
    after_the_end = occurrence.end + datetime.timedelta(hours=1)
    assert services.release_expired_holds(now=after_the_end) == 0
    hold.refresh_from_db(), guest.refresh_from_db()
    assert (hold.status, guest.status) == (S.PENDING_PAYMENT, S.PENDING_CONFIRMATION)


def test_confirm_after_payment_and_full(members):
    occurrence = OccurrenceFactory(capacity=1)
    hold = services.register(occurrence, user=members[0], hold_seat_until=timezone.now() + datetime.timedelta(hours=1))
    assert services.confirm(hold).status == S.CONFIRMED
    waiting = services.register(occurrence, user=members[1])
    assert codes(services.confirm, waiting) == "full"
    assert services.confirm(waiting, force=True).status == S.CONFIRMED


def test_cancelled_signal_carries_previous_status(occurrence, members):
    registration = services.register(occurrence, user=members[0])
    seen = []
    registration_cancelled.connect(lambda **kw: seen.append(kw["previous_status"]), weak=False, dispatch_uid="t2")
    try:
        services.cancel(registration, actor=members[0], reason="empêchée")
    finally:
        registration_cancelled.disconnect(dispatch_uid="t2")
    assert seen == [S.CONFIRMED]
    change = registration.changes.last()
    assert change.changed_by == members[0] and change.note == "empêchée"


def test_accepted_supplier_reapplying_gets_the_promised_email(db, django_capture_on_commit_callbacks):
    """Issue 14: the page says an e-mail gives the application's state; the same contact applying
    again is sent it. Issue 13: another address under the same SIRET blocks no one."""
    from members.validators import with_luhn_key

    occurrence = OccurrenceFactory(kind="market_engagement", audience=Audience.SUPPLIERS)
    company = {"siret": with_luhn_key(with_luhn_key("81234567") + "0001"), "name": "Textiles de l'Ouest"}
    contact = {"first_name": "Yann", "last_name": "Le Goff", "email": "yann@textiles.fr"}
    with django_capture_on_commit_callbacks(execute=True):
        application = applications.apply_as_supplier(occurrence, company=company, contact=contact)
        applications.confirm_application(application)
        applications.decide_application(application, selected=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            codes(applications.apply_as_supplier, occurrence, company=company, contact=contact) == "already_registered"
        )
    assert [m.to for m in mail.outbox] == [["yann@textiles.fr"]]
    assert mail.outbox[0].subject.startswith("Candidature retenue")
    assert Registration.objects.filter(occurrence=occurrence).count() == 1
    other = dict(contact, email="quelquun@ailleurs.fr")
    with django_capture_on_commit_callbacks(execute=True):
        second = applications.apply_as_supplier(occurrence, company=company, contact=other)
    assert second.status == S.PENDING_CONFIRMATION
    assert Registration.objects.filter(occurrence=occurrence).count() == 2


def test_supplier_application_and_decision(db, django_capture_on_commit_callbacks):
    from members.validators import with_luhn_key

    occurrence = OccurrenceFactory(kind="market_engagement", audience=Audience.SUPPLIERS)
    siret = with_luhn_key(with_luhn_key("81234567") + "0001")
    company = {"siret": siret, "name": "Textiles de l'Ouest"}
    contact = {"first_name": "Yann", "last_name": "Le Goff", "email": "yann@textiles.fr"}
    with django_capture_on_commit_callbacks(execute=True):
        application = applications.apply_as_supplier(
            occurrence, company=company, contact=contact, answers={"csr": "Oui"}
        )
    # An anonymous application is pending until its e-mail link is followed; it creates no company.
    assert application.status == S.PENDING_CONFIRMATION and application.supplier is None
    assert application.submitted_company.siret == siret and not Supplier.objects.exists()
    assert mail.outbox[-1].subject.startswith("Confirmez votre candidature")
    with django_capture_on_commit_callbacks(execute=True):
        application = applications.confirm_application(application)
    assert application.status == S.APPLIED and mail.outbox[-1].subject.startswith("Candidature reçue")
    assert codes(applications.apply_as_supplier, occurrence, company=company, contact=contact) == "already_registered"
    bad = dict(company, siret="12345678901234")
    assert codes(applications.apply_as_supplier, occurrence, company=bad, contact=contact) == "invalid_siret"
    with django_capture_on_commit_callbacks(execute=True):
        applications.decide_application(application, selected=True, message="Rendez-vous à 9 h.")
    selected_mail = mail.outbox[-1]
    assert selected_mail.subject.startswith("Candidature retenue") and "Rendez-vous à 9 h." in selected_mail.body
    assert "METHOD:REQUEST" in selected_mail.attachments[0][1]
    # Members cannot register for a suppliers' meeting through the member form.
    assert codes(services.register, occurrence, user=MemberFactory()) == "audience"


def test_editor_adds_by_hand_and_walk_in(members):
    occurrence = OccurrenceFactory(capacity=1, registration_closes_at=timezone.now() - datetime.timedelta(days=1))
    person = {"first_name": "Jo", "last_name": "Main", "email": "jo@exemple.fr"}
    added = services.register(occurrence, guest=person, source=RegistrationSource.EDITOR)
    assert added.status == S.CONFIRMED
    walk_in = services.register(
        occurrence, guest=dict(person, email="sur-place@exemple.fr"), source=RegistrationSource.WALK_IN
    )
    assert walk_in.status == S.CONFIRMED  # on the spot, beyond capacity


def test_occurrence_cancelled_signal_cancels_and_tells_each_once(
    occurrence, members, django_capture_on_commit_callbacks
):
    from registrations.signals import occurrence_cancelled

    regs = [services.register(occurrence, user=m) for m in members[:3]]
    mail.outbox.clear()
    occurrence.status = "cancelled"
    occurrence.sequence += 1
    occurrence.save()
    with django_capture_on_commit_callbacks(execute=True):
        occurrence_cancelled.send(sender=None, occurrence=occurrence, reason="Intempéries", actor=None)
    assert Registration.objects.filter(occurrence=occurrence, status=S.CANCELLED).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in regs)
    # the occurrence's SEQUENCE (1) plus each registration's changes (registered, cancelled)
    assert all("METHOD:CANCEL" in m.attachments[0][1] and "SEQUENCE:3" in m.attachments[0][1] for m in mail.outbox)


def test_occurrence_moved_sends_request_with_higher_sequence(occurrence, members, django_capture_on_commit_callbacks):
    from registrations.signals import occurrence_rescheduled

    services.register(occurrence, user=members[0])
    mail.outbox.clear()
    previous = occurrence.start
    occurrence.start += datetime.timedelta(days=1)
    occurrence.end += datetime.timedelta(days=1)
    occurrence.sequence = 3
    occurrence.save()
    with django_capture_on_commit_callbacks(execute=True):
        occurrence_rescheduled.send(
            sender=None, occurrence=occurrence, previous_start=previous, previous_end=occurrence.end, actor=None
        )
    (message,) = mail.outbox
    # the occurrence's SEQUENCE (3) plus the registration's one change
    assert "METHOD:REQUEST" in message.attachments[0][1] and "SEQUENCE:4" in message.attachments[0][1]
    assert "date prévue auparavant : " + french_datetime(previous) in message.body


def test_registration_email_hook_sees_every_message(occurrence, members, django_capture_on_commit_callbacks):
    from wagtail import hooks

    seen = []
    with (
        hooks.register_temporarily("registration_email", lambda r, m, k: seen.append((r.pk, k))),
        django_capture_on_commit_callbacks(execute=True),
    ):
        registration = services.register(occurrence, user=members[0])
    assert seen == [(registration.pk, "confirmed")]


def test_confirmed_signal_on_direct_registration_and_guest_confirmation(members):
    occurrence = OccurrenceFactory(capacity=5, audience=Audience.EVERYONE)
    seen = []
    registration_confirmed.connect(
        lambda **kw: seen.append((kw["registration"].email, kw["previous_status"])), weak=False, dispatch_uid="t3"
    )
    try:
        services.register(occurrence, user=members[0])
        guest = services.register(occurrence, guest={"first_name": "A", "last_name": "B", "email": "g@exemple.fr"})
        assert len(seen) == 1
        services.confirm_guest(guest)
    finally:
        registration_confirmed.disconnect(dispatch_uid="t3")
    assert seen == [(members[0].email, ""), ("g@exemple.fr", S.PENDING_CONFIRMATION)]


def test_lifecycle_services_tell_registrants(occurrence, members, django_capture_on_commit_callbacks):
    """With the events engineer's lifecycle services (registrations.occurrences)."""
    from registrations.occurrences import cancel_occurrence, reschedule_occurrence

    registration = services.register(occurrence, user=members[0])
    mail.outbox.clear()
    start = occurrence.start + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule_occurrence(occurrence, start=start, end=start + datetime.timedelta(hours=2), reason="Salle")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_occurrence(occurrence, reason="Intempéries")
    assert [m.subject.split(" :")[0] for m in mail.outbox] == ["Changement d'horaire", "Date annulée"]
    # occurrence 1 + one change (registered), then occurrence 2 + two changes (cancelled too)
    assert "SEQUENCE:2" in mail.outbox[0].attachments[0][1] and "SEQUENCE:4" in mail.outbox[1].attachments[0][1]
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_selected_suppliers_take_seats_and_staff_hear_of_applications(db, settings, django_capture_on_commit_callbacks):
    from members.validators import with_luhn_key

    settings.REGISTRATIONS_STAFF_EMAILS = ["equipe@reseco.fr"]
    settings.WAGTAILADMIN_BASE_URL = "https://reseco.example"
    occurrence = OccurrenceFactory(kind="market_engagement", audience=Audience.SUPPLIERS, capacity=1)
    found = []
    for n, name in enumerate(("Bois d'Armor", "Textiles de l'Ouest")):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            application = applications.apply_as_supplier(
                occurrence,
                company={"siret": with_luhn_key(with_luhn_key(f"8123456{n}") + "0001"), "name": name},
                contact={"first_name": "A", "last_name": "B", "email": f"contact{n}@exemple.fr"},
            )
        assert not [m for m in mail.outbox if m.to == ["equipe@reseco.fr"]]  # not before its e-mail link
        with django_capture_on_commit_callbacks(execute=True):
            found.append(applications.confirm_application(application))
        [notice] = [m for m in mail.outbox if m.to == ["equipe@reseco.fr"]]
        assert notice.subject == f"Nouvelle candidature de {name} : {occurrence.page.title}"
        assert f"https://reseco.example/admin/inscriptions/{occurrence.pk}/candidatures/" in notice.body
    applications.decide_application(found[0], selected=True)
    assert services.seats_left(occurrence) == 0  # the selected supplier holds the one seat
    assert codes(applications.decide_application, found[1], selected=True) == "full"
    applications.decide_application(found[0], selected=False)
    applications.decide_application(found[1], selected=True)  # the seat was given back
