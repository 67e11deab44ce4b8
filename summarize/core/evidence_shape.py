"""How a brief item holds its evidence, for the review code (pure).

Each participant, initiator, outcome and follow-up has one `Evidence` (or none, for an
initiator not stated): the first run of cited sentences plus any further runs (`also`), each
an exact span of the article text.
"""

from __future__ import annotations

from summarize.core.brief import Evidence, Span


def item_spans(item: object) -> list[Span]:
    """The evidence spans of a participant, initiator, outcome or follow-up."""
    evidence = getattr(item, "evidence", None)
    return evidence.spans() if isinstance(evidence, Evidence) else []


def selected(text: str, start: int, end: int) -> Evidence:
    """Evidence for text the reviewer selected: the article's own characters, so grounded by
    construction; it cites no sentence numbers."""
    return Evidence(quote=text[start:end], start=start, end=end)


def evidence_json(evidence: Evidence) -> object:
    """`evidence` as the JSON value an item's `evidence` field takes."""
    return evidence.model_dump(mode="json")


def no_evidence() -> object:
    """The JSON value of an unstated initiator's evidence."""
    return None
