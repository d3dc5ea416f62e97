from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import NewPasswordForm
from members.models import Organisation
from members.validators import normalise_identifier, validate_siret

from .models import OrganisationBilling

OTHER = "autre"
NAME_MAX = 150


def _no_markup(form, names):
    for name in names:
        value = form.cleaned_data.get(name) or ""
        if any(ch in value for ch in "<>{}"):
            form.add_error(name, _("Ce champ ne peut pas contenir les caractères < > { }."))


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("Adresse électronique"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean(self):
        cleaned = super().clean()
        _no_markup(self, ("first_name", "last_name"))
        return cleaned


def organisation_choices():
    organisations = Organisation.objects.current_members().values_list("pk", "name")
    return [("", _("— Choisissez —")), *[(str(pk), name) for pk, name in organisations], (OTHER, _("Autre (précisez)"))]


class AccountRequestForm(PersonForm):
    email = forms.EmailField(
        label=_("Adresse électronique professionnelle"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Celle de votre collectivité : elle aide l'équipe à vérifier votre demande."),
    )
    organisation = forms.ChoiceField(label=_("Organisation"), choices=())
    other_organisation = forms.CharField(
        label=_("Autre organisation"),
        max_length=200,
        required=False,
        help_text=_("Si votre organisation n'est pas dans la liste."),
    )
    job_title = forms.CharField(
        label=_("Fonction"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "organization-title"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisation_choices()

    def clean(self):
        cleaned = super().clean()
        _no_markup(self, ("other_organisation", "job_title"))
        if cleaned.get("organisation") == OTHER and not cleaned.get("other_organisation", "").strip():
            self.add_error("other_organisation", _("Indiquez le nom de votre organisation."))
        return cleaned

    def payload(self):
        data = self.cleaned_data
        chosen = data["organisation"]
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "organisation": None if chosen == OTHER else int(chosen),
            "other_organisation": data["other_organisation"].strip() if chosen == OTHER else "",
            "job_title": data["job_title"],
        }


class SignupForm(PersonForm):
    def payload(self):
        return {k: self.cleaned_data[k] for k in ("first_name", "last_name", "email")}


class InviteForm(PersonForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Laisser vide pour un compte public (tarif non-membre)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.current_members()


class ApproveForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Rattacher à"), queryset=Organisation.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.current_members()


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message au demandeur"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Expliquez au demandeur pourquoi sa demande est refusée.")},
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : email, prenom, nom, et facultativement organisation (SIREN ou nom). 2 000 lignes au plus."
        ),
        error_messages={"required": _("Choisissez un fichier CSV."), "empty": _("Le fichier est vide.")},
    )


class SetPasswordForm(NewPasswordForm):
    pass


class BillingForm(forms.ModelForm):
    siret = forms.CharField(
        label=_("SIRET"), max_length=20, required=False, help_text=_("14 chiffres, espaces permis.")
    )

    class Meta:
        model = OrganisationBilling
        fields = ["entity", "siret", "address", "chorus_service_code", "email"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_siret(self):
        siret = normalise_identifier(self.cleaned_data["siret"])
        if siret:
            validate_siret(siret)
        return siret

    def clean(self):
        cleaned = super().clean()
        _no_markup(self, ("entity", "address", "chorus_service_code"))
        return cleaned
