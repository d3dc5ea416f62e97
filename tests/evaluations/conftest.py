"""A training run (two days, 12–13 May 2025) with three people: two present, one absent; and a
questionnaire with one question of each type, the default of trainings « à chaud »."""

import pytest

from registrations.models import AttendanceStatus
from tests.factories import EditorFactory, StandardPageFactory
from tests.factories.attendance import AttendanceFactory, OccurrenceFactory, RegistrationFactory, paris
from tests.factories.evaluations import QuestionnaireFactory


def attend(registration, status=AttendanceStatus.PRESENT):
    for part in registration.occurrence.parts.all():
        AttendanceFactory(registration=registration, part=part, status=status)


@pytest.fixture
def editor(db):
    return EditorFactory(email="editrice@reseco.fr")


@pytest.fixture
def questionnaire(db):
    return QuestionnaireFactory(name="Formation à chaud", default_for_kind="training")


@pytest.fixture
def run(home_page, questionnaire):
    page = StandardPageFactory(parent=home_page, title="Achats alimentaires durables", slug="alimentaire")
    occurrence = OccurrenceFactory(page=page, kind="training", start=paris(2025, 5, 12, 9), end=paris(2025, 5, 13, 17))
    anne = RegistrationFactory(occurrence=occurrence, first_name="Anne", last_name="Martin", email="anne@nantes.fr")
    paul = RegistrationFactory(occurrence=occurrence, first_name="Paul", last_name="Durand", email="paul@rennes.fr")
    absent = RegistrationFactory(occurrence=occurrence, first_name="Zoé", last_name="Absente", email="zoe@brest.fr")
    attend(anne)
    attend(paul)
    attend(absent, AttendanceStatus.ABSENT)
    return {"page": page, "occurrence": occurrence, "anne": anne, "paul": paul, "absent": absent}
