"""The names of what lives under `--out`, spelled here and nowhere else.

A test checks that these file names appear as literals only in `summarize/outdir/`: every
other module asks `OutDir` for a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

BRIEFS: Final = "briefs"
RUN_JSON: Final = "run.json"
ERRORS_JSONL: Final = "errors.jsonl"
PAGES: Final = "pages"
LEDGER: Final = "ledger.sqlite"
REVIEWS: Final = "reviews"
LOCK: Final = ".lock"


@dataclass(frozen=True)
class OutDir:
    """Where each part of an output folder is."""

    root: Path

    @property
    def briefs(self) -> Path:
        return self.root / BRIEFS

    @property
    def run_json(self) -> Path:
        return self.root / RUN_JSON

    @property
    def errors(self) -> Path:
        return self.root / ERRORS_JSONL

    @property
    def pages(self) -> Path:
        """Pages fetched by URL, kept so that reruns read them instead of fetching again."""
        return self.root / PAGES

    @property
    def ledger(self) -> Path:
        return self.root / LEDGER

    @property
    def reviews(self) -> Path:
        return self.root / REVIEWS

    @property
    def lock(self) -> Path:
        return self.root / LOCK

    def brief(self, article_id: str) -> Path:
        return self.briefs / f"{article_id}.json"

    def outputs(self) -> dict[str, str]:
        """What a run writes, by what the closing summary calls it."""
        return {
            "briefs": str(self.briefs),
            "run": str(self.run_json),
            "errors": str(self.errors),
            "ledger": str(self.ledger),
        }
