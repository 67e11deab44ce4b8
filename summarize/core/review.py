"""A review: the reviewer's corrected brief and its record, kept apart from model output (pure).

It records who changed it and when, the article text and the model brief it was made on
(their hashes), each correction in order, and whether someone marked it reviewed. Its
`version` counts saved changes, so that a change made on an older version is refused, not
silently written over another.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from summarize.core.brief import Brief
from summarize.core.corrections import Correction, CorrectionError, apply, checked

REVIEW_FORMAT = 1


class ReviewState(StrEnum):
    """What the index shows for an article's review."""

    NONE = "not reviewed"
    EDITED = "edited"
    REVIEWED = "reviewed"
    STALE = "stale"


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int = REVIEW_FORMAT
    article_id: str
    file: str | None = Field(None, description="The article's file, as the run recorded it.")
    article_sha256: str = Field(description="The article text the review was made on.")
    model_brief_sha256: str = Field(description="The model's brief file it started from.")
    model: str | None = None
    prompt_version: str | None = None
    version: int = Field(0, ge=0, description="Saved changes so far.")
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime
    reviewed: bool = False
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    corrections: list[Correction] = Field(default_factory=list)
    brief: Brief
    # The model's brief the corrections apply to, kept whole: undo replays them on it, and it
    # stays what the review was made on after the model's file is made again.
    model_brief: Brief


def start_review(
    brief: Brief, brief_sha256: str, file: str | None, by: str, at: dt.datetime
) -> Review:
    """A review with no change yet, of the model's `brief` (whose file hashes to `brief_sha256`)."""
    return Review(
        article_id=brief.article_id,
        file=file,
        article_sha256=brief.provenance.article_sha256,
        model_brief_sha256=brief_sha256,
        model=brief.provenance.model,
        prompt_version=brief.provenance.prompt_version,
        created_by=by,
        created_at=at,
        updated_by=by,
        updated_at=at,
        brief=brief,
        model_brief=brief,
    )


def corrected(
    review: Review, correction: Correction, text: str, *, keep_reviewed: bool = False
) -> Review:
    """The review with one more correction. A change after "reviewed" withdraws the mark
    (what was reviewed is no longer what is stored) unless the reviewer chose to keep it;
    the page says which happened."""
    brief = apply(review.brief, correction, text)
    corrections = [*review.corrections, correction]
    return _changed(review, brief, corrections, correction.by, correction.at, keep_reviewed)


def undone(
    review: Review, text: str, by: str, at: dt.datetime, *, keep_reviewed: bool = False
) -> Review:
    """The review without its last correction: the others replayed on the model's brief."""
    if not review.corrections:
        raise CorrectionError("there is no correction to undo")
    kept = review.corrections[:-1]
    brief = review.model_brief
    for correction in kept:
        brief = apply(brief, correction, text)
    return _changed(review, brief, kept, by, at, keep_reviewed)


def _changed(
    review: Review,
    brief: Brief,
    corrections: list[Correction],
    by: str,
    at: dt.datetime,
    keep_reviewed: bool,
) -> Review:
    keep = keep_reviewed and review.reviewed
    return review.model_copy(
        update={
            "brief": brief,
            "corrections": corrections,
            "updated_by": by,
            "updated_at": at,
            "reviewed": keep,
            "reviewed_by": review.reviewed_by if keep else None,
            "reviewed_at": review.reviewed_at if keep else None,
        }
    )


def checked_items(review: Review | None) -> set[str]:
    """The paths of the items the reviewer accepted (marked checked), as they stand now."""
    return checked(review.corrections) if review else set()


def edits(review: Review | None) -> int:
    """How many corrections change the brief (accepting an item changes nothing in it)."""
    return sum(c.op != "check" for c in review.corrections) if review else 0


def marked(review: Review, reviewed: bool, by: str, at: dt.datetime) -> Review:
    """The review marked reviewed (or the mark withdrawn) by `by`."""
    return review.model_copy(
        update={
            "reviewed": reviewed,
            "reviewed_by": by if reviewed else None,
            "reviewed_at": at if reviewed else None,
            "updated_by": by,
            "updated_at": at,
        }
    )


def review_state(review: Review | None, article_sha256: str | None) -> ReviewState:
    """The state of `review` against the article text now (None: not known, taken as same)."""
    if review is None:
        return ReviewState.NONE
    if article_sha256 is not None and review.article_sha256 != article_sha256:
        return ReviewState.STALE
    if review.reviewed:
        return ReviewState.REVIEWED
    return ReviewState.EDITED if review.corrections else ReviewState.NONE


def model_remade(review: Review, brief_sha256: str | None) -> bool:
    """True when the model's brief was made again since the review began (the review stays)."""
    return brief_sha256 is not None and brief_sha256 != review.model_brief_sha256
