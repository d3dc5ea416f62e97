"""The personal-data URLs in the site's permission matrix (tests/security): every role against
the demo site, each with its expected answer."""

from django.urls import reverse

import pytest

from tests.security.conftest import demo_module  # noqa: F401  (the demo site, once per module)
from tests.security.test_permissions import ADMIN_ONLY, LOGGED_IN, MINE, ROLES, answer, login, objects  # noqa: F401
from tests.utils import assert_sent_to_admin_login


def personal_data_matrix(o):
    member = o["member"]
    return [
        ("my data", reverse("personaldata:export"), LOGGED_IN),
        ("erasure confirmation", reverse("personaldata:erase"), LOGGED_IN),
        ("someone's data", reverse("personaldata:export_person", args=[member.pk]), MINE),
        (
            "forged person",
            reverse("personaldata:export_person", args=[987654]),
            {**MINE, "member": 404, "editor": 404, "admin": 404},
        ),
        ("admin personal data", reverse("personaldata_admin:person", args=[member.pk]), ADMIN_ONLY),
        ("admin export", reverse("personaldata_admin:export", args=[member.pk]), ADMIN_ONLY),
        ("admin erase by e-mail", reverse("personaldata_admin:email"), ADMIN_ONLY),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_personal_data_permission_matrix(objects, client, role):  # noqa: F811
    login(client, role)
    failures = []
    for label, url, expected in personal_data_matrix(objects):
        status = answer(client, url)
        if status != expected[role]:
            failures.append(f"{label} {url}: {status} (expected {expected[role]})")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_erasure_by_get_changes_nothing(objects, client, role):  # noqa: F811
    login(client, role)
    url = reverse("personaldata_admin:erase", args=[objects["member"].pk])
    response = client.get(url)
    if ADMIN_ONLY[role] == 200:
        assert response.status_code == 405  # erasure is a POST after a confirmation screen
    else:
        assert_sent_to_admin_login(response, url)
    objects["member"].refresh_from_db()
    assert objects["member"].email == "membre@nantes.fr"
