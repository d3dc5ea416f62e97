from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from base.staff import StaffMenuItem, is_staff
from members.account import AccountSection

from . import admin_urls
from .forms import PreferencesForm
from .models import NewsletterIssuePage
from .queries import subscriber_for_user


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [path("lettre/", include((admin_urls, "newsletter_admin"), namespace="newsletter_admin"))]


@hooks.register("register_admin_menu_item")
def register_newsletter_menu_item():
    return StaffMenuItem(
        _("Lettre : envois"), reverse("newsletter_admin:sendings"), name="lettre", icon_name="mail", order=260
    )


def _send_button(page, user):
    if isinstance(page.specific_deferred, NewsletterIssuePage) and is_staff(user):
        return Button(
            _("Envoyer la lettre"), reverse("newsletter_admin:sending", args=[page.pk]), icon_name="mail", priority=5
        )
    return None


@hooks.register("register_page_header_buttons")
def newsletter_header_button(page, user, view_name, next_url=None):
    button = _send_button(page, user)
    return [button] if button else []


@hooks.register("register_page_listing_more_buttons")
def newsletter_listing_button(page, user, next_url=None):
    button = _send_button(page, user)
    if button:
        yield button


def _preferences(request):
    subscriber = subscriber_for_user(request.user)
    if subscriber is None:
        initial = {"public_letter": False, "members_letters": True, "sectors": []}
    else:
        initial = {
            "public_letter": subscriber.public_letter and subscriber.status == "active",
            "members_letters": subscriber.members_letters and subscriber.status != "unsubscribed",
            "sectors": list(subscriber.sectors.all()),
        }
    return {"form": PreferencesForm(initial=initial), "subscriber": subscriber}


@hooks.register("register_account_section")
def my_newsletter():
    return AccountSection(
        key="lettre",
        title=_("La lettre RESECO"),
        order=70,
        template_name="newsletter/account_section.html",
        get_context=_preferences,
    )
