"""Who may register for what: the one place where audience rules live.

Who may *see* a page is Wagtail privacy (groups); this decides who may *take part*.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from base.staff import is_staff_account


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Tout public")
    MEMBERS = "members", _("Membres du réseau")
    SUPPLIERS = "suppliers", _("Fournisseurs")


def audiences_for(user):
    """The audiences whose activities ``user`` may take part in."""
    allowed = {Audience.EVERYONE}
    if user is None or not user.is_authenticated:
        return allowed
    if is_staff_account(user) or user.is_member:
        allowed.add(Audience.MEMBERS)
    if is_staff_account(user) or user.is_supplier:
        allowed.add(Audience.SUPPLIERS)
    return allowed


def may_take_part(user, audience):
    return audience in audiences_for(user)
