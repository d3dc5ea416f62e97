"""« Mes données personnelles »: download my data, erase my account (site side)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from base.staff import is_staff_account
from members.permissions import can_manage_people

from .services import PersonalDataError, erase_person, export_json, is_erased_email


def json_download(user):
    response = HttpResponse(export_json(user), content_type="application/json; charset=utf-8")
    filename = f"donnees-personnelles-{user.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
@login_required
def export_mine(request):
    return json_download(request.user)


@never_cache
@require_GET
@login_required
def export_person(request, user_id):
    """The person themself, or staff allowed to change people; anyone else gets a 404."""
    if user_id != request.user.pk and not can_manage_people(request.user):
        raise Http404
    person = get_object_or_404(get_user_model(), pk=user_id)
    if is_erased_email(person.email):
        raise Http404
    return json_download(person)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def erase_mine(request):
    """GET: the confirmation page; POST with ``confirm``: erase and log out."""
    user = request.user
    error = None
    if request.method == "POST":
        if request.POST.get("confirm") != "oui":
            error = _("Cochez la case pour confirmer l'effacement.")
        else:
            try:
                erase_person(user, actor=user)
            except PersonalDataError as exc:
                return render(request, "personaldata/erase.html", {"error": exc.message}, status=409)
            logout(request)
            messages.success(request, _("Vos données personnelles ont été effacées."))
            return redirect("/")
    status = 400 if error else 200
    return render(request, "personaldata/erase.html", {"error": error}, status=status)


def retention_text():
    days = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 3 * 365)
    if days % 365 == 0:
        years = days // 365
        period = ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    else:
        period = ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}
    return _(
        "Sans activité pendant %(period)s (connexion, inscription, présence, message à l'assistance), "
        "vos données sont anonymisées automatiquement. Les factures sont conservées, comme la loi l'exige."
    ) % {"period": period}


def account_section_context(request):
    return {
        "retention_text": retention_text(),
        "export_url": reverse("personaldata:export"),
        "erase_url": reverse("personaldata:erase"),
        "can_erase": not is_staff_account(request.user),
    }
