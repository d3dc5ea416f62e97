from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sectors.models import Sector

from . import conf
from .models import MAX_FILENAME_BYTES, Question

# Magic numbers: PDF, and the ZIP container of DOCX, XLSX, ODT and ODS.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
}


def attachment_rules():
    return _("Jusqu'à %(count)d fichiers %(types)s de %(size)s chacun au plus.") % {
        "count": conf.MAX_ATTACHMENTS,
        "types": ", ".join(ext.upper() for ext in conf.ALLOWED_EXTENSIONS),
        "size": filesizeformat(conf.MAX_ATTACHMENT_SIZE),
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files, each checked for its type (extension and content) and size."""

    def __init__(self, **kwargs):
        accept = ",".join(f".{ext}" for ext in conf.ALLOWED_EXTENSIONS)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > conf.MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Vous pouvez joindre au plus %(count)d fichiers.") % {"count": conf.MAX_ATTACHMENTS}, code="too_many"
            )
        for upload in files:
            name = upload.name or ""
            if len(name.encode()) > MAX_FILENAME_BYTES:
                raise forms.ValidationError(
                    _("Le nom de « %(name)s… » est trop long : renommez le fichier (%(max)d octets au plus).")
                    % {"name": name[:40], "max": MAX_FILENAME_BYTES},
                    code="name",
                )
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if extension not in conf.ALLOWED_EXTENSIONS:
                raise forms.ValidationError(
                    _("« %(name)s » n'est pas accepté : seuls les fichiers %(types)s le sont.")
                    % {"name": name, "types": ", ".join(e.upper() for e in conf.ALLOWED_EXTENSIONS)},
                    code="type",
                )
            if upload.size > conf.MAX_ATTACHMENT_SIZE:
                raise forms.ValidationError(
                    _("« %(name)s » pèse %(size)s : la limite est de %(max)s par fichier.")
                    % {
                        "name": name,
                        "size": filesizeformat(upload.size),
                        "max": filesizeformat(conf.MAX_ATTACHMENT_SIZE),
                    },
                    code="size",
                )
            head = upload.read(8)
            upload.seek(0)
            if not head.startswith(SIGNATURES[extension]):
                raise forms.ValidationError(
                    _("« %(name)s » n'est pas un vrai fichier %(type)s.") % {"name": name, "type": extension.upper()},
                    code="content",
                )
        return files


class QuestionForm(forms.ModelForm):
    body = forms.CharField(
        label=_("Votre question"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Décrivez ce que vous cherchez à faire et ce qui vous bloque."),
    )
    attachments = AttachmentsField(label=_("Pièces jointes"))

    class Meta:
        model = Question
        fields = ["topic", "sector", "tender_context"]
        widgets = {"tender_context": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.in_use_order()
        self.fields["sector"].empty_label = _("Choisissez un secteur")
        self.fields["attachments"].help_text = attachment_rules()

    def clean_topic(self):
        """The question in one line (it becomes an e-mail subject)."""
        return " ".join(self.cleaned_data["topic"].split())


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Votre message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = AttachmentsField(label=_("Pièces jointes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_rules()
