"""Suppliers' applications to market-engagement meetings: a company applies with its contact
and questionnaire (confirmed by e-mail unless its approved contact applies), the working group
selects or declines it and the supplier is told."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from base.french_dates import french_datetime
from members.audience import Audience
from members.suppliers import approved_company
from members.validators import normalise_identifier, validate_siret

from . import conf
from .application_review import record_submitted_company
from .errors import RegistrationError
from .kinds import by_application
from .models import Registration, RegistrationSource, RegistrationStatus
from .services import already_registered, check_window, lock_occurrence, record_change, seats_left, send_on_commit
from .tasks import tell_staff_of_application

S = RegistrationStatus

# The e-mail that tells an application's contact where it stands (a registration by other means
# with the same address hears that it is confirmed, or pending, as its own e-mails said).
STATUS_EMAIL = {
    S.APPLIED: "applied",
    S.SELECTED: "selected",
    S.DECLINED: "declined",
    S.WAITLISTED: "waitlisted",
    S.PENDING_CONFIRMATION: "application_confirmation",
}


def apply_as_supplier(occurrence, *, company, contact, answers=None, user=None, actor=None):
    """A company applies for a market-engagement meeting.

    ``company``: siret, name, and optionally size, city, website, description, sectors, labels
    (objects or pks); ``contact``: first_name, last_name, email, and optionally phone, job_title.

    The application keeps the company's details as submitted and never changes a stored
    company (an editor merges what is right, ``application_review``). Each application stands
    alone: another one under the same SIRET never blocks it. A contact applying for the company
    their approved claim names, from their own address, is APPLIED at once; any other
    application waits for its e-mail link (PENDING_CONFIRMATION). Returns the registration."""
    siret = normalise_identifier(company.get("siret"))
    try:
        validate_siret(siret)
    except ValidationError as error:
        raise RegistrationError(error.messages[0], "invalid_siret") from error
    email = contact["email"].strip()
    verified = approved_company(user) if user is not None and user.email.lower() == email.lower() else None
    verified = verified if verified is not None and verified.siret == siret else None
    now = timezone.now()
    with transaction.atomic():
        occurrence = lock_occurrence(occurrence.pk)
        _check_open_to_applications(occurrence, now)
        # Each application stands alone: only the same address applying twice is one application.
        existing = Registration.objects.filter(occurrence=occurrence, email__iexact=email).active().first()
        if existing is None:
            registration = _record_application(occurrence, siret, company, contact, answers, user, verified)
            record_change(registration, "", actor=actor or user)
            if verified:
                _applied_on_commit(registration)
            else:
                send_on_commit(registration, "application_confirmation")
    if existing is not None:
        # The page says an e-mail gives the application's state: it goes to that same address.
        send_on_commit(existing, STATUS_EMAIL.get(existing.status, "confirmed"))
        raise RegistrationError(_("Cette entreprise a déjà candidaté pour cette rencontre."), "already_registered")
    return registration


def _applied_on_commit(registration):
    """The application reaches the working group: the supplier and the staff are told."""
    send_on_commit(registration, "applied")
    transaction.on_commit(lambda: tell_staff_of_application.enqueue(registration.pk))


def _check_open_to_applications(occurrence, now):
    if occurrence.is_cancelled:
        raise RegistrationError(_("Cette rencontre est annulée."), "cancelled")
    if occurrence.start <= now:
        raise RegistrationError(_("Cette rencontre a déjà eu lieu."), "past")
    if occurrence.audience != Audience.SUPPLIERS and not by_application(occurrence):
        raise RegistrationError(_("Cette date n'est pas ouverte aux candidatures de fournisseurs."), "audience")
    check_window(occurrence, now)


def _record_application(occurrence, siret, company, contact, answers, user, verified):
    """The APPLIED (or, unverified, PENDING_CONFIRMATION) registration with the company's details
    as submitted; a stored company is never changed here."""
    registration = Registration(
        occurrence=occurrence,
        user=user if verified else None,
        supplier=verified,
        first_name=contact["first_name"],
        last_name=contact["last_name"],
        email=contact["email"].strip(),
        organisation_name=company["name"],
        status=S.APPLIED if verified else S.PENDING_CONFIRMATION,
        source=RegistrationSource.SUPPLIER,
        answers=dict(answers or {}, **{k: contact[k] for k in ("phone", "job_title") if contact.get(k)}),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise already_registered() from error
    record_submitted_company(registration, siret, company)
    return registration


def confirm_application(registration, *, actor=None):
    """The applicant followed the e-mail link: the application goes to the working group."""
    with transaction.atomic():
        lock_occurrence(registration.occurrence_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != S.PENDING_CONFIRMATION:
            return registration  # following the link twice changes nothing
        if registration.occurrence.is_cancelled or registration.occurrence.is_past:
            raise RegistrationError(_("Cette rencontre n'est plus ouverte aux candidatures."), "closed")
        registration.status = S.APPLIED
        registration.save(update_fields=["status", "updated_at"])
        record_change(registration, S.PENDING_CONFIRMATION, actor=actor, note=_("adresse électronique confirmée"))
        _applied_on_commit(registration)
    return registration


def decide_application(registration, *, selected, message="", actor=None):
    """Select or decline a supplier's application, with an optional message; the supplier is told.
    A selected supplier takes a seat: selecting one on a full meeting is refused (``full``)."""
    with transaction.atomic():
        occurrence = lock_occurrence(registration.occurrence_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in (S.APPLIED, S.SELECTED, S.DECLINED):
            raise RegistrationError(_("Ce n'est pas une candidature de fournisseur."), "invalid_status")
        if selected and registration.status != S.SELECTED and seats_left(occurrence) == 0:
            raise RegistrationError(
                _(
                    "La rencontre est complète (%(capacity)s places, fournisseurs retenus compris) : "
                    "augmentez la capacité de la date ou ne retenez pas ce fournisseur."
                )
                % {"capacity": occurrence.capacity},
                "full",
            )
        target = S.SELECTED if selected else S.DECLINED
        if registration.status == target and registration.decision_message == message:
            return registration
        previous = registration.status
        registration.status, registration.decision_message = target, message
        if selected:
            registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "decision_message", "confirmed_at", "updated_at"])
        record_change(registration, previous, actor=actor, note=message[:300])
        send_on_commit(registration, "selected" if selected else "declined")
    return registration


def tell_staff(registration):
    """E-mail the staff (``conf.staff_emails()``) that a supplier applied, with the link to the
    applications side by side. Sent from the task queue."""
    recipients = conf.staff_emails()
    if not recipients:
        return
    context = {
        "registration": registration,
        "occurrence": registration.occurrence,
        "when": french_datetime(registration.occurrence.start),
        "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("registrations_admin:applications", args=[registration.occurrence_id]),
    }
    subject = _("Nouvelle candidature de %(supplier)s : %(title)s") % {
        "supplier": registration.organisation_name,
        "title": registration.occurrence.page.title,
    }
    body = render_to_string("registrations/email/staff_application.txt", context)
    send_mail(" ".join(subject.split()), body, None, recipients)
