"""`summarize eval --reviewed OUT`: a run folder's reviewed briefs are the goldens."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from eval_workspace import MODEL, TERSE_MODEL, matrix_model
from model_server import ModelServer
from review_runs import RECORDINGS, SEED_MEETING, article_id, cli, seed_run

from summarize.core.brief import Brief
from summarize.core.review import marked, start_review
from summarize.evaluation.goldens import reviewed_golden
from summarize.evaluation.matrix_results import MatrixReport
from summarize.outdir.reviews import ReviewStore

AT = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def mark_reviewed(out: Path, stem: str) -> str:
    aid = article_id(out, stem)
    raw = (out / "briefs" / f"{aid}.json").read_bytes()
    review = start_review(
        Brief.model_validate_json(raw), hashlib.sha256(raw).hexdigest(), None, "Ana", AT
    )
    ReviewStore(out).update(aid, 0, lambda _: marked(review, True, "Ana", AT))
    return aid


def test_reviewed_briefs_are_the_goldens_and_only_they_are_scored(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    aid = mark_reviewed(out, SEED_MEETING)
    report = tmp_path / "report.json"
    result = cli("eval", "--reviewed", out, "--recordings", RECORDINGS, "--report", report)
    assert result.exit_code == 0, result.output
    cases = json.loads(report.read_text())["run"]["cases"]
    assert [c["article_id"] for c in cases] == [aid]
    # Reviewed unchanged, the golden is the model's own brief: its fields match (grounding,
    # which counts what the model dropped, is all that can keep it below 1).
    assert cases[0]["status"] == "scored"
    below = {f["field"] for f in cases[0]["fields"] if f["score"] < 1}
    brief = Brief.model_validate_json((out / "briefs" / f"{aid}.json").read_bytes())
    dropped = any(w.kind == "dropped" for w in brief.warnings)
    assert below == ({"grounding"} if dropped else set())


def test_a_reviewed_golden_names_its_reviewer() -> None:
    out_brief = Brief.model_validate_json(
        next((Path(__file__).parents[2] / "fixtures" / "golden").glob("*.json")).read_bytes()
    )
    review = marked(start_review(out_brief, "a" * 64, None, "Ana", AT), True, "Bo", AT)
    golden = reviewed_golden(review)
    assert golden.provenance.kind == "hand_annotation"
    assert golden.provenance.annotator == "Bo (summarize review)"
    assert golden.provenance.annotated_on == AT.date()
    assert golden.warnings == []


def test_a_folder_without_reviewed_briefs_is_said_so(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    result = cli("eval", "--reviewed", out, "--recordings", RECORDINGS)
    assert result.exit_code == 2
    assert "has no reviewed briefs to use as goldens" in result.output
    both = cli("eval", "--reviewed", out, "--bless", "all", "--yes")
    assert both.exit_code == 2 and "choose one" in both.output


def test_a_matrix_is_scored_against_the_reviews(tmp_path: Path) -> None:
    """Two models (loopback test doubles) on the run's articles; only the reviewed one is a
    case in each cell, and the report shows the reviewed brief as the golden."""
    out = seed_run(tmp_path)
    aid = mark_reviewed(out, SEED_MEETING)
    report, page = tmp_path / "m.json", tmp_path / "m.html"
    with ModelServer(responder=matrix_model) as server:
        result = cli(
            "eval", "--reviewed", out, "--record-missing", "--base-url", server.base_url,
            "--model", MODEL, "--model", TERSE_MODEL,
            "--recordings", tmp_path / "rec", "--report", report, "--html", page,
        )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    matrix = MatrixReport.model_validate_json(report.read_bytes())
    assert [c.model for c in matrix.cells] == [MODEL, TERSE_MODEL]
    assert matrix.articles == [aid] and list(matrix.goldens) == [aid]
    assert "summarize review" in (matrix.goldens[aid].provenance.annotator or "")
    for cell in matrix.cells:
        assert [c.article_id for c in cell.report.run.cases] == [aid]
        assert cell.stats.articles == 2  # both articles ran; only the reviewed one is scored
    assert (tmp_path / "rec").is_dir() and (tmp_path / f"rec-{TERSE_MODEL}").is_dir()
    assert page.read_text(encoding="utf-8").count('<section class="article"') == 1
