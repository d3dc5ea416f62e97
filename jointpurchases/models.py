"""Grouped purchases (« groupements de commandes »): a coordinating member body gathers the needs
of other member bodies, lot by lot, signs a convention with them and runs one tender for all.

Members' declarations point at a lot by its stable ``key`` (a UUID kept in every revision), never
at the lot's row: publishing or reverting a revision deletes and recreates InlinePanel rows
(TRAPS.md), and a declaration must survive that. A lot removed from the page keeps its
declarations; the coordinator's table shows them under « lot retiré »."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from base.pages import SectionIndexPage


class JointPurchaseIndexPage(RoutablePageMixin, SectionIndexPage):
    """/achats-groupes/: the grouped purchases of the network; a member body's référent proposes
    one at /achats-groupes/proposer/ (a draft that the editors review and publish)."""

    subpage_types = ["jointpurchases.JointPurchasePage"]

    class Meta:
        verbose_name = _("index des groupements de commandes")

    def get_context(self, request, *args, **kwargs):
        from .queries import listing_for  # queries reads this module's models

        context = super().get_context(request, *args, **kwargs)
        context.update(listing_for(request.user, self))
        return context

    @path("proposer/", name="propose")
    def propose_view(self, request):
        from . import proposal_views

        return proposal_views.propose(self, request)

    @path("proposer/<int:pk>/", name="edit_proposal")
    def edit_proposal_view(self, request, pk):
        from . import proposal_views

        return proposal_views.edit(self, request, pk)


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    CUPS = "tasses", _("tasses de café")
    MEALS = "repas", _("repas")
    UNITS = "unites", _("unités")
    LITRES = "litres", _("litres")


class Phase(models.TextChoices):
    INTEREST = "interest", _("Appel à manifestation d'intérêt")
    CONVENTION = "convention", _("Signature de la convention")
    TENDER = "tender", _("Publication de la consultation")
    AWARD = "award", _("Attribution")
    EXECUTION = "execution", _("Début d'exécution")


# The calendar's phases and the page field holding each one's deadline, in order.
PHASE_FIELDS = [
    (Phase.INTEREST, "interest_deadline"),
    (Phase.CONVENTION, "convention_deadline"),
    (Phase.TENDER, "tender_deadline"),
    (Phase.AWARD, "award_deadline"),
    (Phase.EXECUTION, "execution_start"),
]
# The phases whose deadline concerns every member body (the others are the coordinator's).
MEMBER_PHASES = (Phase.INTEREST, Phase.CONVENTION)


def calendar_errors(dates):
    """{field: French message} for the phases of ``dates`` ({field name: date or None}) that come
    before an earlier phase (the admin's form and the members' proposal form share it)."""
    previous, errors = None, {}
    for phase, name in PHASE_FIELDS:
        value = dates.get(name)
        if value and previous and value < previous[1]:
            errors[name] = _("Cette étape doit suivre la précédente (%(phase)s).") % {"phase": previous[0].label}
        if value:
            previous = (phase, value)
    return errors


class JointPurchasePage(RoutablePageMixin, Page):
    """One grouped purchase: its lots, coordinator, convention and calendar. Members-only until it
    is awarded; then public, with what was bought and the criteria used."""

    summary = RichTextField(
        _("présentation"),
        features=["bold", "italic", "link", "ul"],
        help_text=_("Ce qui est acheté ensemble, pourquoi, et ce que l'on attend des membres."),
    )
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("secteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="joint_purchases",
        help_text=_("Le secteur d'achat (pour les filtres et le rapport d'activité)."),
    )
    coordinator = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("coordonnateur"),
        on_delete=models.PROTECT,
        related_name="coordinated_joint_purchases",
        help_text=_("La collectivité membre qui coordonne le groupement ; ses référents le pilotent sur le site."),
    )
    co_coordinators = ParentalManyToManyField(
        "members.Organisation",
        verbose_name=_("cocoordonnateurs"),
        blank=True,
        related_name="cocoordinated_joint_purchases",
        help_text=_("Autres collectivités qui coordonnent avec elle (facultatif) ; leurs référents aussi."),
    )
    convention = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("convention constitutive"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Le modèle de convention que chaque membre fait délibérer et signe."),
    )
    interest_deadline = models.DateField(
        _("fin de l'appel à manifestation d'intérêt"),
        help_text=_("Dernier jour pour déclarer ou modifier ses besoins ; ensuite seul le coordonnateur le peut."),
    )
    convention_deadline = models.DateField(
        _("signature de la convention avant le"), null=True, blank=True, help_text=_("Date limite de signature.")
    )
    tender_deadline = models.DateField(
        _("publication de la consultation"), null=True, blank=True, help_text=_("Date prévue de publication.")
    )
    award_deadline = models.DateField(
        _("attribution"), null=True, blank=True, help_text=_("Date prévue d'attribution du marché.")
    )
    execution_start = models.DateField(
        _("début d'exécution"), null=True, blank=True, help_text=_("Date prévue de début du marché.")
    )
    awarded = models.BooleanField(
        _("marché attribué"),
        default=False,
        help_text=_("Cochez une fois le marché attribué : la page devient publique, avec le bilan ci-dessous."),
    )
    outcome = RichTextField(
        _("ce qui a été acheté"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Le bilan public : titulaire, volumes, prix, gains. Affiché une fois le marché attribué."),
    )
    criteria = RichTextField(
        _("critères retenus"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Les critères sociaux et environnementaux et leur pondération, pour les autres réseaux."),
    )
    resource = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("guide ou retour d'expérience"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Une ressource de la bibliothèque qui en tire les leçons."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("sector"), FieldPanel("coordinator"), FieldPanel("co_coordinators"), FieldPanel("convention")],
            heading=_("Groupement"),
        ),
        InlinePanel("lots", heading=_("Lots"), label=_("Lot"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("interest_deadline"),
                FieldRowPanel([FieldPanel("convention_deadline"), FieldPanel("tender_deadline")]),
                FieldRowPanel([FieldPanel("award_deadline"), FieldPanel("execution_start")]),
            ],
            heading=_("Calendrier"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("awarded"),
                FieldPanel("outcome"),
                FieldPanel("criteria"),
                PageChooserPanel("resource", ["resources.GuidePage", "resources.ExamplePage"]),
            ],
            heading=_("Bilan public"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["jointpurchases.JointPurchaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("groupement de commandes")
        verbose_name_plural = _("groupements de commandes")

    def clean(self):
        super().clean()
        errors = calendar_errors({name: getattr(self, name) for _phase, name in PHASE_FIELDS})
        if errors:
            raise ValidationError(errors)

    def calendar(self):
        """[(phase, deadline)] of the phases that have a date, in order."""
        return [(phase, getattr(self, name)) for phase, name in PHASE_FIELDS if getattr(self, name)]

    def interest_open(self, today=None):
        return (today or timezone.localdate()) <= self.interest_deadline

    def coordinator_ids(self):
        return {self.coordinator_id, *(org.pk for org in self.co_coordinators.all())}

    # The page and its members' and coordinator's screens (views.py holds the access rules).
    @path("", name="main")
    def main_view(self, request):
        from . import views

        return views.purchase_page(self, request)

    @path("declarer/", name="declare")
    def declare_view(self, request):
        from . import views

        return views.declare(self, request)

    @path("avancement/<int:pk>/", name="status")
    def status_view(self, request, pk):
        from . import views

        return views.change_status(self, request, pk)

    @path("convention-signee/<int:pk>/", name="signed_document")
    def signed_document_view(self, request, pk):
        from . import views

        return views.signed_document(self, request, pk)

    @path("coordination/", name="coordination")
    def coordination_view(self, request):
        from . import views

        return views.coordination(self, request)

    @path("coordination/rappels/", name="reminders")
    def reminders_view(self, request):
        from . import views

        return views.reminders(self, request)

    @path("coordination/export/<str:fmt>/", name="export")
    def export_view(self, request, fmt):
        from . import views

        return views.export(self, request, fmt)


class Lot(Orderable):
    """One lot of a grouped purchase, with the unit its needs are counted in."""

    page = ParentalKey(JointPurchasePage, on_delete=models.CASCADE, related_name="lots")
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    name = models.CharField(_("intitulé"), max_length=200, help_text=_("Par exemple « Café en grains »."))
    unit = models.CharField(
        _("unité de besoin"),
        max_length=16,
        choices=Unit.choices,
        default=Unit.UNITS,
        help_text=_("L'unité dans laquelle chaque membre estime son besoin annuel."),
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("unit")])]

    class Meta(Orderable.Meta):
        verbose_name = _("lot")
        verbose_name_plural = _("lots")

    def __str__(self):
        return self.name


class ParticipationStatus(models.TextChoices):
    INTERESTED = "interested", _("intéressée")
    SIGNED = "signed", _("convention signée")
    WITHDRAWN = "withdrawn", _("retirée")


class ParticipationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=ParticipationStatus.WITHDRAWN)


def signed_document_path(instance, filename):
    return f"groupements/{uuid.uuid4().hex}/convention-signee.pdf"


class Participation(models.Model):
    """A member body's answer to a grouped purchase: its contact, progress and needs per lot."""

    purchase = models.ForeignKey(
        JointPurchasePage, verbose_name=_("groupement"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("collectivité"),
        on_delete=models.PROTECT,
        related_name="joint_purchase_participations",
    )
    status = models.CharField(
        _("avancement"), max_length=16, choices=ParticipationStatus.choices, default=ParticipationStatus.INTERESTED
    )
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("adresse du contact"), blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte du contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_purchase_contacts",
    )
    signed_document = models.FileField(
        _("délibération ou convention signée"), upload_to=signed_document_path, blank=True, max_length=300
    )
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("déclarée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "pk"]
        verbose_name = _("participation à un groupement")
        verbose_name_plural = _("participations aux groupements")
        constraints = [
            # One answer per body and grouped purchase: a double submit cannot create a second.
            models.UniqueConstraint(fields=["purchase", "organisation"], name="jointpurchase_one_participation")
        ]

    def __str__(self):
        return f"{self.organisation} — {self.purchase}"


class LotQuantity(models.Model):
    """A body's estimated yearly need for one lot, in the lot's unit."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="quantities")
    lot_key = models.UUIDField(_("lot"), db_index=True)
    quantity = models.DecimalField(_("quantité annuelle estimée"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("besoin par lot")
        verbose_name_plural = _("besoins par lot")
        constraints = [
            models.UniqueConstraint(fields=["participation", "lot_key"], name="jointpurchase_one_quantity_per_lot"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="jointpurchase_quantity_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity}"


class ReminderKind(models.TextChoices):
    COORDINATOR = "coordinator", _("au coordonnateur")
    MEMBER = "member", _("aux membres sans réponse")


class ReminderSent(models.Model):
    """A reminder before a deadline, recorded before it goes, so that running the command twice
    sends nothing more. A reminder to member bodies exists only once an editor or the
    coordinator has seen the list of bodies and confirmed it (``confirmed_at``); ``sent_at`` is
    set when the job (or the confirmation) sends it."""

    purchase = models.ForeignKey(JointPurchasePage, on_delete=models.CASCADE, related_name="reminders")
    phase = models.CharField(max_length=16, choices=Phase.choices)
    deadline = models.DateField()
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    organisation = models.ForeignKey("members.Organisation", on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel d'échéance")
        verbose_name_plural = _("rappels d'échéance")
        constraints = [
            models.UniqueConstraint(
                fields=["purchase", "phase", "deadline", "kind", "organisation"], name="jointpurchase_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.get_phase_display()} ({self.deadline}) — {self.get_kind_display()}"


class CoordinatorMessage(models.Model):
    """A message the coordinator sent to every participant (kept for the record)."""

    purchase = models.ForeignKey(JointPurchasePage, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"), max_length=8000)
    recipients = models.PositiveIntegerField(_("destinataires"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("message aux participants")
        verbose_name_plural = _("messages aux participants")

    def __str__(self):
        return self.subject
