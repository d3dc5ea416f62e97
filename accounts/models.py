"""Accounts' lifecycle: requests waiting for approval, invitations, référents, billing details.

Rows exist only for verified addresses: a request is stored once its e-mail link is opened, so
nobody fills the table by typing other people's addresses."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    APPROVED = "approved", _("acceptée")
    DECLINED = "declined", _("refusée")


class AccountRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RequestStatus.PENDING)


class AccountRequest(models.Model):
    """« Demander un compte »: an agent of a member body, e-mail verified, awaiting a decision."""

    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_requests",
    )
    other_organisation = models.CharField(_("autre organisation"), max_length=200, blank=True)
    job_title = models.CharField(_("fonction"), max_length=150)
    status = models.CharField(_("état"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message au demandeur"), blank=True)

    objects = AccountRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("demande de compte")
        verbose_name_plural = _("demandes de compte")
        constraints = [
            # One pending request per address: opening the link twice stores nothing more.
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(status="pending"), name="account_request_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def organisation_label(self):
        return self.organisation.name if self.organisation_id else self.other_organisation


class Invitation(models.Model):
    """An account an editor (or an approval) created, waiting for its owner to set a password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(self.user)


class Referent(models.Model):
    """A person who answers for their organisation: sees colleagues, approves their requests,
    sees the organisation's registrations, certificates and invoices, edits billing details."""

    organisation = models.ForeignKey(
        "members.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="referents"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="referent_of"
    )
    created_at = models.DateTimeField(_("nommé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("référent")
        verbose_name_plural = _("référents")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="referent_unique")]

    def __str__(self):
        return f"{self.user} ({self.organisation})"

    def clean(self):
        if self.user_id and self.organisation_id and self.user.organisation_id != self.organisation_id:
            raise ValidationError({"user": _("Un référent doit être une personne de cette organisation.")})


class OrganisationBilling(models.Model):
    """What invoices to the organisation carry; its référents keep it up to date."""

    organisation = models.OneToOneField(
        "members.Organisation", on_delete=models.CASCADE, related_name="billing", primary_key=True
    )
    entity = models.CharField(_("entité facturée"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    address = models.TextField(_("adresse de facturation"), max_length=500)
    chorus_service_code = models.CharField(_("code service Chorus Pro"), max_length=100, blank=True)
    email = models.EmailField(_("adresse du service comptable"), blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("coordonnées de facturation")
        verbose_name_plural = _("coordonnées de facturation")

    def __str__(self):
        return self.entity
