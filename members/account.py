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

Each section's HTML is kept in the page cache under the person's ``account_version`` (a column of
their own row, read with the session's user: no query, and the same in every process), so a
visit costs no section query until something changes. Whatever changes what a section shows a
person renews that version once its transaction commits: ``track_account_data(Model,
users_of)`` does it on every save or deletion of a row, ``account_changed(ids)`` where rows are
written in bulk. A context may also say until when it holds (``"fresh_until"``: a date that
passes from « à venir » to « passées », say); nothing is kept longer than ``PAGE_CACHE_SECONDS``.
Forms stay possible: the CSRF token is put in after the cache (never stored in it).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from wagtail import hooks

from base.templatetags.fragments import fragment_key

from .models import User

# Rendered in place of the CSRF token, replaced after the cache: a token is per browser, and
# autoescaping keeps this markup out of anything a person typed.
CSRF_PLACEHOLDER = mark_safe("<!--reseco:csrf-->")  # noqa: S308 (a constant)


@dataclass(frozen=True)
class AccountSection:
    key: str
    title: str
    template_name: str
    order: int = 100
    get_context: Callable = field(default=lambda request: {})
    is_shown: Callable = field(default=lambda request: True)


def account_changed(users):
    """What « Mon compte » shows ``users`` (ids, or a queryset of ids, read then) has changed:
    their cached sections are never served again once the transaction commits (one UPDATE).

    After the commit, not inside: people's rows are never locked within the engine's
    transactions (which would make them wait on, or deadlock with, each other); a section
    rendered in between shows the new data under the old version, which is harmless. Should the
    UPDATE fail, what has committed stands and the sections expire after PAGE_CACHE_SECONDS."""
    if isinstance(users, QuerySet):
        people = User.objects.filter(pk__in=users)
    else:
        ids = {pk for pk in users if pk}
        if not ids:
            return
        people = User.objects.filter(pk__in=ids)
    transaction.on_commit(lambda: people.update(account_version=secrets.token_hex(4)), robust=True)


def track_account_data(model, users_of):
    """Every save or deletion of a ``model`` row renews « Mon compte » of the people
    ``users_of(row)`` names (ids, or a queryset of ids)."""

    def renew(sender, instance, **kwargs):
        account_changed(users_of(instance))

    uid = f"members.account_changed.{model._meta.label}"
    post_save.connect(renew, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(renew, sender=model, weak=False, dispatch_uid=uid)


def _person_parts(user):
    # Beside the version: what sections decide from the person's row and the day (membership
    # dates, calls open until a day), none of which renews the version.
    return (
        user.pk,
        user.account_version,
        user.organisation_id,
        user.supplier_id,
        user.is_member,
        user.is_staff,
        user.is_superuser,
        timezone.localdate(),
    )


def _render(request, section):
    """(HTML, seconds it holds): "" for a section not shown to the person."""
    if not section.is_shown(request):
        return "", settings.PAGE_CACHE_SECONDS
    context = section.get_context(request)
    timeout = settings.PAGE_CACHE_SECONDS
    if context.get("fresh_until"):
        timeout = min(timeout, int((context["fresh_until"] - timezone.now()).total_seconds()))
    html = render_to_string(
        section.template_name, {"section": context, "request": request, "csrf_token": CSRF_PLACEHOLDER}
    )
    return html, timeout


def account_sections(request):
    """[(section, HTML)] of the sections shown to ``request.user``, from the cache when it holds them."""
    sections = sorted((fn() for fn in hooks.get_hooks("register_account_section")), key=lambda s: (s.order, s.key))
    parts = _person_parts(request.user)
    keys = [fragment_key(request, f"account:{section.key}", *parts) for section in sections]
    cache = caches["pages"]
    found = cache.get_many([key for key in keys if key])
    fresh = {}
    rendered = []
    for section, key in zip(sections, keys, strict=True):
        html = found.get(key) if key else None
        if html is None:
            html, timeout = _render(request, section)
            if key and timeout > 0:
                fresh.setdefault(timeout, {})[key] = html
        if html:
            rendered.append((section, html))
    for timeout, items in fresh.items():
        cache.set_many(items, timeout)
    return [(section, _with_csrf_token(request, html)) for section, html in rendered]


def _with_csrf_token(request, html):
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 (our templates' output, escaped)
