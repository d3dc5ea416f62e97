from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .models import Supplier, User
from .validators import normalise_identifier, validate_siret


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("Adresse électronique ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
    }


class ResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse électronique"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class NewPasswordForm(SetPasswordForm):
    pass


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves; organisation is set by the network's staff."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "phone"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789+ .()-")
        if phone and (not set(phone) <= allowed or sum(c.isdigit() for c in phone) < 6):
            raise forms.ValidationError(_("Indiquez un numéro de téléphone valide, par exemple 02 40 00 00 00."))
        return phone

    def clean(self):
        cleaned = super().clean()
        for name in ("first_name", "last_name", "job_title"):
            value = cleaned.get(name) or ""
            if any(ch in value for ch in "<>{}"):
                self.add_error(name, _("Ce champ ne peut pas contenir les caractères < > { }."))
        return cleaned


class ClaimForm(forms.Form):
    siret = forms.CharField(
        label=_("SIRET de l'entreprise"), max_length=20, help_text=_("14 chiffres, sans espace ou avec.")
    )

    def clean_siret(self):
        siret = normalise_identifier(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret


class CompanyProfileForm(forms.ModelForm):
    """What an approved contact updates about their company (never its SIRET nor legal name)."""

    class Meta:
        model = Supplier
        fields = ["size", "city", "website", "description", "sectors", "labels"]
        widgets = {
            "sectors": forms.CheckboxSelectMultiple,
            "labels": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        }

    def clean_city(self):
        city = self.cleaned_data["city"].strip()
        if any(ch in city for ch in "<>{}"):
            raise forms.ValidationError(_("Ce champ ne peut pas contenir les caractères < > { }."))
        return city


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Accepter")), ("decline", _("Refuser"))])
    message = forms.CharField(label=_("Message à la personne"), max_length=2000, required=False, widget=forms.Textarea)
