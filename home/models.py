from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from base.blocks import BaseStreamBlock
from base.caching import DATES, SEATS
from base.pages import DirectRouteMixin, ViewRestrictionsInOneQueryMixin
from base.templatetags.fragments import cached_fragment, fragment_key
from members.privacy import refused_page_paths

from .queries import homepage_sections


class HomePage(DirectRouteMixin, ViewRestrictionsInOneQueryMixin, Page):
    """The site's root page: the network's mission, next events, latest guides, groups' news."""

    intro = models.CharField(
        _("accroche"),
        max_length=300,
        blank=True,
        help_text=_("Une phrase qui dit ce qu'est le réseau, affichée en tête de page."),
    )
    mission = RichTextField(
        _("mission"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("La mission du réseau, en quelques lignes."),
    )
    body = StreamField(
        BaseStreamBlock(), verbose_name=_("sections"), blank=True, help_text=_("Sections libres de la page d'accueil.")
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("intro"), FieldPanel("mission")], heading=_("Présentation")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("mission")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "events.EventIndexPage",
        "trainings.TrainingIndexPage",
        "workinggroups.WorkingGroupIndexPage",
        "resources.ResourceIndexPage",
        "jointpurchases.JointPurchaseIndexPage",
        "search.SearchPage",
        "exchange.ExchangeIndexPage",
        "newsletter.NewsletterIndexPage",
    ]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The sections show nothing about the person but what they may see (restricted pages):
        # shared from the cache by visitors refused the same pages, under the seats' and dates'
        # data versions (and emptied with the page cache by a publication).
        refused = refused_page_paths(request)
        key = fragment_key(request, "home", self.pk, refused, paths=[request.path], tags=[SEATS, DATES])
        context["home_html"] = cached_fragment(key)
        if context["home_html"] is None:
            context.update(homepage_sections(request), home_key=key)
        return context


class StandardPage(ViewRestrictionsInOneQueryMixin, Page):
    """A plain page: about, legal notice, accessibility statement, personal data, members' area."""

    intro = models.CharField(_("chapô"), max_length=400, blank=True, help_text=_("Résumé affiché sous le titre."))
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True, help_text=_("Le contenu de la page."))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page simple")
        verbose_name_plural = _("pages simples")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details, social links and legal pages shown in the footer of every page."""

    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("mentions légales"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("déclaration d'accessibilité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_data_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("données personnelles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("postal_address")],
            heading=_("Contact"),
        ),
        MultiFieldPanel([FieldPanel("linkedin_url"), FieldPanel("mastodon_url")], heading=_("Réseaux sociaux")),
        MultiFieldPanel(
            [FieldPanel("legal_notice_page"), FieldPanel("accessibility_page"), FieldPanel("personal_data_page")],
            heading=_("Pages légales"),
        ),
    ]

    class Meta:
        verbose_name = _("paramètres du site")


class DemoVersion(models.Model):
    """Which version of the demo content the database holds (``load_demo``): `make run` reloads
    the demo only when its code or the schema changed, so a second start serves in seconds."""

    version = models.CharField(_("version"), max_length=64)
    loaded_at = models.DateTimeField(_("chargée le"), auto_now=True)

    class Meta:
        verbose_name = _("version de la démonstration")

    def __str__(self):
        return self.version
