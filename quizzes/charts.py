"""SVG geometry for the scores page's charts: plain functions over numbers, no drawing library."""

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.safestring import mark_safe

# Bar chart layout, in SVG user units. The viewBox is about a phone's width, so text keeps
# roughly its CSS size on a 390-pixel screen; on a desktop the chart scales up a little.
BAR_CHART_WIDTH = 360
LABEL_WIDTH = 118  # topic names, right-aligned, end here
BAR_START = 124
VALUE_WIDTH = 40  # room for "100%" after the longest bar
BAR_HEIGHT = 18
BAR_GAP = 8
AXIS_HEIGHT = 16  # the 0% / 50% / 100% marks below the bars
LABEL_UNITS = 18  # how much of a topic name fits: one unit per Latin letter, two per CJK one

SPARKLINE_WIDTH = 100
SPARKLINE_HEIGHT = 24
SPARKLINE_PADDING = 3


def format_percent(share: float | None) -> str:
    """0.834 -> "83%"; no data -> an en dash."""
    if share is None:
        return "–"
    return f"{round(clamp(share) * 100)}%"


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def display_width(text: str) -> int:
    """Width in half-width units: CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def shorten(text: str, max_units: int = LABEL_UNITS) -> str:
    """Cut `text` to at most `max_units` of display width, marking the cut with an ellipsis."""
    if display_width(text) <= max_units:
        return text
    kept, used = [], 1  # the ellipsis takes one unit
    for char in text:
        used += display_width(char)
        if used > max_units:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


@dataclass(frozen=True)
class Bar:
    label: str  # what fits beside the bar
    full_label: str  # the whole name, for the tooltip and screen readers
    value: float | None  # share 0..1, or None when there is nothing to measure yet
    y: float
    width: float
    text_y: float  # baseline of the label and value texts, centred on the bar
    value_x: float

    @property
    def percent(self) -> str:
        return format_percent(self.value)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_x: int
    bar_x: int
    bar_span: int  # the width of a 100% bar
    bar_height: int
    plot_height: int  # the bars' area, above the axis labels
    axis_y: float  # where the tick labels sit
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def summary(self) -> str:
        """The chart as one line of text, for its accessible name."""
        return "; ".join(f"{bar.full_label} {bar.percent}" for bar in self.bars)


def bar_chart(items: list[tuple[str, float | None]]) -> BarChart:
    """Horizontal bars, one per (label, share 0..1 or None), top to bottom in the given order."""
    bar_span = BAR_CHART_WIDTH - BAR_START - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(items):
        y = index * (BAR_HEIGHT + BAR_GAP)
        width = round(clamp(value) * bar_span, 2) if value is not None else 0.0
        bars.append(
            Bar(
                label=shorten(label),
                full_label=label,
                value=value,
                y=y,
                width=width,
                text_y=y + BAR_HEIGHT / 2 + 4,  # +4: roughly half a 12-unit font's x-height
                value_x=BAR_START + width + 4,
            )
        )
    bars_height = len(items) * (BAR_HEIGHT + BAR_GAP)
    ticks = [
        Tick(x=BAR_START + round(share * bar_span, 2), label=format_percent(share))
        for share in (0.0, 0.5, 1.0)
    ]
    return BarChart(
        width=BAR_CHART_WIDTH,
        height=bars_height + AXIS_HEIGHT,
        label_x=LABEL_WIDTH,
        bar_x=BAR_START,
        bar_span=bar_span,
        bar_height=BAR_HEIGHT,
        plot_height=bars_height,
        axis_y=bars_height + AXIS_HEIGHT - 4,
        bars=bars,
        ticks=ticks,
    )


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    padding: int
    values: list[float]
    points: list[tuple[float, float]]

    @property
    def polyline(self) -> str:
        """The `points` attribute of an SVG <polyline>."""
        return " ".join(f"{x:g},{y:g}" for x, y in self.points)

    @property
    def baseline_y(self) -> float:
        """Where a score of 0% is drawn."""
        return self.height - self.padding

    @property
    def last(self) -> tuple[float, float] | None:
        return self.points[-1] if self.points else None

    @property
    def summary(self) -> str:
        return ", ".join(format_percent(value) for value in self.values)


def sparkline(
    values: list[float],
    width: int = SPARKLINE_WIDTH,
    height: int = SPARKLINE_HEIGHT,
    padding: int = SPARKLINE_PADDING,
) -> Sparkline:
    """A small trend of shares 0..1, oldest on the left; 1.0 at the top, 0.0 at the bottom."""
    values = [clamp(float(value)) for value in values]
    inner_width, inner_height = width - 2 * padding, height - 2 * padding
    if len(values) == 1:
        xs = [width / 2]
    else:
        step = inner_width / (len(values) - 1) if values else 0
        xs = [padding + index * step for index in range(len(values))]
    points = [
        (round(x, 2), round(padding + (1 - value) * inner_height, 2))
        for x, value in zip(xs, values, strict=True)
    ]
    return Sparkline(width=width, height=height, padding=padding, values=values, points=points)


# The year heatmap: a column per week (Monday on top), a square per day, as Anki and GitHub draw it.
HEAT_CELL = 11
HEAT_STEP = 13  # cell and gap
HEAT_LEFT = 22  # room for the weekday labels
HEAT_TOP = 14  # room for the month labels
YEAR_WEEKS = 53


@dataclass(frozen=True)
class HeatCell:
    day: date
    count: int
    level: int  # 0 nothing, 1 under half the goal, 2 under the goal, 3 the goal, 4 twice the goal
    x: int
    y: int


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    cell: int
    cells: list[HeatCell]
    months: list[tuple[int, date]]  # (x, a day of the month) where a month's first week begins
    weekday_rows: list[tuple[int, date]]  # (y of the label's baseline, a Monday/Wednesday/Friday)
    days_studied: int
    total: int

    def squares_svg(self) -> str:
        """The day squares as SVG markup, built here: a template loop over a year of squares
        costs a hundred times more, and every value is a number or an ISO date (nothing to escape)."""
        return mark_safe(
            "".join(
                f'<rect class="heat-{cell.level}" x="{cell.x}" y="{cell.y}" width="{self.cell}"'
                f' height="{self.cell}" rx="2"><title>{cell.day.isoformat()}: {cell.count}</title></rect>'
                for cell in self.cells
            )
        )


def heat_level(count: int, goal: int) -> int:
    if count <= 0:
        return 0
    if count * 2 < goal:
        return 1
    if count < goal:
        return 2
    return 3 if count < 2 * goal else 4


def heatmap(answers_per_day: dict[date, int], today: date, goal: int, weeks: int = YEAR_WEEKS) -> Heatmap:
    """`weeks` columns ending with today's week; days after today are not drawn."""
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    cells, months = [], []
    for week in range(weeks):
        x = HEAT_LEFT + week * HEAT_STEP
        for weekday in range(7):
            day = first + timedelta(days=week * 7 + weekday)
            if day > today:
                break
            if day.day == 1 or (week == 0 and weekday == 0):
                months.append((x, day))
            count = answers_per_day.get(day, 0)
            cells.append(HeatCell(day, count, heat_level(count, goal), x, HEAT_TOP + weekday * HEAT_STEP))
    # A month's label sits over the week its first day falls in; the partial first week gives way,
    # and a month begun in the last weeks has no room for its name yet.
    if len(months) > 1 and months[1][0] - months[0][0] < 3 * HEAT_STEP:
        months = months[1:]
    width = HEAT_LEFT + weeks * HEAT_STEP
    months = [(x, day) for x, day in months if x + 3 * HEAT_STEP <= width]
    return Heatmap(
        width=width,
        height=HEAT_TOP + 7 * HEAT_STEP,
        cell=HEAT_CELL,
        cells=cells,
        months=months,
        weekday_rows=[
            (HEAT_TOP + row * HEAT_STEP + HEAT_CELL - 2, first + timedelta(days=row)) for row in (0, 2, 4)
        ],
        days_studied=sum(1 for cell in cells if cell.count),
        total=sum(cell.count for cell in cells),
    )
