"""Bar charts of the report, drawn server-side as accessible SVG (the numbers are also in a table)."""

from dataclasses import dataclass
from decimal import Decimal

from .templatetags.reports_tags import number

LABEL_WIDTH = 230
BAR_WIDTH = 300
ROW_HEIGHT = 26
VALUE_WIDTH = 90
PALETTE = ["#1d4e6f", "#2f7d5b", "#8a4f00", "#6b3fa0", "#a0303f", "#35606f", "#5b6b1f", "#7a4a63"]


@dataclass
class Bar:
    label: str
    value: object
    text: str
    y: int
    width: float
    color: str
    url: str = ""


@dataclass
class Chart:
    key: str
    title: str
    description: str
    bars: list
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    value_x: float = LABEL_WIDTH + BAR_WIDTH + 8


def _number(value):
    return Decimal(str(value)) if value is not None else Decimal(0)


def bar_chart(key, title, items, *, unit="", description=""):
    """``items``: (label, value, url) triples. Bars are scaled to the largest value."""
    items = list(items)
    largest = max((_number(v) for _, v, _ in items), default=Decimal(0)) or Decimal(1)
    bars = []
    for index, (label, value, url) in enumerate(items):
        text = number(value, unit)
        width = float(_number(value) / largest * BAR_WIDTH)
        bars.append(
            Bar(str(label), value, text, index * ROW_HEIGHT, max(width, 1.0), PALETTE[index % len(PALETTE)], url)
        )
    summary = "; ".join(f"{bar.label} : {bar.text}" for bar in bars)
    return Chart(
        key=key,
        title=str(title),
        description=description or summary,
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT + 4,
    )


def breakdown_chart(breakdown, link=None):
    """A chart of a report breakdown's ``chart_column``; ``link(drill)`` gives each bar's URL."""
    column = next((c for c in breakdown.columns if c.key == breakdown.chart_column), breakdown.columns[0])
    items = [
        (row.label, row.values.get(column.key), link(row.drill.get(column.key)) if link else "")
        for row in breakdown.rows
    ]
    return bar_chart(f"chart-{breakdown.key}", f"{breakdown.title} ({column.label.lower()})", items, unit=column.unit)
