"""The editor's review of what an application submitted about its company, side by side with the
record stored under the same SIRET: tick the fields to take over, or keep the record as it is."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Supplier

from . import application_review
from .admin_views import editors_only
from .errors import RegistrationError
from .models import Registration


@require_http_methods(["GET", "POST"])
@editors_only
def review_company(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("occurrence__page", "submitted_company"),
        pk=pk,
        submitted_company__isnull=False,
    )
    submitted = registration.submitted_company
    if request.method == "POST":
        fields = request.POST.getlist("fields")[:20] if request.POST.get("decision") == "merge" else []
        try:
            application_review.review(registration, fields=fields, actor=request.user)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Fiche de l'entreprise mise à jour.") if fields else _("Fiche de l'entreprise laissée telle quelle."),
            )
            return redirect("registrations_admin:applications", pk=registration.occurrence_id)
    stored = Supplier.objects.prefetch_related("sectors", "labels").filter(siret=submitted.siret).first()
    context = {
        "registration": registration,
        "submitted": submitted,
        "stored": stored,
        "rows": application_review.comparison(submitted, stored),
    }
    return TemplateResponse(
        request, "registrations/admin/review_company.html", context, status=400 if request.method == "POST" else 200
    )
