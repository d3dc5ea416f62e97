from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from members.account import AccountSection

from .account import account_context


@hooks.register("register_account_section")
def my_registrations():
    return AccountSection(
        key="inscriptions",
        title=_("Mes inscriptions"),
        order=10,
        template_name="registrations/account_section.html",
        get_context=account_context,
    )
