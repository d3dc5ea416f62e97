from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .models import User


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
