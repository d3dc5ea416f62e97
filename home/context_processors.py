from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Header navigation: fixed sections of the page tree (DESIGN.md), so it costs no query.
NAVIGATION = [
    ("/agenda/", _("Agenda")),
    ("/formations/", _("Formations")),
    ("/groupes-de-travail/", _("Groupes de travail")),
    ("/ressources/", _("Ressources")),
    ("/recherche/", _("Recherche")),
]


def navigation(request):
    path = getattr(request, "path", "")
    items = [{"url": url, "label": label, "current": path.startswith(url)} for url, label in NAVIGATION]
    account_url = reverse("members:account")
    items.append({"url": account_url, "label": _("Mon compte"), "current": path.startswith("/compte/")})
    return {"main_navigation": items}
