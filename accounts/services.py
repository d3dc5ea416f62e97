"""Accounts' lifecycle: request → verified → approved or declined; invitation → password set;
public sign-up. No answer of the public flows tells whether an address has an account: the
difference goes only into the e-mail sent to that address."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Organisation
from members.services import sync_groups

from .errors import AccountError
from .models import AccountRequest, Invitation, OrganisationBilling, Referent, RequestStatus
from .tasks import enqueue_email
from .tokens import REQUEST_SALT, SIGNUP_SALT, set_password_path_args, sign, unsign

# Addresses shared by the whole world say nothing about an organisation.
WEBMAIL_DOMAINS = {
    "gmail.com",
    "yahoo.fr",
    "yahoo.com",
    "hotmail.fr",
    "hotmail.com",
    "outlook.fr",
    "outlook.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "wanadoo.fr",
    "sfr.fr",
    "icloud.com",
    "live.fr",
}


def _absolute(path):
    return settings.SITE_URL + path


def _user_model():
    return get_user_model()


def account_exists(email):
    return _user_model().objects.filter(email__iexact=email).exists()


def _tell_existing_account(email):
    enqueue_email("existing_account", email, {"reset_url": _absolute(reverse("members:password_reset"))})


def _address_flooded(email):
    """More than a few e-mails to one address within an hour: send no more (the page answers
    the same, so nothing is revealed), whatever addresses the sender uses."""
    attempts, window = getattr(settings, "ACCOUNTS_EMAILS_PER_ADDRESS", (3, 3600))
    key = f"accounts:address:{email}"
    cache.add(key, 0, window)
    try:
        return cache.incr(key) > attempts
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return False


def ask_for_account(data):
    """« Demander un compte »: e-mails a verification link (or, for a known address, a reminder
    that the account exists). ``data``: first_name, last_name, email, organisation (id or
    None), other_organisation, job_title."""
    _send_verification(data, REQUEST_SALT, "verify_request", "accounts:verify_request")


def confirm_request(token):
    """The verification link was opened: the request waits for a decision (once)."""
    data = unsign(token, REQUEST_SALT)
    if data is None:
        raise AccountError(_("Ce lien n'est pas valable ou a expiré : refaites votre demande."), "bad_link")
    if account_exists(data["email"]):
        raise AccountError(_("Un compte existe déjà pour cette adresse : connectez-vous."), "exists")
    existing = AccountRequest.objects.pending().filter(email__iexact=data["email"]).first()
    if existing:
        return existing
    organisation = Organisation.objects.current_members().filter(pk=data.get("organisation") or 0).first()
    try:
        with transaction.atomic():
            return AccountRequest.objects.create(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organisation=organisation,
                other_organisation="" if organisation else data.get("other_organisation", ""),
                job_title=data["job_title"],
            )
    except IntegrityError:  # the same link opened twice at once
        return AccountRequest.objects.pending().get(email__iexact=data["email"])


def suggested_organisations(requests):
    """{request pk: Organisation} for requests whose e-mail domain is the one the organisation's
    people already use (one query for all)."""
    domains = {r.email.rsplit("@", 1)[-1].lower() for r in requests} - WEBMAIL_DOMAINS
    if not domains:
        return {}
    by_domain = {}
    people = _user_model().objects.filter(organisation__isnull=False, is_active=True)
    same_domain = Q()
    for domain in domains:
        same_domain |= Q(email__iendswith=f"@{domain}")
    rows = people.filter(same_domain).values("email", "organisation").annotate(n=Count("pk"))
    counts = {}
    for row in rows:
        key = (row["email"].rsplit("@", 1)[-1].lower(), row["organisation"])
        counts[key] = counts.get(key, 0) + row["n"]
    for (domain, organisation_id), _count in sorted(counts.items(), key=lambda item: item[1]):
        by_domain[domain] = organisation_id  # the most frequent organisation wins
    organisations = Organisation.objects.in_bulk(set(by_domain.values()))
    return {
        r.pk: organisations[by_domain[d]] for r in requests if (d := r.email.rsplit("@", 1)[-1].lower()) in by_domain
    }


def _create_person(*, email, first_name, last_name, organisation=None, job_title=""):
    user = _user_model().objects.create_user(
        email=email, first_name=first_name, last_name=last_name, organisation=organisation, job_title=job_title
    )
    sync_groups(user)  # « Membres » when the organisation's membership is current
    return user


def _send_invitation(user, actor, template="invitation"):
    Invitation.objects.create(user=user, invited_by=actor)
    url = _absolute(reverse("accounts:set_password", kwargs=set_password_path_args(user)))
    context = {"url": url, "name": user.get_full_name(), "organisation": str(user.organisation or "")}
    enqueue_email(template, user.email, context)


@transaction.atomic
def approve(account_request, actor, *, organisation=None):
    """Creates the account linked to ``organisation`` (default: the one asked for) and e-mails a
    set-password link."""
    request = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if request.status != RequestStatus.PENDING:
        raise AccountError(_("Cette demande a déjà été traitée."), "decided")
    if account_exists(request.email):
        raise AccountError(_("Un compte existe déjà pour cette adresse."), "exists")
    organisation = organisation or request.organisation
    user = _create_person(
        email=request.email,
        first_name=request.first_name,
        last_name=request.last_name,
        organisation=organisation,
        job_title=request.job_title,
    )
    request.status, request.decided_at, request.decided_by = RequestStatus.APPROVED, timezone.now(), actor
    request.organisation = organisation
    request.save()
    _send_invitation(user, actor, template="approved")
    return user


@transaction.atomic
def decline(account_request, actor, message):
    request = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
    if request.status != RequestStatus.PENDING:
        raise AccountError(_("Cette demande a déjà été traitée."), "decided")
    request.status, request.decided_at, request.decided_by = RequestStatus.DECLINED, timezone.now(), actor
    request.message = message
    request.save()
    enqueue_email("declined", request.email, {"message": message, "name": request.first_name})
    return request


@transaction.atomic
def invite(actor, *, email, first_name, last_name, organisation=None):
    email = email.lower()
    existing = _user_model().objects.filter(email__iexact=email).first()
    if existing is not None and _invitation_pending(existing):
        _send_invitation(existing, actor)  # the first link expired or got lost: a new one
        return existing
    if existing is not None:
        raise AccountError(_("Un compte existe déjà pour cette adresse."), "exists", field="email")
    user = _create_person(email=email, first_name=first_name, last_name=last_name, organisation=organisation)
    _send_invitation(user, actor)
    return user


def _invitation_pending(user):
    """Invited, never signed in, no password chosen: only a new link lets this person in
    (« Mot de passe oublié » ignores accounts without a usable password)."""
    return user.is_active and user.last_login is None and not user.has_usable_password()


def accept_invitation(user):
    """The password was just set through the link: the invitation is used."""
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(accepted_at=timezone.now())


def sign_up(data):
    """« Créer un compte » (public): e-mails a verification link, or a reminder for a known address."""
    _send_verification(data, SIGNUP_SALT, "verify_signup", "accounts:complete_signup")


def _send_verification(data, salt, template, url_name):
    """E-mail a signed link carrying ``data`` to its address, or, for a known address, a reminder
    (the page says the same either way); nothing past a few e-mails an hour to one address."""
    email = data["email"].lower()
    if _address_flooded(email):
        return
    if account_exists(email):
        _tell_existing_account(email)
        return
    token = sign({**data, "email": email}, salt)
    enqueue_email(template, email, {"url": _absolute(reverse(url_name, args=[token]))})


def signup_details(token):
    data = unsign(token, SIGNUP_SALT)
    if data is None:
        raise AccountError(_("Ce lien n'est pas valable ou a expiré : recommencez la création du compte."), "bad_link")
    if account_exists(data["email"]):
        raise AccountError(_("Ce compte existe déjà : connectez-vous."), "exists")
    return data


def complete_signup(data, password):
    """Creates the public account (no organisation: non-member prices)."""
    try:
        with transaction.atomic():
            user = _create_person(email=data["email"], first_name=data["first_name"], last_name=data["last_name"])
    except IntegrityError as error:
        raise AccountError(_("Ce compte existe déjà : connectez-vous."), "exists") from error
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def referent_organisation(user):
    """The organisation ``user`` answers for, or None (a person belongs to one organisation)."""
    if not user.is_authenticated or not user.organisation_id:
        return None
    if not Referent.objects.filter(user=user, organisation_id=user.organisation_id).exists():
        return None
    return user.organisation


def referent_organisation_ids(request):
    """Ids of the organisations ``request.user`` answers for, read once per request (« Mon
    compte » asks in two sections)."""
    if not hasattr(request, "_referent_organisation_ids"):
        user = request.user
        ids = (
            Referent.objects.filter(user=user).values_list("organisation_id", flat=True)
            if user.is_authenticated
            else []
        )
        request._referent_organisation_ids = set(ids)
    return request._referent_organisation_ids


def is_referent_of(user, organisation_id):
    organisation = referent_organisation(user)
    return organisation is not None and organisation.pk == organisation_id


def billing_of(organisation):
    return OrganisationBilling.objects.filter(organisation=organisation).first()
