from django import forms
from django.utils.translation import gettext_lazy as _

from sectors.models import Sector

from .models import TrainingFormat


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters; every value is checked against known ones before filtering."""

    secteur = forms.ModelChoiceField(
        label=_("Secteur"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les secteurs"),
        error_messages={"invalid_choice": _("Ce secteur n'existe pas.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Tous les formats")), *TrainingFormat.choices],
        required=False,
        error_messages={"invalid_choice": _("Ce format n'existe pas.")},
    )
    du = forms.DateField(
        label=_("À partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )
    au = forms.DateField(
        label=_("Jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Saisissez une date valide (jj/mm/aaaa).")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and end < start:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return cleaned
