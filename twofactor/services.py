"""A second factor for every staff account (django-otp): an authenticator app (TOTP) and ten
recovery codes, each usable once. Members, suppliers and the public sign in with a password only."""

import base64

from django.conf import settings
from django.db import transaction

import segno
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.staff import is_staff

APP_DEVICE = "Application d'authentification"
RECOVERY_DEVICE = "Codes de secours"
RECOVERY_CODES = 10


def second_factor_required(user):
    """The person acting is staff and the site asks staff for a second factor (production)."""
    return getattr(settings, "TWO_FACTOR_REQUIRED", True) and is_staff(user)


def has_second_factor(user):
    return any(devices_for_user(user, confirmed=True))


def pending_app_device(user):
    """The authenticator being set up: kept across reloads of the page, so the QR code the person
    scanned stays the right one until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def secret(device):
    """The key in base 32, as authenticator apps ask for it when typed by hand."""
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device):
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="Code QR")


@transaction.atomic
def confirm_app_device(device, token):
    """The first code the app shows proves it holds the key; returns the recovery codes (shown
    once), or None when the code is wrong."""
    if not device.verify_token((token or "").replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Ten new recovery codes; the previous ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verified_device(user, token):
    """The device (app or recovery code, which is then used up) that accepts ``token``, or None.
    django-otp slows down repeated failures on the app (OTP_TOTP_THROTTLE_FACTOR)."""
    return match_token(user, (token or "").replace(" ", "").lower()) if token else None


@transaction.atomic
def reset_second_factor(user):
    """An administrator's reset (lost phone): every device goes; the person enrols again at their
    next sign-in. Returns the number of devices removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed
