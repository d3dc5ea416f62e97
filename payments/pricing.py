"""What a person pays for a training run: always computed from the database."""

import dataclasses
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trainings.models import OCCURRENCE_KIND, TrainingPage

from .models import PriceCategory


@dataclasses.dataclass(frozen=True)
class Price:
    category: str
    amount_ht: Decimal
    vat_rate: Decimal
    vat_amount: Decimal
    amount_ttc: Decimal
    description: str

    @property
    def is_free(self):
        return self.amount_ttc <= 0


def training_of(occurrence):
    """The TrainingPage owning ``occurrence``, or None when it is not a training run."""
    if occurrence.kind != OCCURRENCE_KIND:
        return None
    return TrainingPage.objects.filter(pk=occurrence.page_id).first()


def is_member(user):
    return bool(user is not None and user.is_authenticated and user.is_member)


def price_for(occurrence, user, *, training=None):
    """The price ``user`` pays for ``occurrence`` (None if it is not a training run)."""
    return price_of(occurrence, member=is_member(user), training=training)


def price_of(occurrence, *, member, training=None):
    """The member or non-member price of ``occurrence`` (None if it is not a training run)."""
    training = training or training_of(occurrence)
    if training is None:
        return None
    amount_ht = training.price_ht_for(is_member=member)
    vat = training.vat_for(amount_ht)
    return Price(
        category=PriceCategory.MEMBER if member else PriceCategory.NON_MEMBER,
        amount_ht=amount_ht,
        vat_rate=training.vat_rate,
        vat_amount=vat,
        amount_ttc=amount_ht + vat,
        description=_("Formation « %(title)s », session du %(date)s")
        % {"title": training.title, "date": _local_date(occurrence.start)},
    )


def payment_due(occurrence, user, *, training=None):
    """The eligibility rule for paid training runs, the one the registration view, the payment
    views and the engine's admin all apply: the Price ``user`` (None or anonymous: a non-member)
    must pay before holding a seat on ``occurrence``, or None when nothing is due (not a training
    run, a training free for everyone, or free for this person)."""
    training = training or training_of(occurrence)
    if training is None or may_be_free(training):
        return None
    price = price_for(occurrence, user, training=training)
    return None if price.is_free else price


def may_be_free(training):
    """True when nobody pays for this training (everyone registers through the generic flow)."""
    member_free = training.free_for_members or not training.price_member
    return member_free and not training.price_non_member


def _local_date(value):
    return date_format(timezone.localtime(value), "j F Y")
