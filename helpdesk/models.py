"""The helpdesk: members' questions, the thread of messages with the staff, attachments, and
the public FAQ built from anonymised questions."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("en attente de réponse")
    ANSWERED = "answered", _("répondue")
    CLOSED = "closed", _("close")


class QuestionQuerySet(models.QuerySet):
    def for_author(self, user):
        return self.filter(author=user)

    def answered(self):
        return self.filter(answered_at__isnull=False)

    def waiting(self):
        return self.filter(status=QuestionStatus.OPEN)


class Question(models.Model):
    """A question a member asks the network's staff, about a tender they are preparing."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="helpdesk_questions",
        help_text=_("Vide si la personne a supprimé son compte : la question reste pour les statistiques."),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helpdesk_questions",
        help_text=_("La collectivité de l'auteur au moment de la question."),
    )
    topic = models.CharField(_("sujet"), max_length=200, help_text=_("La question en une ligne."))
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helpdesk_questions",
        help_text=_("Le secteur d'achat concerné."),
    )
    tender_context = models.TextField(
        _("contexte du marché"),
        max_length=4000,
        help_text=_("Objet du marché, montant estimé, procédure, calendrier : ce qui aide à répondre."),
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("posée le"), auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(
        _("première réponse le"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Vide tant que personne n'a répondu."),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question à l'assistance")
        verbose_name_plural = _("questions à l'assistance")

    def __str__(self):
        return self.topic


class Message(models.Model):
    """One message of a question's thread: the question itself, an answer, a follow-up."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField(_("réponse de l'équipe"), default=False)
    body = models.TextField(_("message"), max_length=8000)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.question} — {self.created_at:%d/%m/%Y %H:%M}"


MAX_FILENAME_BYTES = 255  # what file systems (and object stores' keys, in practice) accept


def attachment_path(instance, filename):
    """A folder of its own, and a name short enough for any file system (100 bytes of UTF-8,
    the extension kept): a longer one failed after the folder was made, leaving it empty."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    stem = stem.encode()[: 100 - len(extension.encode()) - 1].decode(errors="ignore") or "fichier"
    return f"assistance/{uuid.uuid4().hex}/{stem}{dot}{extension}"


class Attachment(models.Model):
    """A file joined to a message; downloaded only by the question's author and the staff."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self):
        return self.name


class FaqEntry(index.Indexed, models.Model):
    """A question and its answer, anonymised, shown in the public FAQ once published."""

    question = models.CharField(
        _("question"), max_length=300, help_text=_("Reformulée sans nom de personne ni de collectivité.")
    )
    answer = RichTextField(
        _("réponse"),
        features=["bold", "italic", "link", "ul", "ol", "document-link"],
        help_text=_("La réponse de l'équipe."),
    )
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        help_text=_("Pour regrouper les questions par secteur."),
    )
    source = models.ForeignKey(
        Question,
        verbose_name=_("question d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
        help_text=_("Jamais affichée : sert au suivi interne."),
    )
    published = models.BooleanField(
        _("publiée"), default=False, help_text=_("Cochez une fois la question et la réponse anonymisées.")
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("sector"), FieldPanel("published")]
    search_fields = [index.SearchField("question"), index.SearchField("answer"), index.FilterField("published")]

    class Meta:
        ordering = ["sector__sort_order", "question"]
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")

    def __str__(self):
        return self.question


class FaqPage(Page):
    """The public FAQ: anonymised questions and answers of the helpdesk, by sector."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Texte affiché en tête de la FAQ."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("foire aux questions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = FaqEntry.objects.filter(published=True).select_related("sector")
        return context
