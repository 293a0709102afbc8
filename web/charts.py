"""The geometry of the dashboard's horizontal bar charts, drawn as SVG by ``network/charts.html``.

Plain arithmetic, so templates only place what is computed here. A withheld figure ("fewer than 5")
has no bar of its own length: it is drawn as a dashed outline over the whole 1-4 range, with the
words beside it, so the chart never gives away the number either.
"""

from dataclasses import dataclass

from domain.engagement import MIN_GROUP, Figure

WIDTH = 640
SMALL_WIDTH = 460  # small multiples, two side by side
CHAR_WIDTH = 7.8  # px per character of a 14 px label, generously: labels are measured, not rendered
MAX_LABEL_WIDTH = 320
BAR_HEIGHT = 24
GAP = 10
TOP = 6
NUMBER_ROOM = 110  # right of the longest bar, for the number or "fewer than 5"


@dataclass(frozen=True)
class Bar:
    label: str
    figure: Figure
    y: int
    width: float  # the bar, or the dashed outline of a withheld figure; 0 for zero
    text_x: float
    text_y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def bar_chart(rows: list[tuple[str, Figure]], *, width: int = WIDTH, label_width: int | None = None) -> BarChart:
    """One bar per (label, figure), top to bottom, on a scale from 0 to the largest shown figure.

    ``rows`` carry labels in the reader's language: the space left of the bars fits the longest one.
    """
    if label_width is None:
        label_width = int(min(MAX_LABEL_WIDTH, 16 + CHAR_WIDTH * max((len(label) for label, _f in rows), default=0)))
    shown = [f.value for _label, f in rows if f.value is not None]
    top = max([*shown, 2 * MIN_GROUP])  # a withheld outline never looks like the largest group
    plot = width - label_width - NUMBER_ROOM
    bars = []
    for position, (label, figure) in enumerate(rows):
        y = TOP + position * (BAR_HEIGHT + GAP)
        value = MIN_GROUP - 1 if figure.withheld else figure.value
        length = round(plot * value / top, 1)
        bars.append(Bar(label, figure, y, length, label_width + length + 8, y + BAR_HEIGHT // 2 + 5))
    return BarChart(width, TOP * 2 + len(rows) * (BAR_HEIGHT + GAP) - GAP, label_width, BAR_HEIGHT, bars)


# --- fairness monitoring: a rate per group with its 95% interval (issue 17) ---------------------------------------

@dataclass(frozen=True)
class RateBar:
    label: str
    rate: float | None  # None: hidden (too few people)
    flagged: bool
    y: int
    width: float  # the bar: the rate on a 0-100% scale
    low_x: float  # the interval's whisker
    high_x: float
    text_x: float
    text_y: int


@dataclass(frozen=True)
class RateChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[RateBar]


def rate_chart(rows: list[tuple[str, float | None, tuple[float, float] | None, bool]], *,
               width: int = WIDTH) -> RateChart:
    """One bar per (label, rate, (low, high), flagged) on a fixed 0-100% scale; a hidden rate has no bar."""
    label_width = int(min(MAX_LABEL_WIDTH, 16 + CHAR_WIDTH * max((len(label) for label, *_ in rows), default=0)))
    plot = width - label_width - NUMBER_ROOM
    bars = []
    for position, (label, rate, interval, flagged) in enumerate(rows):
        y = TOP + position * (BAR_HEIGHT + GAP)
        length = round(plot * rate, 1) if rate is not None else 0
        low, high = interval if interval is not None else (0.0, 0.0)
        bars.append(RateBar(label, rate, flagged, y, length, round(label_width + plot * low, 1),
                            round(label_width + plot * high, 1),
                            label_width + (plot * high if interval else length) + 8, y + BAR_HEIGHT // 2 + 5))
    return RateChart(width, TOP * 2 + len(rows) * (BAR_HEIGHT + GAP) - GAP, label_width, BAR_HEIGHT, bars)
