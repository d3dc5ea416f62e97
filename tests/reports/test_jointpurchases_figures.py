"""The activity report's grouped-purchase figures against a hand-computed fixture."""

import datetime
from decimal import Decimal

import pytest

from base.periods import Period
from jointpurchases.models import LotQuantity, Participation, ParticipationStatus
from reports.figures import compute
from tests.factories import OrganisationFactory
from tests.factories.jointpurchases import make_index, make_purchase

pytestmark = pytest.mark.django_db


def _answer(page, org, status, **quantities):
    participation = Participation.objects.create(purchase=page, organisation=org, status=status)
    lots = {lot.name: lot.key for lot in type(page).objects.get(pk=page.pk).lots.all()}
    for name, quantity in quantities.items():
        LotQuantity.objects.create(participation=participation, lot_key=lots[name], quantity=Decimal(quantity))


def test_grouped_purchase_figures(home_page):
    index = make_index(home_page)
    angers, alm, laval, brest, vannes = OrganisationFactory.create_batch(5)
    coffee = make_purchase(
        index,
        coordinator=angers,
        interest_deadline=datetime.date(2025, 3, 31),
        lots=[("Grains", "kg"), ("Moulu", "kg")],
    )
    coffee.co_coordinators = [alm]
    coffee.save_revision().publish()
    canteen = make_purchase(
        index,
        coordinator=laval,
        interest_deadline=datetime.date(2025, 10, 1),
        awarded=True,
        slug="cantines",
        lots=[("Repas", "repas")],
    )
    old = make_purchase(
        index, coordinator=brest, interest_deadline=datetime.date(2024, 6, 1), slug="ancien", lots=[("Grains", "kg")]
    )
    _answer(coffee, laval, ParticipationStatus.INTERESTED, Grains="100.5", Moulu="20")
    _answer(coffee, brest, ParticipationStatus.SIGNED, Grains="50")
    _answer(coffee, vannes, ParticipationStatus.WITHDRAWN, Grains="1000")  # left out
    _answer(canteen, angers, ParticipationStatus.SIGNED, Repas="300000")
    _answer(canteen, vannes, ParticipationStatus.SIGNED, Repas="100000")
    _answer(old, vannes, ParticipationStatus.SIGNED, Grains="7")  # 2024: previous period

    report = compute(Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
    values = {key: f.value for key, f in report.figures.items() if key.startswith("joint_purchases")}
    # led: coffee and canteen; joined: Laval, Brest (coffee), Angers, Vannes (canteen);
    # bodies: Angers, ALM, Laval (coordinators and participants), Brest, Vannes
    assert values == {
        "joint_purchases_led": 2,
        "joint_purchases_joined": 4,
        "joint_purchases_bodies": 5,
        "joint_purchases_awarded": 1,
    }
    assert report.figures["joint_purchases_led"].previous == 1
    rows = {row.label: row.values for row in report.breakdowns["joint_purchases_by_sector"].rows}
    assert rows == {
        "Alimentation et restauration collective (kg)": {"purchases": 1, "bodies": 2, "quantity": Decimal("170.50")},
        "Alimentation et restauration collective (repas)": {
            "purchases": 1,
            "bodies": 2,
            "quantity": Decimal("400000.00"),
        },
    }
