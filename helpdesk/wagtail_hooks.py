from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from base.staff import StaffMenuItem
from members.account import AccountSection

from . import admin_urls
from .models import FaqEntry, Question


@hooks.register("register_admin_urls")
def register_helpdesk_admin_urls():
    return [path("assistance/", include((admin_urls, "helpdesk_admin"), namespace="helpdesk_admin"))]


@hooks.register("register_admin_menu_item")
def register_helpdesk_menu_item():
    return StaffMenuItem(
        _("Assistance"), reverse("helpdesk_admin:questions"), name="assistance", icon_name="help", order=250
    )


class FaqEntryViewSet(SnippetViewSet):
    model = FaqEntry
    icon = "help"
    menu_label = _("FAQ")
    list_display = ["question", "sector", "published"]
    list_filter = ["published", "sector"]
    search_fields = ["question"]


register_snippet(FaqEntryViewSet)


def _my_questions(request):
    return {"questions": list(Question.objects.for_author(request.user).order_by("-created_at")[:20])}


@hooks.register("register_account_section")
def my_questions():
    return AccountSection(
        key="questions",
        title=_("Mes questions"),
        order=60,
        template_name="helpdesk/account_section.html",
        get_context=_my_questions,
        is_shown=lambda request: request.user.is_member or request.user.helpdesk_questions.exists(),
    )
