"""What `summarize log` shows of a ledger, computed once for the table and for --json alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from summarize.run.ledger import Ledger

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
