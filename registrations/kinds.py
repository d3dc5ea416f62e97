"""The kind registry. The engine knows no page type: owner apps declare, when they start, the
kinds of occurrence they create (``register_kind`` in their ``AppConfig.ready``), with their
labels and what the engine must know about them. The engine, the admin, feeds and reports read
these attributes, never a kind's name.

``by_application``: people do not register, they apply (suppliers' questionnaire), and an
editor selects or declines them (a market-engagement meeting, say)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class OccurrenceKind:
    key: str
    label: object  # lazy translation: « Webinaire »
    plural: object  # in lists and reports: « Webinaires »
    by_application: bool = False


_KINDS = {}


def register_kind(key, label, *, plural=None, by_application=False):
    """Declare a kind of occurrence (idempotent: the same key declared again replaces it)."""
    _KINDS[key] = OccurrenceKind(key, label, plural or label, by_application)


def kind_label(key, *, plural=False):
    kind = _KINDS.get(key)
    if kind is None:
        return key or "—"
    return str(kind.plural if plural else kind.label)


def registered_kinds():
    """Every declared kind, in the order the apps declared them (filters, feed names)."""
    return list(_KINDS.values())


def is_kind(key):
    return key in _KINDS


def by_application(occurrence):
    """Whether people apply for ``occurrence`` rather than register."""
    kind = _KINDS.get(occurrence.kind)
    return bool(kind and kind.by_application)


def application_kinds():
    """The keys of the kinds people apply for (for queryset filters)."""
    return [kind.key for kind in _KINDS.values() if kind.by_application]
