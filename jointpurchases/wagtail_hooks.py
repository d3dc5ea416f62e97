from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from members.account import AccountSection

from .queries import account_context, open_calls


@hooks.register("register_account_section")
def my_joint_purchases():
    return AccountSection(
        key="groupements",
        title=_("Groupements de commandes"),
        order=70,
        template_name="jointpurchases/account_section.html",
        get_context=lambda request: account_context(request.user),
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
