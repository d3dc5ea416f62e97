"""Local development: `make run`. Never used in production."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
# E-mails: one file per message in var/mail/ (`make run` prints the path), unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "home.mail.OneFilePerMessageBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # noqa: F405
# Staff's second factor: off for the demo (`TWO_FACTOR_REQUIRED=true make run` to try it).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
