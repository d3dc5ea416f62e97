"""« Mon organisation » for référents is composed of sections the apps above contribute
(registrations, certificates, invoices), so this app imports none of them::

    @hooks.register("register_organisation_section")
    def organisation_registrations():
        return OrganisationSection(key="inscriptions", title=_("Inscriptions"), order=10,
            template_name="registrations/organisation_section.html",
            get_context=lambda request, organisation: {...})

``get_context(request, organisation)`` must filter on ``organisation`` and cost a fixed number
of queries: the view has already checked that ``request.user`` is its référent.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from wagtail import hooks


@dataclass(frozen=True)
class OrganisationSection:
    key: str
    title: str
    template_name: str
    order: int = 100
    get_context: Callable = field(default=lambda request, organisation: {})


def organisation_sections(request, organisation):
    sections = sorted((fn() for fn in hooks.get_hooks("register_organisation_section")), key=lambda s: (s.order, s.key))
    return [(section, section.get_context(request, organisation)) for section in sections]
