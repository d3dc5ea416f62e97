"""The kinds of occurrence events create, declared to the engine's kind registry."""

from django.utils.translation import gettext_lazy as _

from registrations.kinds import register_kind

from .models import EventKind

PLURALS = {
    EventKind.THEMATIC: _("Rencontres thématiques"),
    EventKind.WEBINAR: _("Webinaires"),
    EventKind.AWARENESS_DAY: _("Journées de sensibilisation"),
    EventKind.FEEDBACK_DAY: _("Journées de retours d'expérience"),
    EventKind.WORKING_GROUP_MEETING: _("Réunions de groupes de travail"),
    EventKind.MARKET_ENGAGEMENT: _("Rencontres fournisseurs (sourcing)"),
}


def register_kinds():
    for kind in EventKind:
        register_kind(
            kind.value,
            kind.label,
            plural=PLURALS[kind],
            by_application=kind == EventKind.MARKET_ENGAGEMENT,  # suppliers apply, the group selects
        )
