"""A stand-in for Stripe's HTTP API at the one seam (``payments.stripe_gateway.http_client``):
recorded responses, no network. Also signs webhook payloads the way Stripe does."""

import hashlib
import hmac
import itertools
import json
import time
from urllib.parse import parse_qsl, urlparse

import stripe

WEBHOOK_SECRET = "whsec_test_secret"
_ids = itertools.count(1)


def signature_header(payload, *, secret=WEBHOOK_SECRET, timestamp=None):
    """The Stripe-Signature header: t=<unix time>,v1=<HMAC-SHA256 of "t.payload">."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_type, obj, *, event_id=None):
    return {
        "id": event_id or f"evt_test_{next(_ids)}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


class FakeStripe(stripe.HTTPClient):
    """Answers Stripe API calls from an in-memory store of sessions and refunds."""

    name = "fake"

    def __init__(self):
        super().__init__()
        self.calls = []
        self.sessions = {}
        self.refunds = []
        self.fail = False
        self.idempotency = {}  # key: (path, parameters, answer), as Stripe keeps them for 24 h

    # -- what tests use
    def complete(self, session_id, *, payment_status="paid", amount_total=None):
        session = self.sessions[session_id]
        session.update(status="complete", payment_status=payment_status, payment_intent=f"pi_{session_id}")
        if amount_total is not None:
            session["amount_total"] = amount_total
        # Checkout collected the billing address (billing_address_collection=required).
        session["customer_details"] = {
            "email": session["customer_email"],
            "name": "Camille Durand",
            "address": {
                "line1": "12 rue des Lilas",
                "line2": None,
                "postal_code": "44000",
                "city": "Nantes",
                "country": "FR",
            },
        }
        return dict(session)

    def expire(self, session_id):
        self.sessions[session_id].update(status="expired")
        return dict(self.sessions[session_id])

    def posted(self, path):
        return [dict(parse_qsl(data or "")) for method, p, data in self.calls if method == "post" and p == path]

    # -- stripe.HTTPClient
    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = urlparse(url).path
        self.calls.append((method, path, post_data))
        if self.fail:
            body = {"error": {"type": "api_error", "message": "Service unavailable"}}
            return json.dumps(body), 500, {}
        data = dict(parse_qsl(post_data or ""))
        key = {name.lower(): value for name, value in (headers or {}).items()}.get("idempotency-key")
        if method == "post" and key:
            return self._idempotent(key, path, data, lambda: self._answer(method, path, data))
        return self._answer(method, path, data)

    def _idempotent(self, key, path, data, answer):
        """Stripe's rule: the same key with other parameters is refused; with the same ones, the
        first answer comes back."""
        if key in self.idempotency:
            first_path, first_data, first_answer = self.idempotency[key]
            if (first_path, first_data) != (path, data):
                body = {
                    "error": {
                        "type": "idempotency_error",
                        "message": "Keys for idempotent requests can only be used with the same parameters "
                        "they were first used with.",
                    }
                }
                return json.dumps(body), 400, {}
            return first_answer
        result = answer()
        if result[1] < 500:
            self.idempotency[key] = (path, data, result)
        return result

    def _answer(self, method, path, data):
        if method == "post" and path == "/v1/checkout/sessions":
            return self._json(self._create_session(data))
        if path.startswith("/v1/checkout/sessions/"):
            session_id = path.split("/")[4]
            if session_id not in self.sessions:
                return json.dumps({"error": {"type": "invalid_request_error", "message": "No such session"}}), 404, {}
            if path.endswith("/expire"):
                return self._json(self.expire(session_id))
            return self._json(self.sessions[session_id])
        if method == "post" and path == "/v1/refunds":
            refund = {
                "id": f"re_test_{next(_ids)}",
                "object": "refund",
                "status": "succeeded",
                "amount": int(data["amount"]),
                "payment_intent": data["payment_intent"],
            }
            self.refunds.append(refund)
            return self._json(refund)
        return json.dumps({"error": {"type": "invalid_request_error", "message": f"Unknown {path}"}}), 404, {}

    def request_stream(self, *args, **kwargs):
        raise NotImplementedError

    def close(self):
        pass

    def _json(self, body):
        return json.dumps(body), 200, {"request-id": "req_test"}

    def _create_session(self, data):
        session_id = f"cs_test_{next(_ids)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": int(data["line_items[0][price_data][unit_amount]"]),
            "currency": data["line_items[0][price_data][currency]"],
            "client_reference_id": data.get("client_reference_id"),
            "customer_email": data.get("customer_email"),
            "customer_details": None,
            "metadata": {"payment_id": data.get("metadata[payment_id]")},
            "expires_at": int(data["expires_at"]),
            "payment_intent": None,
        }
        self.sessions[session_id] = session
        return session
