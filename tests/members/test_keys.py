"""Separation of keys: only administrators manage staff accounts, groups and permissions; editors
manage members' and suppliers' people in « Réseau › Personnes », never a staff account.

The matrix covers every admin URL that creates or changes an account, for every role. Answers:
200 allowed; LOGIN sent to the admin's login page (no admin access); DENIED Wagtail's refusal (a
redirect to the dashboard with « pas les autorisations »); 403 our French refusal of a staff account.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.http import QueryDict

import pytest

from members.models import EDITORS_GROUP, User
from members.permissions import STAFF_KEY_CODENAMES
from members.services import grant_editor_permissions
from tests.factories import EditorFactory, MemberFactory, SupplierContactFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "supplier", "editor", "admin"]
LOGIN = "login"
DENIED = "denied"
PASSWORD = "Un-mot-de-passe-solide-2026"


def answer(client, url):
    response = client.get(url)
    if response.status_code != 302:
        return response.status_code
    query = QueryDict(mutable=True)
    query["next"] = url
    if response["Location"] == f"/admin/login/?{query.urlencode(safe='/')}":
        return LOGIN
    if response["Location"] == "/admin/":
        return DENIED
    return f"302 → {response['Location']}"


@pytest.fixture
def people():
    admin = UserFactory(email="admin@reseco.test", is_staff=True, is_superuser=True)
    return {
        "member": MemberFactory(email="agent@nantes.test"),
        "supplier": SupplierContactFactory(email="contact@textile.test"),
        "editor": EditorFactory(email="editeur@reseco.test"),
        "admin": admin,
        "other_staff": EditorFactory(email="collegue@reseco.test"),
    }


def expect(*, editor, admin=200):
    return {"anonymous": LOGIN, "member": LOGIN, "supplier": LOGIN, "editor": editor, "admin": admin}


def matrix(p):
    member, staff, admin = p["member"].pk, p["other_staff"].pk, p["admin"].pk
    editors = Group.objects.get(name=EDITORS_GROUP).pk
    return [
        ("wagtail users", "/admin/users/", expect(editor=DENIED)),
        ("wagtail add user", "/admin/users/new/", expect(editor=DENIED)),
        ("wagtail edit member (password)", f"/admin/users/edit/{member}/", expect(editor=DENIED)),
        ("wagtail edit admin (password)", f"/admin/users/edit/{admin}/", expect(editor=DENIED)),
        ("wagtail delete user", f"/admin/users/delete/{member}/", expect(editor=DENIED)),
        ("wagtail groups", "/admin/groups/", expect(editor=DENIED)),
        ("wagtail add group", "/admin/groups/new/", expect(editor=DENIED)),
        ("wagtail edit group", f"/admin/groups/edit/{editors}/", expect(editor=DENIED)),
        ("wagtail delete group", f"/admin/groups/delete/{editors}/", expect(editor=DENIED)),
        ("people", "/admin/reseau/personnes/", expect(editor=200)),
        ("add person", "/admin/reseau/personnes/new/", expect(editor=200)),
        ("edit member", f"/admin/reseau/personnes/edit/{member}/", expect(editor=200)),
        ("edit staff account", f"/admin/reseau/personnes/edit/{staff}/", expect(editor=403)),
        ("edit administrator", f"/admin/reseau/personnes/edit/{admin}/", expect(editor=403)),
        ("delete member", f"/admin/reseau/personnes/delete/{member}/", expect(editor=DENIED)),
        ("delete staff account", f"/admin/reseau/personnes/delete/{staff}/", expect(editor=DENIED)),
        ("personal data", f"/admin/donnees-personnelles/personne/{member}/", expect(editor=200)),
        # Erasing is a POST (below); a GET is refused as a wrong method once past the admin's door.
        (
            "personal data erase",
            f"/admin/donnees-personnelles/personne/{member}/effacer/",
            expect(editor=405, admin=405),
        ),
        ("erase by address", "/admin/donnees-personnelles/", expect(editor=200)),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_account_permission_matrix(people, client, role):
    if role != "anonymous":
        client.force_login(people[role])
    failures = []
    for label, url, expected in matrix(people):
        status = answer(client, url)
        if status != expected[role]:
            failures.append(f"{label} {url}: {status} (expected {expected[role]})")
    assert failures == []


@pytest.mark.parametrize(("role", "erased"), [(r, r in ("editor", "admin")) for r in ROLES])
def test_erasing_a_member_takes_people_rights(people, client, role, erased):
    if role != "anonymous":
        client.force_login(people[role])
    member = people["member"]
    response = client.post(f"/admin/donnees-personnelles/personne/{member.pk}/effacer/", {"confirm": "oui"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email.endswith("@anonyme.invalid") is erased


def test_nobody_erases_a_staff_account(people, client):
    client.force_login(people["editor"])
    staff = people["other_staff"]
    response = client.post(f"/admin/donnees-personnelles/personne/{staff.pk}/effacer/", {"confirm": "oui"})
    assert response.status_code == 409
    staff.refresh_from_db()
    assert staff.email == "collegue@reseco.test"


def snapshot():
    return list(User.objects.order_by("pk").values_list("pk", "email", "password", "is_staff", "is_superuser"))


def test_editor_cannot_create_a_superuser_set_a_password_or_take_a_staff_email(people, client):
    client.force_login(people["editor"])
    admin, staff = people["admin"], people["other_staff"]
    before = snapshot()
    attempts = [
        (
            "/admin/users/new/",
            {
                "email": "pirate@exemple.test",
                "first_name": "P",
                "last_name": "P",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "is_superuser": "on",
                "is_active": "on",
            },
        ),
        (
            f"/admin/users/edit/{admin.pk}/",
            {
                "email": admin.email,
                "first_name": "A",
                "last_name": "A",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "is_active": "on",
                "is_superuser": "on",
            },
        ),
        (f"/admin/users/edit/{people['editor'].pk}/", {"email": people["editor"].email, "is_superuser": "on"}),
        ("/admin/groups/new/", {"name": "Pirates"}),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    for person in (admin, staff):
        response = client.post(
            f"/admin/reseau/personnes/edit/{person.pk}/",
            {"first_name": "X", "last_name": "Y", "email": "pirate@exemple.test", "is_active": "on"},
        )
        assert response.status_code == 403
        assert "seul un administrateur peut le modifier" in response.content.decode()
    assert snapshot() == before
    assert not Group.objects.filter(name="Pirates").exists()
    assert client.get("/admin/users/", follow=True).redirect_chain == [("/admin/", 302)]


def test_wagtail_refusal_is_in_french(people, client):
    client.force_login(people["editor"])
    page = client.get("/admin/users/", follow=True)
    assert page.status_code == 200
    assert "vous n&#x27;avez pas les autorisations pour accéder à cette zone" in page.content.decode()


def test_editor_changes_a_member_but_no_key_field(people, client):
    client.force_login(people["editor"])
    member = people["member"]
    form = client.get(f"/admin/reseau/personnes/edit/{member.pk}/").context["form"]
    assert not {"is_staff", "is_superuser", "groups", "user_permissions", "password"} & set(form.fields)
    response = client.post(
        f"/admin/reseau/personnes/edit/{member.pk}/",
        {
            "first_name": "Sophie",
            "last_name": "Le Goff",
            "email": "sophie@nantes.test",
            "organisation": member.organisation_id,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.email, member.is_staff, member.is_superuser) == ("sophie@nantes.test", False, False)


def test_administrator_changes_a_staff_account_in_people(people, client):
    client.force_login(people["admin"])
    staff = people["other_staff"]
    response = client.post(
        f"/admin/reseau/personnes/edit/{staff.pk}/",
        {"first_name": "C", "last_name": "D", "email": "nouvelle@reseco.test", "is_active": "on"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.email == "nouvelle@reseco.test"


def test_menus_show_people_to_editors_and_users_to_administrators_only(people, client):
    client.force_login(people["editor"])
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/reseau/personnes/" in dashboard
    assert "/admin/users/" not in dashboard and "/admin/groups/" not in dashboard
    client.force_login(people["admin"])
    dashboard = client.get("/admin/").content.decode()
    assert "/admin/users/" in dashboard


def test_editors_hold_no_staff_key_even_on_a_database_that_gave_them(people):
    group = Group.objects.get(name=EDITORS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="members", codename="change_user"))
    grant_editor_permissions()
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    keys = {(app, codename) for app, codenames in STAFF_KEY_CODENAMES.items() for codename in codenames}
    assert held & keys == set()
    assert ("members", "manage_people") in held


def test_migration_takes_the_keys_away_and_gives_people(people):
    group = Group.objects.get(name=EDITORS_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="members", codename__endswith="_user"))
    group.permissions.remove(Permission.objects.get(codename="manage_people"))
    import_module("members.migrations.0004_separate_keys").separate_keys(apps, None)
    held = set(group.permissions.values_list("codename", flat=True))
    assert "manage_people" in held
    assert not held & {"add_user", "change_user", "delete_user", "view_user"}
