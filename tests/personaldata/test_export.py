import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from personaldata.services import export_person
from tests.factories.attendance import OccurrenceFactory, RegistrationFactory, paris

from .conftest import EMAIL

pytestmark = pytest.mark.django_db


def test_member_downloads_their_data_as_json(client, person, other):
    client.force_login(person["user"])
    response = client.get(reverse("personaldata:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["compte"]["adresse_electronique"] == EMAIL
    assert data["compte"]["telephone"] == "02 40 41 42 43"
    assert data["organisation"]["collectivite"]["nom"] == person["user"].organisation.name
    registrations = {r["id"]: r for r in data["inscriptions"]}
    assert set(registrations) == {person["confirmed"].pk, person["waitlisted"].pk}
    confirmed = registrations[person["confirmed"].pk]
    assert confirmed["reponses"] == {"regime": "Végétarien, écrire à claude.dupont@nantes.fr"}
    assert [h["note"] for h in confirmed["historique"]] == ["Appel de Claude Dupont"]
    assert [p["presence"] for p in confirmed["presences"]] == ["present"]
    assert registrations[person["waitlisted"].pk]["liste_d_attente"] is True
    assert [c["inscription"] for c in data["attestations"]] == [person["confirmed"].pk]
    [thread] = data["assistance"]
    assert thread["sujet"] == "Clauses textiles pour Claude Dupont"
    assert thread["messages"][0]["pieces_jointes"] == ["cctp-dupont.pdf"]
    assert len(thread["messages"]) == 2
    [payment] = data["paiements"]
    assert payment["facture"]["numero"].startswith("FA-2025-")
    assert len(payment["facture"]["avoirs"]) == 1
    assert data["agenda_personnel"] == {"abonnement_actif": True}
    assert data["temps_passe"] == []
    # Nothing of anyone else.
    assert other.email not in response.content.decode()
    assert "Dominique" not in response.content.decode()


def test_export_costs_a_fixed_number_of_queries(person):
    user = person["user"]

    def count():
        with CaptureQueriesContext(connection) as queries:
            export_person(user)
        return len(queries)

    before = count()
    occurrence = person["confirmed"].occurrence
    for day in range(1, 6):
        other_occurrence = OccurrenceFactory(
            page=occurrence.page, start=paris(2025, 6, day), end=paris(2025, 6, day, 12)
        )
        RegistrationFactory(occurrence=other_occurrence, user=user, email=user.email)
    assert count() == before


def test_account_page_shows_the_section(client, person):
    client.force_login(person["user"])
    response = client.get(reverse("members:account"))
    content = response.content.decode()
    assert "Mes données personnelles" in content
    assert reverse("personaldata:export") in content
    assert reverse("personaldata:erase") in content
    assert "3 ans" in content


def test_anonymous_is_sent_to_login(client, person):
    for url in (
        reverse("personaldata:export"),
        reverse("personaldata:export_person", args=[person["user"].pk]),
        reverse("personaldata:erase"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "connexion" in response["Location"] or "login" in response["Location"]


def test_only_the_person_or_staff(client, person, other, editor):
    url = reverse("personaldata:export_person", args=[person["user"].pk])
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("personaldata:export_person", args=[999999])).status_code == 404
    client.force_login(person["user"])
    assert client.get(url).status_code == 200
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert json.loads(response.content)["compte"]["adresse_electronique"] == EMAIL


def test_export_is_get_only(client, person):
    client.force_login(person["user"])
    assert client.post(reverse("personaldata:export")).status_code == 405
