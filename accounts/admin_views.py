"""« Réseau › Demandes de compte » and « Réseau › Inviter »: the staff's side of accounts."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.staff import admin_context, require_staff
from members.models import Organisation

from . import csv_import, services
from .errors import AccountError
from .forms import ApproveForm, CsvUploadForm, DeclineForm, InviteForm
from .models import AccountRequest, RequestStatus

IMPORT_SALT = "accounts.import"
RECENT = 50


def _render(request, template, title, status=200, **context):
    parents = (
        [] if template.endswith("requests.html") else [(_("Demandes de compte"), reverse("accounts_admin:requests"))]
    )
    return TemplateResponse(request, template, admin_context(request, title, parents=parents, **context), status=status)


def requests(request):
    require_staff(request)
    pending = list(AccountRequest.objects.pending().select_related("organisation"))
    suggestions = services.suggested_organisations(pending)
    for item in pending:
        item.suggestion = suggestions.get(item.pk)
    decided = AccountRequest.objects.exclude(status=RequestStatus.PENDING).select_related("organisation", "decided_by")
    return _render(
        request,
        "accounts/admin/requests.html",
        _("Demandes de compte"),
        pending=pending,
        decided=decided.order_by("-decided_at")[:RECENT],
    )


def request_detail(request, pk):
    require_staff(request)
    account_request = get_object_or_404(AccountRequest.objects.select_related("organisation"), pk=pk)
    suggestion = services.suggested_organisations([account_request]).get(account_request.pk)
    approve_form = ApproveForm(initial={"organisation": account_request.organisation or suggestion})
    return _render(
        request,
        "accounts/admin/request_detail.html",
        str(account_request),
        account_request=account_request,
        suggestion=suggestion,
        approve_form=approve_form,
        decline_form=DeclineForm(),
    )


@require_POST
def decide(request, pk, decision):
    require_staff(request)
    account_request = get_object_or_404(AccountRequest, pk=pk)
    form = (ApproveForm if decision == "approve" else DeclineForm)(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("accounts_admin:request", pk=pk)
    try:
        if decision == "approve":
            services.approve(account_request, request.user, organisation=form.cleaned_data["organisation"])
            messages.success(request, _("Compte créé ; un lien pour choisir le mot de passe est parti."))
        else:
            services.decline(account_request, request.user, form.cleaned_data["message"])
            messages.success(request, _("Demande refusée ; le message est parti."))
    except AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts_admin:request", pk=pk)
    return redirect("accounts_admin:requests")


def invite(request):
    require_staff(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite(
                request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
            )
        except AccountError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": data["email"]})
            return redirect("accounts_admin:invite")
    status = 400 if form.is_bound else 200
    return _render(request, "accounts/admin/invite.html", _("Inviter une personne"), status=status, form=form)


def import_csv(request):
    """Upload → preview with each line's errors → confirm (the valid lines travel signed)."""
    require_staff(request)
    title = _("Inviter depuis un fichier CSV")
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm_import(request)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _render(request, "accounts/admin/import.html", title, form=form)
    if not form.is_valid():
        return _render(request, "accounts/admin/import.html", title, status=400, form=form)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > csv_import.MAX_BYTES:  # refused before reading it into memory
            raise csv_import.CsvError(_("Le fichier dépasse 2 Mo : découpez-le."))
        rows = csv_import.parse(upload.read())
    except csv_import.CsvError as error:
        form.add_error("file", str(error))
        return _render(request, "accounts/admin/import.html", title, status=400, form=form)
    valid = [row.as_payload() for row in rows if not row.errors]
    context = {
        "form": CsvUploadForm(),
        "rows": rows,
        "valid_count": len(valid),
        "error_count": len(rows) - len(valid),
        "payload": signing.dumps(valid, salt=IMPORT_SALT, compress=True) if valid else "",
    }
    return _render(request, "accounts/admin/import.html", title, **context)


def _confirm_import(request):
    try:
        valid = signing.loads(request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("Aperçu expiré ou altéré : chargez le fichier à nouveau."))
        return redirect("accounts_admin:import")
    organisations = Organisation.objects.in_bulk({row["organisation"] for row in valid if row["organisation"]})
    sent, skipped = 0, 0
    for row in valid:
        try:
            services.invite(
                request.user,
                email=row["email"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                organisation=organisations.get(row["organisation"]),
            )
            sent += 1
        except AccountError:  # created meanwhile (another import, a request): never a duplicate
            skipped += 1
    messages.success(
        request,
        _("%(sent)s invitations envoyées, %(skipped)s ignorées (compte déjà existant).")
        % {"sent": sent, "skipped": skipped},
    )
    return redirect("accounts_admin:requests")
