"""Sending an issue: audiences resolved to one copy per person, one delivery row each, the
e-mail's headers and parts, members-only blocks, SMTP refusals, the admin's screen."""

import datetime
import email
import io
import smtplib
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from newsletter import services
from newsletter.errors import NewsletterError
from newsletter.models import AddressHealth, Delivery, DeliveryStatus, Sending, SendingStatus, Subscriber
from newsletter.queries import recipients
from tests.factories import (
    EditorFactory,
    MemberFactory,
    OrganisationFactory,
    SupplierContactFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from tests.factories.newsletter import NewsletterIssuePageFactory, SubscriberFactory, body, publish

pytestmark = pytest.mark.django_db


def _send_now(issue, capture, actor=None):
    with capture(execute=True):
        sending = services.schedule_sending(issue, actor=actor)
    sending.refresh_from_db()
    return sending


def test_one_copy_per_person_across_audiences(letter):
    issue = letter["issue"]
    groups = WorkingGroupIndexPageFactory(parent=letter["home"])
    group = WorkingGroupPageFactory(parent=groups)
    organisation = OrganisationFactory()
    group.participants.add(organisation)
    member = MemberFactory(email="Agent@Ville.fr", organisation=organisation)
    SubscriberFactory(email="agent@ville.fr")  # the same person, subscribed publicly as well
    SubscriberFactory(email="public@exemple.fr")
    SubscriberFactory(email="parti@exemple.fr", status="unsubscribed")
    SubscriberFactory(email="attente@exemple.fr", status="pending")
    supplier = SupplierContactFactory(email="contact@entreprise.fr")
    former = MemberFactory(organisation=OrganisationFactory(member_until=datetime.date(2020, 1, 1)))
    AddressHealth.objects.create(email="suspendu@exemple.fr", hard_failures=3, suspended_at=timezone.now())
    SubscriberFactory(email="suspendu@exemple.fr")

    issue.working_groups.add(group)
    issue.to_suppliers = True
    chosen = recipients(issue)
    assert chosen == {"agent@ville.fr": True, "public@exemple.fr": False, "contact@entreprise.fr": False}
    assert member and supplier and former

    issue.to_members, issue.to_subscribers, issue.to_suppliers = False, False, False
    issue.working_groups.set([])
    assert recipients(issue) == {}


def test_members_who_decline_members_letters_do_not_get_them(letter):
    issue = letter["issue"]
    member = MemberFactory()
    services.update_preferences(member, public_letter=False, members_letters=False, sectors=[])
    kept = MemberFactory()
    assert set(recipients(issue)) == {kept.email.lower()}


def test_sector_audience_reaches_members_following_the_sector(letter):
    from sectors.models import Sector

    sector = Sector.objects.first()
    issue = letter["issue"]
    issue.to_members = issue.to_subscribers = False
    follower, other = MemberFactory(), MemberFactory()
    services.update_preferences(follower, public_letter=False, members_letters=True, sectors=[sector])
    issue.sectors.add(sector)
    assert set(recipients(issue)) == {follower.email.lower()}
    assert other


def test_resolving_recipients_costs_a_fixed_number_of_queries(letter):
    def count(n):
        for _ in range(n):
            MemberFactory()
            SubscriberFactory()
        with CaptureQueriesContext(connection) as queries:
            recipients(letter["issue"])
        return len(queries)

    assert count(10) == count(100)


def test_sending_builds_one_delivery_per_recipient_and_each_message_is_complete(
    letter, django_capture_on_commit_callbacks
):
    MemberFactory(email="membre@ville.fr")
    SubscriberFactory(email="public@exemple.fr")
    sending = _send_now(letter["issue"], django_capture_on_commit_callbacks)
    assert sending.status == SendingStatus.DONE and sending.recipients_count == 2
    assert sorted(Delivery.objects.values_list("email", "status")) == [
        ("membre@ville.fr", "sent"),
        ("public@exemple.fr", "sent"),
    ]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    for address, message in by_address.items():
        parsed = email.message_from_bytes(message.message().as_bytes())
        unsubscribe = "".join(parsed["List-Unsubscribe"].split())  # unfolded
        assert unsubscribe.startswith("<https://reseco.example/lettre/desabonnement/")
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert parsed["Message-ID"].startswith(f"<lettre-{sending.pk}-")
        types = [part.get_content_type() for part in parsed.walk()]
        assert "text/plain" in types and "text/html" in types
        assert "Texte public du numéro." in message.body
        assert "https://reseco.example/lettre/numero-1/" in message.body  # the web version
        assert unsubscribe[1:-1] in message.body and unsubscribe[1:-1] in message.alternatives[0][0]
    assert "Nouvelle réservée aux membres." in by_address["membre@ville.fr"].body
    assert "Nouvelle réservée aux membres." not in by_address["public@exemple.fr"].body
    assert "Nouvelle réservée aux membres." not in by_address["public@exemple.fr"].alternatives[0][0]

    with pytest.raises(NewsletterError) as error:
        services.schedule_sending(letter["issue"], actor=None)
    assert error.value.code == "already"


def test_a_second_run_sends_nobody_twice(letter, django_capture_on_commit_callbacks):
    for _ in range(5):
        SubscriberFactory()
    sending = Sending.objects.create(
        issue=letter["issue"], revision=letter["issue"].live_revision, scheduled_at=timezone.now()
    )
    services.materialise(sending.pk)
    assert services.deliver_batch(sending.pk, limit=2) == (2, 3)
    assert services.deliver_batch(sending.pk) == (3, 0)
    assert services.deliver_batch(sending.pk) == (0, 0)
    services.deliver_all(sending.pk)
    assert len(mail.outbox) == 5 and len({m.to[0] for m in mail.outbox}) == 5
    sending.refresh_from_db()
    assert sending.status == SendingStatus.DONE


def test_an_unpublished_issue_cannot_be_sent(letter):
    draft = NewsletterIssuePageFactory(parent=letter["index"], live=False)
    with pytest.raises(NewsletterError) as error:
        services.schedule_sending(draft, actor=None)
    assert error.value.code == "not_live"


class RefusingConnection:
    """An SMTP connection that refuses some addresses as a real server does at RCPT time."""

    def __init__(self, refused):
        self.refused = refused
        self.sent = []

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            if address in self.refused:
                code = self.refused[address]
                raise smtplib.SMTPRecipientsRefused({address: (code, b"5.1.1 User unknown")})
            self.sent.append(address)
        return len(messages)

    def open(self):
        return True

    def close(self):
        pass


def test_hard_refusals_mark_the_address_and_the_third_suspends_it(letter):
    SubscriberFactory(email="inconnu@exemple.fr")
    SubscriberFactory(email="plein@exemple.fr")
    SubscriberFactory(email="ok@exemple.fr")
    fake = RefusingConnection({"inconnu@exemple.fr": 550, "plein@exemple.fr": 452})
    issues = [letter["issue"]] + [publish(NewsletterIssuePageFactory(parent=letter["index"])) for _ in range(3)]
    with mock.patch("newsletter.services.get_connection", return_value=fake):
        for issue in issues:
            sending = Sending.objects.create(issue=issue, revision=issue.live_revision, scheduled_at=timezone.now())
            services.deliver_all(sending.pk)
    health = AddressHealth.objects.get(email="inconnu@exemple.fr")
    assert health.hard_failures == 3 and health.suspended_at is not None
    assert not AddressHealth.objects.filter(email="plein@exemple.fr").exists()  # 4xx: not a hard failure
    statuses = list(Delivery.objects.filter(email="inconnu@exemple.fr").values_list("status", flat=True))
    assert statuses == [DeliveryStatus.BOUNCED] * 3  # the fourth issue skipped the suspended address
    assert set(Delivery.objects.filter(email="plein@exemple.fr").values_list("status", flat=True)) == {"failed"}
    assert fake.sent.count("ok@exemple.fr") == 4


def test_scheduled_sending_waits_for_its_time_and_the_periodic_job_starts_it(
    letter, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="public@exemple.fr")
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        sending = services.schedule_sending(letter["issue"], actor=None, at=later)
    call_command("send_scheduled_newsletters", stdout=io.StringIO())
    sending.refresh_from_db()
    assert sending.status == SendingStatus.SCHEDULED and not mail.outbox
    Sending.objects.filter(pk=sending.pk).update(scheduled_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("send_scheduled_newsletters", stdout=io.StringIO())
    call_command("send_scheduled_newsletters", stdout=io.StringIO())  # safe twice
    sending.refresh_from_db()
    assert sending.status == SendingStatus.DONE and len(mail.outbox) == 1


def test_the_periodic_job_is_in_run_periodic_jobs():
    from home.management.commands.run_periodic_jobs import periodic_commands

    assert "send_scheduled_newsletters" in periodic_commands()


def test_a_stalled_sending_is_resumed(letter):
    for _ in range(3):
        SubscriberFactory()
    sending = Sending.objects.create(
        issue=letter["issue"], revision=letter["issue"].live_revision, scheduled_at=timezone.now()
    )
    services.materialise(sending.pk)
    services.deliver_batch(sending.pk, limit=1)
    Sending.objects.filter(pk=sending.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    services.start_due_sendings()
    sending.refresh_from_db()
    assert sending.status == SendingStatus.DONE and len(mail.outbox) == 3


def test_the_editor_sees_progress_sends_a_test_and_schedules(client, letter, django_capture_on_commit_callbacks):
    editor = EditorFactory(email="editeur@reseco.fr")
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    SubscriberFactory(email="public@exemple.fr")
    url = f"/admin/lettre/{letter['issue'].pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "1 destinataire" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url + "essai/")
    assert [m.to for m in mail.outbox] == [["editeur@reseco.fr"]] and mail.outbox[0].subject.startswith("[Essai]")
    assert "Nouvelle réservée aux membres." in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url + "envoyer/", {"scheduled_at": ""})
    page = client.get(url)
    assert 'data-sent="1"' in page.text and "Envoi terminé : 1 exemplaire envoyé." in page.text
    assert client.get("/admin/lettre/").status_code == 200
    assert Subscriber.objects.count() == 1


def test_a_member_cannot_open_the_sending_screen(client, letter):
    client.force_login(MemberFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/admin/lettre/{letter['issue'].pk}/").status_code in (302, 403)
    assert client.post(f"/admin/lettre/{letter['issue'].pk}/envoyer/").status_code in (302, 403)
    assert not Sending.objects.exists()


def test_bad_schedule_input_is_refused_in_french(client, letter):
    client.force_login(EditorFactory(), backend="django.contrib.auth.backends.ModelBackend")
    url = f"/admin/lettre/{letter['issue'].pk}/"
    response = client.post(url + "envoyer/", {"scheduled_at": "demain midi"}, follow=True)
    assert "La date d&#x27;envoi n&#x27;est pas valide." in response.text
    response = client.post(url + "envoyer/", {"scheduled_at": "2001-01-01T10:00"}, follow=True)
    assert "Choisissez une date à venir." in response.text
    assert not Sending.objects.exists()


def test_preview_as_email_and_as_web_page(client, letter):
    client.force_login(EditorFactory(), backend="django.contrib.auth.backends.ModelBackend")
    issue = letter["issue"]
    assert [m for m, _label in issue.preview_modes] == ["", "email"]
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = MemberFactory()
    response = issue.serve_preview(request, "email")
    assert response.status_code == 200
    assert "<table" in response.text and "Nouvelle réservée aux membres." in response.text


def test_archive_keeps_members_only_blocks_out_of_the_public_view(client, letter):
    public = client.get("/lettre/numero-1/")
    assert public.status_code == 200 and "Set-Cookie" not in public.headers
    assert "Texte public du numéro." in public.text
    assert "Nouvelle réservée aux membres." not in public.text
    assert "réservées aux membres" in public.text
    index = client.get("/lettre/")
    assert "Lettre n° 1" in index.text
    client.force_login(MemberFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert "Nouvelle réservée aux membres." in client.get("/lettre/numero-1/").text


def test_agenda_and_new_resources_blocks_read_occurrences_and_pages(letter):
    from newsletter.emails import issue_sections
    from tests.factories.library import GuidePageFactory, ResourceIndexPageFactory
    from tests.factories.registrations import OccurrenceFactory

    library = ResourceIndexPageFactory(parent=letter["home"])
    guide = publish(GuidePageFactory(parent=library, title="Guide du réemploi"))
    soon = OccurrenceFactory(start=timezone.now() + datetime.timedelta(days=5), audience="everyone")
    OccurrenceFactory(start=timezone.now() + datetime.timedelta(days=200), audience="everyone")
    issue = letter["issue"]
    issue.body = body(
        ("agenda", {"heading": "Prochains rendez-vous", "days": 30, "members_only": False}),
        ("new_resources", {"heading": "Nouvelles ressources", "members_only": False}),
    )
    agenda, resources = issue_sections(issue, members=False)
    assert [item["title"] for item in agenda.items] == [soon.page.title]
    assert [item["title"] for item in resources.items] == [guide.title]


def test_word_processor_html_renders_without_its_clutter_and_keeps_the_text(letter):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from newsletter.emails import render_issue

    pasted = (
        '<p class=MsoNormal style="mso-margin-top-alt:auto"><b><span style="font-size:12.0pt;'
        "font-family:Calibri;mso-fareast-font-family:'Times New Roman'\">Clauses sociales</span></b>"
        "<o:p></o:p></p><p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>"
        "<![if !supportLists]>·<![endif]>Insertion &amp; réemploi : 20 %<o:p></o:p></p>"
        "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->"
    )
    converter = ContentstateConverter(features=["h3", "bold", "italic", "link", "ol", "ul"])
    cleaned = converter.to_database_format(converter.from_database_format(pasted))
    issue = letter["issue"]
    issue.body = body(("editorial", cleaned))
    rendered = render_issue(issue, members=False)
    assert "Clauses sociales" in rendered.text and "Insertion & réemploi : 20 %" in rendered.text
    assert "mso-" not in rendered.html and "<o:p>" not in rendered.html and "w:WordDocument" not in rendered.html
