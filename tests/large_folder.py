"""Large folders of briefs for tests: the hand-annotated corpus goldens (26 real articles in
8 languages) repeated round after round, each round 10 days later, with its own article ids,
URLs and dates. Real text and evidence; only ids, URLs and dates are moved.

Shared by tests/export and tests/memo.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from summarize.core.brief import Brief
from summarize.memo.load import load_briefs

ROOT = Path(__file__).resolve().parent.parent
CORPUS_GOLDEN = ROOT / "fixtures" / "corpus" / "golden"
# Rounds this far apart never merge (merge rules join reports a day to a week apart).
STEP_DAYS = 10


@cache
def corpus_briefs() -> tuple[Brief, ...]:
    return tuple(load_briefs(CORPUS_GOLDEN))


def corpus_copies(count: int) -> list[Brief]:
    """`count` briefs: the corpus goldens, round after round, each round 10 days later."""
    base = corpus_briefs()
    return [_moved(base[n % len(base)], n // len(base)) for n in range(count)]


def write_folder(folder: Path, briefs: list[Brief]) -> Path:
    (folder / "briefs").mkdir(parents=True, exist_ok=True)
    for b in briefs:
        (folder / "briefs" / f"{b.article_id}.json").write_text(
            b.model_dump_json(), encoding="utf-8"
        )
    return folder


def _moved(brief: Brief, round_: int) -> Brief:
    data = brief.model_dump(mode="json")
    days = dt.timedelta(days=STEP_DAYS * round_)
    new_id = f"{brief.article_id}-r{round_}"
    data["article_id"] = new_id
    source = data["source"]
    source["published_date"] = _later(source["published_date"], days)
    if source["url"]:
        source["url"] = f"{source['url']}{'&' if '?' in source['url'] else '?'}copy={round_}"
    for event in data["events"]:
        event["id"] = event["id"].replace(brief.article_id, new_id, 1)
        event["date"] = _later(event["date"], days)
        for f in event["follow_ups"]:
            f["due_date"] = _later(f["due_date"], days)
    return Brief.model_validate_json(json.dumps(data))


def _later(value: Any, days: dt.timedelta) -> Any:
    return (dt.date.fromisoformat(value) + days).isoformat() if value else value
