"""An issue as an e-mail: responsive HTML with inline styles (tables, 600 px, no external CSS)
and its plain-text part, rendered once per variant (members' copy, public copy); each
recipient's copy only differs by its unsubscribe link, put in place of a marker."""

import datetime
import re
from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from wagtail.models import PageViewRestriction
from wagtail.rich_text import expand_db_html

from base.french_dates import french_date, french_span
from registrations.models import Occurrence
from resources.models import ResourcePage

from . import conf
from .tokens import unsubscribe_token

NEW_RESOURCES_MAX = 12
AGENDA_MAX = 20


def absolute(url):
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _public_only(queryset, field="page__path"):
    """Leave out pages under a view restriction (the public copy and archive never list them)."""
    paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    for path in paths:
        queryset = queryset.exclude(**{f"{field}__startswith": path})
    return queryset


def _agenda(issue, value, members):
    start = timezone.make_aware(datetime.datetime.combine(issue.issue_date, datetime.time.min))
    end = start + datetime.timedelta(days=value["days"])
    occurrences = (
        Occurrence.objects.scheduled()
        .live()
        .between(start, end)
        .select_related("page")
        .only("start", "end", "all_day", "location", "page__title", "page__url_path", "page__path", "page__id")
        .order_by("start", "pk")
    )
    if not members:
        occurrences = _public_only(occurrences).exclude(audience="members")
    return [
        {
            "title": o.page.title,
            "when": french_span(o),
            "url": absolute(o.page.get_url()),
            "where": ", ".join(line.strip() for line in o.location.splitlines() if line.strip()),
        }
        for o in occurrences[:AGENDA_MAX]
    ]


def _new_resources(issue, members):
    previous = issue.previous_issue() if issue.pk else None
    since = previous.issue_date if previous else issue.issue_date - datetime.timedelta(days=60)
    resources = (
        ResourcePage.objects.live()
        .filter(first_published_at__date__gt=since, first_published_at__date__lte=issue.issue_date)
        .order_by("-first_published_at")
        .only("title", "summary", "url_path", "path", "resource_type")
    )
    if not members:
        resources = _public_only(resources, "path")
    return [
        {"title": r.title, "summary": r.summary, "url": absolute(r.get_url()), "type": r.get_resource_type_display()}
        for r in resources[:NEW_RESOURCES_MAX]
    ]


def as_text(html):
    """Rich text for the plain-text part: paragraphs and list items on their own lines, no markup."""
    html = re.sub(r"(?i)<br\s*/?>", "\n", html)
    html = re.sub(r"(?i)<li[^>]*>", "\n- ", html)
    html = re.sub(r"(?i)</(p|h[1-6]|ul|ol)>", "\n\n", html)
    text = unescape(strip_tags(html))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass
class Section:
    type: str
    value: object
    items: list | None = None
    html: str = ""
    text: str = ""
    url: str = ""
    image_url: str = ""


def issue_sections(issue, *, members):
    """The blocks a reader sees (members' blocks only for ``members``), with what they list."""
    sections = []
    for block in issue.body:
        value = block.value
        if value.get("members_only") and not members:
            continue
        section = Section(block.block_type, value)
        if block.block_type in ("editorial", "group_news"):
            section.html = expand_db_html(value["text"].source)
            section.text = as_text(section.html)
            if block.block_type == "group_news" and value["group"]:
                group = value["group"].specific
                if not members and not _public_only(type(group).objects.filter(pk=group.pk), "path").exists():
                    continue
                section.url = absolute(group.get_url())
        elif block.block_type == "image":
            rendition = value["image"].get_rendition("width-1200")
            section.image_url = absolute(rendition.url)
        elif block.block_type == "resource":
            resource = value["resource"]
            if resource is None or not resource.live:
                continue
            if not members and not _public_only(ResourcePage.objects.filter(pk=resource.pk), "path").exists():
                continue
            section.url = absolute(resource.get_url())
        elif block.block_type == "agenda":
            section.items = _agenda(issue, value, members)
        elif block.block_type == "new_resources":
            section.items = _new_resources(issue, members)
        sections.append(section)
    return sections


@dataclass
class RenderedIssue:
    subject: str
    html: str
    text: str
    web_url: str
    UNSUBSCRIBE = "__RESECO_UNSUBSCRIBE_URL__"


def render_issue(issue, *, members):
    """The e-mail of ``issue`` (a page or a revision's page), with the unsubscribe marker."""
    context = {
        "issue": issue,
        "sections": issue_sections(issue, members=members),
        "date": french_date(issue.issue_date),
        "web_url": absolute(issue.get_url()) if issue.pk else "",
        "unsubscribe_url": RenderedIssue.UNSUBSCRIBE,
        "site_url": settings.SITE_URL.rstrip("/"),
        "members": members,
    }
    html = render_to_string("newsletter/email/issue.html", context)
    text = render_to_string("newsletter/email/issue.txt", context)
    subject = " ".join((_("La lettre RESECO – %(title)s") % {"title": issue.title}).split())  # one header line
    return RenderedIssue(subject, html, text, context["web_url"])


def unsubscribe_url(email):
    return absolute(reverse("newsletter:unsubscribe", args=[unsubscribe_token(email)]))


def build_message(rendered, email, *, message_id=None, connection=None, test=False):
    """One recipient's copy, with RFC 8058 one-click unsubscribe headers."""
    link = unsubscribe_url(email)
    unsubscribe = [f"<{link}>"]
    if conf.unsubscribe_mailto():
        unsubscribe.append(f"<mailto:{conf.unsubscribe_mailto()}?subject=unsubscribe>")
    headers = {
        "List-Unsubscribe": ", ".join(unsubscribe),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": "La lettre RESECO <lettre.reseco>",
    }
    if message_id:
        headers["Message-ID"] = message_id
    subject = rendered.subject
    if test:
        subject = _("[Essai] %(subject)s") % {"subject": subject}
    message = EmailMultiAlternatives(
        subject,
        rendered.text.replace(rendered.UNSUBSCRIBE, link),
        None,
        [email],
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(rendered.html.replace(rendered.UNSUBSCRIBE, link), "text/html")
    return message
