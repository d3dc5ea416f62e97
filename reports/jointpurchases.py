"""The activity report's figures on grouped purchases (« groupements de commandes »).

A grouped purchase counts in a period when its call for interest closed in it (its
``interest_deadline``); withdrawn bodies are left out. Two SQL queries whatever the number of
purchases, bodies and declarations."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jointpurchases.models import JointPurchasePage, Lot, LotQuantity, Participation, ParticipationStatus, Unit
from members.models import Organisation

SECTION = "joint_procurement"
SECTION_LABEL = gettext_lazy("Groupements de commandes")


def purchases_in(period):
    return JointPurchasePage.objects.live().filter(
        interest_deadline__gte=period.start, interest_deadline__lte=period.end
    )


def figures(builder):
    """Adds the section's figures and its breakdown to a ``reports.figures._Builder``."""
    from .figures import Column, Row  # figures calls this function: loaded on use

    purchases = purchases_in(builder.period)
    joined = Participation.objects.filter(purchase__in=purchases).exclude(status=ParticipationStatus.WITHDRAWN)
    # One query: each purchase has one coordinator and each participation one body, so counting
    # distinct purchases and participations through the organisations' rows counts each once.
    led = Q(coordinated_joint_purchases__in=purchases.values("pk"))
    counts = Organisation.objects.aggregate(
        led=Count("coordinated_joint_purchases", distinct=True, filter=led),
        awarded=Count(
            "coordinated_joint_purchases", distinct=True, filter=led & Q(coordinated_joint_purchases__awarded=True)
        ),
        joined=Count(
            "joint_purchase_participations",
            distinct=True,
            filter=Q(joint_purchase_participations__in=joined.values("pk")),
        ),
        bodies=Count(
            "pk",
            distinct=True,
            filter=Q(pk__in=joined.values("organisation"))
            | Q(pk__in=purchases.values("coordinator"))
            | Q(pk__in=purchases.values("co_coordinators")),
        ),
    )
    bodies = counts["bodies"]
    builder.figure("joint_purchases_led", SECTION, _("Groupements de commandes lancés"), counts["led"])
    builder.figure("joint_purchases_joined", SECTION, _("Adhésions de collectivités à un groupement"), counts["joined"])
    builder.figure(
        "joint_purchases_bodies", SECTION, _("Collectivités membres impliquées (coordonnatrices comprises)"), bodies
    )
    builder.figure("joint_purchases_awarded", SECTION, _("Groupements attribués"), counts["awarded"])

    unit = Subquery(Lot.objects.filter(key=OuterRef("lot_key")).values("unit")[:1])
    rows = (
        LotQuantity.objects.filter(participation__in=joined)
        .annotate(unit=unit)
        .values("participation__purchase__sector__name", "unit")
        .annotate(
            total=Sum("quantity"),
            purchases=Count("participation__purchase", distinct=True),
            bodies=Count("participation__organisation", distinct=True),
        )
        .order_by("participation__purchase__sector__name", "unit")
    )
    units = dict(Unit.choices)
    builder.breakdown(
        "joint_purchases_by_sector",
        SECTION,
        _("Besoins agrégés des groupements, par secteur et unité"),
        [
            Column("purchases", _("Groupements")),
            Column("bodies", _("Collectivités")),
            Column("quantity", _("Quantité annuelle estimée")),
        ],
        [
            Row(
                f"{r['participation__purchase__sector__name'] or '-'}|{r['unit'] or '-'}",
                f"{r['participation__purchase__sector__name'] or _('Sans secteur')} ({units.get(r['unit'], _('lot retiré'))})",
                {"purchases": r["purchases"], "bodies": r["bodies"], "quantity": r["total"]},
            )
            for r in rows
        ],
        chart_column="bodies",
    )
