"""Who holds which key. Administrators (superusers) manage staff accounts, groups and permissions,
in Wagtail's own « Utilisateurs » and « Groupes ». Editors manage members' and suppliers' people
records in « Réseau › Personnes » with one permission of their own (``members.manage_people``),
and never a staff account."""

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext as _

from wagtail.permission_policies.base import BasePermissionPolicy

from base.staff import is_staff, is_staff_account

from .models import User

MANAGE_PEOPLE_CODENAME = "manage_people"
MANAGE_PEOPLE = f"members.{MANAGE_PEOPLE_CODENAME}"
# Model permissions that would let their holder create, change or promote accounts (Wagtail's
# « Utilisateurs » and « Groupes » read them): administrators only, never granted to a group.
STAFF_KEY_CODENAMES = {
    "members": ["add_user", "change_user", "delete_user", "view_user"],
    "auth": [
        "add_group",
        "change_group",
        "delete_group",
        "view_group",
        "add_permission",
        "change_permission",
        "delete_permission",
        "view_permission",
    ],
}
# What « Personnes » lets an editor do; deleting a person is for administrators (erase instead).
EDITOR_ACTIONS = {"add", "change", "view"}


def staff_key_filter():
    """A ``Permission`` filter for the keys above (also used by the migration that took them away)."""
    query = Q(pk__in=[])
    for app_label, codenames in STAFF_KEY_CODENAMES.items():
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return query


def staff_keys():
    return Permission.objects.filter(staff_key_filter())


def can_manage_people(user):
    """The person acting may manage members' and suppliers' people records."""
    return is_staff(user) and (user.is_superuser or user.has_perm(MANAGE_PEOPLE))


def may_change_person(user, person):
    """A staff account (its e-mail, password, flags) is changed by administrators only: whoever
    changes the e-mail of an account can take it with a password reset."""
    return can_manage_people(user) and (user.is_superuser or not is_staff_account(person))


def staff_account_refusal():
    return _(
        "Ce compte appartient à l'équipe du réseau : seul un administrateur peut le modifier "
        "(adresse électronique, mot de passe, droits)."
    )


class PeoplePermissionPolicy(BasePermissionPolicy):
    """« Réseau › Personnes »: editors with ``members.manage_people`` add, change and view people;
    administrators do everything; nobody but an administrator changes a staff account."""

    def user_has_permission(self, user, action):
        if not can_manage_people(user):
            return False
        return user.is_superuser or action in EDITOR_ACTIONS

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action != "view" and not may_change_person(user, instance):
            return False
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        holders = Q(groups__permissions__codename=MANAGE_PEOPLE_CODENAME) | Q(
            user_permissions__codename=MANAGE_PEOPLE_CODENAME
        )
        if not set(actions) & EDITOR_ACTIONS:
            holders = Q(pk__in=[])
        return User.objects.filter(Q(is_superuser=True) | (holders & Q(is_staff=True)), is_active=True).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


people_policy = PeoplePermissionPolicy(User)
