"""Wagtail admin views of the engine: upcoming occurrences with their seat counts, and per
occurrence the lists (filters, search), hand additions, waiting-list moves, cancellations,
supplier decisions side by side, CSV/XLSX exports and the history of changes."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base.staff import is_staff
from members.models import User

from . import admin_index, notices, services
from .applications import decide_application
from .errors import RegistrationError
from .exports import export
from .forms import SUPPLIER_QUESTIONS, DecisionForm, EditorAddForm, MessageForm, question_label
from .kinds import by_application
from .models import Occurrence, Registration, RegistrationChange, RegistrationSource, RegistrationStatus

S = RegistrationStatus
APPLICATION_STATUSES = [S.APPLIED, S.SELECTED, S.DECLINED]


def may_manage(user):
    return is_staff(user) or (user.is_active and user.has_perm("registrations.change_registration"))


def editors_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_manage(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


occurrence_index = editors_only(admin_index.occurrence_index)


def _occurrence(pk):
    return get_object_or_404(Occurrence.objects.select_related("page"), pk=pk)


@editors_only
def occurrence_detail(request, pk):
    occurrence = _occurrence(pk)
    registrations = Registration.objects.filter(occurrence=occurrence).select_related("organisation", "supplier")
    status = request.GET.get("statut", "")
    if status in S.values:  # validated against known values before filtering
        registrations = registrations.filter(status=status)
    else:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    if query:
        registrations = registrations.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(organisation_name__icontains=query)
        )
    registrations = registrations.order_by("status", "waitlisted_at", "last_name", "pk")
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export(occurrence, registrations, fmt)
    registrations = list(registrations)
    positions = services.waitlist_positions(registrations)
    for registration in registrations:
        registration.position = positions.get(registration.pk)
        registration.answer_rows = [(question_label(key), value) for key, value in (registration.answers or {}).items()]
    totals = dict.fromkeys(S.values, 0)
    totals.update(
        Registration.objects.filter(occurrence=occurrence)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "registrations/admin/occurrence_detail.html",
        {
            "occurrence": occurrence,
            "registrations": registrations,
            "status": status,
            "query": query,
            "statuses": [(value, label, totals[value]) for value, label in S.choices],
            "seats_left": services.seats_left(occurrence),
            "add_form": EditorAddForm(),
            "message_form": MessageForm(),
            "is_meeting": by_application(occurrence),
        },
    )


@editors_only
def applications(request, pk):
    """Supplier applications side by side, the questionnaire's answers in columns."""
    occurrence = _occurrence(pk)
    rows = list(
        Registration.objects.filter(occurrence=occurrence, status__in=APPLICATION_STATUSES)
        .select_related("supplier", "submitted_company")
        .prefetch_related("submitted_company__labels")
        .order_by("created_at", "pk")
    )
    keys = list(SUPPLIER_QUESTIONS)
    for registration in rows:
        registration.columns = [registration.answers.get(key, "") for key in keys]
    return render(
        request,
        "registrations/admin/applications.html",
        {
            "occurrence": occurrence,
            "applications": rows,
            "questions": [question_label(key) for key in keys],
            "decision_form": DecisionForm(),
        },
    )


@editors_only
def history(request, pk):
    occurrence = _occurrence(pk)
    changes = (
        RegistrationChange.objects.filter(registration__occurrence=occurrence)
        .select_related("registration", "changed_by")
        .order_by("-changed_at", "-pk")[:500]
    )
    return render(request, "registrations/admin/history.html", {"occurrence": occurrence, "changes": changes})


@require_POST
@editors_only
def add(request, pk):
    occurrence = _occurrence(pk)
    form = EditorAddForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''} : {errors[0]}")
        return redirect("registrations_admin:occurrence", pk=occurrence.pk)
    source = RegistrationSource.WALK_IN if form.cleaned_data["walk_in"] else RegistrationSource.EDITOR
    account = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    person = {"user": account} if account is not None else {"guest": form.guest}
    try:
        registration = services.register(
            occurrence,
            **person,
            source=source,
            actor=request.user,
            free_of_charge=form.cleaned_data["free_of_charge"],
        )
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s est ajouté·e : %(status)s.")
            % {"name": registration.full_name, "status": registration.get_status_display()},
        )
    return redirect("registrations_admin:occurrence", pk=occurrence.pk)


@require_POST
@editors_only
def act(request, pk, action):
    registration = get_object_or_404(Registration.objects.select_related("occurrence"), pk=pk)
    try:
        if action == "annuler":
            services.cancel(registration, actor=request.user, reason=_("annulée par l'équipe"))
            messages.success(request, _("Inscription annulée."))
        elif action == "confirmer":
            return _confirm(request, registration)
        elif action == "decider":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Décision invalide : choisissez « Retenir » ou « Ne pas retenir »."))
                return redirect("registrations_admin:applications", pk=registration.occurrence_id)
            decide_application(
                registration,
                selected=form.cleaned_data["decision"] == "selected",
                message=form.cleaned_data["message"],
                actor=request.user,
            )
            messages.success(request, _("Décision enregistrée ; le fournisseur en est informé."))
            return redirect("registrations_admin:applications", pk=registration.occurrence_id)
        else:
            raise Http404
    except RegistrationError as error:
        messages.error(request, error.message)
    return redirect(reverse("registrations_admin:occurrence", kwargs={"pk": registration.occurrence_id}))


def _confirm(request, registration):
    """Confirm a registration (off the waiting list, say). Beyond capacity, the editor is first
    shown the capacity and the confirmed count and must confirm the overbooking explicitly."""
    occurrence = registration.occurrence
    overbook = request.POST.get("surnombre") == "1"
    full = registration.status != S.PENDING_PAYMENT and services.seats_left(occurrence) == 0
    if full and not overbook:
        taken = Registration.objects.filter(occurrence=occurrence).holding_seats().count()
        context = {"registration": registration, "occurrence": occurrence, "taken": taken, "after": taken + 1}
        return render(request, "registrations/admin/confirm_overbook.html", context)
    services.confirm(registration, actor=request.user, force=overbook)
    if full:
        messages.warning(
            request,
            _("%(name)s est confirmé·e en surnombre : %(taken)s places prises pour %(capacity)s.")
            % {
                "name": registration.full_name,
                "taken": Registration.objects.filter(occurrence=occurrence).holding_seats().count(),
                "capacity": occurrence.capacity,
            },
        )
    else:
        messages.success(request, _("%(name)s est confirmé·e et en est informé·e.") % {"name": registration.full_name})
    return redirect(reverse("registrations_admin:occurrence", kwargs={"pk": occurrence.pk}))


@require_POST
@editors_only
def message(request, pk):
    occurrence = _occurrence(pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        count = notices.message_registrants(
            occurrence,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            include_waitlisted=form.cleaned_data["include_waitlisted"],
        )
        messages.success(request, _("Message envoyé à %(count)s personne(s).") % {"count": count})
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label} : {errors[0]}")
    return redirect("registrations_admin:occurrence", pk=occurrence.pk)
