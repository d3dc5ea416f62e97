"""Links sent by e-mail. Set-password links reuse Django's password-reset tokens (a hash of the
password and last login, so a link dies once used) with their own salt and lifetime; e-mail
verification links are signed payloads (nothing stored before the address is proven)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

REQUEST_SALT = "accounts.request"
SIGNUP_SALT = "accounts.signup"


def invitation_days():
    return getattr(settings, "ACCOUNTS_INVITATION_DAYS", 14)


def verification_seconds():
    return getattr(settings, "ACCOUNTS_VERIFICATION_HOURS", 48) * 3600


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.SetPasswordTokenGenerator"

    def check_token(self, user, token):
        """Django's check with the invitation's lifetime instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36 = token.split("-")[0]
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token) for secret in secrets
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= invitation_days() * 86400


set_password_tokens = SetPasswordTokenGenerator()


def set_password_path_args(user):
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": set_password_tokens.make_token(user)}


def sign(payload, salt):
    return signing.dumps(payload, salt=salt, compress=True)


def unsign(token, salt):
    """The payload, or None when the link is forged or expired."""
    try:
        return signing.loads(token, salt=salt, max_age=verification_seconds())
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
