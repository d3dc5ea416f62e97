"""Suppliers' records and who may change them.

A stored company changes only by an editor (the admin, or merging what an application
submitted) or by a contact whose claim an editor approved. A claim: the person proves their
e-mail address by a signed link, an editor approves or declines; an address outside the
domain of the company's website is flagged to the editor."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from base.errors import DomainError

from .models import OPEN_CLAIM_STATUSES, ClaimStatus, Supplier, SupplierClaim
from .services import sync_groups
from .validators import normalise_identifier

# What a company's profile holds beyond its identity (SIRET): what an application may propose
# and an approved contact may edit. The legal name stays with editors for contacts.
PROFILE_FIELDS = ("name", "size", "city", "website", "description", "sectors", "labels")
CONTACT_FIELDS = ("size", "city", "website", "description", "sectors", "labels")
MANY_FIELDS = ("sectors", "labels")

CLAIM_SALT = "members.supplier-claim"
CLAIM_LINK_MAX_AGE = 60 * 60 * 24 * 3


class SupplierError(DomainError):
    """A rule about suppliers' records or claims refused the request."""


def profile_values(company):
    """The profile of a stored company or of submitted details (same field names); {} for None."""
    if company is None:
        return {}
    return {
        name: list(getattr(company, name).all()) if name in MANY_FIELDS else getattr(company, name)
        for name in PROFILE_FIELDS
    }


def apply_details(supplier, values, fields, *, siret=None):
    """Write ``fields`` of ``values`` (a dict of profile fields) onto ``supplier``, or create it
    with ``siret`` when ``supplier`` is None. Returns the supplier."""
    fields = [name for name in fields if name in PROFILE_FIELDS]
    if supplier is None:
        supplier = Supplier(siret=siret, name=values["name"])
    for name in fields:
        if name not in MANY_FIELDS:
            setattr(supplier, name, values.get(name) or "")
    supplier.full_clean(exclude=["sectors", "labels"])
    supplier.save()
    for name in fields:
        if name in MANY_FIELDS:
            getattr(supplier, name).set(values.get(name) or [])
    return supplier


def website_domain(url):
    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.")


def domain_matches(email, website):
    """Whether ``email`` is on the domain of ``website`` (or one of its subdomains)."""
    domain = website_domain(website)
    mail_domain = email.rpartition("@")[2].lower()
    return bool(domain) and (mail_domain == domain or mail_domain.endswith("." + domain))


def approved_company(user):
    """The company ``user`` may act for (an approved claim), or None."""
    if not user.is_authenticated:
        return None
    claim = SupplierClaim.objects.filter(user=user, status=ClaimStatus.APPROVED).select_related("supplier").first()
    return claim.supplier if claim else None


def open_claim(user):
    return SupplierClaim.objects.filter(user=user, status__in=OPEN_CLAIM_STATUSES).select_related("supplier").first()


def may_claim(user):
    """Anyone logged in who is not staff nor an agent of a member body may act for a company."""
    return user.is_authenticated and user.is_active and not user.is_staff and user.organisation_id is None


def start_claim(user, siret):
    """``user`` claims the company with ``siret``: a claim to verify by e-mail."""
    if not may_claim(user):
        raise SupplierError(_("Votre compte ne peut pas représenter une entreprise."), "not_allowed")
    supplier = Supplier.objects.filter(siret=normalise_identifier(siret)).first()
    if supplier is None:
        raise SupplierError(
            _("Aucune entreprise enregistrée avec ce SIRET : candidatez d'abord à une rencontre."),
            "unknown",
            field="siret",
        )
    try:
        with transaction.atomic():
            claim = SupplierClaim.objects.create(
                user=user,
                supplier=supplier,
                email=user.email,
                domain_matches=domain_matches(user.email, supplier.website),
            )
    except IntegrityError as error:
        raise SupplierError(_("Vous avez déjà une demande en cours ou acceptée."), "already_claimed") from error
    _email_on_commit(claim, "verify")
    return claim


def claim_token(claim):
    return signing.dumps({"c": claim.pk, "u": claim.user_id}, salt=CLAIM_SALT)


def _email_on_commit(claim, kind):
    from .tasks import send_claim_email  # the task module loads these services on use

    pk = claim.pk
    transaction.on_commit(lambda: send_claim_email.enqueue(pk, kind))


def send_claim_message(claim, kind):
    """Sent from the task queue: the verification link, or the editor's decision."""
    context = {"claim": claim, "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")}
    if kind == "verify":
        context["url"] = context["site_url"] + reverse("members:claim_verify", kwargs={"token": claim_token(claim)})
        subject = _("Vérifiez votre adresse pour représenter %(name)s")
    else:
        subject = _("Votre demande pour représenter %(name)s")
    body = render_to_string(f"members/email/claim_{kind}.txt", context)
    send_mail(subject % {"name": claim.supplier.name}, body, None, [claim.email])


def verify_claim(token, user):
    """The link of the verification e-mail, followed by the claim's own person."""
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_LINK_MAX_AGE)
        pk, user_id = int(data["c"]), int(data["u"])
    except signing.SignatureExpired as error:
        raise SupplierError(_("Ce lien a expiré : refaites la demande depuis « Mon compte »."), "expired") from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise SupplierError(_("Ce lien de vérification n'est pas valide."), "invalid") from error
    if user_id != user.pk:
        raise SupplierError(_("Ce lien de vérification n'est pas valide."), "invalid")
    with transaction.atomic():
        claim = SupplierClaim.objects.select_for_update().filter(pk=pk, user=user).first()
        if claim is None or claim.email.lower() != user.email.lower():
            raise SupplierError(_("Ce lien de vérification n'est pas valide."), "invalid")
        if claim.status == ClaimStatus.UNVERIFIED:
            claim.status, claim.verified_at = ClaimStatus.PENDING, timezone.now()
            claim.save(update_fields=["status", "verified_at"])
    return claim


def decide_claim(claim, *, approve, actor, message=""):
    """An editor approves (the person becomes the company's contact) or declines a verified claim."""
    with transaction.atomic():
        claim = SupplierClaim.objects.select_for_update().select_related("user").get(pk=claim.pk)
        if claim.status != ClaimStatus.PENDING:
            raise SupplierError(_("Seule une demande vérifiée et en attente peut être décidée."), "invalid_status")
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.DECLINED
        claim.decided_by, claim.decided_at, claim.decision_message = actor, timezone.now(), message
        claim.save(update_fields=["status", "decided_by", "decided_at", "decision_message"])
        if approve:
            claim.user.supplier_id = claim.supplier_id
            claim.user.save(update_fields=["supplier"])
            sync_groups(claim.user)
    _email_on_commit(claim, "decision")
    return claim
