import re

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from helpdesk import conf as helpdesk_conf
from helpdesk.forms import AttachmentsField
from members.models import Organisation
from sectors.models import Sector

from . import conf
from .models import PHASE_FIELDS, ParticipationStatus, Phase, Unit, calendar_errors
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


class ReminderConfirmForm(forms.Form):
    """The confirmation of a member reminder: its phase and deadline, and the fingerprint of the
    list of bodies shown, so that only the list seen is reminded."""

    phase = forms.ChoiceField(choices=Phase.choices)
    deadline = forms.DateField(input_formats=["%Y-%m-%d"])
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$", max_length=64)


class ConventionField(AttachmentsField):
    """One document (the convention), checked like the helpdesk's attachments: type by extension
    and content, size."""

    def __init__(self, **kwargs):
        accept = ",".join(f".{ext}" for ext in helpdesk_conf.ALLOWED_EXTENSIONS)
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": accept}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        return files[0] if files else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, CR and LF are allowed


class ProposalForm(forms.Form):
    """A grouped purchase proposed by a member body's référent (their body coordinates it)."""

    title = forms.CharField(
        label=_("Intitulé du groupement"), max_length=120, help_text=_("Par exemple « Café équitable 2027 ».")
    )
    sector = forms.ModelChoiceField(
        label=_("Secteur d'achat"), queryset=Sector.objects.order_by("name"), empty_label=_("Choisissez un secteur")
    )
    summary = forms.CharField(
        label=_("Présentation"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce qui est acheté ensemble, pourquoi, et ce que l'on attend des membres (texte simple)."),
    )
    convention = ConventionField(label=_("Convention constitutive"), required=False)
    interest_deadline = forms.DateField(
        label=_("Fin de l'appel à manifestation d'intérêt"), widget=forms.DateInput(attrs={"type": "date"})
    )
    convention_deadline = forms.DateField(
        label=_("Signature de la convention avant le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tender_deadline = forms.DateField(
        label=_("Publication de la consultation"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    award_deadline = forms.DateField(
        label=_("Attribution"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    execution_start = forms.DateField(
        label=_("Début d'exécution"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today, has_convention=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        help_text = _("Un fichier %(types)s de %(size)s au plus.") % {
            "types": ", ".join(ext.upper() for ext in helpdesk_conf.ALLOWED_EXTENSIONS),
            "size": filesizeformat(helpdesk_conf.MAX_ATTACHMENT_SIZE),
        }
        if has_convention:
            help_text = _("Laissez vide pour garder la convention déjà jointe. ") + help_text
        self.fields["convention"].help_text = help_text
        for row in range(1, conf.LOT_ROWS + 1):
            self.fields[f"lot_{row}_name"] = forms.CharField(
                label=_("Lot %(n)d : intitulé") % {"n": row}, max_length=200, required=False
            )
            self.fields[f"lot_{row}_unit"] = forms.ChoiceField(
                label=_("Lot %(n)d : unité de besoin") % {"n": row},
                choices=[("", "—")] + list(Unit.choices),
                required=False,
            )

    def lot_rows(self):
        return [(self[f"lot_{row}_name"], self[f"lot_{row}_unit"]) for row in range(1, conf.LOT_ROWS + 1)]

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())  # CR/LF and tabs become spaces
        if "<" in title or ">" in title:
            raise forms.ValidationError(_("L'intitulé ne peut pas contenir de balises (< >)."), code="markup")
        return title

    def clean_summary(self):
        summary = self.cleaned_data["summary"]
        if _CONTROL.search(summary):
            raise forms.ValidationError(_("Le texte contient des caractères de contrôle."), code="control")
        return summary

    def clean_interest_deadline(self):
        day = self.cleaned_data["interest_deadline"]
        if day < self.today:
            raise forms.ValidationError(_("Cette date est passée."), code="past")
        return day

    def clean(self):
        cleaned = super().clean()
        lots = []
        for row in range(1, conf.LOT_ROWS + 1):
            name = " ".join((cleaned.get(f"lot_{row}_name") or "").split())
            unit = cleaned.get(f"lot_{row}_unit") or ""
            if name and not unit:
                self.add_error(f"lot_{row}_unit", _("Choisissez l'unité de besoin de ce lot."))
            elif unit and not name:
                self.add_error(f"lot_{row}_name", _("Donnez un intitulé à ce lot."))
            elif name:
                lots.append((name, unit))
        if not lots and not any(
            self.has_error(f"lot_{row}_{part}") for row in range(1, conf.LOT_ROWS + 1) for part in ("name", "unit")
        ):
            self.add_error("lot_1_name", _("Indiquez au moins un lot, avec son unité de besoin."))
        self.lots = lots
        for name, message in calendar_errors({n: cleaned.get(n) for _p, n in PHASE_FIELDS}).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned
