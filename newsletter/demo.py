"""Demo: the archive /lettre/, two issues already sent (with their deliveries, so the activity
report counts them), a third drafted, and a few public subscribers with their consents."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from home.models import HomePage
from resources.models import ResourcePage
from workinggroups.models import WorkingGroupPage

from .models import (
    Consent,
    ConsentAction,
    ConsentSource,
    Delivery,
    DeliveryStatus,
    NewsletterIndexPage,
    NewsletterIssuePage,
    Sending,
    SendingStatus,
    Subscriber,
    SubscriberStatus,
)
from .queries import recipients

SUBSCRIBERS = [
    ("claire.martin@exemple.fr", SubscriberStatus.ACTIVE, 200),
    ("achats@cc-pays-de-retz.exemple.fr", SubscriberStatus.ACTIVE, 150),
    ("julien.le-goff@exemple.bzh", SubscriberStatus.ACTIVE, 90),
    ("direction.achats@chu-exemple.fr", SubscriberStatus.ACTIVE, 40),
    ("m.bernard@exemple.fr", SubscriberStatus.UNSUBSCRIBED, 120),
    ("nouvelle.abonnee@exemple.fr", SubscriberStatus.PENDING, 1),
]


def _body(resource, group, *, members_news):
    body = [
        (
            "editorial",
            {
                "heading": "Éditorial",
                "text": (
                    "<p>Les acheteurs du réseau ont inscrit cette année des clauses sociales dans plus de "
                    "quarante marchés. Merci à toutes celles et ceux qui partagent leurs pièces de marché : "
                    "c'est ce qui permet aux autres de se lancer.</p>"
                ),
                "members_only": False,
            },
        ),
    ]
    if resource:
        body.append(
            (
                "resource",
                {
                    "resource": resource.pk,
                    "comment": "Des critères prêts à l'emploi, vérifiés par le groupe de travail.",
                    "members_only": False,
                },
            )
        )
    body += [
        ("agenda", {"heading": "Prochains rendez-vous", "days": 60, "members_only": False}),
        ("new_resources", {"heading": "Nouvelles ressources", "members_only": False}),
    ]
    if group:
        body.append(
            (
                "group_news",
                {
                    "group": group.pk,
                    "text": "<p>Le groupe a validé sa feuille de route et cherche deux collectivités "
                    "pour tester une grille d'analyse des offres.</p>",
                    "members_only": False,
                },
            )
        )
    if members_news:
        body.append(
            (
                "editorial",
                {
                    "heading": "Réservé aux membres : retour sur l'enquête tarifaire",
                    "text": "<p>Les prix relevés par les membres pour les denrées bio sont en ligne dans "
                    "l'espace membres, avec les noms des titulaires.</p>",
                    "members_only": True,
                },
            )
        )
    body.append(
        (
            "call_to_action",
            {
                "text": "Une question sur un marché en préparation ? L'équipe vous répond.",
                "button": "Poser une question",
                "url": "https://reseco.fr/assistance/",
                "members_only": False,
            },
        )
    )
    return [{"type": kind, "value": value} for kind, value in body]


def _send(issue, when):
    """Records a finished sending of ``issue`` (the demo sends nothing)."""
    sending = Sending.objects.filter(issue=issue).first()
    if sending is None:
        sending = Sending.objects.create(
            issue=issue,
            revision=issue.live_revision,
            status=SendingStatus.DONE,
            scheduled_at=when,
            started_at=when,
            finished_at=when + datetime.timedelta(minutes=12),
        )
    chosen = recipients(issue)
    Delivery.objects.bulk_create(
        [
            Delivery(sending=sending, email=email, members_copy=members, status=DeliveryStatus.SENT, sent_at=when)
            for email, members in chosen.items()
        ],
        ignore_conflicts=True,
    )
    sending.recipients_count = Delivery.objects.filter(sending=sending).count()
    sending.save(update_fields=["recipients_count"])
    return sending


def load(demo):
    home = HomePage.objects.first()
    index = demo.child_page(
        home,
        NewsletterIndexPage,
        "lettre",
        title="La lettre RESECO",
        intro="<p>Chaque mois, les nouvelles du réseau, les prochains rendez-vous et les ressources publiées "
        "pour des achats publics durables.</p>",
    )
    now = timezone.now()
    for address, status, days in SUBSCRIBERS:
        at = now - datetime.timedelta(days=days)
        subscriber, created = Subscriber.objects.get_or_create(
            email=address,
            defaults={
                "status": status,
                "public_letter": status != SubscriberStatus.UNSUBSCRIBED,
                "members_letters": status != SubscriberStatus.UNSUBSCRIBED,
                "confirmation_sent_at": at,
                "confirmed_at": at if status != SubscriberStatus.PENDING else None,
                "unsubscribed_at": now - datetime.timedelta(days=10)
                if status == SubscriberStatus.UNSUBSCRIBED
                else None,
            },
        )
        if created:
            Consent.objects.create(
                subscriber=subscriber,
                action=ConsentAction.REQUESTED,
                source=ConsentSource.FORM,
                detail="lettre RESECO",
                at=at,
            )
            if status != SubscriberStatus.PENDING:
                Consent.objects.create(
                    subscriber=subscriber,
                    action=ConsentAction.CONFIRMED,
                    source=ConsentSource.EMAIL_LINK,
                    detail="lettre RESECO",
                    at=at,
                )
            if status == SubscriberStatus.UNSUBSCRIBED:
                Consent.objects.create(
                    subscriber=subscriber,
                    action=ConsentAction.UNSUBSCRIBED,
                    source=ConsentSource.ONE_CLICK,
                    detail="toutes les lettres",
                    at=subscriber.unsubscribed_at,
                )
    demo.step(f"lettre : {len(SUBSCRIBERS)} abonnés publics (un en attente, un désabonné)")

    member = get_user_model().objects.filter(email="membre@rennes.fr", is_active=True).first()
    if member is not None and not Subscriber.objects.filter(user=member).exists():
        Subscriber.objects.update_or_create(
            email=member.email.lower(),
            defaults={"user": member, "status": SubscriberStatus.ACTIVE, "public_letter": True, "confirmed_at": now},
        )

    resources = list(ResourcePage.objects.live().order_by("-first_published_at")[:2])
    groups = list(WorkingGroupPage.objects.live().order_by("title")[:2])
    today = timezone.localdate()
    issues = [
        ("lettre-octobre", "N° 12 – Les clauses sociales font école", today - datetime.timedelta(days=45), 1, True),
        (
            "lettre-novembre",
            "N° 13 – Restauration collective : un an d'EGalim",
            today - datetime.timedelta(days=12),
            0,
            True,
        ),
    ]
    for slug, title, day, n, sent in issues:
        issue = demo.child_page(
            index,
            NewsletterIssuePage,
            slug,
            title=title,
            issue_date=day,
            summary="Les nouvelles du réseau RESECO : rendez-vous, ressources et groupes de travail.",
            body=_body(
                resources[n] if len(resources) > n else None,
                groups[n] if len(groups) > n else None,
                members_news=n == 0,
            ),
        )
        if sent:
            _send(issue, timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))))
    demo.step(f"lettre : {len(issues)} numéros envoyés dans /lettre/")
