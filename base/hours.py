"""Hours: counted from durations (attendance, certificates, reports, personal-data exports) and
written the French way."""

from decimal import ROUND_HALF_UP, Decimal


def hours(duration):
    """A timedelta (or None) as Decimal hours, two decimals."""
    if not duration:
        return Decimal("0.00")
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.01"), ROUND_HALF_UP)


def hours_display(value):
    """Hours the French way, without useless decimals: 14, 10,5, 10,25."""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",")
