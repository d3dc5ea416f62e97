import pytest

from registrations.models import Occurrence, Registration, RegistrationStatus
from tests.factories.trainings import training_with_runs

pytestmark = pytest.mark.django_db


def test_catalogue_lists_trainings_with_next_runs_and_seats_left(client, catalogue_page):
    page = training_with_runs(catalogue_page, runs=[(10, 1), (40, 3), (-20, 1)], title="Clauses sociales")
    training_with_runs(catalogue_page, runs=[], title="Sans session")
    soon = Occurrence.objects.filter(page=page).order_by("start")[1]
    for n in range(3):
        Registration.objects.create(
            occurrence=soon, first_name="A", last_name=str(n), email=f"p{n}@x.fr", status=RegistrationStatus.CONFIRMED
        )
    html = client.get(catalogue_page.url).content.decode()
    assert "Clauses sociales" in html and "Sans session" in html
    assert "17 places restantes" in html  # 20 - 3 on the soonest upcoming run
    assert "Aucune session programmée" in html
    # Trainings with an upcoming run come first.
    assert html.index("Clauses sociales") < html.index("Sans session")


def test_catalogue_filters_by_format_and_dates(client, catalogue_page):
    training_with_runs(catalogue_page, runs=[(10, 1)], title="Webinaire marchés", format="online")
    training_with_runs(catalogue_page, runs=[(100, 3)], title="Session ADEME", format="in_person")
    html = client.get(catalogue_page.url, {"format": "online"}).content.decode()
    assert "Webinaire marchés" in html and "Session ADEME" not in html
    from tests.factories.trainings import day_at

    day = day_at(90).date().isoformat()
    html = client.get(catalogue_page.url, {"du": day}).content.decode()
    assert "Session ADEME" in html and "Webinaire marchés" not in html
    html = client.get(catalogue_page.url, {"au": day}).content.decode()
    assert "Webinaire marchés" in html and "Session ADEME" not in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"format": "teleportation"}, "Ce format n&#x27;existe pas."),
        ({"secteur": "nope"}, "Ce secteur n&#x27;existe pas."),
        ({"du": "31/02/2026"}, "Saisissez une date valide"),
        ({"du": "2026-05-10", "au": "2026-05-01"}, "La date de fin doit suivre la date de début."),
    ],
)
def test_invalid_filters_are_explained_and_ignored(client, catalogue_page, params, message):
    training_with_runs(catalogue_page, title="Clauses sociales")
    response = client.get(catalogue_page.url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Clauses sociales" in html


def test_catalogue_costs_a_fixed_number_of_queries(client, catalogue_page, django_assert_max_num_queries):
    for n in range(3):
        training_with_runs(catalogue_page, runs=[(10 + n, 1), (40 + n, 2)])
    client.get(catalogue_page.url)  # warm caches (site root, etc.)
    with django_assert_max_num_queries(30) as few:
        client.get(catalogue_page.url)
    for n in range(12):
        training_with_runs(catalogue_page, runs=[(10 + n, 1), (40 + n, 2), (70 + n, 1), (100 + n, 1)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(catalogue_page.url)
    assert response.content.decode().count('class="card"') == 15
