"""The parts of the personal-data export, one per app, each a fixed number of queries."""

from django.db.models import Prefetch

from accounts.models import AccountRequest, Referent
from attendance.services import certificate_registrations
from evaluations.services import export_for as evaluation_responses
from events.models import CalendarToken
from helpdesk.models import Message, Question
from jointpurchases.services import contact_data as joint_purchase_contacts
from members.models import User
from newsletter.services import personal_data as newsletter_personal_data
from payments.models import Payment
from registrations.models import Attendance, Registration
from timesheets.models import TimeEntry

from . import exchange as _exchange  # noqa: F401  (registers the exchange's part)
from .registry import register


@register("compte", order=10)
def account(user):
    return {
        "adresse_electronique": user.email,
        "prenom": user.first_name,
        "nom": user.last_name,
        "fonction": user.job_title,
        "telephone": user.phone,
        "actif": user.is_active,
        "inscrit_le": user.date_joined,
        "derniere_connexion": user.last_login,
        "groupes": sorted(user.groups.values_list("name", flat=True)),
    }


@register("organisation", order=20)
def organisation(user):
    person = User.objects.select_related("organisation", "supplier").get(pk=user.pk)
    org, supplier = person.organisation, person.supplier
    return {
        "collectivite": {"nom": org.name, "siren": org.siren, "type": org.kind, "region": org.region} if org else None,
        "fournisseur": {"raison_sociale": supplier.name, "siret": supplier.siret} if supplier else None,
    }


def _registrations(user):
    return (
        Registration.objects.filter(user=user)
        .select_related("occurrence__page", "organisation", "supplier")
        .prefetch_related(
            "changes",
            Prefetch("attendances", queryset=Attendance.objects.select_related("part").order_by("part__start")),
        )
        .order_by("occurrence__start", "pk")
    )


@register("inscriptions", order=30)
def registrations(user):
    """Registrations, waiting-list entries (status « waitlisted ») and supplier applications,
    with questionnaire answers, status history and attendance."""
    return [
        {
            "id": r.pk,
            "activite": r.occurrence.page.title,
            "type": r.occurrence.kind,
            "debut": r.occurrence.start,
            "fin": r.occurrence.end,
            "statut": r.status,
            "liste_d_attente": r.status == "waitlisted",
            "prenom": r.first_name,
            "nom": r.last_name,
            "adresse_electronique": r.email,
            "organisation": r.organisation.name if r.organisation else r.organisation_name,
            "fournisseur": r.supplier.name if r.supplier else None,
            "source": r.source,
            "reponses": r.answers,
            "message_de_decision": r.decision_message,
            "creee_le": r.created_at,
            "historique": [
                {"le": c.changed_at, "de": c.from_status, "vers": c.to_status, "note": c.note}
                for c in sorted(r.changes.all(), key=lambda c: (c.changed_at, c.pk))
            ],
            "presences": [
                {"debut": a.part.start, "fin": a.part.end, "presence": a.status, "note": a.note}
                for a in r.attendances.all()
            ],
        }
        for r in _registrations(user)
    ]


@register("evaluations", order=35)
def evaluations(user):
    """Answers to satisfaction surveys (a fixed number of queries)."""
    return evaluation_responses(user)


@register("attestations", order=40)
def certificates(user):
    return [
        {
            "inscription": r.pk,
            "activite": r.occurrence.page.title,
            "debut": r.occurrence.start,
            "heures_suivies": round(r.attended.total_seconds() / 3600, 2) if r.attended else 0,
        }
        for r in certificate_registrations(user)
    ]


@register("assistance", order=50)
def helpdesk(user):
    questions = (
        Question.objects.filter(author=user)
        .select_related("organisation", "sector")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.order_by("created_at", "pk").prefetch_related("attachments"))
        )
        .order_by("created_at", "pk")
    )
    return [
        {
            "sujet": q.topic,
            "contexte": q.tender_context,
            "statut": q.status,
            "posee_le": q.created_at,
            "messages": [
                {
                    "le": m.created_at,
                    "de_l_equipe": m.from_staff,
                    "message": m.body,
                    "pieces_jointes": [a.name for a in m.attachments.all()],
                }
                for m in q.messages.all()
            ],
        }
        for q in questions
    ]


@register("lettre", order=55)
def newsletter(user):
    """Subscriptions to the letter, with the consents given or withdrawn, and the issues received."""
    return newsletter_personal_data(user)


@register("paiements", order=60)
def payments(user):
    rows = (
        Payment.objects.filter(registration__user=user)
        .select_related("registration__occurrence__page", "invoice")
        .prefetch_related("invoice__credit_notes")
        .order_by("created_at", "pk")
    )
    result = []
    for p in rows:
        invoice = getattr(p, "invoice", None)
        result.append(
            {
                "inscription": p.registration_id,
                "designation": p.description,
                "mode": p.method,
                "statut": p.status,
                "montant": p.amount,
                "cree_le": p.created_at,
                "paye_le": p.paid_at,
                "entite_facturee": p.billing_entity,
                "bon_de_commande": p.purchase_order,
                "facture": {
                    "numero": invoice.number,
                    "emise_le": invoice.issued_on,
                    "montant_ttc": invoice.amount_ttc,
                    "statut": invoice.status,
                    "avoirs": [
                        {"numero": c.number, "emis_le": c.issued_on, "montant_ttc": c.amount_ttc}
                        for c in invoice.credit_notes.all()
                    ],
                }
                if invoice
                else None,
            }
        )
    return result


@register("agenda_personnel", order=70)
def calendar(user):
    return {"abonnement_actif": CalendarToken.objects.filter(user=user).exists()}


@register("temps_passe", order=80)
def staff_time(user):
    return list(
        TimeEntry.objects.filter(person=user)
        .order_by("date", "pk")
        .values("date", "hours", "activity", "note", "occurrence_id", "page_id")
    )


@register("demandes_de_compte", order=90)
def account_requests(user):
    """Account requests made with the person's address, and the organisations they answer for."""
    requests = AccountRequest.objects.filter(email__iexact=user.email).select_related("organisation")
    return {
        "demandes": [
            {
                "recue_le": r.created_at,
                "organisation": r.organisation_label,
                "fonction": r.job_title,
                "etat": r.status,
                "decidee_le": r.decided_at,
                "message": r.message,
            }
            for r in requests
        ],
        "referent_de": list(Referent.objects.filter(user=user).values_list("organisation__name", flat=True)),
    }


@register("groupements_de_commandes", order=95)
def joint_purchases(user):
    """Grouped purchases where the person is their body's contact."""
    return joint_purchase_contacts(user)
