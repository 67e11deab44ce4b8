"""When the accounts of one contact disagree, as opposed to saying different things (pure).

Two sides' readouts of a call stress different points: that is the neutral "accounts by
side" view, not divergence. Divergence is what the tool can show to conflict:

- reports of one contact giving different facts: initiator, date, place, status (held
  against cancelled), each version with its sources (see `merging`);
- an outcome one side or outlet gives as agreed or decided that another gives as disagreed,
  or that another denies, on the same subject: most of the distinctive words of the shorter
  statement recur in the other (`core.support.subject_stems`); agreed against disagreed
  also when both statements name one of the event's topics ("Syria");
- one side denying that the contact took place ("There was no conversation") while another
  account reports it (a status conflict).

Statements by both parties ("both leaders", "the two sides") speak for no one side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from summarize.core.brief import EventStatus
from summarize.core.support import subject_stems as _subject_stems
from summarize.memo.events import Conflict, Mention, MergedOutcome, Variant
from summarize.memo.folding import fold

# Share of the shorter statement's subject words the other must repeat to be about it.
SAME_SUBJECT = 2 / 3
_POSITIVE = ("agreed", "decided")
# Words that deny a claim, in the corpus languages (folded to ASCII, lower case).
_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ial)|refut\w*|not true|false|untrue|dementi\w*|desminti\w*|desment\w*|"
    r"neg(?:o|ou|aron)\b|bestritt\w*|bestreit\w*|oproverg\w*|otritsa\w*)",
)
_HAN_DENIAL = ("否认", "否認", "否定", "辟谣", "闢謠")
# A denial that the contact itself took place ("There was no conversation", "denied reports
# that Trump had spoken to Putin"), folded to ASCII.
_CONTACT_DENIAL = re.compile(
    r"\b(?:was|were|had been) no (?:phone |telephone )?"
    r"(?:call|conversation|talks?|meeting|contact)\b"
    r"|\bden(?:y|ies|ied)\b(?: \w+){0,6}? (?:spoke|spoken|talked|met|call|conversation|"
    r"meeting|talks|phone call) (?:took place|had taken place|happened|with|between|took)\b"
    r"|\bden(?:y|ies|ied)\b(?: \w+){0,6}? (?:had )?(?:spoken|spoke|talked|met)\b"
    r"|\b(?:did not|never|didnt) (?:speak|talk|meet|hold (?:a|any) (?:call|conversation))\b"
    r"|\b(?:call|conversation|meeting|talks) (?:did not|never) (?:take place|happen)\b"
    r"|\bne bylo (?:razgovora|peregovorov|vstrechi)\b|\bnicht (?:miteinander )?telefoniert\b"
    r"|\bkein(?:e|en)? (?:telefonat|gesprach|treffen)\b"
    r"|\bpas eu (?:d|de) (?:entretien|conversation)\b"
    r"|\bno hubo (?:llamada|conversacion|reunion)\b|\bnao houve (?:telefonema|conversa|reuniao)\b"
)


# Statements recur across the outcomes of a folder: their stems are worked out once.
subject_stems = lru_cache(maxsize=65536)(_subject_stems)


@lru_cache(maxsize=65536)
def denies(statement: str) -> bool:
    """Whether the statement denies something ("the Kremlin denied ...", "中方否認")."""
    if any(w in statement for w in _HAN_DENIAL):
        return True
    return bool(_DENIAL.search(fold(statement)))


@lru_cache(maxsize=65536)
def denies_contact(statement: str) -> bool:
    """Whether the statement denies that the contact took place."""
    return bool(_CONTACT_DENIAL.search(fold(statement)))


def _same_subject(a: str, b: str) -> bool:
    """Most of the shorter statement's distinctive words recur in the other."""
    sa, sb = subject_stems(a), subject_stems(b)
    smaller = min(len(sa), len(sb))
    return smaller > 0 and len(sa & sb) >= SAME_SUBJECT * smaller


def _same_topic(a: str, b: str, topics: frozenset[str]) -> bool:
    """Both statements name one of the event's topics ("Syria")."""
    return bool(subject_stems(a) & subject_stems(b) & topics)


def _opposed(a: MergedOutcome, b: MergedOutcome) -> bool:
    """One account gives as agreed what the other gives as disagreed, or denies."""
    if a.kind in _POSITIVE and b.kind == "disagreed" and not denies(a.statement):
        return True
    return denies(b.statement) and not denies(a.statement) and a.kind != "disagreed"


def _apart(a: MergedOutcome, b: MergedOutcome) -> bool:
    """Different sides, or different articles: one account does not contradict itself."""
    if a.side != b.side:
        return True
    articles_a = {s.mention.article_id for s in a.evidence}
    articles_b = {s.mention.article_id for s in b.evidence}
    return articles_a.isdisjoint(articles_b)


def _distinct(mentions: Iterable[Mention]) -> tuple[Mention, ...]:
    """Each mention once, in order (mentions hold briefs' models: keyed by event id)."""
    return tuple({m.event_id: m for m in mentions}.values())


def _variant(o: MergedOutcome) -> Variant:
    kind = "denies" if denies(o.statement) else o.kind
    return Variant(
        value=f"{o.side}, {kind}: {o.statement}",
        mentions=_distinct(s.mention for s in o.evidence),
        evidence=o.evidence,
    )


def _kinds_clash(a: MergedOutcome, b: MergedOutcome) -> bool:
    """Agreed or decided against disagreed."""
    return (a.kind in _POSITIVE and b.kind == "disagreed") or (
        b.kind in _POSITIVE and a.kind == "disagreed"
    )


def _contradict(a: MergedOutcome, b: MergedOutcome, topics: frozenset[str]) -> bool:
    if not _apart(a, b):
        return False
    if _same_subject(a.statement, b.statement):
        return _opposed(a, b) or _opposed(b, a)
    # Contradictory kinds on one of the event's topics, even worded apart.
    return _kinds_clash(a, b) and _same_topic(a.statement, b.statement, topics)


def outcome_conflicts(
    outcomes: Sequence[MergedOutcome], mentions: Sequence[Mention], topics: Sequence[str] = ()
) -> tuple[Conflict, ...]:
    """Outcomes that contradict each other (conflicts on "outcome"), and a denial that the
    contact took place against an account of it (a conflict on "status")."""
    found: list[Conflict] = []
    topic_stems = frozenset().union(*(subject_stems(t) for t in topics))
    denials = [o for o in outcomes if denies_contact(o.statement)]
    for d in denials:
        # Another side's account of what was said, or a report that it took place.
        accounts = [o for o in outcomes if o.side != d.side and not denies(o.statement)]
        held = tuple(m for m in mentions if m.event.status is EventStatus.HELD)
        if accounts or held:
            said = _distinct(s.mention for o in accounts for s in o.evidence)
            found.append(
                Conflict(
                    field="status",
                    variants=(
                        Variant(
                            value="took place",
                            mentions=_distinct((*held, *said)),
                            evidence=tuple(s for o in accounts for s in o.evidence),
                        ),
                        Variant(
                            value=f"denied ({d.side}): {d.statement}",
                            mentions=_distinct(s.mention for s in d.evidence),
                            evidence=d.evidence,
                        ),
                    ),
                )
            )
    for i, a in enumerate(outcomes):
        for b in outcomes[i + 1 :]:
            if a in denials or b in denials:
                continue
            if _contradict(a, b, topic_stems):
                found.append(Conflict(field="outcome", variants=(_variant(a), _variant(b))))
    return tuple(found)
