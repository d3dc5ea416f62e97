from django.utils.translation import gettext_lazy as _

from home.models import SectionIndexPage


class TrainingIndexPage(SectionIndexPage):
    """/formations/: the training catalogue."""

    subpage_types = []

    class Meta:
        verbose_name = _("catalogue des formations")
