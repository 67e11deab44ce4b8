"""Each field of a produced brief compared with its golden brief (pure: no I/O).

Events are aligned first; then every field gets a comparator chosen by its kind (exact, fuzzy
short text, date, item set, per-event scalar) and yields a `RawScore`: a score 0..1 and a reason
a human can act on, before the field's rule (weight, floor) is applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from summarize.core.brief import Brief, Event
from summarize.evaluation.align import (
    Alignment,
    Pairing,
    align_events,
    normalise,
    pair_items,
    participant_names,
    prf,
    similarity,
    strict_similarity,
)
from summarize.evaluation.config import ScoringConfig

_FILLER = frozenset({"the", "side", "party"})


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


@dataclass(frozen=True)
class RawScore:
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


def _fuzzy_short(expected: str | None, got: str | None, what: str) -> RawScore:
    if not expected and not got:
        return RawScore(1.0, f"both empty: the article gives no {what}")
    if not expected:
        return RawScore(0.0, f"the golden has no {what}, got {_quote(got or '')}", None, got)
    if not got:
        return RawScore(0.0, f"{what} missing: expected {_quote(expected)}", expected, None)
    score = strict_similarity(expected, got) / 100
    if score == 1.0:
        return RawScore(1.0, f"{what} matches", expected, got)
    return RawScore(
        score,
        f"{what} similarity {score:.2f}: expected {_quote(expected)}, got {_quote(got)}",
        expected,
        got,
    )


def _exact_date(expected: dt.date | None, got: dt.date | None, what: str) -> RawScore:
    e, g = (str(expected) if expected else None), (str(got) if got else None)
    if expected == got:
        if expected is None:
            return RawScore(1.0, f"both empty: no resolvable {what}", e, g, counts={"exact": 1})
        return RawScore(1.0, f"{what} {e} matches", e, g, counts={"exact": 1})
    if expected is None:
        return RawScore(0.0, f"{what} {g} given where the golden leaves it unresolved", e, g)
    if got is None:
        return RawScore(0.0, f"{what} missing: expected {e}", e, g)
    if abs((expected - got).days) == 1:
        return RawScore(
            0.5,
            f"{what} off by one day: expected {e}, got {g} (check the relative-date anchor)",
            e,
            g,
            counts={"within_one_day": 1},
        )
    return RawScore(0.0, f"{what} wrong: expected {e}, got {g}", e, g)


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

    def result(self, what: str) -> RawScore:
        precision, recall, f1 = prf(self.tp, self.golden, self.predicted)
        counts = {"tp": self.tp, "golden": self.golden, "predicted": self.predicted}
        if self.golden == 0 and self.predicted == 0:
            return RawScore(1.0, f"no {what} expected and none given", counts=counts)
        head = f"F1 {f1:.2f} (P {precision:.2f}, R {recall:.2f}; {self.tp}/{self.golden} found)"
        parts = [head]
        if self.missing:
            parts.append(f"missing {_listing(self.missing)}")
        if self.extra:
            parts.append(f"extra {_listing(self.extra)}")
        if not self.missing and not self.extra:
            parts.append(f"all {what} match")
        return RawScore(
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
) -> tuple[RawScore, list[tuple[Event, Event, Pairing]]]:
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
    compare: Callable[[Event, Event], RawScore],
    when_missing: Callable[[Event], RawScore] | None = None,
) -> RawScore:
    """A scalar field averaged over golden events; unmatched golden events score 0."""
    g_events, p_events = ev.golden.events, ev.predicted.events
    if not g_events:
        if p_events:
            return RawScore(0.0, f"no event expected, but {len(p_events)} predicted")
        return RawScore(1.0, "no event expected and none predicted")
    results: list[tuple[int, RawScore]] = []
    for gi, pj in ev.alignment.pairs:
        results.append((gi, compare(g_events[gi], p_events[pj])))
    for gi in ev.alignment.missing:
        missing = (
            when_missing(g_events[gi])
            if when_missing is not None
            else RawScore(0.0, "the golden event has no predicted counterpart")
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
        return RawScore(score, only.reason, only.expected, only.got, counts=counts)
    reason = "; ".join(f"#{gi + 1}: {r.reason}" for gi, r in results)
    expected = "; ".join(f"#{gi + 1}: {r.expected}" for gi, r in results)
    got = "; ".join(f"#{gi + 1}: {r.got}" for gi, r in results)
    return RawScore(score, reason, expected, got, counts=counts)


def _compare_initiator(g: Event, p: Event, config: ScoringConfig) -> RawScore:
    aliases = config.aliases
    gi, pi = g.initiator, p.initiator
    if not gi.stated:
        if pi.stated:
            return RawScore(
                0.0,
                f"INVENTED initiator {_quote(pi.party or '')}: the article states none",
                "not stated",
                pi.party,
                counts={"not_stated": 1, "invented": 1},
            )
        return RawScore(
            1.0, "correctly left unstated", "not stated", "not stated", counts={"not_stated": 1}
        )
    if not pi.stated:
        return RawScore(
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
        return RawScore(
            1.0,
            f"initiator {_quote(pi.party or '')} matches",
            gi.party,
            pi.party,
            counts={"stated": 1, "correct": 1},
        )
    # "Obama called Putin": naming the leader of the initiating side is the same claim.
    for person in g.participants:
        if (
            similarity(person.name, pi.party) >= config.matching.names
            and _canonical_party(person.affiliation, aliases) == want
        ):
            return RawScore(
                1.0,
                f"initiator {_quote(pi.party or '')} is {person.name} of {gi.party}",
                gi.party,
                pi.party,
                counts={"stated": 1, "correct": 1},
            )
    return RawScore(
        0.0,
        f"wrong initiator: expected {_quote(gi.party or '')}, got {_quote(pi.party or '')}",
        gi.party,
        pi.party,
        counts={"stated": 1},
    )


def _initiator(ev: _EventPairs) -> RawScore:
    def missing(g: Event) -> RawScore:
        key = "stated" if g.initiator.stated else "not_stated"
        return RawScore(0.0, "the golden event has no predicted counterpart", counts={key: 1})

    return _per_event(ev, "initiator", lambda g, p: _compare_initiator(g, p, ev.config), missing)


def _attribution(
    paired: list[tuple[Event, Event, Pairing]], config: ScoringConfig, n_golden: int
) -> tuple[RawScore, RawScore]:
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
            ok = RawScore(1.0, "no outcomes expected")
            return ok, ok
        none = RawScore(0.0, "no outcome paired with the golden's, so none could be checked")
        return none, none

    def raw(right: int, wrong: list[str], what: str) -> RawScore:
        counts = {"paired": total, "right": right}
        head = f"{right}/{total} paired outcomes have the right {what}"
        if wrong:
            return RawScore(
                right / total,
                f"{head}; {len(wrong)} wrong, e.g. {wrong[0]}",
                missing=tuple(wrong),
                counts=counts,
            )
        return RawScore(1.0, head, counts=counts)

    return raw(right_by, wrong_by, "source (stated_by)"), raw(right_kind, wrong_kind, "kind")


def _grounding(predicted: Brief) -> RawScore:
    grounded = sum(
        len(e.participants) + len(e.outcomes) + len(e.follow_ups) + (1 if e.initiator.stated else 0)
        for e in predicted.events
    )
    # Weak items are kept with evidence; a repeated event is no evidence failure.
    lost = [w for w in predicted.warnings if w.kind == "dropped"]
    dropped = len(lost)
    counts = {"grounded": grounded, "dropped": dropped}
    if grounded + dropped == 0:
        return RawScore(1.0, "no evidence items to verify", counts=counts)
    rate = grounded / (grounded + dropped)
    reason = f"{grounded}/{grounded + dropped} items had verifiable evidence"
    if dropped:
        reason += f"; dropped: {_listing([w.path for w in lost], 5)}"
    return RawScore(
        rate,
        reason,
        missing=tuple(f"{w.path}: {w.quote}" for w in lost),
        counts=counts,
    )


def _event_count(golden: Brief, predicted: Brief) -> RawScore:
    g, p = len(golden.events), len(predicted.events)
    e, got = str(g), str(p)
    if g == p:
        return RawScore(1.0, f"{g} event(s) as expected", e, got)
    score = min(g, p) / max(g, p)
    why = f"expected {g} event(s), got {p}"
    if p == 0 and predicted.no_event_reason:
        why += f" (the model said: {_quote(predicted.no_event_reason)})"
    return RawScore(score, why, e, got)


def _event_type(g: Event, p: Event) -> RawScore:
    if g.event_type == p.event_type:
        return RawScore(
            1.0, f"event type {p.event_type} matches", str(g.event_type), str(p.event_type)
        )
    return RawScore(
        0.0,
        f"event type wrong: expected {g.event_type}, got {p.event_type}",
        str(g.event_type),
        str(p.event_type),
    )


def raw_scores(golden: Brief, predicted: Brief, config: ScoringConfig) -> dict[str, RawScore]:
    """Every field's comparison, before rules are applied."""
    alignment = align_events(golden.events, predicted.events, config)
    ev = _EventPairs(golden, predicted, alignment, config)
    m = config.matching

    def spans(kind: str) -> Callable[[Event], list[tuple[int, int]]]:
        def get(e: Event) -> list[tuple[int, int]]:
            items = e.outcomes if kind == "outcomes" else e.follow_ups
            return [(x.evidence.start, x.evidence.end) for x in items]

        return get

    participants, _ = _set_field(ev, "participants", participant_names, m.names)
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
        "event_type": _per_event(ev, "event_type", _event_type),
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
