"""An editor moves the demo's monthly meeting from 9:30 to 10:00 in the Wagtail editor: before
publishing, a confirmation screen says who is affected; once confirmed, past dates stay, future
dates move, and each registrant of a moved date gets one e-mail with the reason."""

from django.core import mail
from django.utils import timezone

from events.models import EventPage
from registrations.models import Registration, RegistrationStatus
from tests.utils import click_and_wait

from .test_attendance import log_in, page_errors

REASON = "La salle n'est disponible qu'à partir de 10 h."


def snapshot(page):
    return {
        r.pk: (r.status, r.occurrence_id, r.occurrence.start)
        for r in Registration.objects.filter(occurrence__page=page).select_related("occurrence")
    }


def test_editor_confirms_moving_a_series_and_registrants_are_told(browser_page):
    meeting = EventPage.objects.get(slug="groupe-construction-reunion-mensuelle")
    now = timezone.now()
    before = snapshot(meeting)
    past = {pk: row for pk, row in before.items() if row[2] <= now}
    future_people = Registration.objects.filter(
        occurrence__page=meeting, occurrence__start__gt=now, occurrence__detached=False
    ).active()
    told = sorted(future_people.values_list("email", flat=True))
    assert past and told, "the demo meeting has registrations before and after today"

    page = browser_page.page
    log_in(browser_page)
    browser_page.goto(f"/admin/pages/{meeting.pk}/edit/")
    start, end = page.locator("#id_start"), page.locator("#id_end")
    start.fill(start.input_value().replace("09:30", "10:00"))
    end.fill(end.input_value().replace("12:00", "12:30"))
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=\"action-publish\"]').click()")
    page.get_by_text("Confirmer la publication").first.wait_for()
    impact = page.locator("#schedule-impact").inner_text()
    assert "dates déplacées" in impact and f"{len(told)} personne(s) prévenue(s)" in impact
    assert snapshot(meeting) == before  # nothing happens before the editor confirms
    assert browser_page.accessibility_violations() == []
    browser_page.screenshot("admin-confirmer-publication")

    mail.outbox.clear()
    page.get_by_label("Motif envoyé aux personnes inscrites (facultatif)").fill(REASON)
    click_and_wait(page.get_by_role("button", name="Confirmer et publier"))
    assert "Confirmer la publication" not in page.content()

    after = snapshot(meeting)
    assert {pk: after[pk] for pk in past} == past  # history untouched
    moved = [row for pk, row in after.items() if pk not in past and row[0] != RegistrationStatus.CANCELLED]
    assert moved and all(timezone.localtime(start).strftime("%H:%M") in ("10:00", "14:00") for _s, _o, start in moved)
    assert sorted(m.to[0] for m in mail.outbox) == told  # one e-mail each
    message = mail.outbox[0]
    assert "Changement d'horaire" in message.subject
    assert REASON in message.body and "9 h 30" in message.body and "10 h" in message.body
    assert "qu&#x27;à partir de 10 h." in message.alternatives[0][0]
    ics = message.attachments[0][1]
    assert "METHOD:REQUEST" in ics
    assert page_errors(browser_page) == []
