"""Demo: /entraide/ (members only) and a few questions and answers between the demo members
(Ville de Nantes, Rennes Métropole) and the network's staff."""

from datetime import timedelta

from django.utils import timezone

from home.models import HomePage
from members.models import User
from sectors.models import Sector

from .models import Answer, ExchangeIndexPage, Follow, Frequency, Preference, ProcedureType, Question
from .services import restrict_to_members

NANTES, RENNES, STAFF = "membre@nantes.fr", "membre@rennes.fr", "editeur@reseco.fr"

# (author, title, sector, procedure, days ago, deadline in days or None, body, answers)
# answers: (author, hours after the question, helpful, body)
THREADS = [
    (
        NANTES,
        "Clause d'insertion en restauration collective : combien d'heures demander ?",
        "clauses-sociales",
        ProcedureType.OPEN,
        40,
        None,
        "Nous relançons le marché de préparation des repas de nos 45 écoles (environ 2,1 M€ HT par an). "
        "Nous voulons une clause d'insertion en condition d'exécution. Combien d'heures avez-vous demandé "
        "pour un marché de cette taille, et comment le suivi se passe-t-il avec le facilitateur ?",
        [
            (
                RENNES,
                5,
                True,
                "Nous demandons 5 % des heures de main-d'œuvre estimées, soit environ 4 000 heures par an pour "
                "un marché comparable. Le facilitateur de la Maison de l'emploi vérifie les heures chaque "
                "trimestre ; prévoyez une pénalité modérée et un bilan annuel en comité de suivi.",
            ),
            (
                STAFF,
                20,
                False,
                "Le guide « Clauses sociales » du réseau propose un tableau de calcul des heures et un modèle "
                "d'article pour le CCAP. Pensez aussi au marché réservé pour un lot (art. L2113-13).",
            ),
        ],
    ),
    (
        RENNES,
        "Papier recyclé : quel label exiger sans restreindre la concurrence ?",
        "impression",
        ProcedureType.MAPA,
        25,
        None,
        "Pour notre accord-cadre de papier de reprographie (MAPA, 90 000 € HT sur quatre ans), nous voulons "
        "100 % de fibres recyclées. Peut-on exiger l'Ange bleu ou l'Écolabel européen ?",
        [
            (
                NANTES,
                3,
                True,
                "Oui, à condition d'accepter tout label équivalent et tout autre moyen de preuve (fiche technique, "
                "certificat de la papeterie). Nous avons exigé les caractéristiques de l'Ange bleu dans le CCTP "
                "et reçu cinq offres conformes.",
            ),
        ],
    ),
    (
        NANTES,
        "EGalim dans un accord-cadre de denrées : comment suivre les 50 % de produits durables ?",
        "alimentation-restauration",
        ProcedureType.FRAMEWORK,
        6,
        21,
        "Notre cuisine centrale passe un accord-cadre à bons de commande. Comment demandez-vous aux "
        "titulaires de justifier la part de produits durables et bio, commande par commande ?",
        [
            (
                RENNES,
                30,
                False,
                "Nous exigeons un relevé trimestriel par famille de produits, avec le signe de qualité de chaque "
                "référence, dans un format tableur imposé en annexe du CCAP.",
            ),
        ],
    ),
    (
        RENNES,
        "Vêtements de travail : un critère sur les fibres recyclées est-il pertinent ?",
        "textiles",
        ProcedureType.NOT_CHOSEN,
        2,
        30,
        "Nous préparons le renouvellement des tenues des agents techniques. Avez-vous noté la part de fibres "
        "recyclées, ou plutôt la durabilité (nombre de lavages) ?",
        [],
    ),
]


def load(demo):
    home = HomePage.objects.first()
    page = demo.child_page(
        home,
        ExchangeIndexPage,
        "entraide",
        title="Entraide entre membres",
        intro="<p>Posez vos questions sur un achat ou un marché en cours : les acheteurs des collectivités "
        "membres vous répondent. Espace réservé aux membres du réseau.</p>",
    )
    restrict_to_members(page)
    demo.step("entraide entre membres (/entraide/, réservée aux membres)")

    people = {u.email: u for u in User.objects.filter(email__in=[NANTES, RENNES, STAFF], is_active=True)}
    if NANTES not in people or RENNES not in people:
        return  # an erased demo account stays erased: no post in its name
    sectors = {s.slug: s for s in Sector.objects.all()}
    now = timezone.now()
    for author, title, sector, procedure, days_ago, deadline, body, answers in THREADS:
        asked_at = now - timedelta(days=days_ago)
        question, created = Question.objects.get_or_create(
            author=people[author],
            title=title,
            defaults={
                "organisation": people[author].organisation,
                "sector": sectors[sector],
                "procedure_type": procedure,
                "deadline": (now + timedelta(days=deadline)).date() if deadline else None,
                "body": body,
            },
        )
        if not created:
            continue
        last, first = asked_at, None
        for answer_author, hours, helpful, text in answers:
            if answer_author not in people:
                continue
            reply = Answer.objects.create(
                question=question,
                author=people[answer_author],
                organisation=people[answer_author].organisation,
                body=text,
                helpful=helpful,
            )
            last = asked_at + timedelta(hours=hours)
            first = first or last
            Answer.objects.filter(pk=reply.pk).update(created_at=last)
        Question.objects.filter(pk=question.pk).update(
            created_at=asked_at, last_activity_at=last, first_answer_at=first
        )
        Follow.objects.get_or_create(user=people[author], question=question)
    Follow.objects.get_or_create(user=people[NANTES], sector=sectors["alimentation-restauration"])
    Follow.objects.get_or_create(user=people[NANTES], sector=sectors["clauses-sociales"])
    Preference.objects.get_or_create(
        user=people[NANTES], defaults={"frequency": Frequency.DAILY, "last_digest_at": now}
    )
    Follow.objects.get_or_create(user=people[RENNES], question=None, sector=None)
    demo.step(f"entraide : {len(THREADS)} questions entre Nantes et Rennes")
