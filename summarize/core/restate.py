"""Restate a brief as the answer a model would give for it (pure): the inverse of `assemble`.

Used to measure what an answer costs in each schema (bench/run.py) and to script test
doubles from hand-annotated briefs. Evidence becomes the numbers of the sentences it overlaps.
"""

from __future__ import annotations

from summarize.core import brief, extraction
from summarize.core.grounding import ArticleText


def cited_numbers(evidence: brief.Evidence, text: ArticleText) -> list[int]:
    """The sentence numbers an evidence cites, or that its spans overlap (older briefs)."""
    if evidence.sentences:
        return list(evidence.sentences)
    return [
        s.number
        for s in text.sentences
        if any(s.start < span.end and span.start < s.end for span in evidence.spans())
    ]


def restate(b: brief.Brief, text: ArticleText) -> extraction.Extraction:
    """The `Extraction` that assembles back into `b` (ids, offsets and dates aside)."""

    def cite(evidence: brief.Evidence) -> list[int]:
        return cited_numbers(evidence, text)[: extraction.CITED]

    def person(p: brief.Person) -> dict[str, object]:
        return {
            "name": p.name,
            "short_name": p.short_name,
            "title": p.title,
            "affiliation": p.affiliation,
        }

    events = [
        extraction.Event.model_validate(
            {
                "event_type": e.event_type,
                "status": e.status,
                "date_text": e.date_text,
                "location": e.location,
                "participants": [
                    {**person(p), "evidence": cite(p.evidence)} for p in e.participants
                ],
                "mentioned": [person(m) for m in e.mentioned],
                "initiator": {
                    "party": e.initiator.party,
                    "evidence": cite(e.initiator.evidence) if e.initiator.evidence else [],
                },
                "topics": e.topics,
                "outcomes": [
                    {
                        "kind": o.kind,
                        "statement": o.statement,
                        "stated_by": o.stated_by,
                        "evidence": cite(o.evidence),
                    }
                    for o in e.outcomes
                ],
                "follow_ups": [
                    {
                        "action": f.action,
                        "responsible": f.responsible,
                        "due": f.due_text,
                        "evidence": cite(f.evidence),
                    }
                    for f in e.follow_ups
                ],
                "summary": e.summary,
            }
        )
        for e in b.events
    ]
    return extraction.Extraction(
        source=extraction.Source(
            outlet=b.source.outlet,
            headline=b.source.headline,
            published=b.source.published_text,
        ),
        events=events,
        no_event_reason=b.no_event_reason,
    )
