"""Erased stays erased: ``load_demo`` never brings back, nor re-passwords, an erased demo account,
and stays idempotent."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

import pytest

from members.demo import ACCOUNTS, DEMO_PASSWORD
from members.models import DemoAccount, User
from personaldata.services import erase_person

pytestmark = pytest.mark.django_db


def accounts():
    """Each account as load_demo could change it (a password hash is salted anew each time, so
    whether the demo password opens it is what counts)."""
    return [
        (user.pk, user.email, user.is_active, user.check_password(DEMO_PASSWORD))
        for user in User.objects.order_by("pk")
    ]


def test_load_demo_never_resurrects_an_erased_demo_account_and_stays_idempotent(demo_site):
    assert set(DemoAccount.objects.values_list("email", flat=True)) == {row[0] for row in ACCOUNTS}
    member = User.objects.get(email="membre@nantes.fr")
    erase_person(member, actor=User.objects.get(email="admin@reseco.fr"))
    member.refresh_from_db()
    pseudonym = member.email
    # An editor deactivated another demo account and took its password away.
    User.objects.filter(email="membre@rennes.fr").update(is_active=False, password="!")
    before = accounts()

    call_command("load_demo", "--force", stdout=StringIO())

    assert not User.objects.filter(email__iexact="membre@nantes.fr").exists()
    member.refresh_from_db()
    assert (member.email, member.is_active, member.has_usable_password()) == (pseudonym, False, False)
    assert authenticate(username="membre@nantes.fr", password=DEMO_PASSWORD) is None
    assert authenticate(username="membre@rennes.fr", password=DEMO_PASSWORD) is None
    assert accounts() == before  # nothing created, reactivated or re-passworded
    assert authenticate(username="admin@reseco.fr", password=DEMO_PASSWORD) is not None

    call_command("load_demo", "--force", stdout=StringIO())
    assert accounts() == before
