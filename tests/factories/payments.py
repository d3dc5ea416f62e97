"""Factories for payments: a member's 300 € HT training (20 % VAT), by invoice unless told."""

from decimal import Decimal

from factory.django import DjangoModelFactory

from payments.models import Payment


class PaymentFactory(DjangoModelFactory):
    """Needs ``registration=``; amounts consistent with each other (300 + 60 = 360)."""

    class Meta:
        model = Payment

    method = "invoice"
    price_category = "member"
    description = "Formation"
    amount_ht = Decimal("300.00")
    vat_rate = Decimal("20.00")
    vat_amount = Decimal("60.00")
    amount = Decimal("360.00")
