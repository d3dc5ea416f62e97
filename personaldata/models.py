from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """One erasure, kept without any personal data: its number gives the pseudonymous address
    (``efface-<n>@anonyme.invalid``) and it records who erased and when."""

    erased_at = models.DateTimeField(_("effacée le"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("effacée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("motif"), max_length=32)
    registrations = models.PositiveIntegerField(_("inscriptions anonymisées"), default=0)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("effacement")
        verbose_name_plural = _("effacements")

    def __str__(self):
        return f"efface-{self.pk}"
