"""The merge rules at their edges, where a looser rule would pass the other memo tests: an
undated report never bridges two contacts a week apart, "published within a day" means a
day, and nobody is called by another participant's short name."""

from __future__ import annotations

import datetime as dt

from memo_briefs import Article, simple_event_brief

from summarize.core.brief import EventType
from summarize.memo.merging import merge_briefs

PEOPLE = ["Vladimir Putin", "Barack Obama"]


def test_an_undated_report_does_not_bridge_two_calls_a_week_apart() -> None:
    first = simple_event_brief(
        "first",
        EventType.PHONE_CALL,
        dt.date(2016, 2, 7),
        PEOPLE,
        ["Syria", "Ukraine"],
        published=dt.date(2016, 2, 7),
    )
    second = simple_event_brief(
        "second",
        EventType.PHONE_CALL,
        dt.date(2016, 2, 14),
        PEOPLE,
        ["Syria", "Ukraine"],
        published=dt.date(2016, 2, 14),
    )
    undated = simple_event_brief(
        "undated",
        EventType.PHONE_CALL,
        None,
        PEOPLE,
        ["Syria", "Ukraine"],
        published=dt.date(2016, 2, 14),
    )
    events = merge_briefs([first, second, undated])
    # Two calls stay two events, whatever the undated report joins.
    assert len(events) == 2
    dates = sorted(str(e.date) for e in events)
    assert dates == ["2016-02-07", "2016-02-14"]
    # It joins the call it was published with, not the one a week before.
    joined = next(e for e in events if len(e.mentions) == 2)
    assert str(joined.date) == "2016-02-14"


def test_published_within_a_day_means_a_day_not_a_week() -> None:
    dated = simple_event_brief(
        "dated",
        EventType.PHONE_CALL,
        dt.date(2016, 2, 14),
        PEOPLE,
        ["Syria"],
        published=dt.date(2016, 2, 14),
    )
    # Same type and people, other topics: only the within-a-day rule could join it.
    days_later = simple_event_brief(
        "later",
        EventType.PHONE_CALL,
        None,
        PEOPLE,
        ["oil prices"],
        published=dt.date(2016, 2, 19),
    )
    source = days_later.source.model_copy(update={"published_date": dt.date(2016, 2, 15)})
    next_day = days_later.model_copy(update={"source": source})
    assert len(merge_briefs([dated, days_later])) == 2
    assert len(merge_briefs([dated, next_day])) == 1


def test_a_participant_is_not_given_another_participants_short_name() -> None:
    text = "Sergei Lavrov and Antony Blinken spoke by phone on Tuesday about Ukraine.\n"
    a = Article("lavrov-blinken", text)
    quote = "Sergei Lavrov and Antony Blinken spoke by phone on Tuesday about Ukraine."
    lavrov = a.who("Sergei Lavrov", quote).model_copy(update={"short_name": "Blinken"})
    blinken = a.who("Antony Blinken", quote).model_copy(update={"short_name": "Blinken"})
    brief = a.brief(
        [a.event(1, EventType.PHONE_CALL, dt.date(2021, 5, 18), [lavrov, blinken], ["Ukraine"])],
        outlet="X",
        headline="Lavrov and Blinken spoke",
        published=dt.date(2021, 5, 18),
    )
    (event,) = merge_briefs([brief])
    shorts = {p.name: p.short for p in event.participants}
    assert shorts == {"Sergei Lavrov": "Lavrov", "Antony Blinken": "Blinken"}
