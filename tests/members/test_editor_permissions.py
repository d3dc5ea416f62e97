from django.contrib.auth.models import Permission

import pytest

from members.services import EDITOR_PERMISSIONS, grant_editor_permissions

pytestmark = pytest.mark.django_db


def test_every_editor_permission_exists_and_is_granted():
    group = grant_editor_permissions()
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    for app_label, codenames in EDITOR_PERMISSIONS.items():
        for codename in codenames:
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), codename
            assert (app_label, codename) in granted


def test_granting_twice_changes_nothing():
    first = set(grant_editor_permissions().permissions.values_list("pk", flat=True))
    assert set(grant_editor_permissions().permissions.values_list("pk", flat=True)) == first
