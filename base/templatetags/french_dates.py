import datetime

from django import template

from base import french_dates

register = template.Library()

register.filter("french_span", french_dates.french_span)
register.filter("french_datetime", french_dates.french_datetime)


@register.filter
def french_day(value):
    return french_dates.french_date(french_dates.local(value).date() if isinstance(value, datetime.datetime) else value)


@register.filter
def french_hour(value):
    return french_dates.french_time(french_dates.local(value))
