"""The newsletter's background work (django-tasks), enqueued on commit."""

from django_tasks import task


@task()
def send_confirmation(email):
    from .services import confirmation_message

    confirmation_message(email).send()


@task()
def send_test_copy(issue_id, email):
    from .emails import build_message, render_issue
    from .models import NewsletterIssuePage

    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    build_message(render_issue(issue, members=True), email, test=True).send()


@task()
def start_sending(sending_id):
    from .services import materialise

    if materialise(sending_id):
        send_batch.enqueue(sending_id)


@task()
def send_batch(sending_id):
    """One batch; enqueues the next while deliveries remain."""
    from .services import deliver_batch

    _sent, remaining = deliver_batch(sending_id)
    if remaining:
        send_batch.enqueue(sending_id)
