from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .models import TimeEntry


class TimeEntryForm(WagtailAdminModelForm):
    # French decimals: "2,5" as well as "2.5".
    hours = forms.DecimalField(
        label=_("heures"),
        localize=True,
        max_digits=4,
        decimal_places=2,
        help_text=TimeEntry._meta.get_field("hours").help_text,
    )

    class Meta:
        model = TimeEntry
        fields = ["person", "date", "hours", "activity", "page", "note"]
