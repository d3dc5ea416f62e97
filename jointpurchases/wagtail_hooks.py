from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button

from accounts.services import referent_organisation_ids
from base.staff import is_staff
from members.account import AccountSection

from .models import JointPurchasePage
from .queries import account_context, open_calls


@hooks.register("register_account_section")
def my_joint_purchases():
    return AccountSection(
        key="groupements",
        title=_("Groupements de commandes"),
        order=70,
        template_name="jointpurchases/account_section.html",
        get_context=lambda request: account_context(request.user, referent_organisation_ids(request)),
        is_shown=lambda request: request.user.is_member,
    )


@hooks.register("library_panel")
def open_joint_purchases(request):
    """In the library, members see the calls for interest still open (one query)."""
    user = request.user
    if not (user.is_authenticated and user.is_member):
        return None
    calls = list(open_calls())
    if not calls:
        return None
    return "jointpurchases/library_panel.html", {"calls": calls}


@hooks.register("register_page_header_buttons")
def reminders_button(page, user, view_name, next_url=None):
    """« Rappels » on a live grouped purchase: the editors confirm its reminders to members there."""
    if page.live and page.specific_class is JointPurchasePage and is_staff(user) and page.url:
        yield Button(
            _("Rappels aux membres"),
            page.url + page.specific.reverse_subpage("reminders"),
            icon_name="mail",
            priority=87,
        )
