"""Factories for the newsletter: the archive page, issues, subscribers."""

import datetime

import factory
import pytest
import wagtail_factories
from factory.django import DjangoModelFactory

from newsletter.models import NewsletterIndexPage, NewsletterIssuePage, Subscriber, SubscriberStatus


class NewsletterIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsletterIndexPage

    title = "La lettre RESECO"
    slug = "lettre"


class NewsletterIssuePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsletterIssuePage

    title = factory.Sequence(lambda n: f"Lettre n° {n}")
    issue_date = factory.LazyFunction(datetime.date.today)
    summary = "Les nouvelles du réseau."
    to_subscribers = True
    to_members = True


class SubscriberFactory(DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"abonne{n}@exemple.fr")
    status = SubscriberStatus.ACTIVE
    public_letter = True
    confirmed_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


def body(*blocks):
    """Raw StreamField data: ("editorial", "<p>…</p>", members_only) or (type, value dict)."""
    data = []
    for block in blocks:
        kind, value = block[0], block[1]
        if kind == "editorial":
            value = {"heading": "", "text": value, "members_only": block[2] if len(block) > 2 else False}
        data.append({"type": kind, "value": value})
    return data


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def letter(home_page):
    """A bare site with /lettre/ and one published issue (public text, members-only text)."""
    index = NewsletterIndexPageFactory(parent=home_page)
    issue = NewsletterIssuePageFactory(
        parent=index,
        slug="numero-1",
        title="Lettre n° 1",
        body=body(
            ("editorial", "<p>Texte public du numéro.</p>"),
            ("editorial", "<p>Nouvelle réservée aux membres.</p>", True),
            (
                "call_to_action",
                {"text": "Venez", "button": "S'inscrire", "url": "https://exemple.fr/", "members_only": False},
            ),
        ),
    )
    publish(issue)
    return {"index": index, "issue": NewsletterIssuePage.objects.get(pk=issue.pk), "home": home_page}
