import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("en attente de confirmation par e-mail")
    PENDING_PAYMENT = "pending_payment", _("en attente de paiement")
    CONFIRMED = "confirmed", _("confirmée")
    WAITLISTED = "waitlisted", _("en liste d'attente")
    CANCELLED = "cancelled", _("annulée")
    APPLIED = "applied", _("candidature reçue")
    SELECTED = "selected", _("candidature retenue")
    DECLINED = "declined", _("candidature non retenue")


# Statuses that hold a person's one registration on an occurrence.
ACTIVE_STATUSES = [
    RegistrationStatus.PENDING_CONFIRMATION,
    RegistrationStatus.PENDING_PAYMENT,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.APPLIED,
    RegistrationStatus.SELECTED,
]
# Statuses that take a seat: a supplier the working group selected comes to the meeting too.
SEAT_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING_PAYMENT, RegistrationStatus.SELECTED]


class RegistrationSource(models.TextChoices):
    SELF = "self", _("inscription en ligne")
    GUEST = "guest", _("invité sans compte")
    EDITOR = "editor", _("ajout par l'équipe")
    WALK_IN = "walk_in", _("présent sans inscription (sur place)")
    SUPPLIER = "supplier", _("candidature fournisseur")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def holding_seats(self):
        return self.filter(status__in=SEAT_STATUSES)

    def waitlisted(self):
        """The waiting list in order: first come, first served."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")

    def for_person(self, user):
        return self.filter(user=user)


def new_token():
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """A person's registration for an occurrence (or a supplier's application to a meeting).

    The person is an account when they have one; the name, e-mail and organisation are also
    kept as given at registration, so lists and reports do not change when an account does.
    """

    occurrence = models.ForeignKey(
        "registrations.Occurrence", verbose_name=_("occurrence"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation membre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    organisation_name = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("Telle que donnée à l'inscription.")
    )
    supplier = models.ForeignKey(
        "members.Supplier",
        verbose_name=_("fournisseur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    status = models.CharField(_("statut"), max_length=24, choices=RegistrationStatus.choices, db_index=True)
    source = models.CharField(
        _("origine"), max_length=16, choices=RegistrationSource.choices, default=RegistrationSource.SELF
    )
    answers = models.JSONField(
        _("réponses"),
        default=dict,
        blank=True,
        help_text=_("Réponses aux questions de l'événement ou au questionnaire."),
    )
    decision_message = models.TextField(_("message de décision"), blank=True)
    token = models.CharField(_("jeton"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("mise en liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(
        _("rappel envoyé le"), null=True, blank=True, help_text=_("Le rappel n'est envoyé qu'une fois.")
    )
    hold_expires_at = models.DateTimeField(
        _("fin de réservation"),
        null=True,
        blank=True,
        help_text=_("Place retenue jusqu'à cette heure pendant le paiement."),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            # One active registration per person per occurrence, enforced by the database.
            models.UniqueConstraint(
                "occurrence",
                Lower("email"),
                condition=Q(status__in=ACTIVE_STATUSES),
                name="registration_one_active_per_email",
            ),
        ]
        indexes = [models.Index(fields=["occurrence", "status"])]

    def __str__(self):
        return f"{self.full_name} — {self.occurrence}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


class RegistrationChange(models.Model):
    """Every status change of a registration: who, when, from, to (auditable history)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("ancien statut"), max_length=24, choices=RegistrationStatus.choices, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=24, choices=RegistrationStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("le"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("historique des statuts")

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"
