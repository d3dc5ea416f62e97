"""Members' search finds the exchange's questions; suppliers, the public and hidden questions never."""

import pytest

from tests.factories import MemberFactory, SupplierContactFactory
from tests.factories.exchange import QuestionFactory, exchange_page  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_exchange_questions_are_found_by_members_only(client, library, exchange_page):  # noqa: F811
    question = QuestionFactory(title="Clause d'insertion en restauration", body="Combien d'heures demander ?")
    QuestionFactory(title="Clause d'insertion cachée", hidden=True)
    client.force_login(MemberFactory())
    page = client.get("/recherche/", {"q": "insertion"}).content.decode()
    assert f"/entraide/questions/{question.pk}/" in page and "Question entre membres" in page
    assert "cachée" not in page
    client.force_login(SupplierContactFactory())
    assert "/entraide/questions/" not in client.get("/recherche/", {"q": "insertion"}).content.decode()
    client.logout()
    page = client.get("/recherche/", {"q": "insertion"}).content.decode()
    assert "/entraide/questions/" not in page and "Question entre membres" not in page
    assert client.get("/recherche/", {"q": "insertion", "type": "entraide"}).status_code == 400
