"""A tolerant reading of the model's answer (pure): strict in what is asked, lenient in what
is accepted.

`extraction.py` is what the model is *asked* for: its bounds become hard limits under
grammar-constrained decoding. A model that answers without a grammar can still slip on the
form of one field, and strict validation would then lose the whole article, every correct
item with it. So an answer is read here item by item instead:

- what has one clear reading is normalised and kept (`"4"` and `4.0` as sentence 4, the first
  three of more sentence numbers, an unknown or missing status as `unclear`, an unknown event
  type as `other`, an unknown outcome kind as `claimed`), with a `normalised` warning;
- lists longer than asked are kept whole up to the hard limits below; what lies past a hard
  limit is cut with a `cut` warning, and so is text longer than `TEXT`;
- an item that cannot stand (a citation that names no sentence: `0`, negatives, `null`, `[]`,
  a number past the end; a participant without a name; an outcome without a statement) is
  dropped alone, with the `dropped` warning an out-of-range citation has always had;
- the answer is unusable only when nothing of it can be kept (not a JSON object, no events
  list, or no event that says anything); then `unusable` says what was wrong.

`fixable` lists what a re-ask could repair (the dropped items, a missing summary): the client
re-asks for those while attempts remain, never for what was only normalised.

Warning paths name the place in the model's answer (`events[0].participants[13]`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, TypeVar

from summarize.core import extraction as x
from summarize.core.brief import (
    EventStatus,
    EventType,
    GroundingWarning,
    OutcomeKind,
    WarningKind,
)

# Hard limits: what is accepted, well past what is asked (`extraction.FEW`, `SOME`). Decided
# from real cases: a summit family photo names about 40 leaders (G20 with its guests, NATO
# with its partners), the Commonwealth has 56 members and ASEM 53 partners, so a list of
# people may hold 60; a summit's declaration or an article on a week of sideline meetings can
# list a few dozen outcomes, topics or contacts. Past these, a list is a model looping.
PEOPLE: Final = 60
ITEMS: Final = 40
EVENTS: Final = 24
FOLLOW_UPS: Final = 24
# Text is kept in full up to this many characters (5 times the longest asked bound, a long
# sentence); past it, it is cut with a warning: a model looping inside one string.
TEXT: Final = 2000
# What a warning shows of a value the model gave.
SHOWN: Final = 200

E = TypeVar("E", bound=StrEnum)
_NUMBER = re.compile(r"\[?\s*(-?\d+)\s*\]?")


@dataclass
class Reading:
    """What could be read of one answer."""

    extraction: x.Extraction | None
    warnings: list[GroundingWarning] = field(default_factory=list)
    # One line per problem a re-ask could repair (items dropped, required text missing).
    fixable: list[str] = field(default_factory=list)
    # Citation problems among `fixable`, for the re-ask's wording.
    miscited: list[str] = field(default_factory=list)
    # Why nothing could be kept, when `extraction` is None.
    unusable: str | None = None


def shown(value: Any) -> str:
    """A value as the model gave it, in JSON, cut for display."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


@dataclass
class _Reader:
    sentences: int
    warnings: list[GroundingWarning] = field(default_factory=list)
    fixable: list[str] = field(default_factory=list)
    miscited: list[str] = field(default_factory=list)

    def warn(self, path: str, given: Any, reason: str, kind: WarningKind = "normalised") -> None:
        quote = given if isinstance(given, str) else shown(given)
        self.warnings.append(
            GroundingWarning(path=path, quote=quote[:SHOWN], reason=reason, kind=kind)
        )

    def drop(self, path: str, given: Any, reason: str) -> None:
        """An item that cannot stand: dropped alone, and worth a re-ask."""
        self.warn(path, given, reason, kind="dropped")
        self.fixable.append(f"- {path}: {reason}")

    # -- values --------------------------------------------------------------------------

    def text(self, path: str, value: Any) -> str | None:
        """Optional text: numbers read as text, other shapes left empty, runaways cut."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.warn(path, value, "not text; left empty")
            return None
        text = value if isinstance(value, str) else str(value)
        if not isinstance(value, str):
            self.warn(path, value, f"a number, read as the text {text}")
        if len(text) > TEXT:
            self.warn(
                path,
                text[:SHOWN],
                f"{len(text)} characters, past the {TEXT} summarize keeps: cut there",
                kind="cut",
            )
            text = text[:TEXT]
        return text

    def choice(self, path: str, value: Any, kind: type[E], default: E) -> E:
        """An enum value: case, spaces and dashes forgiven; unknown or missing -> `default`."""
        if isinstance(value, str):
            folded = re.sub(r"[\s\-]+", "_", value.strip().lower())
            for member in kind:
                if member.value == folded:
                    if folded != value:
                        self.warn(path, value, f"read as {member.value}")
                    return member
        known = ", ".join(m.value for m in kind)
        what = "missing" if value is None else "not one of " + known
        self.warn(path, value if value is not None else "", f"{what}; read as {default.value}")
        return default

    def items(self, path: str, value: Any, limit: int, asked: int) -> list[Any]:
        """A list: a lone value read as a list of one; past `limit`, cut with a warning."""
        if value is None:
            return []
        if isinstance(value, dict | str):
            self.warn(path, value, "a single value, not a list: read as a list of one")
            return [value]
        if not isinstance(value, list):
            self.warn(path, value, "not a list; read as empty")
            return []
        if len(value) > limit:
            self.warn(
                path,
                f"{len(value)} items",
                f"{len(value)} given ({asked} asked for): kept the first {limit}, the most "
                "summarize accepts",
                kind="cut",
            )
            return value[:limit]
        return value

    def citation(self, path: str, value: Any) -> list[int] | None:
        """The usable sentence numbers of an item's evidence, or None (the item is dropped,
        with the warning an out-of-range number has always had)."""
        given = value
        changes: list[str] = []
        if value is None:
            raw: list[Any] = []
        elif isinstance(value, list):
            raw = value
        else:
            raw = [value]
            changes.append("a single number, not a list")
        numbers: list[int] = []
        unknown: list[Any] = []
        for v in raw:
            n = _sentence_number(v)
            if n is None or not 1 <= n <= self.sentences:
                unknown.append(v)
                continue
            if not isinstance(v, int):
                changes.append(f"{shown(v)} read as {n}")
            if n not in numbers:
                numbers.append(n)
        if not numbers:
            reason = (
                "no sentence cited"
                if not raw
                else f"cites no sentence of the article (it has {self.sentences})"
            )
            self.warn(path, given, reason, kind="dropped")
            self.fixable.append(f"- {path}: {shown(given)}")
            self.miscited.append(f"- {path}: {shown(given)}")
            return None
        if unknown:
            changes.append(
                f"{', '.join(shown(v) for v in unknown)} not a sentence of the article "
                f"(it has {self.sentences}): ignored"
            )
            # A miscount a re-ask may correct, as it always was.
            self.fixable.append(f"- {path}: {shown(given)}")
            self.miscited.append(f"- {path}: {shown(given)}")
        if len(numbers) > x.CITED:
            changes.append(
                f"{len(numbers)} sentences, more than the {x.CITED} asked for: kept the first "
                f"{x.CITED}"
            )
            numbers = numbers[: x.CITED]
        if changes:
            self.warn(path, given, "; ".join(changes))
        return numbers

    # -- items ---------------------------------------------------------------------------

    def person(self, path: str, value: Any) -> x.Person | None:
        if isinstance(value, str):
            value = {"name": value}
            self.warn(path, value["name"], "a name, not an object: read as a person")
        if not isinstance(value, dict):
            self.drop(path, value, "not a person")
            return None
        name = self.text(f"{path}.name", value.get("name"))
        if name is None or not name.strip():
            self.drop(path, value, "no name")
            return None
        return x.Person.model_construct(
            name=name,
            short_name=self.text(f"{path}.short_name", value.get("short_name")),
            title=self.text(f"{path}.title", value.get("title")),
            affiliation=self.text(f"{path}.affiliation", value.get("affiliation")),
        )

    def participant(self, path: str, value: Any) -> x.Participant | None:
        if not isinstance(value, dict):
            self.drop(path, value, "not a participant with evidence")
            return None
        person = self.person(path, value)
        if person is None:
            return None
        evidence = self.citation(path, value.get("evidence"))
        if evidence is None:
            return None
        return x.Participant.model_construct(**dict(person), evidence=evidence)

    def initiator(self, path: str, value: Any) -> x.Initiator:
        if value is None:
            return x.Initiator.model_construct(party=None, evidence=[])
        if isinstance(value, str):
            value = {"party": value}
        if not isinstance(value, dict):
            self.warn(path, value, "not an initiator; read as not stated")
            return x.Initiator.model_construct(party=None, evidence=[])
        party = self.text(f"{path}.party", value.get("party"))
        if not (party or "").strip():
            return x.Initiator.model_construct(party=None, evidence=[])
        evidence = self.citation(path, value.get("evidence"))
        if evidence is None:
            return x.Initiator.model_construct(party=None, evidence=[])
        return x.Initiator.model_construct(party=party, evidence=evidence)

    def outcome(self, path: str, value: Any) -> x.Outcome | None:
        if not isinstance(value, dict):
            self.drop(path, value, "not an outcome with evidence")
            return None
        statement = self.text(f"{path}.statement", value.get("statement"))
        if statement is None or not statement.strip():
            self.drop(path, value, "no statement")
            return None
        evidence = self.citation(path, value.get("evidence"))
        if evidence is None:
            return None
        stated_by = self.text(f"{path}.stated_by", value.get("stated_by"))
        if not (stated_by or "").strip():
            self.warn(f"{path}.stated_by", value.get("stated_by"), "missing; kept unattributed")
            self.fixable.append(f"- {path}.stated_by: missing")
        return x.Outcome.model_construct(
            kind=self.choice(f"{path}.kind", value.get("kind"), OutcomeKind, OutcomeKind.CLAIMED),
            statement=statement,
            stated_by=stated_by or "",
            evidence=evidence,
        )

    def follow_up(self, path: str, value: Any) -> x.FollowUp | None:
        if not isinstance(value, dict):
            self.drop(path, value, "not a follow-up with evidence")
            return None
        action = self.text(f"{path}.action", value.get("action"))
        if action is None or not action.strip():
            self.drop(path, value, "no action")
            return None
        evidence = self.citation(path, value.get("evidence"))
        if evidence is None:
            return None
        responsible = [
            r
            for k, v in enumerate(
                self.items(f"{path}.responsible", value.get("responsible"), PEOPLE, x.FEW)
            )
            if (r := self.text(f"{path}.responsible[{k}]", v))
        ]
        return x.FollowUp.model_construct(
            action=action,
            responsible=responsible,
            due=self.text(f"{path}.due", value.get("due")),
            evidence=evidence,
        )

    def event(self, path: str, value: Any) -> x.Event | None:
        if not isinstance(value, dict):
            self.drop(path, value, "not an event")
            return None

        def each(name: str, limit: int, asked: int) -> list[tuple[str, Any]]:
            values = self.items(f"{path}.{name}", value.get(name), limit, asked)
            return [(f"{path}.{name}[{j}]", v) for j, v in enumerate(values)]

        participants = [
            p for at, v in each("participants", PEOPLE, x.SOME) if (p := self.participant(at, v))
        ]
        mentioned = [m for at, v in each("mentioned", PEOPLE, x.SOME) if (m := self.person(at, v))]
        topics = [t for at, v in each("topics", ITEMS, x.SOME) if (t := self.text(at, v))]
        outcomes = [o for at, v in each("outcomes", ITEMS, x.SOME) if (o := self.outcome(at, v))]
        follow_ups = [
            f for at, v in each("follow_ups", FOLLOW_UPS, x.FEW) if (f := self.follow_up(at, v))
        ]
        summary = self.text(f"{path}.summary", value.get("summary")) or ""
        if not (summary.strip() or participants or topics or outcomes or follow_ups):
            self.drop(path, value, "says nothing: no summary, participants, topics or outcomes")
            return None
        if not summary.strip():
            self.warn(f"{path}.summary", "", "missing; kept without one")
            self.fixable.append(f"- {path}.summary: missing")
        return x.Event.model_construct(
            event_type=self.choice(
                f"{path}.event_type", value.get("event_type"), EventType, EventType.OTHER
            ),
            status=self.choice(
                f"{path}.status", value.get("status"), EventStatus, EventStatus.UNCLEAR
            ),
            date_text=self.text(f"{path}.date_text", value.get("date_text")),
            location=self.text(f"{path}.location", value.get("location")),
            participants=participants,
            mentioned=mentioned,
            initiator=self.initiator(f"{path}.initiator", value.get("initiator")),
            topics=topics,
            outcomes=outcomes,
            follow_ups=follow_ups,
            summary=summary,
        )

    def source(self, value: Any) -> x.Source:
        if not isinstance(value, dict):
            if value is not None:
                self.warn("source", value, "not an object; read as empty")
            value = {}
        return x.Source.model_construct(
            outlet=self.text("source.outlet", value.get("outlet")),
            headline=self.text("source.headline", value.get("headline")),
            published=self.text("source.published", value.get("published")),
        )


def _sentence_number(value: Any) -> int | None:
    """4, 4.0, "4" and "[4]" are sentence 4; anything else is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        found = _NUMBER.fullmatch(value.strip())
        return int(found.group(1)) if found else None
    return None


def read_answer(data: Any, sentences: int) -> Reading:
    """Read one answer (decoded JSON) against an article of `sentences` numbered sentences."""
    if isinstance(data, str):
        # An answer encoded twice: a JSON string holding the JSON object.
        try:
            data = json.loads(data)
        except ValueError:
            return Reading(None, unusable="the answer is text, not a JSON object")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        return Reading(None, unusable=f"the answer is {kind}, not a JSON object with events")
    r = _Reader(sentences)
    reason = r.text("no_event_reason", data.get("no_event_reason"))
    given = data.get("events")
    if given is None and reason is None:
        return Reading(
            None, unusable="the answer has no events list (and no reason for having none)"
        )
    values = r.items("events", given, EVENTS, x.FEW)
    events = [e for i, v in enumerate(values) if (e := r.event(f"events[{i}]", v))]
    if values and not events:
        why = "; ".join(w.path + ": " + w.reason for w in r.warnings if w.kind == "dropped")
        return Reading(
            None,
            warnings=r.warnings,
            unusable=f"none of its {len(values)} events could be read ({why})",
        )
    read = x.Extraction.model_construct(
        source=r.source(data.get("source")), events=events, no_event_reason=reason
    )
    return Reading(read, r.warnings, r.fixable, r.miscited)
