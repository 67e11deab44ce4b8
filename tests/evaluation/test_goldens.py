"""Goldens: a missing or invalid one is a setup error; --bless turns a reviewed model brief into
one, only on a person's confirmation and never in CI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from eval_workspace import (
    MODEL,
    golden_file,
    options,
    quiet,
    record,
)
from model_server import ModelServer

from summarize.cli.eval import run_eval_command
from summarize.core.brief import Brief
from summarize.core.errors import UsageError
from summarize.evaluation.run import evaluate


@pytest.mark.parametrize(
    ("corrupt", "kind", "words"),
    [
        (lambda p: p.unlink(), "missing_golden", "no golden brief"),
        (lambda p: p.write_text("{ not json", encoding="utf-8"), "invalid_golden", "not a valid"),
        (
            lambda p: p.write_text(
                p.read_text(encoding="utf-8").replace('"hand_annotation"', '"model"'),
                encoding="utf-8",
            ),
            "invalid_golden",
            "not 'hand_annotation'",
        ),
    ],
    ids=["missing", "unparsable", "not-a-hand-annotation"],
)
def test_missing_or_invalid_golden_is_a_setup_error(
    work: Path, model: ModelServer, corrupt: Callable[[Path], object], kind: str, words: str
) -> None:
    corrupt(golden_file(work, "002"))
    report = record(work, model, no_baseline=True)
    assert report.verdict.exit_code == 2
    (error,) = report.setup_errors
    assert error.kind == kind and error.article_id is not None
    assert error.article_id.startswith("002") and words in error.message


def corrupt_initiator(path: Path) -> None:
    """Make 001's golden say Russia initiated the call the article says the US initiated."""
    text = path.read_text(encoding="utf-8")
    corrupted = text.replace('"party": "United States"', '"party": "Russia"')
    assert corrupted != text
    path.write_text(corrupted, encoding="utf-8")


def test_bless_needs_confirmation(work: Path, model: ModelServer) -> None:
    record(work, model, no_baseline=True)
    path = golden_file(work, "001")
    corrupt_initiator(path)
    before = path.read_bytes()
    aid = path.stem
    assert run_eval_command(options(work, bless=(aid,), no_baseline=True), quiet(), quiet()) == 2
    assert path.read_bytes() == before
    declined = run_eval_command(
        options(work, bless=(aid,), no_baseline=True), quiet(), quiet(), lambda q: False
    )
    assert declined == 1 and path.read_bytes() == before  # the corrupted golden still fails


def test_bless_writes_a_marked_hand_annotation(work: Path, model: ModelServer) -> None:
    record(work, model, no_baseline=True)
    path = golden_file(work, "001")
    corrupt_initiator(path)
    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return True

    code = run_eval_command(
        options(work, bless=(path.stem,), no_baseline=True),
        quiet(),
        quiet(),
        confirm,
    )
    assert code == 1 and asked  # this run still scored the old golden
    blessed = Brief.model_validate_json(path.read_bytes())
    assert blessed.provenance.kind == "hand_annotation"
    assert blessed.provenance.annotator and "blessed by" in blessed.provenance.annotator
    assert MODEL in blessed.provenance.annotator
    assert blessed.provenance.note and "explicit request" in blessed.provenance.note
    assert blessed.provenance.model is None and blessed.warnings == []
    assert blessed.events[0].initiator.party == "United States"
    assert evaluate(options(work, no_baseline=True)).report.verdict.exit_code == 0


def test_bless_is_refused_in_ci(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(UsageError, match="never run in CI"):
        evaluate(options(work, bless=("all",), yes=True))
