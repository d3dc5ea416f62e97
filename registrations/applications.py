"""Suppliers' applications to market-engagement meetings: a company applies with its contact
and questionnaire (confirmed by e-mail unless its approved contact applies), the working group
selects or declines it and the supplier is told."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audience import Audience
from members.suppliers import approved_company
from members.validators import normalise_identifier, validate_siret

from .application_review import record_submitted_company
from .errors import RegistrationError
from .kinds import by_application
from .models import Registration, RegistrationSource, RegistrationStatus
from .services import already_registered, check_window, lock_occurrence, record_change, send_on_commit

S = RegistrationStatus


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
        if occurrence.is_cancelled:
            raise RegistrationError(_("Cette rencontre est annulée."), "cancelled")
        if occurrence.start <= now:
            raise RegistrationError(_("Cette rencontre a déjà eu lieu."), "past")
        if occurrence.audience != Audience.SUPPLIERS and not by_application(occurrence):
            raise RegistrationError(_("Cette date n'est pas ouverte aux candidatures de fournisseurs."), "audience")
        check_window(occurrence, now)
        if Registration.objects.filter(occurrence=occurrence, email__iexact=email).active().exists():
            raise RegistrationError(_("Cette entreprise a déjà candidaté pour cette rencontre."), "already_registered")
        registration = Registration(
            occurrence=occurrence,
            user=user if verified else None,
            supplier=verified,
            first_name=contact["first_name"],
            last_name=contact["last_name"],
            email=email,
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
        record_change(registration, "", actor=actor or user)
        send_on_commit(registration, "applied" if verified else "application_confirmation")
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
        send_on_commit(registration, "applied")
    return registration


def decide_application(registration, *, selected, message="", actor=None):
    """Select or decline a supplier's application, with an optional message; the supplier is told."""
    with transaction.atomic():
        lock_occurrence(registration.occurrence_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in (S.APPLIED, S.SELECTED, S.DECLINED):
            raise RegistrationError(_("Ce n'est pas une candidature de fournisseur."), "invalid_status")
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
