"""Follow-ups: met by a later contact of the same people near the due date, else open or
overdue against an explicit date."""

from __future__ import annotations

import datetime as dt

from memo_briefs import g8_meeting, golden_briefs, simple_event_brief, uspa_2013_call

from summarize.core.brief import EventType
from summarize.memo.follow_ups import FollowUpStatus, track_follow_ups
from summarize.memo.merging import merge_briefs


def test_a_follow_up_is_met_by_a_later_event_with_the_same_people_near_the_due_date() -> None:
    events = merge_briefs([uspa_2013_call(), g8_meeting()])
    tracked = track_follow_ups(events, as_of=dt.date(2013, 7, 1))
    assert len(tracked) == 1
    assert tracked[0].status is FollowUpStatus.MET
    assert tracked[0].met_by is not None
    assert tracked[0].met_by.date == dt.date(2013, 6, 17)


def test_an_unmet_follow_up_is_overdue_only_after_its_due_date() -> None:
    later = simple_event_brief(
        "later-call",
        EventType.PHONE_CALL,
        dt.date(2013, 8, 1),
        ["Barack Obama", "Vladimir Putin"],
        ["Syria"],
    )
    events = merge_briefs([uspa_2013_call(), later])
    assert track_follow_ups(events, dt.date(2013, 9, 1))[0].status is FollowUpStatus.OVERDUE
    assert track_follow_ups(events, dt.date(2013, 6, 17))[0].status is FollowUpStatus.OPEN
    assert track_follow_ups(events, dt.date(2013, 3, 3))[0].status is FollowUpStatus.OPEN


def test_past_due_with_no_later_report_of_the_parties_is_not_overdue() -> None:
    # Nothing in the folder after the due date is about Obama and Putin: it cannot tell.
    events = merge_briefs([uspa_2013_call()])
    status = track_follow_ups(events, dt.date(2013, 7, 1))[0].status
    assert status is FollowUpStatus.NO_LATER_REPORT


def test_a_meeting_of_other_people_does_not_meet_the_follow_up() -> None:
    other = simple_event_brief(
        "g8-cameron",
        EventType.MEETING,
        dt.date(2013, 6, 17),
        ["David Cameron", "Vladimir Putin"],
        ["Syria"],
    )
    events = merge_briefs([uspa_2013_call(), other])
    tracked = track_follow_ups(events, dt.date(2013, 7, 1))
    # Not met; and Cameron-Putin is not a later report about Obama and Putin.
    assert [t.status for t in tracked] == [FollowUpStatus.NO_LATER_REPORT]


def test_golden_follow_ups_g8_bilateral_has_no_later_report_in_the_folder() -> None:
    # The seeds' later Obama-Putin reports have no date at all; the 2016 Kerry visit is
    # another pair of people: nothing says whether the G8 bilateral took place.
    events = merge_briefs(golden_briefs())
    tracked = track_follow_ups(events, dt.date(2016, 7, 15))
    g8 = [t for t in tracked if "G8" in t.follow_up.action]
    assert len(g8) == 1
    assert g8[0].status is FollowUpStatus.NO_LATER_REPORT
    undated_due = [t for t in tracked if t.follow_up.due_date is None]
    assert undated_due and all(t.status is FollowUpStatus.OPEN for t in undated_due)
