"""« Mon compte » is composed of sections that each app contributes, so apps never edit the
members app: an app registers a section in its ``wagtail_hooks.py``::

    from wagtail import hooks
    from members.account import AccountSection

    @hooks.register("register_account_section")
    def my_registrations():
        return AccountSection(
            key="inscriptions", title=_("Mes inscriptions"), order=10,
            template_name="registrations/account_section.html",
            get_context=lambda request: {"registrations": ...},
        )

Sections render in ``order``; ``get_context(request)`` must cost a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail import hooks


@dataclass(frozen=True)
class AccountSection:
    key: str
    title: str
    template_name: str
    order: int = 100
    get_context: Callable = field(default=lambda request: {})
    is_shown: Callable = field(default=lambda request: True)


def account_sections(request):
    """The sections to show ``request.user``, each with its rendered context."""
    sections = sorted((fn() for fn in hooks.get_hooks("register_account_section")), key=lambda s: (s.order, s.key))
    return [(section, section.get_context(request)) for section in sections if section.is_shown(request)]
