"""The ONE place where the site talks to Stripe's API.

``client()`` builds the ``stripe.StripeClient``; tests replace ``http_client`` (a factory
returning a ``stripe.HTTPClient``) with a fake that answers from recorded responses, so no test
ever reaches the network.
"""

import uuid

import stripe

from base.errors import DomainError

from . import conf


class GatewayError(DomainError):
    """Stripe could not be reached or refused the request. See ``base.errors.DomainError``."""

    default_code = "stripe_error"


def http_client():
    """The HTTP client Stripe's library uses (None: its default). Tests replace this function."""
    return None


def client():
    key = conf.stripe_secret_key()
    if not key:
        raise GatewayError("Le paiement par carte n'est pas configuré.", "not_configured")
    return stripe.StripeClient(key, http_client=http_client(), max_network_retries=2)


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs).to_dict()
    except stripe.StripeError as error:
        raise GatewayError(
            "Le service de paiement n'a pas répondu comme prévu ; réessayez dans quelques minutes.",
            getattr(error, "code", None) or "stripe_error",
        ) from error


def create_checkout_session(payment, *, success_url, cancel_url, expires_at):
    """A hosted Checkout Session for ``payment``, its amount taken from the database row.

    One idempotency key per attempt (Stripe's library reuses it for its own network retries):
    Stripe refuses a key reused with other parameters for 24 h, and every attempt has its own
    ``expires_at``. Stripe
    collects the billing address, a mandatory mention of the invoice."""
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency.lower(),
                    "unit_amount": payment.amount_cents,
                    "product_data": {"name": payment.description[:250]},
                },
            }
        ],
        "customer_email": payment.registration.email,
        "billing_address_collection": "required",
        "client_reference_id": str(payment.pk),
        "metadata": {"payment_id": str(payment.pk), "registration_id": str(payment.registration_id)},
        "payment_intent_data": {"metadata": {"payment_id": str(payment.pk)}},
        "expires_at": int(expires_at.timestamp()),
        "locale": "fr",
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    return _call(
        client().v1.checkout.sessions.create,
        params,
        options={"idempotency_key": f"reseco-payment-{payment.pk}-{uuid.uuid4().hex}"},
    )


def retrieve_checkout_session(session_id):
    return _call(client().v1.checkout.sessions.retrieve, session_id)


def expire_checkout_session(session_id):
    return _call(client().v1.checkout.sessions.expire, session_id)


def refund(payment, *, amount_cents, key, reason="requested_by_customer"):
    params = {
        "payment_intent": payment.stripe_payment_intent,
        "amount": amount_cents,
        "reason": reason,
        "metadata": {"payment_id": str(payment.pk)},
    }
    return _call(client().v1.refunds.create, params, options={"idempotency_key": key})
