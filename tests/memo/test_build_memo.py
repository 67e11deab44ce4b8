"""The memo's view: counts, order, merged sections, side-by-side accounts, follow-ups, people."""

from __future__ import annotations

import datetime as dt
import re

from memo_briefs import (
    Article,
    g8_meeting,
    golden_briefs,
    moscow_2013_call,
    uspa_2013_call,
    wire_2013_call,
)

from summarize.core.brief import EventType
from summarize.memo.build import build_memo, default_as_of
from summarize.memo.render import render_memo


def test_header_counts_articles_outlets_and_events() -> None:
    view = build_memo(golden_briefs(), title="US-Russia contacts 2012-2016")
    assert view.title == "US-Russia contacts 2012-2016"
    assert (view.n_articles, view.n_events, view.n_undated) == (5, 5, 2)
    # Seed 001 names no outlet; the other four do.
    assert view.n_outlets == 4
    assert view.range_label == "18 Jul 2012 \u2013 14 Jul 2016 (4 years)"


def test_timeline_is_in_date_order_with_undated_events_last_and_marked() -> None:
    view = build_memo(golden_briefs())
    flags = [r.undated for r in view.timeline]
    assert flags == sorted(flags)
    assert [r.event_id for r in view.timeline] == [f"E{n}" for n in range(1, 6)]
    md = render_memo(golden_briefs(), "md")
    assert md.count("| **Undated** \u2014 date not resolved") == 2


def test_one_call_from_three_outlets_is_one_section_with_all_sources() -> None:
    briefs = [uspa_2013_call(), wire_2013_call(), moscow_2013_call()]
    view = build_memo(briefs)
    assert len(view.events) == 1
    event = view.events[0]
    assert [s.outlet for s in event.sources] == ["Moscow Daily", "Wire", "USPA News"]
    assert event.initiator is None and event.initiator_disputed
    # The fullest account (USPA: both readouts and the G8 follow-up) gives the summary.
    assert event.summary_from == "USPA News"
    labels = [c.label for c in event.conflicts]
    assert labels == ["Date", "Initiator"]
    md = render_memo(briefs, "md")
    assert "**disputed**" in md
    divergent = md.split("## Divergent accounts")[1]
    line = next(x for x in divergent.splitlines() if x.startswith("- **Initiator:** "))
    assert re.fullmatch(
        r"- \*\*Initiator:\*\* (Russia \u2014 Moscow Daily|United States \u2014 Wire)\[\^\d+\]; "
        r"(Russia \u2014 Moscow Daily|United States \u2014 Wire)\[\^\d+\]",
        line,
    )


def test_divergent_accounts_put_each_sides_statements_in_its_own_column() -> None:
    view = build_memo([uspa_2013_call(), wire_2013_call(), moscow_2013_call()])
    (event,) = view.divergent
    assert [c.side for c in event.sides] == ["Russia", "United States"]
    rows = {r.label: r.cells for r in event.side_rows}
    russia_decided, us_decided = rows["Decided"]
    assert us_decided == ()
    assert {o.stated_by for o in russia_decided} == {"Kremlin press office", "Kremlin"}
    assert any("political transition" in o.statement for o in rows["Agreed"][1])
    page = render_memo([uspa_2013_call(), wire_2013_call(), moscow_2013_call()], "html")
    table = page[
        page.index('<table class="sides">') : page.index(
            "</table>", page.index('<table class="sides">')
        )
    ]
    assert '<th scope="col">Russia<span' in table and '<th scope="col">United States<span' in table


def test_open_follow_ups_mark_overdue_against_as_of() -> None:
    briefs = golden_briefs()
    assert default_as_of(briefs) == dt.date(2016, 7, 15)
    view = build_memo(briefs)
    g8 = [f for f in view.open_follow_ups if "G8" in f.action]
    assert [f.status for f in g8] == ["no_later_report"]
    early = build_memo(briefs, as_of=dt.date(2013, 6, 1))
    assert [f.status for f in early.open_follow_ups if "G8" in f.action] == ["open"]
    assert "No later report in this folder" in render_memo(briefs, "md")
    assert "No later report in this folder" not in render_memo(
        briefs, "md", as_of=dt.date(2013, 6, 1)
    ).split("## Open follow-ups")[1].split("## Who's who")[0].replace("Overdue means", "")


def test_a_follow_up_met_by_a_later_event_leaves_the_open_list() -> None:
    view = build_memo([uspa_2013_call(), g8_meeting()])
    assert view.open_follow_ups == ()
    (met,) = view.met_follow_ups
    assert met.met_by == "E2"
    assert "met by [E2]" in render_memo([uspa_2013_call(), g8_meeting()], "md")


def test_whos_who_names_roles_affiliations_and_events() -> None:
    view = build_memo(golden_briefs())
    rows = {p.name: p for p in view.people}
    assert rows["Vladimir Putin"].affiliation == "Russia"
    assert rows["Vladimir Putin"].titles == "President"
    assert [i for i, _, _ in rows["Vladimir Putin"].took_part_in] == ["E1", "E2", "E3", "E4", "E5"]
    assert rows["Susan Rice"].affiliation == "United States"


def test_a_folder_of_no_event_briefs_still_gives_a_memo() -> None:
    text = "Markets closed higher on Friday.\n"
    a = Article("markets", text)
    brief = a.brief([], outlet="Wire", headline="Markets", published=dt.date(2016, 1, 8))
    md = render_memo([brief], "md")
    assert "No events in these briefs." in md
    assert "none: no contact reported" in md


def test_an_event_with_nothing_but_a_type_renders_with_placeholders() -> None:
    a = Article("bare-statement", "A statement was issued.\n")
    brief = a.brief(
        [a.event(1, EventType.STATEMENT, None, [], [])], outlet=None, headline=None, published=None
    )
    md = render_memo([brief], "md")
    assert (
        "| **Undated** \u2014 date not resolved | [E1](#e1--statement--undated) | Statement "
        "| \u2014 |" in md
    )
    assert "- **Participants:** none named" in md
    assert "1 article from no named outlet reports 1 contact." in md
    assert "follow-ups judged as of **not determinable" in md
    assert "<h2>" not in render_memo([brief], "html").split("<main>")[0]
