import datetime
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine

from members.audience import Audience, audiences_for
from members.models import Organisation
from tests.factories import EditorFactory, MemberFactory, OrganisationFactory, SupplierContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_members_during_a_year_counts_past_members():
    OrganisationFactory(member_since=datetime.date(2010, 1, 1), member_until=datetime.date(2019, 12, 31))
    OrganisationFactory(member_since=datetime.date(2021, 6, 1))
    assert Organisation.objects.members_during(datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)).count() == 1
    assert Organisation.objects.members_during(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)).count() == 0
    assert Organisation.objects.members_during(datetime.date(2021, 1, 1), datetime.date(2021, 12, 31)).count() == 1


def test_groups_follow_links():
    member = MemberFactory()
    supplier = SupplierContactFactory()
    assert list(member.groups.values_list("name", flat=True)) == ["Membres"]
    assert list(supplier.groups.values_list("name", flat=True)) == ["Fournisseurs"]
    assert not UserFactory().groups.exists()


def test_periodic_sync_removes_expired_members():
    member = MemberFactory(organisation__member_until=datetime.date(2030, 6, 30))
    assert member.groups.filter(name="Membres").exists()
    with time_machine.travel(datetime.date(2030, 7, 2)):
        call_command("sync_memberships", stdout=StringIO())
        assert not member.groups.filter(name="Membres").exists()
        call_command("sync_memberships", stdout=StringIO())  # safe to run twice
        assert not member.groups.filter(name="Membres").exists()


def test_audiences():
    assert audiences_for(MemberFactory()) == {Audience.EVERYONE, Audience.MEMBERS}
    assert audiences_for(SupplierContactFactory()) == {Audience.EVERYONE, Audience.SUPPLIERS}
    assert audiences_for(UserFactory()) == {Audience.EVERYONE}
    assert audiences_for(EditorFactory()) == set(Audience)
    former = MemberFactory(organisation__member_until=datetime.date(2020, 1, 1))
    assert Audience.MEMBERS not in audiences_for(former)
