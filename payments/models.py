from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.validators import validate_siret


class PaymentMethod(models.TextChoices):
    CARD = "card", _("carte bancaire (Stripe)")
    INVOICE = "invoice", _("sur facture (mandat administratif)")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    PAID = "paid", _("payé")
    FAILED = "failed", _("échoué")
    EXPIRED = "expired", _("expiré")
    CANCELLED = "cancelled", _("annulé")
    REFUNDED = "refunded", _("remboursé")
    PARTIALLY_REFUNDED = "partially_refunded", _("remboursé en partie")
    # Stripe took less than is due: an editor decides (refund, or confirm by hand).
    REVIEW = "review", _("à vérifier (montant reçu incomplet)")


CENT = Decimal("0.01")
# A payment whose money was received (some of it may have been given back since).
SETTLED = {PaymentStatus.PAID, PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED}


class PriceCategory(models.TextChoices):
    MEMBER = "member", _("tarif membre")
    NON_MEMBER = "non_member", _("tarif non-membre")


class PaymentQuerySet(models.QuerySet):
    def for_person(self, user):
        return self.filter(registration__user=user)

    def pending_card(self):
        return self.filter(method=PaymentMethod.CARD, status=PaymentStatus.PENDING).exclude(stripe_session_id="")


class Payment(models.Model):
    """What one registration costs and how it is paid. Amounts always come from the training in
    the database at the time of registration (never from a form)."""

    registration = models.ForeignKey(
        "registrations.Registration", verbose_name=_("inscription"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("mode de paiement"), max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(
        _("statut"), max_length=24, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    price_category = models.CharField(_("tarif"), max_length=16, choices=PriceCategory.choices)
    description = models.CharField(_("désignation"), max_length=300)
    amount_ht = models.DecimalField(_("montant HT"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=4, decimal_places=2)
    vat_amount = models.DecimalField(_("TVA"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("montant TTC"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    refunded_amount = models.DecimalField(_("montant remboursé"), max_digits=10, decimal_places=2, default=Decimal("0"))
    stripe_session_id = models.CharField(_("session Stripe Checkout"), max_length=255, blank=True, db_index=True)
    stripe_payment_intent = models.CharField(_("paiement Stripe"), max_length=255, blank=True, db_index=True)
    # Invoice payments (public bodies): who is billed.
    billing_entity = models.CharField(_("entité facturée"), max_length=200, blank=True)
    billing_siret = models.CharField(
        _("SIRET de l'entité facturée"), max_length=14, blank=True, validators=[validate_siret]
    )
    billing_address = models.TextField(_("adresse de facturation"), blank=True)
    purchase_order = models.CharField(_("numéro de bon de commande"), max_length=100, blank=True)
    chorus_service_code = models.CharField(_("code service Chorus Pro"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("remboursé le"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_session_id"], condition=~Q(stripe_session_id=""), name="payment_unique_stripe_session"
            ),
        ]

    def __str__(self):
        return f"{self.registration.full_name} — {self.amount} € ({self.get_status_display()})"

    @property
    def amount_cents(self):
        return int((self.amount * 100).to_integral_value())

    @property
    def refundable_amount(self):
        return self.amount - self.refunded_amount


class StripeEvent(models.Model):
    """Each Stripe event is recorded once (its id is unique): a replay changes nothing."""

    event_id = models.CharField(_("identifiant Stripe"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100)
    payload = models.JSONField(_("contenu"))
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    handled = models.BooleanField(_("traité"), default=False)
    note = models.CharField(_("résultat"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")

    def __str__(self):
        return f"{self.type} {self.event_id}"


class DocumentSequence(models.Model):
    """The last number given per kind of document and year: numbers follow without gaps.
    The row is locked while a number is taken, so concurrent issues never share or skip one."""

    kind = models.CharField(max_length=16)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_sequence_unique")]

    def __str__(self):
        return f"{self.kind}-{self.year}: {self.last_number}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("émise")
    PAID = "paid", _("payée")
    CANCELLED = "cancelled", _("annulée par avoir")


class BillingDocument(models.Model):
    """What invoices and credit notes share: a number, dates, the buyer as billed, amounts."""

    number = models.CharField(_("numéro"), max_length=32, unique=True)
    issued_on = models.DateField(_("date d'émission"))
    buyer_name = models.CharField(_("client"), max_length=200)
    buyer_siret = models.CharField(_("SIRET du client"), max_length=14, blank=True)
    buyer_address = models.TextField(_("adresse du client"), blank=True)
    purchase_order = models.CharField(_("bon de commande"), max_length=100, blank=True)
    chorus_service_code = models.CharField(_("code service Chorus Pro"), max_length=100, blank=True)
    description = models.CharField(_("désignation"), max_length=300)
    amount_ht = models.DecimalField(_("montant HT"), max_digits=10, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=4, decimal_places=2)
    vat_amount = models.DecimalField(_("TVA"), max_digits=10, decimal_places=2)
    amount_ttc = models.DecimalField(_("montant TTC"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.number


class Invoice(BillingDocument):
    payment = models.OneToOneField(
        Payment, verbose_name=_("paiement"), on_delete=models.PROTECT, related_name="invoice"
    )
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("statut"), max_length=16, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED, db_index=True
    )
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("facture")
        verbose_name_plural = _("factures")

    document_title = _("Facture")


class CreditNote(BillingDocument):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    reason = models.CharField(_("motif"), max_length=300)

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("avoir")
        verbose_name_plural = _("avoirs")

    document_title = _("Avoir")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("demandé")
    SUCCEEDED = "succeeded", _("effectué")
    FAILED = "failed", _("échoué")


class Refund(models.Model):
    """A refund asked of Stripe for a card payment; sent once (its id is the idempotency key)."""

    payment = models.ForeignKey(Payment, verbose_name=_("paiement"), on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("montant TTC"), max_digits=10, decimal_places=2)
    reason = models.CharField(_("motif"), max_length=300)
    status = models.CharField(_("statut"), max_length=16, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    stripe_refund_id = models.CharField(_("remboursement Stripe"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("envois à Stripe"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")

    def __str__(self):
        return f"{self.amount} € — {self.get_status_display()}"
