"""The HTML memo's overview of a large folder (pure): contacts over time and the most frequent
pairs of leaders, as chart geometry and as tables, and the data its filter box searches.

Charts are drawn here as numbers (bar positions in an SVG viewBox); the template only places
them. Everything comes from the merged events, the same ones the memo lists.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarize.memo.events import MergedEvent
from summarize.memo.folding import fold
from summarize.memo.links import Anchors
from summarize.memo.wording import TYPE_LABELS, format_date

# The charts' drawing area (SVG user units); the page scales it to its width.
CHART_WIDTH = 640
CHART_HEIGHT = 150
PAIR_ROWS = 10
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class TimeChart:
    unit: str  # "month", "quarter" or "year"
    bars: tuple[Bar, ...]
    max_count: int
    n_dated: int
    n_undated: int
    axis: tuple[tuple[float, str], ...]  # x position and label of the ticks shown
    description: str


@dataclass(frozen=True, slots=True)
class Pair:
    first: str
    second: str
    count: int
    first_date: str
    last_date: str
    bar: float  # bar length in the pairs chart
    label: str = ""  # the pair by short names ("Trump - Putin", en dash), to fit the chart


@dataclass(frozen=True, slots=True)
class FilterOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Overview:
    time: TimeChart
    pairs: tuple[Pair, ...]
    n_pairs: int  # distinct pairs in all, of which `pairs` are the most frequent
    pairs_description: str
    actors: tuple[FilterOption, ...]
    countries: tuple[FilterOption, ...]
    types: tuple[FilterOption, ...]
    first_date: str  # ISO bounds for the date inputs; empty without dated events
    last_date: str
    # The filter's records, as JSON safe to place in an HTML <script> data block.
    filter_json: str


def overview(events: Sequence[MergedEvent], anchors: Anchors) -> Overview:
    """The overview of the memo's events."""
    dated = [e.date for e in events if e.date is not None]
    pairs, n_pairs = _pairs(events)
    return Overview(
        time=time_chart(dated, len(events) - len(dated)),
        pairs=pairs,
        n_pairs=n_pairs,
        pairs_description=_pairs_description(pairs, n_pairs),
        actors=_options(p.name for e in events for p in e.participants),
        countries=_options(p.affiliation for e in events for p in e.participants if p.affiliation),
        types=tuple(
            FilterOption(t.value, TYPE_LABELS[t], n)
            for t, n in Counter(e.event_type for e in events).most_common()
        ),
        first_date=min(dated).isoformat() if dated else "",
        last_date=max(dated).isoformat() if dated else "",
        filter_json=_filter_json(events, anchors),
    )


# --- contacts over time -------------------------------------------------------------------------


def _unit(first: dt.date, last: dt.date) -> str:
    """Bins that keep the chart to a few dozen bars."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 36:
        return "month"
    return "quarter" if months <= 120 else "year"


def _bin(d: dt.date, unit: str) -> tuple[int, int]:
    if unit == "month":
        return d.year, d.month
    if unit == "quarter":
        return d.year, (d.month - 1) // 3 + 1
    return d.year, 0


def _next(key: tuple[int, int], unit: str) -> tuple[int, int]:
    year, part = key
    last = {"month": 12, "quarter": 4}.get(unit, 0)
    return (year + 1, min(1, last)) if part >= last else (year, part + 1)


def _bin_label(key: tuple[int, int], unit: str) -> str:
    year, part = key
    if unit == "month":
        return f"{_MONTHS[part - 1]} {year}"
    return f"Q{part} {year}" if unit == "quarter" else str(year)


def time_chart(dated: Sequence[dt.date], n_undated: int) -> TimeChart:
    if not dated:
        return TimeChart("month", (), 0, 0, n_undated, (), "No dated contacts to chart.")
    first, last = min(dated), max(dated)
    unit = _unit(first, last)
    counts = Counter(_bin(d, unit) for d in dated)
    keys = [_bin(first, unit)]
    while keys[-1] != _bin(last, unit):
        keys.append(_next(keys[-1], unit))
    top = max(counts.values())
    step = CHART_WIDTH / len(keys)
    bars = tuple(
        Bar(
            label=_bin_label(k, unit),
            count=counts[k],
            x=round(i * step + step * 0.1, 2),
            y=round(CHART_HEIGHT - CHART_HEIGHT * counts[k] / top, 2),
            width=round(step * 0.8, 2),
            height=round(CHART_HEIGHT * counts[k] / top, 2),
        )
        for i, k in enumerate(keys)
    )
    every = max(1, round(len(keys) / 6))
    ticks = tuple(
        (round(i * step + step / 2, 2), b.label) for i, b in enumerate(bars) if i % every == 0
    )
    busiest = max(bars, key=lambda b: b.count)
    description = (
        f"{len(dated)} dated contacts by {unit}, {format_date(first)} to {format_date(last)}; "
        f"most in {busiest.label} ({busiest.count})"
        + (f"; {n_undated} undated contacts are not shown" if n_undated else "")
        + "."
    )
    return TimeChart(unit, bars, top, len(dated), n_undated, ticks, description)


# --- pairs of leaders ---------------------------------------------------------------------------


def _pairs(events: Sequence[MergedEvent]) -> tuple[tuple[Pair, ...], int]:
    """The pairs of participants who meet most often: a dyad table, busiest first."""
    counts: Counter[tuple[str, str]] = Counter()
    dates: dict[tuple[str, str], list[dt.date]] = {}
    short: dict[str, str] = {}
    for e in events:
        for p in e.participants:
            short.setdefault(p.name, p.short or p.name)
        names = sorted({p.name for p in e.participants})
        for pair in itertools.combinations(names, 2):
            counts[pair] += 1
            if e.date is not None:
                dates.setdefault(pair, []).append(e.date)
    top = sorted(counts, key=lambda k: (-counts[k], k))[:PAIR_ROWS]
    most = counts[top[0]] if top else 1
    return (
        tuple(
            Pair(
                first=a,
                second=b,
                count=counts[(a, b)],
                first_date=format_date(min(dates[(a, b)])) if (a, b) in dates else "undated",
                last_date=format_date(max(dates[(a, b)])) if (a, b) in dates else "undated",
                bar=round(CHART_WIDTH * 0.45 * counts[(a, b)] / most, 2),
                label=f"{short[a]} \u2013 {short[b]}",
            )
            for a, b in top
        ),
        len(counts),
    )


def _pairs_description(pairs: Sequence[Pair], n_pairs: int) -> str:
    if not pairs:
        return "No event has two named participants."
    head = pairs[0]
    return (
        f"The {len(pairs)} most frequent of {n_pairs} pairs of participants; "
        f"{head.first} and {head.second} appear together in {head.count} "
        f"event{'s' if head.count != 1 else ''}."
    )


# --- the filter ---------------------------------------------------------------------------------


def _options(values: Iterable[str]) -> tuple[FilterOption, ...]:
    """Each value once, most frequent first."""
    counts = Counter(values)
    return tuple(
        FilterOption(v, v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def _filter_json(events: Sequence[MergedEvent], anchors: Anchors) -> str:
    """One record per event: anchor, names to search, countries, type and ISO date; escaped
    so no "</script>" can end the data block.

    A person's names are every form any report in the folder uses for them (Путин, Putin),
    as written and folded to Latin, so one search finds them in every language.
    """
    forms: dict[str, set[str]] = {}
    for e in events:
        for p in e.participants:
            known = forms.setdefault(p.name, set())
            for name in (p.name, p.short, *p.names, *p.shorts):
                if name:
                    known.update((name.lower(), fold(name)))
    records = [
        {
            "a": anchors[e.id][0],
            "n": sorted(set().union(*(forms[p.name] for p in e.participants))),
            "c": sorted({p.affiliation for p in e.participants if p.affiliation}),
            "t": e.event_type.value,
            "d": e.date.isoformat() if e.date else "",
        }
        for e in events
    ]
    text = json.dumps(records, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
