"""The per-date admin of any owner page (events, training runs…): its dates with their seats,
cancelling or moving one date with a reason; and the confirmation an editor sees before
publishing an edit that moves or cancels dates people registered for."""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page

from base.french_dates import french_datetime, french_span

from . import occurrences
from .errors import RegistrationError
from .models import Occurrence

# The confirmation screen posts the edit form again with these two fields.
CONFIRMED_FIELD = "schedule-confirmed"
REASON_FIELD = "schedule-reason"


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


def _editable_owner(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not occurrences.is_owner(type(page)):
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def date_list(request, page_id):
    page = _editable_owner(request, page_id)
    since = timezone.now() - datetime.timedelta(days=31)
    rows = page.occurrences.filter(end__gte=since).with_seat_counts().order_by("start", "pk")
    dates = [
        {
            "occurrence": occ,
            "when": french_span(occ),
            "initially": french_datetime(occ.original_start) if occ.is_moved and not occ.key else "",
            "started": occ.has_started(),
        }
        for occ in rows
    ]
    return TemplateResponse(
        request, "registrations/admin/dates.html", {"page": page, "dates": dates, "title": page.title}
    )


def _date(request, page_id, occurrence_id):
    page = _editable_owner(request, page_id)
    return page, get_object_or_404(Occurrence, pk=occurrence_id, page_id=page.pk)


def date_cancel(request, page_id, occurrence_id):
    page, occurrence = _date(request, page_id, occurrence_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            occurrences.cancel_occurrence(occurrence, reason=form.cleaned_data["reason"], actor=request.user)
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La date est annulée ; les inscrits sont prévenus."))
            return redirect("dates_admin:dates", page.pk)
    return _date_form(request, page, occurrence, form, _("Annuler une date"), "cancel")


def date_reschedule(request, page_id, occurrence_id):
    page, occurrence = _date(request, page_id, occurrence_id)
    initial = {"start": timezone.localtime(occurrence.start), "end": timezone.localtime(occurrence.end)}
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            occurrences.reschedule_occurrence(
                occurrence, start=data["start"], end=data["end"], reason=data["reason"], actor=request.user
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La date est déplacée ; les inscrits sont prévenus."))
            return redirect("dates_admin:dates", page.pk)
    return _date_form(request, page, occurrence, form, _("Déplacer une date"), "move")


def _date_form(request, page, occurrence, form, title, action):
    context = {
        "page": page,
        "occurrence": occurrence,
        "when": french_span(occurrence),
        "form": form,
        "title": title,
        "action": action,
    }
    return TemplateResponse(request, "registrations/admin/date_form.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("<int:page_id>/", date_list, name="dates"),
    path("<int:page_id>/<int:occurrence_id>/annuler/", date_cancel, name="cancel"),
    path("<int:page_id>/<int:occurrence_id>/deplacer/", date_reschedule, name="reschedule"),
]


# ------------------------------------------------------------------ confirming a publication


def confirm_before_publishing(request, page):
    """Before Wagtail publishes an edit of an owner page (now or scheduled, revisions too):
    if it moves or cancels dates people registered for, answer with the confirmation screen
    instead. Returns None to let the edit go on."""
    if request.method != "POST" or not request.POST.get("action-publish") or request.POST.get(CONFIRMED_FIELD):
        return None
    if not occurrences.is_owner(page.specific_class) or not page.permissions_for_user(request.user).can_publish():
        return None
    edited = _edited_copy(request, page)
    if edited is None:
        return None  # Wagtail shows the form's errors
    impact = occurrences.preview(edited)
    if not impact.affects_people:
        return None
    return TemplateResponse(
        request,
        "registrations/admin/confirm_schedule.html",
        {
            "page": page,
            "impact": impact,
            # The table lists the dates people are registered for; the others are only counted.
            "moved": [
                (french_span(occ), french_span(_Span(start, end, occ.all_day)), people)
                for occ, start, end, people in impact.moved
                if people
            ],
            "moved_quietly": sum(1 for *_, people in impact.moved if not people),
            "cancelled": [(french_span(occ), people) for occ, people in impact.cancelled if people],
            "cancelled_quietly": sum(1 for _occ, people in impact.cancelled if not people),
            "fields": [(name, value) for name, values in request.POST.lists() for value in values],
            "confirmed_field": CONFIRMED_FIELD,
            "reason_field": REASON_FIELD,
        },
    )


@dataclasses.dataclass
class _Span:
    start: datetime.datetime
    end: datetime.datetime
    all_day: bool


def _edited_copy(request, page):
    """The page as the submitted form would make it, on a copy (the edit view binds its own)."""
    copy = type(page).from_serializable_data(page.serializable_data(), check_fks=False, strict_fks=False)
    form_class = page.specific_class.get_edit_handler().get_form_class()
    form = form_class(request.POST, request.FILES, instance=copy, parent_page=page.get_parent(), for_user=request.user)
    if not form.is_valid():
        return None
    return form.save(commit=False)


def remember_reason(request, page):
    """The reason typed on the confirmation screen waits for the revision being published."""
    if not request.POST.get(CONFIRMED_FIELD) or not occurrences.is_owner(page.specific_class):
        return
    revision = page.latest_revision
    if revision is not None:
        occurrences.leave_schedule_note(
            page, revision=revision, reason=request.POST.get(REASON_FIELD, ""), actor=request.user
        )
