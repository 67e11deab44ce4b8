"""What `summarize log` shows of a ledger, computed once for the table and for --json alike."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarize.core.results import ErrorRecord, Stage, Status
from summarize.outdir.closing import ClosingSummary, Note, closing_summary, noted
from summarize.outdir.ledger import Ledger

SUPERSEDED_NOTE = "superseded: answered, then asked again (a re-ask, or a redo after a fault)"


@dataclass(frozen=True)
class Totals:
    exchanges: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@dataclass(frozen=True)
class RunReport:
    """One run's articles and exchanges (or one article's, with `article`), with totals."""

    run_id: int
    article: str | None
    articles: list[dict[str, Any]]
    exchanges: list[dict[str, Any]]
    totals: Totals
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "article": self.article,
            "articles": self.articles,
            "exchanges": self.exchanges,
            "totals": asdict(self.totals),
        }


def runs(ledger: Ledger) -> list[dict[str, Any]]:
    """Every run with its counts, exchanges and tokens (what the runs table shows)."""
    return ledger.runs()


def run_report(ledger: Ledger, run_id: int, article: str | None = None) -> RunReport | None:
    """The report of run `run_id` (one article's part with `article`), or None if empty."""
    exchanges = [dict(r) for r in ledger.exchanges(run_id, article)]
    outcomes = [
        dict(a) for a in ledger.articles(run_id) if article is None or a["article_id"] == article
    ]
    if not exchanges and not outcomes:
        return None
    # An answer followed by another request for the same article was not the one kept: the
    # client re-asked (invalid or ungrounded) or redid the extraction after a fault.
    last = {e["article_id"]: e["attempt"] for e in exchanges}
    notes = []
    for e in exchanges:
        if e["outcome"] == "ok" and e["attempt"] < last[e["article_id"]]:
            e["outcome"] = "superseded"
            notes = [SUPERSEDED_NOTE]
    totals = Totals(
        exchanges=len(exchanges),
        prompt_tokens=sum(e["prompt_tokens"] for e in exchanges),
        completion_tokens=sum(e["completion_tokens"] for e in exchanges),
        total_tokens=sum(e["total_tokens"] for e in exchanges),
    )
    return RunReport(run_id, article, outcomes, exchanges, totals, notes)


def past_summary(ledger: Ledger, run_id: int, out: Path) -> ClosingSummary | None:
    """The closing summary of run `run_id`, as the run printed it; None if there is no such
    run. A run that wrote no run.json head (killed, or recorded before summaries were kept)
    gets its counts from its article rows and its tokens from its exchanges."""
    row = ledger.run(run_id)
    if row is None:
        return None
    manifest: dict[str, Any] = json.loads(row["manifest"]) if row["manifest"] else {}
    if not manifest:
        manifest = _from_rows(ledger, run_id, row)
    errors = _errors(ledger, run_id)
    notes = (
        Note(a["file"], a["status"], a["note"])
        for a in ledger.articles(run_id)
        if noted(a["status"], a["note"])
    )
    return closing_summary(run_id, out, manifest, errors, notes)


def _errors(ledger: Ledger, run_id: int) -> Iterator[ErrorRecord]:
    for a in ledger.articles(run_id):
        if a["status"] == Status.FAILED:
            stage = a["stage"] or Stage.INTERNAL
            cause = a["cause"] or "not recorded (the run was made by an older summarize)"
            yield ErrorRecord(a["article_id"], a["file"], Stage(stage), cause)


def _from_rows(ledger: Ledger, run_id: int, row: Any) -> dict[str, Any]:
    counts = {s.value: 0 for s in Status if s is not Status.RUNNING}
    events = 0
    for a in ledger.articles(run_id):
        status = a["status"] if a["status"] != Status.RUNNING else Status.INTERRUPTED
        counts[status] += 1
    tokens = ledger.tokens(run_id)
    return {
        "started_at": row["started_at"],
        "interrupted": "the run was killed before it finished"
        if row["status"] in ("killed", "running")
        else None,
        "source": row["source"],
        "model": row["model"],
        "prompt_version": row["prompt_version"],
        "counts": {"articles": sum(counts.values()), **counts, "events": events},
        "usage": asdict(tokens),
    }
