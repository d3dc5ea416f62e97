"""Public views of the newsletter: subscribe (double opt-in), confirm, unsubscribe in one click
(RFC 8058: a POST without session or CSRF token, authorised by the signed link alone), and the
members' preferences posted from « Mon compte »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from base.ratelimit import client_ip, rate_limit

from . import services
from .errors import NewsletterError
from .forms import PreferencesForm, SubscribeForm
from .models import ConsentSource
from .tokens import read_unsubscribe_token


def _invalid(request, error, status=400):
    return render(request, "newsletter/invalid_link.html", {"message": error.message}, status=status)


@never_cache
@rate_limit("newsletter")
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400 if form.is_bound else 200)
    services.request_subscription(form.cleaned_data["email"], ip=client_ip(request) or None)
    return render(request, "newsletter/check_email.html", {"email": form.cleaned_data["email"]})


@never_cache
@rate_limit("newsletter")
def confirm(request, token):
    if request.method == "POST":
        try:
            services.confirm_subscription(token, ip=client_ip(request) or None)
        except NewsletterError as error:
            return _invalid(request, error)
        return render(request, "newsletter/confirmed.html")
    # A GET only shows the button: link checkers that open every link confirm nothing.
    return render(request, "newsletter/confirm.html", {"token": token})


@csrf_exempt
@never_cache
def unsubscribe(request, token):
    """GET: a page with the button; POST (the button, or a mail client's one-click request
    with ``List-Unsubscribe=One-Click``): unsubscribed, no login, no CSRF."""
    email = read_unsubscribe_token(token)
    if email is None:
        return _invalid(request, NewsletterError(_("Ce lien de désabonnement n'est pas valide."), code="invalid_token"))
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.unsubscribe(
            token,
            source=ConsentSource.ONE_CLICK if one_click else ConsentSource.EMAIL_LINK,
            ip=client_ip(request) or None,
        )
        return render(request, "newsletter/unsubscribed.html", {"email": email})
    if request.method != "GET":
        return _invalid(request, NewsletterError(_("Méthode non prise en charge."), code="method"), status=405)
    return render(request, "newsletter/unsubscribe.html", {"email": email, "token": token})


@login_required
@require_POST
def preferences(request):
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vos préférences n'ont pas été enregistrées : vérifiez le formulaire."))
        return redirect(reverse("members:account") + "#lettre")
    services.update_preferences(
        request.user,
        public_letter=form.cleaned_data["public_letter"],
        members_letters=form.cleaned_data["members_letters"],
        sectors=form.cleaned_data["sectors"],
        ip=client_ip(request) or None,
    )
    messages.success(request, _("Vos préférences pour la lettre sont enregistrées."))
    return redirect(reverse("members:account") + "#lettre")
