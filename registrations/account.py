"""« Mes inscriptions » in « Mon compte »: upcoming and past registrations, with status and
waiting-list position (a fixed number of queries)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from accounts.organisation import OrganisationSection

from .models import Registration, RegistrationStatus
from .services import waitlist_positions


def personal_feed_url(request):
    """The « Mon agenda personnel » section of « Mon compte »."""
    return reverse("members:account") + "#agenda"


def people_shown(registration):
    """Whose « Mes inscriptions » a change of ``registration`` alters: its person and, once it has
    been on the waiting list (``waitlisted_at`` stays after a promotion or a cancellation), the
    people waiting for the same date (their positions). Joining the end of the list moves nobody."""
    if registration.waitlisted_at is None or registration.status == RegistrationStatus.WAITLISTED:
        return [registration.user_id]
    waiting = Q(
        registrations__occurrence_id=registration.occurrence_id, registrations__status=RegistrationStatus.WAITLISTED
    )
    return get_user_model().objects.filter(Q(pk=registration.user_id) | waiting).values("pk")


def registrants(occurrence_id):
    """Everyone registered for the date (a date moved shows in their « Mon compte »)."""
    return Registration.objects.filter(occurrence_id=occurrence_id).values("user_id")


def account_context(request):
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(user=request.user)
        .select_related("occurrence__page")
        .order_by("occurrence__start", "pk")
    )
    positions = waitlist_positions(registrations)
    for registration in registrations:
        registration.position = positions.get(registration.pk)
        registration.can_cancel = (
            registration.is_active
            and registration.occurrence.end >= now
            and (registration.status != RegistrationStatus.SELECTED)
        )
    upcoming = [r for r in registrations if r.occurrence.end >= now]
    past = [r for r in reversed(registrations) if r.occurrence.end < now]
    return {
        "groups": [(_("À venir"), upcoming), (_("Passées"), past)],
        "personal_feed_url": personal_feed_url(request),
        # The cached section holds until the next date ends (it then moves to « Passées »).
        "fresh_until": min((r.occurrence.end for r in upcoming), default=None),
    }


ORGANISATION_LIMIT = 200


def organisation_context(request, organisation):
    """The organisation's registrations, newest dates first (what its référents see)."""
    registrations = (
        Registration.objects.filter(organisation=organisation)
        .select_related("occurrence__page")
        .order_by("-occurrence__start", "pk")[:ORGANISATION_LIMIT]
    )
    return {"registrations": list(registrations), "limit": ORGANISATION_LIMIT}


@hooks.register("register_organisation_section")
def organisation_registrations():
    return OrganisationSection(
        key="inscriptions",
        title=_("Inscriptions de l'organisation"),
        order=10,
        template_name="registrations/organisation_section.html",
        get_context=organisation_context,
    )
