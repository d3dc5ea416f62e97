from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.forms import AttachmentsField, attachment_rules
from sectors.models import Sector

from . import conf
from .models import Frequency, ProcedureType, Question
from .services import ExchangeError, check_links

CONTROL_CHARS = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _clean_text(value):
    """Text without control characters (a NUL byte cannot be stored), line breaks kept."""
    return (value or "").translate(CONTROL_CHARS).strip()


class LinksMixin:
    def _check_links(self, name):
        value = self.cleaned_data.get(name, "")
        try:
            check_links(value, field=name)
        except ExchangeError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return value


class QuestionForm(LinksMixin, forms.ModelForm):
    attachments = AttachmentsField(label=_("Pièces jointes"))

    class Meta:
        model = Question
        fields = ["title", "sector", "procedure_type", "deadline", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.in_use_order()
        self.fields["sector"].empty_label = _("Choisissez un secteur")
        self.fields["procedure_type"].choices = ProcedureType.choices
        self.fields["body"].max_length = conf.MAX_BODY_LENGTH
        self.fields["attachments"].help_text = attachment_rules()
        self.fields["deadline"].error_messages["invalid"] = _("Saisissez une date valide, par exemple 31/03/2027.")
        for name in ("title", "body"):
            self.fields[name].error_messages["max_length"] = _(
                "Ce texte est trop long : %(limit_value)d caractères au plus (il en compte %(show_value)d)."
            )

    def clean_title(self):
        """The question in one line (it becomes an e-mail subject)."""
        self.cleaned_data["title"] = " ".join(_clean_text(self.cleaned_data["title"]).split())
        if not self.cleaned_data["title"]:
            raise forms.ValidationError(_("Écrivez votre question en une ligne."), code="required")
        return self._check_links("title")

    def clean_body(self):
        self.cleaned_data["body"] = _clean_text(self.cleaned_data["body"])
        if not self.cleaned_data["body"]:
            raise forms.ValidationError(_("Précisez votre question."), code="required")
        return self._check_links("body")


class AnswerForm(LinksMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=conf.MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Écrivez votre réponse avant de l'envoyer."),
            "max_length": _(
                "Ce texte est trop long : %(limit_value)d caractères au plus (il en compte %(show_value)d)."
            ),
        },
    )
    attachments = AttachmentsField(label=_("Pièces jointes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_rules()

    def clean_body(self):
        self.cleaned_data["body"] = _clean_text(self.cleaned_data["body"])
        if not self.cleaned_data["body"]:
            raise forms.ValidationError(_("Écrivez votre réponse avant de l'envoyer."), code="required")
        return self._check_links("body")


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du signalement"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Indiquez le motif du signalement."),
            "max_length": _("Le motif est limité à %(limit_value)d caractères."),
        },
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Courriels pour les nouvelles questions"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez une fréquence dans la liste.")},
    )


class FollowsForm(forms.Form):
    """What a member follows: every question, or chosen sectors; and how often to hear of them."""

    everything = forms.BooleanField(label=_("Toutes les questions, tous secteurs confondus"), required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Les secteurs que je suis"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Ce secteur n'existe pas : choisissez dans la liste."),
            "invalid_pk_value": _("Ce secteur n'existe pas : choisissez dans la liste."),
        },
    )
    frequency = FrequencyForm.base_fields["frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.in_use_order()


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Décision"),
        choices=[("hide", _("Masquer")), ("show", _("Rétablir")), ("edit", _("Modifier le texte"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Texte corrigé"),
        required=False,
        max_length=conf.MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Seulement pour « Modifier le texte »."),
    )
    reason = forms.CharField(
        label=_("Motif (conservé dans l'historique)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Publier comme"),
        choices=[("faq", _("Question fréquente (FAQ)")), ("resource", _("Ressource de la bibliothèque (brouillon)"))],
        widget=forms.RadioSelect,
    )
    anonymise = forms.BooleanField(
        label=_("Anonymiser (retirer noms, adresses et collectivités)"), required=False, initial=True
    )
