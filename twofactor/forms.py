from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        error_messages={"required": _("Saisissez le code affiché par l'application ou un code de secours.")},
        help_text=_("Les 6 chiffres affichés par l'application, ou un code de secours."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "numeric"}),
    )
