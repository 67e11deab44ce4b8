"""The memo of a run folder uses its reviewers' corrected briefs and says so: a reviewed count
in the header and a mark on each reviewed event; reruns leave reviews alone."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from review_runs import SEED_CALL, SEED_MEETING, article_id, cli, replay_run, seed_run

from summarize.core.brief import Brief
from summarize.core.corrections import Correction
from summarize.core.review import Review, corrected, marked, start_review
from summarize.outdir.reviews import ReviewStore

AT = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def review_of(out: Path, stem: str, name: str, *, reviewed: bool) -> Review:
    """Rename the first participant (adding one to an event with none) and save the review."""
    aid = article_id(out, stem)
    raw = (out / "briefs" / f"{aid}.json").read_bytes()
    brief = Brief.model_validate_json(raw)
    text = next((out.parent / "articles").glob(f"{stem}.txt")).read_text(encoding="utf-8")
    review = start_review(brief, hashlib.sha256(raw).hexdigest(), None, "Ana", AT)
    if brief.events[0].participants:
        fix = Correction(
            op="set", path="events[0].participants[0].name", value=name, by="Ana", at=AT
        )
    else:
        start = text.index("Barack Obama")
        fix = Correction(
            op="add",
            path="events[0].participants",
            value={"name": name},
            span=(start, start + len("Barack Obama")),
            by="Ana",
            at=AT,
        )
    review = corrected(review, fix, text)
    if reviewed:
        review = marked(review, True, "Ana", AT)
    ReviewStore(out).update(aid, 0, lambda _: review)
    return review


def memo_of(out: Path, name: str = "memo.md") -> str:
    result = cli("memo", out, "--out", out.parent / name)
    assert result.exit_code == 0, result.output
    return (out.parent / name).read_text(encoding="utf-8")


def test_a_reviewed_brief_replaces_the_models_in_the_memo_and_is_counted(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    before = memo_of(out)
    assert "reviewed" not in before
    reviewed = review_of(out, SEED_MEETING, "Vladimir Vladimirovich Putin", reviewed=True)
    review_of(out, SEED_CALL, "Barack H. Obama", reviewed=False)
    memo = memo_of(out)
    assert "**1** of 2 articles reviewed" in memo
    # Each event of the reviewed article is marked (none merges with the 2012 call's).
    n_events = len(reviewed.brief.events)
    assert memo.count("*✓ reviewed* (checked by a reviewer)") == n_events
    # Corrections are used whether or not the brief is marked reviewed yet.
    assert "Vladimir Vladimirovich Putin" in memo and "Barack H. Obama" in memo
    html = memo_of(out, "memo.html")
    assert "<dt>Reviewed</dt><dd>1 of 2 articles</dd>" in html
    assert html.count('class="badge badge-reviewed"') == n_events


def test_reruns_leave_reviews_alone_and_the_memo_keeps_using_them(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    review_of(out, SEED_MEETING, "Vladimir Vladimirovich Putin", reviewed=True)
    saved = (out / "reviews").glob("*.json")
    kept = {p.name: p.read_bytes() for p in saved}
    result = replay_run(tmp_path / "articles", out, "--force", "--memo", str(tmp_path / "m.md"))
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in (out / "reviews").glob("*.json")} == kept
    memo = (tmp_path / "m.md").read_text(encoding="utf-8")
    assert "Vladimir Vladimirovich Putin" in memo and "**1** of 2 articles reviewed" in memo


def test_a_review_made_on_other_text_is_not_used(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    review = review_of(out, SEED_MEETING, "Vladimir Vladimirovich Putin", reviewed=True)
    stale = review.model_copy(update={"article_sha256": "0" * 64})
    ReviewStore(out).update(review.article_id, 1, lambda _: stale)
    memo = memo_of(out)
    assert "Vladimir Vladimirovich Putin" not in memo and "reviewed" not in memo
