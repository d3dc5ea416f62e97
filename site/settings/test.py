"""Test settings: fast hashing, immediate tasks, in-memory e-mail."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="reseco-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
# Pages are not cached between tests (caching has its own tests, which switch it on).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
# Login throttling is exercised by its own tests (override_settings(AXES_ENABLED=True)).
AXES_ENABLED = False
# Rate limits are exercised by their own tests (tests/security/test_ratelimits.py).
RATE_LIMITS = {"register": (10_000, 3600), "apply": (10_000, 3600), "search": (100_000, 60), "account": (10_000, 3600)}
# Staff's second factor is exercised by its own tests (tests/twofactor/), which switch it on.
TWO_FACTOR_REQUIRED = False
# The test database empties itself with DELETE rather than TRUNCATE (tests/postgresql/base.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # noqa: F405
