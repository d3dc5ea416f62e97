from django.conf import settings

# Reminders go this many days before each deadline of a grouped purchase's calendar.
REMINDER_DAYS = getattr(settings, "JOINTPURCHASES_REMINDER_DAYS", 7)
# A declared yearly quantity above this is refused as a typing error (a billion kg of coffee).
MAX_QUANTITY = getattr(settings, "JOINTPURCHASES_MAX_QUANTITY", 100_000_000)
# Signed deliberations and conventions: PDF only, this size at most.
MAX_SIGNED_DOCUMENT_SIZE = getattr(settings, "JOINTPURCHASES_MAX_SIGNED_DOCUMENT_SIZE", 10 * 1024 * 1024)
# The proposal form offers this many lot rows (blank rows are ignored).
LOT_ROWS = getattr(settings, "JOINTPURCHASES_LOT_ROWS", 6)
