import pytest

from members.models import Region
from tests.factories import EditorFactory, MemberFactory, OrganisationFactory, StandardPageFactory
from tests.factories.attendance import OccurrenceFactory, RegistrationFactory, paris


@pytest.fixture
def editor(db):
    return EditorFactory(email="editrice@reseco.fr", first_name="Julie", last_name="Morel")


@pytest.fixture
def training(home_page):
    """A two-day training run (four half-days) with two confirmed people and one waitlisted."""
    page = StandardPageFactory(parent=home_page, title="Achats alimentaires durables", slug="achats-alimentaires")
    occurrence = OccurrenceFactory(page=page, kind="training", start=paris(2025, 5, 20, 9), end=paris(2025, 5, 21, 17))
    nantes = OrganisationFactory(name="Ville de Nantes", region=Region.PAYS_DE_LA_LOIRE)
    member = MemberFactory(email="sophie@nantes.fr", first_name="Sophie", last_name="Le Goff", organisation=nantes)
    sophie = RegistrationFactory(
        occurrence=occurrence,
        user=member,
        first_name="Sophie",
        last_name="Le Goff",
        email=member.email,
        organisation=nantes,
    )
    yann = RegistrationFactory(occurrence=occurrence, first_name="Yann", last_name="Kerouac", email="yann@rennes.fr")
    waiting = RegistrationFactory(
        occurrence=occurrence, first_name="Wanda", last_name="Attente", email="wanda@exemple.fr", status="waitlisted"
    )
    other = OccurrenceFactory(page=page, kind="training", start=paris(2025, 10, 7, 9), end=paris(2025, 10, 7, 17))
    return {
        "page": page,
        "occurrence": occurrence,
        "parts": list(occurrence.parts.order_by("start")),
        "sophie": sophie,
        "yann": yann,
        "waiting": waiting,
        "member": member,
        "other": other,
        "other_parts": list(other.parts.order_by("start")),
    }
