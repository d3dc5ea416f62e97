"""Registration and application forms. Every answer is bounded; the occurrence, status and
price never come from the form (the URL and the engine decide them)."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import CompanySize, Label, Organisation
from members.validators import normalise_identifier, validate_siret
from sectors.models import Sector

# Health or beliefs can show through a diet: say why it is asked, who sees it and for how long.
DIETARY_NOTICE = _(
    "Sert uniquement à prévoir les repas et l'accueil. Seule l'équipe de RESECO qui organise "
    "l'événement le voit ; il est conservé avec votre inscription et effacé avec elle."
)

# The questions an event may ask (EventPage.registration_questions lists their keys).
QUESTIONS = {
    "dietary": forms.CharField(
        label=_("Régime alimentaire ou allergies"),
        max_length=200,
        required=False,
        help_text=_("Facultatif. Par exemple : végétarien, sans gluten."),
    ),
    "accessibility": forms.CharField(
        label=_("Besoins d'accessibilité"),
        max_length=300,
        required=False,
        help_text=_("Accès en fauteuil, boucle magnétique, documents adaptés…"),
    ),
    "role": forms.CharField(
        label=_("Votre fonction"),
        max_length=150,
        required=False,
        help_text=_("Acheteur·se, juriste, élu·e…"),
    ),
    "free_text": forms.CharField(
        label=_("Remarque ou question"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("1 000 caractères au plus."),
    ),
}

QUESTIONS["dietary"].personal_data_notice = DIETARY_NOTICE  # read by includes/field.html


SUPPLIER_QUESTIONS = {
    "environment": forms.CharField(
        label=_("Vos démarches environnementales"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Réduction des impacts, éco-conception, fin de vie des produits… 2 000 caractères au plus."),
    ),
    "csr": forms.CharField(
        label=_("Votre politique RSE"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("2 000 caractères au plus."),
    ),
    "social_clauses": forms.CharField(
        label=_("Clauses sociales et insertion"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Votre expérience des clauses sociales des marchés publics. 2 000 caractères au plus."),
    ),
    "local_sourcing": forms.CharField(
        label=_("Approvisionnement local"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("2 000 caractères au plus."),
    ),
    "free_text": forms.CharField(
        label=_("Autre chose à nous dire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("2 000 caractères au plus."),
    ),
}


def question_label(key):
    field = QUESTIONS.get(key) or SUPPLIER_QUESTIONS.get(key)
    return field.label if field else key


class QuestionsMixin:
    """Adds the event's questions; ``answers`` keeps only known, non-empty ones."""

    def add_questions(self, questions):
        self.question_keys = [key for key in questions if key in QUESTIONS]
        for key in self.question_keys:
            self.fields[f"q_{key}"] = copy.deepcopy(QUESTIONS[key])

    @property
    def answers(self):
        return {key: self.cleaned_data[f"q_{key}"] for key in self.question_keys if self.cleaned_data.get(f"q_{key}")}


class MemberRegistrationForm(QuestionsMixin, forms.Form):
    """A logged-in person registers themself: identity comes from the account, never the form."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)


class GuestRegistrationForm(QuestionsMixin, forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        help_text=_("Vous recevrez un lien pour confirmer votre inscription."),
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    @property
    def guest(self):
        return {k: self.cleaned_data[k] for k in ("first_name", "last_name", "email", "organisation_name")}


class SupplierApplicationForm(forms.Form):
    siret = forms.CharField(label=_("SIRET"), max_length=20, help_text=_("14 chiffres, sans espace ou avec."))
    company_name = forms.CharField(label=_("Raison sociale"), max_length=200)
    size = forms.ChoiceField(
        label=_("Taille de l'entreprise"), choices=[("", "—"), *CompanySize.choices], required=False
    )
    city = forms.CharField(label=_("Ville"), max_length=120, required=False)
    website = forms.URLField(label=_("Site web"), max_length=200, required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Présentation de l'entreprise"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que fait l'entreprise, en quelques lignes. 2 000 caractères au plus."),
    )
    first_name = forms.CharField(label=_("Prénom du contact"), max_length=150)
    last_name = forms.CharField(label=_("Nom du contact"), max_length=150)
    email = forms.EmailField(label=_("Adresse électronique du contact"), max_length=254)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    job_title = forms.CharField(label=_("Fonction"), max_length=150, required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Secteurs"), queryset=Sector.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    labels = forms.ModelMultipleChoiceField(
        label=_("Labels et certifications"),
        queryset=Label.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, field in SUPPLIER_QUESTIONS.items():
            self.fields[f"q_{key}"] = copy.deepcopy(field)

    def clean_siret(self):
        siret = normalise_identifier(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    @property
    def company(self):
        data = self.cleaned_data
        return {
            "siret": data["siret"],
            "name": data["company_name"],
            "size": data["size"],
            "city": data["city"],
            "website": data["website"],
            "description": data["description"],
            "sectors": list(data["sectors"]),
            "labels": list(data["labels"]),
        }

    @property
    def contact(self):
        return {k: self.cleaned_data[k] for k in ("first_name", "last_name", "email", "phone", "job_title")}

    @property
    def answers(self):
        return {key: self.cleaned_data[f"q_{key}"] for key in SUPPLIER_QUESTIONS if self.cleaned_data.get(f"q_{key}")}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("selected", _("Retenir")), ("declined", _("Ne pas retenir"))])
    message = forms.CharField(label=_("Message au fournisseur"), max_length=2000, required=False, widget=forms.Textarea)


class OrganisationFields(forms.Form):
    """A member body chosen from the list, or a free name recorded explicitly as a non-member:
    a member typed as free text would drop out of the activity report."""

    organisation = forms.ModelChoiceField(
        label=_("Collectivité membre"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Choisissez l'organisation membre de la personne : elle compte alors dans le rapport d'activité."),
    )
    organisation_name = forms.CharField(
        label=_("Ou organisation non membre"),
        max_length=200,
        required=False,
        help_text=_("Seulement si la personne ne vient pas d'une organisation membre (entreprise, association…)."),
    )

    def clean(self):
        data = super().clean()
        name = (data.get("organisation_name") or "").strip()
        if data.get("organisation") and name:
            self.add_error(
                "organisation_name",
                _("Choisissez une organisation membre ou saisissez une organisation non membre, pas les deux."),
            )
        elif name and Organisation.objects.filter(name__iexact=name).exists():
            self.add_error(
                "organisation_name",
                _("« %(name)s » est une organisation membre : choisissez-la dans la liste.") % {"name": name},
            )
        return data


class EditorAddForm(OrganisationFields):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    walk_in = forms.BooleanField(label=_("Présent sur place sans inscription"), required=False)
    free_of_charge = forms.BooleanField(
        label=_("Offert (session payante inscrite sans paiement)"),
        required=False,
        help_text=_("Pour une session payante : l'inscription est confirmée sans paiement, et l'historique le note."),
    )
    field_order = ["first_name", "last_name", "email", "organisation", "organisation_name", "walk_in"]

    @property
    def guest(self):
        return {
            k: self.cleaned_data[k] for k in ("first_name", "last_name", "email", "organisation", "organisation_name")
        }


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Texte brut ; une ligne vide sépare les paragraphes. 5 000 caractères au plus."),
    )
    include_waitlisted = forms.BooleanField(label=_("Écrire aussi à la liste d'attente"), required=False)
