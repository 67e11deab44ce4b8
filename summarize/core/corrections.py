"""Corrections a reviewer makes to a brief, and applying them (pure).

A correction names a place in the brief by path (`events[0].participants[1].name`) and sets,
deletes or adds there. The result is validated by the brief's own schema, so a correction
can never make a brief that other parts of summarize would refuse. Evidence is never typed
in: an added item's evidence is the article text the reviewer selected.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError

from summarize.core.brief import Brief, Event
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

    op: Literal["set", "delete", "add"]
    path: str
    value: JsonValue = None
    # For "add": the selected characters [start, end) of the article text.
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
    if correction.op == "set":
        _set(data, steps, _blank_to_none(correction.value), correction.path)
    elif correction.op == "delete":
        _delete(data, steps, correction.path)
    else:
        _add(data, steps, correction, text)
    return _validated(data, correction.path)


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


def _set(data: Any, steps: Path, value: JsonValue, path: str) -> None:
    node, last = _parent(data, steps, path)
    if isinstance(node[last], dict | list) and last != "topics" and last != "responsible":
        raise CorrectionError(f"{path!r} is not a single field", path=path)
    node[last] = value


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
        target.append({**fields, "evidence": evidence_json(evidence)})
    elif last == "topics":
        topic = _blank_to_none(value)
        if topic is None and correction.span is not None:
            start, end = snap(text, *correction.span)
            topic = text[start:end]
        if not isinstance(topic, str):
            raise CorrectionError("a topic needs some text", path=path)
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
    return selected(text, start, end)


def _new_event(data: Any, value: JsonValue) -> dict[str, Any]:
    fields = dict(value) if isinstance(value, dict) else {}
    numbers = [int(e["id"].rpartition("#")[2]) for e in data["events"] if "#" in e["id"]]
    allowed = set(Event.model_fields) - _FIXED
    event = {k: _blank_to_none(v) for k, v in fields.items() if k in allowed}
    event["id"] = f"{data['article_id']}#{max(numbers, default=0) + 1}"
    return event


def _validated(data: Any, path: str) -> Brief:
    try:
        return Brief.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _render([s for s in first["loc"] if isinstance(s, str | int)])
        message = first["msg"].removeprefix("Value error, ")
        raise CorrectionError(f"{where or 'brief'}: {message}", path=path) from None
