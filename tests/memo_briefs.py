"""Briefs to build memos from: real article texts (the seeds and short wire copy) with their
evidence located in them, the golden briefs, and the 2013 call as three outlets told it.

Shared by the tests under tests/memo/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

from run_files import write_run_json

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
from summarize.memo.events import MergedEvent

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "fixtures" / "golden"


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


def hostile_brief() -> Brief:
    """A report whose source fields carry markup, a table pipe and a script URL."""
    text = "Putin and Obama spoke by phone on Monday about Syria, the Kremlin said.\n"
    a = Article("hostile", text)
    return a.brief(
        [
            a.event(
                1,
                EventType.PHONE_CALL,
                dt.date(2016, 9, 12),
                [a.who("Putin", "Putin"), a.who("Obama", "Obama")],
                ["Syria | <b>ceasefire</b>"],
            )
        ],
        outlet="<img src=x onerror=alert(1)>",
        headline='<script>alert("pwned")</script> | Putin [and] *Obama*',
        published=dt.date(2016, 9, 13),
        url="javascript:alert(1)",
    )


def run_output(tmp_path: Path) -> Path:
    """A folder laid out like `summarize run` output: briefs/, run.json, errors.jsonl."""
    out = tmp_path / "out"
    (out / "briefs").mkdir(parents=True)
    listed = []
    for brief in golden_briefs():
        (out / "briefs" / f"{brief.article_id}.json").write_text(brief.model_dump_json(indent=2))
        listed.append({"id": brief.article_id, "file": f"{brief.article_id}.txt", "status": "done"})
    write_run_json(out, listed)
    (out / "errors.jsonl").write_text("")
    return out
