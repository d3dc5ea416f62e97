from io import StringIO

from django.apps import apps
from django.core.management import call_command

from wagtail.models import Page, PageViewRestriction

import pytest

from members.models import Organisation, User

PROJECT_APPS = {
    "wagtailcore",
    "wagtaildocs",
    "members",
    "home",
    "workinggroups",
    "sectors",
    "events",
    "registrations",
    "trainings",
    "payments",
    "resources",
    "helpdesk",
    "timesheets",
    "search",
}
HISTORY_MODELS = {"revision", "pagelogentry", "modellogentry"}


def _row_counts():
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS and model._meta.model_name not in HISTORY_MODELS:
            counts[model._meta.label] = model.objects.count()
    return counts


@pytest.mark.django_db
def test_load_demo_is_idempotent(demo_site):
    first = _row_counts()
    call_command("load_demo", "--force", stdout=StringIO())
    assert _row_counts() == first


@pytest.mark.django_db
def test_demo_content_is_realistic(demo_site):
    from workinggroups.models import WorkingGroupPage

    assert Organisation.objects.current_members().count() >= 30
    assert set(Organisation.objects.values_list("region", flat=True)) >= {"pdl", "bre", "cvl"}
    construction = WorkingGroupPage.objects.get(slug="construction")
    assert construction.periods_display == "2011–2013, depuis 2021"
    assert WorkingGroupPage.objects.count() == 18
    for email in ("admin@reseco.fr", "editeur@reseco.fr", "membre@nantes.fr", "fournisseur@textiles-ouest.fr"):
        assert User.objects.get(email=email).check_password("reseco-demo-2026")
    members_area = Page.objects.get(slug="espace-membres")
    assert PageViewRestriction.objects.filter(page=members_area, groups__name="Membres").exists()
    _legal_pages_have_real_content()


def _legal_pages_have_real_content():
    """Issue 14: the legal pages were three lines each."""
    from home.models import StandardPage

    expected = {
        "mentions-legales": ["Éditeur", "Directeur de la publication", "Hébergement", "Réutilisation"],
        "donnees-personnelles": [
            "Responsable du traitement",
            "Régimes alimentaires et allergies",
            "Vos droits",
            "CNIL",
        ],
        "accessibilite": ["partiellement conforme", "Contenus non accessibles", "accessibilite@reseco.fr", "Défenseur"],
    }
    for slug, phrases in expected.items():
        page = StandardPage.objects.get(slug=slug)
        text = " ".join(str(block.value) for block in page.body)
        assert page.intro and all(phrase in text for phrase in phrases), slug
        assert len(text) > 1500, slug


@pytest.mark.django_db
def test_load_demo_shows_progress(home_page):
    from io import StringIO

    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "groupes de travail" in out.getvalue()
    assert "Site de démonstration prêt." in out.getvalue()


@pytest.mark.django_db
def test_demo_is_searchable_when_load_demo_ends_and_a_second_start_skips_it(home_page, settings):
    """With the real task queue (as `make run` has it), the search index is filled by the time
    `load_demo` ends, nothing is left waiting for the worker; a second start does nothing."""
    import time

    from django_tasks_db.models import DBTaskResult

    from home.models import DemoVersion

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("load_demo", stdout=StringIO())
    assert DemoVersion.objects.count() == 1
    assert not DBTaskResult.objects.filter(task_path__startswith="modelsearch").exists()
    assert Page.objects.live().search("restauration collective").count() > 0
    first = _row_counts()
    out = StringIO()
    started = time.monotonic()
    call_command("load_demo", stdout=out)
    assert time.monotonic() - started < 5
    assert "déjà chargé" in out.getvalue() and "groupes de travail" not in out.getvalue()
    assert _row_counts() == first


def _missing_files():
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    files = [*get_image_model().objects.all(), *get_document_model().objects.all()]
    assert files, "the demo has images and documents"
    return [item.file.name for item in files if not item.file.storage.exists(item.file.name)]


@pytest.mark.postgres  # the shared dump is PostgreSQL's; SQLite loads the demo again each time
@pytest.mark.django_db
def test_each_restore_of_the_demo_brings_its_files(demo_site, demo_snapshot):
    """xdist's workers share one dump of the demo but each has its own MEDIA_ROOT: a restored
    image row without its file renders as /media/not-found/. A test that deletes a file (as an
    erasure does) must not take it from the next test either."""
    from wagtail.images import get_image_model

    assert _missing_files() == []
    image = get_image_model().objects.first()
    image.file.storage.delete(image.file.name)
    assert _missing_files() == [image.file.name]
    demo_snapshot.restore_in_transaction()
    assert _missing_files() == []
