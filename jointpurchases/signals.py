"""A grouped purchase is members-only until it is awarded: Wagtail's own view restriction (groups
« Membres » and « Éditeurs ») is kept in step on every publication, so search, the site map,
the sitemap and menus hide it from others like any members-only page. Once awarded, the
restriction goes and the page is public."""

from django.db import transaction

from wagtail.models import PageViewRestriction

from members.services import members_only_groups


def sync_restriction(sender, instance, revision=None, **kwargs):
    """``page_published`` receiver for JointPurchasePage."""
    page = instance
    with transaction.atomic():
        own = PageViewRestriction.objects.filter(page=page, restriction_type=PageViewRestriction.GROUPS)
        if page.awarded:
            own.delete()
        elif not own.exists():
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
            restriction.groups.add(*members_only_groups())
