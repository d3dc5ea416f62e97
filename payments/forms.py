from django import forms
from django.utils.translation import gettext_lazy as _

from members.validators import normalise_identifier, validate_siret


class InvoiceBillingForm(forms.Form):
    """Paying by invoice (public bodies): who is billed, and their purchase order."""

    billing_entity = forms.CharField(
        error_messages={"required": _("Indiquez l'entité facturée.")},
        label=_("Entité facturée"),
        max_length=200,
        help_text=_("La collectivité ou l'établissement qui paie, tel qu'il figure sur le bon de commande."),
    )
    billing_siret = forms.CharField(
        error_messages={"required": _("Indiquez le SIRET de l'entité facturée.")},
        label=_("SIRET de l'entité facturée"),
        max_length=20,
        help_text=_("14 chiffres, espaces permis."),
        validators=[validate_siret],
    )
    billing_address = forms.CharField(
        error_messages={"required": _("Indiquez l'adresse de facturation.")},
        label=_("Adresse de facturation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=_("Rue, puis code postal et ville sur la dernière ligne."),
    )
    purchase_order = forms.CharField(
        error_messages={"required": _("Indiquez le numéro de bon de commande.")},
        label=_("Numéro de bon de commande"),
        max_length=100,
        help_text=_("Il figurera sur la facture."),
    )
    chorus_service_code = forms.CharField(
        label=_("Code service Chorus Pro"),
        max_length=100,
        required=False,
        help_text=_("Facultatif : le code du service destinataire dans Chorus Pro."),
    )

    def clean_billing_siret(self):
        return normalise_identifier(self.cleaned_data["billing_siret"])

    def clean_billing_entity(self):
        value = self.cleaned_data["billing_entity"].strip()
        if not value:
            raise forms.ValidationError(_("Indiquez l'entité facturée."))
        return value
