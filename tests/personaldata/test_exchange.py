"""The exchange in the personal-data export and erasure: the person's questions, answers and
follows are exported; erasure takes their name out of the threads, which stay readable, and
the report's figures do not move."""

import json

from django.core.files.base import ContentFile

import pytest

from base.periods import year_period
from exchange.models import Answer, Attachment, Follow, Preference, Question, Report
from personaldata.services import erase_person, export_json
from reports.figures import as_dict, compute
from tests.factories import EditorFactory, MemberFactory
from tests.factories.exchange import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claude():
    member = MemberFactory(email="claude.dupont@nantes.fr", first_name="Claude", last_name="Dupont")
    question = QuestionFactory(author=member, title="Critère bio (Claude Dupont)", body="Signé Claude Dupont.")
    Attachment.objects.create(
        question=question, file=ContentFile(b"%PDF-1.4", name="CCTP Dupont.pdf"), name="CCTP Dupont.pdf", size=8
    )
    AnswerFactory(question=question, body="Bonjour Claude Dupont, nous avons alloti.")
    other = QuestionFactory(title="Papier recyclé")
    AnswerFactory(question=other, author=member, body="Écrivez-moi : claude.dupont@nantes.fr", helpful=True)
    Follow.objects.create(user=member, sector=question.sector)
    Follow.objects.create(user=member, question=other)
    Preference.objects.create(user=member, frequency="weekly")
    Report.objects.create(reporter=member, question=other, reason="Doublon")
    return member


def test_export_holds_questions_answers_and_follows(claude):
    data = json.loads(export_json(claude))["entraide"]
    assert [q["question"] for q in data["questions"]] == ["Critère bio (Claude Dupont)"]
    assert data["reponses"][0]["question"] == "Papier recyclé" and data["reponses"][0]["utile"] is True
    assert {"question": "Papier recyclé"} in data["abonnements"]
    assert data["frequence_des_courriels"] == "Un récapitulatif par semaine"


def test_erasure_anonymises_posts_and_keeps_threads_and_figures(claude):
    period = year_period(Question.objects.first().created_at.year)
    before = as_dict(compute(period, compare=False))
    erase_person(claude, actor=EditorFactory())
    question = Question.objects.get(title__startswith="Critère bio")
    assert "Dupont" not in question.title and "Dupont" not in question.body
    assert question.author_id == claude.pk and question.answers.count() == 1  # the thread stays
    assert "Dupont" not in question.answers.get().body
    assert "claude.dupont" not in Answer.objects.get(author=claude).body
    assert not Follow.objects.filter(user=claude).exists() and not Preference.objects.filter(user=claude).exists()
    assert Report.objects.get().reporter is None
    attachment = Attachment.objects.get()
    assert "Dupont" not in attachment.name and "Dupont" not in attachment.file.name
    assert attachment.file.read() == b"%PDF-1.4"
    after = as_dict(compute(period, compare=False))
    assert {k: v for k, v in after["figures"].items() if k.startswith("exchange")} == {
        k: v for k, v in before["figures"].items() if k.startswith("exchange")
    }
