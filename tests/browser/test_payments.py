"""Payments in a browser (issue 14): Stripe not answering gives a French « réessayez » page, a
failed refund shows in Mon compte and on the admin's home, a training free for members offers
no quote and its quote URL answers with a clear page."""

from decimal import Decimal

import pytest

from payments import stripe_gateway
from payments.models import PaymentMethod, PaymentStatus, Refund, RefundStatus
from tests.browser.test_attendance import log_in as log_in_admin
from tests.browser.test_attendance import page_errors
from tests.browser.test_trainings import _context, _log_in
from tests.factories.payments import PaymentFactory
from tests.payments.stripe_fake import WEBHOOK_SECRET, FakeStripe
from tests.utils import click_and_wait

pytestmark = pytest.mark.django_db(transaction=True)
MEMBER = "membre@rennes.fr"
PAYER = "ancien@cholet.fr"  # a non-member with no registration on the paid training


@pytest.fixture(autouse=True)
def fresh_content_types():
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def browser_page(browser, site_live):
    context, page = _context(browser, site_live)
    yield page
    context.close()


@pytest.fixture
def stripe_down(settings, monkeypatch):
    """Card payments configured; Stripe's HTTP (the one seam) answers 500 to everything."""
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    fake.fail = True
    monkeypatch.setattr(stripe_gateway, "http_client", lambda: fake)
    return fake


def _paid_run(email):
    """A future run of a paid training this person is not registered for."""
    from registrations.models import Occurrence, Registration
    from trainings.models import TrainingPage

    training = TrainingPage.objects.live().get(slug="clauses-sociales")
    taken = Registration.objects.active().filter(email__iexact=email).values("occurrence_id")
    return Occurrence.objects.scheduled().upcoming().filter(page=training).exclude(pk__in=taken).first()


def test_stripe_not_answering_gives_a_french_page_saying_to_try_again(browser_page, stripe_down):
    page = browser_page.page
    run = _paid_run(PAYER)
    _log_in(browser_page, PAYER)
    browser_page.goto(f"/payments/formation/{run.pk}/")
    click_and_wait(page.get_by_role("button", name="Payer").first)
    assert page.get_by_role("heading", name="Service de paiement indisponible").is_visible()
    assert "Réessayez dans quelques minutes" in page.content()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("paiement-service-indisponible")
    click_and_wait(page.get_by_role("link", name="Réessayer"))
    assert f"/payments/formation/{run.pk}/" in page.url
    assert [e for e in browser_page.console_errors if "status of 503" not in e] == []


def _failed_refund(email):
    from registrations.models import Registration, RegistrationStatus

    registration = Registration.objects.create(
        occurrence=_paid_run(email),
        user=__import__("members.models", fromlist=["User"]).User.objects.get(email=email),
        first_name="Alain",
        last_name="Cholet",
        email=email,
        status=RegistrationStatus.CANCELLED,
    )
    payment = PaymentFactory(
        registration=registration, method=PaymentMethod.CARD, status=PaymentStatus.PAID, stripe_payment_intent="pi_test"
    )
    return Refund.objects.create(
        payment=payment, amount=Decimal("360"), reason="annulation", status=RefundStatus.FAILED, note="Carte expirée"
    )


def test_a_failed_refund_shows_in_my_account_and_on_the_admin_home(browser_page):
    page = browser_page.page
    refund = _failed_refund(PAYER)
    _log_in(browser_page, PAYER)
    browser_page.goto("/compte/")
    notice = page.locator(".notice", has_text="Remboursement de 360")
    assert notice.is_visible()
    assert "n'a pas abouti" in notice.inner_text()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("compte-remboursement-en-echec")

    browser_page.page.context.clear_cookies()
    log_in_admin(browser_page)
    browser_page.goto("/admin/")
    panel = page.locator("#payments-attention-section")
    assert "Remboursements en échec" in panel.inner_text()
    assert panel.locator(f"a[href$='/remboursements/{refund.pk}/relancer/']").count() == 1
    browser_page.screenshot("admin-remboursement-en-echec")
    assert page_errors(browser_page) == []


def test_a_training_free_for_members_offers_them_no_quote(browser_page):
    from registrations.models import Occurrence

    page = browser_page.page
    _log_in(browser_page, MEMBER)
    browser_page.goto("/formations/achats-publics-durables-ademe/")
    assert page.locator("a[href*='devis.pdf']").count() == 0
    run = Occurrence.objects.upcoming().filter(page__slug="achats-publics-durables-ademe").first()
    response = browser_page.goto(f"/payments/formation/{run.pk}/devis.pdf")
    assert response.status == 200
    assert "Cette formation est gratuite pour vous" in page.content()
    assert page.get_by_role("link", name="S'inscrire").first.is_visible()
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("devis-formation-gratuite")
    assert browser_page.console_errors == []
