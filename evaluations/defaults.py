"""The built-in default questionnaires (training « à chaud » and « à froid », every other kind),
created when missing by the periodic job and the demo; editors then edit them in the admin."""

import uuid

from django.utils.translation import gettext as _

from .models import ANY_KIND, Questionnaire, Stage


def _q(kind, label, **value):
    return {"type": kind, "id": str(uuid.uuid4()), "value": {"label": label, **value}}


def _hot_training():
    return [
        _q("rating", _("Dans l'ensemble, êtes-vous satisfait·e de la formation ?"), help_text=""),
        _q("rating", _("Les objectifs annoncés ont-ils été atteints ?"), help_text=""),
        _q("rating", _("La qualité de l'animation et des intervenants"), help_text=""),
        _q("rating", _("L'organisation (accueil, lieu, supports)"), help_text=""),
        _q(
            "choice",
            _("Allez-vous utiliser ce que vous avez appris ?"),
            choices=[_("Oui, dès mon prochain marché"), _("Oui, plus tard"), _("Je ne sais pas"), _("Non")],
        ),
        _q("recommend", _("Recommanderiez-vous cette formation à un ou une collègue ?")),
        _q("text", _("Ce que vous avez le plus apprécié, ce qui pourrait être amélioré"), help_text=""),
    ]


def _cold_training():
    return [
        _q("rating", _("Avec le recul, la formation vous a-t-elle été utile ?"), help_text=""),
        _q(
            "choice",
            _("Avez-vous intégré des clauses sociales ou environnementales depuis la formation ?"),
            choices=[_("Oui, dans un ou plusieurs marchés"), _("C'est en cours"), _("Pas encore")],
        ),
        _q("recommend", _("Recommanderiez-vous cette formation à un ou une collègue ?")),
        _q("text", _("Un exemple de ce que vous avez mis en pratique, ou ce qui vous a manqué"), help_text=""),
    ]


def _hot_event():
    return [
        _q("rating", _("Dans l'ensemble, êtes-vous satisfait·e de cette rencontre ?"), help_text=""),
        _q("rating", _("L'intérêt des interventions et des échanges"), help_text=""),
        _q("recommend", _("Recommanderiez-vous ce type de rencontre à un ou une collègue ?")),
        _q("text", _("Vos remarques et les sujets que vous aimeriez voir traités"), help_text=""),
    ]


DEFAULTS = [
    ("training", Stage.HOT, lambda: _("Formation — à chaud"), _hot_training),
    ("training", Stage.COLD, lambda: _("Formation — à froid (trois mois après)"), _cold_training),
    (ANY_KIND, Stage.HOT, lambda: _("Événement — à chaud"), _hot_event),
]


def ensure_defaults():
    """Creates each built-in default that has no questionnaire yet; returns how many."""
    created = 0
    for kind, stage, name, questions in DEFAULTS:
        if not Questionnaire.objects.filter(default_for_kind=kind, stage=stage).exists():
            Questionnaire.objects.create(name=name(), default_for_kind=kind, stage=stage, questions=questions())
            created += 1
    return created
