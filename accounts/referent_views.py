"""« Mon compte › Mon organisation »: what a référent sees and does for their organisation, and
nothing of another (every object is looked up within the référent's organisation: 404 else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members.models import User

from . import services
from .errors import AccountError
from .forms import BillingForm, DeclineForm
from .models import AccountRequest
from .organisation import organisation_sections


def _organisation(request):
    organisation = services.referent_organisation(request.user)
    if organisation is None:
        raise Http404(_("Vous n'êtes référent d'aucune organisation."))
    return organisation


@never_cache
@login_required
def organisation(request):
    organisation = _organisation(request)
    context = {
        "organisation": organisation,
        "colleagues": User.objects.filter(organisation=organisation).order_by("last_name", "first_name"),
        "requests": AccountRequest.objects.pending().filter(organisation=organisation),
        "decline_form": DeclineForm(),
        "billing": services.billing_of(organisation),
        "sections": organisation_sections(request, organisation),
    }
    return render(request, "accounts/organisation.html", context)


def _own_request(request, pk):
    return get_object_or_404(AccountRequest.objects.pending(), pk=pk, organisation=_organisation(request))


@login_required
@require_POST
def approve_request(request, pk):
    account_request = _own_request(request, pk)
    try:
        services.approve(account_request, request.user)
    except AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts:organisation")
    messages.success(
        request,
        _("Compte créé : %(email)s a reçu un lien pour choisir son mot de passe.") % {"email": account_request.email},
    )
    return redirect("accounts:organisation")


@login_required
@require_POST
def decline_request(request, pk):
    account_request = _own_request(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["message"][0])
        return redirect("accounts:organisation")
    try:
        services.decline(account_request, request.user, form.cleaned_data["message"])
    except AccountError as error:
        messages.error(request, error.message)
        return redirect("accounts:organisation")
    messages.success(request, _("Demande refusée : le demandeur a reçu votre message."))
    return redirect("accounts:organisation")


@never_cache
@login_required
def billing(request):
    organisation = _organisation(request)
    form = BillingForm(request.POST or None, instance=services.billing_of(organisation))
    if request.method == "POST":
        if form.is_valid():
            form.instance.organisation = organisation
            form.save()
            messages.success(request, _("Coordonnées de facturation enregistrées."))
            return redirect("accounts:organisation")
        return render(request, "accounts/billing.html", {"form": form, "organisation": organisation}, status=400)
    return render(request, "accounts/billing.html", {"form": form, "organisation": organisation})
