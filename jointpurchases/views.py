"""The grouped purchase's page and its screens (routes of JointPurchasePage).

Before award the page is for members (and the staff): anonymous visitors are sent to log in,
other accounts get a French refusal (403). Once awarded it is public; an anonymous GET then sets
no cookie (no form is rendered for them). Members declare their body's needs on the page; the
coordinator's référents and the staff see the table, export it and write to participants."""

import functools
import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import exports
from . import reminders as reminders_service
from .forms import DeclarationForm, MessageForm, ReminderConfirmForm, StatusForm, lot_field_name
from .models import Participation
from .queries import coordinator_table, format_quantity, is_member_or_staff
from .services import JointPurchaseError, may_coordinate, send_message, set_status
from .services import declare as declare_service


def never_cache(view):
    """Django's never_cache for views of a page (their first argument is the page)."""

    @functools.wraps(view)
    def wrapper(purchase, request, *args, **kwargs):
        response = view(purchase, request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


ERROR_STATUS = {
    "other_organisation": 403,
    "not_member": 403,
    "forbidden": 403,
    "closed": 403,
    "conflict": 409,
    "changed": 409,
}


def _refused(request, purchase, *, message=None, status=403):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "jointpurchases/refused.html",
        {"page": purchase, "message": message or _("Ce groupement de commandes est réservé aux membres du réseau.")},
        status=status,
    )


def _lots(purchase):
    return list(purchase.lots.all())


def _own_participation(purchase, user):
    if not user.is_authenticated or not user.organisation_id:
        return None
    return (
        Participation.objects.filter(purchase=purchase, organisation_id=user.organisation_id)
        .prefetch_related("quantities")
        .first()
    )


def _initial(participation, lots, user):
    if participation is None:
        return {"contact_name": user.get_full_name(), "contact_email": user.email, "contact_phone": user.phone}
    values = {q.lot_key: q.quantity for q in participation.quantities.all()}
    initial = {
        "contact_name": participation.contact_name,
        "contact_email": participation.contact_email,
        "contact_phone": participation.contact_phone,
    }
    for lot in lots:
        if lot.key in values:
            initial[lot_field_name(lot)] = format_quantity(values[lot.key])
    return initial


def purchase_page(purchase, request, *, form=None, status=200):
    user = request.user
    members_view = is_member_or_staff(user)
    if not purchase.awarded and not members_view:
        return _refused(request, purchase)
    lots = _lots(purchase)
    context = {"lots": lots, "calendar": purchase.calendar(), "members_view": members_view}
    if purchase.awarded:
        context["bodies_count"] = Participation.objects.filter(purchase=purchase).active().count()
    if members_view:
        coordinator = may_coordinate(user, purchase)
        participation = _own_participation(purchase, user)
        can_edit = bool(user.is_member and (purchase.interest_open() or coordinator))
        if form is None and can_edit:
            form = DeclarationForm(lots=lots, initial=_initial(participation, lots, user))
        context.update(
            {
                "coordinator": coordinator,
                "participation": participation,
                "form": form if can_edit else None,
                "interest_open": purchase.interest_open(),
                "status_form": StatusForm(initial={"status": participation.status}) if participation else None,
                "declare_url": purchase.url + purchase.reverse_subpage("declare"),
                "coordination_url": purchase.url + purchase.reverse_subpage("coordination"),
            }
        )
        if participation:
            context["status_url"] = purchase.url + purchase.reverse_subpage("status", args=[participation.pk])
            context["quantities"] = {q.lot_key: q.quantity for q in participation.quantities.all()}
            context["own_rows"] = [(lot, format_quantity(context["quantities"].get(lot.key))) for lot in lots]
    response = purchase.render(request, context_overrides=context)
    if not purchase.awarded or user.is_authenticated:
        response["Cache-Control"] = "private, no-cache"
    response.status_code = status
    return response


@never_cache
def declare(purchase, request):
    """POST of the declaration form (its own agents, or the coordinator for any member body)."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(purchase.url)
    if request.method != "POST":
        return redirect(purchase.url)
    coordinator = may_coordinate(user, purchase)
    if not (coordinator or user.is_member):
        return _refused(request, purchase)
    posted_org = request.POST.get("organisation")
    if not coordinator and posted_org is not None and posted_org != str(user.organisation_id):
        return _refused(
            request, purchase, message=_("Vous ne pouvez déclarer que pour votre propre collectivité."), status=403
        )
    lots = _lots(purchase)
    # The coordinator's form names the body; a member's (the coordinator's own agents' too) does not.
    on_behalf = coordinator and posted_org is not None
    form = DeclarationForm(request.POST, lots=lots, coordinator=on_behalf)
    if not form.is_valid():
        if on_behalf:
            return coordination(purchase, request, declaration_form=form, status=400)
        return purchase_page(purchase, request, form=form, status=400)
    organisation = form.cleaned_data.get("organisation") or user.organisation
    try:
        declare_service(
            purchase,
            organisation=organisation,
            actor=user,
            quantities=form.quantities(),
            contact_name=form.cleaned_data["contact_name"],
            contact_email=form.cleaned_data["contact_email"],
            contact_phone=form.cleaned_data["contact_phone"],
        )
    except JointPurchaseError as error:
        status = ERROR_STATUS.get(error.code, 400)
        if status == 403:
            return _refused(request, purchase, message=error.message, status=403)
        form.add_error(None, error.message)
        if on_behalf:
            return coordination(purchase, request, declaration_form=form, status=status)
        return purchase_page(purchase, request, form=form, status=status)
    messages.success(request, _("Les besoins de %(org)s sont enregistrés.") % {"org": organisation.name})
    if on_behalf:
        return redirect(purchase.url + purchase.reverse_subpage("coordination"))
    return redirect(purchase.url)


@never_cache
def change_status(purchase, request, pk):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(purchase.url)
    participation = Participation.objects.filter(purchase=purchase, pk=pk).first()
    if participation is None:
        raise Http404
    if request.method != "POST":
        return redirect(purchase.url)
    form = StatusForm(request.POST, request.FILES)
    back = (
        purchase.url + purchase.reverse_subpage("coordination")
        if participation.organisation_id != user.organisation_id
        else purchase.url
    )
    if not form.is_valid():
        messages.error(request, _("Choisissez un avancement valable."))
        return redirect(back)
    try:
        set_status(
            participation,
            status=form.cleaned_data["status"],
            actor=user,
            signed_document=form.cleaned_data["signed_document"],
        )
    except JointPurchaseError as error:
        if ERROR_STATUS.get(error.code) == 403:
            return _refused(request, purchase, message=error.message, status=403)
        return render(
            request,
            "jointpurchases/refused.html",
            {"page": purchase, "message": error.message, "back": back, "title": _("Avancement non enregistré")},
            status=400,
        )
    messages.success(request, _("Avancement enregistré."))
    return redirect(back)


@never_cache
def signed_document(purchase, request, pk):
    """A signed convention: for the body's own agents and the coordinator only."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    participation = Participation.objects.filter(purchase=purchase, pk=pk).exclude(signed_document="").first()
    if participation is None:
        raise Http404
    if participation.organisation_id != user.organisation_id and not may_coordinate(user, purchase):
        raise Http404
    response = FileResponse(
        participation.signed_document.open("rb"),
        as_attachment=True,
        filename=f"convention-signee-{participation.organisation.siren}.pdf",
    )
    response["Content-Type"] = mimetypes.types_map[".pdf"]
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
def coordination(purchase, request, *, declaration_form=None, status=200):
    user = request.user
    if not may_coordinate(user, purchase):
        return _refused(request, purchase, message=_("Ce tableau est réservé au coordonnateur du groupement."))
    message_form = MessageForm()
    if request.method == "POST" and declaration_form is None:
        message_form = MessageForm(request.POST)
        if message_form.is_valid():
            try:
                sent = send_message(
                    purchase,
                    sender=user,
                    subject=message_form.cleaned_data["subject"],
                    body=message_form.cleaned_data["body"],
                )
            except JointPurchaseError as error:
                message_form.add_error(None, error.message)
                status = 400
            else:
                messages.success(request, _("Message envoyé à %(count)d participant(s).") % {"count": sent.recipients})
                return redirect(purchase.url + purchase.reverse_subpage("coordination"))
        else:
            status = 400
    lots = _lots(purchase)
    table = coordinator_table(purchase)
    return TemplateResponse(
        request,
        "jointpurchases/coordination.html",
        {
            "page": purchase,
            "table": table,
            "message_form": message_form,
            "declaration_form": declaration_form or DeclarationForm(lots=lots, coordinator=True),
            "declare_url": purchase.url + purchase.reverse_subpage("declare"),
            "export_csv": purchase.url + purchase.reverse_subpage("export", kwargs={"fmt": "csv"}),
            "export_xlsx": purchase.url + purchase.reverse_subpage("export", kwargs={"fmt": "xlsx"}),
            "reminders_url": purchase.url + purchase.reverse_subpage("reminders"),
            "base_url": purchase.url,
            "sent_messages": list(purchase.messages.all()[:10]),
        },
        status=status,
    )


@never_cache
def export(purchase, request, fmt):
    if not may_coordinate(request.user, purchase):
        return _refused(request, purchase, message=_("Cet export est réservé au coordonnateur du groupement."))
    if fmt not in ("csv", "xlsx"):
        raise Http404
    return exports.export(purchase, coordinator_table(purchase), fmt)


@never_cache
def reminders(purchase, request):
    """The member reminders due soon: which bodies, their contacts, how many; nothing goes to
    them before the coordinator or an editor confirms here (one phase at a time)."""
    user = request.user
    if not may_coordinate(user, purchase):
        return _refused(request, purchase, message=_("Les rappels sont réservés au coordonnateur du groupement."))
    url = purchase.url + purchase.reverse_subpage("reminders")
    status, error = 200, None
    if request.method == "POST":
        form = ReminderConfirmForm(request.POST)
        if form.is_valid():
            try:
                sent = reminders_service.confirm_reminders(
                    purchase,
                    phase=form.cleaned_data["phase"],
                    deadline=form.cleaned_data["deadline"],
                    fingerprint=form.cleaned_data["fingerprint"],
                    actor=user,
                )
            except JointPurchaseError as exception:
                status, error = ERROR_STATUS.get(exception.code, 400), exception.message
            else:
                messages.success(request, _("Rappel envoyé à %(count)d collectivité(s).") % {"count": sent})
                return redirect(url)
        else:
            status, error = 400, _("Cette confirmation est incomplète : rechargez la page et recommencez.")
    context = {
        "page": purchase,
        "due": reminders_service.due_member_reminders(purchase),
        "error": error,
        "base_url": purchase.url,
        "coordination_url": purchase.url + purchase.reverse_subpage("coordination"),
    }
    return TemplateResponse(request, "jointpurchases/reminders.html", context, status=status)
