"""The one place that knows how a brief item holds its evidence (pure).

Schema 2.0 gives each item one `Evidence`: the first run of cited sentences plus any further
runs (`also`), each an exact span of the article text. The review code reads and writes
evidence only through these functions, so a change of that shape (a list of Evidence per
item, say) is made here alone.
"""

from __future__ import annotations

from typing import Any, get_origin

from summarize.core.brief import Evidence, Participant, Span

# Decided from the schema itself, so the switch to lists needs no edit here.
_AS_LIST = get_origin(Participant.model_fields["evidence"].annotation) is list


def spans(value: object) -> list[Span]:
    """The spans of an item's `evidence` value: one Evidence, a list of them, or None."""
    if value is None:
        return []
    if isinstance(value, Evidence):
        return value.spans()
    if isinstance(value, list):
        return [s for v in value if isinstance(v, Evidence) for s in v.spans()]
    return []


def item_spans(item: object) -> list[Span]:
    """The evidence spans of a participant, initiator, outcome or follow-up."""
    return spans(getattr(item, "evidence", None))


def selected(text: str, start: int, end: int) -> Evidence:
    """Evidence for text the reviewer selected: the article's own characters, so grounded by
    construction; it cites no sentence numbers."""
    fields: dict[str, Any] = {"quote": text[start:end], "start": start, "end": end}
    if "sentences" in Evidence.model_fields:
        fields["sentences"] = []
    return Evidence.model_validate(fields)


def evidence_json(evidence: Evidence) -> object:
    """`evidence` as the JSON value an item's `evidence` field takes."""
    data = evidence.model_dump(mode="json")
    return [data] if _AS_LIST else data


def no_evidence() -> object:
    """The JSON value of an unstated initiator's evidence."""
    return [] if _AS_LIST else None
