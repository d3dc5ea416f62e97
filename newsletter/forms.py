from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sectors.models import Sector

from .addresses import clean_address


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("Adresse électronique"),
        error_messages={"required": _("Saisissez votre adresse électronique.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Nous vous envoyons un lien pour confirmer : l'abonnement ne commence qu'une fois le lien suivi."),
    )
    consent = forms.BooleanField(
        label=_("J'accepte de recevoir la lettre RESECO (environ une par mois) ; je peux me désabonner en un clic."),
        error_messages={"required": _("Cochez la case pour confirmer votre demande.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].personal_data_notice = _(
            "Votre adresse ne sert qu'à l'envoi de la lettre ; elle est effacée à votre désabonnement sur demande."
        )

    def clean_email(self):
        try:
            return clean_address(self.cleaned_data["email"])
        except ValidationError as error:
            raise ValidationError(error.messages[0], code=error.code) from None


class PreferencesForm(forms.Form):
    public_letter = forms.BooleanField(label=_("La lettre RESECO (publique, environ une par mois)"), required=False)
    members_letters = forms.BooleanField(
        label=_("Les lettres réservées aux membres (réseau, groupes de travail)"), required=False
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Secteurs qui m'intéressent"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vous recevez aussi les lettres adressées aux membres de ces secteurs."),
    )


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Date et heure d'envoi"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Laissez vide pour envoyer maintenant."),
    )
