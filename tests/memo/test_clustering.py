"""Clustering: reports of one contact become one event, distinct contacts stay apart."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from memo_briefs import (
    Article,
    golden_briefs,
    moscow_2013_call,
    shape,
    simple_event_brief,
    uspa_2013_call,
    wire_2013_call,
)

from summarize.core.brief import EventType
from summarize.memo.merging import merge_briefs


def test_the_five_golden_seeds_are_five_distinct_events() -> None:
    briefs = golden_briefs()
    assert len(briefs) == 5
    events = merge_briefs(briefs)
    assert len(events) == 5
    assert all(len(e.mentions) == 1 for e in events)
    dated = [e.date for e in events if e.date is not None]
    assert dated == sorted(dated)
    # Undated events come after every dated one.
    assert [e.date is None for e in events] == sorted(e.date is None for e in events)


def test_calls_two_days_apart_are_distinct() -> None:
    briefs = [
        simple_event_brief(
            "a", EventType.PHONE_CALL, dt.date(2016, 2, 14), ["Putin", "Obama"], ["Syria"]
        ),
        simple_event_brief(
            "b", EventType.PHONE_CALL, dt.date(2016, 2, 16), ["Putin", "Obama"], ["Syria"]
        ),
    ]
    assert len(merge_briefs(briefs)) == 2


def test_a_call_and_a_meeting_on_the_same_day_are_distinct() -> None:
    briefs = [
        simple_event_brief(
            "a", EventType.PHONE_CALL, dt.date(2016, 9, 5), ["Putin", "Obama"], ["Syria"]
        ),
        simple_event_brief(
            "b", EventType.MEETING, dt.date(2016, 9, 5), ["Putin", "Obama"], ["Syria"]
        ),
    ]
    assert len(merge_briefs(briefs)) == 2


def test_calls_sharing_only_one_leader_are_distinct() -> None:
    briefs = [
        simple_event_brief(
            "a",
            EventType.PHONE_CALL,
            dt.date(2016, 2, 14),
            ["Vladimir Putin", "Barack Obama"],
            ["Syria"],
        ),
        simple_event_brief(
            "b",
            EventType.PHONE_CALL,
            dt.date(2016, 2, 14),
            ["Vladimir Putin", "Recep Tayyip Erdogan"],
            ["Syria"],
        ),
    ]
    assert len(merge_briefs(briefs)) == 2


def test_undated_reports_merge_only_when_people_type_and_topics_agree() -> None:
    same = [
        simple_event_brief(
            "a",
            EventType.PHONE_CALL,
            None,
            ["Putin", "Obama"],
            ["Syria", "Ukraine", "Nagorno-Karabakh"],
        ),
        simple_event_brief(
            "b",
            EventType.PHONE_CALL,
            None,
            ["Vladimir Putin", "Barack Obama"],
            ["Syrian war", "Nagorno-Karabakh", "Ukraine"],
        ),
    ]
    assert len(merge_briefs(same)) == 1
    other_topics = [
        same[0],
        simple_event_brief(
            "c",
            EventType.PHONE_CALL,
            None,
            ["Putin", "Obama"],
            ["Iran nuclear program", "North Korea", "missile defence"],
        ),
    ]
    assert len(merge_briefs(other_topics)) == 2
    other_type = [
        same[0],
        simple_event_brief(
            "d",
            EventType.MEETING,
            None,
            ["Putin", "Obama"],
            ["Syria", "Ukraine", "Nagorno-Karabakh"],
        ),
    ]
    assert len(merge_briefs(other_type)) == 2


def test_an_undated_report_joins_a_dated_call_it_was_published_just_after() -> None:
    dated = simple_event_brief(
        "kremlin",
        EventType.PHONE_CALL,
        dt.date(2016, 2, 14),
        ["Putin", "Obama"],
        ["Syria", "Ukraine"],
    )
    soon = simple_event_brief(
        "aap",
        EventType.PHONE_CALL,
        None,
        ["Vladimir Putin", "Barack Obama"],
        ["Syria", "Ukraine"],
        published=dt.date(2016, 2, 15),
    )
    late = simple_event_brief(
        "later",
        EventType.PHONE_CALL,
        None,
        ["Vladimir Putin", "Barack Obama"],
        ["Syria", "Ukraine"],
        published=dt.date(2016, 4, 1),
    )
    assert len(merge_briefs([dated, soon])) == 1
    assert len(merge_briefs([dated, late])) == 2


def test_two_events_of_one_article_never_merge() -> None:
    text = "Putin and Obama spoke by phone on Monday and again on Monday evening.\n"
    a = Article("two-calls", text)
    people = [a.who("Putin", "Putin"), a.who("Obama", "Obama")]
    brief = a.brief(
        [
            # Told apart as the text tells them (the same type, people and summary twice
            # would be a repeat, kept once: see test_repeats_in_memo).
            a.event(
                1,
                EventType.PHONE_CALL,
                dt.date(2016, 9, 5),
                people,
                ["Syria"],
                date_text="on Monday",
                summary="Putin and Obama spoke by phone on Monday.",
            ),
            a.event(
                2,
                EventType.PHONE_CALL,
                dt.date(2016, 9, 5),
                people,
                ["Syria"],
                date_text="Monday evening",
                summary="They spoke again on Monday evening.",
            ),
        ],
        outlet="X",
        headline="Two calls",
        published=dt.date(2016, 9, 6),
    )
    assert len(merge_briefs([brief])) == 2


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(6)))
def test_merging_does_not_depend_on_the_order_of_briefs(order: list[int]) -> None:
    briefs = [
        uspa_2013_call(),
        wire_2013_call(),
        moscow_2013_call(),
        *golden_briefs()[1:4],
    ]
    expected = merge_briefs(briefs)
    shuffled = merge_briefs([briefs[i] for i in order])
    assert shape(shuffled) == shape(expected)
    assert [e.conflicts for e in shuffled] == [e.conflicts for e in expected]
