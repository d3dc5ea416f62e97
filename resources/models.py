from django.utils.translation import gettext_lazy as _

from home.models import SectionIndexPage


class ResourceIndexPage(SectionIndexPage):
    """/ressources/: the library of guides, tender templates, examples and minutes."""

    subpage_types = []

    class Meta:
        verbose_name = _("bibliothèque de ressources")
