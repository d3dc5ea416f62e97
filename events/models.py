from django.utils.translation import gettext_lazy as _

from home.models import SectionIndexPage


class EventIndexPage(SectionIndexPage):
    """/agenda/: the calendar of every occurrence (events and trainings)."""

    subpage_types = []

    class Meta:
        verbose_name = _("agenda")
