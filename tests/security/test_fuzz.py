"""Hostile input at scale: generated query strings and form posts on every public form and
listing. Nothing answers 500, and nothing that should not change does.

About 10,000 generated requests in all (FUZZ_EXAMPLES scales it for a quick local run).
"""

import os

from django.db.models import Max

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.models import Question
from members.models import Organisation, Supplier, User
from registrations.models import Occurrence, Registration

SCALE = float(os.environ.get("FUZZ_EXAMPLES_SCALE", "1"))

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "2026-13",
    "0000-00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%s%s%s",
    "é" * 500,
    "x" * 5000,
    "🙂" * 50,
    "\ud7ff",
    "null",
    "[]",
    "true",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300), st.integers().map(str))


def plan(max_examples):
    return settings(
        max_examples=max(1, int(max_examples * SCALE)),
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def query(keys):
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


def snapshot():
    """What anonymous input must never change."""
    return (
        User.objects.count(),
        Organisation.objects.count(),
        Supplier.objects.count(),
        Question.objects.count(),
        Occurrence.objects.aggregate(m=Max("updated_at"))["m"],
        sorted(Registration.objects.values_list("pk", "status")),
    )


LISTINGS = [
    ("/agenda/", ["type", "secteur", "groupe", "public", "format", "vue", "mois", "periode", "page"]),
    ("/ressources/", ["type", "secteur", "groupe", "annee", "page"]),
    ("/recherche/", ["q", "type", "secteur", "page"]),
    ("/formations/", ["secteur", "format", "du", "au", "page"]),
    ("/groupes-de-travail/", ["secteur", "statut", "page"]),
    ("/calendrier/agenda.ics", ["type", "secteur", "groupe", "public", "format"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "keys"), LISTINGS, ids=[p for p, _ in LISTINGS])
def test_listing_query_strings_never_fail(demo_module, client, path, keys):
    before = snapshot()

    @plan(1200)
    @given(params=query(keys))
    def run(params):
        response = client.get(path, params)
        assert response.status_code < 500, (path, params)

    run()
    assert snapshot() == before


@pytest.mark.django_db
@plan(600)
@given(segment=values)
def test_feed_and_page_paths_never_fail(demo_module, client, segment):
    from urllib.parse import quote

    encoded = quote(segment, safe="")
    for path in (
        f"/calendrier/type/{encoded}.ics",
        f"/calendrier/secteur/{encoded}.ics",
        f"/calendrier/personnel/{encoded}.ics",
        f"/inscriptions/annuler/{encoded}/",
        f"/inscriptions/confirmer/{encoded}/",
        f"/compte/demande/verifier/{encoded}/",
        f"/compte/creer/{encoded}/",
        f"/compte/bienvenue/{encoded}/{encoded}/",
    ):
        assert client.get(path).status_code < 500, path


FORMS = {
    "login": ("/compte/connexion/", ["username", "password", "next"]),
    "password_reset": ("/compte/mot-de-passe/", ["email"]),
    "account_request": (
        "/compte/demande/",
        ["first_name", "last_name", "email", "organisation", "other_organisation", "job_title"],
    ),
    "sign_up": ("/compte/creer/", ["first_name", "last_name", "email", "next"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMS))
def test_account_forms_never_fail(demo_module, client, name):
    path, keys = FORMS[name]
    before = snapshot()

    @plan(1000)
    @given(data=query(keys))
    def run(data):
        assert client.post(path, data).status_code < 500

    run()
    assert snapshot() == before


def _public_occurrence(kind=None):
    occurrences = Occurrence.objects.upcoming().filter(audience="everyone", status="scheduled")
    if kind:
        occurrences = occurrences.filter(kind=kind)
    return occurrences.first()


@pytest.mark.django_db
def test_guest_registration_form_never_fails(demo_module, client):
    occurrence = _public_occurrence()
    assert occurrence is not None
    path = f"/inscriptions/{occurrence.pk}/"
    keys = [
        "first_name",
        "last_name",
        "email",
        "organisation_name",
        "dietary",
        "accessibility",
        "role",
        "free_text",
        "occurrence",
        "status",
        "price",
    ]
    existing = sorted(Registration.objects.values_list("pk", "status"))

    @plan(1000)
    @given(data=query(keys))
    def run(data):
        assert client.post(path, data).status_code < 500

    run()
    # Guests may add pending registrations, but nothing already saved changes.
    after = dict(Registration.objects.values_list("pk", "status"))
    assert all(after[pk] == status for pk, status in existing)


@pytest.mark.django_db
def test_supplier_application_form_never_fails(demo_module, client):
    occurrence = _public_occurrence("market_engagement") or Occurrence.objects.filter(kind="market_engagement").first()
    assert occurrence is not None
    path = f"/inscriptions/{occurrence.pk}/candidature/"
    keys = [
        "siret",
        "company_name",
        "size",
        "city",
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "sectors",
        "labels",
        "environment",
        "csr",
        "social_clauses",
        "local_sourcing",
        "free_text",
    ]
    suppliers = sorted(Supplier.objects.values_list("pk", "siret", "name"))

    @plan(1000)
    @given(data=query(keys))
    def run(data):
        assert client.post(path, data).status_code < 500

    run()
    remaining = set(Supplier.objects.values_list("pk", "siret", "name"))
    assert set(suppliers) <= remaining
