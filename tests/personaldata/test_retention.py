import datetime

from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import pytest

from helpdesk.models import Message
from members.models import User
from registrations.models import Registration
from tests.factories import EditorFactory, MemberFactory, StandardPageFactory
from tests.factories.attendance import OccurrenceFactory, RegistrationFactory
from tests.factories.library import QuestionFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=5 * 365)
RECENTLY = timezone.now() - datetime.timedelta(days=30)


def old_member(email, **fields):
    member = MemberFactory(email=email, **fields)
    User.objects.filter(pk=member.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    return member


@pytest.fixture
def people(home_page):
    page = StandardPageFactory(parent=home_page)
    old_occurrence = OccurrenceFactory(page=page, start=LONG_AGO, end=LONG_AGO + datetime.timedelta(hours=2))
    recent_occurrence = OccurrenceFactory(page=page, start=RECENTLY, end=RECENTLY + datetime.timedelta(hours=2))

    inactive = old_member("inactif@exemple.fr")
    RegistrationFactory(occurrence=old_occurrence, user=inactive, email=inactive.email)
    registered_recently = old_member("recent@exemple.fr")
    RegistrationFactory(occurrence=recent_occurrence, user=registered_recently, email=registered_recently.email)
    wrote_recently = old_member("assistance@exemple.fr")
    Message.objects.create(question=QuestionFactory(author=wrote_recently), author=wrote_recently, body="Une relance.")
    logged_in_recently = old_member("connecte@exemple.fr")
    User.objects.filter(pk=logged_in_recently.pk).update(last_login=RECENTLY)
    staff = EditorFactory(email="ancienne.equipe@reseco.fr")
    User.objects.filter(pk=staff.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    RegistrationFactory(occurrence=old_occurrence, user=staff, email=staff.email)
    old_guest = RegistrationFactory(occurrence=old_occurrence, email="invite.ancien@exemple.fr")
    Registration.objects.filter(pk=old_guest.pk).update(created_at=LONG_AGO)
    recent_guest = RegistrationFactory(occurrence=recent_occurrence, email="invite.recent@exemple.fr")
    # an old guest registration by a person who came back recently
    back = RegistrationFactory(occurrence=old_occurrence, email="revenu@exemple.fr")
    Registration.objects.filter(pk=back.pk).update(created_at=LONG_AGO)
    RegistrationFactory(occurrence=recent_occurrence, email="revenu@exemple.fr")
    for registration in Registration.objects.filter(occurrence=old_occurrence):
        Registration.objects.filter(pk=registration.pk).update(created_at=LONG_AGO)
    return locals()


def emails():
    return set(User.objects.values_list("email", flat=True)) | set(Registration.objects.values_list("email", flat=True))


def test_the_command_is_periodic():
    assert "anonymise_inactive" in apps.get_app_config("personaldata").periodic_commands


def test_inactive_people_are_anonymised_once_and_staff_never(people, capsys):
    call_command("anonymise_inactive")
    assert "1 personne(s), 1 invité(e)(s)" in capsys.readouterr().out
    remaining = emails()
    assert "inactif@exemple.fr" not in remaining
    assert "invite.ancien@exemple.fr" not in remaining
    for kept in (
        "recent@exemple.fr",
        "assistance@exemple.fr",
        "connecte@exemple.fr",
        "ancienne.equipe@reseco.fr",
        "invite.recent@exemple.fr",
        "revenu@exemple.fr",
    ):
        assert kept in remaining
    assert User.objects.get(pk=people["inactive"].pk).is_active is False
    assert User.objects.get(pk=people["staff"].pk).is_active is True

    snapshot = sorted(Registration.objects.values_list("pk", "email", "first_name"))
    call_command("anonymise_inactive")  # twice: nothing more, no error
    assert "0 personne(s), 0 invité(e)(s)" in capsys.readouterr().out
    assert sorted(Registration.objects.values_list("pk", "email", "first_name")) == snapshot


@override_settings(PERSONAL_DATA_RETENTION_DAYS=10)
def test_retention_is_a_setting(people, capsys):
    call_command("anonymise_inactive")
    out = capsys.readouterr().out
    # the last login 30 days ago is now too old; registrations and messages made today are not
    assert "2 personne(s), 1 invité(e)(s)" in out
    assert "connecte@exemple.fr" not in emails()
    assert "recent@exemple.fr" in emails()
    assert User.objects.get(pk=people["staff"].pk).email == "ancienne.equipe@reseco.fr"
