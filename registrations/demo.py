"""Demo registrations: past events with confirmed people from member organisations, a full
upcoming event with a waiting list, and supplier applications for a market-engagement meeting.

Occurrences are found generically (the engine imports no page type); when none exist yet the
step does nothing. Rows are written directly (no e-mail goes out) and found again by e-mail,
so running it twice leaves the same rows."""

import datetime
import unicodedata

from django.db.models import Q

from members.audience import Audience
from members.models import Organisation, Supplier, User

from .models import (
    Occurrence,
    Registration,
    RegistrationChange,
    RegistrationSource,
    RegistrationStatus,
    SubmittedCompany,
)

S = RegistrationStatus
PEOPLE = [
    ("Nathalie", "Guérin"), ("Thomas", "Le Bihan"), ("Isabelle", "Moreau"), ("Erwan", "Le Gall"),
    ("Céline", "Fournier"), ("Mathieu", "Rousseau"), ("Aurélie", "Lemoine"), ("Kévin", "Tanguy"),
    ("Sandrine", "Bouvier"), ("Olivier", "Marchand"), ("Gwenaëlle", "Riou"), ("Damien", "Chevalier"),
    ("Laure", "Perrin"), ("Nicolas", "Hamon"), ("Émilie", "Caradec"), ("François", "Joly"),
]  # fmt: skip
APPLICATIONS = [
    (
        "Textiles Solidaires de l'Ouest", S.SELECTED, "Bienvenue : présentez vos gammes en 10 minutes.",
        {
            "environment": "Fibres recyclées et coton biologique, teinture sans solvant.",
            "csr": "Démarche ISO 26000 engagée en 2022, bilan carbone annuel.",
            "social_clauses": "12 salariés en insertion ; habitués des clauses sociales des marchés de vêtements.",
            "local_sourcing": "Atelier de confection à Cholet.",
        },
    ),
    (
        None, S.APPLIED, "",
        {
            "environment": "Mobilier éco-conçu, bois PEFC des forêts bretonnes.",
            "csr": "Entreprise à mission depuis 2021.",
            "local_sourcing": "Scieries partenaires à moins de 150 km.",
        },
    ),
    (
        None, S.DECLINED, "Merci : votre offre ne correspond pas au périmètre de cette rencontre.",
        {"environment": "Produits d'entretien Écolabel européen.", "free_text": "Disponibles en visio."},
    ),
]  # fmt: skip


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")


def _email(first, last, organisation):
    domain = _ascii(organisation.city or organisation.name).replace("'", "")
    return f"{_ascii(first)}.{_ascii(last).replace('-', '')}@{domain}.fr"


def _upsert(occurrence, email, status, *, at, **fields):
    registration = Registration.objects.filter(occurrence=occurrence, email__iexact=email).first()
    created = registration is None
    if created:
        registration = Registration(occurrence=occurrence, email=email)
    registration.status = status
    registration.confirmed_at = at if status in (S.CONFIRMED, S.SELECTED) else None
    registration.waitlisted_at = at if status == S.WAITLISTED else None
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save()
    if created:
        RegistrationChange.objects.create(registration=registration, from_status="", to_status=status)
        Registration.objects.filter(pk=registration.pk).update(created_at=at)
    return registration


def _submitted(application, supplier, *, proposes_changes):
    """The company details an application submitted: the stored ones, or (for one of them) a new
    website and city, so « Comparer avec la fiche enregistrée » has something to show."""
    slug = _ascii(supplier.name).replace(chr(39), "")
    submitted, _created = SubmittedCompany.objects.update_or_create(
        registration=application,
        defaults={
            "siret": supplier.siret,
            "name": supplier.name,
            "size": supplier.size,
            "city": "Angers" if proposes_changes else supplier.city,
            "website": f"https://www.{slug}.fr" if proposes_changes else supplier.website,
        },
    )
    submitted.sectors.set(supplier.sectors.all())
    submitted.labels.set(supplier.labels.all())


def _person(index, organisations):
    first, last = PEOPLE[index % len(PEOPLE)]
    organisation = organisations[index % len(organisations)]
    return {
        "first_name": first,
        "last_name": last,
        "organisation": organisation,
        "organisation_name": organisation.name,
        "email": _email(first, last, organisation),
    }


def load(demo):
    organisations = list(Organisation.objects.current_members().order_by("name"))
    if not organisations:
        demo.step("Inscriptions : aucune organisation membre, rien à faire.")
        return
    occurrences = Occurrence.objects.scheduled().select_related("page")
    people_only = occurrences.exclude(kind__in=["market_engagement", "training"]).filter(registration_required=True)

    past = list(people_only.past()[:8])
    for number, occurrence in enumerate(past):
        count = min(occurrence.capacity or 12, 6 + number % 5)
        for index in range(count):
            person = _person(index + number, organisations)
            _upsert(
                occurrence,
                person.pop("email"),
                S.CONFIRMED,
                at=occurrence.start - datetime.timedelta(days=10),
                **person,
            )
    # The demo members took part too, so « Mon compte » shows past registrations and certificates.
    for account in User.objects.filter(email__in=["membre@nantes.fr", "membre@rennes.fr"]).select_related(
        "organisation"
    ):
        for occurrence in past[:3]:
            _upsert(
                occurrence, account.email, S.CONFIRMED, at=occurrence.start - datetime.timedelta(days=12), user=account,
                first_name=account.first_name, last_name=account.last_name, organisation=account.organisation,
                organisation_name=account.organisation.name if account.organisation else "",
            )  # fmt: skip
    demo.step(f"Inscriptions confirmées à {len(past)} dates passées.")

    full = (
        people_only.upcoming()
        .filter(capacity__gte=4, capacity__lte=40, audience__in=[Audience.MEMBERS, Audience.EVERYONE])
        .order_by("capacity", "start", "pk")
        .first()
    )
    if full is not None:
        base = full.start - datetime.timedelta(days=20)
        rennes = User.objects.filter(email="membre@rennes.fr").select_related("organisation").first()
        seats = full.capacity
        if rennes is not None:
            _upsert(
                full, rennes.email, S.CONFIRMED, at=base, user=rennes, first_name=rennes.first_name,
                last_name=rennes.last_name, organisation=rennes.organisation,
                organisation_name=rennes.organisation.name if rennes.organisation else "",
            )  # fmt: skip
            seats -= 1
        for index in range(seats + 3):
            person = _person(index, organisations)
            person["email"] = person["email"].replace("@", f"+{index}@")
            status = S.CONFIRMED if index < seats else S.WAITLISTED
            _upsert(full, person.pop("email"), status, at=base + datetime.timedelta(minutes=index + 1), **person)
        demo.step(f"Date complète avec liste d'attente : {full}.")

    meeting = occurrences.filter(Q(kind="market_engagement") | Q(audience=Audience.SUPPLIERS)).upcoming().first()
    if meeting is not None:
        suppliers = list(Supplier.objects.order_by("name"))
        for index, (name, status, message, answers) in enumerate(APPLICATIONS):
            supplier = next((s for s in suppliers if s.name == name), None) if name else None
            supplier = supplier or (suppliers[index] if index < len(suppliers) else None)
            if supplier is None:
                break
            contact = supplier.contacts.first()
            first, last = (contact.first_name, contact.last_name) if contact else PEOPLE[index]
            email = contact.email if contact else f"contact@{_ascii(supplier.name).replace(chr(39), '')}.fr"
            application = _upsert(
                meeting, email, status, at=meeting.start - datetime.timedelta(days=15 - index),
                user=contact, supplier=supplier, first_name=first, last_name=last,
                organisation_name=supplier.name, source=RegistrationSource.SUPPLIER, answers=answers,
                decision_message=message,
            )  # fmt: skip
            _submitted(application, supplier, proposes_changes=index == 0)
        demo.step(f"Candidatures de fournisseurs : {meeting}.")
