"""Demo: the member of Nantes answers for her organisation (référent), and a colleague's account
request waits for her or the staff. An erased demo member stays erased: nothing is named then."""

from members.models import Organisation, User

from .models import AccountRequest, Referent, RequestStatus


def load(demo):
    nantes = Organisation.objects.filter(name="Ville de Nantes").first()
    member = User.objects.filter(email="membre@nantes.fr", is_active=True, organisation=nantes).first()
    if nantes is None or member is None:
        return
    Referent.objects.get_or_create(organisation=nantes, user=member)
    AccountRequest.objects.get_or_create(
        email="lea.martin@nantes.fr",
        defaults={
            "first_name": "Léa",
            "last_name": "Martin",
            "organisation": nantes,
            "job_title": "Acheteuse, direction de la commande publique",
            "status": RequestStatus.PENDING,
        },
    )
    demo.step("référente de Ville de Nantes et une demande de compte en attente")
