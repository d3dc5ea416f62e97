"""Factories for every app's models. Each app adds its own module here (tests/factories/events.py, …)
and imports the shared ones from this package."""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from home.models import HomePage, StandardPage
from members.models import Organisation, OrganisationKind, Region, Supplier, User
from members.validators import with_luhn_key
from workinggroups.models import WorkingGroupIndexPage, WorkingGroupPage, WorkingGroupPeriod


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Commune n° {n}")
    kind = OrganisationKind.COMMUNE
    siren = factory.Sequence(lambda n: with_luhn_key(f"21{n:06d}"))
    region = Region.PAYS_DE_LA_LOIRE
    member_since = datetime.date(2015, 1, 1)
    member_until = None
    active = True


class SupplierFactory(DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(lambda n: with_luhn_key(with_luhn_key(f"81{n:06d}") + "0001"))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test")

    @factory.post_generation
    def synced(self, create, extracted, **kwargs):
        if create:
            from members.services import sync_groups

            self.save()
            sync_groups(self)


class MemberFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory)


class SupplierContactFactory(UserFactory):
    supplier = factory.SubFactory(SupplierFactory)


class EditorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def editor_group(self, create, extracted, **kwargs):
        if create:
            from members.services import grant_editor_permissions

            self.groups.add(grant_editor_permissions())


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "RESECO"
    intro = "Le réseau des acheteurs publics responsables."


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "Une page simple."


class WorkingGroupIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = WorkingGroupIndexPage

    title = "Groupes de travail"
    slug = "groupes-de-travail"


class WorkingGroupPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = WorkingGroupPage

    title = factory.Sequence(lambda n: f"Groupe {n}")
    purpose = "Échanger sur les pratiques d'achat."

    @factory.post_generation
    def years(self, create, extracted, **kwargs):
        if create:
            for start, end in extracted or [(2021, None)]:
                WorkingGroupPeriod.objects.create(page=self, start_year=start, end_year=end)
