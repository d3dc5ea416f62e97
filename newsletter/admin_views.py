"""The editors' sending screen of an issue: test copy to oneself, send now or at a set time,
progress (sent / failed / remaining) and the final count; and the list of sendings."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.staff import is_staff

from . import services
from .errors import NewsletterError
from .forms import ScheduleForm
from .models import NewsletterIssuePage, Sending, SendingStatus
from .queries import recipients


def _issue_for(request, page_id):
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not is_staff(request.user) or not issue.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return issue


def _sending(issue):
    return Sending.objects.with_progress().filter(issue=issue).exclude(status=SendingStatus.CANCELLED).first()


def sending(request, page_id):
    issue = _issue_for(request, page_id)
    current = _sending(issue)
    form = ScheduleForm()
    context = {
        "page_title": _("Envoi de la lettre : %(title)s") % {"title": issue.title},
        "header_icon": "mail",
        "issue": issue,
        "sending": current,
        "form": form,
        "audience_count": len(recipients(issue)) if current is None else None,
        "refresh": current is not None and current.status == SendingStatus.SENDING,
    }
    return TemplateResponse(request, "newsletter/admin/sending.html", context)


def _error(request, issue, error):
    messages.error(request, error.message)
    return redirect("newsletter_admin:sending", issue.pk)


@require_POST
def send_test(request, page_id):
    issue = _issue_for(request, page_id)
    try:
        services.send_test(issue, request.user)
    except NewsletterError as error:
        return _error(request, issue, error)
    messages.success(request, _("Un exemplaire d'essai part vers %(email)s.") % {"email": request.user.email})
    return redirect("newsletter_admin:sending", issue.pk)


@require_POST
def send(request, page_id):
    issue = _issue_for(request, page_id)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La date d'envoi n'est pas valide."))
        return redirect("newsletter_admin:sending", issue.pk)
    at = form.cleaned_data.get("scheduled_at")
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    try:
        services.schedule_sending(issue, actor=request.user, at=at)
    except NewsletterError as error:
        return _error(request, issue, error)
    if at is None or at <= timezone.now():
        messages.success(request, _("L'envoi a commencé."))
    else:
        messages.success(request, _("L'envoi est programmé."))
    return redirect("newsletter_admin:sending", issue.pk)


@require_POST
def cancel(request, page_id):
    issue = _issue_for(request, page_id)
    current = _sending(issue)
    try:
        if current is None:
            raise NewsletterError(_("Aucun envoi programmé."), code="not_scheduled")
        services.cancel_sending(current)
    except NewsletterError as error:
        return _error(request, issue, error)
    messages.success(request, _("L'envoi programmé est annulé."))
    return redirect("newsletter_admin:sending", issue.pk)


def sendings(request):
    if not is_staff(request.user):
        raise PermissionDenied
    rows = Sending.objects.with_progress().select_related("issue").order_by("-scheduled_at")[:100]
    return TemplateResponse(
        request,
        "newsletter/admin/sendings.html",
        {"page_title": _("La lettre : envois"), "header_icon": "mail", "sendings": rows},
    )


def sending_url(issue):
    return reverse("newsletter_admin:sending", args=[issue.pk])
