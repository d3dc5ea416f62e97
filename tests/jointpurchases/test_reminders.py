"""Deadline reminders of grouped purchases: the coordinators' go automatically; the members'
only once the coordinator or an editor has seen who gets them and confirmed, once each, and
never to a body that answered in the meantime (time-travelled)."""

import datetime
import io
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

import pytest
import time_machine

from accounts.models import Referent
from jointpurchases import reminders
from jointpurchases.models import ReminderSent
from jointpurchases.services import JointPurchaseError, declare
from tests.factories import EditorFactory, MemberFactory, OrganisationFactory
from tests.factories.jointpurchases import add_participants, coordinator_referent

pytestmark = pytest.mark.django_db


def _run_reminders(capture):
    with capture(execute=True):
        call_command("send_joint_purchase_reminders", stdout=io.StringIO())


def test_member_reminders_wait_for_a_confirmation_of_who_gets_them(
    client, purchase, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = coordinator_referent(purchase, email="coord@angers.fr", first_name="Claire", last_name="Coord")
    answered = add_participants(purchase, 1)[0]
    silent = MemberFactory(email="silent@laval.fr", organisation=OrganisationFactory(name="Ville de Laval"))
    Referent.objects.create(organisation=silent.organisation, user=silent)
    without_referent = MemberFactory(email="nobody@brest.fr")  # no référent: nobody to remind
    url = purchase.url + "coordination/rappels/"

    with time_machine.travel(datetime.date(2026, 3, 10), tick=False):
        _run_reminders(django_capture_on_commit_callbacks)
        assert mailoutbox == []  # 21 days before: too early
    with time_machine.travel(datetime.date(2026, 3, 26), tick=False):
        _run_reminders(django_capture_on_commit_callbacks)
        # The coordinator is reminded of its own deadline at once; the silent body is not.
        assert [m.to for m in mailoutbox] == [["coord@angers.fr"]]
        assert url in mailoutbox[0].body
        client.force_login(silent)
        assert client.get(url).status_code == 403
        client.force_login(coordinator)
        page = client.get(url).content.decode()
        assert "Ville de Laval" in page and "silent@laval.fr" in page and "1 collectivité" in page
        assert answered.contact_email not in page and without_referent.email not in page
        due = reminders.due_member_reminders(purchase)
        assert [(r.phase, r.count) for r in due] == [("interest", 1)]
        form = {"phase": "interest", "deadline": "2026-03-31", "fingerprint": due[0].fingerprint}

        assert client.post(url, {**form, "fingerprint": "0" * 64}).status_code == 409  # not the list shown
        assert client.post(url, {**form, "deadline": "31/03/2026\r\nBcc: x@y.fr"}).status_code == 400
        assert client.post(url, {**form, "phase": "<script>"}).status_code == 400
        assert len(mailoutbox) == 1 and not ReminderSent.objects.filter(kind="member").exists()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, form)
        assert response.status_code == 302
        assert [m.to for m in mailoutbox[1:]] == [["silent@laval.fr"]]
        assert "Appel à manifestation d'intérêt" in mailoutbox[1].body
        row = ReminderSent.objects.get(kind="member")
        assert row.confirmed_by == coordinator and row.sent_at is not None
        assert "Claire Coord" in client.get(url).content.decode()
        _run_reminders(django_capture_on_commit_callbacks)
        _run_reminders(django_capture_on_commit_callbacks)  # twice: nothing more
        assert client.post(url, form).status_code == 400  # nobody left to remind
        assert len(mailoutbox) == 2


def test_a_deadline_that_moves_needs_a_new_confirmation(
    client, purchase, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator_referent(purchase, email="coord@angers.fr")
    silent = MemberFactory(email="silent@laval.fr")
    Referent.objects.create(organisation=silent.organisation, user=silent)
    url = purchase.url + "coordination/rappels/"
    with time_machine.travel(datetime.date(2026, 3, 26), tick=False):
        _run_reminders(django_capture_on_commit_callbacks)
        due = reminders.due_member_reminders(purchase)
        with django_capture_on_commit_callbacks(execute=True):
            reminders.confirm_reminders(
                purchase,
                phase="interest",
                deadline=due[0].deadline,
                fingerprint=due[0].fingerprint,
                actor=EditorFactory(),
            )
    assert [m.to for m in mailoutbox] == [["coord@angers.fr"], ["silent@laval.fr"]]
    purchase.interest_deadline = datetime.date(2026, 4, 30)  # the deadline moves: new reminders
    purchase.save_revision().publish()
    with time_machine.travel(datetime.date(2026, 4, 25), tick=False):
        _run_reminders(django_capture_on_commit_callbacks)
        assert [m.to for m in mailoutbox[2:]] == [["coord@angers.fr"]]  # members wait again
        client.force_login(EditorFactory())  # an editor may confirm too
        due = reminders.due_member_reminders(purchase)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"phase": "interest", "deadline": "2026-04-30", "fingerprint": due[0].fingerprint}
            )
        assert response.status_code == 302
    assert [m.to for m in mailoutbox[3:]] == [["silent@laval.fr"]]
    assert ReminderSent.objects.count() == 4


def test_a_body_that_answers_after_the_confirmation_is_not_reminded(purchase, member, mailoutbox):
    Referent.objects.create(organisation=member.organisation, user=member)
    editor = EditorFactory()
    with time_machine.travel(datetime.date(2026, 3, 26), tick=False):
        due = reminders.due_member_reminders(purchase)
        with pytest.raises(JointPurchaseError) as error:
            reminders.confirm_reminders(
                purchase, phase="interest", deadline=due[0].deadline, fingerprint=due[0].fingerprint, actor=member
            )
        assert error.value.code == "forbidden"
        # Confirmed, then the body declares before the job sends: no reminder goes.
        ReminderSent.objects.create(
            purchase=purchase,
            phase="interest",
            deadline=due[0].deadline,
            kind="member",
            organisation=member.organisation,
            confirmed_at=timezone.now(),
            confirmed_by=editor,
        )
        post = {purchase.lots.order_by("sort_order").first().key: Decimal(3)}
        declare(
            purchase,
            organisation=member.organisation,
            actor=member,
            quantities=post,
            contact_name="x",
            contact_email="x@exemple.fr",
        )
        assert reminders.send_confirmed_reminders() == 0
    assert mailoutbox == []


def test_reminders_run_with_the_periodic_jobs():
    from home.management.commands.run_periodic_jobs import periodic_commands

    assert "send_joint_purchase_reminders" in periodic_commands()


def test_the_editors_reach_the_reminders_from_the_admin(client, purchase):
    client.force_login(EditorFactory())
    body = client.get(f"/admin/pages/{purchase.pk}/edit/").content.decode()
    assert "Rappels aux membres" in body and purchase.url + "coordination/rappels/" in body
    assert client.get(purchase.url + "coordination/rappels/").status_code == 200
