"""Follow-ups announced at one contact, tracked against the later contacts in the briefs."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from summarize.memo.events import MergedEvent, MergedFollowUp
from summarize.memo.people import person_key, shared_people

# A later contact "meets" a follow-up when it falls this close to the due date
# (summits span days; due dates are the first day of a range).
FOLLOW_UP_WINDOW_DAYS = 3


class FollowUpStatus(StrEnum):
    MET = "met"
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class TrackedFollowUp:
    follow_up: MergedFollowUp
    event: MergedEvent
    status: FollowUpStatus
    met_by: MergedEvent | None = None


def track_follow_ups(events: Sequence[MergedEvent], as_of: dt.date) -> list[TrackedFollowUp]:
    """Match each follow-up to a later event with shared people near its due date.

    A follow-up without a due date cannot be matched and stays open; it is overdue only
    when a due date has passed `as_of`.
    """
    by_day: dict[int, list[MergedEvent]] = defaultdict(list)
    for e in events:
        if e.date is not None:
            by_day[e.date.toordinal()].append(e)

    tracked: list[TrackedFollowUp] = []
    for event in events:
        for fu in event.follow_ups:
            met_by = _meeting_of(event, fu, by_day)
            if met_by is not None:
                status = FollowUpStatus.MET
            elif fu.due_date is not None and fu.due_date < as_of:
                status = FollowUpStatus.OVERDUE
            else:
                status = FollowUpStatus.OPEN
            tracked.append(TrackedFollowUp(follow_up=fu, event=event, status=status, met_by=met_by))
    return tracked


def _meeting_of(
    event: MergedEvent, fu: MergedFollowUp, by_day: dict[int, list[MergedEvent]]
) -> MergedEvent | None:
    if fu.due_date is None:
        return None
    who = [person_key(r) for r in fu.responsible] or [p.key for p in event.participants]
    due = fu.due_date.toordinal()
    candidates = [
        e
        for day in range(due - FOLLOW_UP_WINDOW_DAYS, due + FOLLOW_UP_WINDOW_DAYS + 1)
        for e in by_day.get(day, [])
        if e.id != event.id and (event.date is None or (e.date is not None and e.date > event.date))
    ]
    due_date = fu.due_date
    for e in sorted(candidates, key=lambda e: (abs((e.date or due_date) - due_date), e.id)):
        if shared_people(who, [p.key for p in e.participants]) >= min(2, len(who)):
            return e
    return None
