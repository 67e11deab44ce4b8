"""What the article page shows, worked out from a brief and its article text (pure).

Evidence spans become numbered marks; the text is cut into flat segments at every mark's
edges, each naming the marks that cover it, so the page can tie text and fields both ways
with no nesting and no offsets computed in the browser beyond a segment's own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import types
from collections.abc import Set
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from summarize.core.brief import Brief
from summarize.core.evidence_shape import item_spans

# Item lists and values the page shows in their own blocks, not as plain event fields.
_EVENT_BLOCKS = {"id", "participants", "mentioned", "initiator", "topics", "outcomes", "follow_ups"}
_ITEM_SKIP = {"evidence", "stated", "id"}
# The source's provenance notes are the reader's, not the reviewer's; only the brief's
# reason for having no event is edited at its top level.
SOURCE_SKIP = frozenset({"outlet_from", "published_from"})
BRIEF_SKIP = frozenset(set(Brief.model_fields) - {"no_event_reason"})
_LONG = {"summary", "statement", "action", "basis", "no_event_reason"}


@dataclass(frozen=True)
class Mark:
    id: str
    path: str
    label: str
    start: int
    end: int
    quote: str
    weak: bool
    # The quote is not the text at its offsets (schema 1.0 kept fuzzy matches).
    differs: bool
    outside: bool


@dataclass(frozen=True)
class Segment:
    start: int
    text: str
    marks: tuple[str, ...]
    weak: bool


@dataclass(frozen=True)
class FieldInput:
    name: str
    path: str
    kind: str  # text, long, date, select, list
    value: str
    options: tuple[str, ...] = ()
    required: bool = False


def weak_paths(brief: Brief) -> set[str]:
    """Items kept with evidence that does not mention them (schema 2.0 "weak" warnings)."""
    return {w.path for w in brief.warnings if getattr(w, "kind", None) == "weak"}


def dropped(brief: Brief) -> list[Any]:
    """Warnings of items dropped by grounding (and events the model repeated): shown,
    never hidden."""
    return [w for w in brief.warnings if getattr(w, "kind", "dropped") != "weak"]


@dataclass(frozen=True)
class DroppedGroup:
    """What the model gave and the brief does not keep, for one cause, with what to do."""

    cause: str
    title: str
    advice: str
    warnings: tuple[Any, ...]


# Each cause's title and advice; a repeat is not a grounding failure and is not re-added.
_CAUSES = {
    "evidence": (
        "Dropped: no evidence in the article",
        "The model gave these without citing a sentence of the article, so the brief does not "
        "keep them. If the article does state one, select its words and press 1 "
        "(participant), 2 (outcome) or 3 (follow-up): the selection becomes its evidence.",
    ),
    "as_written": (
        "Dates the article does not write",
        "The model gave a date \u201cas written\u201d that is not in the text, so it was not "
        "used. If the article gives the date, copy its words into \u201cdate text\u201d; for a "
        "date you worked out, set the date itself.",
    ),
    "repeated": (
        "Events the model repeated",
        "The model gave these events twice, word for word; each is kept once. Nothing is "
        "missing: there is nothing to add back.",
    ),
    "normalised": (
        "Read differently from how the model wrote them",
        "Kept: a sentence number written as text, an unknown status or type, read as the "
        "brief's nearest value. Check each against the article; edit it if the reading is "
        "wrong.",
    ),
    "cut": (
        "Cut at summarize's limit",
        "A list or a text longer than summarize keeps: the rest was left out. If an item "
        "past the limit matters, add it by selecting its words.",
    ),
    "other": (
        "Dropped for another reason",
        "The reason is given with each. If the article does state one, add it back by "
        "selecting its words.",
    ),
}


def _cause(warning: Any) -> str:
    if warning.kind in ("repeated", "normalised", "cut"):
        return str(warning.kind)
    reason = warning.reason
    if reason.startswith(("no sentence cited", "cites no sentence")):
        return "evidence"
    if reason.startswith("not written in the article"):
        return "as_written"
    return "other"


def dropped_by_cause(brief: Brief) -> list[DroppedGroup]:
    """The dropped panel: one group per cause, in a fixed order, empty groups left out."""
    groups: dict[str, list[Any]] = {cause: [] for cause in _CAUSES}
    for w in dropped(brief):
        groups[_cause(w)].append(w)
    return [
        DroppedGroup(cause, *_CAUSES[cause], tuple(found))
        for cause, found in groups.items()
        if found
    ]


def marks(brief: Brief, text: str) -> list[Mark]:
    """Every evidence span of the brief, in brief order, numbered e1, e2, ..."""
    weak = weak_paths(brief)
    found: list[Mark] = []
    for i, event in enumerate(brief.events):
        at = f"events[{i}]"
        items: list[tuple[str, str, object]] = []
        items += [
            (f"{at}.participants[{j}]", f"Participant: {p.name}", p)
            for j, p in enumerate(event.participants)
        ]
        if event.initiator.stated:
            items.append(
                (f"{at}.initiator", f"Initiator: {event.initiator.party}", event.initiator)
            )
        items += [
            (f"{at}.outcomes[{j}]", f"Outcome ({o.kind}): {o.statement}", o)
            for j, o in enumerate(event.outcomes)
        ]
        items += [
            (f"{at}.follow_ups[{j}]", f"Follow-up: {f.action}", f)
            for j, f in enumerate(event.follow_ups)
        ]
        for path, label, item in items:
            for span in item_spans(item):
                outside = not (0 <= span.start < span.end <= len(text))
                found.append(
                    Mark(
                        id=f"e{len(found) + 1}",
                        path=path,
                        label=label,
                        start=span.start,
                        end=span.end,
                        quote=span.quote,
                        weak=path in weak,
                        differs=outside or text[span.start : span.end] != span.quote,
                        outside=outside,
                    )
                )
    return found


def mark_ids(found: list[Mark]) -> dict[str, str]:
    """Each item path's mark ids, space-separated (an item may cite several spans)."""
    ids: dict[str, list[str]] = {}
    for m in found:
        ids.setdefault(m.path, []).append(m.id)
    return {path: " ".join(v) for path, v in ids.items()}


def segments(text: str, found: list[Mark]) -> list[Segment]:
    """The text cut at every mark's edges; each piece with the marks covering it."""
    shown = [m for m in found if not m.outside]
    cuts = sorted({0, len(text), *(m.start for m in shown), *(m.end for m in shown)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [m for m in shown if m.start <= start and end <= m.end]
        pieces.append(
            Segment(
                start=start,
                text=text[start:end],
                marks=tuple(m.id for m in covering),
                weak=bool(covering) and all(m.weak for m in covering),
            )
        )
    return pieces


def fields(item: BaseModel, at: str, skip: Set[str] = _ITEM_SKIP) -> list[FieldInput]:
    """The editable fields of a brief object, with inputs chosen from its schema."""
    out = []
    for name, info in type(item).model_fields.items():
        if name in skip:
            continue
        kind, options = _input(info.annotation)
        if kind is None:
            continue
        value = getattr(item, name)
        if kind == "text" and name in _LONG:
            kind = "long"
        out.append(
            FieldInput(
                name=name,
                path=f"{at}.{name}" if at else name,
                kind=kind,
                value=_shown(value),
                options=options,
                required=info.is_required(),
            )
        )
    return out


def event_fields(event: BaseModel, at: str) -> list[FieldInput]:
    return fields(event, at, _EVENT_BLOCKS)


def _input(annotation: Any) -> tuple[str | None, tuple[str, ...]]:
    """An input kind for a field type: enums as selects, dates, text, lists of text."""
    args = get_args(annotation) if _is_union(annotation) else (annotation,)
    for arg in args:
        if isinstance(arg, type) and issubclass(arg, Enum):
            return "select", tuple(str(m.value) for m in arg)
        if arg is dt.date:
            return "date", ()
        if arg is str:
            return "text", ()
        if get_origin(arg) is list and get_args(arg) == (str,):
            return "list", ()
    return None, ()


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
