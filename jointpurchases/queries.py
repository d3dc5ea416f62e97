"""Queries of grouped purchases: listings, open calls, the coordinator's table. Each costs a fixed
number of SQL queries whatever the number of purchases or participants."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import Referent
from base.staff import is_staff

from .models import JointPurchasePage, Lot, LotQuantity, Participation, ParticipationStatus


def is_member_or_staff(user):
    return user.is_authenticated and (is_staff(user) or user.is_member)


def purchases():
    return JointPurchasePage.objects.live().select_related("sector", "coordinator").order_by("interest_deadline")


def open_calls(today=None):
    """Live grouped purchases whose call for interest is still open."""
    return purchases().filter(interest_deadline__gte=today or timezone.localdate())


def listing_for(user, index):
    """The index page's context: every live purchase for members and staff, awarded ones for others."""
    qs = purchases().child_of(index)
    if not is_member_or_staff(user):
        return {"open_purchases": [], "other_purchases": list(qs.filter(awarded=True)), "members_view": False}
    today = timezone.localdate()
    rows = list(qs)
    return {
        "open_purchases": [p for p in rows if p.interest_deadline >= today],
        "other_purchases": [p for p in rows if p.interest_deadline < today],
        "members_view": True,
    }


def coordinated_ids(user):
    """Ids of the organisations ``user`` answers for as a référent (coordinators act through them)."""
    if not user.is_authenticated:
        return set()
    return set(Referent.objects.filter(user=user).values_list("organisation_id", flat=True))


def account_context(user, referent_of=None):
    """« Mon compte »: the open calls, the answers of the person's organisation, and for its
    référents the grouped purchases they proposed with their review state (a fixed number of
    queries). ``referent_of``: the ids ``coordinated_ids`` gives, when already read."""
    org_id = user.organisation_id
    answers = {}
    if org_id:
        answers = {
            p.purchase_id: p for p in Participation.objects.filter(organisation_id=org_id).select_related("purchase")
        }
    calls = list(open_calls()) if user.is_member else []
    others = [p for pk, p in answers.items() if pk not in {c.pk for c in calls}]
    referent_of = coordinated_ids(user) if referent_of is None else referent_of
    coordinated = list(
        purchases().filter(Q(coordinator_id__in=referent_of) | Q(co_coordinators__in=referent_of)).distinct()
    )
    can_propose = bool(org_id and org_id in referent_of and user.is_member)
    if can_propose:
        from .proposals import proposals_of  # proposals reads the workflow's states: loaded on use

    return {
        "calls": [(call, answers.get(call.pk)) for call in calls],
        "past_answers": others,
        "coordinated": coordinated,
        "can_propose": can_propose,
        "proposals": proposals_of(org_id) if can_propose else [],
    }


def format_quantity(value):
    """1200.50 → « 1 200,5 » (narrow no-break space between thousands)."""
    if value is None:
        return ""
    text = f"{value.normalize():,f}" if value == value.to_integral() else f"{value:,.2f}".rstrip("0")
    return text.replace(",", "\u202f").replace(".", ",")


@dataclass
class TableRow:
    participation: Participation
    quantities: list  # one Decimal or None per lot, in the table's lot order

    @property
    def cells(self):
        """The quantities as the table shows them (formatted here: a template filter per cell
        costs seconds on a thousand rows)."""
        return [format_quantity(value) if value is not None else "—" for value in self.quantities]


@dataclass
class Table:
    lots: list
    rows: list
    totals: list  # (total, number of bodies) per lot, active participations only
    status_counts: dict = field(default_factory=dict)
    withdrawn_lots: list = field(default_factory=list)


class RemovedLot:
    """A lot no longer on the page whose declarations are kept."""

    def __init__(self, key):
        self.key = key
        self.name = None
        self.unit = ""

    def get_unit_display(self):
        return ""


def _quantity(value):
    """A sum at the quantities' own scale (PostgreSQL's numeric keeps it; SQLite's sum drops it)."""
    places = LotQuantity._meta.get_field("quantity").decimal_places
    return Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-places))


def coordinator_table(purchase):
    """Members, their status and quantities per lot, with totals per lot (SQL sums): five queries
    whatever the number of participants."""
    lots = list(Lot.objects.filter(page=purchase).order_by("sort_order", "pk"))
    participations = list(
        Participation.objects.filter(purchase=purchase).select_related("organisation").order_by("organisation__name")
    )
    quantities = LotQuantity.objects.filter(participation__purchase=purchase)
    values = {}
    for participation_id, key, quantity in quantities.values_list("participation_id", "lot_key", "quantity"):
        values[(participation_id, key)] = quantity
    known = {lot.key for lot in lots}
    removed = sorted({key for _pid, key in values if key not in known}, key=str)
    columns = lots + [RemovedLot(key) for key in removed]
    sums = {
        row["lot_key"]: (_quantity(row["total"]), row["bodies"])
        for row in quantities.exclude(participation__status=ParticipationStatus.WITHDRAWN)
        .values("lot_key")
        .annotate(total=Sum("quantity"), bodies=Count("participation", filter=Q(quantity__gt=0)))
        .order_by()
    }
    status_counts = dict(
        Participation.objects.filter(purchase=purchase).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return Table(
        lots=columns,
        rows=[TableRow(p, [values.get((p.pk, lot.key)) for lot in columns]) for p in participations],
        totals=[sums.get(lot.key, (_quantity(0), 0)) for lot in columns],
        status_counts=status_counts,
    )


def member_contacts(purchase, organisation_ids):
    """{organisation id: addresses} a member reminder goes to: the body's contact for this
    purchase when it gave one, else its référents (two queries whatever the number of bodies)."""
    contacts = dict(
        Participation.objects.filter(purchase=purchase, organisation_id__in=organisation_ids)
        .exclude(contact_email="")
        .values_list("organisation_id", "contact_email")
    )
    referents = {}
    for org_id, email in Referent.objects.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", "user__email"
    ):
        referents.setdefault(org_id, set()).add(email)
    return {pk: sorted({contacts[pk]} if pk in contacts else referents.get(pk, set())) for pk in organisation_ids}
