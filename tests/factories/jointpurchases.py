"""Grouped purchases for tests: an index under the home page, a purchase with two lots."""

import datetime

from accounts.models import Referent
from jointpurchases.models import JointPurchaseIndexPage, JointPurchasePage, Lot, LotQuantity, Participation
from members.models import Organisation
from sectors.models import Sector

from . import MemberFactory, OrganisationFactory


def make_index(home):
    index = JointPurchaseIndexPage(title="Achats groupés", slug="achats-groupes")
    home.add_child(instance=index)
    return index


def make_purchase(index, *, coordinator=None, interest_deadline=None, awarded=False, lots=None, **fields):
    coordinator = coordinator or OrganisationFactory(name="Ville d'Angers")
    page = JointPurchasePage(
        title=fields.pop("title", "Café équitable"),
        slug=fields.pop("slug", "cafe"),
        summary="<p>Du café issu du commerce équitable.</p>",
        sector=Sector.objects.filter(slug="alimentation-restauration").first(),
        coordinator=coordinator,
        interest_deadline=interest_deadline or datetime.date(2026, 3, 31),
        awarded=awarded,
        **fields,
    )
    page.lots = [Lot(name=name, unit=unit) for name, unit in (lots or [("Café en grains", "kg"), ("Café moulu", "kg")])]
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def coordinator_referent(page, **kwargs):
    person = MemberFactory(organisation=page.coordinator, **kwargs)
    Referent.objects.create(organisation=page.coordinator, user=person)
    return person


def add_participants(page, count, *, quantity=10):
    """``count`` member bodies, each declaring ``quantity`` for every lot (bulk: a few queries)."""
    lots = list(page.lots.all())
    # Built then inserted in one statement: 1,000 bodies stay well under a second.
    orgs = Organisation.objects.bulk_create(OrganisationFactory.build_batch(count))
    participations = Participation.objects.bulk_create(
        [
            Participation(
                purchase=page, organisation=org, contact_name=f"Contact {org.pk}", contact_email=f"c{org.pk}@exemple.fr"
            )
            for org in orgs
        ]
    )
    LotQuantity.objects.bulk_create(
        [LotQuantity(participation=p, lot_key=lot.key, quantity=quantity) for p in participations for lot in lots]
    )
    return participations
