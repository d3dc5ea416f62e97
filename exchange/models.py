"""The members' exchange (« Entraide »): members ask each other about a purchase or a tender,
answer, mark the answers that helped, follow a question, a sector or everything, and report a
post to the staff, who hide or edit it with a reason (kept in the post's history)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.search import index

from base.pages import SectionIndexPage

from . import conf


class ProcedureType(models.TextChoices):
    MAPA = "mapa", _("Procédure adaptée (MAPA)")
    OPEN = "ao-ouvert", _("Appel d'offres ouvert")
    RESTRICTED = "ao-restreint", _("Appel d'offres restreint")
    NEGOTIATED = "negociee", _("Procédure avec négociation")
    DIALOGUE = "dialogue", _("Dialogue compétitif")
    NO_NOTICE = "sans-publicite", _("Marché sans publicité ni mise en concurrence")
    FRAMEWORK = "accord-cadre", _("Accord-cadre (marchés subséquents)")
    NOT_CHOSEN = "a-definir", _("Pas encore choisie")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("À chaque nouvelle question")
    DAILY = "daily", _("Un récapitulatif par jour")
    WEEKLY = "weekly", _("Un récapitulatif par semaine")
    NEVER = "never", _("Aucun courriel pour les nouvelles questions")


class ExchangeIndexPage(RoutablePageMixin, SectionIndexPage):
    """/entraide/: the members' questions and answers (members only, by the page's privacy)."""

    subpage_types = []

    class Meta:
        verbose_name = _("entraide entre membres")

    def _views(self):
        from . import views  # views read this module's models: imported when first used

        return views

    @path("")
    def listing(self, request):
        return self._views().listing(request, self)

    @path("poser/")
    def ask(self, request):
        return self._views().ask(request, self)

    @re_path(r"^questions/(\d{1,9})/$")
    def thread(self, request, pk):
        return self._views().thread(request, self, int(pk))

    @re_path(r"^questions/(\d{1,9})/suivre/$")
    def follow_question(self, request, pk):
        return self._views().follow_question(request, self, int(pk))

    @re_path(r"^reponses/(\d{1,9})/utile/$")
    def helpful(self, request, pk):
        return self._views().helpful(request, self, int(pk))

    @re_path(r"^signaler/(question|reponse)/(\d{1,9})/$")
    def report(self, request, kind, pk):
        return self._views().report(request, self, kind, int(pk))

    @path("abonnements/")
    def follows(self, request):
        return self._views().follows(request, self)

    @re_path(r"^pieces-jointes/(\d{1,9})/$")
    def attachment(self, request, pk):
        return self._views().attachment(request, self, int(pk))


class QuestionQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def for_listing(self):
        """Visible questions with what a listing shows, in a fixed number of queries."""
        return (
            self.visible()
            .select_related("author", "organisation", "sector")
            .annotate(
                answer_count=models.Count("answers", filter=Q(answers__hidden=False)),
                helpful_count=models.Count("answers", filter=Q(answers__hidden=False, answers__helpful=True)),
            )
            .order_by("-last_activity_at", "-pk")
        )


class Question(index.Indexed, models.Model):
    """A member's question about a purchase or a tender they are preparing."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="exchange_questions",
        help_text=_("Vide si le compte a été supprimé : le fil reste lisible."),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_questions",
        help_text=_("La collectivité de l'auteur au moment de la question."),
    )
    title = models.CharField(_("question"), max_length=conf.MAX_TITLE_LENGTH, help_text=_("La question en une ligne."))
    body = models.TextField(
        _("précisions"),
        max_length=conf.MAX_BODY_LENGTH,
        help_text=_("Objet du marché, montant estimé, ce que vous avez déjà essayé, ce qui vous bloque."),
    )
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        on_delete=models.PROTECT,
        related_name="exchange_questions",
        help_text=_("Les membres qui suivent ce secteur sont prévenus."),
    )
    procedure_type = models.CharField(
        _("type de procédure"), max_length=20, choices=ProcedureType.choices, default=ProcedureType.NOT_CHOSEN
    )
    deadline = models.DateField(
        _("échéance"), null=True, blank=True, help_text=_("Facultatif : la date à laquelle une réponse vous aiderait.")
    )
    created_at = models.DateTimeField(_("posée le"), auto_now_add=True, db_index=True)
    last_activity_at = models.DateTimeField(_("dernière activité"), auto_now_add=True, db_index=True)
    first_answer_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    hidden = models.BooleanField(_("masquée"), default=False, help_text=_("Masquée par l'équipe (modération)."))

    objects = QuestionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.FilterField("hidden"),
        index.FilterField("sector"),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question de l'entraide")
        verbose_name_plural = _("questions de l'entraide")

    def __str__(self):
        return self.title

    @property
    def is_resolved(self):
        return self.answers.filter(helpful=True, hidden=False).exists()


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="exchange_answers",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("collectivité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_answers",
    )
    body = models.TextField(_("réponse"), max_length=conf.MAX_BODY_LENGTH)
    helpful = models.BooleanField(_("utile"), default=False, help_text=_("L'auteur de la question l'a jugée utile."))
    hidden = models.BooleanField(_("masquée"), default=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("réponse de l'entraide")
        verbose_name_plural = _("réponses de l'entraide")

    def __str__(self):
        return f"{self.question} — {self.created_at:%d/%m/%Y %H:%M}"


def attachment_path(instance, filename):
    """A folder of its own and a name short enough for any file system (the extension kept)."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    stem = stem.encode()[: 100 - len(extension.encode()) - 1].decode(errors="ignore") or "fichier"
    return f"entraide/{uuid.uuid4().hex}/{stem}{dot}{extension}"


class Attachment(models.Model):
    """A file joined to a question or an answer; downloaded by members only, through Django."""

    question = models.ForeignKey(Question, null=True, on_delete=models.CASCADE, related_name="attachments")
    answer = models.ForeignKey(Answer, null=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="exchange_attachment_one_post",
            )
        ]

    def __str__(self):
        return self.name


class Follow(models.Model):
    """What a member follows: one question, one sector, or everything (neither)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_follows")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    sector = models.ForeignKey(
        "sectors.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="exchange_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement à l'entraide")
        verbose_name_plural = _("abonnements à l'entraide")
        constraints = [
            models.CheckConstraint(
                condition=~Q(question__isnull=False, sector__isnull=False), name="exchange_follow_one"
            ),
            models.UniqueConstraint(fields=["user", "question"], name="exchange_follow_question_once"),
            models.UniqueConstraint(fields=["user", "sector"], name="exchange_follow_sector_once"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(question__isnull=True, sector__isnull=True),
                name="exchange_follow_everything_once",
            ),
        ]

    def __str__(self):
        return str(self.question or self.sector or _("toutes les questions"))


class Preference(models.Model):
    """How a member wants to hear of new questions in what they follow."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_preference")
    frequency = models.CharField(
        _("nouvelles questions"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    last_digest_at = models.DateTimeField(_("dernier récapitulatif"), null=True, blank=True)

    class Meta:
        verbose_name = _("préférence de l'entraide")
        verbose_name_plural = _("préférences de l'entraide")

    def __str__(self):
        return f"{self.user} — {self.get_frequency_display()}"


class Notice(models.Model):
    """A member was told of a new question (at once or in a digest): never twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notices")
    in_digest = models.BooleanField(default=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="exchange_notice_once")]

    def __str__(self):
        return f"{self.user_id} — {self.question_id}"


class Report(models.Model):
    """A member reports a post (question or answer) to the staff."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signalé par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(_("motif"), max_length=1000)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("traité par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="exchange_report_one_post",
            ),
            models.UniqueConstraint(fields=["reporter", "question"], name="exchange_report_question_once"),
            models.UniqueConstraint(fields=["reporter", "answer"], name="exchange_report_answer_once"),
        ]

    def __str__(self):
        return str(self.question or self.answer)

    @property
    def post_question(self):
        return self.question or self.answer.question


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("masqué")
    SHOW = "show", _("rétabli")
    EDIT = "edit", _("modifié")


class ModerationEvent(models.Model):
    """The history of a post's moderation: who hid, restored or edited it, when and why."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=ModerationAction.choices)
    reason = models.TextField(_("motif"), max_length=1000)
    previous_text = models.TextField(_("texte avant modification"), blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("décision de modération")
        verbose_name_plural = _("décisions de modération")

    def __str__(self):
        return f"{self.get_action_display()} — {self.created_at:%d/%m/%Y}"
