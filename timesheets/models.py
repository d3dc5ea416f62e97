"""Staff time: who spent how many hours on what, per day (the annual report's « temps passé »)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workinggroups.models import WorkingGroupPage

MAX_HOURS_PER_ENTRY = Decimal("12")
MAX_HOURS_PER_DAY = Decimal("24")


class Activity(models.TextChoices):
    WORKING_GROUP = "working_group", _("Groupe de travail")
    EVENT = "event", _("Événement")
    TRAINING = "training", _("Formation")
    HELPDESK = "helpdesk", _("Assistance aux membres")
    COORDINATION = "coordination", _("Animation du réseau")
    COMMUNICATION = "communication", _("Communication")
    TRAINING_PREPARATION = "training_preparation", _("Préparation des formations")


# Activities that concern one page (a working group, an event, a training).
PAGE_ACTIVITIES = [Activity.WORKING_GROUP, Activity.EVENT, Activity.TRAINING]


class TimeEntryQuerySet(models.QuerySet):
    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)

    def for_person(self, user):
        return self.filter(person=user)

    def hours_by_activity(self):
        return self.values("activity").annotate(hours=Sum("hours")).order_by("-hours", "activity")

    def hours_by_person(self):
        return (
            self.values("person", "person__first_name", "person__last_name", "person__email")
            .annotate(hours=Sum("hours"), days=models.Count("date", distinct=True))
            .order_by("person__last_name", "person__first_name", "person")
        )


class TimeEntry(models.Model):
    """Hours a staff member spent on one activity on one day."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="time_entries",
        limit_choices_to={"is_staff": True},
        help_text=_("Membre de l'équipe du réseau."),
    )
    date = models.DateField(_("date"), help_text=_("Jour travaillé ; pas dans le futur."))
    hours = models.DecimalField(
        _("heures"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_HOURS_PER_ENTRY)],
        help_text=_("Durée en heures, par quart d'heure : 1,5 pour une heure et demie (12 au plus)."),
    )
    activity = models.CharField(
        _("activité"),
        max_length=32,
        choices=Activity.choices,
        db_index=True,
        help_text=_("Ce à quoi le temps a été consacré."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("groupe, événement ou formation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Obligatoire pour un groupe de travail, un événement ou une formation : la page concernée."),
    )
    occurrence = models.ForeignKey(
        "registrations.Occurrence",
        verbose_name=_("date de l'événement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Facultatif : la date précise de l'événement ou de la session concernée."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Ce qui a été fait, en quelques mots."))
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "person", "pk"]
        verbose_name = _("temps passé")
        verbose_name_plural = _("temps passés")
        indexes = [models.Index(fields=["date", "activity"]), models.Index(fields=["person", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_ENTRY), name="timeentry_hours_sane"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.date:%d/%m/%Y} — {self.get_activity_display()} ({self.hours} h)"

    def clean(self):
        errors = {}
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("La date ne peut pas être dans le futur.")
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = _("Le nombre d'heures doit être positif.")
        elif self.hours is not None and self.hours > MAX_HOURS_PER_ENTRY:
            errors["hours"] = _("Pas plus de 12 heures par saisie.")
        elif self.hours is not None and self.date and self.person_id and "date" not in errors:
            others = (
                TimeEntry.objects.filter(person_id=self.person_id, date=self.date)
                .exclude(pk=self.pk)
                .aggregate(total=Sum("hours"))["total"]
                or 0
            )
            if others + self.hours > MAX_HOURS_PER_DAY:
                errors["hours"] = _("Plus de 24 heures ce jour-là (déjà %(hours)s h saisies).") % {"hours": others}
        if self.occurrence_id and not self.page_id:
            self.page_id = self.occurrence.page_id
        if self.activity in PAGE_ACTIVITIES and not self.page_id:
            errors["page"] = _("Choisissez le groupe de travail, l'événement ou la formation concerné.")
        elif (
            self.activity == Activity.WORKING_GROUP
            and self.page_id
            and not WorkingGroupPage.objects.filter(pk=self.page_id).exists()
        ):
            errors["page"] = _("Cette page n'est pas un groupe de travail.")
        if self.occurrence_id and self.page_id and self.occurrence.page_id != self.page_id:
            errors["occurrence"] = _("Cette date n'appartient pas à la page choisie.")
        if errors:
            raise ValidationError(errors)


def week_bounds(day):
    """Monday and Sunday of the week containing ``day``."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)
