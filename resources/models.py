"""The library: guides, tender templates, best-practice examples, minutes, reports and tools.

Every resource page shares the concrete base ``ResourcePage`` (type, sector, working group,
year, summary, documents), so /ressources/ filters all types in one query and a working group
reads its deliverables through ``group.resources``.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from base.blocks import BaseStreamBlock
from base.pages import ClientErrorStatusMixin, SectionIndexPage, ViewRestrictionsInOneQueryMixin
from members.privacy import document_is_viewable

from .blocks import GuideStreamBlock, TemplateStreamBlock


class ResourceType(models.TextChoices):
    GUIDE = "guide", _("Guide de bonnes pratiques")
    TEMPLATE = "modele", _("Modèle de cahier des charges")
    EXAMPLE = "exemple", _("Retour d'expérience")
    MINUTES = "compte-rendu", _("Compte rendu")
    REPORT = "rapport", _("Rapport")
    TOOL = "outil", _("Outil")


def current_year():
    return timezone.localdate().year


RESOURCE_CHILDREN = [
    "resources.GuidePage",
    "resources.TenderTemplatePage",
    "resources.ExamplePage",
    "resources.MinutesPage",
    "resources.ReportPage",
    "resources.ToolPage",
]


class ResourceIndexPage(ClientErrorStatusMixin, SectionIndexPage):
    """/ressources/: the library of guides, tender templates, examples and minutes."""

    subpage_types = RESOURCE_CHILDREN + ["helpdesk.FaqPage"]

    class Meta:
        verbose_name = _("bibliothèque de ressources")

    def get_context(self, request, *args, **kwargs):
        from .queries import library_context  # queries reads this module's models: imported when first used

        context = super().get_context(request, *args, **kwargs)
        context.update(library_context(request, self))
        # Other activities show what members may act on here (open grouped purchases, …): each
        # `library_panel` hook returns (template name, context) or None for this request.
        panels = (fn(request) for fn in hooks.get_hooks("library_panel"))
        context["library_panels"] = [panel for panel in panels if panel]
        return context


class ResourcePage(ViewRestrictionsInOneQueryMixin, Page):
    """The shared base of every resource type (not created on its own)."""

    RESOURCE_TYPE = None

    resource_type = models.CharField(
        _("type de ressource"), max_length=20, choices=ResourceType.choices, editable=False, db_index=True
    )
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        help_text=_("Le secteur d'achat concerné ; sert aux filtres de la bibliothèque et de la recherche."),
    )
    working_group = models.ForeignKey(
        "workinggroups.WorkingGroupPage",
        verbose_name=_("groupe de travail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        help_text=_("Le groupe de travail qui a produit la ressource, le cas échéant."),
    )
    year = models.PositiveSmallIntegerField(
        _("année"), default=current_year, db_index=True, help_text=_("Année de publication ou de la réunion.")
    )
    summary = models.CharField(
        _("résumé"), max_length=400, blank=True, help_text=_("Deux lignes affichées dans les listes et la recherche.")
    )

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("sector"), FieldPanel("working_group"), FieldPanel("year")]),
            ],
            heading=_("Classement"),
        ),
    ]
    document_panels = [
        InlinePanel(
            "documents",
            heading=_("Documents à télécharger"),
            label=_("document"),
            help_text=_(
                "Les documents de la collection « Documents réservés aux membres » ne sont téléchargeables que par les membres."
            ),
        )
    ]
    content_panels = Page.content_panels + metadata_panels + document_panels

    @classmethod
    def panels_with(cls, *panels, before=()):
        """A resource type's editing panels: title, its own heading fields, classification, content, files."""
        return Page.content_panels + list(before) + cls.metadata_panels + list(panels) + cls.document_panels

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("resource_type"),
        index.FilterField("sector"),
        index.FilterField("working_group"),
        index.FilterField("year"),
        index.RelatedFields("sector", [index.SearchField("name")]),
    ]

    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []
    is_creatable = False

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.RESOURCE_TYPE and not self.resource_type:
            self.resource_type = self.RESOURCE_TYPE

    def clean(self):
        super().clean()
        if self.year and not 1990 <= self.year <= 2100:
            raise ValidationError({"year": _("Indiquez une année entre 1990 et 2100.")})

    @property
    def is_minutes(self):
        """Minutes are members' documents on a working group's page."""
        return self.resource_type == ResourceType.MINUTES

    @property
    def search_snippet_source(self):
        return self.summary or self.search_description

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = [
            {"document": d.document, "label": d.label, "viewable": document_is_viewable(d.document, request)}
            for d in self.documents.select_related("document__collection")
        ]
        context["documents"] = items
        context["has_restricted"] = any(not item["viewable"] for item in items)
        return context


class ResourceDocument(Orderable):
    """A downloadable file of a resource; its collection decides who may download it."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Rangez-le dans « Documents réservés aux membres » pour le réserver aux membres."),
    )
    title = models.CharField(
        _("intitulé"), max_length=200, blank=True, help_text=_("Par défaut, le titre du document.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def label(self):
        return self.title or self.document.title


class GuidePage(ResourcePage):
    """A good-practice guide: sections and reusable criteria."""

    RESOURCE_TYPE = ResourceType.GUIDE

    body = StreamField(
        GuideStreamBlock(),
        verbose_name=_("contenu du guide"),
        blank=True,
        help_text=_("Sections du guide et critères prêts à l'emploi (texte, place dans le marché, vérification)."),
    )
    content_panels = (
        Page.content_panels + ResourcePage.metadata_panels + [FieldPanel("body")] + ResourcePage.document_panels
    )
    search_fields = ResourcePage.search_fields + [index.SearchField("body")]
    is_creatable = True
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("guide de bonnes pratiques")
        verbose_name_plural = _("guides de bonnes pratiques")


class TenderTemplatePage(ResourcePage):
    """A tender template: specifications and model clauses, with the files to adapt."""

    RESOURCE_TYPE = ResourceType.TEMPLATE

    specifications = RichTextField(
        _("cahier des charges"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        help_text=_("Les spécifications techniques types."),
    )
    body = StreamField(
        TemplateStreamBlock(),
        verbose_name=_("clauses types"),
        blank=True,
        help_text=_("Les clauses à reprendre dans le dossier de consultation."),
    )
    content_panels = ResourcePage.panels_with(FieldPanel("specifications"), FieldPanel("body"))
    search_fields = ResourcePage.search_fields + [index.SearchField("specifications"), index.SearchField("body")]
    is_creatable = True
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("modèle de cahier des charges")
        verbose_name_plural = _("modèles de cahiers des charges")


class ExamplePage(ResourcePage):
    """A best-practice example: who bought what, when, with what measurable result."""

    RESOURCE_TYPE = ResourceType.EXAMPLE

    buyer = models.CharField(
        _("acheteur"), max_length=200, help_text=_("La collectivité ou l'établissement qui a passé le marché.")
    )
    buyer_organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation membre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="examples",
        help_text=_("Si l'acheteur est membre du réseau."),
    )
    result = models.CharField(
        _("résultat mesurable"),
        max_length=300,
        help_text=_("Par exemple « 30 % de la note d'attribution sur des critères environnementaux »."),
    )
    body = StreamField(
        GuideStreamBlock(), verbose_name=_("récit"), blank=True, help_text=_("Le contexte, la démarche, les critères.")
    )
    content_panels = ResourcePage.panels_with(
        FieldPanel("body"),
        before=[FieldRowPanel([FieldPanel("buyer"), FieldPanel("buyer_organisation")]), FieldPanel("result")],
    )
    search_fields = ResourcePage.search_fields + [
        index.SearchField("buyer"),
        index.SearchField("result"),
        index.SearchField("body"),
    ]
    is_creatable = True
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("retour d'expérience")
        verbose_name_plural = _("retours d'expérience")

    @property
    def is_minutes(self):
        """Minutes are members' documents on a working group's page."""
        return self.resource_type == ResourceType.MINUTES

    @property
    def search_snippet_source(self):
        return " — ".join(filter(None, [self.buyer, self.result, self.summary]))


class MinutesPage(ResourcePage):
    """Minutes of a working-group meeting: members only by default (restricted on first publish)."""

    RESOURCE_TYPE = ResourceType.MINUTES

    meeting_date = models.DateField(_("date de la réunion"), null=True, blank=True, help_text=_("Jour de la réunion."))
    body = StreamField(BaseStreamBlock(), verbose_name=_("compte rendu"), blank=True, help_text=_("Le compte rendu."))
    content_panels = ResourcePage.panels_with(FieldPanel("body"), before=[FieldPanel("meeting_date")])
    search_fields = ResourcePage.search_fields + [index.SearchField("body")]
    is_creatable = True
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")


class ReportPage(ResourcePage):
    RESOURCE_TYPE = ResourceType.REPORT

    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True, help_text=_("Le rapport."))
    content_panels = (
        Page.content_panels + ResourcePage.metadata_panels + [FieldPanel("body")] + ResourcePage.document_panels
    )
    search_fields = ResourcePage.search_fields + [index.SearchField("body")]
    is_creatable = True
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapports")


class ToolPage(ResourcePage):
    RESOURCE_TYPE = ResourceType.TOOL

    body = StreamField(
        BaseStreamBlock(), verbose_name=_("contenu"), blank=True, help_text=_("Mode d'emploi de l'outil.")
    )
    content_panels = (
        Page.content_panels + ResourcePage.metadata_panels + [FieldPanel("body")] + ResourcePage.document_panels
    )
    search_fields = ResourcePage.search_fields + [index.SearchField("body")]
    is_creatable = True
    template = "resources/resource_page.html"

    class Meta:
        verbose_name = _("outil")
        verbose_name_plural = _("outils")
