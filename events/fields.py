from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


class ChoiceListField(models.JSONField):
    """A list of choice keys stored as JSON, edited with checkboxes (works on SQLite and PostgreSQL)."""

    def __init__(self, *args, choices_list=(), **kwargs):
        self.choices_list = list(choices_list)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_list"] = self.choices_list
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.choices_list,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        known = {key for key, _label in self.choices_list}
        unknown = [v for v in value or [] if v not in known]
        if unknown:
            raise ValidationError(_("Valeurs inconnues : %(values)s") % {"values": ", ".join(map(str, unknown))})
