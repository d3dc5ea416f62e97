"""Export and erasure of a person's data.

Erasure anonymises in place: rows that reports count stay (same organisation, same status,
same attendance), and every registration of one original address gets one pseudonymous
address, so « participants distincts » and every other figure stay identical. Invoices and
credit notes are legal documents and are never touched."""

import json
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q, TextField
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from accounts.models import AccountRequest, Referent
from base.errors import DomainError
from base.staff import is_staff_account
from evaluations.services import detach_responses
from events.models import CalendarToken
from helpdesk.models import Attachment, Message, Question, attachment_path
from jointpurchases.services import forget_contact as forget_joint_purchase_contact
from members.models import SupplierClaim
from newsletter.services import forget_address as forget_newsletter_address
from payments.models import StripeEvent
from registrations.models import Attendance, Registration, RegistrationChange

from . import exchange
from .models import Erasure
from .registry import exporters

PSEUDONYM_DOMAIN = "anonyme.invalid"
ERASED_FIRST_NAME = "Personne"
ERASED_LAST_NAME = "effacée"
REDACTED = "[effacé]"
EXPORT_FORMAT = "reseco-donnees-personnelles/1"


class PersonalDataError(DomainError):
    """A personal-data request refused. See ``base.errors.DomainError``."""


def is_erased_email(email):
    return (email or "").lower().endswith("@" + PSEUDONYM_DOMAIN)


def pseudonym(erasure, index=1):
    suffix = "" if index == 1 else f"-{index}"
    return f"efface-{erasure.pk}{suffix}@{PSEUDONYM_DOMAIN}"


# --------------------------------------------------------------------------------- export


def export_person(user):
    """Everything the site holds about ``user``, as a JSON-ready dict."""
    data = {"format": EXPORT_FORMAT, "genere_le": timezone.now()}
    for exporter in exporters():
        data[exporter.key] = exporter.function(user)
    return data


def export_json(user):
    return json.dumps(export_person(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# -------------------------------------------------------------------------------- erasure


def _redactor(*terms):
    """A function that replaces the person's identifiers (e-mail, full name, names) in a text."""
    words = sorted({t.strip() for t in terms if t and len(t.strip()) >= 2}, key=len, reverse=True)
    if not words:
        return lambda text: text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    return lambda text: pattern.sub(REDACTED, text) if text else text


def _anonymise_registrations(registrations, erasure, redact, main_email=None):
    """Gives each distinct original address its own pseudonym (the person's own address gets
    the account's), empties names, answers and notes. Returns the number of rows."""
    rows = list(registrations.values_list("pk", "email"))
    if not rows:
        return 0
    emails = sorted({email.lower() for _pk, email in rows})
    if main_email and main_email.lower() in emails:
        emails.remove(main_email.lower())
        emails.insert(0, main_email.lower())
    mapping = {email: pseudonym(erasure, i) for i, email in enumerate(emails, start=1)}
    ids = [pk for pk, _email in rows]
    for email, address in mapping.items():
        Registration.objects.filter(pk__in=ids).annotate(lower_email=Lower("email")).filter(lower_email=email).update(
            email=address,
            first_name=ERASED_FIRST_NAME,
            last_name=ERASED_LAST_NAME,
            answers={},
            decision_message="",
            updated_at=timezone.now(),
        )
    RegistrationChange.objects.filter(registration_id__in=ids).exclude(note="").update(note="")
    Attendance.objects.filter(registration_id__in=ids).exclude(note="").update(note="")
    detach_responses(ids, redact)  # survey answers stay (averages unchanged), without the person
    _forget_logs(Registration, ids, redact)
    return len(ids)


def _forget_logs(model, ids, redact):
    """Wagtail's log entries about these objects keep their user link (the user is anonymised)
    but lose the names and addresses in their label and data."""
    content_type = ContentType.objects.get_for_model(model)
    entries = ModelLogEntry.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids])
    for entry in entries.only("pk", "label", "data"):
        entry.label = redact(entry.label)
        entry.data = {}
        entry.save(update_fields=["label", "data"])


def _forget_stripe_events(redact, *emails):
    """Stripe's event payloads may carry a card payer's name and address: redact them in place
    (the event ids stay, so a replayed event is still recognised)."""
    for email in emails:
        events = StripeEvent.objects.annotate(text=Cast("payload", TextField())).filter(text__icontains=email)
        for event in events.only("pk", "payload"):
            event.payload = json.loads(redact(json.dumps(event.payload, ensure_ascii=False)))
            event.save(update_fields=["payload"])


def _forget_logins(*emails):
    condition = Q()
    for email in emails:
        condition |= Q(username__iexact=email)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(condition).delete()


def _forget_form_submissions(email):
    FormSubmission.objects.filter(form_data__icontains=email).delete()


def _forget_sessions(user):
    if "db" not in settings.SESSION_ENGINE:
        return  # the unusable password already invalidates every session (auth hash)
    if user.last_login is None or user.last_login < timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE):
        return  # no session of theirs can still be alive (retention erases only such people)
    key = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == key:
            session.delete()


def _anonymise_helpdesk(user, redact):
    questions = list(Question.objects.filter(author=user))
    for question in questions:
        question.topic = redact(question.topic)
        question.tender_context = redact(question.tender_context)
        question.save(update_fields=["topic", "tender_context"])
    messages = Message.objects.filter(Q(author=user) | Q(question__author=user))
    for message in messages.only("pk", "body"):
        body = redact(message.body)
        if body != message.body:
            Message.objects.filter(pk=message.pk).update(body=body)
    for attachment in Attachment.objects.filter(message__author=user).only("pk", "name", "file"):
        name = redact(attachment.name)
        stored = attachment.file.name
        if redact(stored) != stored:
            # the stored path keeps the uploaded file's name: store it again under a clean one
            storage = attachment.file.storage
            with storage.open(stored) as content:
                new_path = storage.save(attachment_path(attachment, _safe_filename(name)), content)
            storage.delete(stored)
            stored = new_path
        if name != attachment.name or stored != attachment.file.name:
            Attachment.objects.filter(pk=attachment.pk).update(name=name, file=stored)


def _safe_filename(name):
    return re.sub(r"[^\w.-]+", "-", name).strip("-") or "piece-jointe"


def _check_erasable(user):
    if is_erased_email(user.email):
        raise PersonalDataError(_("Cette personne a déjà été effacée."), code="already_erased")
    if is_staff_account(user):
        raise PersonalDataError(
            _("Un membre de l'équipe ne peut pas être effacé : retirez-lui d'abord l'accès à l'administration."),
            code="staff",
        )


@transaction.atomic
def erase_person(user, *, actor, reason="request"):
    """Anonymises ``user`` everywhere; returns the Erasure record."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_erasable(user)
    original_email = user.email
    redact = _redactor(original_email, user.get_full_name(), user.first_name, user.last_name, user.phone)
    erasure = Erasure.objects.create(actor=actor if actor and actor.pk != user.pk else None, reason=reason)

    # Every row of every address the person registered with (reports count distinct addresses:
    # all rows of one address must get the same pseudonym).
    addresses = {original_email.lower()} | {
        email.lower() for email in Registration.objects.filter(user=user).values_list("email", flat=True)
    }
    registrations = Registration.objects.annotate(lower_email=Lower("email")).filter(
        Q(user=user) | Q(lower_email__in=addresses)
    )
    erasure.registrations = _anonymise_registrations(registrations, erasure, redact, main_email=original_email)
    erasure.save(update_fields=["registrations"])
    _anonymise_helpdesk(user, redact)
    exchange.anonymise(user, redact)
    forget_joint_purchase_contact(user, emails=addresses)  # the body's declaration stays
    _forget_stripe_events(redact, *addresses)
    CalendarToken.objects.filter(user=user).delete()
    SupplierClaim.objects.filter(user=user).delete()  # its address, and a right that dies with the account
    _forget_logins(original_email)
    _forget_form_submissions(original_email)
    _forget_sessions(user)
    _forget_logs(User, [user.pk], redact)
    UserProfile.objects.filter(user=user).delete()
    _forget_account_requests(addresses)
    Referent.objects.filter(user=user).delete()
    forget_newsletter_address(original_email, replacement=pseudonym(erasure), user=user)

    user.email = pseudonym(erasure)
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.job_title = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return erasure


@transaction.atomic
def erase_email(email, *, actor, reason="request"):
    """Erases whoever used ``email``: the account if there is one, else the guest's
    registrations (by address only)."""
    email = (email or "").strip()
    if not email or "@" not in email or is_erased_email(email):
        raise PersonalDataError(_("Saisissez une adresse électronique valide."), code="invalid", field="email")
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return erase_person(user, actor=actor, reason=reason)
    ids = list(Registration.objects.select_for_update().filter(email__iexact=email).values_list("pk", flat=True))
    registrations = Registration.objects.filter(pk__in=ids)
    requests_forgotten = _forget_account_requests({email.lower()})
    newsletter_forgotten = forget_newsletter_address(
        email, replacement=f"efface-lettre-{uuid.uuid4().hex[:12]}@{PSEUDONYM_DOMAIN}"
    )
    if not ids and not requests_forgotten and not newsletter_forgotten:
        raise PersonalDataError(_("Aucune donnée pour cette adresse."), code="not_found", field="email")
    names = list(registrations.values_list("first_name", "last_name").distinct())
    terms = [email]
    for first, last in names:
        terms += [f"{first} {last}", first, last]
    redact = _redactor(*terms)
    erasure = Erasure.objects.create(actor=actor, reason=reason)
    erasure.registrations = _anonymise_registrations(registrations, erasure, redact, main_email=email)
    erasure.save(update_fields=["registrations"])
    forget_joint_purchase_contact(None, emails=[email])
    _forget_stripe_events(redact, email)
    _forget_logins(email)
    _forget_form_submissions(email)
    return erasure


def _forget_account_requests(addresses):
    """Account requests (names, address, job) of these addresses go; returns how many."""
    deleted, _by_model = (
        AccountRequest.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=addresses).delete()
    )
    return deleted


# ------------------------------------------------------------------------------ retention


def retention_cutoff(now=None):
    days = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 3 * 365)
    return (now or timezone.now()) - timedelta(days=days)


def inactive_people(cutoff):
    """Accounts (never staff) with no login, registration, attendance or helpdesk message
    since ``cutoff``."""
    User = get_user_model()
    recent_registrations = Registration.objects.filter(
        Q(created_at__gte=cutoff) | Q(occurrence__start__gte=cutoff) | Q(attendances__part__start__gte=cutoff)
    )
    recent_by_email = recent_registrations.annotate(lower_email=Lower("email")).values("lower_email")
    return (
        User.objects.filter(is_staff=False, is_superuser=False, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .exclude(email__iendswith="@" + PSEUDONYM_DOMAIN)
        .exclude(pk__in=recent_registrations.filter(user__isnull=False).values("user_id"))
        .annotate(lower_email=Lower("email"))
        .exclude(lower_email__in=recent_by_email)
        .exclude(pk__in=Message.objects.filter(created_at__gte=cutoff, author__isnull=False).values("author_id"))
        .order_by("pk")
    )


def inactive_guest_emails(cutoff):
    """Addresses of guests (no account) whose every registration is older than ``cutoff``."""
    User = get_user_model()
    accounts = User.objects.annotate(lower_email=Lower("email")).values("lower_email")
    return list(
        Registration.objects.filter(user__isnull=True)
        .exclude(email__iendswith="@" + PSEUDONYM_DOMAIN)
        .annotate(lower_email=Lower("email"))
        .exclude(lower_email__in=accounts)
        .values("lower_email")
        .annotate(
            last_created=Max("created_at"),
            last_start=Max("occurrence__start"),
            last_part=Max("attendances__part__start"),
        )
        .filter(last_created__lt=cutoff, last_start__lt=cutoff)
        .filter(Q(last_part__isnull=True) | Q(last_part__lt=cutoff))
        .order_by("lower_email")
        .values_list("lower_email", flat=True)
    )


def anonymise_inactive(*, now=None):
    """Erases every inactive person and guest; returns (people, guests) counts. Safe to run twice."""
    cutoff = retention_cutoff(now)
    people = guests = 0
    for user in inactive_people(cutoff):
        erase_person(user, actor=None, reason="retention")
        people += 1
    for email in inactive_guest_emails(cutoff):
        erase_email(email, actor=None, reason="retention")
        guests += 1
    return people, guests
