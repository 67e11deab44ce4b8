"""What a reviewer's correction is checked against, and how a refusal is worded (pure).

The brief's schema decides what is valid; this module adds what a reviewer would expect a
careful colleague to catch (a place name is not a paragraph, a date "as written" is written
in the article) and turns the schema's refusals into the analyst's words: which field, what
is wrong, what to do. No message here quotes pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic_core import ErrorDetails

from summarize.core.brief import EventStatus, OutcomeKind
from summarize.core.dates import resolve_date
from summarize.core.grounding import ArticleText, supports

# Short fields hold a name, a place or a phrase copied from the text; long ones a sentence or
# two. Longer values are refused: they are almost always a selection or a paste gone wrong.
SHORT_MAX = 120
LONG_MAX = 2000
_SHORT = {
    "name",
    "short_name",
    "title",
    "affiliation",
    "location",
    "stated_by",
    "party",
    "date_text",
    "due_text",
    "topics",
    "responsible",
    "outlet",
    "published_text",
}
_LONG = {"summary", "statement", "action", "basis", "no_event_reason", "headline", "url"}

# How each field is called in a message.
LABELS = {
    "name": "the name",
    "short_name": "the short name",
    "title": "the title",
    "affiliation": "the affiliation",
    "location": "the location",
    "stated_by": "who stated it",
    "statement": "the statement",
    "action": "the action",
    "summary": "the summary",
    "kind": "the kind of outcome",
    "event_type": "the event type",
    "status": "the status",
    "party": "the initiator's party",
    "date": "the date",
    "due_date": "the due date",
    "published_date": "the publication date",
    "date_text": "the date as written",
    "due_text": "the due date as written",
    "topics": "a topic",
    "responsible": "who is responsible",
    "no_event_reason": "the reason there is no event",
    "outlet": "the outlet",
    "headline": "the headline",
}
_WHAT = {
    "location": "a place name",
    "name": "a person's name",
    "short_name": "how the article calls them",
    "stated_by": "who said it",
    "party": "who took the initiative",
    "date_text": "the words the article uses for the date",
    "due_text": "the words the article uses for when",
    "topics": "a topic of a few words",
    "responsible": "a name",
}
# Fields whose value is a date as written: the article must write it, as for the model.
AS_WRITTEN = {"date_text": "date", "due_text": "due_date"}


class FieldProblem(ValueError):
    """A value a reviewer gave that the brief cannot take, said in the analyst's words."""


def label(field: str | None) -> str:
    return LABELS.get(field or "", (field or "this field").replace("_", " "))


def check_length(field: str, value: object) -> None:
    """Refuse a value longer than its kind of field holds."""
    values = value if isinstance(value, list) else [value]
    limit = SHORT_MAX if field in _SHORT else LONG_MAX if field in _LONG else None
    if limit is None:
        return
    for v in values:
        if isinstance(v, str) and len(v) > limit:
            what = _WHAT.get(field, "a sentence or two" if limit == LONG_MAX else "a short value")
            raise FieldProblem(
                f"{label(field).capitalize()} is {what}: at most {limit} characters, and this "
                f"has {len(v)}. Shorten it" + (" or select less text" if field in _SHORT else "")
            )


def check_as_written(field: str, value: object, text: str) -> None:
    """A date "as written" must be the article's own words, as the model's must."""
    if field not in AS_WRITTEN or not isinstance(value, str) or not value.strip():
        return
    if not ArticleText.of(text).mentions(value):
        raise FieldProblem(
            f"The article does not write \u201c{value.strip()}\u201d: {label(field)} must be "
            f"its words (copy them from the text). For a date you worked out, set "
            f"{label(AS_WRITTEN[field])} instead"
        )


def resolved(
    field: str, value: str, published: dt.date | None, status: str | None
) -> dt.date | None:
    """The date `value` (as written) means, read as the model's is; None when it cannot say."""
    state = EventStatus.PLANNED if field == "due_text" else EventStatus(status or "unclear")
    return resolve_date(value, published, status=state)


def analyst_message(error: ErrorDetails) -> str:
    """A schema refusal in the analyst's words: the field, what is wrong, what to do."""
    field = next((s for s in reversed(error["loc"]) if isinstance(s, str)), None)
    kind = error["type"]
    given = error.get("input")
    if kind in ("missing", "string_type", "none_required") and (given is None or given == ""):
        return f"{label(field).capitalize()} cannot be empty: type it, or delete the item"
    if kind.startswith("date") or field in ("date", "due_date", "published_date"):
        return (
            f"\u201c{given}\u201d is not a valid date for {label(field)}: write it as "
            "YYYY-MM-DD (for example 2016-09-05), or leave it empty"
        )
    if kind == "enum":
        options = _options(field)
        return f"{label(field).capitalize()} must be one of: {options}"
    if kind in ("list_type", "string_type"):
        return f"{label(field).capitalize()} takes text, not {type(given).__name__}"
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    if "stated initiator needs a party" in message:
        return "The initiator needs a party: type who took the initiative, or delete it"
    if "no events must say why" in message:
        return (
            "A brief with no event must say why: write the reason there is no event first, "
            "then delete the last event"
        )
    if kind == "extra_forbidden":
        return f"{label(field).capitalize()} is not a field of this item"
    return f"{label(field).capitalize()}: this value cannot be used here"


def _options(field: str | None) -> str:
    from summarize.core.brief import EventType

    enums: dict[str, Any] = {"kind": OutcomeKind, "event_type": EventType, "status": EventStatus}
    enum = enums.get(field or "")
    return ", ".join(m.value for m in enum) if enum else "the listed values"


# Which names an item's evidence must mention to be more than weak, by item list.
def _support_names(kind: str, item: dict[str, Any]) -> list[str]:
    if kind == "participants":
        return [n for n in (item.get("name"), item.get("short_name")) if n]
    if kind == "outcomes":
        return [item["stated_by"]] if item.get("stated_by") else []
    if kind == "follow_ups":
        return [r for r in item.get("responsible") or [] if r]
    return []


_ITEM = re.compile(r"events\[\d+\]\.(participants|outcomes|follow_ups)\[\d+\]")


def recheck_weak(data: dict[str, Any], path: str, item: dict[str, Any]) -> None:
    """After an item's evidence was re-pointed (or a participant renamed), its weak warning
    follows what the evidence now says.

    A weak warning is cleared only when the new evidence mentions the item; a participant,
    whose check summarize always makes, gets one when it no longer does. Other kinds keep a
    flag they had when the new evidence does not support them, and gain none: their check
    is the run's to make.
    """
    from summarize.core.brief import Evidence

    match = _ITEM.fullmatch(path)
    if match is None or not isinstance(item.get("evidence"), dict):
        return
    kind = match[1]
    evidence = Evidence.model_validate(item["evidence"])
    names = _support_names(kind, item)
    supported = bool(names) and any(supports(evidence, n) for n in names)
    warnings = data.setdefault("warnings", [])
    had = any(w.get("kind") == "weak" and w.get("path") == path for w in warnings)
    if supported:
        data["warnings"] = [
            w for w in warnings if not (w.get("kind") == "weak" and w.get("path") == path)
        ]
    elif kind == "participants" and not had and names:
        warnings.append(
            {
                "path": path,
                "quote": evidence.quote,
                "reason": f"the cited sentences do not mention {names[0]}",
                "kind": "weak",
            }
        )
