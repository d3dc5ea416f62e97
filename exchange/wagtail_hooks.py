from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from base.staff import StaffMenuItem, is_staff
from members.account import AccountSection

from . import admin_urls, services
from .models import ExchangeIndexPage, Follow, Frequency, Preference, Question


@hooks.register("register_admin_urls")
def register_exchange_admin_urls():
    return [path("entraide/", include((admin_urls, "exchange_admin"), namespace="exchange_admin"))]


class ExchangeMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_exchange_menu_item():
    return ExchangeMenuItem(
        _("Entraide"),
        Menu(
            items=[
                StaffMenuItem(_("Signalements"), reverse("exchange_admin:reports"), icon_name="warning", order=10),
                StaffMenuItem(_("Questions"), reverse("exchange_admin:questions"), icon_name="list-ul", order=20),
            ]
        ),
        name="entraide",
        icon_name="group",
        order=255,
    )


def _account_context(request):
    user = request.user
    page = ExchangeIndexPage.objects.live().first()
    follows = list(Follow.objects.filter(user=user, question__isnull=True).select_related("sector"))
    preference = Preference.objects.filter(user=user).first()
    frequency = preference.frequency if preference else Frequency.IMMEDIATE
    return {
        "base": page.get_url(request) if page else "",
        "sectors": [f.sector.name for f in follows if f.sector_id],
        "everything": any(f.sector_id is None for f in follows),
        "frequency_label": dict(Frequency.choices)[frequency],
        "questions": list(Question.objects.visible().filter(author=user).order_by("-created_at")[:10]),
    }


@hooks.register("register_account_section")
def exchange_account_section():
    return AccountSection(
        key="entraide",
        title=_("Entraide entre membres"),
        order=65,
        template_name="exchange/account_section.html",
        get_context=_account_context,
        is_shown=lambda request: services.may_take_part(request.user),
    )
