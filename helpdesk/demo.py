"""Demo: the public FAQ and two helpdesk threads of the Nantes member (one answered)."""

from members.models import User
from resources.models import ResourceIndexPage
from search.permissions import grant_editor_permissions
from sectors.models import Sector

from .models import FaqEntry, FaqPage, Message, Question, QuestionStatus

FAQ = [
    (
        "Peut-on exiger un label précis dans un cahier des charges ?",
        "<p>Oui, à condition d'accepter tout label équivalent et tout autre moyen de preuve approprié "
        "(art. R2111-12 à R2111-17 du code de la commande publique).</p>",
        "politique-achat",
    ),
    (
        "Comment favoriser les produits locaux en restauration scolaire sans critère géographique ?",
        "<p>Le critère d'origine locale est interdit. Allotissez finement, exigez la fraîcheur, la saisonnalité "
        "et des circuits courts (un intermédiaire au plus) : ces critères sont licites.</p>",
        "alimentation-restauration",
    ),
    (
        "Quelle pondération donner au critère environnemental ?",
        "<p>Il n'y a pas de minimum légal ; le réseau constate qu'en dessous de 15 % le critère départage "
        "rarement les offres. Plusieurs membres retiennent 20 à 30 %.</p>",
        "politique-achat",
    ),
    (
        "Une clause d'insertion est-elle possible dans un marché de nettoyage ?",
        "<p>Oui, en condition d'exécution (art. L2112-2) : un nombre d'heures réservées à des personnes "
        "éloignées de l'emploi, suivi par un facilitateur.</p>",
        "nettoyage",
    ),
]

THREADS = [
    (
        "Critère bio et lots pour la cuisine centrale",
        "alimentation-restauration",
        "Marché de denrées de la cuisine centrale, 1,2 M€ HT par an, appel d'offres ouvert, lancement en mars.",
        "Comment allotir pour atteindre 20 % de bio sans exclure nos producteurs locaux ?",
        "Allotissez par famille de produits (légumes, laitages, viande) et créez des lots bio dédiés. "
        "Le guide « Une restauration collective durable » du réseau donne des critères prêts à l'emploi.",
    ),
    (
        "Réemploi de mobilier de bureau",
        "bois-mobilier",
        "Renouvellement du mobilier de deux étages de bureaux, procédure adaptée, environ 80 000 € HT.",
        "Peut-on réserver un lot au mobilier de réemploi ?",
        None,
    ),
]


def load(demo):
    grant_editor_permissions()
    index = ResourceIndexPage.objects.get()
    demo.child_page(
        index,
        FaqPage,
        "faq",
        title="Questions fréquentes",
        intro="<p>Les questions posées à l'assistance du réseau, anonymisées, avec la réponse de l'équipe.</p>",
    )
    sectors = {s.slug: s for s in Sector.objects.all()}
    for question, answer, sector in FAQ:
        FaqEntry.objects.update_or_create(
            question=question, defaults={"answer": answer, "sector": sectors[sector], "published": True}
        )
    demo.step(f"FAQ : {len(FAQ)} questions publiées")

    member = User.objects.filter(email="membre@nantes.fr", is_active=True).first()
    staff = User.objects.filter(email="editeur@reseco.fr").first()
    if member is None or staff is None:
        return  # an erased demo account stays erased (members/demo.py): no thread in its name
    for topic, sector, context, body, answer in THREADS:
        question, created = Question.objects.get_or_create(
            author=member,
            topic=topic,
            defaults={"organisation": member.organisation, "sector": sectors[sector], "tender_context": context},
        )
        if created:
            Message.objects.create(question=question, author=member, body=body)
            if answer:
                message = Message.objects.create(question=question, author=staff, body=answer, from_staff=True)
                question.status, question.answered_at = QuestionStatus.ANSWERED, message.created_at
                question.save(update_fields=["status", "answered_at"])
    demo.step(f"assistance : {len(THREADS)} fils de questions (membre@nantes.fr)")
