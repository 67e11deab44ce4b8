"""`summarize export`: a run folder to each format by suffix, reviewed briefs used and marked,
a 5,000-brief folder whole, and clear errors for what cannot work."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from large_folder import corpus_copies
from review_runs import SEED_MEETING, article_id, cli, seed_run

from summarize.core.brief import Brief
from summarize.core.corrections import Correction
from summarize.core.review import corrected, marked, start_review
from summarize.export.tables import export_tables
from summarize.export.write import WRITERS
from summarize.outdir.reviews import ReviewStore

AT = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("option", ["--output", "-o", "--out"])
def test_export_writes_the_format_its_suffix_names(tmp_path: Path, option: str) -> None:
    out = seed_run(tmp_path)
    for name, magic in (
        ("e.xlsx", b"PK"),
        ("e.sqlite", b"SQLite format 3\x00"),
        ("e.jsonl", b'{"article_id"'),
        ("e.csv", b"\xef\xbb\xbfevent_id,"),
    ):
        result = cli("export", out, option, tmp_path / name)
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_bytes().startswith(magic)
    assert (tmp_path / "e-claims.csv").is_file()
    # Only the files named: no temporary file is left beside them.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_reviewed_brief_replaces_the_models_and_is_marked(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    aid = article_id(out, SEED_MEETING)
    raw = (out / "briefs" / f"{aid}.json").read_bytes()
    brief = Brief.model_validate_json(raw)
    review = start_review(brief, hashlib.sha256(raw).hexdigest(), None, "Ana", AT)
    fix = Correction(
        op="set", path="events[0].summary", value="Corrected by a reviewer.", by="Ana", at=AT
    )
    text = (tmp_path / "articles" / f"{SEED_MEETING}.txt").read_text(encoding="utf-8")
    review = marked(corrected(review, fix, text), True, "Ana", AT)
    ReviewStore(out).update(aid, 0, lambda _: review)

    assert cli("export", out, "-o", tmp_path / "e.sqlite").exit_code == 0
    db = sqlite3.connect(tmp_path / "e.sqlite")
    try:
        rows = db.execute(
            "SELECT e.summary, e.reviewed FROM events e JOIN event_sources x USING (event_id) "
            "WHERE x.article_id = ?",
            (aid,),
        ).fetchall()
        reviewed = db.execute("SELECT reviewed FROM sources WHERE article_id = ?", (aid,))
        assert reviewed.fetchone() == (1,)
    finally:
        db.close()
    assert ("Corrected by a reviewer.", "yes") in rows
    assert cli("export", out, "-o", tmp_path / "e.jsonl").exit_code == 0
    lines = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text("utf-8").splitlines()]
    mine = next(x for x in lines if x["article_id"] == aid)
    assert mine["reviewed"] is True
    assert mine["events"][0]["summary"] == "Corrected by a reviewer."
    assert all(x["reviewed"] is False for x in lines if x["article_id"] != aid)


def test_errors_say_what_to_do(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    bad = cli("export", out, "-o", tmp_path / "events.txt")
    assert bad.exit_code == 2
    assert "cannot tell the export format" in bad.output and ".xlsx" in bad.output
    forced = cli("export", out, "-o", tmp_path / "events.txt", "--format", "csv")
    assert forced.exit_code == 0 and (tmp_path / "events.txt").is_file()
    unknown = cli("export", out, "-o", tmp_path / "e.csv", "--format", "parquet")
    assert unknown.exit_code == 2 and "unknown export format 'parquet'" in unknown.output
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = cli("export", empty, "-o", tmp_path / "e.csv")
    assert nothing.exit_code == 2 and "no briefs found" in nothing.output
    folder = cli("export", out, "-o", tmp_path)
    assert folder.exit_code == 2 and "is a folder" in folder.output
    missing = cli("export", tmp_path / "nowhere", "-o", tmp_path / "e.csv")
    assert missing.exit_code == 2 and "is not a folder" in missing.output
    assert not (tmp_path / "e.csv").exists()


def test_five_thousand_briefs_round_trip_through_every_format(tmp_path: Path) -> None:
    """A large folder (the corpus goldens 193 times over): every memo event, brief event and
    URL is in the SQLite export and its joins work, the Excel export reopens with every row,
    and the CSV and JSONL have every event and brief. The tables are worked out once (the
    merge of 5,000 real briefs is the slow part) and written in each format."""
    openpyxl = pytest.importorskip("openpyxl", reason="pip install openpyxl (a dev dependency)")
    briefs = corpus_copies(5000)
    tables = export_tables(briefs)
    for name, fmt in (
        ("e.sqlite", "sqlite"),
        ("e.xlsx", "xlsx"),
        ("e.csv", "csv"),
        ("e.jsonl", "jsonl"),
    ):
        WRITERS[fmt](tmp_path / name, tables)
    events = tables.events
    brief_events = {e.id for b in briefs for e in b.events}
    assert len(events) > 5000 and len(brief_events) > len(events) / 2

    db = sqlite3.connect(tmp_path / "e.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM events").fetchone() == (len(events),)
        links = db.execute("SELECT brief_event_id FROM event_sources").fetchall()
        assert len(links) == len(brief_events)
        assert {r[0] for r in links} == brief_events
        urls = {r[0] for r in db.execute("SELECT url FROM sources")}
        assert {b.source.url for b in briefs if b.source.url} <= urls
        top = db.execute(
            "SELECT p.name, count(DISTINCT e.event_id) FROM participants p "
            "JOIN events e USING (event_id) WHERE p.role = 'participant' "
            "GROUP BY p.name ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone()
        counts = Counter(p.name for p in tables.participants if p.role == "participant")
        assert top == min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()

    book = openpyxl.load_workbook(tmp_path / "e.xlsx", read_only=True)
    try:
        ids = [r[0] for r in book["events"].iter_rows(min_row=2, max_col=1, values_only=True)]
        assert ids == [e.event_id for e in events]
        sources = book["sources"].iter_rows(min_row=2, max_col=3, values_only=True)
        assert {r[2] for r in sources} == brief_events  # brief_event_id column
    finally:
        book.close()
    with (tmp_path / "e.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["event_id"] for r in rows] == [e.event_id for e in events]
    assert {a for r in rows for a in r["article_ids"].split("; ")} == {
        b.article_id for b in briefs if b.events
    }
    jsonl = (tmp_path / "e.jsonl").read_text("utf-8").splitlines()
    assert len(jsonl) == len(briefs)
    assert {json.loads(line)["article_id"] for line in jsonl} == {b.article_id for b in briefs}
