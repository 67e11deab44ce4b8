"""Merging one contact's reports: every source kept, disagreements flagged, not resolved."""

from __future__ import annotations

import datetime as dt

from memo_briefs import moscow_2013_call, simple_event_brief, uspa_2013_call, wire_2013_call

from summarize.core.brief import EventType
from summarize.memo.merging import merge_briefs


def test_two_outlets_and_a_readout_of_one_call_merge_into_one_event() -> None:
    events = merge_briefs([uspa_2013_call(), wire_2013_call(), moscow_2013_call()])
    assert len(events) == 1
    call = events[0]
    assert call.event_type is EventType.PHONE_CALL
    assert len(call.mentions) == 3
    assert {m.source.outlet for m in call.mentions} == {"USPA News", "Wire", "Moscow Daily"}
    # Two of three reports put the call on Friday 1 March; the third a day later.
    assert call.date == dt.date(2013, 3, 1)
    date_conflict = call.conflict("date")
    assert date_conflict is not None
    assert [v.value for v in date_conflict.variants] == ["2013-03-01", "2013-03-02"]
    # "Obama"/"Barack Obama" and "Putin"/"Vladimir Putin" are two people, not four.
    assert sorted(p.name for p in call.participants) == ["Barack Obama", "Vladimir Putin"]
    obama = next(p for p in call.participants if p.name == "Barack Obama")
    assert obama.affiliation == "United States"
    assert len({s.mention.article_id for s in obama.evidence}) == 3


def test_outlets_disagreeing_on_the_initiator_are_flagged_not_resolved() -> None:
    call = merge_briefs([uspa_2013_call(), wire_2013_call(), moscow_2013_call()])[0]
    assert call.initiator is None
    conflict = call.conflict("initiator")
    assert conflict is not None
    by_side = {v.value: [m.source.outlet for m in v.mentions] for v in conflict.variants}
    assert by_side == {"United States": ["Wire"], "Russia": ["Moscow Daily"]}
    assert all(v.evidence for v in conflict.variants)


def test_an_initiator_stated_by_one_outlet_only_is_kept() -> None:
    call = merge_briefs([uspa_2013_call(), wire_2013_call()])[0]
    assert call.conflict("initiator") is None
    assert call.initiator is not None
    assert call.initiator.party == "United States"


def test_the_same_statement_from_two_outlets_is_one_outcome_with_both_quotes() -> None:
    call = merge_briefs([uspa_2013_call(), wire_2013_call(), moscow_2013_call()])[0]
    transition = [o for o in call.outcomes if "political transition" in o.statement]
    assert len(transition) == 1
    assert transition[0].side == "United States"
    assert {s.mention.source.outlet for s in transition[0].evidence} == {"USPA News", "Wire"}
    assert call.sides == ("Russia", "United States")


def test_summit_sideline_and_meeting_reports_merge_and_keep_the_specific_type() -> None:
    briefs = [
        simple_event_brief(
            "cnn",
            EventType.SUMMIT_SIDELINE,
            dt.date(2016, 9, 5),
            ["Barack Obama", "Vladimir Putin"],
            ["Syria", "Ukraine"],
            outlet="CNN",
        ),
        simple_event_brief(
            "tass",
            EventType.MEETING,
            dt.date(2016, 9, 5),
            ["Putin", "Obama"],
            ["Syria"],
            outlet="TASS",
        ),
        simple_event_brief(
            "ap",
            EventType.TALKS,
            dt.date(2016, 9, 6),
            ["Obama", "Putin", "John Kerry"],
            ["Syria ceasefire"],
            outlet="AP",
        ),
    ]
    events = merge_briefs(briefs)
    assert len(events) == 1
    assert events[0].event_type is EventType.SUMMIT_SIDELINE
    assert events[0].conflict("event type") is not None
