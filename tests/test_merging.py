"""Merging events across briefs: same contact from several outlets, distinct contacts apart."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarize.core.brief import (
    Brief,
    Event,
    EventType,
    Evidence,
    FollowUp,
    Initiator,
    Outcome,
    OutcomeKind,
    Participant,
    Person,
    Provenance,
    Source,
)
from summarize.memo.merging import (
    OUTLET_SIDE,
    FollowUpStatus,
    MergedEvent,
    cluster_people,
    merge_briefs,
    person_key,
    same_person,
    side_of,
    track_follow_ups,
    who_is_who,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "fixtures" / "golden"


# --- building realistic briefs from article texts -------------------------------------------


def article_id(stem: str, text: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]", "-", stem.lower())
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def ev(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote), score=100)


class Article:
    """An article text and helpers to build its brief with evidence located in it."""

    def __init__(self, stem: str, text: str) -> None:
        self.stem = stem
        self.text = text
        self.id = article_id(stem, text)

    def who(
        self, name: str, quote: str, title: str | None = None, affiliation: str | None = None
    ) -> Participant:
        return Participant(
            name=name, title=title, affiliation=affiliation, evidence=ev(self.text, quote)
        )

    def said(self, kind: OutcomeKind, statement: str, by: str, quote: str) -> Outcome:
        return Outcome(kind=kind, statement=statement, stated_by=by, evidence=ev(self.text, quote))

    def initiated(self, party: str, quote: str) -> Initiator:
        return Initiator(stated=True, party=party, basis=quote, evidence=ev(self.text, quote))

    def follow_up(
        self,
        action: str,
        quote: str,
        responsible: Sequence[str],
        due: dt.date | None,
        due_text: str | None,
    ) -> FollowUp:
        return FollowUp(
            action=action,
            responsible=list(responsible),
            due_text=due_text,
            due_date=due,
            evidence=ev(self.text, quote),
        )

    def event(
        self,
        n: int,
        event_type: EventType,
        date: dt.date | None,
        participants: Sequence[Participant],
        topics: Sequence[str],
        *,
        date_text: str | None = None,
        location: str | None = None,
        initiator: Initiator | None = None,
        outcomes: Sequence[Outcome] = (),
        follow_ups: Sequence[FollowUp] = (),
        mentioned: Sequence[Person] = (),
        summary: str = "A contact.",
    ) -> Event:
        return Event(
            id=f"{self.id}#{n}",
            event_type=event_type,
            date=date,
            date_text=date_text,
            location=location,
            participants=list(participants),
            mentioned=list(mentioned),
            initiator=initiator or Initiator(stated=False),
            topics=list(topics),
            outcomes=list(outcomes),
            follow_ups=list(follow_ups),
            summary=summary,
        )

    def brief(
        self,
        events: Sequence[Event],
        *,
        outlet: str | None,
        headline: str | None,
        published: dt.date | None,
        url: str | None = None,
    ) -> Brief:
        return Brief(
            article_id=self.id,
            source=Source(outlet=outlet, headline=headline, url=url, published_date=published),
            events=list(events),
            no_event_reason=None if events else "no contact reported",
            provenance=Provenance(
                kind="hand_annotation",
                article_sha256=hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
                attempts=0,
            ),
        )


def seed(prefix: str) -> Article:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return Article(path.stem, path.read_text(encoding="utf-8"))


# The 2013-03-01 call as USPA News reported it (seed 000): Kremlin and White House readouts.
def uspa_2013_call() -> Brief:
    a = seed("000")
    return a.brief(
        [
            a.event(
                1,
                EventType.PHONE_CALL,
                dt.date(2013, 3, 1),
                [
                    a.who(
                        "Vladimir Putin", "Russian President Vladimir Putin", "President", "Russia"
                    ),
                    a.who("Barack Obama", "U.S. President Barack Obama", "President", "U.S."),
                ],
                ["Syria", "Iran nuclear program", "North Korea", "missile defense"],
                date_text="Friday's",
                outcomes=[
                    a.said(
                        OutcomeKind.AGREED,
                        "Both leaders agreed on the need for a political transition in Syria.",
                        "White House",
                        "The White House said both leaders agreed on the need for a political "
                        "transition to end the violence in Syria",
                    ),
                    a.said(
                        OutcomeKind.DECIDED,
                        "Lavrov and Kerry instructed to develop new initiatives on Syria.",
                        "Kremlin press office",
                        "The leaders instructed Russian Foreign Minister Sergei Lavrov and US "
                        "Secretary of State John Kerry to continue active contacts",
                    ),
                ],
                follow_ups=[
                    a.follow_up(
                        "Obama-Putin bilateral meeting at the G8 summit in Northern Ireland",
                        "Obama agreed to hold a bilateral meeting during the G8 summit in "
                        "Northern Ireland on June 17 and June 18",
                        ["Barack Obama", "Vladimir Putin"],
                        dt.date(2013, 6, 17),
                        "on June 17 and June 18",
                    )
                ],
            )
        ],
        outlet="USPA News",
        headline="Putin, Obama task top diplomats to seek new Syria initiatives",
        published=dt.date(2013, 3, 3),
        url="https://www.uspa24.com/bericht-575/putin-obama-task-top-diplomats-to-seek-new-syria-initiatives.html",
    )


# Two more outlets' accounts of the same call, with the details wire copy differs on.
WIRE_TEXT = """Obama calls Putin, presses for Syria transition

WASHINGTON, March 2 - President Obama called Russian President Putin on Friday to discuss
Syria, the White House said. Obama and Putin agreed on the need for a political transition
to end the violence in Syria, according to a White House statement. The two leaders also
discussed Iran and North Korea, and agreed to meet at the G8 summit in June.
"""

MOSCOW_TEXT = """Putin and Obama discussed Syria by phone

MOSCOW, March 2 - Vladimir Putin held a telephone conversation with Barack Obama late on
Friday at the initiative of the Russian side, the Kremlin press service said. The presidents
instructed Sergey Lavrov and John Kerry to continue active contacts on Syria, the Kremlin said.
"""


def wire_2013_call() -> Brief:
    a = Article("wire-obama-calls-putin", WIRE_TEXT)
    return a.brief(
        [
            a.event(
                1,
                EventType.PHONE_CALL,
                dt.date(2013, 3, 1),
                [
                    a.who("Obama", "President Obama called Russian President Putin", "President"),
                    a.who("Putin", "President Obama called Russian President Putin", "President"),
                ],
                ["Syria", "Iran", "North Korea"],
                date_text="on Friday",
                initiator=a.initiated("U.S.", "President Obama called Russian President Putin"),
                outcomes=[
                    a.said(
                        OutcomeKind.AGREED,
                        "Obama and Putin agreed on the need for a political transition in Syria.",
                        "White House statement",
                        "Obama and Putin agreed on the need for a political transition\nto end "
                        "the violence in Syria",
                    )
                ],
            )
        ],
        outlet="Wire",
        headline="Obama calls Putin, presses for Syria transition",
        published=dt.date(2013, 3, 2),
    )


def moscow_2013_call() -> Brief:
    a = Article("moscow-putin-obama-phone", MOSCOW_TEXT)
    return a.brief(
        [
            a.event(
                1,
                EventType.PHONE_CALL,
                dt.date(2013, 3, 2),
                [
                    a.who(
                        "Vladimir Putin",
                        "Vladimir Putin held a telephone conversation",
                        "President",
                        "Russian Federation",
                    ),
                    a.who("Barack Obama", "with Barack Obama", "President", "United States"),
                ],
                ["Syria"],
                date_text="late on Friday",
                initiator=a.initiated("Russian side", "at the initiative of the Russian side"),
                outcomes=[
                    a.said(
                        OutcomeKind.DECIDED,
                        "The presidents instructed Lavrov and Kerry to continue contacts on Syria.",
                        "Kremlin",
                        "The presidents\ninstructed Sergey Lavrov and John Kerry to continue "
                        "active contacts on Syria",
                    )
                ],
            )
        ],
        outlet="Moscow Daily",
        headline="Putin and Obama discussed Syria by phone",
        published=dt.date(2013, 3, 2),
    )


def simple_event_brief(
    stem: str,
    event_type: EventType,
    date: dt.date | None,
    names: Sequence[str],
    topics: Sequence[str],
    *,
    published: dt.date | None = None,
    outlet: str = "Outlet",
) -> Brief:
    """A short realistic report: the participants' names are in the text."""
    text = (
        f"{' and '.join(names)} held a {event_type.value.replace('_', ' ')} "
        f"about {', '.join(topics)}, officials said.\n"
    )
    a = Article(stem, text)
    people = [a.who(n, n) for n in names]
    return a.brief(
        [a.event(1, event_type, date, people, topics)],
        outlet=outlet,
        headline=f"{names[0]} talks",
        published=published,
    )


def golden_briefs() -> list[Brief]:
    paths = sorted(GOLDEN.glob("*.json"))
    assert paths, f"no golden briefs in {GOLDEN}"
    return [Brief.model_validate_json(p.read_text(encoding="utf-8")) for p in paths]


def shape(events: Sequence[MergedEvent]) -> list[tuple[str, list[str]]]:
    return [(e.id, sorted(m.event_id for m in e.mentions)) for e in events]


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Putin", "Vladimir Putin"),
        ("President Vladimir Putin", "Vladimir V. Putin"),
        ("Sergey Lavrov", "Sergei Lavrov"),
        ("U.S. Secretary of State John Kerry", "Kerry"),
        ("Victoria Nuland", "Victoria Nulland"),
        ("barack obama", "Barack OBAMA"),
        ("Mr. Obama", "Obama"),
    ],
)
def test_names_of_one_person_match(a: str, b: str) -> None:
    assert same_person(person_key(a), person_key(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jeb Bush", "George Bush"),
        ("Susan Rice", "Condoleezza Rice"),
        ("Rice", "Price"),
        ("Sergei Lavrov", "Sergei Ryabkov"),
        ("John Kerry", "Joan Kerry"),
    ],
)
def test_names_of_different_people_do_not_match(a: str, b: str) -> None:
    assert not same_person(person_key(a), person_key(b))


def test_bare_surname_joins_only_an_unambiguous_person() -> None:
    keys = [person_key(n) for n in ("George Bush", "Jeb Bush", "Bush", "Vladimir Putin", "Putin")]
    groups = cluster_people(keys)
    assert [0] in groups and [1] in groups and [2] in groups
    assert [3, 4] in groups


# --- same event / distinct events ------------------------------------------------------------


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
            a.event(1, EventType.PHONE_CALL, dt.date(2016, 9, 5), people, ["Syria"]),
            a.event(2, EventType.PHONE_CALL, dt.date(2016, 9, 5), people, ["Syria"]),
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


# --- sides -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stated_by", "side"),
    [
        ("Kremlin press office", "Russia"),
        ("Putin's office", "Russia"),
        ("the Kremlin", "Russia"),
        ("White House", "United States"),
        ("a senior U.S. official", "United States"),
        ("TASS quoting Putin", "Russia"),
        ("Kerry", "United States"),
    ],
)
def test_attributions_map_to_the_side_they_speak_for(stated_by: str, side: str) -> None:
    people = [(person_key("Vladimir Putin"), "Russia"), (person_key("John Kerry"), "US")]
    assert side_of(stated_by, people, ["CNN"]) == (side, True)


@pytest.mark.parametrize(
    "stated_by", ["the article (unattributed)", "CNN", "USPA News (unattributed)"]
)
def test_an_outlets_own_reporting_is_no_party(stated_by: str) -> None:
    assert side_of(stated_by, [], ["CNN"]) == (OUTLET_SIDE, False)


# --- follow-ups ------------------------------------------------------------------------------


def g8_meeting() -> Brief:
    text = (
        "LOUGH ERNE, June 17 - Barack Obama and Vladimir Putin met on the sidelines of the G8 "
        "summit on Monday and said they disagreed on Syria.\n"
    )
    a = Article("g8-obama-putin", text)
    return a.brief(
        [
            a.event(
                1,
                EventType.SUMMIT_SIDELINE,
                dt.date(2013, 6, 17),
                [a.who("Barack Obama", "Barack Obama"), a.who("Vladimir Putin", "Vladimir Putin")],
                ["Syria"],
                location="Lough Erne, Northern Ireland",
            )
        ],
        outlet="Wire",
        headline="Obama, Putin meet at G8",
        published=dt.date(2013, 6, 17),
    )


def test_a_follow_up_is_met_by_a_later_event_with_the_same_people_near_the_due_date() -> None:
    events = merge_briefs([uspa_2013_call(), g8_meeting()])
    tracked = track_follow_ups(events, as_of=dt.date(2013, 7, 1))
    assert len(tracked) == 1
    assert tracked[0].status is FollowUpStatus.MET
    assert tracked[0].met_by is not None
    assert tracked[0].met_by.date == dt.date(2013, 6, 17)


def test_an_unmet_follow_up_is_overdue_only_after_its_due_date() -> None:
    events = merge_briefs([uspa_2013_call()])
    assert track_follow_ups(events, dt.date(2013, 7, 1))[0].status is FollowUpStatus.OVERDUE
    assert track_follow_ups(events, dt.date(2013, 6, 17))[0].status is FollowUpStatus.OPEN
    assert track_follow_ups(events, dt.date(2013, 3, 3))[0].status is FollowUpStatus.OPEN


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
    assert [t.status for t in tracked] == [FollowUpStatus.OVERDUE]


def test_golden_follow_ups_g8_bilateral_is_overdue_in_the_folder() -> None:
    events = merge_briefs(golden_briefs())
    tracked = track_follow_ups(events, dt.date(2016, 7, 15))
    g8 = [t for t in tracked if "G8" in t.follow_up.action]
    assert len(g8) == 1
    assert g8[0].status is FollowUpStatus.OVERDUE
    undated_due = [t for t in tracked if t.follow_up.due_date is None]
    assert undated_due and all(t.status is FollowUpStatus.OPEN for t in undated_due)


# --- who's who -------------------------------------------------------------------------------


def test_whos_who_lists_each_person_once_with_their_events() -> None:
    events = merge_briefs(golden_briefs())
    people = who_is_who(events)
    names = [p.name for p in people]
    assert len(names) == len(set(names))
    putin = next(p for p in people if p.name == "Vladimir Putin")
    assert putin.affiliation == "Russia"
    assert putin.took_part_in == tuple(e.id for e in events)
    # Lavrov is "Sergei" in one article and "Sergey" in another: one person.
    lavrov = [p for p in people if "Lavrov" in p.name]
    assert len(lavrov) == 1
    assert lavrov[0].took_part_in and lavrov[0].mentioned_in
