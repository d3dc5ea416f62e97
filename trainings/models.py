import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from base.caching import DATES, SEATS
from base.forms import WholeListPageForm
from base.pages import SectionIndexPage, ViewRestrictionsInOneQueryMixin
from base.templatetags.fragments import cached_fragment, fragment_key
from members.audience import Audience
from registrations.occurrences import OccurrenceSpec

from .blocks import ProgrammeBlock, TrainersBlock

OCCURRENCE_KIND = "training"
CENT = Decimal("0.01")


class TrainingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("En présentiel")
    ONLINE = "online", _("En ligne")
    HYBRID = "hybrid", _("Hybride")


class TrainingIndexPage(SectionIndexPage):
    """/formations/: the training catalogue."""

    subpage_types = ["trainings.TrainingPage"]

    class Meta:
        verbose_name = _("catalogue des formations")

    def get_context(self, request, *args, **kwargs):
        from .queries import catalogue  # queries import the page models: loaded on use

        context = super().get_context(request, *args, **kwargs)
        # The catalogue shows nothing about the person: shared from the cache per filters (the
        # raw values: a refused one shows its error) under the seats' and dates' data versions.
        params = request.GET
        asked = [bool(params)] + [params.getlist(name) for name in ("secteur", "format", "du", "au")]
        key = fragment_key(request, "catalogue", self.pk, asked, paths=[request.path], tags=[SEATS, DATES])
        context.update(catalogue_html=cached_fragment(key), feed_url=training_feed_url())
        if context["catalogue_html"] is None:
            context.update(catalogue(self, params), catalogue_key=key)
        return context


class TrainingPage(ViewRestrictionsInOneQueryMixin, Page):
    """A training: its content, prices and rules, and its runs (sessions over one or several days)."""

    intro = models.CharField(
        _("chapô"), max_length=400, blank=True, help_text=_("Résumé affiché dans le catalogue et en tête de page.")
    )
    objectives = RichTextField(
        _("objectifs"),
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Ce que les stagiaires sauront faire à l'issue de la formation."),
    )
    programme = StreamField(
        ProgrammeBlock(),
        verbose_name=_("programme"),
        blank=True,
        help_text=_("Le programme jour par jour, avec les horaires de chaque séquence."),
    )
    target_audience = RichTextField(
        _("public visé"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("À qui s'adresse la formation (acheteurs, prescripteurs, élus…)."),
    )
    prerequisites = RichTextField(
        _("prérequis"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Connaissances attendues avant la formation ; vide s'il n'y en a pas."),
    )
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Durée totale de la formation, en heures."),
    )
    trainers = StreamField(
        TrainersBlock(), verbose_name=_("formateurs"), blank=True, help_text=_("Les intervenants de la formation.")
    )
    partner_name = models.CharField(
        _("partenaire"), max_length=150, blank=True, help_text=_("Organisme partenaire, par exemple « ADEME ».")
    )
    partner_logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo du partenaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Logo affiché sur la page de la formation."),
    )
    partner_url = models.URLField(_("site du partenaire"), blank=True, help_text=_("Lien vers le site du partenaire."))
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
        help_text=_("Secteur d'achat principal, pour le filtre du catalogue."),
    )
    format = models.CharField(
        _("format"),
        max_length=16,
        choices=TrainingFormat.choices,
        default=TrainingFormat.IN_PERSON,
        help_text=_("En présentiel, en ligne ou hybride."),
    )
    audience = models.CharField(
        _("ouverte à"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=_("Qui peut s'inscrire. Les non-membres paient le tarif non-membre."),
    )
    price_member = models.DecimalField(
        _("tarif membre (HT)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Prix hors taxes par personne pour une collectivité membre, en euros."),
    )
    price_non_member = models.DecimalField(
        _("tarif non-membre (HT)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Prix hors taxes par personne pour les autres participants, en euros."),
    )
    vat_rate = models.DecimalField(
        _("taux de TVA (%)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("20 en général ; 0 si la formation est exonérée (article 261-4-4° du CGI)."),
    )
    free_for_members = models.BooleanField(
        _("gratuite pour les membres"),
        default=False,
        help_text=_("Si coché, les membres s'inscrivent sans payer, quel que soit le tarif membre."),
    )
    cancellation_deadline_days = models.PositiveIntegerField(
        _("délai d'annulation (jours)"),
        default=10,
        help_text=_("Nombre de jours avant le début jusqu'auquel une annulation est remboursée intégralement."),
    )
    late_cancellation_charge = models.PositiveSmallIntegerField(
        _("part due après le délai (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Part du prix conservée en cas d'annulation tardive : 100 = aucun remboursement, 0 = remboursement intégral."
        ),
    )

    # InlinePanels stored as the form shows them (autosave and publish together: base.forms).
    base_form_class = WholeListPageForm

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("objectives"),
                FieldPanel("target_audience"),
                FieldPanel("prerequisites"),
                FieldPanel("duration_hours"),
                FieldPanel("programme"),
                FieldPanel("trainers"),
            ],
            heading=_("Contenu pédagogique"),
        ),
        MultiFieldPanel(
            [FieldPanel("sector"), FieldPanel("format"), FieldPanel("audience")], heading=_("Classement et public")
        ),
        MultiFieldPanel(
            [FieldPanel("partner_name"), FieldPanel("partner_logo"), FieldPanel("partner_url")],
            heading=_("Partenaire"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("price_member"), FieldPanel("price_non_member"), FieldPanel("vat_rate")]),
                FieldPanel("free_for_members"),
                FieldRowPanel([FieldPanel("cancellation_deadline_days"), FieldPanel("late_cancellation_charge")]),
            ],
            heading=_("Tarifs et annulation"),
        ),
        InlinePanel("runs", heading=_("Sessions"), label=_("session"), min_num=0),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("objectives"),
        index.SearchField("partner_name"),
        index.FilterField("format"),
    ]

    parent_page_types = ["trainings.TrainingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    # -- the engine's owner contract (registrations.occurrences) ---------------------------
    occurrence_kind = OCCURRENCE_KIND

    def occurrence_specs(self, *, now=None):
        """One occurrence per run, identified by the run's stable key (kept through revisions),
        so moving a run's dates moves its occurrence and keeps its registrations."""
        return [
            OccurrenceSpec(
                key=str(run.key),
                original_start=run.start,
                end=run.end,
                capacity=run.capacity,
                seats_per_organisation=run.seats_per_organisation,
                audience=self.audience,
                location=run.location,
                online_url=run.online_url,
            )
            for run in self.runs.all()
            if run.start and run.end
        ]

    def price_ht_for(self, *, is_member):
        """The price before tax for a member or a non-member (Decimal, euros)."""
        if is_member:
            return Decimal("0") if self.free_for_members else self.price_member
        return self.price_non_member

    def vat_for(self, amount_ht):
        return (amount_ht * self.vat_rate / Decimal("100")).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def price_member_ttc(self):
        amount = self.price_ht_for(is_member=True)
        return amount + self.vat_for(amount)

    @property
    def price_non_member_ttc(self):
        return self.price_non_member + self.vat_for(self.price_non_member)

    def get_context(self, request, *args, **kwargs):
        from .queries import runs_of  # queries import the page models: loaded on use

        context = super().get_context(request, *args, **kwargs)
        context["feed_url"] = training_feed_url()
        # The body shows nothing about the person: shared from the cache under the page's data
        # version (a seat taken or freed, a date cancelled or moved, a publication renew it).
        key = fragment_key(request, "training", self.pk, paths=[request.path], tags=[DATES])
        context["training_html"] = cached_fragment(key)
        if context["training_html"] is None:
            context.update(training_key=key, occurrences=runs_of(self))
        return context


def training_feed_url():
    """The public feed of trainings (the agenda's feed of their kind)."""
    return reverse("events:kind_feed", kwargs={"kind": OCCURRENCE_KIND})


class TrainingRun(Orderable):
    """One run of a training as the editor types it. Never referenced by registrations or payments:
    publishing a revision recreates these rows. On publish each run becomes an engine Occurrence,
    found again through ``key`` (copied through revisions), which is its occurrence's key."""

    page = ParentalKey(TrainingPage, on_delete=models.CASCADE, related_name="runs")
    key = models.UUIDField(_("identifiant stable"), default=uuid.uuid4, editable=False)
    start = models.DateTimeField(_("début"), help_text=_("Premier jour, heure de début."))
    end = models.DateTimeField(_("fin"), help_text=_("Dernier jour, heure de fin."))
    location = models.TextField(
        _("lieu"), blank=True, help_text=_("Adresse du lieu de formation ; vide pour une session en ligne.")
    )
    online_url = models.URLField(
        _("lien de connexion"), blank=True, help_text=_("Communiqué uniquement aux personnes inscrites.")
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Nombre de places ; vide pour illimité.")
    )
    seats_per_organisation = models.PositiveIntegerField(
        _("places par organisation"),
        null=True,
        blank=True,
        help_text=_("Nombre maximal d'inscrits par collectivité ; vide pour ne pas limiter."),
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("location"),
        FieldPanel("online_url"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("seats_per_organisation")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin doit suivre le début.")})
