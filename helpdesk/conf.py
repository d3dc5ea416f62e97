from django.conf import settings

# Attachments: types and size stated to members in French on the form.
ALLOWED_EXTENSIONS = getattr(settings, "HELPDESK_ALLOWED_EXTENSIONS", ["pdf", "docx", "odt", "xlsx", "ods"])
MAX_ATTACHMENT_SIZE = getattr(settings, "HELPDESK_MAX_ATTACHMENT_SIZE", 10 * 1024 * 1024)
MAX_ATTACHMENTS = getattr(settings, "HELPDESK_MAX_ATTACHMENTS", 3)
# Rate limits, counted in the database so they hold across processes.
MAX_QUESTIONS_PER_DAY = getattr(settings, "HELPDESK_MAX_QUESTIONS_PER_DAY", 5)
MAX_MESSAGES_PER_HOUR = getattr(settings, "HELPDESK_MAX_MESSAGES_PER_HOUR", 20)
STAFF_EMAIL = getattr(settings, "HELPDESK_STAFF_EMAIL", "assistance@reseco.fr")
