"""Grouped purchases: a member body declares its needs, the coordinator follows every body's
progress, writes to the participants and is reminded of deadlines."""

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Referent
from base.errors import DomainError
from base.staff import is_staff

from . import conf, tasks
from .models import CoordinatorMessage, LotQuantity, Participation, ParticipationStatus


class JointPurchaseError(DomainError):
    """A rule of grouped purchases refused the request. See ``base.errors.DomainError``."""


# ------------------------------------------------------------------------------ quantities

_SPACES = "\u00a0\u202f\u2009 "  # what French people (and word processors) put between thousands
_FRENCH = re.compile(r"^\d{1,3}(?:[" + _SPACES + r"]\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^\d+(?:[,.]\d+)?$")


def parse_quantity(raw):
    """A yearly quantity typed the French way (« 1 200,5 », with ordinary or non-breaking spaces
    between thousands, a decimal comma or point) as a Decimal; None when empty. Raises
    JointPurchaseError (code « quantity ») with a French message otherwise."""
    text = str(raw if raw is not None else "").strip().strip(_SPACES)
    if not text:
        return None
    if text.startswith(("-", "\u2212")):
        raise JointPurchaseError(_("La quantité ne peut pas être négative."), code="quantity")
    if not (_FRENCH.match(text) or _PLAIN.match(text)):
        raise JointPurchaseError(
            _("« %(value)s » n'est pas une quantité : écrivez par exemple 1 200 ou 1 200,5.") % {"value": text[:30]},
            code="quantity",
        )
    try:
        value = Decimal(re.sub(f"[{_SPACES}]", "", text).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        raise JointPurchaseError(_("Quantité illisible."), code="quantity") from None
    if value.as_tuple().exponent < -2:
        raise JointPurchaseError(_("Deux décimales au plus, s'il vous plaît."), code="quantity")
    if value > conf.MAX_QUANTITY:
        raise JointPurchaseError(
            _("%(value)s paraît trop grand : le besoin annuel est limité à %(max)s.")
            % {"value": text[:30], "max": f"{conf.MAX_QUANTITY:,}".replace(",", "\u202f")},
            code="quantity",
        )
    return value


# ------------------------------------------------------------------------------ who may do what


def may_coordinate(user, purchase):
    """The staff, and the référents of the coordinating bodies."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_staff(user):
        return True
    return Referent.objects.filter(user=user, organisation_id__in=purchase.coordinator_ids()).exists()


def may_declare(user):
    """An agent of a current member body declares for their own body."""
    return user.is_authenticated and user.is_active and user.is_member


# ------------------------------------------------------------------------------ declarations


def _check_actor(purchase, *, organisation, actor, today):
    coordinator = may_coordinate(actor, purchase)
    if not coordinator:
        if not may_declare(actor):
            raise JointPurchaseError(
                _("Seuls les agents des collectivités membres peuvent déclarer un besoin."), code="not_member"
            )
        if actor.organisation_id != organisation.pk:
            raise JointPurchaseError(
                _("Vous ne pouvez déclarer que pour votre propre collectivité."), code="other_organisation"
            )
        if not purchase.interest_open(today):
            raise JointPurchaseError(
                _(
                    "L'appel à manifestation d'intérêt est clos : seul le coordonnateur peut encore modifier les besoins."
                ),
                code="closed",
            )
    elif not organisation.is_member_on(today):
        raise JointPurchaseError(_("Cette collectivité n'est pas membre du réseau."), code="not_member")
    return coordinator


def declare(purchase, *, organisation, actor, quantities, contact_name, contact_email, contact_phone="", today=None):
    """Record (or change) ``organisation``'s interest: ``quantities`` maps lot keys to Decimals (None
    for « pas concerné »). Until the deadline its own agents may; after it only the coordinator.
    Returns the participation. A concurrent first declaration of the same body is refused
    (code « conflict »): the one that arrived first is kept whole."""
    today = today or timezone.localdate()
    _check_actor(purchase, organisation=organisation, actor=actor, today=today)
    keys = {str(lot.key): lot.key for lot in purchase.lots.all()}
    unknown = [key for key in quantities if str(key) not in keys]
    if unknown:
        raise JointPurchaseError(_("Ce lot n'existe pas dans ce groupement."), code="unknown_lot")
    cleaned = {keys[str(k)]: v for k, v in quantities.items() if v is not None}
    for value in cleaned.values():
        if value < 0 or value > conf.MAX_QUANTITY:
            raise JointPurchaseError(_("Quantité hors limites."), code="quantity")
    if not any(cleaned.values()):
        raise JointPurchaseError(
            _("Indiquez un besoin pour au moins un lot (ou retirez-vous du groupement)."), code="empty"
        )
    try:
        with transaction.atomic():
            participation = (
                Participation.objects.select_for_update().filter(purchase=purchase, organisation=organisation).first()
            )
            if participation is None:
                participation = Participation.objects.create(
                    purchase=purchase,
                    organisation=organisation,
                    contact_name=contact_name,
                    contact_email=contact_email,
                    contact_phone=contact_phone,
                    contact_user=actor if actor.organisation_id == organisation.pk else None,
                    updated_by=actor,
                )
            else:
                participation.contact_name = contact_name
                participation.contact_email = contact_email
                participation.contact_phone = contact_phone
                if actor.organisation_id == organisation.pk:
                    participation.contact_user = actor
                if participation.status == ParticipationStatus.WITHDRAWN:
                    participation.status = ParticipationStatus.INTERESTED
                participation.updated_by = actor
                participation.save()
            participation.quantities.exclude(lot_key__in=list(cleaned)).delete()
            for key, value in cleaned.items():
                LotQuantity.objects.update_or_create(
                    participation=participation, lot_key=key, defaults={"quantity": value}
                )
    except IntegrityError:
        raise JointPurchaseError(
            _(
                "Une déclaration de votre collectivité vient d'être enregistrée en même temps : rechargez la page pour la voir."
            ),
            code="conflict",
        ) from None
    return participation


PDF_SIGNATURE = b"%PDF-"


@transaction.atomic
def set_status(participation, *, status, actor, signed_document=None):
    """Move a body's progress: its own agents sign (with the signed PDF) or withdraw; so may the
    coordinator, for any body. Only quantities freeze at the call's deadline."""
    participation = Participation.objects.select_for_update().select_related("purchase").get(pk=participation.pk)
    if status not in ParticipationStatus.values:
        raise JointPurchaseError(_("Avancement inconnu."), code="status")
    coordinator = may_coordinate(actor, participation.purchase)
    if not coordinator and actor.organisation_id != participation.organisation_id:
        raise JointPurchaseError(
            _("Vous ne pouvez déclarer que pour votre propre collectivité."), code="other_organisation"
        )
    if status == ParticipationStatus.SIGNED:
        if signed_document is None and not participation.signed_document:
            raise JointPurchaseError(
                _("Joignez la délibération ou la convention signée (PDF)."), code="document", field="signed_document"
            )
        if signed_document is not None:
            check_signed_document(signed_document)
            participation.signed_document = signed_document
        participation.signed_at = timezone.now()
    participation.status = status
    participation.updated_by = actor
    participation.save()
    return participation


def check_signed_document(upload):
    name = (upload.name or "").lower()
    if not name.endswith(".pdf"):
        raise JointPurchaseError(_("Seuls les fichiers PDF sont acceptés."), code="document", field="signed_document")
    if upload.size > conf.MAX_SIGNED_DOCUMENT_SIZE:
        raise JointPurchaseError(_("Le fichier dépasse 10 Mo."), code="document", field="signed_document")
    head = upload.read(5)
    upload.seek(0)
    if head != PDF_SIGNATURE:
        raise JointPurchaseError(_("Ce fichier n'est pas un vrai PDF."), code="document", field="signed_document")


# ------------------------------------------------------------------------------ messages


def send_message(purchase, *, sender, subject, body):
    """E-mail every active participant's contact (in the background, once committed)."""
    if not may_coordinate(sender, purchase):
        raise JointPurchaseError(_("Réservé au coordonnateur du groupement."), code="forbidden")
    subject = " ".join(subject.split())
    if not subject or not body.strip():
        raise JointPurchaseError(_("Écrivez un objet et un message."), code="empty")
    recipients = Participation.objects.filter(purchase=purchase).active().exclude(contact_email="").count()
    with transaction.atomic():
        message = CoordinatorMessage.objects.create(
            purchase=purchase, sender=sender, subject=subject[:200], body=body, recipients=recipients
        )
        transaction.on_commit(lambda: tasks.send_coordinator_message.enqueue(message.pk))
    return message


# ------------------------------------------------------------------------------ personal data


def contact_data(user):
    """The grouped-purchase contacts a person is (their personal data), for the export."""
    from django.db.models import Q

    rows = Participation.objects.filter(Q(contact_user=user) | Q(contact_email__iexact=user.email)).select_related(
        "purchase", "organisation"
    )
    return [
        {
            "groupement": p.purchase.title,
            "collectivite": p.organisation.name,
            "contact": p.contact_name,
            "adresse_electronique": p.contact_email,
            "telephone": p.contact_phone,
            "avancement": p.status,
            "declaree_le": p.created_at,
            "modifiee_le": p.updated_at,
        }
        for p in rows.order_by("created_at", "pk")
    ]


def forget_contact(user, *, emails=()):
    """Erasure: the person is no longer the contact of any declaration; the body's declaration
    (its quantities and progress) stays. Returns how many declarations were anonymised."""
    from django.db.models import Q

    condition = Q(contact_user=user) if user is not None else Q(pk__in=[])
    for email in emails:
        condition |= Q(contact_email__iexact=email)
    return Participation.objects.filter(condition).update(
        contact_name="", contact_email="", contact_phone="", contact_user=None
    )
