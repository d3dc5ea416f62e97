"""Every staff account passes a second factor before the admin (and everything under /admin/)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import services

# Reachable before the second factor: signing in and out, a forgotten password, the 2FA screens,
# and what those screens load (the icon sprite, the JavaScript catalogue), which hold no data.
OPEN_PATHS = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/double-authentification/",
    "/admin/sprite/",
    "/admin/jsi18n/",
)


class StaffSecondFactorMiddleware:
    """After django-otp's OTPMiddleware (which tells whether this session passed a device)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            path.startswith("/admin/")
            and not path.startswith(OPEN_PATHS)
            and services.second_factor_required(request.user)
            and not request.user.is_verified()
        ):
            step = "twofactor:verify" if services.has_second_factor(request.user) else "twofactor:enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
