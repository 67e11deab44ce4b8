"""How the memo words things: dates, labels, outlets and lists of names.

Nothing depends on the machine: month and weekday names are spelled here, not by the locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from summarize.core.brief import EventType
from summarize.memo.events import Mention, MergedEvent, MergedPerson
from summarize.memo.people import short_name

UNKNOWN_OUTLET = "Outlet not stated"

TYPE_LABELS: dict[EventType, str] = {
    EventType.PHONE_CALL: "Phone call",
    EventType.MEETING: "Meeting",
    EventType.SUMMIT_SIDELINE: "Meeting on summit sidelines",
    EventType.VISIT: "Visit",
    EventType.TALKS: "Talks",
    EventType.STATEMENT: "Statement",
    EventType.OTHER: "Other contact",
}
TYPE_PHRASES: dict[EventType, str] = {
    EventType.PHONE_CALL: "a phone call",
    EventType.MEETING: "a meeting",
    EventType.SUMMIT_SIDELINE: "a meeting on summit sidelines",
    EventType.VISIT: "a visit",
    EventType.TALKS: "talks",
    EventType.STATEMENT: "a statement",
    EventType.OTHER: "a contact",
}
KIND_LABELS: dict[str, str] = {
    "agreed": "Agreed",
    "decided": "Decided",
    "claimed": "Claimed",
    "disagreed": "Disagreed",
}
CONFLICT_LABELS: dict[str, str] = {
    "date": "Date",
    "event type": "Type of contact",
    "place": "Place",
    "initiator": "Initiator",
    "status": "Whether it took place",
    "outcome": "Outcome",
}
# Locale-free month and weekday names: strftime would follow the machine's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_date(d: dt.date | None, *, weekday: bool = False) -> str:
    if d is None:
        return "undated"
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_WEEKDAYS[d.weekday()]} {text}" if weekday else text


def event_heading(event: MergedEvent) -> str:
    """The event's heading (E2 · Phone call · Fri 1 Mar 2013), and so its Markdown anchor."""
    return f"{event.id} · {TYPE_LABELS[event.event_type]} · {format_date(event.date, weekday=True)}"


def outlet_name(outlet: str | None) -> str:
    return (outlet or "").strip() or UNKNOWN_OUTLET


def outlet_of(m: Mention) -> str:
    return outlet_name(m.source.outlet)


def outlets_of(mentions: Iterable[Mention]) -> str:
    """The outlets of the mentions, each once, in order."""
    return ", ".join(dict.fromkeys(outlet_of(m) for m in mentions))


def published(m: Mention) -> str | None:
    """When the mention's article was published, as a date or as the article wrote it."""
    if m.source.published_date is not None:
        return format_date(m.source.published_date)
    return m.source.published_text


def join_words(items: Sequence[str]) -> str:
    """The words as a list in prose: a; a and b; a, b and c."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def surname_list(people: Sequence[MergedPerson], limit: int = 4) -> str:
    """The first `limit` surnames and how many others: "Putin, Kerry and 2 others"."""
    names = [p.short or short_name(p.name) for p in people[:limit]]
    if len(people) > limit:
        extra = len(people) - limit
        names.append(f"{extra} other" + ("s" if extra > 1 else ""))
    return join_words(names)


def role(p: MergedPerson) -> str:
    """Titles and affiliation: "President, Russia"."""
    parts = [" / ".join(p.titles)] if p.titles else []
    if p.affiliation:
        parts.append(p.affiliation)
    return ", ".join(parts)
