"""E-mails about payments (French), sent only from ``payments.tasks.send_payment_email``."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .documents import billing_pdf
from .models import Invoice

# kind: (subject, paragraphs); paragraphs are formatted with the payment's details.
KINDS = {
    "invoice_issued": (
        "Votre facture {number}",
        [
            "Votre inscription à « {title} » est confirmée. Vous trouverez ci-joint la facture n° {number} "
            "({amount} € TTC), à régler sous {terms} jours.",
            "Vos factures restent disponibles dans votre compte : {account_url}",
        ],
    ),
    "credit_note": (
        "Avoir sur votre facture",
        ["Suite à l'annulation de votre inscription à « {title} », un avoir a été émis. Il est joint à ce message."],
    ),
    "refunded": (
        "Votre remboursement",
        [
            "Nous avons remboursé {refunded} € sur la carte utilisée pour votre inscription à « {title} ». "
            "Le montant apparaîtra sur votre compte sous quelques jours."
        ],
    ),
    "refunded_no_seat": (
        "Plus de place disponible : vous êtes remboursé·e",
        [
            "Votre paiement pour « {title} » est arrivé après la fin de la réservation de votre place, "
            "et la session est désormais complète.",
            "Nous vous remboursons intégralement ({amount} €) sur la carte utilisée. Nous sommes désolés "
            "pour ce contretemps ; vous pouvez vous inscrire à une autre session : {page_url}",
        ],
    ),
    "refunded_released": (
        "Paiement reçu après l'annulation : vous êtes remboursé·e",
        [
            "Votre paiement pour « {title} » nous est parvenu après que votre place a été libérée : "
            "votre inscription reste annulée.",
            "Nous vous remboursons intégralement ({amount} €) sur la carte utilisée. Pour participer, "
            "inscrivez-vous de nouveau : {page_url}",
        ],
    ),
    "pay_now": (
        "Une place s'est libérée : réglez votre inscription",
        [
            "Une place s'est libérée pour « {title} ». Pour la garder, réglez votre inscription ({amount} € TTC) : {pay_url}"
        ],
    ),
}


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send(payment, kind):

    registration = payment.registration
    subject, paragraphs = KINDS[kind]
    with translation.override("fr"):
        invoice = Invoice.objects.filter(payment=payment).first()
        values = {
            "title": registration.occurrence.page.title,
            "number": invoice.number if invoice else "",
            "amount": f"{payment.amount:.2f}".replace(".", ","),
            "refunded": f"{payment.refunded_amount:.2f}".replace(".", ","),
            "terms": (invoice.due_on - invoice.issued_on).days if invoice else 30,
            "account_url": _absolute(reverse("members:account")),
            "page_url": _absolute(registration.occurrence.page.url or "/"),
            "pay_url": _absolute(reverse("payments:resume", kwargs={"payment_id": payment.pk})),
        }
        body = "\n\n".join(
            [
                _("Bonjour %(name)s,") % {"name": registration.first_name},
                *(_(p).format(**values) for p in paragraphs),
                _("L'équipe RESECO"),
            ]
        )
        message = EmailMessage(_(subject).format(**values), body, to=[registration.email])
        if kind == "invoice_issued" and invoice:
            message.attach(f"{invoice.number}.pdf", billing_pdf(invoice), "application/pdf")
        if kind == "credit_note" and invoice:
            note = invoice.credit_notes.order_by("-pk").first()
            if note:
                message.attach(f"{note.number}.pdf", billing_pdf(note), "application/pdf")
        message.send()
