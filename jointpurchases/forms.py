from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organisation

from .models import ParticipationStatus
from .services import JointPurchaseError, parse_quantity


class QuantityField(forms.CharField):
    """A yearly quantity typed the French way (« 1 200,5 »): a Decimal, None when left empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 14})

    def clean(self, value):
        value = super().clean(value)
        try:
            return parse_quantity(value)
        except JointPurchaseError as error:
            raise forms.ValidationError(error.message, code=error.code) from None


def lot_field_name(lot):
    return f"lot_{lot.key}"


class DeclarationForm(forms.Form):
    """A body's needs per lot and its contact. Coordinators also choose the body."""

    organisation = forms.ModelChoiceField(
        label=_("Collectivité"), queryset=Organisation.objects.none(), empty_label=_("Choisissez une collectivité")
    )
    contact_name = forms.CharField(
        label=_("Personne à contacter"), max_length=200, help_text=_("Qui suit ce groupement dans votre collectivité.")
    )
    contact_email = forms.EmailField(label=_("Son adresse électronique"), max_length=254)
    contact_phone = forms.CharField(label=_("Son téléphone"), max_length=30, required=False)

    def __init__(self, *args, lots, coordinator=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = list(lots)
        if coordinator:
            self.fields["organisation"].queryset = Organisation.objects.current_members()
        else:
            del self.fields["organisation"]
        for field in ("contact_name", "contact_email", "contact_phone"):
            self.fields[field].personal_data_notice = _(
                "Vu par le coordonnateur du groupement et l'équipe du réseau, le temps du groupement."
            )
        for lot in self.lots:
            self.fields[lot_field_name(lot)] = QuantityField(
                label=_("%(lot)s : besoin annuel estimé (%(unit)s)")
                % {"lot": lot.name, "unit": lot.get_unit_display()},
                help_text=_("Laissez vide si vous n'êtes pas concerné par ce lot. Par exemple 1 200 ou 1 200,5."),
            )
        order = ["organisation"] if coordinator else []
        self.order_fields(order + [lot_field_name(lot) for lot in self.lots] + ["contact_name", "contact_email"])

    def quantities(self):
        return {lot.key: self.cleaned_data.get(lot_field_name(lot)) for lot in self.lots}

    def lot_fields(self):
        return [self[lot_field_name(lot)] for lot in self.lots]

    def clean_contact_name(self):
        return " ".join(self.cleaned_data["contact_name"].split())


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Avancement"), choices=ParticipationStatus.choices)
    signed_document = forms.FileField(
        label=_("Délibération ou convention signée (PDF)"),
        required=False,
        help_text=_("Obligatoire pour passer à « convention signée » ; PDF de 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8}))
