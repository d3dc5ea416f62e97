"""The exchange's limits. Attachments follow the helpdesk's (same types, size and number)."""

from django.conf import settings

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 8000
# Posts full of links are spam, not questions between colleagues.
MAX_LINKS_PER_POST = getattr(settings, "EXCHANGE_MAX_LINKS_PER_POST", 3)
# Rate limits, counted in the database so they hold across processes.
MAX_QUESTIONS_PER_DAY = getattr(settings, "EXCHANGE_MAX_QUESTIONS_PER_DAY", 5)
MAX_ANSWERS_PER_HOUR = getattr(settings, "EXCHANGE_MAX_ANSWERS_PER_HOUR", 20)
MAX_REPORTS_PER_DAY = getattr(settings, "EXCHANGE_MAX_REPORTS_PER_DAY", 20)
PAGE_SIZE = 20
