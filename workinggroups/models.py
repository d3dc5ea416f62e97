from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from base.blocks import BaseStreamBlock
from base.pages import ClientErrorStatusMixin, SectionIndexPage


class WorkingGroupIndexPage(ClientErrorStatusMixin, SectionIndexPage):
    """/groupes-de-travail/: every working group, current, past and planned."""

    subpage_types = ["workinggroups.WorkingGroupPage"]

    class Meta:
        verbose_name = _("liste des groupes de travail")

    def get_context(self, request, *args, **kwargs):
        from .queries import group_listing  # queries import the page models: loaded on use

        context = super().get_context(request, *args, **kwargs)
        context.update(group_listing(request, self))
        return context


class WorkingGroupPage(Page):
    """A working group: a sector, a purpose, and one or more periods of activity."""

    class Status(models.TextChoices):
        CURRENT = "current", _("en cours")
        PLANNED = "planned", _("à venir")
        PAST = "past", _("terminé")

    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_groups",
        help_text=_("Le secteur d'achat dont traite le groupe."),
    )
    purpose = models.CharField(
        _("objet"), max_length=400, blank=True, help_text=_("En une phrase : ce que le groupe produit.")
    )
    body = StreamField(
        BaseStreamBlock(), verbose_name=_("présentation"), blank=True, help_text=_("Présentation détaillée du groupe.")
    )
    pilot_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("collectivité pilote"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="piloted_groups",
        help_text=_("La collectivité membre qui pilote le groupe."),
    )
    pilot_name = models.CharField(
        _("pilote"),
        max_length=200,
        blank=True,
        help_text=_("La personne qui anime le groupe (nom et fonction), si elle est nommée."),
    )
    participants = ParentalManyToManyField(
        "members.Organisation",
        verbose_name=_("collectivités participantes"),
        blank=True,
        related_name="working_groups",
        help_text=_("Les collectivités membres qui participent au groupe."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("sector"),
        FieldPanel("purpose"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("pilot_organisation"), FieldPanel("pilot_name")]), FieldPanel("participants")],
            heading=_("Pilotage et participants"),
        ),
        InlinePanel(
            "periods",
            heading=_("Périodes d'activité"),
            label=_("période d'activité"),
            min_num=1,
            help_text=_("Un groupe peut avoir fonctionné plusieurs fois."),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("purpose"),
        index.SearchField("body"),
        index.FilterField("sector"),
    ]

    parent_page_types = ["workinggroups.WorkingGroupIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")

    def get_context(self, request, *args, **kwargs):
        from .queries import group_detail  # queries reads this module's models: imported when first used

        context = super().get_context(request, *args, **kwargs)
        context.update(group_detail(request, self))
        return context

    @property
    def pilot_display(self):
        names = [str(self.pilot_organisation) if self.pilot_organisation_id else "", self.pilot_name]
        return " — ".join(n for n in names if n)

    @property
    def sorted_periods(self):
        # Sorted in Python so a prefetched `periods` costs no extra query.
        return sorted(self.periods.all(), key=lambda p: p.start_year)

    @property
    def periods_display(self):
        return ", ".join(str(p) for p in self.sorted_periods)

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def status(self):
        year = timezone.localdate().year
        periods = self.sorted_periods
        if any(p.covers(year) for p in periods):
            return self.Status.CURRENT
        if periods and all(p.start_year > year for p in periods):
            return self.Status.PLANNED
        return self.Status.PAST


class WorkingGroupPeriod(Orderable):
    """One period during which the group met (2011–2013, or 2021 to now)."""

    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="periods")
    start_year = models.PositiveSmallIntegerField(_("année de début"), help_text=_("Par exemple 2021."))
    end_year = models.PositiveSmallIntegerField(
        _("année de fin"), null=True, blank=True, help_text=_("Laisser vide si le groupe est en cours.")
    )

    panels = [FieldPanel("start_year"), FieldPanel("end_year")]

    class Meta(Orderable.Meta):
        verbose_name = _("période")
        verbose_name_plural = _("périodes")

    def __str__(self):
        if self.end_year is None:
            return _("depuis %(start)s") % {"start": self.start_year}
        if self.end_year == self.start_year:
            return str(self.start_year)
        return f"{self.start_year}–{self.end_year}"

    def covers(self, year):
        return self.start_year <= year and (self.end_year is None or self.end_year >= year)

    def clean(self):
        if self.start_year and not 1990 <= self.start_year <= 2100:
            raise ValidationError({"start_year": _("Indiquez une année entre 1990 et 2100.")})
        if self.end_year is not None and self.start_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("L'année de fin doit suivre l'année de début.")})
