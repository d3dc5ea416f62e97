"""Who receives an issue: its audiences resolved into one list of addresses (one copy per
person, by normalised address), a fixed number of queries whatever the number of people."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from members.models import Organisation

from .addresses import is_valid, normalise
from .models import AddressHealth, Subscriber, SubscriberStatus


def _member_people():
    return get_user_model().objects.filter(is_active=True, organisation__in=Organisation.objects.current_members())


def _emails(queryset):
    return {normalise(e) for e in queryset.annotate(lower_email=Lower("email")).values_list("lower_email", flat=True)}


def blocked_addresses():
    """Addresses that receive nothing: unsubscribed (from everything) or suspended."""
    unsubscribed = Subscriber.objects.filter(status=SubscriberStatus.UNSUBSCRIBED).values_list("email", flat=True)
    suspended = AddressHealth.objects.filter(suspended_at__isnull=False).values_list("email", flat=True)
    return set(unsubscribed) | set(suspended)


def recipients(issue):
    """{address: members_copy} for ``issue``'s audiences, without blocked addresses and
    addresses that cannot be sent to (one copy per person: addresses are normalised)."""
    members = _emails(_member_people())
    declined = set(Subscriber.objects.filter(members_letters=False).values_list("email", flat=True))
    chosen = set()
    if issue.to_subscribers:
        chosen |= set(
            Subscriber.objects.filter(status=SubscriberStatus.ACTIVE, public_letter=True).values_list(
                "email", flat=True
            )
        )
    targeted_members = set()
    if issue.to_members:
        targeted_members |= members
    group_ids = [g.pk for g in issue.working_groups.all()]
    if group_ids:
        targeted_members |= _emails(_member_people().filter(organisation__working_groups__in=group_ids))
    sector_ids = [s.pk for s in issue.sectors.all()]
    if sector_ids:
        by_group = _member_people().filter(organisation__working_groups__sector__in=sector_ids)
        followers = Subscriber.objects.filter(sectors__in=sector_ids).values_list("email", flat=True)
        targeted_members |= _emails(by_group) | (set(followers) & members)
    chosen |= targeted_members - declined
    if issue.to_suppliers:
        chosen |= _emails(get_user_model().objects.filter(is_active=True, supplier__isnull=False))
    chosen -= blocked_addresses()
    return {email: email in members for email in sorted(chosen) if is_valid(email)}


def subscriber_for_user(user):
    return (
        Subscriber.objects.filter(Q(user=user) | Q(email=normalise(user.email)))
        .prefetch_related("sectors")
        .order_by("-user_id")
        .first()
    )
