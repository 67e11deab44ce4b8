"""Scoring a produced brief against its golden brief, field by field (pure: no I/O).

Events are aligned one-to-one first (ACE-style: an argument earns credit only inside a
matched event); then every field gets a comparator chosen by its kind and yields a
`FieldScore` (score 0..1, passed, and a reason a human can act on). A case passes when every
required field reaches its floor and the weighted score reaches the case threshold. Runs are
compared with a reference run (a baseline report or another prompt) to mark what regressed,
and `decide` turns it all into the one verdict that is printed and becomes the exit code.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rapidfuzz import fuzz

from summarize.core.brief import Brief, Event

EXIT_PASS, EXIT_FAIL, EXIT_SETUP = 0, 1, 2
REPORT_FORMAT = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- configuration ------------------------------------------------------------------------------


class FieldRule(_Frozen):
    weight: float = Field(1.0, ge=0)
    floor: float = Field(0.0, ge=0, le=1, description="Absolute minimum score for this field.")
    required: bool = False


class CaseRules(_Frozen):
    threshold: float = Field(0.7, ge=0, le=1, description="Minimum weighted score of a case.")


class BaselineRules(_Frozen):
    tolerance: float = Field(0.05, ge=0, le=1, description="Score drop that counts as noise.")
    path: str = "fixtures/baseline.json"


class Matching(_Frozen):
    """rapidfuzz similarity (0..100) at which two items count as the same."""

    names: float = Field(80, ge=0, le=100)
    topics: float = Field(70, ge=0, le=100)
    outcomes: float = Field(70, ge=0, le=100)
    follow_ups: float = Field(70, ge=0, le=100)
    attribution: float = Field(80, ge=0, le=100)


# Defaults for a capable model. The repo's eval.toml overrides them for the recorded one.
DEFAULT_RULES: Mapping[str, FieldRule] = {
    "event_count": FieldRule(weight=1, floor=1.0, required=True),
    "event_type": FieldRule(weight=2, floor=1.0, required=True),
    "date": FieldRule(weight=1, floor=1.0),
    "initiator": FieldRule(weight=2, floor=1.0, required=True),
    "participants": FieldRule(weight=2, floor=0.8, required=True),
    "topics": FieldRule(weight=1, floor=0.5),
    "outcomes": FieldRule(weight=2, floor=0.5),
    "outcome_attribution": FieldRule(weight=1, floor=0.5),
    "outcome_kind": FieldRule(weight=0.5, floor=0.5),
    "follow_ups": FieldRule(weight=1, floor=0.5),
    "location": FieldRule(weight=0.5, floor=0.0),
    "summary": FieldRule(weight=0.5, floor=0.3),
    "grounding": FieldRule(weight=1, floor=0.8, required=True),
    "source.outlet": FieldRule(weight=0.5, floor=0.0),
    "source.headline": FieldRule(weight=0.5, floor=0.0),
    "source.published_date": FieldRule(weight=0.5, floor=1.0),
}
FIELD_NAMES: tuple[str, ...] = tuple(DEFAULT_RULES)


class ScoringConfig(_Frozen):
    case: CaseRules = CaseRules()
    baseline: BaselineRules = BaselineRules()
    matching: Matching = Matching()
    # Canonical party name -> other ways of naming it ("United States" -> "the American side").
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    fields: dict[str, FieldRule] = Field(default_factory=lambda: dict(DEFAULT_RULES))

    @field_validator("fields", mode="after")
    @classmethod
    def _known_fields(cls, value: dict[str, FieldRule]) -> dict[str, FieldRule]:
        unknown = sorted(set(value) - set(FIELD_NAMES))
        if unknown:
            raise ValueError(
                f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELD_NAMES)}"
            )
        return {name: value.get(name, DEFAULT_RULES[name]) for name in FIELD_NAMES}

    def rule(self, name: str) -> FieldRule:
        return self.fields[name]


class ConfigError(ValueError):
    """An evaluation config that cannot be used; the message says where and why."""


def config_from_mapping(data: Mapping[str, Any], source: str = "<config>") -> ScoringConfig:
    """Validate a parsed eval.toml; fields it leaves out keep their defaults."""
    try:
        return ScoringConfig.model_validate(dict(data))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{source}: {problems}") from None


# -- results ------------------------------------------------------------------------------------


class FieldScore(_Frozen):
    field: str
    score: float
    passed: bool
    reason: str
    required: bool = False
    weight: float = 0.0
    floor: float = 0.0
    expected: str | None = None
    got: str | None = None
    precision: float | None = None
    recall: float | None = None
    missing: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


class FlakyField(_Frozen):
    field: str
    scores: list[float]
    passes: list[bool]


CaseStatus = Literal["scored", "no_brief", "setup_error"]


class CaseResult(_Frozen):
    article_id: str
    file: str | None = None
    status: CaseStatus
    error: str | None = Field(None, description="Why there is no brief, or the setup problem.")
    fields: list[FieldScore] = Field(default_factory=list)
    weighted_score: float = 0.0
    threshold: float = 0.0
    passed: bool = False
    reason: str = ""
    flaky: list[FlakyField] = Field(default_factory=list)

    def field(self, name: str) -> FieldScore | None:
        return next((f for f in self.fields if f.field == name), None)


class RunResult(_Frozen):
    """One prompt evaluated over all cases."""

    label: str
    prompt_file: str
    prompt_version: str
    model: str | None
    recording: str
    repeat: int = 1
    cases: list[CaseResult]
    metrics: dict[str, float | None] = Field(default_factory=dict)

    def case(self, article_id: str) -> CaseResult | None:
        return next((c for c in self.cases if c.article_id == article_id), None)


ChangeStatus = Literal["regressed", "improved", "unchanged", "added", "removed", "not_compared"]


class FieldChange(_Frozen):
    field: str
    status: ChangeStatus
    before: float | None = None
    after: float | None = None
    before_passed: bool | None = None
    after_passed: bool | None = None
    delta: float | None = None
    reason: str = ""


class CaseChange(_Frozen):
    article_id: str
    status: ChangeStatus
    before_score: float | None = None
    after_score: float | None = None
    before_passed: bool | None = None
    after_passed: bool | None = None
    reason: str = ""
    fields: list[FieldChange] = Field(default_factory=list)

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


class Comparison(_Frozen):
    reference_kind: Literal["baseline", "prompt"]
    reference: str
    reference_prompt_version: str
    reference_model: str | None
    tolerance: float
    cases: list[CaseChange]

    def case(self, article_id: str) -> CaseChange | None:
        return next((c for c in self.cases if c.article_id == article_id), None)

    def count(self, status: ChangeStatus) -> int:
        return sum(1 for c in self.cases if c.status == status)


SetupKind = Literal[
    "stale_recording",
    "missing_recording",
    "missing_golden",
    "invalid_golden",
    "ingest",
    "baseline",
    "config",
    "endpoint",
]


class SetupError(_Frozen):
    kind: SetupKind
    article_id: str | None = None
    message: str
    fix: str


class Verdict(_Frozen):
    exit_code: int
    status: Literal["pass", "fail", "setup_error"]
    headline: str
    reasons: list[str] = Field(default_factory=list)


# -- text comparison helpers --------------------------------------------------------------------

_PUNCT = re.compile(r"[^\w\s]")
_FILLER = frozenset({"the", "side", "party"})


def normalise(text: str | None) -> str:
    """Casefolded, accents and punctuation removed, whitespace collapsed ("U.S." -> "u s")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_PUNCT.sub(" ", plain).split())


def similarity(a: str | None, b: str | None) -> float:
    """0..100, order-insensitive and lenient to subsets ("Putin" ~ "Vladimir Putin")."""
    return float(fuzz.token_set_ratio(normalise(a), normalise(b)))


def strict_similarity(a: str | None, b: str | None) -> float:
    """0..100, order-insensitive but not lenient to subsets: for whole strings."""
    return float(fuzz.token_sort_ratio(normalise(a), normalise(b)))


def _canonical_party(party: str | None, aliases: Mapping[str, Sequence[str]]) -> str:
    words = [w for w in normalise(party).split() if w not in _FILLER]
    text = " ".join(words)
    for canonical, others in aliases.items():
        names = {normalise(canonical), *(normalise(o) for o in others)}
        names |= {" ".join(w for w in n.split() if w not in _FILLER) for n in names}
        if text in names:
            return normalise(canonical)
    return text


def _quote(text: str) -> str:
    return repr(text) if len(text) <= 90 else repr(text[:87] + "...")


def _listing(items: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(_quote(i) for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# -- pairing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    pairs: list[tuple[int, int, float]]  # golden index, predicted index, similarity
    missing: list[int]  # golden items left unpaired
    extra: list[int]  # predicted items left unpaired


def pair_items(
    golden: Sequence[str],
    predicted: Sequence[str],
    threshold: float,
    boost: Callable[[int, int], float] | None = None,
) -> Pairing:
    """One-to-one fuzzy pairing, best pairs first (greedy); `boost` can vouch for a pair."""
    candidates: list[tuple[float, float, int, int]] = []
    for i, g in enumerate(golden):
        for j, p in enumerate(predicted):
            sim = similarity(g, p)
            if boost is not None:
                sim = max(sim, boost(i, j))
            if sim >= threshold:
                # Ties on the lenient score go to the closer whole string.
                candidates.append((sim, strict_similarity(g, p), i, j))
    candidates.sort(key=lambda c: (-c[0], -c[1], c[2], c[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for sim, _, i, j in candidates:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j, sim))
    pairs.sort()
    return Pairing(
        pairs=pairs,
        missing=[i for i in range(len(golden)) if i not in used_g],
        extra=[j for j in range(len(predicted)) if j not in used_p],
    )


def prf(tp: int, n_golden: int, n_predicted: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty golden and empty prediction agree perfectly."""
    if n_golden == 0 and n_predicted == 0:
        return 1.0, 1.0, 1.0
    precision = tp / n_predicted if n_predicted else 1.0
    recall = tp / n_golden if n_golden else 1.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


# -- event alignment ----------------------------------------------------------------------------


def _names(event: Event) -> list[str]:
    return [p.name for p in event.participants]


def _event_similarity(g: Event, p: Event, config: ScoringConfig) -> float:
    pairing = pair_items(_names(g), _names(p), config.matching.names)
    _, _, f1 = prf(len(pairing.pairs), len(g.participants), len(p.participants))
    same_type = 1.0 if g.event_type == p.event_type else 0.0
    same_date = 1.0 if g.date is not None and g.date == p.date else 0.0
    return 0.4 * same_type + 0.4 * f1 + 0.2 * same_date


@dataclass(frozen=True)
class Alignment:
    pairs: list[tuple[int, int]]  # golden event index, predicted event index
    missing: list[int]
    extra: list[int]


def align_events(
    golden: Sequence[Event], predicted: Sequence[Event], config: ScoringConfig
) -> Alignment:
    """Pair predicted events with golden ones by type, participant overlap and date."""
    candidates = sorted(
        (
            (-_event_similarity(g, p, config), i, j)
            for i, g in enumerate(golden)
            for j, p in enumerate(predicted)
        ),
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for neg, i, j in candidates:
        # Nothing in common (other type, no shared participant, other date): not the same contact.
        if neg >= 0 or i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    pairs.sort()
    return Alignment(
        pairs=pairs,
        missing=[i for i in range(len(golden)) if i not in used_g],
        extra=[j for j in range(len(predicted)) if j not in used_p],
    )


# -- field comparators --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Raw:
    """A comparison before the field's rule (weight, floor) is applied."""

    score: float
    reason: str
    expected: str | None = None
    got: str | None = None
    precision: float | None = None
    recall: float | None = None
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    counts: Mapping[str, int] | None = None


def _label(events: Sequence[Event], index: int) -> str:
    # Only worth naming the event when there is more than one to tell apart.
    return f"#{index + 1} " if len(events) > 1 else ""


def _fuzzy_short(expected: str | None, got: str | None, what: str) -> _Raw:
    if not expected and not got:
        return _Raw(1.0, f"both empty: the article gives no {what}")
    if not expected:
        return _Raw(0.0, f"the golden has no {what}, got {_quote(got or '')}", None, got)
    if not got:
        return _Raw(0.0, f"{what} missing: expected {_quote(expected)}", expected, None)
    score = strict_similarity(expected, got) / 100
    if score == 1.0:
        return _Raw(1.0, f"{what} matches", expected, got)
    return _Raw(
        score,
        f"{what} similarity {score:.2f}: expected {_quote(expected)}, got {_quote(got)}",
        expected,
        got,
    )


def _exact_date(expected: dt.date | None, got: dt.date | None, what: str) -> _Raw:
    e, g = (str(expected) if expected else None), (str(got) if got else None)
    if expected == got:
        if expected is None:
            return _Raw(1.0, f"both empty: no resolvable {what}", e, g, counts={"exact": 1})
        return _Raw(1.0, f"{what} {e} matches", e, g, counts={"exact": 1})
    if expected is None:
        return _Raw(0.0, f"{what} {g} given where the golden leaves it unresolved", e, g)
    if got is None:
        return _Raw(0.0, f"{what} missing: expected {e}", e, g)
    if abs((expected - got).days) == 1:
        return _Raw(
            0.5,
            f"{what} off by one day: expected {e}, got {g} (check the relative-date anchor)",
            e,
            g,
            counts={"within_one_day": 1},
        )
    return _Raw(0.0, f"{what} wrong: expected {e}, got {g}", e, g)


@dataclass
class _SetTally:
    tp: int = 0
    golden: int = 0
    predicted: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def add(
        self, pairing: Pairing, golden: Sequence[str], predicted: Sequence[str], tag: str
    ) -> None:
        self.tp += len(pairing.pairs)
        self.golden += len(golden)
        self.predicted += len(predicted)
        self.missing += [f"{tag}{golden[i]}" for i in pairing.missing]
        self.extra += [f"{tag}{predicted[j]}" for j in pairing.extra]

    def result(self, what: str) -> _Raw:
        precision, recall, f1 = prf(self.tp, self.golden, self.predicted)
        counts = {"tp": self.tp, "golden": self.golden, "predicted": self.predicted}
        if self.golden == 0 and self.predicted == 0:
            return _Raw(1.0, f"no {what} expected and none given", counts=counts)
        head = f"F1 {f1:.2f} (P {precision:.2f}, R {recall:.2f}; {self.tp}/{self.golden} found)"
        parts = [head]
        if self.missing:
            parts.append(f"missing {_listing(self.missing)}")
        if self.extra:
            parts.append(f"extra {_listing(self.extra)}")
        if not self.missing and not self.extra:
            parts.append(f"all {what} match")
        return _Raw(
            f1,
            "; ".join(parts),
            precision=precision,
            recall=recall,
            missing=tuple(self.missing),
            extra=tuple(self.extra),
            counts=counts,
        )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """How much two character spans overlap, 0..100, relative to the shorter one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shortest = min(a[1] - a[0], b[1] - b[0])
    return 100.0 * inter / shortest if inter > 0 and shortest > 0 else 0.0


@dataclass(frozen=True)
class _EventPairs:
    golden: Brief
    predicted: Brief
    alignment: Alignment
    config: ScoringConfig

    @property
    def same_text(self) -> bool:
        return self.golden.provenance.article_sha256 == self.predicted.provenance.article_sha256

    def tag(self, gi: int) -> str:
        return _label(self.golden.events, gi)

    def extra_tag(self, pj: int) -> str:
        return f"(unmatched event #{pj + 1}) "


def _set_field(
    ev: _EventPairs,
    what: str,
    items: Callable[[Event], list[str]],
    threshold: float,
    spans: Callable[[Event], list[tuple[int, int]]] | None = None,
) -> tuple[_Raw, list[tuple[Event, Event, Pairing]]]:
    tally = _SetTally()
    paired: list[tuple[Event, Event, Pairing]] = []
    g_events, p_events = ev.golden.events, ev.predicted.events
    for gi, pj in ev.alignment.pairs:
        g, p = g_events[gi], p_events[pj]
        boost: Callable[[int, int], float] | None = None
        if spans is not None and ev.same_text:
            g_spans, p_spans = spans(g), spans(p)

            def boost(
                i: int,
                j: int,
                gs: list[tuple[int, int]] = g_spans,
                ps: list[tuple[int, int]] = p_spans,
            ) -> float:
                return _overlap(gs[i], ps[j])

        pairing = pair_items(items(g), items(p), threshold, boost)
        tally.add(pairing, items(g), items(p), ev.tag(gi))
        paired.append((g, p, pairing))
    for gi in ev.alignment.missing:
        g = g_events[gi]
        tally.add(Pairing([], list(range(len(items(g)))), []), items(g), [], ev.tag(gi))
    for pj in ev.alignment.extra:
        p = p_events[pj]
        tally.add(Pairing([], [], list(range(len(items(p))))), [], items(p), ev.extra_tag(pj))
    return tally.result(what), paired


def _per_event(
    ev: _EventPairs,
    what: str,
    compare: Callable[[Event, Event], _Raw],
    when_missing: Callable[[Event], _Raw] | None = None,
) -> _Raw:
    """A scalar field averaged over golden events; unmatched golden events score 0."""
    g_events, p_events = ev.golden.events, ev.predicted.events
    if not g_events:
        if p_events:
            return _Raw(0.0, f"no event expected, but {len(p_events)} predicted")
        return _Raw(1.0, "no event expected and none predicted")
    results: list[tuple[int, _Raw]] = []
    for gi, pj in ev.alignment.pairs:
        results.append((gi, compare(g_events[gi], p_events[pj])))
    for gi in ev.alignment.missing:
        missing = (
            when_missing(g_events[gi])
            if when_missing is not None
            else _Raw(0.0, "the golden event has no predicted counterpart")
        )
        results.append((gi, missing))
    results.sort(key=lambda r: r[0])
    score = sum(r.score for _, r in results) / len(g_events)
    counts: dict[str, int] = {}
    for _, r in results:
        for key, value in (r.counts or {}).items():
            counts[key] = counts.get(key, 0) + value
    if len(results) == 1:
        only = results[0][1]
        return _Raw(score, only.reason, only.expected, only.got, counts=counts)
    reason = "; ".join(f"#{gi + 1}: {r.reason}" for gi, r in results)
    expected = "; ".join(f"#{gi + 1}: {r.expected}" for gi, r in results)
    got = "; ".join(f"#{gi + 1}: {r.got}" for gi, r in results)
    return _Raw(score, reason, expected, got, counts=counts)


def _initiator(ev: _EventPairs) -> _Raw:
    aliases = ev.config.aliases
    threshold = ev.config.matching.names

    def compare(g: Event, p: Event) -> _Raw:
        gi, pi = g.initiator, p.initiator
        if not gi.stated:
            if pi.stated:
                return _Raw(
                    0.0,
                    f"INVENTED initiator {_quote(pi.party or '')}: the article states none",
                    "not stated",
                    pi.party,
                    counts={"not_stated": 1, "invented": 1},
                )
            return _Raw(
                1.0, "correctly left unstated", "not stated", "not stated", counts={"not_stated": 1}
            )
        if not pi.stated:
            return _Raw(
                0.0,
                f"missed the stated initiator {_quote(gi.party or '')}"
                + (f" ({_quote(gi.basis)})" if gi.basis else ""),
                gi.party,
                "not stated",
                counts={"stated": 1},
            )
        want = _canonical_party(gi.party, aliases)
        got = _canonical_party(pi.party, aliases)
        if want == got:
            return _Raw(
                1.0,
                f"initiator {_quote(pi.party or '')} matches",
                gi.party,
                pi.party,
                counts={"stated": 1, "correct": 1},
            )
        # "Obama called Putin": naming the leader of the initiating side is the same claim.
        for person in g.participants:
            if (
                similarity(person.name, pi.party) >= threshold
                and _canonical_party(person.affiliation, aliases) == want
            ):
                return _Raw(
                    1.0,
                    f"initiator {_quote(pi.party or '')} is {person.name} of {gi.party}",
                    gi.party,
                    pi.party,
                    counts={"stated": 1, "correct": 1},
                )
        return _Raw(
            0.0,
            f"wrong initiator: expected {_quote(gi.party or '')}, got {_quote(pi.party or '')}",
            gi.party,
            pi.party,
            counts={"stated": 1},
        )

    def missing(g: Event) -> _Raw:
        key = "stated" if g.initiator.stated else "not_stated"
        return _Raw(0.0, "the golden event has no predicted counterpart", counts={key: 1})

    return _per_event(ev, "initiator", compare, missing)


def _attribution(
    paired: list[tuple[Event, Event, Pairing]], config: ScoringConfig, n_golden: int
) -> tuple[_Raw, _Raw]:
    """Among paired outcomes: who said it (stated_by) and what kind of outcome it is."""
    total = right_by = right_kind = 0
    wrong_by: list[str] = []
    wrong_kind: list[str] = []
    for g, p, pairing in paired:
        for i, j, _ in pairing.pairs:
            go, po = g.outcomes[i], p.outcomes[j]
            total += 1
            if similarity(go.stated_by, po.stated_by) >= config.matching.attribution:
                right_by += 1
            else:
                wrong_by.append(
                    f"{_quote(go.statement[:50])}: expected {go.stated_by!r}, got {po.stated_by!r}"
                )
            if go.kind == po.kind:
                right_kind += 1
            else:
                wrong_kind.append(f"{_quote(go.statement[:50])}: expected {go.kind}, got {po.kind}")
    if total == 0:
        if n_golden == 0:
            ok = _Raw(1.0, "no outcomes expected")
            return ok, ok
        none = _Raw(0.0, "no outcome paired with the golden's, so none could be checked")
        return none, none

    def raw(right: int, wrong: list[str], what: str) -> _Raw:
        counts = {"paired": total, "right": right}
        head = f"{right}/{total} paired outcomes have the right {what}"
        if wrong:
            return _Raw(
                right / total,
                f"{head}; {len(wrong)} wrong, e.g. {wrong[0]}",
                missing=tuple(wrong),
                counts=counts,
            )
        return _Raw(1.0, head, counts=counts)

    return raw(right_by, wrong_by, "source (stated_by)"), raw(right_kind, wrong_kind, "kind")


def _grounding(predicted: Brief) -> _Raw:
    grounded = sum(
        len(e.participants) + len(e.outcomes) + len(e.follow_ups) + (1 if e.initiator.stated else 0)
        for e in predicted.events
    )
    dropped = len(predicted.warnings)
    counts = {"grounded": grounded, "dropped": dropped}
    if grounded + dropped == 0:
        return _Raw(1.0, "no evidence items to verify", counts=counts)
    rate = grounded / (grounded + dropped)
    reason = f"{grounded}/{grounded + dropped} items had verifiable evidence"
    if dropped:
        paths = [f"{w.path}" for w in predicted.warnings]
        reason += f"; dropped: {_listing(paths, 5)}"
    return _Raw(
        rate,
        reason,
        missing=tuple(f"{w.path}: {w.quote}" for w in predicted.warnings),
        counts=counts,
    )


def _event_count(golden: Brief, predicted: Brief) -> _Raw:
    g, p = len(golden.events), len(predicted.events)
    e, got = str(g), str(p)
    if g == p:
        return _Raw(1.0, f"{g} event(s) as expected", e, got)
    score = min(g, p) / max(g, p)
    why = f"expected {g} event(s), got {p}"
    if p == 0 and predicted.no_event_reason:
        why += f" (the model said: {_quote(predicted.no_event_reason)})"
    return _Raw(score, why, e, got)


def raw_scores(golden: Brief, predicted: Brief, config: ScoringConfig) -> dict[str, _Raw]:
    """Every field's comparison, before rules are applied."""
    alignment = align_events(golden.events, predicted.events, config)
    ev = _EventPairs(golden, predicted, alignment, config)
    m = config.matching

    def spans(kind: str) -> Callable[[Event], list[tuple[int, int]]]:
        def get(e: Event) -> list[tuple[int, int]]:
            items = e.outcomes if kind == "outcomes" else e.follow_ups
            return [(x.evidence.start, x.evidence.end) for x in items]

        return get

    participants, _ = _set_field(ev, "participants", _names, m.names)
    topics, _ = _set_field(ev, "topics", lambda e: list(e.topics), m.topics)
    outcomes, paired_outcomes = _set_field(
        ev, "outcomes", lambda e: [o.statement for o in e.outcomes], m.outcomes, spans("outcomes")
    )
    follow_ups, _ = _set_field(
        ev,
        "follow-ups",
        lambda e: [f.action for f in e.follow_ups],
        m.follow_ups,
        spans("follow_ups"),
    )
    n_outcomes = sum(len(e.outcomes) for e in golden.events)
    attribution, kind = _attribution(paired_outcomes, config, n_outcomes)
    return {
        "event_count": _event_count(golden, predicted),
        "event_type": _per_event(
            ev,
            "event_type",
            lambda g, p: _Raw(
                1.0 if g.event_type == p.event_type else 0.0,
                f"event type {p.event_type} matches"
                if g.event_type == p.event_type
                else f"event type wrong: expected {g.event_type}, got {p.event_type}",
                str(g.event_type),
                str(p.event_type),
            ),
        ),
        "date": _per_event(ev, "date", lambda g, p: _exact_date(g.date, p.date, "date")),
        "initiator": _initiator(ev),
        "participants": participants,
        "topics": topics,
        "outcomes": outcomes,
        "outcome_attribution": attribution,
        "outcome_kind": kind,
        "follow_ups": follow_ups,
        "location": _per_event(
            ev, "location", lambda g, p: _fuzzy_short(g.location, p.location, "location")
        ),
        "summary": _per_event(
            ev, "summary", lambda g, p: _fuzzy_short(g.summary, p.summary, "summary")
        ),
        "grounding": _grounding(predicted),
        "source.outlet": _fuzzy_short(golden.source.outlet, predicted.source.outlet, "outlet"),
        "source.headline": _fuzzy_short(
            golden.source.headline, predicted.source.headline, "headline"
        ),
        "source.published_date": _exact_date(
            golden.source.published_date, predicted.source.published_date, "publication date"
        ),
    }


def _apply(name: str, raw: _Raw, rule: FieldRule) -> FieldScore:
    score = round(min(max(raw.score, 0.0), 1.0), 4)
    passed = score >= rule.floor
    reason = raw.reason
    if not passed:
        reason = f"{reason} [{score:.2f} below floor {rule.floor:.2f}]"
    return FieldScore(
        field=name,
        score=score,
        passed=passed,
        reason=reason,
        required=rule.required,
        weight=rule.weight,
        floor=rule.floor,
        expected=raw.expected,
        got=raw.got,
        precision=None if raw.precision is None else round(raw.precision, 4),
        recall=None if raw.recall is None else round(raw.recall, 4),
        missing=list(raw.missing),
        extra=list(raw.extra),
        counts=dict(raw.counts or {}),
    )


def score_fields(golden: Brief, predicted: Brief, config: ScoringConfig) -> list[FieldScore]:
    """Compare a produced brief with its golden brief, field by field."""
    raws = raw_scores(golden, predicted, config)
    return [_apply(name, raws[name], config.rule(name)) for name in FIELD_NAMES]


def weighted_score(fields: Sequence[FieldScore]) -> float:
    total = sum(f.weight for f in fields)
    if total == 0:
        return round(sum(f.score for f in fields) / len(fields), 4) if fields else 0.0
    return round(sum(f.weight * f.score for f in fields) / total, 4)


def judge_case(
    article_id: str, fields: list[FieldScore], config: ScoringConfig, file: str | None = None
) -> CaseResult:
    """The case rule: every required field at its floor, and the weighted score at threshold."""
    score = weighted_score(fields)
    threshold = config.case.threshold
    failed_required = [f.field for f in fields if f.required and not f.passed]
    reasons = []
    if failed_required:
        reasons.append(f"required field(s) below floor: {', '.join(failed_required)}")
    if score < threshold:
        reasons.append(f"weighted score {score:.2f} below threshold {threshold:.2f}")
    passed = not reasons
    if passed:
        reasons.append(f"weighted score {score:.2f} meets threshold {threshold:.2f}")
    return CaseResult(
        article_id=article_id,
        file=file,
        status="scored",
        fields=fields,
        weighted_score=score,
        threshold=threshold,
        passed=passed,
        reason="; ".join(reasons),
    )


def score_case(
    golden: Brief, predicted: Brief, config: ScoringConfig, file: str | None = None
) -> CaseResult:
    return judge_case(golden.article_id, score_fields(golden, predicted, config), config, file)


def no_brief_case(
    article_id: str, error: str, config: ScoringConfig, file: str | None = None
) -> CaseResult:
    """The model produced no brief (invalid answers, cut-off output): every field scores 0."""
    fields = [
        _apply(name, _Raw(0.0, f"no brief produced: {error}"), config.rule(name))
        for name in FIELD_NAMES
    ]
    judged = judge_case(article_id, fields, config, file)
    return judged.model_copy(update={"status": "no_brief", "error": error})


def setup_error_case(article_id: str, error: str, file: str | None = None) -> CaseResult:
    return CaseResult(
        article_id=article_id, file=file, status="setup_error", error=error, reason=error
    )


# -- repeats ------------------------------------------------------------------------------------


def merge_repeats(
    runs: Sequence[CaseResult], config: ScoringConfig, tolerance: float
) -> CaseResult:
    """One case from N runs: each field's mean score, passing only if it passed every time.

    Fields whose pass/fail flips, or whose score spreads more than `tolerance`, are flaky.
    """
    first = runs[0]
    if len(runs) == 1 or any(r.status == "setup_error" for r in runs):
        return first
    fields: list[FieldScore] = []
    flaky: list[FlakyField] = []
    for name in FIELD_NAMES:
        seen = [f for r in runs if (f := r.field(name)) is not None]
        if not seen:
            continue
        scores = [f.score for f in seen]
        passes = [f.passed for f in seen]
        mean = round(sum(scores) / len(scores), 4)
        unstable = len(set(passes)) > 1 or max(scores) - min(scores) > tolerance
        worst = next((f for f in seen if not f.passed), seen[0])
        reason = worst.reason
        if unstable:
            flaky.append(FlakyField(field=name, scores=scores, passes=passes))
            spread = ", ".join(f"{s:.2f}" for s in scores)
            reason = f"FLAKY over {len(seen)} runs (scores {spread}); {reason}"
        fields.append(
            worst.model_copy(update={"score": mean, "passed": all(passes), "reason": reason})
        )
    judged = judge_case(first.article_id, fields, config, first.file)
    status: CaseStatus = "scored" if any(r.status == "scored" for r in runs) else "no_brief"
    return judged.model_copy(update={"flaky": flaky, "status": status, "error": first.error})


# -- run metrics --------------------------------------------------------------------------------


def run_metrics(cases: Iterable[CaseResult]) -> dict[str, float | None]:
    """Corpus-level numbers: mean field scores plus the rates the domain cares about."""
    scored = [c for c in cases if c.status != "setup_error"]
    metrics: dict[str, float | None] = {}
    if not scored:
        return metrics
    metrics["weighted_score"] = round(sum(c.weighted_score for c in scored) / len(scored), 4)
    metrics["cases_passed"] = float(sum(c.passed for c in scored))
    metrics["cases"] = float(len(scored))
    for name in FIELD_NAMES:
        values = [f.score for c in scored if (f := c.field(name)) is not None]
        metrics[f"mean.{name}"] = round(sum(values) / len(values), 4) if values else None

    def total(field: str, key: str) -> int:
        return sum(f.counts.get(key, 0) for c in scored if (f := c.field(field)) is not None)

    def ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    grounded, dropped = total("grounding", "grounded"), total("grounding", "dropped")
    metrics["grounding_rate"] = ratio(grounded, grounded + dropped)
    metrics["initiator_accuracy"] = ratio(
        total("initiator", "correct"), total("initiator", "stated")
    )
    metrics["invented_initiator_rate"] = ratio(
        total("initiator", "invented"), total("initiator", "not_stated")
    )
    for name in ("participants", "topics", "outcomes", "follow_ups"):
        tp, gold, pred = (total(name, k) for k in ("tp", "golden", "predicted"))
        *_, f1 = prf(tp, gold, pred)
        metrics[f"micro_f1.{name}"] = round(f1, 4)
    return metrics


# -- comparison with a reference run ------------------------------------------------------------


def _compare_field(
    before: FieldScore | None, after: FieldScore | None, tol: float, name: str
) -> FieldChange:
    if before is None and after is None:
        return FieldChange(field=name, status="not_compared")
    if before is None:
        assert after is not None
        return FieldChange(
            field=name,
            status="added",
            after=after.score,
            after_passed=after.passed,
            reason="not in the reference",
        )
    if after is None:
        return FieldChange(
            field=name,
            status="removed",
            before=before.score,
            before_passed=before.passed,
            reason="no longer scored",
        )
    delta = round(after.score - before.score, 4)
    moved = f"{before.score:.2f} -> {after.score:.2f}"
    status: ChangeStatus
    if before.passed and not after.passed:
        status, reason = "regressed", f"pass -> fail ({moved})"
    elif delta < -tol:
        status, reason = "regressed", f"score dropped {moved} ({delta:+.2f}, tolerance {tol:.2f})"
    elif not before.passed and after.passed:
        status, reason = "improved", f"fail -> pass ({moved})"
    elif delta > tol:
        status, reason = "improved", f"score rose {moved} ({delta:+.2f})"
    else:
        status, reason = "unchanged", f"{delta:+.2f} within tolerance"
    return FieldChange(
        field=name,
        status=status,
        before=before.score,
        after=after.score,
        before_passed=before.passed,
        after_passed=after.passed,
        delta=delta,
        reason=reason,
    )


def _compare_case(before: CaseResult | None, after: CaseResult | None, tol: float) -> CaseChange:
    if before is None:
        assert after is not None
        return CaseChange(
            article_id=after.article_id,
            status="added",
            after_score=after.weighted_score,
            after_passed=after.passed,
            reason="new case: not in the reference",
        )
    if after is None:
        return CaseChange(
            article_id=before.article_id,
            status="removed",
            before_score=before.weighted_score,
            before_passed=before.passed,
            reason="case no longer evaluated",
        )
    if "setup_error" in (before.status, after.status):
        which = "current run" if after.status == "setup_error" else "reference"
        return CaseChange(
            article_id=after.article_id, status="not_compared", reason=f"setup error in the {which}"
        )
    names = [n for n in FIELD_NAMES if before.field(n) is not None or after.field(n) is not None]
    fields = [_compare_field(before.field(n), after.field(n), tol, n) for n in names]
    delta = after.weighted_score - before.weighted_score
    regressed = [f.field for f in fields if f.status == "regressed"]
    improved = [f.field for f in fields if f.status == "improved"]
    notes: list[str] = []
    if before.passed and not after.passed:
        notes.append("case pass -> fail")
    if delta < -tol:
        notes.append(f"weighted score {before.weighted_score:.2f} -> {after.weighted_score:.2f}")
    if regressed:
        notes.append(f"fields regressed: {', '.join(regressed)}")
    status: ChangeStatus
    if notes:
        status = "regressed"
        if improved:
            notes.append(f"fields improved: {', '.join(improved)}")
    elif improved or (not before.passed and after.passed) or delta > tol:
        status = "improved"
        notes.append(f"fields improved: {', '.join(improved)}" if improved else "case improved")
    else:
        status = "unchanged"
        notes.append("no field moved beyond tolerance")
    return CaseChange(
        article_id=after.article_id,
        status=status,
        before_score=before.weighted_score,
        after_score=after.weighted_score,
        before_passed=before.passed,
        after_passed=after.passed,
        reason="; ".join(notes),
        fields=fields,
    )


def compare_runs(
    reference: RunResult,
    current: RunResult,
    tolerance: float,
    kind: Literal["baseline", "prompt"],
    source: str,
) -> Comparison:
    """Per case and per field: what regressed, improved, was added or removed."""
    ids = [c.article_id for c in current.cases]
    ids += [c.article_id for c in reference.cases if c.article_id not in ids]
    return Comparison(
        reference_kind=kind,
        reference=source,
        reference_prompt_version=reference.prompt_version,
        reference_model=reference.model,
        tolerance=tolerance,
        cases=[_compare_case(reference.case(i), current.case(i), tolerance) for i in ids],
    )


# -- the verdict --------------------------------------------------------------------------------


def decide(
    run: RunResult, comparison: Comparison | None, setup_errors: Sequence[SetupError]
) -> Verdict:
    """The single rule behind both the printed verdict and the exit code."""
    if setup_errors:
        kinds = sorted({e.kind.replace("_", " ") for e in setup_errors})
        return Verdict(
            exit_code=EXIT_SETUP,
            status="setup_error",
            headline=f"SETUP ERROR: {', '.join(kinds)} ({len(setup_errors)})",
            reasons=[f"{e.article_id or '-'}: {e.message} -> {e.fix}" for e in setup_errors],
        )
    reasons: list[str] = []
    failed = [c for c in run.cases if not c.passed]
    for case in failed:
        reasons.append(f"{case.article_id}: FAIL: {case.reason}")
    regressed = [c for c in comparison.cases if c.status == "regressed"] if comparison else []
    for change in regressed:
        reasons.append(
            f"{change.article_id}: REGRESSION vs {comparison_name(comparison)}: {change.reason}"
        )
    if not run.cases:
        return Verdict(
            exit_code=EXIT_SETUP,
            status="setup_error",
            headline="SETUP ERROR: no cases to evaluate",
            reasons=["no articles found: check the source folder"],
        )
    if failed or regressed:
        parts = []
        if failed:
            parts.append(f"{len(failed)}/{len(run.cases)} case(s) below threshold")
        if regressed:
            parts.append(f"{len(regressed)} regression(s)")
        return Verdict(
            exit_code=EXIT_FAIL,
            status="fail",
            headline="FAIL: " + ", ".join(parts),
            reasons=reasons,
        )
    headline = f"PASS: {len(run.cases)} case(s) meet their thresholds"
    if comparison is not None:
        headline += f", no regression vs {comparison_name(comparison)}"
        improved = comparison.count("improved")
        if improved and comparison.reference_kind == "baseline":
            # Unrecorded gains are not protected: a later drop back would pass unnoticed.
            headline += f"; {improved} improved (keep them with --update-baseline)"
    return Verdict(exit_code=EXIT_PASS, status="pass", headline=headline, reasons=reasons)


def comparison_name(comparison: Comparison | None) -> str:
    if comparison is None:
        return "nothing"
    if comparison.reference_kind == "baseline":
        return f"baseline {comparison.reference}"
    return f"prompt {comparison.reference} ({comparison.reference_prompt_version})"


# -- readable diffs -----------------------------------------------------------------------------


def describe_case(case: CaseResult, change: CaseChange | None = None) -> str:
    """A plain-text diff of one case: failing fields with what is missing and extra."""
    if case.status == "setup_error":
        return f"{case.article_id}: SETUP ERROR: {case.error}"
    regressed = change is not None and change.status == "regressed"
    verdict = "FAIL" if not case.passed else "REGRESSED" if regressed else "PASS"
    lines = [f"{case.article_id}: {verdict} ({case.reason})"]
    if case.status == "no_brief":
        lines.append(f"  no brief produced: {case.error}")
    width = max((len(f.field) for f in case.fields), default=10)
    changes = {f.field: f for f in change.fields} if change else {}
    for f in case.fields:
        moved = changes.get(f.field)
        notable = not f.passed or (moved is not None and moved.status == "regressed")
        if not notable:
            continue
        flag = "FAIL" if not f.passed else "ok  "
        req = " required" if f.required else ""
        lines.append(
            f"  {flag} {f.field:<{width}} {f.score:.2f} (floor {f.floor:.2f}{req}): {f.reason}"
        )
        if moved is not None and moved.status == "regressed":
            lines.append(f"       {'':<{width}} REGRESSED: {moved.reason}")
        for item in f.missing[:10]:
            lines.append(f"       {'':<{width}} - {item}")
        for item in f.extra[:10]:
            lines.append(f"       {'':<{width}} + {item}")
    if change is not None and change.status in ("regressed", "improved"):
        lines.append(f"  vs reference, {change.status.upper()}: {change.reason}")
    for flaky in case.flaky:
        lines.append(f"  flaky {flaky.field}: scores {flaky.scores}, passes {flaky.passes}")
    return "\n".join(lines)
