from django_tasks import task

from .models import SupplierClaim


@task()
def send_claim_email(claim_id, kind):
    """The verification link (``verify``) or the editor's decision (``decision``) of a claim."""
    from .suppliers import send_claim_message  # the services enqueue this task: loaded on use

    claim = SupplierClaim.objects.select_related("supplier", "user").filter(pk=claim_id).first()
    if claim is not None:
        send_claim_message(claim, kind)
