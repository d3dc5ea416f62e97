"""The newsletter's rules: subscribing (double opt-in), unsubscribing (one click), members'
preferences, and sending an issue: one delivery row per recipient, claimed with
``select_for_update(skip_locked=True)``, sent and marked one at a time, so that a worker killed
half-way and started again sends nobody a second copy and skips nobody."""

import smtplib
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf, tasks
from .addresses import clean_address, normalise
from .emails import absolute, build_message, render_issue
from .errors import NewsletterError
from .models import (
    AddressHealth,
    Consent,
    ConsentAction,
    ConsentSource,
    Delivery,
    DeliveryStatus,
    Sending,
    SendingStatus,
    Subscriber,
    SubscriberStatus,
)
from .queries import recipients
from .tokens import confirm_token, read_confirm_token, read_unsubscribe_token

RESEND_CONFIRMATION_AFTER = 600  # seconds: a second request sooner sends no second e-mail


def _consent(subscriber, action, source, *, detail="", ip=None):
    return Consent.objects.create(subscriber=subscriber, action=action, source=source, detail=detail, ip_address=ip)


def _describe(subscriber):
    parts = []
    if subscriber.public_letter:
        parts.append(_("lettre RESECO"))
    if subscriber.members_letters:
        parts.append(_("lettres aux membres"))
    sectors = [s.name for s in subscriber.sectors.all()] if subscriber.pk else []
    if sectors:
        parts.append(_("secteurs : %(names)s") % {"names": ", ".join(sectors)})
    return "; ".join(parts) or _("aucune lettre")


# ------------------------------------------------------------------------------ subscribing


@transaction.atomic
def request_subscription(email, *, ip=None):
    """A public subscription: stores a pending request and sends the confirmation link (once per
    ten minutes). Says nothing of whether the address was already subscribed."""
    address = clean_address(email)
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=address, defaults={"status": SubscriberStatus.PENDING, "public_letter": True}
    )
    if subscriber.status == SubscriberStatus.ACTIVE and subscriber.public_letter:
        return subscriber
    now = timezone.now()
    if (
        subscriber.confirmation_sent_at
        and (now - subscriber.confirmation_sent_at).total_seconds() < RESEND_CONFIRMATION_AFTER
    ):
        return subscriber  # flooding one address: one e-mail per ten minutes
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])
    _consent(subscriber, ConsentAction.REQUESTED, ConsentSource.FORM, detail=str(_("lettre RESECO")), ip=ip)
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(address))
    return subscriber


def confirmation_message(email):
    url = absolute(reverse("newsletter:confirm", args=[confirm_token(email)]))
    context = {"url": url, "hours": conf.confirmation_seconds() // 3600}
    return EmailMultiAlternatives(
        _("Confirmez votre abonnement à la lettre RESECO"),
        render_to_string("newsletter/email/confirm.txt", context),
        None,
        [email],
    )


@transaction.atomic
def confirm_subscription(token, *, ip=None):
    email, problem = read_confirm_token(token)
    if email is None:
        if problem == "expired":
            raise NewsletterError(_("Ce lien a expiré : abonnez-vous de nouveau."), code="expired")
        raise NewsletterError(_("Ce lien n'est pas valide."), code="invalid_token")
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(email=normalise(email))
    if subscriber.status == SubscriberStatus.ACTIVE and subscriber.public_letter:
        return subscriber
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.public_letter = True
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.save()
    _consent(subscriber, ConsentAction.CONFIRMED, ConsentSource.EMAIL_LINK, detail=_describe(subscriber), ip=ip)
    return subscriber


@transaction.atomic
def unsubscribe(token, *, source=ConsentSource.EMAIL_LINK, ip=None):
    """Unsubscribes the address the token names from every letter (no login)."""
    email = read_unsubscribe_token(token)
    if email is None:
        raise NewsletterError(_("Ce lien de désabonnement n'est pas valide."), code="invalid_token")
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=normalise(email), defaults={"status": SubscriberStatus.UNSUBSCRIBED}
    )
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED or _created:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.public_letter = False
        subscriber.members_letters = False
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save()
        _consent(subscriber, ConsentAction.UNSUBSCRIBED, source, detail=_("toutes les lettres"), ip=ip)
    return subscriber


@transaction.atomic
def update_preferences(user, *, public_letter, members_letters, sectors, ip=None):
    """A member's choices in « Mon compte » (no double opt-in: the account's address is verified)."""
    address = normalise(user.email)
    subscriber = Subscriber.objects.select_for_update().filter(user=user).first()
    if subscriber is None:
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(email=address)
    subscriber.user, subscriber.email = user, address
    subscriber.public_letter = public_letter
    subscriber.members_letters = members_letters
    now = timezone.now()
    if public_letter or members_letters or sectors:
        subscriber.status = SubscriberStatus.ACTIVE
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.unsubscribed_at = None
    else:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = now
    subscriber.save()
    subscriber.sectors.set(sectors)
    _consent(subscriber, ConsentAction.PREFERENCES, ConsentSource.ACCOUNT, detail=_describe(subscriber), ip=ip)
    return subscriber


# ------------------------------------------------------------------------------ sending


def _check_sendable(issue):
    if not issue.live:
        raise NewsletterError(_("Publiez le numéro avant de l'envoyer."), code="not_live")


def send_test(issue, user):
    """A copy of the published issue (members' version) to the editor, at once (in the background)."""
    _check_sendable(issue)
    try:
        address = clean_address(user.email)
    except ValidationError:
        raise NewsletterError(_("Votre adresse électronique ne permet pas l'envoi."), code="invalid_email") from None
    transaction.on_commit(lambda: tasks.send_test_copy.enqueue(issue.pk, address))


@transaction.atomic
def schedule_sending(issue, *, actor, at=None):
    """Sends ``issue`` now or at ``at``; an issue is sent once."""
    _check_sendable(issue)
    now = timezone.now()
    if at is not None and at < now - timezone.timedelta(minutes=1):
        raise NewsletterError(_("Choisissez une date à venir."), code="past", field="scheduled_at")
    try:
        with transaction.atomic():
            sending = Sending.objects.create(
                issue=issue,
                revision=issue.live_revision,
                scheduled_at=at or now,
                created_by=actor,
            )
    except IntegrityError:
        raise NewsletterError(_("Ce numéro a déjà été envoyé ou son envoi est programmé."), code="already") from None
    if at is None or at <= now:
        transaction.on_commit(lambda: tasks.start_sending.enqueue(sending.pk))
    return sending


@transaction.atomic
def cancel_sending(sending):
    sending = Sending.objects.select_for_update().get(pk=sending.pk)
    if sending.status != SendingStatus.SCHEDULED:
        raise NewsletterError(_("Seul un envoi programmé peut être annulé."), code="not_scheduled")
    sending.status = SendingStatus.CANCELLED
    sending.save(update_fields=["status"])
    return sending


def materialise(sending_id):
    """Creates the deliveries of a due sending (once); returns True when there is work to do."""
    with transaction.atomic():
        sending = Sending.objects.select_for_update().select_related("issue").get(pk=sending_id)
        if sending.status == SendingStatus.SENDING:
            return True
        if sending.status != SendingStatus.SCHEDULED or sending.scheduled_at > timezone.now():
            return False
        issue = _issue_of(sending)
        chosen = recipients(issue)
        Delivery.objects.bulk_create(
            [Delivery(sending=sending, email=email, members_copy=members) for email, members in chosen.items()],
            batch_size=2000,
            ignore_conflicts=True,
        )
        sending.status = SendingStatus.SENDING
        sending.recipients_count = len(chosen)
        sending.started_at = sending.heartbeat_at = timezone.now()
        sending.save()
        return True


def _issue_of(sending):
    """The issue as it was published when the sending was decided (later edits do not leak in)."""
    if sending.revision_id:
        issue = sending.revision.as_object()
        issue.pk = sending.issue_id
        return issue
    return sending.issue.specific


def _is_hard(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return all(code >= 500 for code in codes), "; ".join(f"{c} {m!r}" for c, m in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500, f"{error.smtp_code} {error.smtp_error!r}"
    return False, repr(error)


def record_hard_failure(email, error):
    """An address the server refused for good; the third time, it is suspended."""
    with transaction.atomic():
        health, _created = AddressHealth.objects.select_for_update().get_or_create(email=email)
        health.hard_failures += 1
        health.last_error = error[:500]
        health.last_failure_at = timezone.now()
        if health.hard_failures >= conf.hard_failure_limit() and health.suspended_at is None:
            health.suspended_at = health.last_failure_at
        health.save()
    return health


def deliver_batch(sending_id, *, limit=None, rate=None):
    """Sends up to ``limit`` pending deliveries of the sending, ``rate`` per second at most.
    Each row is claimed (skipping rows another worker holds), sent, and marked in one
    transaction: a crash before the mark leaves it pending (and the message unaccepted by the
    server, which only accepts it once the worker gets its answer). Returns (sent, remaining)."""
    limit = conf.batch_size() if limit is None else limit
    rate = conf.rate_per_second() if rate is None else rate
    sending = Sending.objects.select_related("revision").get(pk=sending_id)
    if sending.status != SendingStatus.SENDING:
        return 0, 0
    issue = _issue_of(sending)
    rendered = {}
    connection = get_connection()
    sent = 0
    interval = 1.0 / rate if rate else 0
    try:
        while sent < limit:
            started = time.monotonic()
            with transaction.atomic():
                delivery = (
                    Delivery.objects.select_for_update(skip_locked=True)
                    .filter(sending_id=sending_id, status=DeliveryStatus.PENDING)
                    .order_by("pk")
                    .first()
                )
                if delivery is None:
                    break
                if delivery.members_copy not in rendered:
                    rendered[delivery.members_copy] = render_issue(issue, members=delivery.members_copy)
                message = build_message(
                    rendered[delivery.members_copy],
                    delivery.email,
                    connection=connection,
                    message_id=f"<lettre-{sending_id}-{delivery.pk}@{_domain()}>",
                )
                try:
                    message.send()
                except (smtplib.SMTPException, OSError) as error:
                    connection.close()
                    hard, text = _is_hard(error)
                    delivery.status = DeliveryStatus.BOUNCED if hard else DeliveryStatus.FAILED
                    delivery.error = text[:500]
                    if hard:
                        record_hard_failure(delivery.email, text)
                else:
                    delivery.status = DeliveryStatus.SENT
                    delivery.sent_at = timezone.now()
                    sent += 1
                delivery.save(update_fields=["status", "error", "sent_at"])
            if interval:
                pause = interval - (time.monotonic() - started)
                if pause > 0:
                    time.sleep(pause)
    finally:
        connection.close()
    remaining = Delivery.objects.filter(sending_id=sending_id, status=DeliveryStatus.PENDING).count()
    Sending.objects.filter(pk=sending_id).update(heartbeat_at=timezone.now())
    if not remaining:
        finish(sending_id)
    return sent, remaining


def finish(sending_id):
    with transaction.atomic():
        sending = Sending.objects.select_for_update().get(pk=sending_id)
        if sending.status != SendingStatus.SENDING:
            return
        if Delivery.objects.filter(sending=sending, status=DeliveryStatus.PENDING).exists():
            return
        sending.status = SendingStatus.DONE
        sending.finished_at = timezone.now()
        sending.save(update_fields=["status", "finished_at"])


def deliver_all(sending_id, *, rate=None):
    """Every pending delivery, batch after batch (the worker's loop, and a restarted one's)."""
    if not materialise(sending_id):
        return
    while True:
        _sent, remaining = deliver_batch(sending_id, rate=rate)
        if not remaining:
            return


def _domain():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "reseco"


def start_due_sendings(*, now=None):
    """The periodic job: starts scheduled sendings that are due, and resumes sendings whose
    worker stopped (no progress for a while). Safe to run twice: rows are claimed one by one."""
    now = now or timezone.now()
    started = []
    for sending_id in Sending.objects.filter(status=SendingStatus.SCHEDULED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    ):
        tasks.start_sending.enqueue(sending_id)
        started.append(sending_id)
    stalled = now - timezone.timedelta(seconds=conf.stalled_seconds())
    for sending_id in Sending.objects.filter(status=SendingStatus.SENDING, heartbeat_at__lt=stalled).values_list(
        "pk", flat=True
    ):
        Sending.objects.filter(pk=sending_id).update(heartbeat_at=now)
        tasks.send_batch.enqueue(sending_id)
        started.append(sending_id)
    # Public requests never confirmed are forgotten after a week.
    Subscriber.objects.filter(
        status=SubscriberStatus.PENDING, user__isnull=True, created_at__lt=now - timezone.timedelta(days=7)
    ).delete()
    return started


# ------------------------------------------------------------------------------ personal data


def forget_address(email, *, replacement, user=None):
    """Erasure: the subscriber (and its consents) and the address's failures go; deliveries keep
    their count under a pseudonym. Returns how many subscribers were removed."""
    address = normalise(email)
    subscribers = Subscriber.objects.filter(email=address)
    if user is not None:
        subscribers = Subscriber.objects.filter(Q(email=address) | Q(user=user))
    removed, _by_model = subscribers.delete()
    AddressHealth.objects.filter(email=address).delete()
    delivered = Delivery.objects.filter(email=address).update(email=replacement)
    return removed + delivered


def personal_data(user):
    address = normalise(user.email)
    subscriber = Subscriber.objects.filter(user=user).first() or Subscriber.objects.filter(email=address).first()
    deliveries = Delivery.objects.filter(email=address).select_related("sending__issue").order_by("pk")
    return {
        "abonnement": None
        if subscriber is None
        else {
            "adresse_electronique": subscriber.email,
            "statut": subscriber.status,
            "lettre_publique": subscriber.public_letter,
            "lettres_aux_membres": subscriber.members_letters,
            "secteurs": sorted(s.name for s in subscriber.sectors.all()),
            "confirme_le": subscriber.confirmed_at,
            "desabonne_le": subscriber.unsubscribed_at,
            "consentements": [
                {"action": c.action, "objet": c.detail, "moyen": c.source, "adresse_ip": c.ip_address, "le": c.at}
                for c in subscriber.consents.all()
            ],
        },
        "lettres_recues": [
            {"numero": d.sending.issue.title, "statut": d.status, "envoye_le": d.sent_at} for d in deliveries
        ],
    }
