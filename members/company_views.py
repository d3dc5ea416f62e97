"""« Mon entreprise » in « Mon compte »: claim a company (verified by e-mail, approved by an
editor), then update its profile. Someone else's company answers 404, a bad link a French 4xx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from base.ratelimit import rate_limit

from . import suppliers
from .forms import ClaimForm, CompanyProfileForm
from .models import ClaimStatus, Supplier

LINK_STATUS = {"expired": 410, "invalid": 400}


def _account(anchor="entreprise"):
    return redirect(reverse("members:account") + f"#{anchor}")


@never_cache
@login_required
@rate_limit("apply")  # a supplier's writes share one budget
def claim(request):
    if not suppliers.may_claim(request.user):
        return render(request, "members/claim_refused.html", status=403)
    form = ClaimForm(request.POST or None)
    current = suppliers.open_claim(request.user)
    context = {"form": form, "current": current}
    if request.method != "POST":
        return render(request, "members/claim.html", context)
    if not form.is_valid():
        return render(request, "members/claim.html", context, status=400)
    try:
        suppliers.start_claim(request.user, form.cleaned_data["siret"])
    except suppliers.SupplierError as error:
        form.add_error("siret" if error.field else None, error.message)
        return render(request, "members/claim.html", context, status=409 if error.field is None else 400)
    messages.success(request, _("Un e-mail vous a été envoyé : suivez son lien pour vérifier votre adresse."))
    return _account()


@never_cache
@login_required
def claim_verify(request, token):
    try:
        suppliers.verify_claim(token, request.user)
    except suppliers.SupplierError as error:
        return render(request, "members/link_refused.html", {"message": error.message}, status=LINK_STATUS[error.code])
    messages.success(request, _("Adresse vérifiée : l'équipe du réseau examine votre demande."))
    return _account()


@never_cache
@login_required
def company(request, pk):
    """The profile of a company the person acts for (an approved claim); any other id is a 404."""
    supplier = get_object_or_404(Supplier, pk=pk, claims__user=request.user, claims__status=ClaimStatus.APPROVED)
    form = CompanyProfileForm(request.POST or None, instance=supplier)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("La fiche de votre entreprise est à jour."))
            return _account()
        return render(request, "members/company.html", {"form": form, "supplier": supplier}, status=400)
    return render(request, "members/company.html", {"form": form, "supplier": supplier})
