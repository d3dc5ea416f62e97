"""A member with something in every app, a second member, an editor."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

import pytest

from events.models import CalendarToken
from helpdesk.models import Attachment, Message
from payments.invoicing import issue_credit_note, issue_invoice
from payments.models import PaymentStatus
from registrations.models import AttendanceStatus, RegistrationChange, RegistrationStatus
from tests.factories import EditorFactory, MemberFactory, StandardPageFactory
from tests.factories.attendance import AttendanceFactory, OccurrenceFactory, RegistrationFactory, paris
from tests.factories.library import QuestionFactory
from tests.factories.payments import PaymentFactory
from tests.reports.conftest import known_year  # noqa: F401  (the report's known year, reused)

EMAIL = "claude.dupont@nantes.fr"


@pytest.fixture
def person(home_page):
    """Claude Dupont: registrations (one waitlisted, with answers), history, attendance, a
    helpdesk thread with an attachment, a paid invoice with a credit note, a calendar token."""
    member = MemberFactory(email=EMAIL, first_name="Claude", last_name="Dupont", phone="02 40 41 42 43")
    member.job_title = "Acheteuse publique"
    member.save()
    page = StandardPageFactory(parent=home_page, title="Rencontre achats textiles")
    past = OccurrenceFactory(page=page, start=paris(2025, 3, 11, 9, 30), end=paris(2025, 3, 11, 12, 30))
    future = OccurrenceFactory(page=page, start=paris(2030, 3, 11, 9, 30), end=paris(2030, 3, 11, 12, 30))
    confirmed = RegistrationFactory(
        occurrence=past,
        user=member,
        email=EMAIL,
        first_name="Claude",
        last_name="Dupont",
        organisation=member.organisation,
        answers={"regime": "Végétarien, écrire à claude.dupont@nantes.fr"},
    )
    RegistrationChange.objects.create(
        registration=confirmed, from_status="", to_status=RegistrationStatus.CONFIRMED, note="Appel de Claude Dupont"
    )
    AttendanceFactory(
        registration=confirmed, part=past.parts.get(), status=AttendanceStatus.PRESENT, note="Claude arrivée à 9 h"
    )
    waitlisted = RegistrationFactory(
        occurrence=future,
        user=member,
        email=EMAIL.upper(),
        first_name="Claude",
        last_name="Dupont",
        organisation=member.organisation,
        status=RegistrationStatus.WAITLISTED,
        answers={"attentes": "Retours d'expérience"},
    )
    question = QuestionFactory(author=member, topic="Clauses textiles pour Claude Dupont")
    message = Message.objects.create(
        question=question, author=member, body="Bonjour, ici Claude Dupont (02 40 41 42 43)."
    )
    Attachment.objects.create(
        message=message, file=ContentFile(b"x", name="cctp-dupont.pdf"), name="cctp-dupont.pdf", size=1
    )
    Message.objects.create(question=question, from_staff=True, body="Bonjour Claude, voici notre réponse.")
    payment = PaymentFactory(
        registration=confirmed,
        status=PaymentStatus.PAID,
        description="Formation textiles",
        billing_entity="Ville de Nantes",
        paid_at=paris(2025, 3, 1),
    )
    invoice = issue_invoice(payment, today=datetime.date(2025, 3, 1), notify=False)
    issue_credit_note(invoice, reason="Annulation partielle", amount_ttc=Decimal("60"), today=datetime.date(2025, 3, 2))
    CalendarToken.objects.create(user=member)
    return {"user": member, "confirmed": confirmed, "waitlisted": waitlisted, "question": question, "payment": payment}


@pytest.fixture
def other(home_page):
    member = MemberFactory(email="autre@rennes.fr", first_name="Dominique", last_name="Autre")
    page = StandardPageFactory(parent=home_page, title="Autre rencontre")
    occurrence = OccurrenceFactory(page=page, start=paris(2025, 4, 1, 9, 30), end=paris(2025, 4, 1, 12, 30))
    RegistrationFactory(
        occurrence=occurrence, user=member, email=member.email, first_name="Dominique", last_name="Autre"
    )
    return member


@pytest.fixture
def editor(db):
    return EditorFactory(email="editrice@reseco.fr")
