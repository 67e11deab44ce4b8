"""Merge events from many briefs into distinct events (pure).

GDELT's idea: one canonical event, many mentions. Briefs that describe the same contact
(compatible type, overlapping participants, same or adjacent date) become one `MergedEvent`
listing every article that reports it; where the reports disagree (initiator, date, place)
the disagreement is kept as a `Conflict` instead of picking one side.

Candidate pairs are found by blocking (type family + date bucket, or exact surname set for
undated events), so the work stays close to linear in the number of events.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from summarize.core.brief import Brief, Event, EventType, Evidence, FollowUp, Outcome, Source

# Reports of one contact may disagree on the date by a day (time zones, "Friday's call"
# reported on Saturday); more than that is another contact.
DATE_TOLERANCE_DAYS = 1
# An undated event may be merged with a dated one reported at most this many days earlier.
REPORTING_LAG_DAYS = 7
# A later contact "meets" a follow-up when it falls this close to the due date
# (summits span days; due dates are the first day of a range).
FOLLOW_UP_WINDOW_DAYS = 3
# Undated events need this much topic similarity (Jaccard over topic stems) to merge.
UNDATED_TOPIC_SIMILARITY = 0.5
# Fuzzy thresholds (rapidfuzz ratio, 0-100).
GIVEN_NAME_SIMILARITY = 80.0
# Surnames shorter than this must match exactly (Rice/Price, Bush/Rush).
MIN_FUZZY_SURNAME = 5
STATEMENT_SIMILARITY = 90.0
TOPIC_SIMILARITY = 90.0
# Quotes shorter than this are too generic to show two outlets quote one statement.
MIN_SHARED_QUOTE = 30

# In-person contacts are reported interchangeably as meetings, talks, visits or sideline
# meetings; a phone call is never the same contact as a meeting.
_TYPE_FAMILY: dict[EventType, str] = {
    EventType.PHONE_CALL: "call",
    EventType.MEETING: "in_person",
    EventType.SUMMIT_SIDELINE: "in_person",
    EventType.TALKS: "in_person",
    EventType.VISIT: "in_person",
    EventType.STATEMENT: "statement",
    EventType.OTHER: "other",
}
# When outlets differ on the type, the most specific one is kept.
_TYPE_SPECIFICITY: tuple[EventType, ...] = (
    EventType.SUMMIT_SIDELINE,
    EventType.VISIT,
    EventType.PHONE_CALL,
    EventType.TALKS,
    EventType.MEETING,
    EventType.STATEMENT,
    EventType.OTHER,
)

# Leading words that are titles, not names ("President Putin", "Secretary of State Kerry").
_HONORIFICS = frozenset(
    {
        "president", "vice", "prime", "minister", "foreign", "secretary", "of", "state",
        "mr", "mrs", "ms", "dr", "sir", "chancellor", "general", "gen", "senator", "sen",
        "ambassador", "us", "russian", "american", "the", "deputy", "national", "security",
        "adviser", "advisor", "special", "envoy", "undersecretary", "under", "assistant",
        "king", "queen", "prince", "premier", "spokesman", "spokeswoman", "press",
    }
)  # fmt: skip
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

# Outlets and readouts name the same side in many ways; these are the common ones.
_AFFILIATION_ALIASES: dict[str, str] = {
    "us": "United States",
    "usa": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "the united states": "United States",
    "america": "United States",
    "american": "United States",
    "american side": "United States",
    "the american side": "United States",
    "us side": "United States",
    "washington": "United States",
    "us government": "United States",
    "white house": "United States",
    "the white house": "United States",
    "russia": "Russia",
    "russian": "Russia",
    "russian federation": "Russia",
    "the russian federation": "Russia",
    "russian side": "Russia",
    "the russian side": "Russia",
    "moscow": "Russia",
    "kremlin": "Russia",
    "the kremlin": "Russia",
    "russian government": "Russia",
}

_STOP_TOPIC_WORDS = frozenset(
    {
        "the", "of", "and", "in", "on", "a", "an", "to", "for", "with", "between", "at",
        "situation", "crisis", "issue", "issues", "conflict", "relations", "bilateral",
        "talks", "war", "process", "s", "us", "usa", "u", "russia", "russian", "american",
    }
)  # fmt: skip


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lowercase, strip accents, drop apostrophes, turn other punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    no_apostrophes = re.sub(r"['\u2019`]", "", no_marks.lower())
    return " ".join(re.sub(r"[^0-9a-z]+", " ", no_apostrophes).split())


def _simple(text: str) -> str:
    """Case- and whitespace-folded text, punctuation kept (for dedup keys)."""
    return " ".join(text.lower().split())


# --- people -----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PersonKey:
    """A name reduced for comparison: surname plus given names, titles dropped."""

    surname: str
    given: tuple[str, ...] = ()

    @property
    def is_bare(self) -> bool:
        return not self.given


@lru_cache(maxsize=65536)
def person_key(name: str) -> PersonKey:
    """Normalise a person's name ("President Vladimir V. Putin" -> putin / vladimir v)."""
    tokens = _fold(name).split()
    while tokens and tokens[-1] in _NAME_SUFFIXES and len(tokens) > 1:
        tokens.pop()
    while len(tokens) > 1 and tokens[0] in _HONORIFICS:
        tokens.pop(0)
    if not tokens:
        return PersonKey(surname=_fold(name) or name.strip().lower())
    return PersonKey(surname=tokens[-1], given=tuple(tokens[:-1]))


def _same_surname(a: str, b: str) -> bool:
    if a == b:
        return True
    # Transliterations differ by a letter (Nuland/Nulland, Lavrov/Lavrow); short names and
    # anything that is not a plain word are too risky to match loosely.
    return (
        a[:1] == b[:1]
        and min(len(a), len(b)) >= MIN_FUZZY_SURNAME
        and a.isalpha()
        and b.isalpha()
        and Levenshtein.distance(a, b, score_cutoff=1) <= 1
    )


def _surname_neighbours(surnames: Iterable[str]) -> dict[str, set[str]]:
    """For each surname, the other surnames it may be a variant of (one edit apart).

    Candidates come from shared one-letter deletions, so no surname is compared with
    every other one.
    """
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for surname in surnames:
        if len(surname) >= MIN_FUZZY_SURNAME and surname.isalpha():
            by_deletion[surname].add(surname)
            for k in range(len(surname)):
                by_deletion[surname[:k] + surname[k + 1 :]].add(surname)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for group in by_deletion.values():
        if len(group) > 1:
            for a in group:
                for b in group:
                    if a != b and _same_surname(a, b):
                        neighbours[a].add(b)
    return neighbours


def _given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    # Transliterated first names: Sergei/Sergey, Barack/Barak.
    return x == y or (x[0] == y[0] and fuzz.ratio(x, y) >= GIVEN_NAME_SIMILARITY)


def same_person(a: PersonKey, b: PersonKey) -> bool:
    """Whether two names can denote the same person ("Putin" ~ "Vladimir Putin")."""
    return _same_surname(a.surname, b.surname) and _given_compatible(a.given, b.given)


def cluster_people(keys: Sequence[PersonKey]) -> list[list[int]]:
    """Group indices of `keys` that denote one person.

    Full names are grouped with each other; a bare surname joins a group only when exactly
    one group can claim it ("Bush" stays apart when both George and Jeb Bush are present).
    """
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    # same_person looks at the surname and the first given name only: equal pairs are one
    # person outright, and only distinct pairs need comparing.
    first_of: dict[tuple[str, str], int] = {}
    bare: list[int] = []
    for i, key in enumerate(keys):
        if key.is_bare:
            bare.append(i)
            continue
        pair = (key.surname, key.given[0])
        if pair in first_of:
            union(i, first_of[pair])
        else:
            first_of[pair] = i
    given_by_surname: dict[str, list[str]] = defaultdict(list)
    for surname, given in first_of:
        given_by_surname[surname].append(given)
    neighbours = _surname_neighbours({*given_by_surname, *(keys[i].surname for i in bare)})

    for (surname, given), i in first_of.items():
        for other in (surname, *sorted(neighbours.get(surname, ()))):
            for other_given in given_by_surname.get(other, ()):
                if (other, other_given) != (surname, given) and _given_compatible(
                    (given,), (other_given,)
                ):
                    union(i, first_of[(other, other_given)])
    for i in bare:
        surname = keys[i].surname
        roots = {
            find(first_of[(other, given)])
            for other in (surname, *neighbours.get(surname, ()))
            for given in given_by_surname.get(other, ())
        }
        if len(roots) == 1:
            union(i, roots.pop())
        else:
            # Bare surnames with no unique owner still group with each other.
            same = next((j for j in bare if j < i and keys[j].surname == surname), None)
            if same is not None and not roots:
                union(i, same)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(keys)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def canonical_affiliation(affiliation: str | None) -> str | None:
    """Map the common spellings of a side to one name ("US", "U.S." -> "United States")."""
    if affiliation is None or not affiliation.strip():
        return None
    return _AFFILIATION_ALIASES.get(_fold(affiliation.replace(".", "")), affiliation.strip())


# Words in an attribution that name a side, checked in order ("a US official", "the Kremlin").
_SIDE_WORDS: tuple[tuple[str, str], ...] = (
    ("kremlin", "Russia"),
    ("putins office", "Russia"),
    ("russian", "Russia"),
    ("russia", "Russia"),
    ("moscow", "Russia"),
    ("white house", "United States"),
    ("state department", "United States"),
    ("pentagon", "United States"),
    ("us", "United States"),
    ("usa", "United States"),
    ("american", "United States"),
    ("washington", "United States"),
)
# Attributions that name no party: the outlet speaking for itself.
_UNATTRIBUTED_WORDS = ("unattributed", "article", "media reports", "correspondent", "reporter")
OUTLET_SIDE = "Reporting outlet"


def side_of(
    stated_by: str,
    people: Sequence[tuple[PersonKey, str | None]] = (),
    outlets: Iterable[str] = (),
) -> tuple[str, bool]:
    """The side an attribution speaks for, and whether that side is a party to the contact.

    A named person counts for their affiliation ("TASS quoting Putin" -> Russia), an
    institution for its country ("Kremlin press office" -> Russia); the outlet's own
    unattributed reporting is no party's account.
    """
    folded = _fold(stated_by.replace(".", ""))
    if not folded or any(w in folded for w in _UNATTRIBUTED_WORDS):
        return OUTLET_SIDE, False
    if any(o and _fold(o) == folded for o in outlets):
        return OUTLET_SIDE, False
    tokens = folded.split()
    for key, affiliation in people:
        if key.surname in tokens:
            side = canonical_affiliation(affiliation)
            if side:
                return side, True
    padded = f" {folded} "
    for phrase, side in _SIDE_WORDS:
        if f" {phrase} " in padded:
            return side, True
    cleaned = re.sub(r"^(the|a|an)\s+", "", stated_by.strip(), flags=re.IGNORECASE)
    return cleaned[:1].upper() + cleaned[1:], True


# --- topics -----------------------------------------------------------------------------


def topic_stems(topics: Iterable[str]) -> frozenset[str]:
    """Content words of the topics, cut to five letters (Syria/Syrian, Ukraine/Ukrainian)."""
    stems: frozenset[str] = frozenset()
    for topic in topics:
        stems |= _stems_of(topic)
    return stems


@lru_cache(maxsize=65536)
def _stems_of(topic: str) -> frozenset[str]:
    return frozenset(
        token[:5]
        for token in _fold(topic).split()
        if token not in _STOP_TOPIC_WORDS and len(token) > 1
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


# --- merged shapes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """One brief's account of an event: GDELT's mention."""

    article_id: str
    source: Source
    event: Event

    @property
    def event_id(self) -> str:
        return self.event.id


@dataclass(frozen=True)
class Sourced:
    """A quote and the mention (article, outlet) it comes from."""

    mention: Mention
    evidence: Evidence


@dataclass(frozen=True)
class MergedPerson:
    name: str
    key: PersonKey
    titles: tuple[str, ...]
    affiliation: str | None
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True)
class MergedInitiator:
    party: str
    basis: str | None
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True)
class MergedOutcome:
    kind: str
    statement: str
    stated_by: tuple[str, ...]
    side: str
    party: bool
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True)
class MergedFollowUp:
    action: str
    responsible: tuple[str, ...]
    due_text: str | None
    due_date: dt.date | None
    evidence: tuple[Sourced, ...]


@dataclass(frozen=True)
class Variant:
    """One version of a disputed fact and the mentions that give it."""

    value: str
    mentions: tuple[Mention, ...]
    evidence: tuple[Sourced, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """Mentions of one event disagree on `field`; every version is kept."""

    field: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class MergedEvent:
    id: str
    event_type: EventType
    date: dt.date | None
    date_texts: tuple[str, ...]
    location: str | None
    participants: tuple[MergedPerson, ...]
    mentioned: tuple[MergedPerson, ...]
    initiator: MergedInitiator | None
    topics: tuple[str, ...]
    outcomes: tuple[MergedOutcome, ...]
    follow_ups: tuple[MergedFollowUp, ...]
    summary: str
    summary_from: Mention
    mentions: tuple[Mention, ...]
    conflicts: tuple[Conflict, ...] = field(default=())

    @property
    def sides(self) -> tuple[str, ...]:
        """Parties whose statements are reported, alphabetically (no side goes first)."""
        return tuple(sorted({o.side for o in self.outcomes if o.party}))

    def conflict(self, name: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field == name), None)


# --- clustering -------------------------------------------------------------------------


def mentions_of(briefs: Iterable[Brief]) -> list[Mention]:
    """Every event of every brief, as mentions in a stable order."""
    mentions = [
        Mention(article_id=b.article_id, source=b.source, event=e) for b in briefs for e in b.events
    ]
    mentions.sort(key=_mention_order)
    return mentions


def _mention_order(m: Mention) -> tuple[bool, dt.date, str, str]:
    published = m.source.published_date
    return (published is None, published or dt.date.min, m.article_id, m.event.id)


@dataclass
class _Profile:
    """What the same-event test needs from a mention, computed once."""

    family: str
    people: tuple[PersonKey, ...]
    surnames: frozenset[str]
    topics: frozenset[str]
    # Two profiles whose forms are disjoint share no one: most pairs in a date bucket are
    # other contacts, and this rules them out without comparing names.
    forms: frozenset[str]


def _profile(m: Mention) -> _Profile:
    people = tuple(person_key(p.name) for p in m.event.participants)
    surnames = frozenset(k.surname for k in people)
    return _Profile(
        family=_TYPE_FAMILY[m.event.event_type],
        people=people,
        surnames=surnames,
        topics=topic_stems(m.event.topics),
        forms=frozenset().union(*map(_surname_forms, surnames)),
    )


@lru_cache(maxsize=65536)
def _surname_forms(surname: str) -> frozenset[str]:
    """The surname and, if it may match loosely, its one-letter deletions.

    Surnames one edit apart share a form (a substitution leaves the same string when the
    changed letter is deleted from both; an insertion, the shorter surname itself).
    """
    if len(surname) < MIN_FUZZY_SURNAME or not surname.isalpha():
        return frozenset((surname,))
    return frozenset((surname, *(surname[:k] + surname[k + 1 :] for k in range(len(surname)))))


def _shared_people(a: Sequence[PersonKey], b: Sequence[PersonKey]) -> int:
    return sum(1 for x in a if any(same_person(x, y) for y in b))


def _dated_match(a: _Profile, b: _Profile) -> bool:
    """Dated within tolerance: participants must overlap enough to rule out other contacts."""
    if not a.people or not b.people or a.forms.isdisjoint(b.forms):
        return False
    shared = _shared_people(a.people, b.people)
    smaller = min(len(a.people), len(b.people))
    if shared < min(2, smaller):
        return False
    if smaller == 1:
        # One named participant says little (Putin holds many calls a day): want a topic too.
        return bool(a.topics & b.topics)
    return True


def _undated_match(a: _Profile, b: _Profile, same_type: bool) -> bool:
    """Without a date to anchor them, only near-identical accounts are merged."""
    return (
        same_type
        and len(a.people) >= 2
        and _shared_people(a.people, b.people) >= min(len(a.people), len(b.people))
        and _jaccard(a.topics, b.topics) >= UNDATED_TOPIC_SIMILARITY
    )


class _Clusters:
    """Union-find over mentions that never joins two events of one article."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.parent = list(range(len(mentions)))
        self.articles: list[set[str]] = [{m.article_id} for m in mentions]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj or self.articles[ri] & self.articles[rj]:
            # An article's extractor already said its events are distinct.
            return
        keep, drop = min(ri, rj), max(ri, rj)
        self.parent[drop] = keep
        self.articles[keep] |= self.articles[drop]
        self.articles[drop] = set()

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return list(out.values())


def cluster_mentions(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Group mentions that report the same event."""
    profiles = [_profile(m) for m in mentions]
    clusters = _Clusters(mentions)

    dated: dict[tuple[str, int], list[int]] = defaultdict(list)
    undated_by_people: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    undated: list[int] = []
    for i, m in enumerate(mentions):
        if m.event.date is not None:
            dated[(profiles[i].family, m.event.date.toordinal())].append(i)
        else:
            undated.append(i)
            undated_by_people[(profiles[i].family, profiles[i].surnames)].append(i)

    for (family, day), members in sorted(dated.items()):
        for offset in range(0, DATE_TOLERANCE_DAYS + 1):
            others = dated.get((family, day + offset), [])
            for i in members:
                forms = profiles[i].forms
                for j in others:
                    # The forms test first: it rules out most pairs for the cost of no call.
                    if (
                        (offset or j > i)
                        and not forms.isdisjoint(profiles[j].forms)
                        and _dated_match(profiles[i], profiles[j])
                    ):
                        clusters.union(i, j)

    for members in undated_by_people.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                same_type = mentions[i].event.event_type == mentions[j].event.event_type
                if _undated_match(profiles[i], profiles[j], same_type):
                    clusters.union(i, j)

    # An undated event reported shortly after a dated one with the same people and topics.
    for i in undated:
        published = mentions[i].source.published_date
        if published is None:
            continue
        for back in range(0, REPORTING_LAG_DAYS + 1):
            day = published.toordinal() - back
            for j in dated.get((profiles[i].family, day), []):
                same_type = mentions[i].event.event_type == mentions[j].event.event_type
                if _undated_match(profiles[i], profiles[j], same_type):
                    clusters.union(i, j)

    return [[mentions[i] for i in sorted(group)] for group in clusters.groups()]


# --- merging one cluster ----------------------------------------------------------------


def _merge_people(
    items: Sequence[tuple[Mention, str, str | None, str | None, Evidence | None]],
) -> tuple[MergedPerson, ...]:
    """Merge (mention, name, title, affiliation, evidence) rows into distinct people."""
    keys = [person_key(name) for _, name, _, _, _ in items]
    people: list[MergedPerson] = []
    for group in cluster_people(keys):
        rows = [items[i] for i in group]
        names = Counter(name.strip() for _, name, _, _, _ in rows)
        # The fullest form wins: "Vladimir Putin" over "Putin".
        name = max(names, key=lambda n: (len(person_key(n).given), names[n], -len(n), n))
        titles = _distinct(t for _, _, t, _, _ in rows if t)
        affiliations = Counter(
            a for a in (canonical_affiliation(r[3]) for r in rows) if a is not None
        )
        affiliation = (
            min(affiliations, key=lambda a: (-affiliations[a], a)) if affiliations else None
        )
        evidence = tuple(Sourced(m, ev) for m, _, _, _, ev in rows if ev is not None)
        people.append(
            MergedPerson(
                name=name,
                key=person_key(name),
                titles=titles,
                affiliation=affiliation,
                evidence=_dedupe_sourced(evidence),
            )
        )
    return tuple(people)


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    """Values without case/space duplicates, most frequent first, then first seen."""
    seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for v in values:
        k = _simple(v)
        seen.setdefault(k, v.strip())
        counts[k] += 1
    order = {k: n for n, k in enumerate(seen)}
    return tuple(seen[k] for k in sorted(seen, key=lambda k: (-counts[k], order[k])))


def _dedupe_sourced(items: Iterable[Sourced]) -> tuple[Sourced, ...]:
    out: dict[tuple[str, int, int], Sourced] = {}
    for s in items:
        out.setdefault((s.mention.article_id, s.evidence.start, s.evidence.end), s)
    return tuple(out.values())


def _party_side(party: str, event: Event) -> str:
    """A stated initiator as a side, so "Obama" and "the US side" compare equal."""
    key = person_key(party)
    for p in event.participants:
        if p.affiliation and same_person(key, person_key(p.name)):
            return canonical_affiliation(p.affiliation) or party
    return canonical_affiliation(party) or party


def _merge_initiator(mentions: Sequence[Mention]) -> tuple[MergedInitiator | None, Conflict | None]:
    by_side: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        ini = m.event.initiator
        if ini.stated and ini.party:
            by_side[_party_side(ini.party, m.event)].append(m)
    if not by_side:
        return None, None
    variants = tuple(
        Variant(
            value=side,
            mentions=tuple(ms),
            evidence=tuple(
                Sourced(m, m.event.initiator.evidence)
                for m in ms
                if m.event.initiator.evidence is not None
            ),
        )
        for side, ms in by_side.items()
    )
    if len(variants) > 1:
        # Outlets disagree on who called: keep both, choose neither.
        return None, Conflict(field="initiator", variants=variants)
    only = variants[0]
    basis = next((m.event.initiator.basis for m in only.mentions if m.event.initiator.basis), None)
    return MergedInitiator(party=only.value, basis=basis, evidence=only.evidence), None


def _merge_outcomes(mentions: Sequence[Mention]) -> tuple[MergedOutcome, ...]:
    people = [
        (person_key(p.name), p.affiliation)
        for m in mentions
        for p in [*m.event.participants, *m.event.mentioned]
    ]
    outlets = sorted({m.source.outlet for m in mentions if m.source.outlet})
    groups: list[list[tuple[Mention, int]]] = []
    sides: list[tuple[str, bool]] = []
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for m in mentions:
        for n, o in enumerate(m.event.outcomes):
            attribution = side_of(o.stated_by, people, outlets)
            block = (attribution[0], o.kind.value)
            target = next(
                (g for g in index[block] if _same_claim(o, _outcome(groups[g][0]))),
                None,
            )
            if target is None:
                index[block].append(len(groups))
                groups.append([(m, n)])
                sides.append(attribution)
            else:
                groups[target].append((m, n))
    merged: list[MergedOutcome] = []
    for group, (side, party) in zip(groups, sides, strict=True):
        first = _outcome(group[0])
        merged.append(
            MergedOutcome(
                kind=first.kind.value,
                statement=first.statement,
                stated_by=_distinct(_outcome(r).stated_by for r in group),
                side=side,
                party=party,
                evidence=_dedupe_sourced(Sourced(m, _outcome((m, n)).evidence) for m, n in group),
            )
        )
    return tuple(merged)


def _same_claim(a: Outcome, b: Outcome) -> bool:
    """Same wording, or the same readout sentence quoted by two outlets."""
    if fuzz.token_set_ratio(_fold(a.statement), _fold(b.statement)) >= STATEMENT_SIMILARITY:
        return True
    qa, qb = _fold(a.evidence.quote), _fold(b.evidence.quote)
    return (
        min(len(qa), len(qb)) >= MIN_SHARED_QUOTE
        and fuzz.partial_ratio(qa, qb) >= STATEMENT_SIMILARITY
    )


def _outcome(row: tuple[Mention, int]) -> Outcome:
    return row[0].event.outcomes[row[1]]


def _merge_follow_ups(mentions: Sequence[Mention]) -> tuple[MergedFollowUp, ...]:
    groups: list[list[tuple[Mention, int]]] = []
    for m in mentions:
        for n, f in enumerate(m.event.follow_ups):
            target = next(
                (
                    g
                    for g in groups
                    if _follow_up(g[0]).due_date == f.due_date
                    and fuzz.token_set_ratio(_fold(f.action), _fold(_follow_up(g[0]).action))
                    >= STATEMENT_SIMILARITY
                ),
                None,
            )
            if target is None:
                groups.append([(m, n)])
            else:
                target.append((m, n))
    merged: list[MergedFollowUp] = []
    for group in groups:
        first = _follow_up(group[0])
        merged.append(
            MergedFollowUp(
                action=first.action,
                responsible=_distinct(r for row in group for r in _follow_up(row).responsible),
                due_text=first.due_text,
                due_date=first.due_date,
                evidence=_dedupe_sourced(Sourced(m, _follow_up((m, n)).evidence) for m, n in group),
            )
        )
    return tuple(merged)


def _follow_up(row: tuple[Mention, int]) -> FollowUp:
    return row[0].event.follow_ups[row[1]]


def _merge_topics(mentions: Sequence[Mention]) -> tuple[str, ...]:
    kept: list[str] = []
    for m in mentions:
        for topic in m.event.topics:
            folded = _fold(topic)
            if not any(fuzz.ratio(folded, _fold(k)) >= TOPIC_SIMILARITY for k in kept):
                kept.append(topic.strip())
    return tuple(kept)


def _value_conflict(
    name: str, mentions: Sequence[Mention], value: dict[str, str | None]
) -> tuple[str | None, Conflict | None]:
    """The most reported value (ties: first seen) and a conflict when mentions differ."""
    by_value: dict[str, list[Mention]] = defaultdict(list)
    display: dict[str, str] = {}
    for m in mentions:
        v = value[m.event.id]
        if v is None or not v.strip():
            continue
        k = _fold(v)
        display.setdefault(k, v.strip())
        by_value[k].append(m)
    if not by_value:
        return None, None
    order = {k: n for n, k in enumerate(by_value)}
    best = min(by_value, key=lambda k: (-len(by_value[k]), order[k]))
    conflict = None
    keys = list(by_value)
    # "Moscow" vs "the Kremlin, Moscow" is detail, not disagreement.
    distinct = [k for k in keys if not any(k != o and k in o for o in keys)]
    if len(distinct) > 1:
        conflict = Conflict(
            field=name,
            variants=tuple(Variant(value=display[k], mentions=tuple(by_value[k])) for k in keys),
        )
    return display[best], conflict


def merge_cluster(event_id: str, mentions: Sequence[Mention]) -> MergedEvent:
    """One canonical event from the mentions that report it."""
    conflicts: list[Conflict] = []

    dates = Counter(m.event.date for m in mentions if m.event.date is not None)
    date = min(dates, key=lambda d: (-dates[d], d)) if dates else None
    if len(dates) > 1:
        conflicts.append(
            Conflict(
                field="date",
                variants=tuple(
                    Variant(
                        value=d.isoformat(),
                        mentions=tuple(m for m in mentions if m.event.date == d),
                    )
                    for d in sorted(dates)
                ),
            )
        )

    types = Counter(m.event.event_type for m in mentions)
    event_type = min(types, key=lambda t: (_TYPE_SPECIFICITY.index(t), -types[t]))
    if len(types) > 1:
        conflicts.append(
            Conflict(
                field="event type",
                variants=tuple(
                    Variant(
                        value=t.value,
                        mentions=tuple(m for m in mentions if m.event.event_type == t),
                    )
                    for t in sorted(types, key=_TYPE_SPECIFICITY.index)
                ),
            )
        )

    location, location_conflict = _value_conflict(
        "place", mentions, {m.event.id: m.event.location for m in mentions}
    )
    if location_conflict:
        conflicts.append(location_conflict)

    initiator, initiator_conflict = _merge_initiator(mentions)
    if initiator_conflict:
        conflicts.append(initiator_conflict)

    participants = _merge_people(
        [
            (m, p.name, p.title, p.affiliation, p.evidence)
            for m in mentions
            for p in m.event.participants
        ]
    )
    mentioned = _merge_people(
        [(m, p.name, p.title, p.affiliation, None) for m in mentions for p in m.event.mentioned]
    )
    # Someone who took part per one outlet and is "mentioned" per another took part.
    mentioned = tuple(
        p for p in mentioned if not any(same_person(p.key, q.key) for q in participants)
    )

    # The summary of the fullest account (most grounded items) speaks for the event.
    richest = max(
        mentions,
        key=lambda m: len(m.event.participants) + len(m.event.outcomes) + len(m.event.follow_ups),
    )
    return MergedEvent(
        id=event_id,
        event_type=event_type,
        date=date,
        date_texts=_distinct(m.event.date_text for m in mentions if m.event.date_text),
        location=location,
        participants=participants,
        mentioned=mentioned,
        initiator=initiator,
        topics=_merge_topics(mentions),
        outcomes=_merge_outcomes(mentions),
        follow_ups=_merge_follow_ups(mentions),
        summary=richest.event.summary,
        summary_from=richest,
        mentions=tuple(mentions),
        conflicts=tuple(conflicts),
    )


def merge_briefs(briefs: Iterable[Brief]) -> list[MergedEvent]:
    """Distinct events across the briefs, dated ones by date, undated last; ids E1, E2, ..."""
    ordered = sorted(briefs, key=lambda b: b.article_id)
    clusters = cluster_mentions(mentions_of(ordered))

    def order(cluster: list[Mention]) -> tuple[bool, dt.date, str, str]:
        dates = Counter(m.event.date for m in cluster if m.event.date is not None)
        date = min(dates, key=lambda d: (-dates[d], d)) if dates else None
        first = min(m.event.id for m in cluster)
        return (date is None, date or dt.date.min, cluster[0].event.event_type.value, first)

    clusters.sort(key=order)
    return [merge_cluster(f"E{n}", c) for n, c in enumerate(clusters, start=1)]


# --- follow-ups -------------------------------------------------------------------------


class FollowUpStatus(StrEnum):
    MET = "met"
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class TrackedFollowUp:
    follow_up: MergedFollowUp
    event: MergedEvent
    status: FollowUpStatus
    met_by: MergedEvent | None = None


def track_follow_ups(events: Sequence[MergedEvent], as_of: dt.date) -> list[TrackedFollowUp]:
    """Match each follow-up to a later event with shared people near its due date.

    A follow-up without a due date cannot be matched and stays open; it is overdue only
    when a due date has passed `as_of`.
    """
    by_day: dict[int, list[MergedEvent]] = defaultdict(list)
    for e in events:
        if e.date is not None:
            by_day[e.date.toordinal()].append(e)

    tracked: list[TrackedFollowUp] = []
    for event in events:
        for fu in event.follow_ups:
            met_by = _meeting_of(event, fu, by_day)
            if met_by is not None:
                status = FollowUpStatus.MET
            elif fu.due_date is not None and fu.due_date < as_of:
                status = FollowUpStatus.OVERDUE
            else:
                status = FollowUpStatus.OPEN
            tracked.append(TrackedFollowUp(follow_up=fu, event=event, status=status, met_by=met_by))
    return tracked


def _meeting_of(
    event: MergedEvent, fu: MergedFollowUp, by_day: dict[int, list[MergedEvent]]
) -> MergedEvent | None:
    if fu.due_date is None:
        return None
    who = [person_key(r) for r in fu.responsible] or [p.key for p in event.participants]
    due = fu.due_date.toordinal()
    candidates = [
        e
        for day in range(due - FOLLOW_UP_WINDOW_DAYS, due + FOLLOW_UP_WINDOW_DAYS + 1)
        for e in by_day.get(day, [])
        if e.id != event.id and (event.date is None or (e.date is not None and e.date > event.date))
    ]
    due_date = fu.due_date
    for e in sorted(candidates, key=lambda e: (abs((e.date or due_date) - due_date), e.id)):
        if _shared_people(who, [p.key for p in e.participants]) >= min(2, len(who)):
            return e
    return None


# --- who's who --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonEntry:
    name: str
    titles: tuple[str, ...]
    affiliation: str | None
    took_part_in: tuple[str, ...]
    mentioned_in: tuple[str, ...]


def who_is_who(events: Sequence[MergedEvent]) -> list[PersonEntry]:
    """Everyone named in the events, one entry per person, sorted by affiliation and name."""
    rows: list[tuple[MergedPerson, str, bool]] = [
        (p, e.id, True) for e in events for p in e.participants
    ] + [(p, e.id, False) for e in events for p in e.mentioned]
    entries: list[PersonEntry] = []
    for group in cluster_people([p.key for p, _, _ in rows]):
        members = [rows[i] for i in group]
        names = Counter(p.name for p, _, _ in members)
        name = max(names, key=lambda n: (len(person_key(n).given), names[n], -len(n), n))
        affiliations = Counter(p.affiliation for p, _, _ in members if p.affiliation)
        entries.append(
            PersonEntry(
                name=name,
                titles=_distinct(t for p, _, _ in members for t in p.titles),
                affiliation=(
                    min(affiliations, key=lambda a: (-affiliations[a], a)) if affiliations else None
                ),
                took_part_in=_ids_in_order(e for _, e, took in members if took),
                mentioned_in=_ids_in_order(e for _, e, took in members if not took),
            )
        )
    entries.sort(
        key=lambda p: (p.affiliation is None, p.affiliation or "", person_key(p.name), p.name)
    )
    return entries


def _ids_in_order(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids), key=lambda i: int(i[1:]) if i[1:].isdigit() else 0))
