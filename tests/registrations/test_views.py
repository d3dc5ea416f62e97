import datetime
import re

from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

import pytest

from members.audience import Audience
from members.validators import with_luhn_key
from registrations import services
from registrations.emails import cancel_token
from registrations.models import Registration
from registrations.models import RegistrationStatus as S
from tests.factories import MemberFactory
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def register_url(occurrence):
    return reverse("registrations:register", kwargs={"occurrence_id": occurrence.pk})


def test_member_sees_live_count_and_prefilled_identity(client, occurrence):
    member = MemberFactory()
    client.force_login(member)
    response = client.get(register_url(occurrence))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Il reste 2 places." in body and member.email in body and member.organisation.name in body
    assert 'name="email"' not in body  # identity comes from the account, not the form


def test_member_registers_and_sees_outcome_double_submit_idempotent(client, occurrence):
    member = MemberFactory()
    client.force_login(member)
    tampered = {"email": "autre@exemple.fr", "status": "confirmed", "occurrence": "999", "price": "0"}
    response = client.post(register_url(occurrence), tampered)
    registration = Registration.objects.get()
    assert registration.email == member.email  # posted identity ignored: nobody registers another person
    assert response.status_code == 302 and response.url == reverse("registrations:outcome", args=[registration.token])
    outcome = client.get(response.url)
    assert "Inscription confirmée" in outcome.content.decode()
    again = client.post(register_url(occurrence), {})
    assert again.status_code == 302 and again.url == response.url
    assert Registration.objects.count() == 1


def test_waitlisted_outcome_shows_position(client):
    occurrence = OccurrenceFactory(capacity=0)
    member = MemberFactory()
    client.force_login(member)
    response = client.post(register_url(occurrence), {}, follow=True)
    assert "Liste d'attente : position 1" in response.content.decode()


def test_questions_are_bounded(client, occurrence, monkeypatch):
    monkeypatch.setattr(services, "registration_questions", lambda occurrence: ["dietary", "free_text", "unknown"])
    client.force_login(MemberFactory())
    response = client.post(register_url(occurrence), {"q_dietary": "x" * 201, "q_free_text": "<script>"})
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur comporte au plus 200 caractères" in response.content.decode()
    assert not Registration.objects.exists()
    response = client.post(
        register_url(occurrence), {"q_dietary": "végétarien", "q_free_text": "<script>alert(1)</script>"}
    )
    assert response.status_code == 302
    assert Registration.objects.get().answers == {"dietary": "végétarien", "free_text": "<script>alert(1)</script>"}


def test_anonymous_on_members_only_is_told_to_log_in(client, occurrence):
    response = client.get(register_url(occurrence))
    assert response.status_code == 200 and "réservée aux membres" in response.content.decode()
    response = client.post(register_url(occurrence), {"first_name": "A", "last_name": "B", "email": "a@b.fr"})
    assert response.status_code == 403 and not Registration.objects.exists()


def test_non_member_refused_with_403(client, occurrence):
    from tests.factories import SupplierContactFactory

    client.force_login(SupplierContactFactory())
    assert client.post(register_url(occurrence), {}).status_code == 403


@pytest.mark.parametrize("status", ["cancelled"])
def test_cancelled_occurrence_refused(client, status):
    occurrence = OccurrenceFactory(status=status)
    client.force_login(MemberFactory())
    response = client.post(register_url(occurrence), {})
    assert response.status_code == 409 and "annulée" in response.content.decode()


def test_past_occurrence_refused(client):
    occurrence = OccurrenceFactory(start=timezone.now() - datetime.timedelta(days=2))
    client.force_login(MemberFactory())
    assert client.post(register_url(occurrence), {}).status_code == 409


@pytest.mark.parametrize(
    "path",
    [
        "/inscriptions/999999/",
        "/inscriptions/99999999999999999999999/",
        "/inscriptions/99999999999999999999999/candidature/",
        "/inscriptions/resultat/inconnu/",
    ],
)
def test_unknown_occurrence_or_token_404(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404


def test_cancel_mine_with_huge_id_404(client):
    client.force_login(MemberFactory())
    assert client.post("/inscriptions/mes-inscriptions/99999999999999999999999/annuler/").status_code == 404


def test_busy_answers_503_with_retry(client, occurrence, monkeypatch):
    from registrations.errors import RegistrationError

    def busy(*args, **kwargs):
        raise RegistrationError("Réessayez dans quelques secondes.", "busy")

    monkeypatch.setattr(services, "lock_occurrence", busy)
    client.force_login(MemberFactory())
    response = client.post(register_url(occurrence), {})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Réessayez" in response.content.decode()


class TestGuests:
    @pytest.fixture
    def public(self):
        return OccurrenceFactory(capacity=3, audience=Audience.EVERYONE)

    def post(self, client, occurrence, **data):
        payload = {"first_name": "Léa", "last_name": "Invitée", "email": "lea@exemple.fr"} | data
        return client.post(register_url(occurrence), payload)

    def test_guest_flow_double_opt_in(self, client, public, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = self.post(client, public)
        assert response.status_code == 302 and "verifiez-vos-e-mails" in response.url
        registration = Registration.objects.get()
        assert registration.status == S.PENDING_CONFIRMATION
        link = re.search(r"/inscriptions/confirmer/[^/\s]+/", mail.outbox[0].body).group(0)
        assert signing.loads(link.split("/")[-2], salt="registrations.guest")["r"] == registration.pk
        assert client.get(link).status_code == 200
        assert Registration.objects.get().status == S.PENDING_CONFIRMATION  # GET does not confirm
        response = client.post(link)
        assert response.status_code == 302 and Registration.objects.get().status == S.CONFIRMED

    def test_existing_account_or_registration_is_not_revealed(self, client, public):
        MemberFactory(email="compte@exemple.fr")
        first = self.post(client, public, email="compte@exemple.fr")
        second = self.post(client, public, email="compte@exemple.fr")
        other = self.post(client, public, email="inconnu@exemple.fr")
        assert first.status_code == second.status_code == other.status_code == 302
        assert first.url == second.url == other.url
        assert Registration.objects.filter(email="compte@exemple.fr").count() == 1

    @pytest.mark.parametrize(
        "data",
        [
            {"email": ""},
            {"email": "pas-une-adresse"},
            {"first_name": "x" * 151},
            {"email": "a" * 250 + "@exemple.fr"},
            {"organisation_name": "o" * 201},
        ],
    )
    def test_bad_guest_input_400(self, client, public, data):
        response = self.post(client, public, **data)
        assert response.status_code == 400 and "field__error" in response.content.decode()
        assert not Registration.objects.exists()

    def test_rate_limited(self, client, public, settings):
        settings.REGISTRATIONS_GUEST_RATE_LIMIT = (3, 3600)
        statuses = [self.post(client, public, email=f"flood{n}@exemple.fr").status_code for n in range(5)]
        assert statuses == [302, 302, 302, 429, 429]
        assert Registration.objects.count() == 3

    def test_forged_confirmation_link(self, client, public):
        assert client.get(reverse("registrations:confirm_guest", args=["forged:token"])).status_code == 400


class TestCancelLinks:
    def test_cancel_by_signed_link_then_replay(self, client, occurrence):
        registration = services.register(occurrence, user=MemberFactory())
        url = reverse("registrations:cancel", args=[cancel_token(registration)])
        assert client.get(url).status_code == 200
        assert Registration.objects.get().status == S.CONFIRMED  # GET only asks
        assert client.post(url).status_code == 200
        assert Registration.objects.get().status == S.CANCELLED
        replay = client.post(url)
        assert replay.status_code == 410 and "déjà annulée" in replay.content.decode()

    @pytest.mark.parametrize("token", ["abc", "a" * 500, "eyJyIjoxfQ:forged:sig"])
    def test_forged_links(self, client, occurrence, token):
        services.register(occurrence, user=MemberFactory())
        response = client.post(reverse("registrations:cancel", args=[token]))
        assert response.status_code == 400 and "pas valide" in response.content.decode()
        assert Registration.objects.get().status == S.CONFIRMED

    def test_link_for_another_token_refused(self, client, occurrence):
        registration = services.register(occurrence, user=MemberFactory())
        forged = signing.dumps({"r": registration.pk, "t": "guessed"}, salt="registrations.cancel")
        assert client.post(reverse("registrations:cancel", args=[forged])).status_code == 400
        wrong_salt = signing.dumps({"r": registration.pk, "t": registration.token})
        assert client.post(reverse("registrations:cancel", args=[wrong_salt])).status_code == 400


class TestAccount:
    def test_account_lists_upcoming_and_past_and_cancels(self, client, occurrence, django_assert_max_num_queries):
        member = MemberFactory()
        past = OccurrenceFactory(start=timezone.now() - datetime.timedelta(days=30))
        Registration.objects.create(
            occurrence=past, user=member, first_name="C", last_name="M", email=member.email, status=S.CONFIRMED
        )
        registration = services.register(occurrence, user=member)
        client.force_login(member)
        body = client.get(reverse("members:account")).content.decode()
        assert "Mes inscriptions" in body and "À venir" in body and "Passées" in body
        response = client.post(reverse("registrations:cancel_mine", args=[registration.pk]))
        assert response.status_code == 302
        assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED

    def test_cannot_cancel_someone_else(self, client, occurrence):
        registration = services.register(occurrence, user=MemberFactory())
        client.force_login(MemberFactory())
        assert client.post(reverse("registrations:cancel_mine", args=[registration.pk])).status_code == 404
        assert Registration.objects.get().status == S.CONFIRMED

    def test_account_section_query_count_does_not_grow(self, client, django_assert_max_num_queries):
        member = MemberFactory()
        client.force_login(member)
        client.get(reverse("members:account"))  # warm the per-process caches (site, settings)

        def count_for(n):
            for _ in range(n):
                services.register(OccurrenceFactory(capacity=0), user=member)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("members:account")).status_code == 200
            return len(queries)

        assert count_for(2) == count_for(10)


class TestSupplierApplication:
    @pytest.fixture
    def meeting(self):
        return OccurrenceFactory(kind="market_engagement", audience=Audience.SUPPLIERS)

    def data(self, **changes):
        return {
            "siret": with_luhn_key(with_luhn_key("81234567") + "0001"),
            "company_name": "Textiles de l'Ouest",
            "first_name": "Yann",
            "last_name": "Le Goff",
            "email": "yann@textiles.fr",
            "q_environment": "Fibres recyclées.",
        } | changes

    def test_apply_then_received_and_double_submit(self, client, meeting):
        url = reverse("registrations:apply", args=[meeting.pk])
        response = client.post(url, self.data())
        assert response.status_code == 302 and response.url.endswith("/candidature-recue/")
        assert client.post(url, self.data()).status_code == 302
        application = Registration.objects.get()
        assert (
            application.status == S.PENDING_CONFIRMATION and application.answers["environment"] == "Fibres recyclées."
        )
        assert "Candidature reçue" in client.get(response.url).content.decode()

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"siret": "12345678901234"}, "SIRET"),
            ({"siret": "123"}, "SIRET"),
            ({"siret": ""}, "SIRET"),
            ({"q_environment": "x" * 2001}, "démarches"),
            ({"email": "pas-une-adresse"}, "contact"),
            ({"labels": ["999999"]}, "Labels"),
        ],
    )
    def test_bad_applications_400(self, client, meeting, changes, field):
        response = client.post(reverse("registrations:apply", args=[meeting.pk]), self.data(**changes))
        assert response.status_code == 400 and field in response.content.decode()
        assert not Registration.objects.exists()

    def test_member_register_url_redirects_to_application(self, client, meeting):
        response = client.get(register_url(meeting))
        assert response.status_code == 302 and response.url.endswith("/candidature/")


def test_before_register_hook_can_take_over(client, occurrence):
    from django.http import HttpResponseRedirect

    from wagtail import hooks

    with hooks.register_temporarily("before_register", lambda request, occ: HttpResponseRedirect("/payments/x/")):
        response = client.get(register_url(occurrence))
    assert response.status_code == 302 and response.url == "/payments/x/"


def test_event_page_questions_are_asked_and_bounded(client, page_tree, home_page):
    """With the events engineer's EventPage: its registration_questions drive the form."""
    from tests.factories.events import EventIndexPageFactory, EventPageFactory, publish

    agenda = EventIndexPageFactory(parent=home_page)
    page = publish(
        EventPageFactory(parent=agenda, registration_questions=["dietary", "accessibility"], audience="members")
    )
    occurrence = page.occurrences.get()
    client.force_login(MemberFactory())
    body = client.get(register_url(occurrence)).content.decode()
    assert 'name="q_dietary"' in body and 'name="q_accessibility"' in body and 'name="q_role"' not in body
    assert client.post(register_url(occurrence), {"q_accessibility": "x" * 301}).status_code == 400
    client.post(register_url(occurrence), {"q_dietary": "sans gluten", "q_role": "ignorée"})
    assert Registration.objects.get().answers == {"dietary": "sans gluten"}


class TestCancelFromAccount:
    """« Mon compte » asks before cancelling and says what happens to the seat."""

    def test_get_asks_and_post_cancels(self, client, occurrence, members):
        registration = services.register(occurrence, user=members[0])
        client.force_login(members[0])
        account = client.get(reverse("members:account")).content.decode()
        url = reverse("registrations:cancel_mine", args=[registration.pk])
        assert f'href="{url}"' in account
        page = client.get(url)
        assert page.status_code == 200 and "Votre place est libérée" in page.content.decode()
        registration.refresh_from_db()
        assert registration.status == S.CONFIRMED
        assert client.post(url).status_code == 302
        registration.refresh_from_db()
        assert registration.status == S.CANCELLED

    def test_someone_else_s_or_unknown_registration_is_a_404(self, client, occurrence, members):
        registration = services.register(occurrence, user=members[0])
        client.force_login(members[1])
        assert client.get(reverse("registrations:cancel_mine", args=[registration.pk])).status_code == 404
        assert client.get("/inscriptions/mes-inscriptions/99999999999/annuler/").status_code == 404
        assert client.put(reverse("registrations:cancel_mine", args=[registration.pk])).status_code == 405
