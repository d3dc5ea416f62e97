from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.audience import Audience

from .registrations import RegistrationStatus


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("prévue")
    CANCELLED = "cancelled", _("annulée")


class OccurrenceQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=OccurrenceStatus.SCHEDULED)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def between(self, start, end):
        """Occurrences that overlap [start, end)."""
        return self.filter(start__lt=end, end__gt=start)

    def for_pages(self, pages):
        return self.filter(page__in=pages)

    def live(self):
        return self.filter(page__live=True)

    def with_seat_counts(self):
        """Annotate confirmed, waiting and held seats in the same query (no query per row)."""
        return self.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            held_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING_PAYMENT)),
            waiting_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            applied_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.APPLIED)),
            # Selected suppliers take a seat too (SEAT_STATUSES).
            selected_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.SELECTED)),
        )


class Occurrence(models.Model):
    """One dated, capacity-bearing thing people register for: one occurrence of an event (a
    recurring event has many) or one run of a training (which may span several days).

    Rows are materialised from the owning page's schedule and kept in step with it; an occurrence
    that has registrations is cancelled, never deleted.
    """

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.PROTECT, related_name="occurrences"
    )
    kind = models.CharField(
        _("type"),
        max_length=40,
        db_index=True,
        help_text=_("Type d'activité, copié de la page (webinaire, formation…), pour les filtres et les rapports."),
    )
    key = models.CharField(
        _("identifiant dans la page"),
        max_length=64,
        blank=True,
        default="",
        help_text=_(
            "Identité stable donnée par la page (la clé d'une session de formation) ; vide pour une date "
            "de série, identifiée par sa place dans la série."
        ),
    )
    original_start = models.DateTimeField(
        _("début prévu par la série"),
        help_text=_("Début selon la règle de récurrence : identifie l'occurrence dans sa série (RECURRENCE-ID)."),
    )
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("journée entière"), default=False)
    status = models.CharField(
        _("statut"), max_length=16, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED, db_index=True
    )
    status_reason = models.CharField(
        _("motif affiché"),
        max_length=300,
        blank=True,
        help_text=_("Raison de l'annulation ou du déplacement, montrée aux visiteurs."),
    )
    detached = models.BooleanField(
        _("modifiée à la main"),
        default=False,
        help_text=_("Déplacée ou annulée individuellement : la série ne la modifie plus."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Nombre de places ; vide pour illimité.")
    )
    capacity_overridden = models.BooleanField(
        _("places fixées pour cette occurrence"),
        default=False,
        help_text=_("Si coché, un changement de capacité de la série ne s'applique pas à cette occurrence."),
    )
    seats_per_organisation = models.PositiveIntegerField(
        _("places par organisation"),
        null=True,
        blank=True,
        help_text=_("Nombre maximal d'inscrits confirmés par collectivité ; vide pour ne pas limiter."),
    )
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    registration_required = models.BooleanField(_("inscription requise"), default=True)
    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("clôture des inscriptions"), null=True, blank=True)
    location = models.TextField(
        _("lieu"), blank=True, help_text=_("Adresse du lieu ; vide pour un événement en ligne.")
    )
    online_url = models.URLField(
        _("lien de connexion"), blank=True, help_text=_("Communiqué uniquement aux personnes inscrites.")
    )
    sequence = models.PositiveIntegerField(
        _("version"),
        default=0,
        help_text=_("SEQUENCE iCalendar : augmente à chaque changement d'horaire ou de statut."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        constraints = [
            models.UniqueConstraint(fields=["page", "original_start"], name="occurrence_unique_in_series"),
            models.UniqueConstraint(fields=["page", "key"], condition=~Q(key=""), name="occurrence_unique_key_in_page"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="occurrence_ends_after_start"),
        ]
        indexes = [models.Index(fields=["page", "start"])]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.page.title} — {local:%d/%m/%Y %H:%M}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("La fin doit suivre le début.")})
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            raise ValidationError({"registration_closes_at": _("La clôture doit suivre l'ouverture des inscriptions.")})

    @property
    def is_cancelled(self):
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def is_moved(self):
        return self.start != self.original_start

    @property
    def is_past(self):
        return self.end < timezone.now()

    def has_started(self, now=None):
        """Started or ended dates are history: no page edit, import or periodic job changes them."""
        return self.start <= (now or timezone.now())


class PartKind(models.TextChoices):
    WHOLE = "whole", _("séance")
    MORNING = "morning", _("matin")
    AFTERNOON = "afternoon", _("après-midi")


class OccurrencePart(models.Model):
    """A part of an occurrence on which attendance is taken: a half-day of a full day (morning,
    afternoon), or the whole of a shorter occurrence, each with its hours (Qualiopi sheets)."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="parts")
    date = models.DateField(_("date"))
    kind = models.CharField(_("partie"), max_length=16, choices=PartKind.choices, default=PartKind.WHOLE)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("demi-journée ou séance")
        verbose_name_plural = _("demi-journées et séances")
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "date", "kind"], name="occurrence_part_unique"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="occurrence_part_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"

    @property
    def hours(self):
        return round((self.end - self.start).total_seconds() / 3600, 2)


class ScheduleNote(models.Model):
    """What an editor said when confirming a publication that moves or cancels dates. It waits
    for the revision to be published (at once, or later by scheduled publishing), which reads it
    for the e-mails to registrants and then removes it."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, blank=True, on_delete=models.CASCADE)
    reason = models.CharField(_("motif"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("motif d'un changement de dates")
        verbose_name_plural = _("motifs de changements de dates")

    def __str__(self):
        return self.reason
