from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

from .validators import normalise_identifier, validate_siren, validate_siret

MEMBERS_GROUP = "Membres"
SUPPLIERS_GROUP = "Fournisseurs"
EDITORS_GROUP = "Éditeurs"


class Region(models.TextChoices):
    PAYS_DE_LA_LOIRE = "pdl", _("Pays de la Loire")
    BRETAGNE = "bre", _("Bretagne")
    CENTRE_VAL_DE_LOIRE = "cvl", _("Centre-Val de Loire")
    OTHER = "autre", _("Autre région")


class OrganisationKind(models.TextChoices):
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    COMMUNE = "commune", _("Commune")
    INTERCOMMUNALITE = "intercommunalite", _("Intercommunalité")
    ETABLISSEMENT_PUBLIC = "etablissement_public", _("Établissement public")
    HOPITAL = "hopital", _("Hôpital")
    UNIVERSITE = "universite", _("Université")
    AUTRE = "autre", _("Autre")


class OrganisationQuerySet(models.QuerySet):
    def members_on(self, day):
        """Organisations whose membership covers ``day``."""
        return self.filter(active=True, member_since__lte=day).filter(
            Q(member_until__isnull=True) | Q(member_until__gte=day)
        )

    def current_members(self):
        return self.members_on(timezone.localdate())

    def members_during(self, start, end):
        """Organisations that were members at some point between ``start`` and ``end``."""
        return self.filter(member_since__lte=end).filter(Q(member_until__isnull=True) | Q(member_until__gte=start))


class Organisation(index.Indexed, models.Model):
    """A member authority (collectivité) of the network."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationKind.choices)
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        unique=True,
        validators=[validate_siren],
        help_text=_("9 chiffres, clé de contrôle vérifiée."),
    )
    region = models.CharField(_("région"), max_length=8, choices=Region.choices)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    member_since = models.DateField(_("adhérente depuis"), help_text=_("Date de début de l'adhésion."))
    member_until = models.DateField(
        _("adhérente jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Laisser vide tant que l'adhésion est en cours."),
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Décocher pour suspendre l'adhésion."))

    objects = OrganisationQuerySet.as_manager()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("region")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation membre")
        verbose_name_plural = _("organisations membres")
        constraints = [
            models.CheckConstraint(
                condition=Q(member_until__isnull=True) | Q(member_until__gte=models.F("member_since")),
                name="organisation_membership_dates_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.siren = normalise_identifier(self.siren)
        if self.member_until and self.member_since and self.member_until < self.member_since:
            raise ValidationError({"member_until": _("La fin de l'adhésion doit suivre son début.")})

    def is_member_on(self, day):
        if not self.active or self.member_since > day:
            return False
        return self.member_until is None or self.member_until >= day

    @property
    def is_current_member(self):
        return self.is_member_on(timezone.localdate())


class CompanySize(models.TextChoices):
    TPE = "tpe", _("TPE (moins de 10 salariés)")
    PME = "pme", _("PME (moins de 250 salariés)")
    ETI = "eti", _("ETI (moins de 5 000 salariés)")
    GE = "ge", _("Grande entreprise")


class Label(models.Model):
    """An environmental or social label or certification a supplier can hold."""

    name = models.CharField(_("nom"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("label ou certification")
        verbose_name_plural = _("labels et certifications")

    def __str__(self):
        return self.name


DEFAULT_LABELS = [
    "Écolabel européen",
    "NF Environnement",
    "FSC",
    "PEFC",
    "Commerce équitable (Fairtrade)",
    "Agriculture biologique (AB)",
    "ISO 14001",
    "ISO 26000",
    "EMAS",
    "Ange bleu",
    "Cradle to Cradle",
    "Entreprise adaptée / ESAT",
    "Structure d'insertion (SIAE)",
]


class SupplierQuerySet(models.QuerySet):
    def with_relations(self):
        return self.prefetch_related("sectors", "labels")


class Supplier(index.Indexed, models.Model):
    """A company that applies for market-engagement meetings (sourcing)."""

    name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        unique=True,
        validators=[validate_siret],
        help_text=_("14 chiffres, clé de contrôle vérifiée."),
    )
    size = models.CharField(_("taille"), max_length=8, choices=CompanySize.choices, blank=True)
    sectors = models.ManyToManyField("sectors.Sector", verbose_name=_("secteurs"), blank=True, related_name="suppliers")
    labels = models.ManyToManyField(
        Label, verbose_name=_("labels et certifications"), blank=True, related_name="suppliers"
    )
    website = models.URLField(_("site web"), blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    description = models.TextField(
        _("présentation"),
        max_length=2000,
        blank=True,
        help_text=_("Ce que fait l'entreprise, en quelques lignes (2 000 caractères au plus)."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = SupplierQuerySet.as_manager()

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("siret")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("fournisseur")
        verbose_name_plural = _("fournisseurs")

    def __str__(self):
        return self.name

    def clean(self):
        self.siret = normalise_identifier(self.siret)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person: logs in with their e-mail, belongs to one member organisation or supplier."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text=_("Collectivité membre de la personne ; vide pour l'équipe du réseau."),
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("fournisseur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        help_text=_("Entreprise dont la personne est un contact."),
    )
    job_title = models.CharField(_("fonction"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Renewed (a random token) by whatever changes what « Mon compte » shows the person: its
    # cached sections are kept under it (members/account.py). In this row, which every request
    # of a logged-in person loads anyway, so it costs no query and holds across processes.
    account_version = models.CharField(max_length=16, blank=True, default="", editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        # Editors' key to « Réseau › Personnes »; add/change_user open Wagtail's « Utilisateurs »,
        # which is for administrators only (members/permissions.py).
        permissions = [("manage_people", "Gérer les personnes des membres et fournisseurs")]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_member(self):
        """A member is a person whose organisation's membership is current."""
        return self.organisation_id is not None and self.organisation.is_current_member

    @property
    def is_supplier(self):
        return self.supplier_id is not None


class DemoAccount(models.Model):
    """A demo account that ``load_demo`` created once, by its (fictional) demo address. An account
    erased or deleted since is never created again, nor given the demo password back."""

    email = models.EmailField(_("adresse de démonstration"), unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("compte de démonstration")
        verbose_name_plural = _("comptes de démonstration")

    def __str__(self):
        return self.email


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("adresse électronique à vérifier")
    PENDING = "pending", _("en attente de l'équipe")
    APPROVED = "approved", _("acceptée")
    DECLINED = "declined", _("refusée")


# A claim that still holds its company for its contact (one at a time per person).
OPEN_CLAIM_STATUSES = [ClaimStatus.UNVERIFIED, ClaimStatus.PENDING, ClaimStatus.APPROVED]


class SupplierClaim(models.Model):
    """A person asks to act for a company: they prove their e-mail address, an editor approves.
    An approved claim lets them update the company's profile themselves."""

    user = models.ForeignKey(User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="claims")
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("entreprise"), on_delete=models.CASCADE, related_name="claims"
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNVERIFIED, db_index=True
    )
    email = models.EmailField(_("adresse vérifiée"), help_text=_("L'adresse du compte au moment de la demande."))
    domain_matches = models.BooleanField(
        _("domaine conforme"),
        default=False,
        help_text=_("L'adresse de la personne est sur le domaine du site web de l'entreprise."),
    )
    verified_at = models.DateTimeField(_("adresse vérifiée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("décidée par"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_message = models.TextField(_("message"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revendication d'entreprise")
        verbose_name_plural = _("revendications d'entreprises")
        constraints = [
            models.UniqueConstraint(
                "user", condition=Q(status__in=OPEN_CLAIM_STATUSES), name="supplierclaim_one_open_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.supplier}"
