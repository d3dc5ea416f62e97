"""Admin views: an event's occurrences, and cancelling or moving one of them with a reason."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.widgets import AdminDateTimeInput

from registrations.errors import RegistrationError
from registrations.models import Occurrence
from registrations.occurrences import cancel_occurrence, reschedule_occurrence

from .models import EventPage


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=300,
        help_text=gettext_lazy("Affiché aux visiteurs et envoyé aux inscrits."),
    )


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(label=gettext_lazy("Nouveau début"), widget=AdminDateTimeInput)
    end = forms.DateTimeField(label=gettext_lazy("Nouvelle fin"), widget=AdminDateTimeInput)
    reason = forms.CharField(
        label=gettext_lazy("Motif"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Affiché aux visiteurs et envoyé aux inscrits."),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("La fin doit suivre le début."))
        return data


def _editable_page(request, page_id):
    page = get_object_or_404(EventPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def occurrence_list(request, page_id):
    page = _editable_page(request, page_id)
    since = timezone.now() - datetime.timedelta(days=31)
    occurrences = page.occurrences.filter(end__gte=since).with_seat_counts().order_by("start", "pk")
    return TemplateResponse(
        request, "events/admin/occurrences.html", {"page": page, "occurrences": occurrences, "title": page.title}
    )


def _occurrence(request, page_id, occurrence_id):
    page = _editable_page(request, page_id)
    return page, get_object_or_404(Occurrence, pk=occurrence_id, page_id=page.pk)


def occurrence_cancel(request, page_id, occurrence_id):
    page, occurrence = _occurrence(request, page_id, occurrence_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_occurrence(occurrence, reason=form.cleaned_data["reason"], actor=request.user)
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La date est annulée ; les inscrits sont prévenus."))
            return redirect("events_admin:occurrences", page.pk)
    return TemplateResponse(
        request,
        "events/admin/occurrence_form.html",
        {"page": page, "occurrence": occurrence, "form": form, "title": _("Annuler une date"), "action": "cancel"},
        status=400 if form.errors else 200,
    )


def occurrence_reschedule(request, page_id, occurrence_id):
    page, occurrence = _occurrence(request, page_id, occurrence_id)
    initial = {"start": timezone.localtime(occurrence.start), "end": timezone.localtime(occurrence.end)}
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reschedule_occurrence(
                occurrence, start=data["start"], end=data["end"], reason=data["reason"], actor=request.user
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La date est déplacée ; les inscrits sont prévenus."))
            return redirect("events_admin:occurrences", page.pk)
    return TemplateResponse(
        request,
        "events/admin/occurrence_form.html",
        {"page": page, "occurrence": occurrence, "form": form, "title": _("Déplacer une date"), "action": "move"},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("<int:page_id>/occurrences/", occurrence_list, name="occurrences"),
    path("<int:page_id>/occurrences/<int:occurrence_id>/annuler/", occurrence_cancel, name="cancel"),
    path("<int:page_id>/occurrences/<int:occurrence_id>/deplacer/", occurrence_reschedule, name="reschedule"),
]
