"""E-mails about a registration: built here (French, text + HTML, with the .ics), passed to the
``registration_email`` hooks (attendance adds the QR code, payments the receipts), then sent.

Sent only from the background task ``registrations.tasks.send_registration_email``."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from wagtail import hooks

from base.french_dates import french_datetime, french_time

from .ical import registration_calendar
from .models import RegistrationStatus

CANCEL_SALT = "registrations.cancel"
GUEST_SALT = "registrations.guest"

# kind: (subject, paragraphs, .ics method or None, show the cancel link); texts marked for
# translation with gettext_noop and translated when the message is built.
KINDS = {
    "confirmed": (
        N_("Inscription confirmée"),
        [N_("Votre inscription est confirmée. L'événement est joint à ce message pour votre agenda.")],
        "REQUEST",
        True,
    ),
    "waitlisted": (
        N_("Vous êtes sur la liste d'attente"),
        [
            N_("La date est complète : vous êtes sur la liste d'attente, en position {position}."),
            N_("Si une place se libère, vous serez inscrit·e automatiquement et prévenu·e par e-mail."),
        ],
        "PUBLISH",
        True,
    ),
    "promoted": (
        N_("Une place s'est libérée : inscription confirmée"),
        [
            N_(
                "Une place s'est libérée : votre inscription est maintenant confirmée. L'événement est joint à ce message."
            )
        ],
        "REQUEST",
        True,
    ),
    "cancelled": (
        N_("Inscription annulée"),
        [
            N_(
                "Votre inscription est annulée. Si vous changez d'avis, vous pouvez vous réinscrire tant qu'il "
                "reste des places."
            )
        ],
        "CANCEL",
        False,
    ),
    "guest_confirmation": (
        N_("Confirmez votre inscription"),
        [
            N_(
                "Pour confirmer votre inscription, suivez le lien ci-dessous. Tant que vous ne l'avez pas suivi, "
                "aucune place ne vous est réservée."
            ),
            N_("Si vous n'êtes pas à l'origine de cette demande, ignorez ce message."),
        ],
        None,
        False,
    ),
    "application_confirmation": (
        N_("Confirmez votre candidature"),
        [
            N_(
                "Pour transmettre la candidature de {organisation} au groupe de travail, suivez le lien "
                "ci-dessous. Tant que vous ne l'avez pas suivi, elle n'est pas examinée."
            ),
            N_("Si vous n'êtes pas à l'origine de cette candidature, ignorez ce message."),
        ],
        None,
        False,
    ),
    "applied": (
        N_("Candidature reçue"),
        [
            N_(
                "Nous avons bien reçu la candidature de {organisation}. Le groupe de travail étudie les "
                "candidatures et vous informera de sa décision par e-mail."
            )
        ],
        None,
        False,
    ),
    "selected": (
        N_("Candidature retenue"),
        [
            N_(
                "Bonne nouvelle : la candidature de {organisation} est retenue. Voici les informations "
                "pratiques ; l'événement est joint à ce message."
            )
        ],
        "REQUEST",
        False,
    ),
    "declined": (
        N_("Candidature non retenue"),
        [N_("Nous vous remercions de votre candidature. Elle n'a pas été retenue pour cette rencontre.")],
        None,
        False,
    ),
    "reminder": (
        N_("Rappel"),
        [N_("Nous vous rappelons votre inscription. L'événement est joint à ce message.")],
        "REQUEST",
        True,
    ),
    "occurrence_cancelled": (
        N_("Date annulée"),
        [
            N_(
                "La date du {when} est annulée ; votre inscription l'est donc aussi. Nous vous prions de nous en "
                "excuser."
            )
        ],
        "CANCEL",
        False,
    ),
    # An editor's own message to the registrants (subject and text given with ``extra``).
    "message": ("{subject}", ["{body}"], "PUBLISH", True),
    "occurrence_moved": (
        N_("Changement d'horaire"),
        [
            N_(
                "L'horaire a changé (date prévue auparavant : {previous}). Elle a lieu désormais le {when}. "
                "Votre inscription est maintenue ; la nouvelle date est jointe à ce message."
            )
        ],
        "REQUEST",
        True,
    ),
}


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def cancel_token(registration):
    return signing.dumps({"r": registration.pk, "t": registration.token}, salt=CANCEL_SALT)


def guest_token(registration):
    return signing.dumps({"r": registration.pk, "t": registration.token}, salt=GUEST_SALT)


@dataclass
class Contributions:
    """What the ``registration_email`` hooks add to a message, collected *before* it is rendered
    so that the text and the HTML part both carry it: paragraphs shown after the message's own,
    and attachments. A hook is ``fn(registration, contributions, kind)``."""

    paragraphs: list = field(default_factory=list)
    attachments: list = field(default_factory=list)

    def add_paragraph(self, text):
        self.paragraphs.append(text)

    def attach(self, filename, content, mimetype):
        self.attachments.append((filename, content, mimetype))


def contributions_for(registration, kind):
    contributions = Contributions()
    for fn in hooks.get_hooks("registration_email"):
        fn(registration, contributions, kind)
    return contributions


def build_message(registration, kind, extra=None):
    from .services import waitlist_position  # the services enqueue these e-mails: loaded on use

    subject, paragraphs, method, cancel_link = KINDS[kind]
    if kind == "message":
        subject, paragraphs = extra["subject"], [p for p in extra["body"].split("\n\n") if p.strip()]
    occurrence = registration.occurrence
    show_details = kind not in ("declined", "applied", "application_confirmation")
    values = {
        "position": waitlist_position(registration) or "—",
        "organisation": registration.organisation_name or registration.full_name,
        "previous": french_datetime(datetime.datetime.fromisoformat(extra["previous_start"]))
        if extra and extra.get("previous_start")
        else "—",
        "when": french_datetime(occurrence.start),
    }
    context = {
        "registration": registration,
        "occurrence": occurrence,
        "title": occurrence.page.title,
        "when": french_datetime(occurrence.start),
        "until": french_time(timezone.localtime(occurrence.end))
        if timezone.localdate(occurrence.start) == timezone.localdate(occurrence.end)
        else french_datetime(occurrence.end),
        "paragraphs": paragraphs if kind == "message" else [_(p).format(**values) for p in paragraphs],
        "decision_message": registration.decision_message if kind in ("selected", "declined") else "",
        # The editor's reason for moving or cancelling the date.
        "reason": (extra or {}).get("reason", "") if kind in ("occurrence_moved", "occurrence_cancelled") else "",
        "show_details": show_details,
        # The online link goes only to people who hold a seat.
        "online_url": occurrence.online_url
        if registration.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.SELECTED)
        else "",
        "page_url": absolute(occurrence.page.url or "") if occurrence.page.url else "",
        "cancel_url": absolute(reverse("registrations:cancel", kwargs={"token": cancel_token(registration)}))
        if cancel_link and registration.is_active
        else "",
        "confirm_url": absolute(reverse("registrations:confirm_guest", kwargs={"token": guest_token(registration)}))
        if kind in ("guest_confirmation", "application_confirmation")
        else "",
    }
    contributions = contributions_for(registration, kind)
    context["extra_paragraphs"] = contributions.paragraphs
    message = EmailMultiAlternatives(
        subject=f"{subject if kind == 'message' else _(subject)} : {occurrence.page.title}",
        body=render_to_string("registrations/email/message.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(render_to_string("registrations/email/message.html", context), "text/html")
    if method:
        message.attach(
            "evenement.ics", registration_calendar(registration, method=method), f"text/calendar; method={method}"
        )
    for attachment in contributions.attachments:
        message.attach(*attachment)
    return message


def send(registration, kind, extra=None):
    """Build (with what the ``registration_email`` hooks contribute), send."""
    with translation.override(settings.LANGUAGE_CODE):
        message = build_message(registration, kind, extra)
        message.send()
    return message
