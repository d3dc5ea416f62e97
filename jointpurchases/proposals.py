"""A member body's référent proposes a grouped purchase that their body will coordinate.

The proposal is a draft page under the index, submitted to the editors through the site's
Wagtail workflow (« Relecture avant publication »: the editors are notified, review and
publish in the admin). The référent never publishes: keys stay with their owners. While the
page has never been published its référents may still change it; each change is a new
revision and goes back to the editors' review."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.models import Page, WorkflowState

from accounts.models import Referent
from members.services import members_documents_collection

from .models import PHASE_FIELDS, JointPurchasePage, Lot
from .services import JointPurchaseError


def may_propose(user):
    """A référent of a current member body, for that body."""
    if not (user.is_authenticated and user.is_active and user.is_member):
        return False
    return Referent.objects.filter(user=user, organisation_id=user.organisation_id).exists()


def _proposals(organisation_id):
    """Never-published grouped purchases that a person of the body proposed (an editor's own
    drafts for the body are not the members' to change)."""
    return JointPurchasePage.objects.filter(
        coordinator_id=organisation_id, owner__organisation_id=organisation_id, first_published_at__isnull=True
    )


def proposals_of(organisation_id):
    """The grouped purchases proposed by (coordinated by) this body that were never published,
    with their review state (two queries)."""
    pages = list(_proposals(organisation_id).select_related("sector").order_by("-latest_revision_created_at", "-pk"))
    states = {
        int(state.object_id): state.status
        for state in WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),  # cached: no query
            object_id__in=[str(page.pk) for page in pages],
        ).order_by("created_at", "pk")  # the latest state of each page wins
    }
    return [(page, review_status(states.get(page.pk))) for page in pages]


def review_status(state):
    """A French label for a proposal's review state."""
    labels = {
        WorkflowState.STATUS_IN_PROGRESS: _("en attente de relecture par l'équipe"),
        WorkflowState.STATUS_NEEDS_CHANGES: _("modifications demandées par l'équipe"),
        WorkflowState.STATUS_APPROVED: _("approuvée"),
        WorkflowState.STATUS_CANCELLED: _("brouillon"),
    }
    return labels.get(state, _("brouillon"))


def editable_proposal(index, pk, user):
    """The draft ``pk`` that ``user`` may still change, or a JointPurchaseError: « not_found »
    (not a proposal of their body under this index), « published » (the editors published it)."""
    page = JointPurchasePage.objects.child_of(index).filter(pk=pk, owner__organisation_id=user.organisation_id).first()
    if page is None or not may_propose(user) or page.coordinator_id != user.organisation_id:
        raise JointPurchaseError(_("Cette proposition n'existe pas ou n'est pas la vôtre."), code="not_found")
    if page.first_published_at is not None or page.live:
        raise JointPurchaseError(
            _("Ce groupement est publié : demandez à l'équipe du réseau pour le modifier."), code="published"
        )
    return page


def _unique_slug(index, title):
    base = slugify(title)[:60].strip("-") or "groupement"
    siblings = set(index.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in siblings or slug == "proposer":  # « proposer » is the index's own route
        slug, n = f"{base}-{n}", n + 1
    return slug


def summary_html(text):
    """Plain text typed by a member as rich text: every paragraph escaped (no markup gets in)."""
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)


def _apply(page, data, lots, convention, actor):
    page.title = data["title"]
    page.summary = summary_html(data["summary"])
    page.sector = data["sector"]
    for _phase, name in PHASE_FIELDS:
        setattr(page, name, data.get(name))
    existing = list(page.lots.all()) if page.pk else []
    page.lots = [_lot(existing[i] if i < len(existing) else None, name, unit) for i, (name, unit) in enumerate(lots)]
    if convention is not None:
        Document = get_document_model()
        document = Document(
            title=_("Convention — %(title)s") % {"title": page.title[:180]},
            collection=members_documents_collection(),
            uploaded_by_user=actor,
        )
        document.file.save(f"convention-{slugify(page.title)[:50] or 'groupement'}{_extension(convention)}", convention)
        page.convention = document


def _lot(lot, name, unit):
    """The row's lot keeps its key (and so any declaration on it); a new row gets a new lot."""
    lot = lot or Lot()
    lot.name, lot.unit = name, unit
    return lot


def _extension(upload):
    name = upload.name or ""
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _submit(page, actor):
    """Send the latest revision to the editors' review (Wagtail's workflow notifies them)."""
    workflow = page.get_workflow()
    if workflow is None:  # no workflow configured: the draft waits in the admin's « Brouillons »
        return
    state = page.current_workflow_state
    if state is not None:  # a change restarts the review on the new revision
        state.cancel(user=actor)
    workflow.start(page, actor)


@transaction.atomic
def propose(index, *, actor, data, lots, convention=None):
    """Create the draft grouped purchase that ``actor``'s body will coordinate and submit it to
    the editors. ``data`` holds the form's cleaned fields, ``lots`` [(name, unit)]."""
    if not may_propose(actor):
        raise JointPurchaseError(
            _("Seuls les référents des collectivités membres peuvent proposer un groupement."), code="forbidden"
        )
    page = JointPurchasePage(coordinator=actor.organisation, live=False, owner=actor)
    _apply(page, data, lots, convention, actor)
    page.slug = _unique_slug(index, page.title)
    index.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)
    _submit(page, actor)
    return page


@transaction.atomic
def update_proposal(index, pk, *, actor, data, lots, convention=None):
    """Change a proposal still in draft (its body's référents only) and resubmit it."""
    page = editable_proposal(index, pk, actor)
    page = JointPurchasePage.objects.select_for_update().get(pk=page.pk)
    page = page.get_latest_revision_as_object()
    _apply(page, data, lots, convention, actor)
    page.save_revision(user=actor, log_action=True)
    _submit(page, actor)
    return page
