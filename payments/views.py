import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import stripe

from accounts.services import billing_of, is_referent_of
from base.pdf import pdf_response
from base.staff import is_staff
from members.audience import Audience, may_take_part
from registrations.errors import RegistrationError
from registrations.models import Occurrence, Registration, RegistrationStatus
from registrations.services import cancel, seats_left

from . import conf, services, stripe_gateway, webhooks
from .documents import billing_pdf, quote_pdf
from .errors import PaymentError
from .forms import InvoiceBillingForm
from .models import CreditNote, Invoice, Payment, PaymentStatus
from .pricing import may_be_free, payment_due, price_for, price_of, training_of


def _generic_register_url(occurrence):
    return reverse("registrations:register", kwargs={"occurrence_id": occurrence.pk})


def _training_occurrence(occurrence_id):
    occurrence = get_object_or_404(Occurrence.objects.select_related("page"), pk=occurrence_id, page__live=True)
    training = training_of(occurrence)
    if training is None:
        raise Http404(_("Cette date n'est pas une session de formation."))
    return occurrence, training


def _closed_reason(occurrence):
    if occurrence.is_cancelled:
        return _("Cette session est annulée.")
    if occurrence.is_past:
        return _("Cette session est passée.")
    return ""


def _notice(request, message, *, status, title=None, action=None):
    """A French page saying why; ``action``: (url, label) of the next step to offer."""
    return render(
        request,
        "payments/notice.html",
        {"title": title or _("Inscription impossible"), "message": message, "action": action},
        status=status,
    )


def _provider_unavailable(request, message, *, retry_url):
    """Stripe did not answer as expected: a 503 saying to try again, never a 400 (nothing was
    wrong with the request)."""
    response = _notice(
        request,
        message,
        status=503,
        title=_("Service de paiement indisponible"),
        action=(retry_url, _("Réessayer")),
    )
    response["Retry-After"] = "120"
    return response


def _build_urls(request):
    def build(payment):
        success = request.build_absolute_uri(reverse("payments:success")) + "?session_id={CHECKOUT_SESSION_ID}"
        cancel = request.build_absolute_uri(reverse("payments:checkout_cancelled", kwargs={"payment_id": payment.pk}))
        return success, cancel

    return build


def _start_context(request, occurrence, training, *, invoice_form=None):
    return {
        "occurrence": occurrence,
        "training": training,
        "price": price_for(occurrence, request.user, training=training),
        "seats_left": seats_left(occurrence),
        "card_enabled": conf.card_payment_enabled(),
        "invoice_form": invoice_form or InvoiceBillingForm(initial=_billing_initial(request.user)),
        "hold_minutes": int(conf.seat_hold().total_seconds() // 60),
    }


def _billing_initial(user):
    """The organisation's billing details as its référents keep them, else its name."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return {}
    billing = billing_of(organisation)
    if billing is None:
        return {"billing_entity": organisation.name}
    return {
        "billing_entity": billing.entity,
        "billing_siret": billing.siret,
        "billing_address": billing.address,
        "chorus_service_code": billing.chorus_service_code,
    }


def _sign_in_first(request, occurrence, training):
    """A run open to everyone, an anonymous visitor: « Créer un compte » or « Se connecter »,
    with the price each pays."""
    context = {
        "occurrence": occurrence,
        "training": training,
        "non_member_price": price_of(occurrence, member=False, training=training),
        "member_price": price_of(occurrence, member=True, training=training),
        "next": request.get_full_path(),
    }
    return render(request, "payments/sign_in_first.html", context)


def _guard(request, occurrence, training):
    """A response when this person may not pay for this run here, else None."""
    closed = _closed_reason(occurrence)
    if closed:
        return _notice(request, closed, status=410)
    if not request.user.is_authenticated:
        if may_be_free(training):
            return redirect(_generic_register_url(occurrence))
        if occurrence.audience != Audience.EVERYONE:
            return redirect_to_login(request.get_full_path())
        return _sign_in_first(request, occurrence, training)
    if not may_take_part(request.user, occurrence.audience):
        return _notice(request, _("Cette formation est réservée aux membres du réseau."), status=403)
    if payment_due(occurrence, request.user, training=training) is None:
        return redirect(_generic_register_url(occurrence))
    return None


@never_cache
@require_GET
def start(request, occurrence_id):
    """Paying for a run: the price from the database, the live seat count, card or invoice."""
    occurrence, training = _training_occurrence(occurrence_id)
    response = _guard(request, occurrence, training)
    if response is not None:
        return response
    mine = Registration.objects.active().filter(occurrence=occurrence, email__iexact=request.user.email).first()
    payment = Payment.objects.filter(registration=mine).order_by("-pk").first() if mine else None
    if payment is not None:
        return redirect("payments:payment", payment_id=payment.pk)
    if mine is not None:
        return _notice(request, _("Vous êtes déjà inscrit·e à cette session."), status=409, title=_("Déjà inscrit·e"))
    return render(request, "payments/start.html", _start_context(request, occurrence, training))


def _registration_error(request, occurrence, training, error, *, invoice_form=None):
    if error.code == "gateway":
        message = _(
            "Le service de paiement ne répond pas pour le moment : votre inscription n'est pas enregistrée "
            "et votre place n'est pas retenue. Réessayez dans quelques minutes."
        )
        return _provider_unavailable(
            request, message, retry_url=reverse("payments:start", kwargs={"occurrence_id": occurrence.pk})
        )
    context = _start_context(request, occurrence, training, invoice_form=invoice_form)
    context["error"] = error.message
    status = 409 if error.code in ("already_registered", "full", "free") else 400
    if error.code == "card_unavailable":
        status = 503
    return render(request, "payments/start.html", context, status=status)


@require_POST
def pay_by_card(request, occurrence_id):
    occurrence, training = _training_occurrence(occurrence_id)
    response = _guard(request, occurrence, training)
    if response is not None:
        return response
    try:
        registration, payment, checkout_url = services.start_card_payment(
            occurrence, user=request.user, build_urls=_build_urls(request)
        )
    except (PaymentError, RegistrationError) as error:
        return _registration_error(request, occurrence, training, error)
    if checkout_url is None:
        messages.info(
            request,
            _("La session est complète : vous êtes sur la liste d'attente. Vous paierez si une place se libère."),
        )
        return redirect("payments:payment", payment_id=payment.pk)
    return redirect(checkout_url, permanent=False)


@require_POST
def pay_by_invoice(request, occurrence_id):
    occurrence, training = _training_occurrence(occurrence_id)
    response = _guard(request, occurrence, training)
    if response is not None:
        return response
    form = InvoiceBillingForm(request.POST)
    if not form.is_valid():
        context = _start_context(request, occurrence, training, invoice_form=form)
        context["error"] = _("Le formulaire contient des erreurs : corrigez les champs signalés.")
        return render(request, "payments/start.html", context, status=400)
    try:
        registration, payment, invoice = services.register_with_invoice(
            occurrence, user=request.user, billing=form.cleaned_data
        )
    except (PaymentError, RegistrationError) as error:
        return _registration_error(request, occurrence, training, error, invoice_form=form)
    if invoice:
        messages.success(
            request,
            _("Inscription confirmée. Votre facture %(number)s vous est envoyée par e-mail.")
            % {"number": invoice.number},
        )
    else:
        messages.info(
            request,
            _("La session est complète : vous êtes sur la liste d'attente. La facture suivra si une place se libère."),
        )
    return redirect("payments:payment", payment_id=payment.pk)


def _own_payment(request, payment_id):
    payment = get_object_or_404(Payment.objects.select_related("registration__occurrence__page"), pk=payment_id)
    if not (is_staff(request.user) or payment.registration.user_id == request.user.pk):
        raise Http404
    return payment


@never_cache
def payment_detail(request, payment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    payment = _own_payment(request, payment_id)
    return render(
        request,
        "payments/payment.html",
        {
            "payment": payment,
            "invoice": Invoice.objects.filter(payment=payment).first(),
            "registration": payment.registration,
        },
    )


@never_cache
@require_GET
def checkout_success(request):
    """Stripe sends the person back here: fulfil the same way as the webhook (idempotent)."""
    session_id = request.GET.get("session_id", "")
    if not session_id.startswith("cs_") or len(session_id) > 255:
        return _notice(request, _("Lien de retour de paiement invalide."), status=400, title=_("Paiement"))
    if not Payment.objects.filter(stripe_session_id=session_id).exists():
        return _notice(request, _("Ce paiement est inconnu."), status=404, title=_("Paiement"))
    try:
        payment = webhooks.fulfil_session_id(session_id)
    except stripe_gateway.GatewayError:
        payment = Payment.objects.get(stripe_session_id=session_id)
        messages.warning(
            request,
            _("Nous vérifions votre paiement auprès de la banque : vous recevrez un e-mail dès sa confirmation."),
        )
    if request.user.is_authenticated and (is_staff(request.user) or payment.registration.user_id == request.user.pk):
        return redirect("payments:payment", payment_id=payment.pk)
    return render(request, "payments/success.html", {"payment": payment})


@never_cache
def checkout_cancelled(request, payment_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    payment = _own_payment(request, payment_id)
    if request.method == "POST":
        if (
            payment.status == PaymentStatus.PENDING
            and payment.registration.status == RegistrationStatus.PENDING_PAYMENT
        ):
            cancel(payment.registration, actor=request.user, reason=_("paiement abandonné"))
            messages.info(request, _("Votre place est libérée. Vous pouvez vous réinscrire à tout moment."))
        return redirect("payments:payment", payment_id=payment.pk)
    return render(request, "payments/cancelled.html", {"payment": payment})


@never_cache
@require_GET
def resume(request, payment_id):
    """Pay a registration confirmed from the waiting list."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    payment = _own_payment(request, payment_id)
    try:
        url = services.resume_card_payment(payment, build_urls=_build_urls(request))
    except PaymentError as error:
        if error.code == "gateway":
            message = _("Le service de paiement ne répond pas pour le moment. Réessayez dans quelques minutes.")
            return _provider_unavailable(
                request, message, retry_url=reverse("payments:payment", kwargs={"payment_id": payment.pk})
            )
        return _notice(request, error.message, status=409, title=_("Paiement"))
    return redirect(url)


@require_GET
def quote(request, occurrence_id):

    occurrence, training = _training_occurrence(occurrence_id)
    closed = _closed_reason(occurrence)
    if closed:
        return _notice(request, closed, status=410)
    user = request.user if request.user.is_authenticated else None
    price = price_for(occurrence, user, training=training)
    if price.is_free:  # a link never offered to this person, reached directly: say so plainly
        return _notice(
            request,
            _("Cette formation est gratuite pour vous : aucun devis n'est nécessaire. Inscrivez-vous directement."),
            status=200,
            title=_("Devis"),
            action=(_generic_register_url(occurrence), _("S'inscrire")),
        )
    number, pdf = quote_pdf(occurrence, price, training=training, person=user)
    return pdf_response(pdf, f"{number}.pdf", inline=False)


def _document_pdf(request, model, number):

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    related = "payment__registration" if model is Invoice else "invoice__payment__registration"
    document = get_object_or_404(model.objects.select_related(related), number=number)
    registration = document.payment.registration if model is Invoice else document.invoice.payment.registration
    mine = registration.user_id == request.user.pk
    if not (is_staff(request.user) or mine or is_referent_of(request.user, registration.organisation_id)):
        raise Http404
    return pdf_response(billing_pdf(document), f"{document.number}.pdf", inline=False)


@require_GET
def invoice_pdf(request, number):
    return _document_pdf(request, Invoice, number)


@require_GET
def credit_note_pdf(request, number):
    return _document_pdf(request, CreditNote, number)


def _bad_request(message):
    return HttpResponseBadRequest(json.dumps({"error": message}, ensure_ascii=False), content_type="application/json")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: signature checked with Stripe's library before anything is read."""
    secret = conf.stripe_webhook_secret()
    if not secret:
        return _bad_request(_("Les paiements par carte ne sont pas configurés."))
    header = request.headers.get("Stripe-Signature")
    if not header:
        return _bad_request(_("Signature Stripe manquante."))
    try:
        payload = request.body.decode("utf-8")
        stripe.WebhookSignature.verify_header(payload, header, secret, conf.webhook_tolerance())
    except (UnicodeDecodeError, stripe.SignatureVerificationError):
        return _bad_request(_("Signature Stripe invalide ou expirée."))
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        return _bad_request(_("Contenu JSON invalide."))
    # JSON writes a NUL only as \u0000 (raw control characters are refused by json.loads), and
    # PostgreSQL refuses NUL in text and jsonb: never a legitimate Stripe event.
    if not isinstance(event, dict) or "\\u0000" in payload:
        return _bad_request(_("Contenu JSON invalide."))

    try:
        outcome = webhooks.handle_event(event)
    except PaymentError as error:
        return _bad_request(error.message)
    except RegistrationError as error:  # the run is busy: Stripe retries later
        response = JsonResponse({"error": error.message}, status=503)
        response["Retry-After"] = "30"
        return response
    return JsonResponse({"received": True, "outcome": outcome})
