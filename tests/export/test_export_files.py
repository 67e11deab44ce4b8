"""Exports of the corpus goldens in every format, read back with other readers (csv, openpyxl,
sqlite3, json): every memo event, source, claim and brief is there, as the memo merges them."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest
from large_folder import corpus_briefs

from summarize.core.brief import Brief
from summarize.export.csv_file import claims_path
from summarize.export.jsonl_file import EXTRA_KEYS
from summarize.export.write import write_export
from summarize.memo.events import MergedEvent
from summarize.memo.merging import merge_briefs

openpyxl = pytest.importorskip("openpyxl", reason="pip install openpyxl (a dev dependency)")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_xlsx(path: Path, sheet: str) -> list[dict[str, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


def expected(briefs: Sequence[Brief]) -> list[MergedEvent]:
    return merge_briefs(briefs)


def check_events(rows: Sequence[dict[str, object]], briefs: Sequence[Brief]) -> None:
    """One row per memo event, in memo order, each naming every article that reports it."""
    events = expected(briefs)
    assert [r["event_id"] for r in rows] == [e.id for e in events]
    for row, event in zip(rows, events, strict=True):
        assert str(row["article_ids"]).split("; ") == list(
            dict.fromkeys(m.article_id for m in event.mentions)
        )
        assert row["type"] == event.event_type.value
        for p in event.participants:
            assert p.name in str(row["participants"])
    # Every article event is in exactly one row, and so is every URL of a brief with events.
    named = [a for r in rows for a in str(r["article_ids"]).split("; ")]
    with_events = {b.article_id for b in briefs if b.events}
    assert set(named) == with_events
    urls = " ".join(str(r["urls"]) for r in rows)
    assert all(b.source.url in urls for b in briefs if b.events and b.source.url)


def test_csv_has_every_event_and_its_claims_beside_it(tmp_path: Path) -> None:
    briefs = list(corpus_briefs())
    out = tmp_path / "events.csv"
    written = write_export(briefs, out)
    assert written == [out, claims_path(out)]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for Cyrillic
    rows = read_csv(out)
    check_events(rows, briefs)
    events = expected(briefs)
    claims = read_csv(claims_path(out))
    assert len(claims) == sum(len(e.outcomes) for e in events)
    assert {c["event_id"] for c in claims} == {e.id for e in events if e.outcomes}
    dated = next(r for r, e in zip(rows, events, strict=True) if e.date)
    assert dt.date.fromisoformat(dated["date"])


def test_xlsx_reopens_with_openpyxl_with_every_sheet(tmp_path: Path) -> None:
    briefs = list(corpus_briefs())
    out = tmp_path / "events.xlsx"
    write_export(briefs, out)
    book = openpyxl.load_workbook(out, read_only=True)
    names = book.sheetnames
    book.close()
    assert names == ["events", "claims", "participants", "follow_ups", "sources", "articles"]
    rows = read_xlsx(out, "events")
    check_events(rows, briefs)
    events = expected(briefs)
    # Dates are real dates in Excel, not text.
    dates = [r["date"] for r in rows if r["date"] is not None]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)
    assert [d.date() for d in dates] == [e.date for e in events if e.date]  # type: ignore[union-attr]
    sources = read_xlsx(out, "sources")
    assert len(sources) == sum(len(e.mentions) for e in events)
    assert len(read_xlsx(out, "articles")) == len(briefs)


def test_sqlite_joins_participants_to_events_with_foreign_keys(tmp_path: Path) -> None:
    briefs = list(corpus_briefs())
    out = tmp_path / "events.sqlite"
    write_export(briefs, out)
    events = expected(briefs)
    db = sqlite3.connect(out)
    try:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = {
            t: db.execute(f"PRAGMA foreign_key_list({t})").fetchall()
            for t in ("participants", "claims", "follow_ups", "event_sources")
        }
        assert all(fks.values())
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"participants_event", "participants_name", "events_date"} <= indexes
        putin = db.execute(
            "SELECT DISTINCT e.event_id FROM events e JOIN participants p USING (event_id) "
            "WHERE p.name = 'Vladimir Putin' AND p.role = 'participant' ORDER BY e.date"
        ).fetchall()
        want = [e.id for e in events if any(p.name == "Vladimir Putin" for p in e.participants)]
        assert len(putin) >= 5
        assert sorted(r[0] for r in putin) == sorted(want)
        n_events = db.execute("SELECT count(*) FROM events").fetchone()[0]
        assert n_events == len(events)
        # Every brief event is one event_sources row, and every article one sources row.
        links = db.execute("SELECT brief_event_id FROM event_sources").fetchall()
        assert sorted(r[0] for r in links) == sorted(ev.id for b in briefs for ev in b.events)
        articles = db.execute("SELECT article_id, url FROM sources").fetchall()
        assert sorted(articles) == sorted((b.article_id, b.source.url or "") for b in briefs)
        flat = db.execute("SELECT event_id, participants, outlets FROM events_flat").fetchall()
        assert len(flat) == len(events) and all(row[1] for row in flat if row[1] is not None)
        claims = db.execute(
            "SELECT c.side, count(*) FROM claims c JOIN events e USING (event_id) GROUP BY c.side"
        ).fetchall()
        assert sum(n for _, n in claims) == sum(len(e.outcomes) for e in events)
    finally:
        db.close()


def test_jsonl_lines_are_the_briefs_with_their_memo_events(tmp_path: Path) -> None:
    briefs = list(corpus_briefs())
    out = tmp_path / "briefs.jsonl"
    write_export(briefs, out, reviewed=frozenset({briefs[0].article_id}))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(briefs)
    by_id = {b.article_id: b for b in briefs}
    event_ids = {e.id for e in expected(briefs)}
    for record in lines:
        extras = {k: record.pop(k) for k in EXTRA_KEYS}
        brief = Brief.model_validate(record)
        assert brief == by_id[brief.article_id]
        assert extras["reviewed"] is (brief.article_id == briefs[0].article_id)
        assert set(extras["memo_events"]) == {e.id for e in brief.events}
        assert set(extras["memo_events"].values()) <= event_ids


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """A headline or statement starting with = + - @ is a formula to Excel: CSV quotes it
    with an apostrophe, Excel gets it as a string cell; control characters survive."""
    first = corpus_briefs()[0]
    hostile = first.model_copy(
        update={
            "source": first.source.model_copy(
                update={
                    "outlet": '=HYPERLINK("http://127.0.0.1:9/x","click")',
                    "headline": "@SUM(1+1)\x07bell",
                }
            )
        }
    )
    write_export([hostile], tmp_path / "e.csv")
    row = read_csv(tmp_path / "e.csv")[0]
    assert row["outlets"].startswith("'=HYPERLINK(")
    write_export([hostile], tmp_path / "e.xlsx")
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    try:
        cell = book["events"]["O2"]  # outlets
        assert book["events"]["O1"].value == "outlets"
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")
        headline = book["articles"]["C2"]
        assert book["articles"]["C1"].value == "headline"
        assert headline.data_type == "s" and headline.value.startswith("@SUM(1+1)")
    finally:
        book.close()


def test_pandas_reads_every_format_as_is(tmp_path: Path) -> None:
    """What an analyst types: read_csv, read_excel, read_sql, read_json(lines=True), with no
    options about encodings or sheets; the event ids and dates come through."""
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    briefs = list(corpus_briefs())
    events = expected(briefs)
    ids = [e.id for e in events]
    for name in ("e.csv", "e.xlsx", "e.sqlite", "e.jsonl"):
        write_export(briefs, tmp_path / name)
    from_csv = pd.read_csv(tmp_path / "e.csv")
    assert list(from_csv["event_id"]) == ids  # the byte-order mark is not in the column name
    from_xlsx = pd.read_excel(tmp_path / "e.xlsx")  # the first sheet: events
    assert list(from_xlsx["event_id"]) == ids
    db = sqlite3.connect(tmp_path / "e.sqlite")
    try:
        joined = pd.read_sql(
            "SELECT e.event_id, e.date, p.name FROM events e JOIN participants p USING (event_id)",
            db,
        )
        flat = pd.read_sql("SELECT * FROM events_flat", db)
    finally:
        db.close()
    assert set(joined["event_id"]) == {e.id for e in events if e.participants}
    assert list(flat["event_id"]) == ids
    dated = pd.to_datetime(flat["date"]).dropna()
    assert len(dated) == sum(1 for e in events if e.date)
    lines = pd.read_json(tmp_path / "e.jsonl", lines=True)
    assert sorted(lines["article_id"]) == sorted(b.article_id for b in briefs)
    assert lines["reviewed"].dtype == bool
