"""Corrections a reviewer makes to a brief, and applying them (pure).

A correction names a place in the brief by path (`events[0].participants[1].name`) and sets,
deletes or adds there, re-points an item's evidence to a selection ("point"), or marks an
item checked by the reviewer ("check", which changes nothing in the brief). The result is
validated by the brief's own schema, so a correction can never make a brief that other parts
of summarize would refuse, and refusals are said in the analyst's words
(`correction_checks`). Evidence is never typed in: it is the article text the reviewer
selected.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError

from summarize.core.brief import Brief, Event
from summarize.core.correction_checks import (
    AS_WRITTEN,
    FieldProblem,
    analyst_message,
    check_as_written,
    check_length,
    recheck_weak,
    resolved,
)
from summarize.core.errors import SummarizeError
from summarize.core.evidence_shape import evidence_json, no_evidence, selected

_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
# Lists whose new items need evidence from a selection.
_EVIDENCED = {"participants", "outcomes", "follow_ups"}
# What the reviewer may not write: identity and the model's record of what it dropped.
_FIXED = {"id", "evidence", "provenance", "article_id", "warnings", "sentences"}
_ROOTS = {"events", "source", "no_event_reason"}

Path = list[str | int]


class CorrectionError(SummarizeError):
    """A correction that cannot be applied, or that would make an invalid brief."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class Correction(BaseModel):
    """One change to a brief, as stored in the review file."""

    model_config = ConfigDict(extra="forbid")

    op: Literal["set", "delete", "add", "point", "check"]
    path: str
    value: JsonValue = None
    # For "add" and "point": the selected characters [start, end) of the article text.
    span: tuple[int, int] | None = None
    by: str
    at: dt.datetime


def parse_path(path: str) -> Path:
    """`events[0].participants[1].name` -> ["events", 0, "participants", 1, "name"]."""
    steps: Path = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise CorrectionError(f"not a brief path: {path!r}", path=path)
        steps.append(match[1])
        if match[2] is not None:
            steps.append(int(match[2]))
    if not steps or steps[0] not in _ROOTS or any(s in _FIXED for s in steps):
        raise CorrectionError(f"{path!r} cannot be corrected", path=path)
    return steps


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection widened to whole words and trimmed of surrounding white space."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start > end:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
            end += 1
    return start, end


def apply(brief: Brief, correction: Correction, text: str) -> Brief:
    """The brief with `correction` applied to it; `text` is the article text it was made on."""
    data = brief.model_dump(mode="json")
    steps = parse_path(correction.path)
    try:
        if correction.op == "set":
            _set(data, steps, _blank_to_none(correction.value), correction.path, text)
        elif correction.op == "delete":
            _delete(data, steps, correction.path)
        elif correction.op == "point":
            _point(data, steps, correction, text)
        elif correction.op == "check":
            _item(data, steps, correction.path)
            return brief
        else:
            _add(data, steps, correction, text)
    except FieldProblem as exc:
        raise CorrectionError(str(exc), path=correction.path) from None
    return _validated(data, correction.path)


def checked(corrections: list[Correction]) -> set[str]:
    """The paths of the items the reviewer marked checked, where they stand after all
    `corrections` (a deleted item's later siblings move up, and their marks with them)."""
    marks: set[str] = set()
    for c in corrections:
        if c.op == "check":
            (marks.add if c.value is not False else marks.discard)(c.path)
        elif c.op == "delete":
            steps = parse_path(c.path)
            if isinstance(steps[-1], int):
                marks = {m for m in (_shifted(m, steps) for m in marks) if m is not None}
    return marks


def _shifted(path: str, gone: Path) -> str | None:
    """`path` after the item at `gone` was deleted: None if it was inside it."""
    prefix, index = _render(gone[:-1]), gone[-1]
    assert isinstance(index, int)
    match = re.fullmatch(re.escape(prefix) + r"\[(\d+)\](.*)", path)
    if match is None:
        return path
    at = int(match[1])
    if at == index:
        return None
    return f"{prefix}[{at - 1}]{match[2]}" if at > index else path


def _item(data: Any, steps: Path, path: str) -> dict[str, Any]:
    """The evidenced item at `steps` (a participant, outcome, follow-up or stated initiator)."""
    node, last = _parent(data, steps, path)
    item = node[last]
    evidenced = (len(steps) >= 2 and steps[-2] in _EVIDENCED) or last == "initiator"
    if not isinstance(item, dict) or not evidenced or item.get("evidence") is None:
        raise CorrectionError(
            f"{path!r} is not a participant, outcome, follow-up or stated initiator", path=path
        )
    return item


def _point(data: Any, steps: Path, correction: Correction, text: str) -> None:
    """Re-point an item's evidence to the selection; its weak flag follows the new text."""
    item = _item(data, steps, correction.path)
    evidence = _evidence(correction, text)
    item["evidence"] = evidence_json(evidence)
    if steps[-1] == "initiator":
        item["basis"] = evidence.quote
    recheck_weak(data, correction.path, item)


def _blank_to_none(value: JsonValue) -> JsonValue:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, list):
        return [v for v in (_blank_to_none(x) for x in value) if v is not None]
    return value


def _parent(data: Any, steps: Path, path: str) -> tuple[Any, str | int]:
    node = data
    for step in steps[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise CorrectionError(f"nothing at {path!r} in this brief", path=path) from None
    last = steps[-1]
    if isinstance(last, int) and not (isinstance(node, list) and last < len(node)):
        raise CorrectionError(f"nothing at {path!r} in this brief", path=path)
    if isinstance(last, str) and not (isinstance(node, dict) and last in node):
        raise CorrectionError(f"nothing at {path!r} in this brief", path=path)
    return node, last


def _set(data: Any, steps: Path, value: JsonValue, path: str, text: str) -> None:
    node, last = _parent(data, steps, path)
    if isinstance(node[last], dict | list) and last != "topics" and last != "responsible":
        raise CorrectionError(f"{path!r} is not a single field", path=path)
    field = last if isinstance(last, str) else str(steps[-2])
    check_length(field, value)
    check_as_written(field, value, text)
    node[last] = value
    if isinstance(last, str) and last in AS_WRITTEN and isinstance(value, str):
        # The date as written decides the date, as for the model's: they cannot disagree.
        published = data.get("source", {}).get("published_date")
        anchor = dt.date.fromisoformat(published) if published else None
        date = resolved(last, value, anchor, node.get("status"))
        if date is not None:
            node[AS_WRITTEN[last]] = date.isoformat()
    if last in ("name", "short_name") and len(steps) >= 3 and steps[-3] == "participants":
        recheck_weak(data, _render(steps[:-1]), node)


def _delete(data: Any, steps: Path, path: str) -> None:
    if steps[-1] == "initiator":
        node, last = _parent(data, steps, path)
        node[last] = {"stated": False, "party": None, "basis": None, "evidence": no_evidence()}
        return
    node, last = _parent(data, steps, path)
    if not isinstance(last, int):
        raise CorrectionError(f"{path!r} is not an item that can be deleted", path=path)
    del node[last]
    _shift_warnings(data, steps)


def _shift_warnings(data: Any, steps: Path) -> None:
    """Weak-evidence warnings point at kept items by index: follow a deleted item's siblings.

    Dropped-item warnings name places in the model's answer, not in the brief: left alone.
    """
    prefix = _render(steps[:-1])
    gone = steps[-1]
    assert isinstance(gone, int)
    pattern = re.compile(re.escape(prefix) + r"\[(\d+)\](.*)")
    kept = []
    for warning in data.get("warnings", []):
        match = pattern.fullmatch(warning.get("path", ""))
        if warning.get("kind") != "weak" or match is None:
            kept.append(warning)
            continue
        index = int(match[1])
        if index == gone:
            continue
        if index > gone:
            warning["path"] = f"{prefix}[{index - 1}]{match[2]}"
        kept.append(warning)
    data["warnings"] = kept


def _render(steps: Path) -> str:
    out = ""
    for step in steps:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _add(data: Any, steps: Path, correction: Correction, text: str) -> None:
    path, value = correction.path, correction.value
    node, last = _parent(data, steps, path)
    if last == "initiator":
        evidence = _evidence(correction, text)
        party = value.get("party") if isinstance(value, dict) else None
        node[last] = {
            "stated": True,
            "party": _blank_to_none(party),
            "basis": evidence.quote,
            "evidence": evidence_json(evidence),
        }
        return
    target = node[last]
    if not isinstance(target, list):
        raise CorrectionError(f"{path!r} is not a list to add to", path=path)
    if last == "events":
        target.append(_new_event(data, value))
    elif last in _EVIDENCED:
        if not isinstance(value, dict):
            raise CorrectionError(f"{path!r} takes an item with fields", path=path)
        evidence = _evidence(correction, text)
        fields = {k: _blank_to_none(v) for k, v in value.items() if k not in _FIXED}
        for name, v in fields.items():
            check_length(name, v)
            check_as_written(name, v, text)
        target.append({**fields, "evidence": evidence_json(evidence)})
    elif last == "topics":
        topic = _blank_to_none(value)
        if topic is None and correction.span is not None:
            start, end = snap(text, *correction.span)
            topic = text[start:end]
        if not isinstance(topic, str):
            raise CorrectionError("a topic needs some text", path=path)
        check_length("topics", topic)
        target.append(topic)
    elif last == "mentioned":
        target.append(value)
    else:
        raise CorrectionError(f"nothing can be added to {path!r}", path=path)


def _evidence(correction: Correction, text: str) -> Any:
    if correction.span is None:
        raise CorrectionError(
            "select the article text that states it: it becomes the evidence", path=correction.path
        )
    start, end = snap(text, *correction.span)
    if start >= end:
        raise CorrectionError("the selection holds no text", path=correction.path)
    if correction.span is not None and not (
        min(correction.span) >= 0 and max(correction.span) <= len(text)
    ):
        raise CorrectionError(
            "the selection is outside the article text: select again", path=correction.path
        )
    return selected(text, start, end)


def _new_event(data: Any, value: JsonValue) -> dict[str, Any]:
    fields = dict(value) if isinstance(value, dict) else {}
    numbers = [int(e["id"].rpartition("#")[2]) for e in data["events"] if "#" in e["id"]]
    allowed = set(Event.model_fields) - _FIXED
    event = {k: _blank_to_none(v) for k, v in fields.items() if k in allowed}
    for name, v in event.items():
        check_length(name, v)
    event["id"] = f"{data['article_id']}#{max(numbers, default=0) + 1}"
    return event


def _validated(data: Any, path: str) -> Brief:
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        raise CorrectionError(analyst_message(exc.errors()[0]), path=path) from None
