"""The figures page's charts as data: bars a day stacked by series, bars by category, their value axes, and the
words that describe them (each chart's <desc>). Drawn as SVG by templates/staff/charts.html; filled in by
figures.py. No database and no request here."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cached_property

# The NHS identity's colours, in the order a chart's series take them; grey for "not recorded".
PALETTE = ("#005eb8", "#007f3b", "#330072", "#ffb81c", "#d5281b")
GREY = "#768692"

# --- What the charts and tables are given ------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Axis:
    top: int
    ticks: tuple[int, ...]


def axis_for(highest: int) -> Axis:
    """A value axis from 0 with at most five steps of 1, 2 or 5 times a power of ten."""
    step = 1
    while highest > 4 * step:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    top = max(step, math.ceil(highest / step) * step)
    return Axis(top, tuple(range(0, top + 1, step)))


@dataclass(frozen=True)
class DailyFigure:
    """Counts a day, stacked by series (channel, service), one bar a local day."""

    days: tuple[date, ...]
    series: tuple[Series, ...]
    summary: str

    @cached_property
    def totals(self) -> list[int]:
        return [sum(s.values[i] for s in self.series) for i in range(len(self.days))]

    @property
    def axis(self) -> Axis:
        return axis_for(max(self.totals, default=0))

    @property
    def labelled(self) -> dict[int, str]:
        """The days named under the bars: about five, always the first and the last."""
        n = len(self.days)
        every = max(1, math.ceil(n / 5))
        shown = [i for i in range(0, n, every) if n - 1 - i >= every or i == 0] + ([n - 1] if n > 1 else [])
        return {i: short_day(self.days[i]) for i in shown}


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class BarFigure:
    """Counts by category, as horizontal bars."""

    bars: tuple[Bar, ...]
    colour: str
    summary: str

    @property
    def highest(self) -> int:
        """The longest bar's count (at least 1): the bars are drawn to it, each labelled with its count."""
        return max((b.value for b in self.bars), default=1) or 1


# --- Words --------------------------------------------------------------------------------------------------------

def short_day(day: date) -> str:
    return f"{day.day} {day:%b}"


def long_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def duration(seconds: float | None) -> str:
    """A wait as people say it, to the minute: "2 hours 5 minutes", "45 minutes", "26 hours"."""
    if seconds is None:
        return ""
    hours, minutes = divmod(round(seconds / 60), 60)
    parts = ([plural(hours, "hour")] if hours else []) + ([plural(minutes, "minute")] if minutes or not hours else [])
    return " ".join(parts)


def daily_summary(days: tuple[date, ...], series: tuple[Series, ...], what: str) -> str:
    """What a chart of bars a day shows, in a sentence (its <desc>); ``what`` is singular ("referral")."""
    totals = [sum(s.values[i] for s in series) for i in range(len(days))]
    span = f"{plural(len(days), 'day')} from {long_day(days[0])} to {long_day(days[-1])}"
    if not sum(totals):
        return f"{span}: no {what}s."
    parts = [f"{s.label}: {sum(s.values)}" for s in series if sum(s.values)]
    split = f" ({', '.join(parts)})" if len(series) > 1 else ""
    busiest = max(range(len(days)), key=lambda i: (totals[i], -i))
    return (f"{span}: {plural(sum(totals), what)} in all{split}; the most in a day was {totals[busiest]}, "
            f"on {long_day(days[busiest])}.")
