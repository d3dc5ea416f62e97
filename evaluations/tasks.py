from django.conf import settings
from django.utils import translation

from django_tasks import task

from registrations.models import Registration

from .models import Survey


@task()
def send_survey_invitations(survey_id, registration_ids):
    """The personal links of one survey (one task for everyone invited by a run of the job)."""
    from .emails import send_invitation

    survey = Survey.objects.select_related("occurrence__page").filter(pk=survey_id).first()
    if survey is None:
        return
    for registration in Registration.objects.filter(pk__in=registration_ids, occurrence_id=survey.occurrence_id):
        send_invitation(survey, registration)


@task()
def send_survey_summary(survey_id):
    """The trainer's summary of a closed survey (when the page names a trainer)."""
    from .emails import summary
    from .results import results
    from .services import trainer_email

    survey = Survey.objects.select_related("occurrence__page", "questionnaire").filter(pk=survey_id).first()
    if survey is None:
        return
    to = trainer_email(survey.occurrence.page_id)
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        summary(survey, results([survey]), to).send()
