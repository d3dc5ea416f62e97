"""What cancelling a paid registration now would cost, in the words the person reads before
confirming (the e-mail's cancellation link and « Mon compte »). It follows exactly the rule that
settles the cancellation (``refundable_share`` and ``on_registration_cancelled``)."""

from django.utils.translation import gettext as _

from .models import Invoice, InvoiceStatus, Payment, PaymentMethod, PaymentStatus
from .pricing import training_of
from .refunds import _share_of, refundable_share


def euros(amount):
    return f"{amount:.2f}".replace(".", ",")


def late_rule(registration, share):
    """The « annulation tardive » sentence when the rule keeps part of the price, else ''."""
    training = training_of(registration.occurrence)
    if training is None or share >= 1:
        return ""
    return _(
        "Annulation tardive : la formation n'est remboursée que jusqu'à %(days)s jours avant le début ; "
        "au-delà, %(charge)s %% du prix reste dû."
    ) % {"days": training.cancellation_deadline_days, "charge": training.late_cancellation_charge}


def consequences(registration):
    payments = list(Payment.objects.filter(registration=registration).exclude(status=PaymentStatus.CANCELLED))
    if not payments:
        return []
    share = refundable_share(registration)
    lines = [rule] if (rule := late_rule(registration, share)) else []
    for payment in payments:
        invoice = Invoice.objects.filter(payment=payment).exclude(status=InvoiceStatus.CANCELLED).first()
        if payment.method == PaymentMethod.INVOICE and invoice is not None:
            if share > 0:
                amount = euros(_share_of(invoice.amount_ttc, share))
                lines.append(
                    _("Un avoir de %(amount)s € TTC sera émis sur votre facture %(number)s.")
                    % {"amount": amount, "number": invoice.number}
                )
            else:
                lines.append(_("Votre facture %(number)s reste due.") % {"number": invoice.number})
        elif payment.status == PaymentStatus.PENDING:
            lines.append(_("Le paiement en cours est abandonné : rien ne vous sera facturé."))
        elif payment.status == PaymentStatus.PAID and payment.method == PaymentMethod.CARD:
            if share > 0:
                lines.append(
                    _("Vous serez remboursé·e de %(amount)s € TTC sur la carte utilisée.")
                    % {"amount": euros(_share_of(payment.amount, share))}
                )
            else:
                lines.append(_("Aucun remboursement : le prix payé reste dû."))
    return lines
