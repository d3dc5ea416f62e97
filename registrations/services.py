"""The registration engine's rules, in one place.

Every function that changes a registration locks its occurrence row first (``select_for_update``
with a short lock timeout on PostgreSQL), so counts taken under the lock are exact and concurrent
requests never overbook. Each status change writes a ``RegistrationChange``, sends the signals of
``registrations.signals`` and enqueues its e-mail once the transaction commits.
"""

import datetime
import functools

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from members.audience import Audience, may_take_part

from . import conf, signals
from .errors import RegistrationError
from .models import Occurrence, Registration, RegistrationChange, RegistrationSource, RegistrationStatus
from .models.registrations import SEAT_STATUSES
from .tasks import send_registration_email

S = RegistrationStatus
# Sources where the network's staff acts: audience and registration window do not apply.
STAFF_SOURCES = {RegistrationSource.EDITOR, RegistrationSource.WALK_IN}


# ---------------------------------------------------------------------------- locking


def lock_occurrence(occurrence_id):
    """The occurrence row (without its page, loaded on use), locked until the end of the
    transaction (PostgreSQL), or RegistrationError "busy"."""
    try:
        if connection.vendor != "postgresql":
            return Occurrence.objects.get(pk=occurrence_id)
        timeout, select, attnames = f"{conf.lock_timeout_ms()}ms", *_lock_sql()
        with connection.cursor() as cursor:
            # One round trip: the lock timeout for this transaction, then the locked row. The
            # statement is compiled once per process: the lock is waited for, and held, by
            # every registration, so what runs around it is kept to the minimum. (Two round
            # trips with server-side binding, which refuses two statements in one.)
            if connection.settings_dict["OPTIONS"].get("server_side_binding"):
                cursor.execute(SET_LOCK_TIMEOUT, [timeout])
                cursor.execute(select, [occurrence_id])
            else:
                cursor.execute(f"{SET_LOCK_TIMEOUT}; {select}", [timeout, occurrence_id])
                cursor.nextset()
            row = cursor.fetchone()
    except OperationalError as error:
        raise RegistrationError(
            _("Beaucoup de personnes s'inscrivent en ce moment : réessayez dans quelques secondes."), "busy"
        ) from error
    if row is None:
        raise Occurrence.DoesNotExist(f"Occurrence {occurrence_id} introuvable.")
    return Occurrence.from_db(connection.alias, attnames, row)


SET_LOCK_TIMEOUT = "SELECT set_config('lock_timeout', %s, true)"


@functools.cache
def _lock_sql():
    """(SQL, field names) of ``lock_occurrence`` on PostgreSQL, compiled by the ORM once."""
    rows = Occurrence.objects.select_for_update(of=("self",)).filter(pk=0).order_by()
    compiler = rows.query.get_compiler(connection.alias)
    sql, params = compiler.as_sql()
    if list(params) != [0]:  # the only parameter is the primary key
        raise RuntimeError("lock_occurrence: unexpected query parameters")
    attnames = [column.target.attname for column, _sql, _alias in compiler.select]
    return sql, attnames


def _seats_taken(occurrence_id):
    """Seats taken on the occurrence (pending payments hold theirs): one small query, run while
    the occurrence is locked."""
    if connection.vendor != "postgresql":
        return Registration.objects.filter(occurrence_id=occurrence_id).holding_seats().count()
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(), [occurrence_id, [status.value for status in SEAT_STATUSES]])
        return cursor.fetchone()[0]


@functools.cache
def _count_sql():
    table = connection.ops.quote_name(Registration._meta.db_table)  # the model's, never input
    return f"SELECT COUNT(*) FROM {table} WHERE occurrence_id = %s AND status = ANY(%s)"  # noqa: S608


# ---------------------------------------------------------------------------- reading


def seats_left(occurrence):
    """Seats still free (None when unlimited); pending payments hold their seat."""
    if occurrence.capacity is None:
        return None
    return max(occurrence.capacity - _seats_taken(occurrence.pk), 0)


def waitlist_positions(registrations):
    """{registration pk: position (1..n)} for the waitlisted ones among ``registrations`` (one query)."""
    occurrence_ids = {r.occurrence_id for r in registrations if r.status == S.WAITLISTED}
    if not occurrence_ids:
        return {}
    rows = (
        Registration.objects.filter(occurrence_id__in=occurrence_ids, status=S.WAITLISTED)
        .annotate(
            position=Window(RowNumber(), partition_by=[F("occurrence_id")], order_by=[F("waitlisted_at"), F("pk")])
        )
        .values_list("pk", "position")
    )
    return dict(rows)


def waitlist_position(registration):
    return waitlist_positions([registration]).get(registration.pk)


def registration_questions(occurrence):
    """The question keys the owning page asks ("dietary", "accessibility", "role", "free_text").

    Reads that one column of the page's own type (no page instance): nothing for a page type
    without questions; the type comes from the loaded page, or from ``page_content_type_id``
    read with the occurrence."""
    if Occurrence.page.is_cached(occurrence):
        content_type_id = occurrence.page.content_type_id
    else:
        content_type_id = getattr(occurrence, "page_content_type_id", None) or occurrence.page.content_type_id
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or "registration_questions" not in {f.name for f in model._meta.concrete_fields}:
        return []
    rows = model._default_manager.filter(pk=occurrence.page_id).values_list("registration_questions", flat=True)
    return list(rows.first() or [])


# ---------------------------------------------------------------------------- registering


def register(
    occurrence,
    *,
    user=None,
    guest=None,
    answers=None,
    source=RegistrationSource.SELF,
    actor=None,
    hold_seat_until=None,
    free_of_charge=False,
):
    """Register ``user`` (an account) or ``guest`` (a dict: first_name, last_name, email,
    organisation_name) for ``occurrence``.

    Returns the registration: CONFIRMED, WAITLISTED, PENDING_CONFIRMATION (a guest, until the
    e-mail link is followed) or PENDING_PAYMENT (a seat held until ``hold_seat_until``).

    An editor adding someone to a run that person must pay for is refused (``payment_required``)
    unless the editor chose ``free_of_charge``, which the registration's history records."""
    if (user is None) == (guest is None):
        raise ValueError("register() needs exactly one of user= or guest=")
    if source == RegistrationSource.EDITOR and not free_of_charge and payment_due(occurrence, user):
        raise RegistrationError(
            _(
                "Cette session est payante pour cette personne : elle s'inscrit et paie en ligne, "
                "ou cochez « Offert » pour l'inscrire sans paiement."
            ),
            "payment_required",
        )
    note = _("offert par l'équipe, sans paiement") if free_of_charge else ""
    person = _person(user, guest)
    if guest is not None and source == RegistrationSource.SELF:
        source = RegistrationSource.GUEST
    now = timezone.now()
    try:
        registration = _register_locked(
            occurrence, person, user, guest, answers, source, actor, hold_seat_until, now, note=note
        )
    except IntegrityError as error:  # the one-active-per-person constraint (the whole insert is rolled back)
        raise already_registered() from error
    except RegistrationError as error:
        # A double submit is told as such, whatever else would refuse it (a full organisation,
        # a closed date). Checked only on refusal: the usual path costs no query for it.
        if error.code != "busy" and _is_registered(occurrence.pk, person["email"]):
            raise already_registered() from error
        raise
    return registration


def _is_registered(occurrence_id, email):
    return Registration.objects.filter(occurrence_id=occurrence_id, email__iexact=email).active().exists()


def payment_due(occurrence, user):
    """Whether ``user`` (None: a guest) must pay before taking a seat on ``occurrence``. The engine
    knows no price: it asks the ``registration_payment_due`` hooks (payments answers for paid
    training runs, with the same eligibility rule as its own views)."""
    return any(fn(occurrence, user) for fn in hooks.get_hooks("registration_payment_due"))


def _register_locked(occurrence, person, user, guest, answers, source, actor, hold_seat_until, now, *, note=""):
    """The critical section: lock the occurrence, count, insert (and the history row, which must
    never be missing). Everything else (e-mail, cache renewal, page URLs) runs after commit."""
    page = occurrence.page if Occurrence.page.is_cached(occurrence) else None
    with transaction.atomic():
        occurrence = lock_occurrence(occurrence.pk)
        if page is not None:  # the caller's page, so that nothing reloads it
            occurrence.page = page
        _check_open(occurrence, user=user, guest=guest, source=source, now=now)
        registration = Registration(occurrence=occurrence, user=user, answers=answers or {}, source=source, **person)
        if source == RegistrationSource.GUEST:
            registration.status = S.PENDING_CONFIRMATION
        elif source == RegistrationSource.WALK_IN:
            registration.status, registration.confirmed_at = S.CONFIRMED, now
        else:
            _check_organisation_seats(occurrence, registration.organisation_id)
            if _has_free_seat(occurrence):
                if hold_seat_until is not None:
                    registration.status, registration.hold_expires_at = S.PENDING_PAYMENT, hold_seat_until
                else:
                    registration.status, registration.confirmed_at = S.CONFIRMED, now
            else:
                registration.status, registration.waitlisted_at = S.WAITLISTED, now
        registration.save()
        record_change(registration, "", actor=actor or user, note=note)
        if registration.status == S.CONFIRMED:
            _confirmed_signal(registration, "", actor or user)
        email_kind = {
            S.CONFIRMED: "confirmed",
            S.WAITLISTED: "waitlisted",
            S.PENDING_CONFIRMATION: "guest_confirmation",
        }.get(registration.status)
        if email_kind and source != RegistrationSource.WALK_IN:
            send_on_commit(registration, email_kind)
    return registration


def confirm_guest(registration, *, actor=None):
    """The guest followed the e-mail link: the registration now takes a seat (or a place in line)."""
    with transaction.atomic():
        occurrence = lock_occurrence(registration.occurrence_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != S.PENDING_CONFIRMATION:
            return registration  # already confirmed: following the link twice changes nothing
        if occurrence.is_cancelled or occurrence.is_past:
            raise RegistrationError(_("Cette date n'est plus ouverte aux inscriptions."), "closed")
        previous = registration.status
        now = timezone.now()
        if _has_free_seat(occurrence):
            registration.status, registration.confirmed_at = S.CONFIRMED, now
        else:
            registration.status, registration.waitlisted_at = S.WAITLISTED, now
        registration.save(update_fields=["status", "confirmed_at", "waitlisted_at", "updated_at"])
        record_change(registration, previous, actor=actor, note=_("adresse électronique confirmée"))
        if registration.status == S.CONFIRMED:
            _confirmed_signal(registration, previous, actor)
        send_on_commit(registration, "confirmed" if registration.status == S.CONFIRMED else "waitlisted")
    return registration


def confirm(registration, *, actor=None, force=False):
    """Confirm a registration (after payment, or an editor moving someone off the waiting list).

    Confirms if it holds a seat or a seat is free; else RegistrationError "full" (``force``: an
    editor may confirm beyond capacity)."""
    with transaction.atomic():
        occurrence = lock_occurrence(registration.occurrence_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == S.CONFIRMED:
            return registration
        if registration.status not in (S.PENDING_PAYMENT, S.WAITLISTED, S.PENDING_CONFIRMATION, S.CANCELLED):
            raise RegistrationError(_("Cette inscription ne peut pas être confirmée."), "invalid_status")
        if registration.status != S.PENDING_PAYMENT and not force and not _has_free_seat(occurrence):
            raise RegistrationError(_("Il n'y a plus de place disponible."), "full")
        previous = registration.status
        _set_confirmed(registration)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as error:  # a cancelled row brought back while the person re-registered
            raise already_registered() from error
        record_change(registration, previous, actor=actor)
        _confirmed_signal(registration, previous, actor)
        # « Une place s'est libérée » is for automatic promotions only: an editor's confirmation
        # (perhaps beyond capacity) is told as what it is.
        send_on_commit(registration, "confirmed")
    return registration


def cancel(registration, *, actor=None, reason="", notify=True, promote=True):
    """Cancel a registration; the seat it frees goes to the first on the waiting list, in the
    same transaction (until the promotion cut-off before the start)."""
    with transaction.atomic():
        occurrence = lock_occurrence(registration.occurrence_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == S.CANCELLED:
            return registration
        previous = registration.status
        registration.status, registration.cancelled_at = S.CANCELLED, timezone.now()
        registration.hold_expires_at = None
        registration.save(update_fields=["status", "cancelled_at", "hold_expires_at", "updated_at"])
        record_change(registration, previous, actor=actor, note=reason)
        signals.registration_cancelled.send(
            sender=Registration, registration=registration, previous_status=previous, actor=actor
        )
        if notify:
            send_on_commit(registration, "cancelled")
        if promote and previous in SEAT_STATUSES:
            promote_waitlisted(occurrence, actor=actor)
    return registration


def promote_waitlisted(occurrence, *, actor=None, now=None):
    """Confirm the first on the waiting list while seats are free. Call with the occurrence locked."""
    now = now or timezone.now()
    if occurrence.is_cancelled or occurrence.start - datetime.timedelta(hours=conf.promotion_cutoff_hours()) <= now:
        return []
    promoted = []
    free = seats_left(occurrence)
    if free is None:
        free = Registration.objects.filter(occurrence=occurrence, status=S.WAITLISTED).count()
    if free <= 0:
        return promoted
    limit = occurrence.seats_per_organisation
    waiting = Registration.objects.filter(occurrence=occurrence).waitlisted().select_for_update()
    for registration in waiting if limit else waiting[:free]:
        if len(promoted) >= free:
            break
        if (
            limit
            and registration.organisation_id
            and _organisation_seats(occurrence, registration.organisation_id) >= limit
        ):
            continue
        _set_confirmed(registration, now=now)
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        record_change(registration, S.WAITLISTED, actor=actor, note=_("place libérée"))
        _confirmed_signal(registration, S.WAITLISTED, actor)
        send_on_commit(registration, "promoted")
        promoted.append(registration)
    return promoted


def release_expired_holds(now=None):
    """Cancel seat holds whose payment did not come in time, and guest registrations never
    confirmed by e-mail; freed seats go to the waiting list. Returns how many were released.
    Dates that have ended are history: their registrations are left as they are."""
    now = now or timezone.now()
    guest_deadline = now - datetime.timedelta(hours=conf.guest_confirmation_hours())
    expired = (
        Registration.objects.filter(status=S.PENDING_PAYMENT, hold_expires_at__lt=now)
        | Registration.objects.filter(status=S.PENDING_CONFIRMATION, created_at__lt=guest_deadline)
    ).filter(occurrence__end__gt=now)
    released = 0
    for registration in expired.order_by("occurrence_id", "pk"):
        note = (
            _("réservation expirée sans paiement")
            if registration.status == S.PENDING_PAYMENT
            else _("adresse électronique jamais confirmée")
        )
        with transaction.atomic():
            lock_occurrence(registration.occurrence_id)
            current = Registration.objects.select_for_update().get(pk=registration.pk)
            # Re-check under the lock: a payment may have confirmed it meanwhile.
            still_expired = (current.status == S.PENDING_PAYMENT and current.hold_expires_at < now) or (
                current.status == S.PENDING_CONFIRMATION
            )
            if still_expired:
                cancel(current, reason=note, notify=False)
                released += 1
    return released


def fill_free_seats(now=None):
    """Promote waiting lists where seats are free (capacity raised by an editor, a missed
    promotion…): the periodic catch-all. Returns how many were promoted."""
    now = now or timezone.now()
    candidates = (
        Occurrence.objects.scheduled()
        .upcoming(now)
        .with_seat_counts()
        .filter(waiting_count__gt=0)
        .filter(Q(capacity__isnull=True) | Q(capacity__gt=F("confirmed_count") + F("held_count") + F("selected_count")))
        .values_list("pk", flat=True)
    )
    promoted = 0
    for occurrence_id in list(candidates):
        with transaction.atomic():
            promoted += len(promote_waitlisted(lock_occurrence(occurrence_id), now=now))
    return promoted


# ---------------------------------------------------------------------------- helpers


def person_details(user):
    """Name, e-mail and organisation of an account, as a registration records them."""
    organisation, supplier = user.organisation, user.supplier
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": organisation,
        "organisation_name": organisation.name if organisation else (supplier.name if supplier else ""),
    }


def _person(user, guest):
    if user is not None:
        return person_details(user)
    organisation = guest.get("organisation")  # a member body an editor chose, else None
    return {
        "first_name": guest["first_name"],
        "last_name": guest["last_name"],
        "email": guest["email"].strip(),
        "organisation": organisation,
        "organisation_name": organisation.name if organisation else guest.get("organisation_name", ""),
    }


def _check_open(occurrence, *, user, guest, source, now):
    if occurrence.is_cancelled:
        raise RegistrationError(_("Cette date est annulée : on ne peut plus s'y inscrire."), "cancelled")
    # Walk-ins are typed in from paper sign-in sheets, often once the date has ended: an
    # editor's explicit act on history (page edits still never change an ended date).
    if source != RegistrationSource.WALK_IN and occurrence.start <= now:
        raise RegistrationError(_("Cette date est passée : on ne peut plus s'y inscrire."), "past")
    if source in STAFF_SOURCES:
        return
    if not occurrence.registration_required:
        raise RegistrationError(_("Cette date est ouverte à tous sans inscription."), "not_required")
    if occurrence.audience == Audience.SUPPLIERS:
        raise RegistrationError(_("Les fournisseurs candidatent avec le formulaire de candidature."), "audience")
    allowed = may_take_part(user, occurrence.audience) if user is not None else occurrence.audience == Audience.EVERYONE
    if not allowed:
        raise RegistrationError(_("Cette date est réservée aux membres du réseau."), "audience")
    check_window(occurrence, now)


def check_window(occurrence, now):
    if occurrence.registration_opens_at and now < occurrence.registration_opens_at:
        raise RegistrationError(_("Les inscriptions ne sont pas encore ouvertes."), "not_open")
    if occurrence.registration_closes_at and now > occurrence.registration_closes_at:
        raise RegistrationError(_("Les inscriptions sont closes."), "closed")


def _organisation_seats(occurrence, organisation_id):
    return Registration.objects.filter(occurrence=occurrence, organisation_id=organisation_id).holding_seats().count()


def _check_organisation_seats(occurrence, organisation_id):
    limit = occurrence.seats_per_organisation
    if limit and organisation_id and _organisation_seats(occurrence, organisation_id) >= limit:
        raise RegistrationError(
            _("Votre collectivité a déjà %(count)s inscrits, le maximum pour cette date.") % {"count": limit},
            "organisation_full",
        )


def _has_free_seat(occurrence):
    left = seats_left(occurrence)
    return left is None or left > 0


def _set_confirmed(registration, now=None):
    registration.status = S.CONFIRMED
    registration.confirmed_at = now or timezone.now()
    registration.hold_expires_at = None


def _confirmed_signal(registration, previous, actor):
    signals.registration_confirmed.send(
        sender=Registration, registration=registration, previous_status=previous, actor=actor
    )


def already_registered():
    return RegistrationError(_("Vous êtes déjà inscrit·e à cette date."), "already_registered")


def record_change(registration, previous, *, actor=None, note=""):
    RegistrationChange.objects.create(
        registration=registration,
        from_status=previous or "",
        to_status=registration.status,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=str(note)[:300],
    )


def send_on_commit(registration, kind, extra=None):
    pk = registration.pk
    transaction.on_commit(lambda: send_registration_email.enqueue(pk, kind, extra))
