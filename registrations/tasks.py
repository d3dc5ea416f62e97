from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery

from django_tasks import task

from .emails import send
from .models import Registration, RegistrationChange


@task()
def send_registration_email(registration_id, kind, extra=None):
    """Send one e-mail about a registration (enqueued on commit by the services)."""
    rows = Registration.objects.select_related("occurrence__page").filter(pk=registration_id).order_by()
    # The .ics's SEQUENCE counts the status changes: read with the row, not by a query of its own.
    changes = RegistrationChange.objects.filter(registration=OuterRef("pk")).order_by().values("registration")
    rows = rows.annotate(change_count=Subquery(changes.annotate(n=Count("pk")).values("n")))
    registration = next(iter(rows), None)
    if registration is not None:
        send(registration, kind, extra)


@task()
def send_registration_emails(registration_ids, kind, extra=None):
    """The same e-mail to many registrations (a moved date): one task, not one per person."""
    for registration in Registration.objects.select_related("occurrence__page").filter(pk__in=registration_ids):
        send(registration, kind, extra)


@task()
def settle_cancellations(rows, reason="", actor_id=None):
    """Settle registrations cancelled with their date: ``rows`` are (id, previous status)."""
    from .notices import settle_cancellation  # notices import the services, which enqueue these tasks

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    previous = dict(rows)
    for registration in Registration.objects.select_related("occurrence__page").filter(pk__in=list(previous)):
        settle_cancellation(registration, previous_status=previous[registration.pk], reason=reason, actor=actor)


@task()
def tell_staff_of_application(registration_id):
    """Tell the staff that a supplier applied for a meeting (enqueued on commit)."""
    from .applications import tell_staff  # applications enqueue this task: loaded on use

    registration = Registration.objects.select_related("occurrence__page").filter(pk=registration_id).first()
    if registration is not None:
        tell_staff(registration)
