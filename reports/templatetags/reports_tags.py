from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def number(value, unit=""):
    """A report number the French way (« 66,7 % », « 24,5 h »); « — » when there is none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal | float):
        value = Decimal(str(value)).normalize()
        text = number_format(value, decimal_pos=max(0, -value.as_tuple().exponent), use_l10n=True)
    else:
        text = number_format(value, use_l10n=True)
    return f"{text}\u00a0{unit}" if unit else text


@register.filter
def evolution(figure_or_values, key=None):
    """The change from the previous period, signed: « +3 », « −1,5 »."""
    if key is None:
        value, previous = figure_or_values.value, figure_or_values.previous
    else:
        value, previous = figure_or_values
    if value is None or previous is None or isinstance(value, str) or isinstance(previous, str):
        return "—"
    delta = Decimal(str(value)) - Decimal(str(previous))
    if delta == 0:
        return "="
    sign = "+" if delta > 0 else "−"
    return sign + number(abs(delta))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
