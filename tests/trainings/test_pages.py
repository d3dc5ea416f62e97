import datetime

from django.urls import NoReverseMatch, reverse

import pytest

from registrations.models import Occurrence, OccurrenceStatus, Registration, RegistrationStatus
from sectors.models import Sector
from tests.factories import MemberFactory
from tests.factories.trainings import TrainingPageFactory, add_run, day_at, publish, training_with_runs
from trainings.models import TrainingIndexPage, TrainingPage

pytestmark = pytest.mark.django_db


def test_page_tree(home_page, catalogue_page):
    from home.models import HomePage, StandardPage

    assert TrainingIndexPage.can_create_at(home_page) is False  # max_count = 1, one exists
    assert TrainingPage.can_create_at(catalogue_page)
    assert not TrainingPage.can_create_at(home_page)
    assert catalogue_page.specific_class.allowed_subpage_models() == [TrainingPage]
    assert TrainingPage.allowed_subpage_models() == []
    assert TrainingPage.allowed_parent_page_models() == [TrainingIndexPage]
    assert HomePage in TrainingIndexPage.allowed_parent_page_models()
    assert StandardPage not in TrainingIndexPage.allowed_parent_page_models()


def test_publishing_materialises_each_run_as_a_training_occurrence_with_half_days(catalogue_page):
    page = training_with_runs(catalogue_page, runs=[(30, 3), (90, 1)], audience="members")
    occurrences = list(Occurrence.objects.filter(page=page).order_by("start"))
    assert [o.kind for o in occurrences] == ["training", "training"]
    assert occurrences[0].audience == "members"
    assert occurrences[0].capacity == 20
    assert occurrences[0].location == "Maison de l'ADEME, Angers"
    # Three full days → six half-days; one day → two.
    assert [o.parts.count() for o in occurrences] == [6, 2]
    assert Occurrence.objects.filter(page=page).exclude(key="").count() == 2


def test_moving_a_run_keeps_its_occurrence_and_registrations(catalogue_page, django_capture_on_commit_callbacks):
    from django.core import mail

    page = training_with_runs(catalogue_page, runs=[(30, 3)])
    occurrence = Occurrence.objects.get(page=page)
    person = MemberFactory()
    Registration.objects.create(
        occurrence=occurrence,
        user=person,
        first_name="A",
        last_name="B",
        email=person.email,
        status=RegistrationStatus.CONFIRMED,
    )
    page = TrainingPage.objects.get(pk=page.pk)
    run = page.runs.get()
    run.start, run.end = day_at(40, 9), day_at(42, 17)
    page.runs = [run]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(page)
    assert [m.to for m in mail.outbox] == [[person.email]]  # the registrant gets the new dates
    moved = Occurrence.objects.get(page=page)
    assert moved.pk == occurrence.pk
    assert moved.start == day_at(40, 9)
    assert moved.original_start == occurrence.original_start
    assert moved.sequence == occurrence.sequence + 1
    assert moved.registrations.count() == 1
    assert {p.date for p in moved.parts.all()} == {day_at(d).date() for d in (40, 41, 42)}


def test_republishing_an_old_revision_keeps_the_same_occurrences(catalogue_page):
    page = training_with_runs(catalogue_page, runs=[(30, 2)])
    first_revision = page.latest_revision
    occurrence = Occurrence.objects.get(page=page)
    # A new revision moves the run, then the editor publishes the first revision again.
    page = TrainingPage.objects.get(pk=page.pk)
    run = page.runs.get()
    run.start, run.end = day_at(50, 9), day_at(51, 17)
    page.runs = [run]
    publish(page)
    first_revision.publish()
    again = Occurrence.objects.get(page=page)
    assert again.pk == occurrence.pk
    assert again.start == occurrence.start


def test_removing_a_run_with_registrations_cancels_never_deletes(catalogue_page):
    page = training_with_runs(catalogue_page, runs=[(30, 1), (60, 1)])
    kept, removed = Occurrence.objects.filter(page=page).order_by("start")
    Registration.objects.create(
        occurrence=removed, first_name="A", last_name="B", email="a@b.fr", status=RegistrationStatus.CONFIRMED
    )
    page = TrainingPage.objects.get(pk=page.pk)
    page.runs = [page.runs.order_by("start").first()]
    publish(page)
    removed.refresh_from_db()
    assert removed.status == OccurrenceStatus.CANCELLED
    assert Occurrence.objects.filter(page=page).count() == 2


def test_adding_a_run_later_creates_one_more_occurrence(catalogue_page):
    page = training_with_runs(catalogue_page, runs=[(30, 1)])
    page = TrainingPage.objects.get(pk=page.pk)
    add_run(page, start=day_at(70, 9), end=day_at(70, 17))
    publish(page)
    assert Occurrence.objects.filter(page=page).count() == 2
    assert Occurrence.objects.filter(page=page).exclude(key="").count() == 2


def test_run_end_must_follow_start():
    from django.core.exceptions import ValidationError

    from trainings.models import TrainingRun

    run = TrainingRun(start=day_at(5, 10), end=day_at(5, 9))
    with pytest.raises(ValidationError) as error:
        run.clean()
    assert "end" in error.value.message_dict


def test_training_page_shows_content_runs_and_prices(client, catalogue_page):
    page = training_with_runs(
        catalogue_page,
        runs=[(30, 3), (-30, 1)],
        title="Achats publics durables",
        partner_name="ADEME",
        prerequisites="",
        programme=[
            {
                "type": "day",
                "value": {
                    "title": "Jour 1 : le cadre",
                    "sessions": [
                        {
                            "start": datetime.time(9, 0),
                            "end": datetime.time(12, 30),
                            "title": "Le code de la commande publique",
                            "content": "",
                        }
                    ],
                },
            }
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jour 1 : le cadre" in html and "Le code de la commande publique" in html
    assert "ADEME" in html
    assert "360 € TTC" in html  # 300 HT member price + 20 % VAT
    assert "720 € TTC" in html
    assert "Sessions passées" in html
    assert (
        reverse(
            "payments:start",
            kwargs={"occurrence_id": Occurrence.objects.filter(page=page).order_by("-start").first().pk},
        )
        in html
    )
    assert "20 places restantes" in html


def test_calendar_link_points_at_training_feed_when_it_exists(client, catalogue_page):
    page = training_with_runs(catalogue_page)
    html = client.get(page.url).content.decode()
    try:
        feed = reverse("events:kind_feed", kwargs={"kind": "training"})
    except NoReverseMatch:
        assert 'type="text/calendar"' not in html
    else:
        assert f'<link rel="alternate" type="text/calendar" title="Formations RESECO" href="{feed}">' in html


def test_free_for_members_price():
    page = TrainingPageFactory.build(price_member=100, price_non_member=200, free_for_members=True)
    assert page.price_ht_for(is_member=True) == 0
    assert page.price_ht_for(is_member=False) == 200


def test_sector_filterable(catalogue_page, client):
    sector = Sector.objects.first()
    training_with_runs(catalogue_page, title="Clauses sociales", sector=sector)
    training_with_runs(catalogue_page, title="Alimentation durable")
    html = client.get(catalogue_page.url, {"secteur": sector.slug}).content.decode()
    assert "Clauses sociales" in html and "Alimentation durable" not in html


def test_editor_forms_render_and_publishing_from_the_admin_materialises_runs(client, catalogue_page):
    from tests.factories import UserFactory
    from tests.factories.trainings import admin_form, admin_run

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    add_url = reverse("wagtailadmin_pages:add", args=["trainings", "trainingpage", catalogue_page.pk])
    assert client.get(add_url).status_code == 200
    data = admin_form([admin_run(20, end_day=22)], **{"action-publish": "publish"})
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = TrainingPage.objects.get(slug="textiles-durables")
    occurrence = Occurrence.objects.get(page=page)
    assert occurrence.capacity == 12 and occurrence.kind == "training"
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
