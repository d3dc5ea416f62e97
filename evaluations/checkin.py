"""The survey offered on the spot: on the QR check-in of an evaluated date's last day, the
confirmation shows the participant's personal survey link and its QR code (scanned with their
own phone, it opens the survey without a login)."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

import segno

from .emails import survey_url
from .models import Stage
from .services import ensure_survey, is_evaluated


def survey_offer(registration, part):
    occurrence = registration.occurrence
    if part is None or part.date != timezone.localdate(occurrence.end) or not is_evaluated(occurrence):
        return ""
    survey = ensure_survey(occurrence, Stage.HOT)
    if survey is None or timezone.now() >= survey.closes_at:
        return ""
    url = survey_url(survey, registration) + "?sur_place=1"
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, svgclass=None, lineclass=None, omitsize=True
    )
    return render_to_string("evaluations/admin/checkin_offer.html", {"url": url, "qr_svg": buffer.getvalue().decode()})
