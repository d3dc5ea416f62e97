"""Staff sign-in's second step: set up an authenticator app (QR code, then recovery codes shown
once), or give a code from it (or a recovery code). French screens in the admin's login skin."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from django_otp import login as otp_login

from base.staff import is_staff

from . import services
from .forms import TokenForm


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _step(request, name):
    return redirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


def _page(request, template, title, form, status=200, **context):
    return TemplateResponse(
        request, template, {"title": title, "form": form, "next": _next(request), **context}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    if not is_staff(request.user):
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if services.has_second_factor(request.user):
        return _step(request, "twofactor:verify")
    device = services.pending_app_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_app_device(device, form.cleaned_data["token"])
        if codes is not None:
            otp_login(request, device)
            title = _("Vos codes de secours")
            return _page(request, "twofactor/codes.html", title, None, codes=codes)
        form.add_error("token", _("Ce code ne correspond pas : vérifiez l'heure du téléphone et réessayez."))
    context = {"qr_svg": services.qr_svg(device), "secret": services.secret(device)}
    title = _("Activer la double authentification")
    return _page(request, "twofactor/enrol.html", title, form, status=400 if form.errors else 200, **context)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    if not is_staff(request.user):
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not services.has_second_factor(request.user):
        return _step(request, "twofactor:enrol")
    if request.user.is_verified():
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verified_device(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("token", _("Code incorrect ou déjà utilisé. Réessayez dans quelques secondes."))
    title = _("Double authentification")
    return _page(request, "twofactor/verify.html", title, form, status=400 if form.errors else 200)
