"""Editors export and erase on someone's behalf (« Réseau › Personnes »)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wagtail.admin import messages

from base.staff import is_staff_account
from members.permissions import can_manage_people

from .services import PersonalDataError, erase_email, erase_person, is_erased_email
from .views import json_download


def require_change_user(request):
    if not can_manage_people(request.user):
        raise PermissionDenied(_("Réservé à l'équipe qui gère les personnes."))


def _context(request, title, **context):
    breadcrumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Tableau de bord")},
        {"url": reverse("personaldata_admin:email"), "label": _("Données personnelles")},
        {"url": "", "label": title},
    ]
    return {"header_title": title, "page_title": title, "breadcrumbs_items": breadcrumbs, **context}


def _person(user_id):
    person = get_object_or_404(
        get_user_model()
        .objects.select_related("organisation", "supplier")
        .annotate(registration_count=Count("registrations", distinct=True)),
        pk=user_id,
    )
    return person


@require_GET
def person(request, user_id):
    require_change_user(request)
    person = _person(user_id)
    return TemplateResponse(
        request,
        "personaldata/admin/person.html",
        _context(
            request,
            _("Données personnelles de %(person)s") % {"person": person},
            person=person,
            erased=is_erased_email(person.email),
            protected=is_staff_account(person),
        ),
    )


@require_GET
def export(request, user_id):
    require_change_user(request)
    person = _person(user_id)
    if is_erased_email(person.email):
        raise Http404
    return json_download(person)


@require_POST
def erase(request, user_id):
    require_change_user(request)
    person = _person(user_id)
    if request.POST.get("confirm") != "oui":
        messages.error(request, _("Cochez la case pour confirmer l'effacement."))
        return redirect("personaldata_admin:person", user_id=person.pk)
    try:
        erasure = erase_person(person, actor=request.user)
    except PersonalDataError as error:
        response = TemplateResponse(
            request,
            "personaldata/admin/person.html",
            _context(
                request,
                _("Données personnelles de %(person)s") % {"person": person},
                person=person,
                erased=is_erased_email(person.email),
                protected=is_staff_account(person),
                error=error.message,
            ),
            status=409,
        )
        return response
    messages.success(request, _("La personne a été effacée (effacement n° %(n)s).") % {"n": erasure.pk})
    return redirect("personaldata_admin:person", user_id=person.pk)


class EraseEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique"),
        help_text=gettext_lazy("Un compte ou un invité inscrit sans compte, avec cette adresse."),
    )
    confirm = forms.BooleanField(label=gettext_lazy("Je confirme l'effacement définitif."))


@require_http_methods(["GET", "POST"])
def erase_by_email(request):
    """Erase a guest (registrations without account) or an account, by e-mail address."""
    require_change_user(request)
    form = EraseEmailForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                erasure = erase_email(form.cleaned_data["email"], actor=request.user)
            except PersonalDataError as error:
                form.add_error(error.field or "email", error.message)
            else:
                messages.success(
                    request,
                    _("Données effacées : %(count)s inscription(s) anonymisée(s).") % {"count": erasure.registrations},
                )
                return redirect("personaldata_admin:email")
        status = 400
    return TemplateResponse(
        request,
        "personaldata/admin/email.html",
        _context(request, _("Effacer par adresse électronique"), form=form),
        status=status,
    )
