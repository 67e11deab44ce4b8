"""The memo of a run's output folder says which articles the run did not summarise, and why,
from the run's own record (run.json, errors.jsonl) of real runs."""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from pathlib import Path

import pytest
from markupsafe import escape
from memo_briefs import GOLDEN, ROOT, Article, simple_event_brief
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.brief import EventType
from summarize.memo.build import build_memo
from summarize.memo.coverage import run_record, unsummarised_view
from summarize.memo.load import load_briefs, load_run_record
from summarize.memo.render import render_memo

SEEDS = ROOT / "seeds"
REPLAY = ["--replay", "--recordings", str(ROOT / "fixtures" / "recordings"), "--concurrency", "1"]
EXTRA = "Lavrov and Tillerson met in Manila on Sunday and discussed North Korea.\n"


def summarize_run(src: Path, out: Path, *extra: str) -> int:
    result = CliRunner().invoke(app, ["run", str(src), "--out", str(out), *REPLAY, *extra])
    return result.exit_code


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seeds that replay; an article with no recording, an empty file, and a JSONL file
    with one such article and one bad line (two failures under one file name)."""
    src = tmp_path_factory.mktemp("src")
    for seed in sorted(SEEDS.glob("00[01]_*.txt")):
        shutil.copy(seed, src)
    (src / "manila.txt").write_text(EXTRA, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    wire = {"text": "Kerry called Lavrov on Tuesday about Syria, the State Department said.\n"}
    (src / "wire.jsonl").write_text(json.dumps(wire) + '\n{"text": 5}\n', encoding="utf-8")
    out = tmp_path_factory.mktemp("run") / "out"
    assert summarize_run(src, out) == 1
    return out


def errors_of(out: Path) -> list[dict[str, str | None]]:
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_each_failed_article_is_listed_with_its_file_and_cause(failed_run: Path) -> None:
    errors = errors_of(failed_run)
    assert sorted(e["stage"] for e in errors) == ["ingest", "ingest", "replay", "replay"]
    briefs, record = load_briefs(failed_run), load_run_record(failed_run)
    view = build_memo(briefs, run=record)
    assert view.n_articles == 2
    assert view.unsummarised_note is not None
    assert view.unsummarised_note.startswith(
        "4 of the 6 articles the run read were not summarised (4 failed); nothing in this "
        "memo comes from them."
    )
    rows = {(r.file, r.article_id, r.what, r.cause) for r in view.unsummarised}
    assert rows == {
        (e["file"], e["article_id"], f"Failed ({e['stage']})", e["cause"]) for e in errors
    }
    page = render_memo(briefs, "html", run=record)
    for e in errors:
        assert f"<code>{escape(e['file'])}</code>" in page
        assert str(escape(e["cause"])) in page
    md = render_memo(briefs, "md", run=record)
    assert "> **Not summarised:** 4 of the 6 articles" in md
    assert "\n## Articles not summarised\n" in md
    assert "[Not summarised](#articles-not-summarised)" in md
    assert "Built from the briefs and the run's record" in md


def test_a_memo_of_single_source_events_claims_no_consistency(failed_run: Path) -> None:
    md = render_memo(load_briefs(failed_run), "md", run=load_run_record(failed_run))
    divergent = md.split("## Divergent accounts")[1].split("## Open follow-ups")[0]
    assert "consistent accounts" not in divergent
    assert "Every event rests on a single article" in divergent


def test_a_budget_stop_lists_the_articles_not_attempted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert summarize_run(SEEDS, out, "--max-tokens-total", "3000") == 1
    manifest = json.loads((out / "run.json").read_text())
    skipped = [a for a in manifest["articles"] if a["status"] == "not_attempted"]
    assert skipped
    view = build_memo(load_briefs(out), run=load_run_record(out))
    assert [(r.file, r.what, r.cause) for r in view.unsummarised] == [
        (a["file"], "Not attempted", manifest["budget_stop"]) for a in skipped
    ]
    assert view.unsummarised_note is not None
    assert f"({len(skipped)} not attempted)" in view.unsummarised_note
    assert f"The run stopped early: {manifest['budget_stop']}." in view.unsummarised_note


def test_an_article_that_failed_again_is_marked_as_covered_by_its_earlier_brief(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    assert summarize_run(SEEDS, out) == 0
    assert summarize_run(SEEDS, out, "--force", "--max-chars", "2200") == 1
    failed = errors_of(out)
    assert failed and all(e["stage"] == "size" for e in failed)
    briefs = load_briefs(out)
    assert len(briefs) == 5, "a failed second attempt leaves the first brief"
    view = build_memo(briefs, run=load_run_record(out))
    assert [r.earlier_brief for r in view.unsummarised] == [True] * len(failed)
    assert view.unsummarised_note == (
        f"{len(failed)} articles were not summarised in the last run, but the memo uses their "
        "briefs from an earlier run."
    )


def test_a_run_that_summarised_everything_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert summarize_run(SEEDS, out) == 0
    record = load_run_record(out)
    assert record is not None and record.unsummarised == ()
    briefs = load_briefs(out)
    for fmt in ("md", "html"):
        assert render_memo(briefs, fmt, run=record) == render_memo(briefs, fmt)


def test_a_folder_that_is_not_a_run_output_has_no_run_record() -> None:
    assert load_run_record(GOLDEN) is None
    assert "Not summarised" not in render_memo(load_briefs(GOLDEN), "md", run=None)


def test_a_damaged_record_is_reported_and_errors_jsonl_still_names_the_failures(
    failed_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(failed_run, out)
    # JSON, so load_briefs skips it (broken JSON stops it before any memo), but no manifest.
    (out / "run.json").write_text("[1, 2]", encoding="utf-8")
    with (out / "errors.jsonl").open("a", encoding="utf-8") as f:
        f.write("not json\n")
    view = build_memo(load_briefs(out), run=load_run_record(out))
    assert {r.cause for r in view.unsummarised} == {e["cause"] for e in errors_of(failed_run)}
    assert view.unsummarised_note is not None
    assert "Part of the run's record could not be read" in view.unsummarised_note
    assert "run.json is not a run manifest" in view.unsummarised_note
    line = len(errors_of(failed_run)) + 1
    assert f"errors.jsonl line {line} is not an error record" in view.unsummarised_note


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ((), "No events, so no accounts to compare."),
        ((14, 20), "Every event rests on a single article, so no two outlets' accounts"),
        (
            (14, 14, 20),
            "The 1 event reported by more than one article has consistent accounts; the other "
            "1 rests on a single article, with no second account to compare.",
        ),
        ((14, 14), "All sources give consistent accounts of every event."),
    ],
)
def test_consistency_is_claimed_only_for_events_more_than_one_article_reports(
    days: tuple[int, ...], expected: str
) -> None:
    briefs = [
        simple_event_brief(
            f"call-{n}",
            EventType.PHONE_CALL,
            dt.date(2016, 2, day),
            ["Vladimir Putin", "Barack Obama"],
            ["Syria"],
            outlet=f"Outlet {n}",
        )
        for n, day in enumerate(days)
    ]
    if not briefs:
        a = Article("markets", "Markets closed higher on Friday.\n")
        briefs = [a.brief([], outlet="Wire", headline="Markets", published=dt.date(2016, 1, 8))]
    md = render_memo(briefs, "md")
    divergent = md.split("## Divergent accounts\n\n")[1].split("\n\n## ")[0]
    assert divergent.startswith(expected)
    page = render_memo(briefs, "html")
    assert html.escape(expected, quote=False).replace("'", "&rsquo;") in page


def test_files_not_read_are_named_in_the_memo_with_the_reason() -> None:
    manifest = {
        "counts": {"articles": 1},
        "articles": [{"file": "a.txt", "id": "a-1", "status": "done"}],
        "skipped": [{"file": "src/chart.png", "reason": "an image: OCR it to text first"}],
    }
    note, rows = unsummarised_view(run_record(manifest, []), {"a-1"})
    assert note is not None and "1 file in the folder was not read" in note
    assert [(r.file, r.what, r.cause) for r in rows] == [
        ("src/chart.png", "Not read", "an image: OCR it to text first")
    ]
    without = {k: v for k, v in manifest.items() if k != "skipped"}
    assert unsummarised_view(run_record(without, []), {"a-1"}) == (None, ())
