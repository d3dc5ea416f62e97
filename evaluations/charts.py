"""Small bar charts of a question's distribution, drawn server-side as accessible SVG (the same
drawing as the activity report's charts: a title and a text description for screen readers; the
numbers are also in a table next to it)."""

from dataclasses import dataclass

LABEL_WIDTH = 160
BAR_WIDTH = 220
ROW_HEIGHT = 24
VALUE_WIDTH = 90
COLOR = "#1d4e6f"


@dataclass
class Bar:
    label: str
    text: str
    y: int
    width: float


@dataclass
class Chart:
    key: str
    title: str
    description: str
    bars: list
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    value_x: int = LABEL_WIDTH + BAR_WIDTH + 8


def distribution_chart(key, title, distribution):
    """``distribution``: (label, count, percent) triples; bars scaled to the largest count."""
    largest = max((count for _label, count, _pct in distribution), default=0) or 1
    bars = []
    for index, (label, count, pct) in enumerate(distribution):
        text = f"{count}" + (f" ({str(pct).replace('.', ',')} %)" if pct is not None else "")
        bars.append(Bar(str(label), text, index * ROW_HEIGHT, max(count / largest * BAR_WIDTH, 1.0)))
    description = "; ".join(f"{bar.label} : {bar.text}" for bar in bars)
    return Chart(
        key=key,
        title=str(title),
        description=description,
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(len(bars), 1) * ROW_HEIGHT + 4,
    )
