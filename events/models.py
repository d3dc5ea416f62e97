import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.blocks import StreamBlock
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from recurrence.fields import RecurrenceField

from base.blocks import BaseStreamBlock, DocumentLinkBlock
from base.forms import WholeListPageForm
from base.pages import SectionIndexPage, ViewRestrictionsInOneQueryMixin
from members.audience import Audience

from . import conf, schedule
from .fields import ChoiceListField


class EventKind(models.TextChoices):
    THEMATIC = "thematic", _("Événement thématique")
    WEBINAR = "webinar", _("Webinaire")
    AWARENESS_DAY = "awareness_day", _("Journée de sensibilisation")
    FEEDBACK_DAY = "feedback_day", _("Journée retour d'expérience")
    WORKING_GROUP_MEETING = "working_group_meeting", _("Réunion de groupe de travail")
    MARKET_ENGAGEMENT = "market_engagement", _("Rencontre fournisseurs (sourçage)")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("En présentiel")
    ONLINE = "online", _("En ligne")
    HYBRID = "hybrid", _("Hybride")


class Repeat(models.TextChoices):
    DAILY = "daily", _("Tous les jours")
    WEEKLY = "weekly", _("Toutes les semaines")
    MONTHLY_DAY = "monthly_day", _("Tous les mois, le même jour du mois (le 10…)")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Tous les mois, le même jour de la semaine (le 2e mardi…)")
    YEARLY = "yearly", _("Tous les ans")


WEEKDAYS = [
    ("MO", _("lundi")),
    ("TU", _("mardi")),
    ("WE", _("mercredi")),
    ("TH", _("jeudi")),
    ("FR", _("vendredi")),
    ("SA", _("samedi")),
    ("SU", _("dimanche")),
]
REGISTRATION_QUESTIONS = [
    ("dietary", _("Régime alimentaire")),
    ("accessibility", _("Besoins d'accessibilité")),
    ("role", _("Fonction dans la collectivité")),
    ("free_text", _("Question libre (commentaire)")),
]


class EventIndexPage(SectionIndexPage):
    """/agenda/: the calendar of every occurrence (events and trainings)."""

    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda")

    def get_context(self, request, *args, **kwargs):
        from .queries import agenda_context  # queries import the page models: loaded on use

        context = super().get_context(request, *args, **kwargs)
        context.update(agenda_context(request, self))
        return context


class DocumentsBlock(StreamBlock):
    document = DocumentLinkBlock()


class EventPage(ViewRestrictionsInOneQueryMixin, Page):
    """One event of any kind; a recurring event has many occurrences (materialised rows)."""

    kind = models.CharField(
        _("type d'événement"),
        max_length=40,
        choices=EventKind.choices,
        default=EventKind.THEMATIC,
        help_text=_("Sert aux filtres de l'agenda et aux rapports."),
    )
    summary = models.CharField(
        _("résumé"), max_length=400, blank=True, help_text=_("Une ou deux phrases affichées dans l'agenda.")
    )
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur ou thème"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Le secteur d'achat ou le thème traité."),
    )
    working_group = models.ForeignKey(
        "workinggroups.WorkingGroupPage",
        verbose_name=_("groupe de travail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Pour une réunion de groupe : le groupe concerné."),
    )
    audience = models.CharField(
        _("public"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=_(
            "Qui peut s'inscrire. Les événements réservés aux membres n'apparaissent pas dans les flux publics."
        ),
    )
    format = models.CharField(
        _("format"),
        max_length=16,
        choices=EventFormat.choices,
        default=EventFormat.IN_PERSON,
        help_text=_("Présentiel, en ligne ou les deux."),
    )
    # Schedule
    start = models.DateTimeField(_("début"), help_text=_("Date et heure de début (heure de Paris)."))
    end = models.DateTimeField(
        _("fin"), help_text=_("Date et heure de fin ; un autre jour pour un événement sur plusieurs jours.")
    )
    all_day = models.BooleanField(
        _("journée entière"), default=False, help_text=_("Si coché, les heures sont ignorées : journées complètes.")
    )
    repeat = models.CharField(
        _("répétition"),
        max_length=20,
        choices=Repeat.choices,
        blank=True,
        help_text=_("Laisser vide pour un événement unique."),
    )
    repeat_interval = models.PositiveSmallIntegerField(
        _("intervalle"), default=1, help_text=_("1 = chaque fois, 2 = une fois sur deux (toutes les 2 semaines…).")
    )
    repeat_weekdays = ChoiceListField(
        _("jours de la semaine"),
        blank=True,
        choices_list=WEEKDAYS,
        help_text=_("Pour une répétition hebdomadaire ; par défaut, le jour du début."),
    )
    repeat_until = models.DateField(
        _("jusqu'au"), null=True, blank=True, help_text=_("Dernière date possible (incluse). Vide : sans fin.")
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("nombre de fois"), null=True, blank=True, help_text=_("Ou bien un nombre d'occurrences. Vide : sans limite.")
    )
    recurrence = RecurrenceField(
        _("récurrence"),
        blank=True,
        null=True,
        editable=False,
        help_text=_("Calculée à partir des champs de répétition (django-recurrence)."),
    )
    # Place
    location = models.TextField(
        _("lieu"), blank=True, help_text=_("Adresse complète du lieu ; vide pour un événement en ligne.")
    )
    online_url = models.URLField(
        _("lien de connexion"),
        blank=True,
        help_text=_("Visioconférence : communiqué uniquement aux personnes inscrites."),
    )
    # Registration
    registration_required = models.BooleanField(
        _("inscription requise"), default=True, help_text=_("Décocher pour un événement libre d'accès.")
    )
    capacity = models.IntegerField(
        _("places"), null=True, blank=True, help_text=_("Nombre de places par occurrence ; vide pour illimité.")
    )
    seats_per_organisation = models.IntegerField(
        _("places par organisation"),
        null=True,
        blank=True,
        help_text=_("Nombre maximal d'inscrits par collectivité ; vide pour ne pas limiter."),
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True, help_text=_("Vide : dès la publication.")
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"), null=True, blank=True, help_text=_("Vide : jusqu'au début de l'occurrence.")
    )
    registration_opens_days_before = models.PositiveSmallIntegerField(
        _("ouverture : jours avant chaque date"),
        null=True,
        blank=True,
        help_text=_(
            "Pour une série : les inscriptions à chaque date ouvrent ce nombre de jours avant elle "
            "(remplace la date d'ouverture fixe)."
        ),
    )
    registration_closes_hours_before = models.PositiveSmallIntegerField(
        _("clôture : heures avant chaque date"),
        null=True,
        blank=True,
        help_text=_(
            "Les inscriptions à chaque date ferment ce nombre d'heures avant son début (remplace la date de clôture fixe)."
        ),
    )
    registration_questions = ChoiceListField(
        _("questions du formulaire"),
        blank=True,
        choices_list=REGISTRATION_QUESTIONS,
        help_text=_("Ce que le formulaire d'inscription demande en plus du nom et de l'organisation."),
    )
    # Content
    organiser = models.CharField(
        _("organisateur"), max_length=200, default="RESECO", help_text=_("Qui organise l'événement.")
    )
    partners = models.CharField(
        _("partenaires"), max_length=400, blank=True, help_text=_("Partenaires, séparés par des virgules (ADEME…).")
    )
    programme = StreamField(
        BaseStreamBlock(), verbose_name=_("programme"), blank=True, help_text=_("Déroulé, intervenants, contenus.")
    )
    documents = StreamField(
        DocumentsBlock(), verbose_name=_("documents"), blank=True, help_text=_("Supports, comptes rendus, annexes.")
    )

    # InlinePanels stored as the form shows them (autosave and publish together: base.forms).
    base_form_class = WholeListPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("summary"),
                FieldRowPanel([FieldPanel("sector"), FieldPanel("working_group")]),
            ],
            heading=_("Présentation"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("repeat"), FieldPanel("repeat_interval")]),
                FieldPanel("repeat_weekdays"),
                FieldRowPanel([FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
                InlinePanel("exception_dates", heading=_("Dates annulées de la série"), label=_("date exclue")),
                InlinePanel("extra_dates", heading=_("Dates ajoutées"), label=_("date ajoutée")),
            ],
            heading=_("Récurrence"),
            help_text=_(
                "Pour annuler ou déplacer une seule date avec un motif, utilisez « Occurrences » "
                "dans le menu d'actions de la page."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("format"), FieldPanel("location"), FieldPanel("online_url")],
            heading=_("Lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("registration_required"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("seats_per_organisation")]),
                FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
                FieldRowPanel(
                    [FieldPanel("registration_opens_days_before"), FieldPanel("registration_closes_hours_before")]
                ),
                FieldPanel("registration_questions"),
            ],
            heading=_("Inscriptions"),
        ),
        MultiFieldPanel([FieldPanel("organiser"), FieldPanel("partners")], heading=_("Organisation")),
        FieldPanel("programme"),
        FieldPanel("documents"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("programme"),
        index.FilterField("kind"),
        index.FilterField("audience"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    # -- schedule: the engine's owner contract (registrations.occurrences) ------------------
    @property
    def occurrence_kind(self):
        return self.kind

    def schedule_dates(self):
        """(exception dates, extra dates) from the inline rows (unsaved form rows included)."""
        return (
            sorted({row.date for row in self.exception_dates.all() if row.date}),
            sorted({row.date for row in self.extra_dates.all() if row.date}),
        )

    def occurrence_specs(self, *, now=None):
        exceptions, extras = self.schedule_dates()
        return schedule.occurrence_specs(self, exception_dates=exceptions, extra_dates=extras, now=now)

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin doit suivre le début.")
        if self.capacity is not None and self.capacity < 0:
            errors["capacity"] = _("Le nombre de places ne peut pas être négatif.")
        if self.seats_per_organisation is not None and self.seats_per_organisation < 1:
            errors["seats_per_organisation"] = _("Indiquez au moins une place par organisation, ou laissez vide.")
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("La clôture doit suivre l'ouverture des inscriptions.")
        if self.registration_opens_days_before is not None and self.registration_opens_at:
            errors["registration_opens_days_before"] = _(
                "Choisissez une ouverture fixe ou un nombre de jours avant chaque date, pas les deux."
            )
        if self.registration_closes_hours_before is not None and self.registration_closes_at:
            errors["registration_closes_hours_before"] = _(
                "Choisissez une clôture fixe ou un nombre d'heures avant chaque date, pas les deux."
            )
        if (
            self.registration_opens_days_before is not None
            and self.registration_closes_hours_before is not None
            and self.registration_closes_hours_before >= self.registration_opens_days_before * 24
        ):
            errors["registration_closes_hours_before"] = _(
                "Les inscriptions fermeraient avant d'ouvrir : réduisez ce délai ou ouvrez plus tôt."
            )
        if self.format in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not self.location.strip():
            errors["location"] = _("Indiquez l'adresse du lieu pour un événement en présentiel ou hybride.")
        if self.format in (EventFormat.ONLINE, EventFormat.HYBRID) and not self.online_url:
            errors["online_url"] = _("Indiquez le lien de connexion pour un événement en ligne ou hybride.")
        if self.repeat and self.start and self.repeat_until and self.repeat_until < timezone.localdate(self.start):
            errors["repeat_until"] = _("La fin de la répétition doit suivre le début de l'événement.")
        if self.repeat and self.repeat_interval < 1:
            errors["repeat_interval"] = _("L'intervalle doit être d'au moins 1.")
        if self.repeat and self.repeat_until and self.repeat_count:
            errors["repeat_count"] = _("Choisissez une date de fin ou un nombre de fois, pas les deux.")
        if self.repeat_weekdays and self.repeat != Repeat.WEEKLY:
            errors["repeat_weekdays"] = _("Les jours de la semaine ne servent qu'à une répétition hebdomadaire.")
        if self.repeat and self.start and self.end and "end" not in errors and not errors.get("repeat_until"):
            if schedule.count_in_horizon(self) > conf.max_occurrences():
                errors["repeat"] = _(
                    "Cette règle donnerait plus de %(max)d dates sur les %(months)d prochains mois : "
                    "espacez-les ou fixez une fin."
                ) % {"max": conf.max_occurrences(), "months": conf.horizon_months()}
            elif (self.end - self.start).days >= 1 and self.repeat == Repeat.DAILY:
                errors["repeat"] = _("Un événement de plusieurs jours ne peut pas se répéter chaque jour.")
        if errors:
            raise ValidationError(errors)
        if self.start and self.end:
            self.recurrence = schedule.build_recurrence(self, *self.schedule_dates())

    @property
    def partner_list(self):
        return [p.strip() for p in self.partners.split(",") if p.strip()]

    def get_context(self, request, *args, **kwargs):
        from .queries import event_context  # queries import the page models: loaded on use

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(request, self))
        return context


class EventExceptionDate(Orderable):
    """A date the series skips (compared as a date, whatever the time)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exception_dates")
    date = models.DateField(_("date"), help_text=_("Date de la série à ne pas tenir."))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("date exclue")
        verbose_name_plural = _("dates exclues")


class EventExtraDate(Orderable):
    """A date added to the series, at the series' usual time."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="extra_dates")
    date = models.DateField(_("date"), help_text=_("Date supplémentaire, à l'heure habituelle."))

    panels = [FieldPanel("date")]

    class Meta(Orderable.Meta):
        verbose_name = _("date ajoutée")
        verbose_name_plural = _("dates ajoutées")


class SeriesState(models.Model):
    """The iCalendar SEQUENCE of an event's series, kept outside the page so that revisions
    (which hold stale copies of page fields) never move it backwards."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="series_state")
    fingerprint = models.CharField(max_length=64, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("version de série")

    def __str__(self):
        return f"{self.page_id}: {self.sequence}"


def new_calendar_token():
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret of a person's personal calendar feed: one per person, revocable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token", verbose_name=_("compte")
    )
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("jeton d'agenda personnel")
        verbose_name_plural = _("jetons d'agenda personnel")

    def __str__(self):
        return str(self.user)
