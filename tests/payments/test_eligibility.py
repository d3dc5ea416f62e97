"""One eligibility rule for paid training runs (``payments.pricing.payment_due``): the register
view, the payment views and the engine's admin apply it. An editor adding someone to a paid run
does not give a free seat by accident: the engine refuses unless the editor ticks « Offert »,
which the history records."""

from django.urls import reverse

import pytest

from payments.pricing import payment_due
from registrations import services
from registrations.errors import RegistrationError
from registrations.models import Registration, RegistrationSource, RegistrationStatus
from tests.factories import EditorFactory


@pytest.fixture
def editor(db):
    return EditorFactory(email="editrice@reseco.fr")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_rule(run, member):
    price = payment_due(run, member)
    assert price is not None and price.amount_ttc > 0
    assert payment_due(run, None).category == "non_member"


def test_an_editor_cannot_confirm_a_paid_run_without_payment(run, member, editor):
    with pytest.raises(RegistrationError) as error:
        services.register(run, user=member, source=RegistrationSource.EDITOR, actor=editor)
    assert error.value.code == "payment_required"
    assert not Registration.objects.filter(occurrence=run).exists()


def test_free_of_charge_is_an_explicit_choice_recorded_in_the_history(run, member, editor):
    registration = services.register(
        run, user=member, source=RegistrationSource.EDITOR, actor=editor, free_of_charge=True
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    change = registration.changes.get()
    assert change.note == "offert par l'équipe, sans paiement" and change.changed_by == editor


def test_the_admin_form_refuses_then_accepts_with_offert(editor_client, run, member):
    url = reverse("registrations_admin:add", args=[run.pk])
    person = {"first_name": member.first_name, "last_name": member.last_name, "email": member.email}
    response = editor_client.post(url, person)
    assert response.status_code == 302
    assert not Registration.objects.filter(occurrence=run).exists()
    editor_client.post(url, {**person, "free_of_charge": "on"})
    assert Registration.objects.get(occurrence=run).status == RegistrationStatus.CONFIRMED


def test_the_register_view_sends_a_paid_run_to_payment(member_client, run):
    response = member_client.get(reverse("registrations:register", kwargs={"occurrence_id": run.pk}))
    assert response.status_code == 302
    assert response.url == reverse("payments:start", kwargs={"occurrence_id": run.pk})
