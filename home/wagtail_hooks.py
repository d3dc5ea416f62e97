from django.template.response import TemplateResponse

from wagtail import hooks
from wagtail.models import BaseViewRestriction


def _refused_by_group_rule(restrictions, request):
    return any(
        r.restriction_type in (BaseViewRestriction.GROUPS, BaseViewRestriction.LOGIN) and not r.accept_request(request)
        for r in restrictions
    )


def _explain_refusal(request, restrictions, subject, context):
    """A logged-in person who may not see restricted content is told why (403), not sent to
    log in again. Anonymous visitors fall through to Wagtail's own check, which asks them to log in."""
    if request.user.is_authenticated and _refused_by_group_rule(restrictions(), request):
        return TemplateResponse(request, "home/restricted.html", {**context, "subject": subject}, status=403)
    return None


@hooks.register("before_serve_page", order=-10)
def explain_members_only_page(page, request, serve_args, serve_kwargs):
    # Restrictions are read only for a logged-in person (anonymous visitors get Wagtail's login page).
    return _explain_refusal(request, page.get_view_restrictions, "page", {"page": page})


@hooks.register("before_serve_document", order=-10)
def explain_members_only_document(document, request):
    return _explain_refusal(request, document.collection.get_view_restrictions, "document", {"document": document})
