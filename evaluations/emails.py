"""The survey's e-mails: the personal invitation (with its link), and the summary the trainer
gets when the survey closes. Sent only from the tasks (``evaluations.tasks``)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from base.french_dates import french_datetime

from .models import Stage
from .services import survey_token


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def survey_url(survey, registration):
    return absolute(reverse("evaluations:answer", kwargs={"token": survey_token(survey, registration)}))


def invitation(survey, registration):
    occurrence = survey.occurrence
    context = {
        "first_name": registration.first_name,
        "title": occurrence.page.title,
        "when": french_datetime(occurrence.start),
        "cold": survey.stage == Stage.COLD,
        "url": survey_url(survey, registration),
        "closes": french_datetime(survey.closes_at),
    }
    subject = _("Votre avis à froid : %(title)s") if survey.stage == Stage.COLD else _("Votre avis : %(title)s")
    message = EmailMultiAlternatives(
        subject=subject % {"title": occurrence.page.title},
        body=render_to_string("evaluations/email/invitation.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(render_to_string("evaluations/email/invitation.html", context), "text/html")
    return message


def send_invitation(survey, registration):
    with translation.override(settings.LANGUAGE_CODE):
        invitation(survey, registration).send()


def summary(survey, results, to):
    context = {
        "survey": survey,
        "title": survey.occurrence.page.title,
        "when": french_datetime(survey.occurrence.start),
        "results": results,
        "url": absolute(reverse("evaluations_admin:survey", kwargs={"survey_id": survey.pk})),
    }
    return EmailMultiAlternatives(
        subject=_("Synthèse de l'évaluation %(stage)s : %(title)s")
        % {"stage": survey.get_stage_display(), "title": survey.occurrence.page.title},
        body=render_to_string("evaluations/email/summary.txt", context),
        to=[to],
    )
