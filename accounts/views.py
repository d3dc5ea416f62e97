"""Public account views: ask for an account, create a public account, set a password from an
invitation. Each answers the same whether or not the address has an account."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from base.ratelimit import rate_limit

from . import services
from .errors import AccountError
from .forms import AccountRequestForm, SetPasswordForm, SignupForm
from .tokens import set_password_tokens

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _invalid(request, error, status=400):
    return render(request, "accounts/invalid_link.html", {"message": error.message, "code": error.code}, status=status)


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _form_page(request, form, template):
    status = 400 if form.is_bound else 200
    return render(
        request, template, {"form": form, "next": _safe_next(request, request.GET.get("next", ""))}, status=status
    )


@never_cache
@rate_limit("account")
def request_account(request):
    """« Demander un compte »: an agent of a member body."""
    form = AccountRequestForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, "accounts/request.html")
    services.ask_for_account(form.payload())
    return render(request, "accounts/check_email.html", {"email": form.cleaned_data["email"]})


@never_cache
def verify_request(request, token):
    try:
        account_request = services.confirm_request(token)
    except AccountError as error:
        return _invalid(request, error, status=409 if error.code == "exists" else 400)
    return render(request, "accounts/request_received.html", {"account_request": account_request})


@never_cache
@rate_limit("account")
def sign_up(request):
    """« Créer un compte »: anyone, for activities open to everyone (non-member prices)."""
    form = SignupForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, form, "accounts/signup.html")
    payload = form.payload()
    next_url = _safe_next(request, request.POST.get("next", ""))
    if next_url:
        payload["next"] = next_url
    services.sign_up(payload)
    return render(request, "accounts/check_email.html", {"email": form.cleaned_data["email"]})


def _password_page(request, form, context, template="accounts/set_password.html"):
    status = 400 if form.is_bound else 200
    return render(request, template, {"form": form, **context}, status=status)


@never_cache
def complete_signup(request, token):
    try:
        data = services.signup_details(token)
    except AccountError as error:
        return _invalid(request, error, status=409 if error.code == "exists" else 400)
    form = SetPasswordForm(None, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _password_page(request, form, {"email": data["email"], "title": _("Créer votre compte")})
    try:
        user = services.complete_signup(data, form.cleaned_data["new_password1"])
    except AccountError as error:
        return _invalid(request, error, status=409)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Votre compte est créé."))
    return redirect(_safe_next(request, data.get("next", "")) or "members:account")


def _invited_user(uidb64, token):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = get_user_model().objects.get(pk=pk, is_active=True)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None
    return user if set_password_tokens.check_token(user, token) else None


@never_cache
def set_password(request, uidb64, token):
    """The link of an invitation or an approved request: choose a password, then signed in."""
    user = _invited_user(uidb64, token)
    if user is None:
        error = AccountError(
            _("Ce lien n'est plus valable : il a déjà servi ou il a expiré. Demandez un nouveau lien."), "bad_link"
        )
        return _invalid(request, error)
    form = SetPasswordForm(user, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _password_page(request, form, {"email": user.email, "title": _("Choisir votre mot de passe")})
    form.save()
    services.accept_invitation(user)
    login(request, user, backend=BACKEND)
    messages.success(request, _("Bienvenue : votre mot de passe est enregistré."))
    return redirect("members:account")
