"""Forms, site-wide (issue 14): every help text and error is tied to its field with
aria-describedby, every reference lands on an element, no form has an empty ``action``, and the
guest form's diet question says why it is asked, who sees it, and links to the personal-data page."""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import pytest

from home.models import SiteSettings
from members.audience import Audience
from registrations import services
from tests.factories import StandardPageFactory
from tests.factories.library import library  # noqa: F401, F811 (fixture)
from tests.factories.registrations import OccurrenceFactory

pytestmark = pytest.mark.django_db


class Markup(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.ids, self.described, self.notes, self.controls = set(), [], set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
            if {"field__help", "field__error"} & set((attrs.get("class") or "").split()):
                self.notes.add(attrs["id"])
        if attrs.get("aria-describedby"):
            self.described.append((tag, attrs.get("name") or attrs.get("id"), attrs["aria-describedby"].split()))


def assert_described(html):
    """Each help text or error of a field is named by a control's aria-describedby, and each
    aria-describedby names elements that exist."""
    markup = Markup(html)
    referenced = {ref for _tag, _name, refs in markup.described for ref in refs}
    for tag, name, refs in markup.described:
        assert set(refs) <= markup.ids, f"{tag} {name}: aria-describedby names missing ids {set(refs) - markup.ids}"
    assert markup.notes <= referenced, f"help or error never tied to a field: {markup.notes - referenced}"
    return markup


@pytest.fixture
def guest_form(home_page, monkeypatch):
    monkeypatch.setattr(services, "registration_questions", lambda occurrence: ["dietary", "free_text"])
    privacy = StandardPageFactory(parent=home_page, title="Données personnelles", slug="donnees-personnelles")
    SiteSettings.objects.update_or_create(site=home_page.get_site(), defaults={"personal_data_page": privacy})
    occurrence = OccurrenceFactory(audience=Audience.EVERYONE)
    return reverse("registrations:register", kwargs={"occurrence_id": occurrence.pk})


def test_guest_form_fields_are_described_before_and_after_errors(client, guest_form):
    markup = assert_described(client.get(guest_form).content.decode())
    assert ("input", "q_dietary", ["id_q_dietary_helptext"]) in markup.described
    html = client.post(guest_form, {"email": "pas-une-adresse", "q_dietary": "x" * 201}).content.decode()
    markup = assert_described(html)
    assert ("input", "q_dietary", ["id_q_dietary_helptext", "id_q_dietary_error"]) in markup.described
    assert any(name == "email" and "id_email_error" in refs for _tag, name, refs in markup.described)


def test_diet_question_carries_a_data_protection_notice(client, guest_form):
    html = client.get(guest_form).content.decode()
    help_text = re.search(r'<div class="field__help" id="id_q_dietary_helptext">(.*?)</div>', html, re.S).group(1)
    assert "uniquement à prévoir les repas" in help_text  # purpose
    assert "équipe de RESECO qui organise" in help_text  # who sees it
    assert "effacé avec elle" in help_text  # how long
    assert 'href="/donnees-personnelles/"' in help_text


@pytest.mark.parametrize(
    "url",
    ["/ressources/?type=nimporte", "/groupes-de-travail/?statut=nimporte", "/recherche/?q=%21%21%21"],
)
def test_filter_forms_tie_their_errors_to_the_fields(client, library, url):  # noqa: F811
    response = client.get(url)
    assert response.status_code == 400
    markup = assert_described(response.content.decode())
    assert markup.described, "the field in error is described by its error"


def test_login_errors_are_tied_to_the_form(client, home_page):
    response = client.post(reverse("members:login"), {"username": "", "password": ""})
    assert_described(response.content.decode())


def test_no_template_has_an_empty_form_action():
    """An empty action is invalid HTML (the Nu checker flags it): name the URL or leave it out."""
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
        if re.search(r"<form[^>]*\saction=\"\"", path.read_text())
    ]
    assert offenders == []
