"""Attendance in the Wagtail admin (per occurrence and part, QR check-in, walk-ins, sign-in
sheets) and the participant's certificate download."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks

from accounts.services import is_referent_of
from base.french_dates import safe_date
from base.hours import hours_display
from base.pdf import pdf_response, render_pdf
from base.staff import admin_context, is_staff, require_staff
from registrations.errors import RegistrationError
from registrations.forms import OrganisationFields
from registrations.models import AttendanceStatus, Occurrence, OccurrencePart, Registration, RegistrationStatus

from . import conf, services
from .pdf import trainers_of


def _index_url():
    return reverse("attendance_admin:index")


def index(request):
    """Occurrences to take attendance for: those that started (or start within a week)."""
    require_staff(request)
    now = timezone.now()
    occurrences = (
        Occurrence.objects.scheduled()
        .filter(start__lte=now + datetime.timedelta(days=7))
        .select_related("page")
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED), distinct=True
            ),
            recorded=Count("parts__attendances", distinct=True),
        )
        .order_by("-start", "-pk")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        occurrences = occurrences.filter(page__title__icontains=query)
    page_id = request.GET.get("page", "")
    if page_id.isdigit() and len(page_id) < 10:
        occurrences = occurrences.filter(page_id=int(page_id))
    page = Paginator(occurrences, 30).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "attendance/admin/index.html",
        admin_context(request, _("Présences"), occurrences=page, query=query, now=now),
    )


class WalkInForm(OrganisationFields):
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Nom"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Adresse électronique"))
    field_order = ["first_name", "last_name", "email", "organisation", "organisation_name"]


def _part_for(occurrence, raw):
    """The part of ``occurrence`` named by ``raw`` (an id), or an AttendanceError."""
    try:
        part = OccurrencePart.objects.get(pk=int(raw))
    except (TypeError, ValueError, OccurrencePart.DoesNotExist):
        raise services.AttendanceError(_("Demi-journée ou séance inconnue."), "unknown_part", "part") from None
    if part.occurrence_id != occurrence.pk:
        raise services.AttendanceError(
            _("Cette demi-journée ou séance n'appartient pas à cette date."), "wrong_part", "part"
        )
    return part


def _default_part(parts, now):
    today = [p for p in parts if p.date == timezone.localdate(now)]
    return next((p for p in today if p.end > now), today[-1] if today else parts[0])


def occurrence_attendance(request, occurrence_id):
    """The attendance sheet of one occurrence, part by part (half-days for full days)."""
    require_staff(request)
    occurrence = get_object_or_404(Occurrence.objects.select_related("page"), pk=occurrence_id)
    parts = list(occurrence.parts.order_by("start"))
    if not parts:
        raise Http404(_("Cette date n'a aucune demi-journée ou séance."))
    now = timezone.now()
    errors, status = {}, 200
    walk_in_form = WalkInForm(prefix="walkin")
    raw_part = request.POST.get("part") if request.method == "POST" else request.GET.get("part")
    try:
        part = _part_for(occurrence, raw_part) if raw_part else _default_part(parts, now)
    except services.AttendanceError as error:
        errors[error.field] = error.message
        part, status = _default_part(parts, now), 400

    if request.method == "POST" and not errors:
        action = request.POST.get("action", "save")
        if action == "walk_in":
            walk_in_form = WalkInForm(request.POST, prefix="walkin")
            response = _walk_in(request, occurrence, part, walk_in_form)
            if response is not None:
                return response
            status = 400
        elif action == "all_present":
            created = services.mark_all_present(part, actor=request.user)
            messages.success(request, _("%(count)s personne(s) marquée(s) présente(s).") % {"count": created})
            return redirect(_part_url(occurrence, part))
        else:
            try:
                saved = _save_sheet(request, occurrence, part)
            except services.AttendanceError as error:
                errors[error.field or "__all__"] = error.message
                status = 400
            else:
                messages.success(request, _("Présences enregistrées (%(count)s).") % {"count": saved})
                return redirect(_part_url(occurrence, part))

    people = services.confirmed_for_part(part)
    title = _("Présences : %(title)s") % {"title": occurrence.page.title}
    days = sorted({p.date for p in parts})
    context = admin_context(
        request,
        title,
        parents=[(_("Présences"), _index_url())],
        occurrence=occurrence,
        parts=parts,
        part=part,
        people=people,
        statuses=AttendanceStatus.choices,
        errors=errors,
        walk_in_form=walk_in_form,
        days=days,
        counts={
            "present": sum(1 for p in people if p.attendance_status in ("present", "late")),
            "total": len(people),
        },
    )
    return TemplateResponse(request, "attendance/admin/occurrence.html", context, status=status)


def _part_url(occurrence, part):
    return reverse("attendance_admin:occurrence", args=[occurrence.pk]) + f"?part={part.pk}"


def _save_sheet(request, occurrence, part):
    """Record every ``status-<registration id>`` of the POST; refuse the whole sheet (nothing
    saved) if one names someone not confirmed for this occurrence."""
    confirmed = {
        r.pk: r for r in Registration.objects.confirmed().filter(occurrence=occurrence).select_related("occurrence")
    }
    wanted = []
    for key, value in request.POST.items():
        if not key.startswith("status-") or not value:
            continue
        try:
            pk = int(key.removeprefix("status-"))
        except ValueError:
            raise services.AttendanceError(_("Formulaire de présence invalide."), "invalid", "__all__") from None
        if pk not in confirmed:
            raise services.AttendanceError(
                _("Une des personnes cochées n'est pas inscrite (confirmée) à cette date."), "not_registered", "__all__"
            )
        if value not in AttendanceStatus.values:
            raise services.AttendanceError(_("Statut de présence inconnu."), "invalid_status", "__all__")
        wanted.append((confirmed[pk], value, request.POST.get(f"note-{pk}", "")))
    with transaction.atomic():
        for registration, value, note in wanted:
            services.record_attendance(registration, part, status=value, note=note, actor=request.user)
    return len(wanted)


def _walk_in(request, occurrence, part, form):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        registration = services.add_walk_in(
            occurrence,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            organisation_name=data["organisation_name"],
            actor=request.user,
        )
    except RegistrationError as error:
        form.add_error("email", error.message)
        return None
    services.record_attendance(registration, part, status=AttendanceStatus.PRESENT, actor=request.user)
    messages.success(
        request, _("%(name)s ajouté·e sur place et marqué·e présent·e.") % {"name": registration.full_name}
    )
    return redirect(_part_url(occurrence, part))


def checkin(request, token):
    """What the phone's camera opens: marks the person present for the current part."""
    require_staff(request)
    result, error = None, None
    try:
        result = services.check_in(token, actor=request.user)
    except services.AttendanceError as exc:
        error = exc
    registration = result.registration if result else None
    if error is not None and error.code not in ("forged", "unknown"):
        registration = services.registration_from_token(token)
    context = admin_context(
        request,
        _("Pointage par code QR"),
        parents=[(_("Présences"), _index_url())],
        result=result,
        error=error,
        registration=registration,
        # What other apps offer on a successful check-in (the evaluations app: the survey's QR code).
        extras=[
            html
            for fn in hooks.get_hooks("attendance_checkin_extra")
            if result and (html := fn(result.registration, result.part))
        ],
    )
    status = 200 if result else (404 if error.code == "unknown" else 400)
    response = TemplateResponse(request, "attendance/admin/checkin.html", context, status=status)
    response["Permissions-Policy"] = "camera=(self)"
    response["Cache-Control"] = "private, no-store"
    return response


def signin_sheet(request, occurrence_id, day):
    """The sign-in sheet (feuille d'émargement) of one day, as a PDF."""
    require_staff(request)
    occurrence = get_object_or_404(Occurrence.objects.select_related("page"), pk=occurrence_id)
    date = safe_date(day)
    parts = list(occurrence.parts.filter(date=date).order_by("start")) if date else []
    if not parts:
        raise Http404(_("Cette date n'a pas de demi-journée ou séance ce jour-là."))
    people = (
        Registration.objects.confirmed()
        .filter(occurrence=occurrence)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    page = occurrence.page.specific
    context = {
        "occurrence": occurrence,
        "page": page,
        "date": date,
        "parts": parts,
        "people": people,
        "trainers": trainers_of(page),
        "network": conf.network_name(),
        "blank_rows": range(3),
    }
    content = render_pdf("attendance/pdf/signin_sheet.html", context, request=request)
    return pdf_response(content, slugify(f"emargement-{occurrence.page.slug}-{date:%Y-%m-%d}") + ".pdf")


@login_required
def certificate(request, registration_id):
    """The attendance certificate of one registration: the person themself, or an editor."""
    registration = get_object_or_404(
        Registration.objects.select_related("occurrence__page", "organisation", "user"), pk=registration_id
    )
    is_editor = is_staff(request.user)
    allowed = is_editor or is_referent_of(request.user, registration.organisation_id)
    if registration.user_id != request.user.pk and not allowed:
        raise PermissionDenied(_("Cette attestation ne vous concerne pas."))
    attended = services.attended_hours(registration)
    if registration.status != RegistrationStatus.CONFIRMED or not attended:
        raise Http404(_("Aucune présence n'est encore enregistrée pour cette inscription."))
    occurrence = registration.occurrence
    page = occurrence.page.specific
    parts = list(
        occurrence.parts.filter(attendances__registration=registration, attendances__status__in=["present", "late"])
        .order_by("start")
        .distinct()
    )
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "page": page,
        "is_training": occurrence.kind == "training",
        "parts": parts,
        "attended_hours": hours_display(attended),
        "planned_hours": hours_display(sum((p.hours for p in occurrence.parts.all()), 0)),
        "trainers": trainers_of(page),
        "network": conf.network_name(),
        "signatory": conf.signatory(),
        "city": conf.signatory_city(),
        "today": timezone.localdate(),
    }
    content = render_pdf("attendance/pdf/certificate.html", context, request=request)
    return pdf_response(content, slugify(f"attestation-{page.slug}-{registration.last_name}") + ".pdf", inline=False)
