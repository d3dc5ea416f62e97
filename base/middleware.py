"""Headers every response carries (Django covers HSTS, nosniff, referrer and frame options)."""

from django.shortcuts import render

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
