"""Payment settings, each with a default (override in settings or the environment)."""

import datetime

from django.conf import settings

DEFAULT_SELLER = {
    "name": "Association RESECO",
    "legal_form": "Association loi 1901",
    "address": "2 rue de la Commande publique\n44000 Nantes",
    "siret": "80295478400020",
    "vat_number": "FR23802954784",
    "email": "contact@reseco.fr",
    "training_registration": "Déclaration d'activité de formation n° 52 44 09999 44",
    "iban": "",
}


def stripe_secret_key():
    return getattr(settings, "STRIPE_SECRET_KEY", "")


def stripe_webhook_secret():
    return getattr(settings, "STRIPE_WEBHOOK_SECRET", "")


def card_payment_enabled():
    return bool(stripe_secret_key() and stripe_webhook_secret())


def webhook_tolerance():
    """Seconds of clock drift accepted on a webhook's signed timestamp (Stripe's default: 300)."""
    return int(getattr(settings, "STRIPE_WEBHOOK_TOLERANCE", 300))


def seat_hold():
    """How long a seat is held during card payment: Stripe Checkout needs at least 30 minutes."""
    minutes = max(int(getattr(settings, "PAYMENT_HOLD_MINUTES", 31)), 31)
    return datetime.timedelta(minutes=minutes)


def payment_terms_days():
    return int(getattr(settings, "INVOICE_PAYMENT_TERMS_DAYS", 30))


def seller():
    return {**DEFAULT_SELLER, **getattr(settings, "RESECO_SELLER", {})}
