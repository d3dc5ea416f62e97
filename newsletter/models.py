"""La lettre RESECO: the archive page, the issues (pages), subscribers with their consents,
sendings with one delivery row per recipient, and the health of each address."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page

from base.pages import SectionIndexPage
from base.staff import is_staff_account
from members.privacy import viewable_pages

from .blocks import IssueStreamBlock


def shows_members_only(request):
    """Members (and the staff) see the members-only blocks of the archive."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and (is_staff_account(user) or user.is_member))


class NewsletterIndexPage(SectionIndexPage):
    """/lettre/: the archive of the issues sent, and the subscription form's link."""

    subpage_types = ["newsletter.NewsletterIssuePage"]

    class Meta:
        verbose_name = _("archive de la lettre")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = NewsletterIssuePage.objects.child_of(self).live().order_by("-issue_date", "-pk")
        context["issues"] = viewable_pages(issues, request).only("title", "slug", "url_path", "issue_date", "summary")
        return context


class NewsletterIssuePage(Page):
    """One issue of the letter: composed as a page, previewed as an e-mail, sent from the admin."""

    issue_date = models.DateField(
        _("date du numéro"),
        default=datetime.date.today,
        help_text=_("Sert aussi de début à « Prochains rendez-vous »."),
    )
    summary = models.CharField(
        _("chapeau"),
        max_length=300,
        blank=True,
        help_text=_("Une ou deux phrases, en tête du message et dans l'archive."),
    )
    body = StreamField(IssueStreamBlock(), verbose_name=_("contenu"), blank=True)
    to_subscribers = models.BooleanField(
        _("abonnés à la lettre"), default=True, help_text=_("Les personnes inscrites par le formulaire public.")
    )
    to_members = models.BooleanField(
        _("tous les membres"), default=True, help_text=_("Les agents des collectivités membres.")
    )
    to_suppliers = models.BooleanField(_("fournisseurs"), default=False, help_text=_("Les contacts des fournisseurs."))
    working_groups = ParentalManyToManyField(
        "workinggroups.WorkingGroupPage",
        verbose_name=_("membres des groupes de travail"),
        blank=True,
        related_name="+",
        help_text=_("Les agents des collectivités qui participent à ces groupes."),
    )
    sectors = ParentalManyToManyField(
        "sectors.Sector",
        verbose_name=_("membres intéressés par les secteurs"),
        blank=True,
        related_name="+",
        help_text=_("Les membres qui suivent ces secteurs ou participent à un groupe de ces secteurs."),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("summary")]),
        FieldPanel("body"),
    ]
    audience_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("to_subscribers"), FieldPanel("to_members"), FieldPanel("to_suppliers")]),
                FieldPanel("working_groups"),
                FieldPanel("sectors"),
            ],
            heading=_("Destinataires"),
            help_text=_("Une personne présente dans plusieurs publics ne reçoit qu'un exemplaire."),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Contenu")),
            ObjectList(audience_panels, heading=_("Destinataires")),
            ObjectList(Page.promote_panels, heading=_("Promotion")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("numéro de la lettre")
        verbose_name_plural = _("numéros de la lettre")

    @property
    def preview_modes(self):
        return [("", _("Page web")), ("email", _("E-mail"))]

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            from .emails import render_issue

            rendered = render_issue(self, members=True)
            return HttpResponse(rendered.html.replace(rendered.UNSUBSCRIBE, "#"))
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from .emails import issue_sections

        context = super().get_context(request, *args, **kwargs)
        members = shows_members_only(request)
        context["sections"] = issue_sections(self, members=members)
        context["members_view"] = members
        context["has_members_only"] = not members and any(b.value.get("members_only") for b in self.body)
        return context

    def previous_issue(self):
        return (
            NewsletterIssuePage.objects.sibling_of(self, inclusive=False)
            .live()
            .filter(issue_date__lt=self.issue_date)
            .order_by("-issue_date")
            .first()
        )


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("en attente de confirmation")
    ACTIVE = "active", _("abonné")
    UNSUBSCRIBED = "unsubscribed", _("désabonné")


class Subscriber(models.Model):
    """A person's choices about the letter, by address: the public letter (double opt-in), the
    members' letters, sectors followed. A member without a row receives the members' letters."""

    email = models.CharField(_("adresse électronique"), max_length=254, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_subscription",
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=SubscriberStatus.choices, default=SubscriberStatus.PENDING, db_index=True
    )
    public_letter = models.BooleanField(_("lettre RESECO"), default=True)
    members_letters = models.BooleanField(_("lettres aux membres"), default=True)
    sectors = models.ManyToManyField("sectors.Sector", verbose_name=_("secteurs suivis"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")
        ordering = ["email"]

    def __str__(self):
        return self.email


class ConsentAction(models.TextChoices):
    REQUESTED = "requested", _("demande d'abonnement")
    CONFIRMED = "confirmed", _("abonnement confirmé")
    PREFERENCES = "preferences", _("préférences modifiées")
    UNSUBSCRIBED = "unsubscribed", _("désabonnement")


class ConsentSource(models.TextChoices):
    FORM = "form", _("formulaire du site")
    EMAIL_LINK = "email_link", _("lien du message")
    ONE_CLICK = "one_click", _("désabonnement en un clic (messagerie)")
    ACCOUNT = "account", _("Mon compte")
    ADMIN = "admin", _("équipe du réseau")


class Consent(models.Model):
    """What a person agreed to or withdrew, when and how (for the register of consents)."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(_("action"), max_length=16, choices=ConsentAction.choices)
    detail = models.CharField(_("objet"), max_length=500, blank=True)
    source = models.CharField(_("moyen"), max_length=16, choices=ConsentSource.choices)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("consentement")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d})"


class AddressHealth(models.Model):
    """Hard failures the SMTP server reported at send time; enough of them suspend the address."""

    email = models.CharField(_("adresse électronique"), max_length=254, unique=True)
    hard_failures = models.PositiveSmallIntegerField(_("échecs définitifs"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    last_failure_at = models.DateTimeField(_("dernier échec le"), null=True, blank=True)
    suspended_at = models.DateTimeField(_("suspendue le"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("adresse en échec")
        verbose_name_plural = _("adresses en échec")

    def __str__(self):
        return self.email


class SendingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("programmé")
    SENDING = "sending", _("en cours d'envoi")
    DONE = "done", _("envoyé")
    CANCELLED = "cancelled", _("annulé")


class SendingQuerySet(models.QuerySet):
    def with_progress(self):
        return self.annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            failed_count=Count(
                "deliveries", filter=Q(deliveries__status__in=[DeliveryStatus.FAILED, DeliveryStatus.BOUNCED])
            ),
            pending_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        )


class Sending(models.Model):
    """The sending of one issue (its published revision) to its audiences."""

    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="sendings")
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(
        _("statut"), max_length=16, choices=SendingStatus.choices, default=SendingStatus.SCHEDULED, db_index=True
    )
    scheduled_at = models.DateTimeField(_("envoi prévu le"), db_index=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier progrès le"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = SendingQuerySet.as_manager()

    class Meta:
        verbose_name = _("envoi")
        ordering = ["-scheduled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue"], condition=~Q(status="cancelled"), name="newsletter_one_sending_per_issue"
            )
        ]

    def __str__(self):
        return f"{self.issue.title} ({self.get_status_display()})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")
    BOUNCED = "bounced", _("refusé par le serveur")


class Delivery(models.Model):
    """One recipient of one sending: claimed, sent and marked one row at a time."""

    sending = models.ForeignKey(Sending, on_delete=models.CASCADE, related_name="deliveries")
    email = models.CharField(_("adresse électronique"), max_length=254)
    members_copy = models.BooleanField(_("exemplaire des membres"), default=False)
    status = models.CharField(
        _("statut"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    error = models.CharField(_("erreur"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi à une personne")
        constraints = [models.UniqueConstraint(fields=["sending", "email"], name="newsletter_one_delivery_per_address")]
        indexes = [models.Index(fields=["sending", "status"], name="newsletter_delivery_todo")]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"
