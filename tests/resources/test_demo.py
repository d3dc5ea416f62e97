"""The demo library: every group with pilot and participants, guides with criteria, the three
best-practice examples of the issue, members-only minutes and documents, FAQ, helpdesk threads."""

from io import StringIO

from django.core.management import call_command

from wagtail.models import CollectionViewRestriction, PageViewRestriction

import pytest

from helpdesk.models import FaqEntry, Message, Question
from resources.models import ExamplePage, GuidePage, MinutesPage, ResourcePage, TenderTemplatePage
from resources.services import MEMBERS_COLLECTION
from workinggroups.demo import GROUPS
from workinggroups.models import WorkingGroupPage

pytestmark = pytest.mark.django_db


def test_demo_library(demo_site, client):
    groups = WorkingGroupPage.objects.all()
    assert groups.count() == len(GROUPS) == 18
    assert not groups.filter(pilot_organisation__isnull=True).exists()
    assert all(group.participants.count() == 5 for group in groups)

    results = set(ExamplePage.objects.values_list("result", flat=True))
    assert any("30 % de la note" in r for r in results)
    assert {p.slug for p in ExamplePage.objects.all()} == {
        "accord-cadre-papier-reprographie",
        "produits-bio-restauration-scolaire",
        "nettoyage-faible-impact-volet-social",
    }
    guide = GuidePage.objects.get(slug="guide-restauration-collective-durable")
    criteria = [c for block in guide.body if block.block_type == "section" for c in block.value["criteria"]]
    assert {c["placement"] for c in criteria} == {"technical_specification", "award"}
    assert TenderTemplatePage.objects.count() == 2

    for minutes in MinutesPage.objects.all():
        assert PageViewRestriction.objects.filter(page=minutes).exists()
    assert CollectionViewRestriction.objects.filter(collection__name=MEMBERS_COLLECTION).exists()
    assert FaqEntry.objects.filter(published=True).count() == 4
    assert Question.objects.answered().count() == 1

    assert client.get("/ressources/").status_code == 200
    assert client.get("/groupes-de-travail/construction/").status_code == 200
    assert client.get("/ressources/faq/").status_code == 200


def test_demo_is_idempotent_for_the_library_and_helpdesk(demo_site):
    def counts():
        return [
            ResourcePage.objects.count(),
            PageViewRestriction.objects.count(),
            FaqEntry.objects.count(),
            Question.objects.count(),
            Message.objects.count(),
            WorkingGroupPage.participants.through.objects.count(),
        ]

    first = counts()
    call_command("load_demo", "--force", stdout=StringIO())
    assert counts() == first
