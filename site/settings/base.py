"""Settings shared by every environment; safe by default, configured from the environment.

The ``site/`` folder is on the import path (manage.py, wsgi.py, pytest, gunicorn), so this
module is ``settings.base`` and the project's URLconf is ``urls``.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps, named after what users name.
    "base",
    "home",
    "members",
    "sectors",
    "accounts",
    "workinggroups",
    "events",
    "registrations",
    "trainings",
    "payments",
    "resources",
    "helpdesk",
    "newsletter",
    "exchange",
    "jointpurchases",
    "attendance",
    "timesheets",
    "evaluations",  # after attendance: its demo answers the surveys of the people present
    "reports",
    "personaldata",
    "search",
    "twofactor",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "recurrence",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Outermost: a response from the page cache still becomes a 304 when the client's ETag or
    # Last-Modified matches (calendar programs poll the public feeds this way).
    "django.middleware.http.ConditionalGetMiddleware",
    "base.caching.AnonymousCacheUpdateMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "base.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site speaks one language (LANGUAGES), the default everywhere. It
    # would parse Accept-Language on every request and add « Vary: Accept-Language », keeping
    # one copy of each cached page per browser language for nothing.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff pass a second factor before the admin (twofactor/, TWO_FACTOR_REQUIRED).
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.StaffSecondFactorMiddleware",
    # Django's, opening the message storage only when a message is added or read.
    "base.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # django-csp's, with the settings' policy built once.
    "base.middleware.SettledPolicyCSPMiddleware",
    "base.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: locks out repeated failed logins (site and admin).
    "axes.middleware.AxesMiddleware",
    "base.caching.AnonymousCacheFetchMiddleware",
]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: 5 failures for one address from one IP lock it out for 15 minutes.
# Personal data: people without activity for this many days are anonymised (anonymise_inactive).
# Who is told of new supplier applications; empty: every active staff account with an address.
REGISTRATIONS_STAFF_EMAILS = env_list("REGISTRATIONS_STAFF_EMAILS") or None
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", str(3 * 365)))

# Wrong passwords: 5 for one account from one address, or 20 for any accounts from one address,
# lock that address out for the cool-off time (members/throttling.py).
LOGIN_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
# Staff (is_staff or superuser) give a second factor (authenticator app or recovery code) before
# the admin: on by default and always in production; `settings.dev` and the tests switch it off
# unless TWO_FACTOR_REQUIRED=true (its own tests switch it on). Reset: `manage.py reset_2fa <email>`.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "RESECO"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
AXES_FAILURE_LIMIT = "members.throttling.failure_limit"
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our login forms (site and Wagtail admin) post the e-mail in a field named "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "members.views.locked_out"
# Trusted reverse proxies in front (each appends to X-Forwarded-For): login throttling and rate
# limits count the address the outermost one saw (base.ratelimit.client_ip), not the proxy's.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "base.ratelimit.client_ip"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "members:account"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
# locale_wagtail/ corrects a few of Wagtail's French messages (« Ajouter un(e) … »); makemessages writes to the first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "RESECO <contact@reseco.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (e-mails, .ics) goes through django-tasks with a database queue, so no
# extra service is needed; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}


def _cache(prefix, redis_db):
    """Redis when REDIS_URL is set (one database per cache, since clearing one flushes its
    database), else a per-process memory cache."""
    if os.environ.get("REDIS_URL"):
        base = (
            os.environ["REDIS_URL"].rsplit("/", 1)[0]
            if os.environ["REDIS_URL"].count("/") > 2
            else os.environ["REDIS_URL"]
        )
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{base}/{redis_db}",
            "KEY_PREFIX": prefix,
        }
    # Room for every page's serialised VEVENTs (events/ical.py) and the pages' data versions:
    # Django's default of 300 entries would evict them on every feed of 1,000 events.
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": prefix,
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }


# "pages" holds anonymous pages and public feeds (home/caching.py); it is cleared on publish.
CACHES = {"default": _cache("reseco", 0), "pages": _cache("reseco-pages", 1)}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS
CACHE_MIDDLEWARE_KEY_PREFIX = "page"

# A caching reverse proxy in front (Varnish, nginx…) is purged on publish when configured.
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

# Wagtail
WAGTAIL_SITE_NAME = "RESECO"
# The site's public address: absolute links in feeds, the sitemap, robots.txt and e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_URL)
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # privacy of members-only documents is checked on every download
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "doc", "xls", "csv", "txt", "zip", "pptx", "odp"]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # On SQLite, modelsearch's FTS5 backend with French plurals and accents (search/sqlite_backend.py).
        "BACKEND": "wagtail.search.backends.database" if IS_POSTGRES else "search.sqlite_backend",
        "SEARCH_CONFIG": "french_unaccent" if IS_POSTGRES else None,
    }
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/compte/connexion/"
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# Stripe: card payment is hidden while these are empty.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# No site may frame ours; the admin (Wagtail's preview frame) allows its own origin
# (home/middleware.py).
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Content Security Policy of the public site: no inline script, nothing from elsewhere but the
# Stripe Checkout redirect. Wagtail's admin uses inline scripts and gets its own compatible
# policy (home/middleware.py).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", "https://checkout.stripe.com"],
    },
}
# No avatars fetched from Gravatar: it would send a hash of staff e-mails to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Media on S3-compatible object storage (Scaleway, OVHcloud, MinIO…) when a bucket is configured;
# local disk (MEDIA_ROOT) otherwise. Files stay private: documents are always streamed through
# Django's serve view (WAGTAILDOCS_SERVE_METHOD), which checks members-only collections.
if os.environ.get("MEDIA_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_REGION") or None,
            "access_key": os.environ.get("MEDIA_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("MEDIA_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
