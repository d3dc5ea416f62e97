"""Satisfaction surveys: questionnaires (defaults per kind of activity, overridable per page),
one survey per occurrence and stage (« à chaud », « à froid »), the invitations sent and the
responses, one per registration, with one answer row per question (block id)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from .blocks import QuestionsBlock
from .conf import TEXT_MAX_LENGTH

ANY_KIND = "*"


class Stage(models.TextChoices):
    HOT = "hot", _("à chaud")
    COLD = "cold", _("à froid")


class QuestionType(models.TextChoices):
    RATING = "rating", _("note de 1 à 5")
    CHOICE = "choice", _("choix")
    TEXT = "text", _("réponse libre")
    RECOMMEND = "recommend", _("recommandation")


class Questionnaire(models.Model):
    """A list of questions. A questionnaire can be the default of a kind of activity and stage;
    a page's evaluation settings may name another one."""

    name = models.CharField(_("nom"), max_length=150, help_text=_("Nom interne, par exemple « Formation à chaud »."))
    intro = models.TextField(
        _("introduction"), blank=True, max_length=1000, help_text=_("Texte affiché en tête du questionnaire.")
    )
    default_for_kind = models.CharField(
        _("questionnaire par défaut pour"),
        max_length=40,
        blank=True,
        help_text=_(
            "Type d'activité dont c'est le questionnaire par défaut (« training », « webinar »…, « * » pour "
            "tous les types) ; vide s'il ne sert que sur les pages qui le choisissent."
        ),
    )
    stage = models.CharField(
        _("moment"),
        max_length=8,
        choices=Stage.choices,
        default=Stage.HOT,
        help_text=_("À chaud (à la fin du dernier jour) ou à froid (trois mois après une formation)."),
    )
    questions = StreamField(
        QuestionsBlock(),
        verbose_name=_("questions"),
        help_text=_(
            "Les questions, dans l'ordre. Modifier l'intitulé d'une question garde les réponses déjà données ; "
            "supprimer une question retire ses résultats."
        ),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("default_for_kind"), FieldPanel("stage")]),
        FieldPanel("intro"),
        FieldPanel("questions"),
    ]

    class Meta:
        verbose_name = _("questionnaire d'évaluation")
        verbose_name_plural = _("questionnaires d'évaluation")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["default_for_kind", "stage"],
                condition=~Q(default_for_kind=""),
                name="evaluations_one_default_per_kind_and_stage",
                violation_error_message=_("Un autre questionnaire est déjà celui par défaut de ce type et ce moment."),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from registrations.kinds import is_kind, registered_kinds

        kind = (self.default_for_kind or "").strip()
        self.default_for_kind = kind
        if kind and kind != ANY_KIND and not is_kind(kind):
            known = ", ".join(k.key for k in registered_kinds())
            raise ValidationError(
                {
                    "default_for_kind": _("Type d'activité inconnu. Types possibles : %(known)s, ou « * ».")
                    % {"known": known}
                }
            )

    def question_list(self):
        """(id, type, value) of each question, in order."""
        return [(block.id, block.block_type, block.value) for block in self.questions]


class EvaluationSettings(models.Model):
    """A page's evaluation settings: whether its dates are evaluated (always for trainings),
    which questionnaires, who the trainer is, and whether comments stay anonymous."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="evaluation_settings",
        help_text=_("La formation ou l'événement concerné."),
    )
    enabled = models.BooleanField(
        _("évaluer les dates de cette page"),
        default=True,
        help_text=_(
            "Pour un événement : envoyer le questionnaire aux présents. Les formations sont toujours évaluées."
        ),
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire à chaud"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vide : le questionnaire par défaut du type d'activité."),
    )
    cold_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire à froid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Formations seulement. Vide : le questionnaire à froid par défaut."),
    )
    trainer_email = models.EmailField(
        _("adresse du formateur ou de l'intervenant"),
        blank=True,
        help_text=_("Reçoit la synthèse des réponses quand l'évaluation se clôt ; vide pour n'envoyer à personne."),
    )
    anonymous_comments = models.BooleanField(
        _("commentaires anonymes"),
        default=True,
        help_text=_("Les commentaires sont montrés sans le nom de leur auteur (synthèse, écran de résultats, export)."),
    )

    panels = [
        FieldPanel("page"),
        FieldPanel("enabled"),
        MultiFieldPanel([FieldPanel("questionnaire"), FieldPanel("cold_questionnaire")], heading=_("Questionnaires")),
        FieldPanel("trainer_email"),
        FieldPanel("anonymous_comments"),
    ]

    class Meta:
        verbose_name = _("réglage d'évaluation")
        verbose_name_plural = _("réglages d'évaluation")

    def __str__(self):
        return str(self.page)


class Survey(models.Model):
    """The evaluation of one occurrence at one stage: open from ``opens_at`` to ``closes_at``."""

    occurrence = models.ForeignKey(
        "registrations.Occurrence", verbose_name=_("date"), on_delete=models.PROTECT, related_name="surveys"
    )
    stage = models.CharField(_("moment"), max_length=8, choices=Stage.choices, default=Stage.HOT)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="surveys"
    )
    opens_at = models.DateTimeField(_("ouverte le"))
    closes_at = models.DateTimeField(_("close le"))
    summary_sent_at = models.DateTimeField(_("synthèse envoyée le"), null=True, blank=True)
    # Nobody is e-mailed before an editor has seen who will be: the periodic job invites only
    # the people of surveys an editor confirmed (and, after that, people marked present later).
    invitations_confirmed_at = models.DateTimeField(_("invitations confirmées le"), null=True, blank=True)
    invitations_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invitations confirmées par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [models.UniqueConstraint(fields=["occurrence", "stage"], name="evaluations_one_survey_per_stage")]

    def __str__(self):
        return f"{self.occurrence} ({self.get_stage_display()})"

    def is_open(self, now):
        return self.opens_at <= now < self.closes_at


class Invitation(models.Model):
    """That a person was sent the survey's link (the periodic job sends each once)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    registration = models.ForeignKey(
        "registrations.Registration", on_delete=models.CASCADE, related_name="evaluation_invitations"
    )
    sent_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        verbose_name = _("invitation à évaluer")
        verbose_name_plural = _("invitations à évaluer")
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration"], name="evaluations_one_invitation_per_person")
        ]

    def __str__(self):
        return f"{self.survey_id} → {self.registration_id}"


class Response(models.Model):
    """One person's answers to one survey. ``registration`` is emptied when the person is erased:
    the answers stay, so averages do not change."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    registration = models.ForeignKey(
        "registrations.Registration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_responses",
    )
    submitted_at = models.DateTimeField(_("envoyée le"))
    updated_at = models.DateTimeField(_("modifiée le"))
    on_site = models.BooleanField(_("sur place"), default=False)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration"], name="evaluations_one_response_per_person")
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """The answer to one question (its block id) of a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(_("question"), max_length=64)
    question_type = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    rating = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    recommend = models.BooleanField(_("recommande"), null=True, blank=True)
    choice = models.CharField(_("choix"), max_length=200, blank=True)
    text = models.TextField(_("texte"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        constraints = [
            models.UniqueConstraint(fields=["response", "question_id"], name="evaluations_one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="evaluations_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.rating or self.recommend or self.choice or self.text[:40]}"
