"""Headers every response carries (Django covers HSTS, nosniff, referrer and frame options)."""

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject, empty

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy

# Features no page of ours uses; the QR check-in view sets its own policy allowing the camera.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


# Wagtail's admin relies on inline scripts and styles: a policy it works under.
ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Content-Language", settings.LANGUAGE_CODE)  # one language: no LocaleMiddleware
        if request.path.startswith("/admin/"):
            # Wagtail's preview runs the page through the middleware as a request for the page's
            # own URL, so it comes back with the public policy (frame-ancestors 'none') and the
            # preview panel stays blank: the admin, and only it, may frame what it serves.
            policy = response.headers.get("Content-Security-Policy")
            response.headers["Content-Security-Policy"] = framable_by_admin(policy) if policy else ADMIN_CSP
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response


def framable_by_admin(policy):
    """``policy`` with its frame-ancestors set to the site's own origin (the admin)."""
    directives = [d.strip() for d in policy.split(";") if d.strip() and not d.strip().startswith("frame-ancestors")]
    return "; ".join([*directives, "frame-ancestors 'self'"])


class RejectNullBytesMiddleware:
    """A NUL byte in the path, the query string, a cookie or a posted field is never legitimate, and
    PostgreSQL refuses it in text: answer 400 in French before any view looks it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_null_byte(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _has_null_byte(request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        # A cookie written "\000…" is unquoted into a NUL (the session lookup would fail).
        if any("\x00" in value for value in request.COOKIES.values()):
            return True
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        return False


# The response attributes through which a view (django-csp's decorators) changes the policy.
_PER_RESPONSE_POLICY = frozenset(
    f"_csp_{name}{suffix}" for name in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


class SettledPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware builds the policy from the settings on every response, which was a
    fifth of the trivial view's cost. Our views never change it (no decorator, no nonce): the
    header is built once per settings object and reused; a response that does carry a change (or
    a nonce) still goes through django-csp's own path. Called directly, without
    MiddlewareMixin's dispatch: the stack runs for every request, cached ones included."""

    _built = (None, None, None)  # (policy setting, report-only setting, headers)

    def __call__(self, request):
        self.process_request(request)
        return self.process_response(request, self.get_response(request))

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or not _PER_RESPONSE_POLICY.isdisjoint(response.__dict__):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, value, prefixes in self._headers():
            if header not in response and not request.path_info.startswith(prefixes):
                response[header] = value
        # As django-csp does: asking for a nonce once the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _headers(self):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built_policy, built_report_only, headers = SettledPolicyCSPMiddleware._built
        if headers is None or built_policy is not policy or built_report_only is not report_only:
            headers = []
            for header, setting, flag in ((HEADER, policy, False), (HEADER_REPORT_ONLY, report_only, True)):
                value = build_policy(report_only=flag)
                if value:
                    headers.append((header, value, tuple((setting or {}).get("EXCLUDE_URL_PREFIXES") or ())))
            SettledPolicyCSPMiddleware._built = (policy, report_only, headers)
        return headers


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages middleware opens the message storage (cookie and session) for every
    request and writes it back on every response. Here the storage opens only when something
    adds or reads a message (a template showing them, a view adding one); when nothing did,
    there is nothing to write back."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
