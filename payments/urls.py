from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("formation/<int:occurrence_id>/", views.start, name="start"),
    path("formation/<int:occurrence_id>/carte/", views.pay_by_card, name="pay_by_card"),
    path("formation/<int:occurrence_id>/facture/", views.pay_by_invoice, name="pay_by_invoice"),
    path("formation/<int:occurrence_id>/devis.pdf", views.quote, name="quote"),
    path("paiement/<int:payment_id>/", views.payment_detail, name="payment"),
    path("paiement/<int:payment_id>/payer/", views.resume, name="resume"),
    path("paiement/<int:payment_id>/abandon/", views.checkout_cancelled, name="checkout_cancelled"),
    path("retour/", views.checkout_success, name="success"),
    path("factures/<str:number>.pdf", views.invoice_pdf, name="invoice_pdf"),
    path("avoirs/<str:number>.pdf", views.credit_note_pdf, name="credit_note_pdf"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
