"""/achats-groupes/proposer/: a member body's référent proposes a grouped purchase (a draft that
the editors review and publish), and changes it while it is still a draft. Anonymous visitors
are sent to log in; other accounts get a French refusal (403)."""

import html

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import proposals
from .forms import ProposalForm
from .models import PHASE_FIELDS
from .services import JointPurchaseError


def _refused(request, index, message, status=403):
    response = render(
        request,
        "jointpurchases/refused.html",
        {"page": index, "message": message, "title": _("Proposition refusée")},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _gate(index, request):
    """None when the person may propose, else the response to give."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not proposals.may_propose(request.user):
        return _refused(
            request,
            index,
            _(
                "Seuls les référents d'une collectivité membre du réseau peuvent proposer un groupement de "
                "commandes. Demandez au référent de votre collectivité, ou écrivez à l'équipe du réseau."
            ),
        )
    posted = [request.POST.get(key) for key in ("coordinator", "organisation") if key in request.POST]
    if any(value != str(request.user.organisation_id) for value in posted):
        return _refused(request, index, _("Vous ne pouvez proposer un groupement que pour votre propre collectivité."))
    return None


def _initial(page):
    """The form's values from a draft (its latest revision)."""
    paragraphs = [html.unescape(strip_tags(part)) for part in page.summary.split("</p>")]
    initial = {
        "title": page.title,
        "sector": page.sector_id,
        "summary": "\n\n".join(p.strip() for p in paragraphs if p.strip()),
    }
    initial.update({name: getattr(page, name) for _phase, name in PHASE_FIELDS})
    for row, lot in enumerate(page.lots.all(), start=1):
        initial[f"lot_{row}_name"], initial[f"lot_{row}_unit"] = lot.name, lot.unit
    return initial


def _form_page(request, index, form, *, page=None, status=200):
    response = render(
        request,
        "jointpurchases/proposal_form.html",
        {"page": index, "form": form, "proposal": page, "lot_rows": form.lot_rows()},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _save(request, index, form, *, pk=None):
    kwargs = {"actor": request.user, "data": form.cleaned_data, "lots": form.lots}
    kwargs["convention"] = form.cleaned_data.get("convention")
    if pk is None:
        return proposals.propose(index, **kwargs)
    return proposals.update_proposal(index, pk, **kwargs)


def propose(index, request):
    refusal = _gate(index, request)
    if refusal is not None:
        return refusal
    today = timezone.localdate()
    if request.method != "POST":
        return _form_page(request, index, ProposalForm(today=today))
    form = ProposalForm(request.POST, request.FILES, today=today)
    if not form.is_valid():
        return _form_page(request, index, form, status=400)
    try:
        page = _save(request, index, form)
    except JointPurchaseError as error:
        return _refused(request, index, error.message)
    messages.success(
        request,
        _("« %(title)s » est transmis à l'équipe du réseau, qui le relira avant de le publier.")
        % {"title": page.title},
    )
    return redirect(reverse("members:account") + "#groupements")


def edit(index, request, pk):
    refusal = _gate(index, request)
    if refusal is not None:
        return refusal
    try:
        page = proposals.editable_proposal(index, pk, request.user)
    except JointPurchaseError as error:
        return _refused(request, index, error.message, status=404 if error.code == "not_found" else 403)
    draft = page.get_latest_revision_as_object()
    today = timezone.localdate()
    has_convention = draft.convention_id is not None
    if request.method != "POST":
        form = ProposalForm(initial=_initial(draft), today=today, has_convention=has_convention)
        return _form_page(request, index, form, page=draft)
    form = ProposalForm(request.POST, request.FILES, today=today, has_convention=has_convention)
    if not form.is_valid():
        return _form_page(request, index, form, page=draft, status=400)
    try:
        _save(request, index, form, pk=page.pk)
    except JointPurchaseError as error:
        return _refused(request, index, error.message)
    messages.success(request, _("Proposition modifiée : l'équipe du réseau relira cette nouvelle version."))
    return redirect(reverse("members:account") + "#groupements")
