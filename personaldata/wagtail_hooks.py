from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from members.account import AccountSection

from . import admin_urls
from .views import account_section_context


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [path("donnees-personnelles/", include(admin_urls, namespace="personaldata_admin"))]


@hooks.register("register_account_section")
def my_personal_data():
    return AccountSection(
        key="donnees-personnelles",
        title=_("Mes données personnelles"),
        order=90,
        template_name="personaldata/account_section.html",
        get_context=account_section_context,
    )


def person_admin_url(user):
    return reverse("personaldata_admin:person", args=[user.pk])
