from django_tasks import task

from .models import Registration


@task()
def send_registration_email(registration_id, kind, extra=None):
    """Send one e-mail about a registration (enqueued on commit by the services)."""
    from .emails import send

    registration = Registration.objects.select_related("occurrence__page").filter(pk=registration_id).first()
    if registration is not None:
        send(registration, kind, extra)
