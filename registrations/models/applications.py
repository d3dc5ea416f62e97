from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import CompanySize


class CompanyReview(models.TextChoices):
    PENDING = "pending", _("à examiner")
    MERGED = "merged", _("modifications reprises")
    KEPT = "kept", _("fiche laissée telle quelle")


class SubmittedCompany(models.Model):
    """The company details a supplier's application carries, as the applicant typed them.

    They never change a stored company by themselves: an editor compares them with the record
    stored under the same SIRET and takes over the fields that are right (``review``)."""

    registration = models.OneToOneField(
        "registrations.Registration", on_delete=models.CASCADE, related_name="submitted_company"
    )
    siret = models.CharField(_("SIRET"), max_length=14, db_index=True)
    name = models.CharField(_("raison sociale"), max_length=200)
    size = models.CharField(_("taille"), max_length=8, choices=CompanySize.choices, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("présentation"), max_length=2000, blank=True)
    sectors = models.ManyToManyField("sectors.Sector", verbose_name=_("secteurs"), blank=True, related_name="+")
    labels = models.ManyToManyField("members.Label", verbose_name=_("labels"), blank=True, related_name="+")
    review = models.CharField(
        _("examen"), max_length=8, choices=CompanyReview.choices, default=CompanyReview.PENDING, db_index=True
    )
    accepted_fields = models.JSONField(_("champs repris"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("entreprise telle que soumise")
        verbose_name_plural = _("entreprises telles que soumises")

    def __str__(self):
        return f"{self.name} ({self.siret})"
