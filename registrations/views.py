"""Public views of the registration engine: register, outcome, cancel (signed link or « Mon
compte »), guest confirmation, supplier application. Each refusal is a French page with a 4xx
(or 503 "réessayez" when the occurrence is busy), never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wagtail import hooks

from base.ratelimit import client_ip, rate_limit
from members.audience import Audience, may_take_part
from members.suppliers import approved_company

from . import applications, conf, notices, services
from .emails import CANCEL_SALT, GUEST_SALT
from .errors import RegistrationError
from .forms import GuestRegistrationForm, MemberRegistrationForm, SupplierApplicationForm
from .kinds import by_application
from .models import Occurrence, Registration, RegistrationStatus

# HTTP status for each refusal code.
ERROR_STATUS = {"busy": 503, "audience": 403, "already_registered": 409}
GUEST_LINK_MAX_AGE = 60 * 60 * 24 * 7


def _occurrence(occurrence_id, *, with_page=True):
    """The occurrence of a live page. ``with_page=False`` (a form posted): its page is loaded
    only if a page is rendered, and only its type is read beside the occurrence."""
    if with_page:
        return get_object_or_404(Occurrence.objects.select_related("page"), pk=occurrence_id, page__live=True)
    rows = Occurrence.objects.annotate(page_content_type_id=F("page__content_type_id"))
    return get_object_or_404(rows, pk=occurrence_id, page__live=True)


def refusal(request, error, occurrence=None, status=None):
    status = status or ERROR_STATUS.get(error.code, 409)
    response = render(
        request,
        "registrations/refused.html",
        {"error": error, "occurrence": occurrence, "retry": error.code == "busy"},
        status=status,
    )
    if error.code == "busy":
        response["Retry-After"] = "5"
    return response


def _invalid_link(request, message, status=400):
    return render(request, "registrations/invalid_link.html", {"message": message}, status=status)


def _rate_limited(request, email):
    """Guest sign-ups per IP address and per e-mail address (shared cache)."""
    attempts, window = conf.guest_rate_limit()
    ip = client_ip(request)
    limited = False
    for key in (f"registrations:guest:ip:{ip}", f"registrations:guest:email:{email}"):
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)
            count = 1
        limited = limited or count > attempts
    return limited


def _register_page(request, context, user, status=200):
    """The form page with the live seat count (on its own URL: never cached)."""
    occurrence = context["occurrence"]
    context["seats_left"] = services.seats_left(occurrence)
    if user is not None:
        context["existing"] = Registration.objects.filter(occurrence=occurrence, user=user).active().first()
        context["organisation_name"] = services.person_details(user)["organisation_name"]
    return render(request, "registrations/register.html", context, status=status)


@never_cache
@rate_limit("register")
def register(request, occurrence_id):
    occurrence = _occurrence(occurrence_id, with_page=request.method != "POST")
    for fn in hooks.get_hooks("before_register"):
        response = fn(request, occurrence)
        if isinstance(response, HttpResponse):
            return response
    if occurrence.audience == Audience.SUPPLIERS or by_application(occurrence):
        return redirect("registrations:apply", occurrence_id=occurrence.pk)
    user = request.user if request.user.is_authenticated else None
    form_class = MemberRegistrationForm if user is not None else GuestRegistrationForm
    form = form_class(
        request.POST if request.method == "POST" else None, questions=services.registration_questions(occurrence)
    )
    may_register = (user is None and occurrence.audience == Audience.EVERYONE) or (
        user is not None and may_take_part(user, occurrence.audience)
    )
    page = SimpleLazyObject(lambda: occurrence.page)  # loaded only if a page is rendered
    context = {"occurrence": occurrence, "page": page, "form": form, "may_register": may_register}
    if request.method != "POST":
        return _register_page(request, context, user)
    if not may_register:
        error = RegistrationError(_("Cette date est réservée aux membres du réseau : connectez-vous."), "audience")
        return refusal(request, error, occurrence)
    if not form.is_valid():
        return _register_page(request, context, user, status=400)
    if user is None:
        if _rate_limited(request, form.cleaned_data["email"]):
            error = RegistrationError(_("Trop de demandes d'inscription : réessayez dans une heure."), "rate_limited")
            return refusal(request, error, occurrence, status=429)
        try:
            services.register(occurrence, guest=form.guest, answers=form.answers)
        except RegistrationError as error:
            if error.code != "already_registered":  # never reveal who is registered
                return refusal(request, error, occurrence)
        return redirect("registrations:check_email", occurrence_id=occurrence.pk)
    try:
        registration = services.register(occurrence, user=user, answers=form.answers)
    except RegistrationError as error:
        if error.code == "already_registered":
            existing = Registration.objects.filter(occurrence=occurrence, user=user).active().first()
            if existing:
                return redirect("registrations:outcome", token=existing.token)
        return refusal(request, error, occurrence)
    return redirect("registrations:outcome", token=registration.token)


@never_cache
def outcome(request, token):
    registration = get_object_or_404(Registration.objects.select_related("occurrence__page"), token=token)
    if registration.source == "guest" and registration.status == RegistrationStatus.PENDING_CONFIRMATION:
        return redirect("registrations:check_email", occurrence_id=registration.occurrence_id)
    return render(
        request,
        "registrations/outcome.html",
        {
            "registration": registration,
            "occurrence": registration.occurrence,
            "position": services.waitlist_position(registration),
            "cancel_token": signing.dumps({"r": registration.pk, "t": registration.token}, salt=CANCEL_SALT),
        },
    )


@never_cache
def check_email(request, occurrence_id):
    occurrence = _occurrence(occurrence_id)
    return render(request, "registrations/check_email.html", {"occurrence": occurrence})


def _from_signed(token, salt, max_age=None):
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
        return Registration.objects.select_related("occurrence__page").get(pk=data["r"], token=data["t"])
    except (signing.BadSignature, Registration.DoesNotExist, KeyError, TypeError):
        return None


@never_cache
def cancel(request, token):
    """Cancel by the signed link of the e-mails: GET asks, POST cancels (mail scanners only GET)."""
    registration = _from_signed(token, CANCEL_SALT)
    if registration is None:
        return _invalid_link(request, _("Ce lien d'annulation n'est pas valide. Utilisez celui de votre e-mail."))
    if registration.status == RegistrationStatus.CANCELLED:
        return _invalid_link(request, _("Cette inscription est déjà annulée."), status=410)
    if registration.occurrence.is_past:
        return _invalid_link(request, _("Cette date est passée : l'inscription ne peut plus être annulée."), 409)
    if request.method == "POST":
        try:
            services.cancel(registration, actor=request.user, reason=_("annulée par la personne (lien)"))
        except RegistrationError as error:
            return refusal(request, error, registration.occurrence)
        return render(request, "registrations/cancelled.html", {"registration": registration})
    return _ask_before_cancelling(request, registration)


def _ask_before_cancelling(request, registration):
    """The confirmation page of both ways to cancel: what happens to the seat and the money."""
    context = {"registration": registration, "consequences": notices.cancellation_consequences(registration)}
    return render(request, "registrations/cancel.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cancel_mine(request, pk):
    """« Mon compte »: GET asks (with the consequences), POST cancels."""
    registration = get_object_or_404(Registration.objects.select_related("occurrence__page"), pk=pk, user=request.user)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.info(request, _("Cette inscription était déjà annulée."))
    elif registration.occurrence.is_past:
        return _invalid_link(request, _("Cette date est passée : l'inscription ne peut plus être annulée."), 409)
    elif request.method == "GET":
        return _ask_before_cancelling(request, registration)
    else:
        try:
            services.cancel(registration, actor=request.user, reason=_("annulée depuis Mon compte"))
        except RegistrationError as error:
            return refusal(request, error, registration.occurrence)
        messages.success(request, _("Votre inscription est annulée."))
    return redirect(reverse("members:account") + "#inscriptions")


@never_cache
def confirm_guest(request, token):
    registration = _from_signed(token, GUEST_SALT, max_age=GUEST_LINK_MAX_AGE)
    if registration is None:
        return _invalid_link(request, _("Ce lien de confirmation n'est pas valide ou a expiré."))
    if registration.status == RegistrationStatus.CANCELLED:
        return _invalid_link(
            request, _("Cette inscription a expiré ou a été annulée : inscrivez-vous de nouveau."), 410
        )
    if registration.status != RegistrationStatus.PENDING_CONFIRMATION:
        return redirect("registrations:outcome", token=registration.token)
    # A supplier's application is confirmed into the working group's list, not into a seat.
    confirm = applications.confirm_application if registration.source == "supplier" else services.confirm_guest
    if request.method == "POST":
        try:
            registration = confirm(registration)
        except RegistrationError as error:
            return refusal(request, error, registration.occurrence)
        return redirect("registrations:outcome", token=registration.token)
    return render(request, "registrations/confirm_guest.html", {"registration": registration, "token": token})


@never_cache
@rate_limit("apply")
def apply(request, occurrence_id):
    occurrence = _occurrence(occurrence_id)
    if occurrence.audience != Audience.SUPPLIERS and not by_application(occurrence):
        return redirect("registrations:register", occurrence_id=occurrence.pk)
    initial = {}
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
        if supplier := approved_company(user):  # the company this contact acts for
            initial |= {
                "siret": supplier.siret, "company_name": supplier.name, "size": supplier.size,
                "city": supplier.city, "website": supplier.website, "description": supplier.description,
                "sectors": list(supplier.sectors.all()), "labels": list(supplier.labels.all()),
            }  # fmt: skip
    form = SupplierApplicationForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"occurrence": occurrence, "page": occurrence.page, "form": form}
    if request.method != "POST":
        return render(request, "registrations/apply.html", context)
    if not form.is_valid():
        return render(request, "registrations/apply.html", context, status=400)
    try:
        applications.apply_as_supplier(
            occurrence,
            company=form.company,
            contact=form.contact,
            answers=form.answers,
            user=user,
        )
    except RegistrationError as error:
        if error.code == "invalid_siret":
            form.add_error("siret", error.message)
            return render(request, "registrations/apply.html", context, status=400)
        if error.code != "already_registered":  # a double submit lands on the same page
            return refusal(request, error, occurrence)
    return redirect("registrations:applied", occurrence_id=occurrence.pk)


@never_cache
def applied(request, occurrence_id):
    return render(request, "registrations/applied.html", {"occurrence": _occurrence(occurrence_id)})
