from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.models import Page

from members.account import AccountSection
from registrations.models import Occurrence, Registration

from .models import CalendarToken, EventPage
from .services import materialise, touch


def _registered_pages_refused(request, pages, titles):
    """Occurrence.page is PROTECT: pages whose occurrences have registrations cannot be deleted
    (registrations are history). Returns True (with a message) if deletion must be refused;
    otherwise deletes the pages' occurrences when the request confirms the deletion."""
    if Registration.objects.filter(occurrence__page__in=pages).exists():
        messages.error(
            request,
            _(
                "« %(title)s » ne peut pas être supprimée : des personnes sont inscrites à ses dates. "
                "Annulez les dates concernées et dépubliez la page."
            )
            % {"title": titles},
        )
        return True
    if request.method == "POST":
        Occurrence.objects.filter(page__in=pages).delete()
    return False


@hooks.register("before_delete_page")
def refuse_deleting_pages_with_registrations(request, page):
    if _registered_pages_refused(request, page.get_descendants(inclusive=True), page.title):
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_pages_with_registrations(request, action_type, objects, action_class_instance):
    if action_type != "delete" or not objects or not isinstance(objects[0], Page):
        return None
    pages = Page.objects.none()
    for page in objects:
        pages |= page.get_descendants(inclusive=True)
    if _registered_pages_refused(request, pages, ", ".join(p.title for p in objects)):
        next_url = action_class_instance.next_url
        if not next_url or next_url == request.path:
            return redirect("wagtailadmin_explore", objects[0].get_parent().pk)
        return redirect(next_url)
    return None


@hooks.register("after_move_page")
def resync_after_move(request, page):
    specific = page.specific
    if isinstance(specific, EventPage):
        materialise(specific)
        touch(specific)  # feeds carry the page's URL


@hooks.register("register_account_section")
def personal_calendar_section():
    def context(request):
        token = CalendarToken.objects.filter(user=request.user).values_list("token", flat=True).first()
        return {"calendar_feed_path": reverse("events:personal_feed", args=[token]) if token else None}

    return AccountSection(
        key="agenda",
        title=gettext_lazy("Mon agenda personnel"),
        order=15,
        template_name="events/account_section.html",
        get_context=context,
        is_shown=lambda request: request.user.is_authenticated,
    )
