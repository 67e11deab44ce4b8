"""Follow-ups announced at one contact, tracked against what the folder can know: the later
contacts and reports about the same parties."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from summarize.memo.events import MergedEvent, MergedFollowUp
from summarize.memo.people import PersonKey, person_keys, same_any

# A later contact "meets" a follow-up when it falls this close to the due date
# (summits span days; due dates are the first day of a range).
FOLLOW_UP_WINDOW_DAYS = 3


class FollowUpStatus(StrEnum):
    MET = "met"
    OPEN = "open"
    OVERDUE = "overdue"
    # Due before `as_of`, but the folder holds no later report about the same parties: it
    # cannot say whether it happened.
    NO_LATER_REPORT = "no_later_report"


@dataclass(frozen=True, slots=True)
class TrackedFollowUp:
    follow_up: MergedFollowUp
    event: MergedEvent
    status: FollowUpStatus
    met_by: MergedEvent | None = None


def when(e: MergedEvent) -> dt.date | None:
    """The event's date, or for an undated event when it was first reported."""
    if e.date is not None:
        return e.date
    published = [m.source.published_date for m in e.mentions if m.source.published_date]
    return min(published) if published else None


def last_reported(e: MergedEvent) -> dt.date | None:
    """The latest date anything in the folder says about the event."""
    dates = [d for d in (e.date, *(m.source.published_date for m in e.mentions)) if d]
    return max(dates) if dates else None


def track_follow_ups(events: Sequence[MergedEvent], as_of: dt.date) -> list[TrackedFollowUp]:
    """Match each follow-up to a later event with shared people near its due date.

    Unmatched, a follow-up without a due date, or not yet due by `as_of`, is open. One past
    its due date is overdue only when a later report about the same parties exists and does
    not show it; with no such report the folder cannot tell ("no later report").
    """
    by_day: dict[int, list[MergedEvent]] = defaultdict(list)
    for e in events:
        day = when(e)
        if day is not None:
            by_day[day.toordinal()].append(e)

    # Each event's last report date, once; and the events by who took part in them, so that
    # overdue checks compare the parties with each distinct set of participants once.
    last_of = {e.id: last_reported(e) for e in events}
    by_parties = _by_parties(events, last_of)
    tracked: list[TrackedFollowUp] = []
    for event in events:
        for fu in event.follow_ups:
            met_by = _meeting_of(event, fu, by_day)
            if met_by is not None:
                status = FollowUpStatus.MET
            elif fu.due_date is None or fu.due_date >= as_of:
                status = FollowUpStatus.OPEN
            elif _later_report(event, fu, fu.due_date, by_parties):
                status = FollowUpStatus.OVERDUE
            else:
                status = FollowUpStatus.NO_LATER_REPORT
            tracked.append(TrackedFollowUp(follow_up=fu, event=event, status=status, met_by=met_by))
    return tracked


def _parties(event: MergedEvent, fu: MergedFollowUp) -> list[tuple[PersonKey, ...]]:
    return [p.keys or (p.key,) for p in event.participants] or [
        person_keys(r) for r in fu.responsible
    ]


def _shares(who: Sequence[tuple[PersonKey, ...]], e: MergedEvent) -> bool:
    theirs = [p.keys or (p.key,) for p in e.participants]
    shared = sum(1 for keys in who if any(same_any(keys, other) for other in theirs))
    return bool(who) and shared >= min(2, len(who))


# Events with one set of participants: one of them (its participants stand for all), and
# the two latest (last report date, id) among them, latest first.
_PartyGroup = tuple[MergedEvent, list[tuple[dt.date, str]]]


def _by_parties(
    events: Sequence[MergedEvent], last_of: dict[str, dt.date | None]
) -> list[_PartyGroup]:
    """The dated events grouped by their participants' keys (`_shares` looks at no more)."""
    groups: dict[tuple[tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...], ...], _PartyGroup]
    groups = {}
    for e in events:
        last = last_of[e.id]
        if last is None:
            continue
        # Keys compare without their sounds; matching uses them, so the group's key has them.
        signature = tuple(
            tuple((k.surname, k.given, k.sounds) for k in (p.keys or (p.key,)))
            for p in e.participants
        )
        _, latest = groups.setdefault(signature, (e, []))
        # Two are enough: the event itself may be the latest.
        latest.append((last, e.id))
        latest.sort(reverse=True)
        del latest[2:]
    return list(groups.values())


def _later_report(
    event: MergedEvent, fu: MergedFollowUp, due: dt.date, by_parties: Sequence[_PartyGroup]
) -> bool:
    """Whether another event about the contact's parties is reported after the due date."""
    who = _parties(event, fu)
    return any(
        any(last > due and e_id != event.id for last, e_id in latest) and _shares(who, first)
        for first, latest in by_parties
    )


def _meeting_of(
    event: MergedEvent, fu: MergedFollowUp, by_day: dict[int, list[MergedEvent]]
) -> MergedEvent | None:
    if fu.due_date is None:
        return None
    who = [person_keys(r) for r in fu.responsible] or [
        p.keys or (p.key,) for p in event.participants
    ]
    due = fu.due_date.toordinal()
    start = when(event)
    candidates = [
        e
        for day in range(due - FOLLOW_UP_WINDOW_DAYS, due + FOLLOW_UP_WINDOW_DAYS + 1)
        for e in by_day.get(day, [])
        if e.id != event.id and (start is None or ((d := when(e)) is not None and d > start))
    ]
    due_date = fu.due_date
    for e in sorted(candidates, key=lambda e: (abs((when(e) or due_date) - due_date), e.id)):
        if _shares(who, e):
            return e
    return None
