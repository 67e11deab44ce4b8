"""Briefing memos: content, evidence links, escaping, determinism, files and the CLI."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from markupsafe import escape
from pydantic import ValidationError
from test_merging import (
    GOLDEN,
    Article,
    g8_meeting,
    golden_briefs,
    moscow_2013_call,
    uspa_2013_call,
    wire_2013_call,
)
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.brief import Brief, EventType
from summarize.memo.memo import (
    BriefLoadError,
    CitedSentence,
    MemoSynthesis,
    build_memo,
    check_citations,
    citing,
    default_as_of,
    github_slug,
    load_briefs,
    render_memo,
    resolve_format,
    write_memo,
)

SECTIONS = [
    "Bottom line up front",
    "Timeline",
    "Events",
    "Divergent accounts",
    "Open follow-ups",
    "Who's who",
    "Sources",
    "Evidence",
]


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


# --- content ---------------------------------------------------------------------------------


def test_golden_memo_has_every_section_in_both_formats() -> None:
    briefs = golden_briefs()
    md = render_memo(briefs, "md")
    page = render_memo(briefs, "html")
    for title in SECTIONS:
        assert f"\n## {title}\n" in md
        assert f">{html.escape(title).replace('&#x27;', '&rsquo;')}</h2>" in page
    assert md.count("\n### E") == 5
    assert page.count('<article class="event"') == 5


def test_header_counts_articles_outlets_and_events() -> None:
    view = build_memo(golden_briefs(), title="US-Russia contacts 2012-2016")
    assert view.title == "US-Russia contacts 2012-2016"
    assert (view.n_articles, view.n_events, view.n_undated) == (5, 5, 2)
    # Seed 001 names no outlet; the other four do.
    assert view.n_outlets == 4
    assert view.range_label == "18 Jul 2012 \u2013 14 Jul 2016"


def test_bluf_sentences_each_cite_known_events() -> None:
    view = build_memo(golden_briefs())
    assert 3 <= len(view.bluf) <= 6
    ids = {e.id for e in view.events}
    for sentence in view.bluf:
        assert sentence.event_ids
        assert set(sentence.event_ids) <= ids
    assert check_citations(MemoSynthesis(sentences=list(view.bluf)), ids) == []


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
    assert [f.status for f in g8] == ["overdue"]
    early = build_memo(briefs, as_of=dt.date(2013, 6, 1))
    assert [f.status for f in early.open_follow_ups if "G8" in f.action] == ["open"]
    assert "Overdue" in render_memo(briefs, "md")
    assert "Overdue" not in render_memo(briefs, "md", as_of=dt.date(2013, 6, 1)).split(
        "## Open follow-ups"
    )[1].split("## Who's who")[0].replace("Overdue means", "")


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


# --- evidence --------------------------------------------------------------------------------


def test_every_claim_links_to_a_note_with_its_quote_and_source() -> None:
    briefs = golden_briefs()
    page = render_memo(briefs, "html")
    linked = set(re.findall(r'href="#note-(\d+)"', page))
    defined = set(re.findall(r'<li id="note-(\d+)"', page))
    assert linked == defined and linked
    quotes = {
        q
        for b in briefs
        for e in b.events
        for q in [
            *(p.evidence.quote for p in e.participants),
            *(o.evidence.quote for o in e.outcomes),
            *(f.evidence.quote for f in e.follow_ups),
            *([e.initiator.evidence.quote] if e.initiator.evidence else []),
        ]
    }
    view = build_memo(briefs)
    assert {n.quote for n in view.notes} == quotes
    for note in view.notes:
        assert f"<q>{escape(note.quote)}</q>" in page


def test_markdown_footnotes_and_anchors_all_resolve() -> None:
    md = render_memo(golden_briefs(), "md")
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    defs = set(re.findall(r"^\[\^(\d+)\]:", md, flags=re.MULTILINE))
    assert refs == defs and refs
    headings = {github_slug(h) for h in re.findall(r"^#{1,3} (.+)$", md, flags=re.MULTILINE)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", md))
    assert targets <= headings


def test_github_slug_follows_githubs_heading_anchor_rule() -> None:
    assert (
        github_slug("E1 \u00b7 Phone call \u00b7 Wed 18 Jul 2012")
        == "e1--phone-call--wed-18-jul-2012"
    )
    assert github_slug("Who's who") == "whos-who"
    assert github_slug("Open follow-ups") == "open-follow-ups"


# --- escaping --------------------------------------------------------------------------------


def test_html_escapes_everything_from_the_briefs() -> None:
    page = render_memo([hostile_brief(), *golden_briefs()], "html")
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert "&lt;b&gt;ceasefire&lt;/b&gt;" in page


def test_markdown_escapes_markup_and_table_pipes() -> None:
    md = render_memo([hostile_brief()], "md")
    assert not re.search(r"(?<!\\)<(script|img|b>)", md)
    assert "javascript:" not in md
    row = next(line for line in md.splitlines() if line.startswith("| 1 | "))
    # Six columns: seven unescaped pipes, however many the headline carries.
    assert len(re.findall(r"(?<!\\)\|", row)) == 7
    assert r"\<script\>" in md and r"\[and\] \*Obama\*" in md


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_same_briefs_give_a_byte_identical_memo_in_any_order(fmt: str) -> None:
    # Golden 000 is the USPA article itself: one brief per article.
    briefs = [*golden_briefs()[1:], uspa_2013_call(), wire_2013_call(), moscow_2013_call()]
    first = render_memo(briefs, fmt)
    assert render_memo(list(reversed(briefs)), fmt) == first
    assert render_memo(briefs[3:] + briefs[:3], fmt) == first


def test_html_is_self_contained() -> None:
    page = render_memo(golden_briefs(), "html")
    for needle in ("<script", "<link", "src=", "url(", "@import", "<iframe", "<img"):
        assert needle not in page
    assert "Content-Security-Policy" in page


# --- synthesis extension point ---------------------------------------------------------------


def test_check_citations_rejects_uncited_sentences_and_unknown_ids() -> None:
    ok = MemoSynthesis(sentences=[CitedSentence(text="Syria dominated.", event_ids=["E1", "E2"])])
    assert check_citations(ok, ["E1", "E2"]) == []
    uncited = MemoSynthesis(sentences=[CitedSentence(text="Relations are warming.", event_ids=[])])
    assert "cites no event" in check_citations(uncited, ["E1"])[0]
    unknown = MemoSynthesis(sentences=[CitedSentence(text="A call.", event_ids=["E9"])])
    assert "unknown event ids ['E9']" in check_citations(unknown, ["E1"])[0]


def test_synthesis_validation_context_makes_bad_citations_a_validation_error() -> None:
    raw = {"sentences": [{"text": "Relations are warming.", "event_ids": []}]}
    with pytest.raises(ValidationError, match="cites no event"), citing(["E1"]):
        MemoSynthesis.model_validate(raw)
    good = {"sentences": [{"text": "A call on Syria.", "event_ids": ["E1"]}]}
    with citing(["E1"]):
        assert MemoSynthesis.model_validate(good).sentences


def test_a_checked_synthesis_replaces_the_deterministic_bluf() -> None:
    briefs = golden_briefs()
    synthesis = MemoSynthesis(
        sentences=[CitedSentence(text="Syria runs through every contact.", event_ids=["E1", "E5"])]
    )
    md = render_memo(briefs, "md", synthesis=synthesis)
    assert "- Syria runs through every contact. ([E1](#" in md
    assert "Written by the model" in md
    with pytest.raises(ValueError, match="unknown event ids"):
        build_memo(
            briefs, synthesis=MemoSynthesis(sentences=[CitedSentence(text="x", event_ids=["E42"])])
        )


# --- files and CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("memo.md", None, "md"),
        ("memo.markdown", None, "md"),
        ("m.HTML", None, "html"),
        ("m.htm", None, "html"),
        ("memo.txt", "html", "html"),
        ("memo.html", "markdown", "md"),
    ],
)
def test_format_comes_from_the_flag_or_the_suffix(
    name: str, fmt: str | None, expected: str
) -> None:
    assert resolve_format(Path(name), fmt) == expected


@pytest.mark.parametrize(("name", "fmt"), [("memo.txt", None), ("memo", None), ("memo.md", "pdf")])
def test_unknown_formats_are_refused(name: str, fmt: str | None) -> None:
    with pytest.raises(ValueError):
        resolve_format(Path(name), fmt)


def run_output(tmp_path: Path) -> Path:
    """A folder laid out like `summarize run` output: briefs/, run.json, errors.jsonl."""
    out = tmp_path / "out"
    (out / "briefs").mkdir(parents=True)
    for brief in golden_briefs():
        (out / "briefs" / f"{brief.article_id}.json").write_text(brief.model_dump_json(indent=2))
    (out / "run.json").write_text(json.dumps({"counts": {"done": 5}}))
    (out / "errors.jsonl").write_text("")
    return out


def test_load_briefs_reads_a_run_folder_and_skips_other_json(tmp_path: Path) -> None:
    briefs = load_briefs(run_output(tmp_path))
    assert [b.article_id for b in briefs] == sorted(p.stem for p in GOLDEN.glob("*.json"))


def test_load_briefs_refuses_broken_and_duplicate_briefs(tmp_path: Path) -> None:
    out = run_output(tmp_path)
    first = next((out / "briefs").glob("*.json"))
    (out / "copy.json").write_text(first.read_text())
    with pytest.raises(BriefLoadError, match="second brief"):
        load_briefs(out)
    (out / "copy.json").write_text(json.dumps({"article_id": "x", "provenance": {}}))
    with pytest.raises(BriefLoadError, match="not a valid brief"):
        load_briefs(out)
    (out / "copy.json").write_text("{not json")
    with pytest.raises(BriefLoadError, match="not valid JSON"):
        load_briefs(out)


def test_load_briefs_reads_a_brief_only_the_json_module_parses(tmp_path: Path) -> None:
    # A lone surrogate escape is JSON to `json` but not to pydantic's parser.
    out = run_output(tmp_path)
    path = next((out / "briefs").glob("*.json"))
    data = json.loads(path.read_text())
    data["source"]["headline"] = "\ud800 headline"
    path.write_text(json.dumps(data))
    assert "\\ud800" in path.read_text()
    headlines = {b.article_id: b.source.headline for b in load_briefs(out)}
    assert headlines[data["article_id"]] == "\ud800 headline"
    assert len(headlines) == len(golden_briefs())


def test_load_briefs_skips_json_that_only_nests_the_keys_of_a_brief(tmp_path: Path) -> None:
    out = run_output(tmp_path)
    report = {"cases": [{"article_id": "x", "provenance": {}}]}
    (out / "report.json").write_text(json.dumps(report))
    briefs = load_briefs(out)
    assert [b.article_id for b in briefs] == sorted(p.stem for p in GOLDEN.glob("*.json"))


def test_write_memo_writes_the_rendered_bytes(tmp_path: Path) -> None:
    briefs = golden_briefs()
    write_memo(briefs, tmp_path / "sub" / "memo.html", fmt=None, title="T", as_of=None)
    assert (tmp_path / "sub" / "memo.html").read_bytes() == render_memo(
        briefs, "html", title="T"
    ).encode()


def test_cli_memo_writes_markdown_and_html(tmp_path: Path) -> None:
    out = run_output(tmp_path)
    runner = CliRunner()
    for name in ("memo.md", "memo.html"):
        result = runner.invoke(
            app, ["memo", str(out), "--out", str(tmp_path / name), "--title", "Contacts"]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "memo.md").read_text().startswith("# Contacts\n")
    assert "<title>Contacts</title>" in (tmp_path / "memo.html").read_text()
    forced = runner.invoke(
        app, ["memo", str(out), "--out", str(tmp_path / "memo.txt"), "--format", "md"]
    )
    assert forced.exit_code == 0
    assert (tmp_path / "memo.txt").read_text() == (tmp_path / "memo.md").read_text().replace(
        "# Contacts", "# Briefing memo: diplomatic contacts", 1
    )


def test_cli_memo_as_of_changes_what_is_overdue(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["memo", str(GOLDEN), "--out", str(tmp_path / "m.md"), "--as-of", "2013-06-01"]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "m.md").read_text()
    assert "follow-ups judged as of **1 Jun 2013**" in text
    assert "| **Overdue** |" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["--out", "m.txt"],
        ["--out", "m.md", "--as-of", "yesterday"],
    ],
)
def test_cli_memo_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(
        app,
        ["memo", str(GOLDEN), *[a if not a.startswith("m.") else str(tmp_path / a) for a in args]],
    )
    assert result.exit_code == 2


def test_cli_memo_on_a_folder_without_briefs_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["memo", str(tmp_path), "--out", str(tmp_path / "m.md")])
    assert result.exit_code == 2
    assert not (tmp_path / "m.md").exists()


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


def test_memo_cautions_the_reader_when_grounding_dropped_items() -> None:
    from summarize.core.brief import GroundingWarning

    golden = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "golden").glob("*.json"))
    briefs = [Brief.model_validate_json(p.read_bytes()) for p in golden]
    for fmt in ("md", "html"):
        assert "Caution" not in render_memo(briefs, fmt), "clean briefs need no caution"
    weak = briefs[0].model_copy(
        update={
            "warnings": [
                GroundingWarning(path="events[0].outcomes[3]", quote="x y", reason="not found")
            ]
            * 3,
            "provenance": briefs[0].provenance.model_copy(update={"model": "tiny-model"}),
        }
    )
    for fmt in ("md", "html"):
        text = render_memo([weak, *briefs[1:]], fmt)
        assert "Caution" in text
        assert "3 items in 1 of 5 briefs were dropped" in text
        assert "tiny-model" in text
