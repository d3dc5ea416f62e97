"""Where every app's part of the personal-data export is registered: one function per part,
each taking the person and returning JSON-ready data for a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass

_EXPORTERS: dict[str, "Exporter"] = {}


@dataclass(frozen=True)
class Exporter:
    key: str
    order: int
    function: Callable


def register(key, *, order=100):
    """Decorator: ``@register("inscriptions", order=20) def f(user): ...``."""

    def decorator(function):
        _EXPORTERS[key] = Exporter(key, order, function)
        return function

    return decorator


def exporters():
    from . import exporters as _builtin  # noqa: F401  (registers the parts of every app)

    return sorted(_EXPORTERS.values(), key=lambda e: (e.order, e.key))
