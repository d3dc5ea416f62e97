"""The members' exchange: who may read and post, asking and answering with e-mails to the right
people, helpful answers, follows, digests run twice, bad input (French message, 4xx, nothing
lost) and listings in a fixed number of queries."""

import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from exchange import digests
from exchange.models import Answer, Attachment, ExchangeIndexPage, Follow, Frequency, Notice, Preference, Question
from exchange.services import set_frequency
from home.models import HomePage
from sectors.models import Sector
from tests.factories import EditorFactory, MemberFactory, SupplierContactFactory, UserFactory
from tests.factories.exchange import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% cahier des charges\n"


def sector(slug="alimentation-restauration"):
    return Sector.objects.get(slug=slug)


def form(**extra):
    data = {
        "title": "Clause sociale en restauration collective",
        "sector": sector().pk,
        "procedure_type": "ao-ouvert",
        "deadline": "",
        "body": "Combien d'heures d'insertion demander pour 2 M€ HT par an ?",
    }
    data.update(extra)
    return data


def test_page_tree(exchange_page):
    assert ExchangeIndexPage.max_count == 1
    assert ExchangeIndexPage.parent_page_types == ["home.HomePage"]
    assert ExchangeIndexPage.subpage_types == []
    assert exchange_page.get_view_restrictions().exists()  # members-only once published
    assert ExchangeIndexPage in HomePage.allowed_subpage_models()
    assert not ExchangeIndexPage.can_create_at(HomePage.objects.get())  # one only, and it exists


def test_absent_from_public_sitemap_and_search(client, exchange_page, library):
    QuestionFactory(title="Clause d'insertion et restauration")
    assert "/entraide/" not in client.get("/sitemap.xml").content.decode()
    assert "/entraide/" not in client.get("/plan-du-site/").content.decode()
    assert "/entraide/questions/" not in client.get("/recherche/", {"q": "insertion"}).content.decode()


def test_visitor_is_sent_to_log_in(client, exchange_page):
    for response in (
        client.get("/entraide/"),
        client.get("/entraide/poser/"),
        client.post("/entraide/poser/", form()),
        client.get(f"/entraide/questions/{QuestionFactory().pk}/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")
    assert Question.objects.count() == 1  # the factory's, no other


@pytest.mark.parametrize("make_user", [SupplierContactFactory, UserFactory])
def test_suppliers_and_non_members_are_refused_in_french(client, exchange_page, make_user):
    question = QuestionFactory()
    client.force_login(make_user())
    for response in (
        client.get("/entraide/"),
        client.post("/entraide/poser/", form()),
        client.get(f"/entraide/questions/{question.pk}/"),
        client.post(f"/entraide/questions/{question.pk}/", {"body": "Réponse"}),
    ):
        assert response.status_code == 403
        assert "réservée aux agents des collectivités membres" in response.content.decode()
    assert Question.objects.count() == 1 and not Answer.objects.exists()


def test_views_refuse_non_members_even_without_the_page_restriction(client, exchange_page):
    exchange_page.get_view_restrictions().delete()
    client.force_login(SupplierContactFactory())
    response = client.get("/entraide/")
    assert response.status_code == 403 and "réservé" in response.content.decode()


def test_member_asks_and_sector_followers_are_told_at_once(client, exchange_page, django_capture_on_commit_callbacks):
    author = MemberFactory()
    at_once, everything, digest, other_sector = MemberFactory(), MemberFactory(), MemberFactory(), MemberFactory()
    former = UserFactory()  # follows, but is no longer a member
    Follow.objects.create(user=at_once, sector=sector())
    Follow.objects.create(user=everything)
    Follow.objects.create(user=digest, sector=sector())
    set_frequency(digest, Frequency.DAILY)
    Follow.objects.create(user=other_sector, sector=sector("textiles"))
    Follow.objects.create(user=former, sector=sector())
    Follow.objects.create(user=author, sector=sector())
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/entraide/poser/", form(attachments=[SimpleUploadedFile("ccap.pdf", PDF)]))
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/entraide/questions/{question.pk}/"
    assert question.author == author and question.organisation == author.organisation
    assert Attachment.objects.get().name == "ccap.pdf"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([at_once.email, everything.email])
    assert "Clause sociale" in mail.outbox[0].subject and f"/entraide/questions/{question.pk}/" in mail.outbox[0].body
    assert Follow.objects.filter(user=author, question=question).exists()  # the author follows their question
    page = client.get(response["Location"]).content.decode()
    assert "Combien d&#x27;heures" in page and "ccap.pdf" in page
    # the attachment is for members only
    attachment = Attachment.objects.get()
    assert client.get(f"/entraide/pieces-jointes/{attachment.pk}/").status_code == 200
    client.force_login(SupplierContactFactory())
    assert client.get(f"/entraide/pieces-jointes/{attachment.pk}/").status_code == 403


def test_answer_reaches_author_and_followers_never_its_writer(
    client, exchange_page, django_capture_on_commit_callbacks
):
    question = QuestionFactory()
    follower, writer = MemberFactory(), MemberFactory()
    Follow.objects.create(user=follower, question=question)
    Follow.objects.create(user=writer, question=question)
    Follow.objects.create(user=MemberFactory(), sector=question.sector)  # sector followers get new questions only
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/entraide/questions/{question.pk}/", {"body": "Nous demandons 5 % des heures."})
    answer = Answer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#reponse-{answer.pk}")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([question.author.email, follower.email])
    question.refresh_from_db()
    assert question.first_answer_at == answer.created_at


def test_only_the_author_marks_helpful_answers(client, exchange_page):
    answer = AnswerFactory()
    question = answer.question
    client.force_login(MemberFactory())
    response = client.post(f"/entraide/reponses/{answer.pk}/utile/", {"utile": "1"})
    assert response.status_code == 403
    assert "Seul l&#x27;auteur de la question" in response.content.decode()
    answer.refresh_from_db()
    assert not answer.helpful
    client.force_login(question.author)
    assert client.post("/entraide/reponses/999999/utile/").status_code == 404  # forged id
    assert client.get(f"/entraide/reponses/{answer.pk}/utile/").status_code == 405
    response = client.post(f"/entraide/reponses/{answer.pk}/utile/", {"utile": "1"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.helpful
    listing = client.get("/entraide/").content.decode()
    assert "résolue" in listing


def test_follow_a_question_a_sector_or_everything(client, exchange_page):
    member = MemberFactory()
    question = QuestionFactory()
    client.force_login(member)
    client.post(f"/entraide/questions/{question.pk}/suivre/", {"suivre": "1"})
    client.post(f"/entraide/questions/{question.pk}/suivre/", {"suivre": "1"})  # twice: one row
    assert Follow.objects.filter(user=member, question=question).count() == 1
    assert "Ne plus suivre" in client.get(f"/entraide/questions/{question.pk}/").content.decode()
    response = client.post(
        "/entraide/abonnements/",
        {"everything": "on", "sectors": [sector().pk, sector("textiles").pk], "frequency": "weekly"},
    )
    assert response.status_code == 302
    assert set(Follow.objects.filter(user=member, question=None).values_list("sector__slug", flat=True)) == {
        None,
        "alimentation-restauration",
        "textiles",
    }
    assert Preference.objects.get(user=member).frequency == Frequency.WEEKLY
    client.post("/entraide/abonnements/", {"sectors": [sector("textiles").pk], "frequency": "daily"})
    assert list(Follow.objects.filter(user=member, question=None).values_list("sector__slug", flat=True)) == [
        "textiles"
    ]
    account = client.get("/compte/").content.decode()
    assert "Entraide entre membres" in account and "Un récapitulatif par jour" in account
    # forged values
    response = client.post("/entraide/abonnements/", {"sectors": ["999999"], "frequency": "hourly"})
    assert response.status_code == 400 and "Choisissez une fréquence dans la liste" in response.content.decode()
    assert Preference.objects.get(user=member).frequency == Frequency.DAILY


def test_digest_is_sent_once_even_when_run_twice(django_capture_on_commit_callbacks):
    reader = MemberFactory()
    Follow.objects.create(user=reader, sector=sector())
    set_frequency(reader, Frequency.DAILY)
    Preference.objects.filter(user=reader).update(last_digest_at=timezone.now() - datetime.timedelta(days=1, hours=1))
    asked = [QuestionFactory(title="Critère bio et circuits courts"), QuestionFactory(title="Papier recyclé")]
    QuestionFactory(sector=sector("textiles"))  # not followed
    QuestionFactory(author=reader)  # their own
    QuestionFactory(hidden=True)  # moderated
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_exchange_digests")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_exchange_digests")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [reader.email] and "2 nouvelles questions aujourd'hui" in digest.subject
    assert "Critère bio et circuits courts" in digest.body and f"/entraide/questions/{asked[1].pk}/" in digest.body
    assert Notice.objects.filter(user=reader, in_digest=True).count() == 2
    # a day later, a new question only
    QuestionFactory(title="Nouvelle question du lendemain")
    later = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digests.send_digests(now=later) == 1
    assert "Nouvelle question du lendemain" in mail.outbox[-1].body and "Papier" not in mail.outbox[-1].body
    assert digests.send_digests(now=later) == 0


def test_digest_job_is_a_periodic_job():
    from home.management.commands.run_periodic_jobs import periodic_commands

    assert "send_exchange_digests" in periodic_commands()


# ------------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": ""}, "Champ requis"),
        ({"title": "   ", "body": "\n\t "}, "Champ requis"),
        ({"body": "Texte avec un octet nul \x00"}, "Requête invalide"),  # the site's middleware refuses it
        ({"title": "x" * 201}, "trop long"),
        ({"body": "x" * 8001}, "trop long"),
        ({"body": "Voyez https://a.fr https://b.fr www.c.fr http://d.fr/x"}, "contient 4 liens : 3 au plus"),
        ({"sector": "999999"}, "Sélectionnez un choix valide"),
        ({"procedure_type": "gré-à-gré"}, "Sélectionnez un choix valide"),
        ({"deadline": "31/02/2027"}, "Saisissez une date valide"),
        ({"attachments": [SimpleUploadedFile("virus.exe", b"MZ")]}, "seuls les fichiers PDF"),
        ({"attachments": [SimpleUploadedFile("faux.pdf", b"pas un pdf")]}, "n&#x27;est pas un vrai fichier PDF"),
        ({"attachments": [SimpleUploadedFile("gros.pdf", PDF + b"0" * (10 * 1024 * 1024))]}, "la limite est de"),
    ],
)
def test_bad_questions_are_refused_in_french_and_nothing_is_lost(client, exchange_page, data, message):
    client.force_login(MemberFactory())
    response = client.post("/entraide/poser/", form(**data))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not Question.objects.exists() and not Attachment.objects.exists()
    kept = data["body"] if "body" in data else form()["body"]
    if kept.strip() and "\x00" not in kept and len(kept) < 8001:
        assert kept.replace("'", "&#x27;") in page  # what was typed is given back


def test_hostile_html_is_shown_as_text(client, exchange_page):
    client.force_login(MemberFactory())
    client.post("/entraide/poser/", form(title="<img src=x onerror=alert(1)>", body="<script>alert('x')</script>"))
    question = Question.objects.get()
    page = client.get(f"/entraide/questions/{question.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page


def test_bad_answers_and_reports(client, exchange_page):
    question = QuestionFactory()
    client.force_login(MemberFactory())
    response = client.post(f"/entraide/questions/{question.pk}/", {"body": ""})
    assert response.status_code == 400 and "Écrivez votre réponse" in response.content.decode()
    links = " ".join(f"https://spam{i}.example.com" for i in range(10))
    response = client.post(f"/entraide/questions/{question.pk}/", {"body": links})
    assert response.status_code == 400 and "10 liens" in response.content.decode()
    assert client.post("/entraide/questions/999999/", {"body": "ok"}).status_code == 404
    assert client.get("/entraide/questions/abc/").status_code == 404
    assert client.post("/entraide/signaler/reponse/999999/", {"reason": "spam"}).status_code == 404
    response = client.post(f"/entraide/signaler/question/{question.pk}/", {"reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in response.content.decode()
    assert client.post(f"/entraide/signaler/question/{question.pk}/", {"reason": "Publicité"}).status_code == 302
    response = client.post(f"/entraide/signaler/question/{question.pk}/", {"reason": "Encore"})
    assert response.status_code == 400 and "déjà signalé" in response.content.decode()
    assert not Answer.objects.exists() and question.reports.count() == 1
    assert client.get("/entraide/?secteur=inconnu").status_code == 400
    assert client.get("/entraide/?page=999").status_code == 400


def test_listing_costs_the_same_for_10_and_100_questions(client, exchange_page):
    member = MemberFactory()
    client.force_login(member)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/entraide/").status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            AnswerFactory(question=QuestionFactory(author=member), author=member)

    add(10)
    client.get("/entraide/")
    ten = count()
    add(90)
    assert count() == ten
    question = Question.objects.first()
    AnswerFactory.create_batch(3, question=question)

    def thread_count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/entraide/questions/{question.pk}/").status_code == 200
        return len(queries)

    few = thread_count()
    AnswerFactory.create_batch(20, question=question)
    assert thread_count() == few


def test_moderation_and_publication(client, exchange_page, library):
    question = QuestionFactory(
        body="Bonjour, ici Camille à la mairie.", author=MemberFactory(first_name="Camille", last_name="Rivière")
    )
    answer = AnswerFactory(question=question, body=f"Demandez à {question.organisation.name}, Camille Rivière.")
    member = MemberFactory()
    client.force_login(member)
    client.post(f"/entraide/signaler/reponse/{answer.pk}/", {"reason": "Donnée personnelle"})
    editor = EditorFactory()
    client.force_login(editor)
    reports = client.get("/admin/entraide/").content.decode()
    assert "Donnée personnelle" in reports
    assert client.get(f"/admin/entraide/questions/{question.pk}/").status_code == 200
    response = client.post(f"/admin/entraide/moderer/reponse/{answer.pk}/", {"action": "hide", "reason": ""})
    answer.refresh_from_db()
    assert not answer.hidden  # a reason is required
    client.post(f"/admin/entraide/moderer/reponse/{answer.pk}/", {"action": "hide", "reason": "Nom cité"})
    answer.refresh_from_db()
    assert answer.hidden and answer.moderation.get().reason == "Nom cité"
    assert answer.reports.get().handled_by == editor
    client.post(
        f"/admin/entraide/moderer/reponse/{answer.pk}/", {"action": "show", "reason": "Rétabli après relecture"}
    )
    client.post(
        f"/admin/entraide/moderer/reponse/{answer.pk}/",
        {"action": "edit", "reason": "Nom retiré", "text": "Demandez au service achats."},
    )
    answer.refresh_from_db()
    assert not answer.hidden and answer.body == "Demandez au service achats."
    assert answer.moderation.count() == 3 and "Camille Rivière" in answer.moderation.first().previous_text

    # unresolved: refused with a French message
    response = client.post(f"/admin/entraide/questions/{question.pk}/publier/", {"target": "faq", "anonymise": "on"})
    assert not question.answers.filter(helpful=True).exists()
    Answer.objects.filter(pk=answer.pk).update(
        helpful=True, body=f"Voyez avec {question.organisation.name}, Camille Rivière."
    )
    response = client.post(f"/admin/entraide/questions/{question.pk}/publier/", {"target": "faq", "anonymise": "on"})
    from helpdesk.models import FaqEntry

    entry = FaqEntry.objects.get()
    assert response.status_code == 302 and not entry.published
    assert "Rivière" not in entry.answer and question.organisation.name not in entry.answer
    response = client.post(f"/admin/entraide/questions/{question.pk}/publier/", {"target": "resource"})
    from resources.models import ExamplePage

    draft = ExamplePage.objects.get()
    assert not draft.live and draft.buyer == question.organisation.name  # not anonymised on request
    # members no longer see a hidden question
    client.post(f"/admin/entraide/moderer/question/{question.pk}/", {"action": "hide", "reason": "Hors sujet"})
    client.force_login(member)
    assert client.get(f"/entraide/questions/{question.pk}/").status_code == 404


def test_admin_screens_are_for_staff_only(client, exchange_page):
    question = QuestionFactory()
    client.force_login(MemberFactory())
    assert client.get("/admin/entraide/").status_code in (302, 403)
    response = client.post(f"/admin/entraide/moderer/question/{question.pk}/", {"action": "hide", "reason": "x"})
    assert response.status_code in (302, 403)
    question.refresh_from_db()
    assert not question.hidden
