"""Which mentions report the same contact (compatible type, overlapping participants, same
or adjacent date; for undated reports, publication dates), and by which rule.

Candidate pairs are found by blocking (type family + date bucket, or exact surname set for
undated events), so the work stays close to linear in the number of events.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from summarize.core.brief import EventType
from summarize.memo.events import Mention
from summarize.memo.folding import fold
from summarize.memo.people import (
    PersonKey,
    canonical_affiliation,
    person_keys,
    same_any,
    surname_forms,
)
from summarize.memo.topics import jaccard, topic_stems

# Reports of one contact may disagree on the date by a day (time zones, "Friday's call"
# reported on Saturday); more than that is another contact.
DATE_TOLERANCE_DAYS = 1
# An undated event may be merged with a dated one reported at most this many days earlier.
REPORTING_LAG_DAYS = 7
# Undated events need this much topic similarity (Jaccard over topic stems) to merge.
UNDATED_TOPIC_SIMILARITY = 0.5

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


# The rule behind each kind of join, as the memo names it.
RULE_DATED = "same date (within a day), same kind of contact, same participants"
RULE_UNDATED = (
    "undated reports: same type, same participants, same subject, published within a week"
)
RULE_PUBLISHED = (
    "undated report published within a day of a dated report of the contact: "
    "same type, same participants"
)
RULE_LAG = (
    "undated report published within a week of a dated contact: "
    "same type, same participants, same topics"
)


@dataclass(slots=True)
class _Profile:
    """What the same-event test needs from a mention, computed once."""

    family: str
    # Each participant's keys (see `person_keys`) and, when they are the only one of their
    # side, their role (side, title): reports in other languages spell leaders differently.
    people: tuple[tuple[PersonKey, ...], ...]
    roles: tuple[tuple[str, str] | None, ...]
    surnames: frozenset[str]
    # One surname per participant, their short name's when they have one: the block
    # undated reports are compared within.
    primary: frozenset[str]
    topics: frozenset[str]
    initiator: str | None
    # Two profiles whose forms are disjoint share no one: most pairs in a date bucket are
    # other contacts, and this rules them out without comparing names.
    forms: frozenset[str]
    # The roles that are set (a side's only leader): None is no role, and shares nothing.
    role_set: frozenset[tuple[str, str]] = frozenset()


def _profile(m: Mention) -> _Profile:
    people = tuple(person_keys(p.name, p.short_name) for p in m.event.participants)
    surnames = frozenset(k.surname for keys in people for k in keys)
    sides = Counter(canonical_affiliation(p.affiliation) for p in m.event.participants)
    roles = tuple(
        (side, fold(p.title)) if side and p.title and sides[side] == 1 else None
        for p, side in ((p, canonical_affiliation(p.affiliation)) for p in m.event.participants)
    )
    ini = m.event.initiator
    return _Profile(
        family=_TYPE_FAMILY[m.event.event_type],
        people=people,
        roles=roles,
        surnames=surnames,
        primary=frozenset(keys[-1].surname for keys in people),
        topics=topic_stems(m.event.topics),
        initiator=fold(ini.party) if ini.stated and ini.party else None,
        forms=frozenset().union(*map(surname_forms, surnames)),
        role_set=frozenset(r for r in roles if r is not None),
    )


def _shared(a: _Profile, b: _Profile) -> int:
    """How many of `a`'s participants are in `b`: by name, or as the one leader of a side."""
    return sum(
        1
        for keys, role in zip(a.people, a.roles, strict=True)
        if (role is not None and role in b.role_set)
        or any(same_any(keys, other) for other in b.people)
    )


def _dated_match(a: _Profile, b: _Profile) -> bool:
    """Dated within tolerance: participants must overlap enough to rule out other contacts."""
    if not a.people or not b.people:
        return False
    if a.forms.isdisjoint(b.forms) and a.role_set.isdisjoint(b.role_set):
        return False
    shared = _shared(a, b)
    smaller = min(len(a.people), len(b.people))
    if shared < min(2, smaller):
        return False
    if smaller == 1:
        # One named participant says little (Putin holds many calls a day): want a topic too.
        return bool(a.topics & b.topics)
    return True


def _all_shared(a: _Profile, b: _Profile) -> bool:
    smaller, larger = sorted((a, b), key=lambda p: len(p.people))
    return bool(smaller.people) and _shared(smaller, larger) >= len(smaller.people)


def _undated_match(a: _Profile, b: _Profile, same_type: bool) -> bool:
    """Without a date to anchor them, only near-identical accounts are merged: the same
    people and topics, or the same people, caller and subject."""
    if not same_type or len(a.people) < 2 or not _all_shared(a, b):
        return False
    same_caller = a.initiator is not None and a.initiator == b.initiator
    return jaccard(a.topics, b.topics) >= UNDATED_TOPIC_SIMILARITY or (
        same_caller and bool(a.topics & b.topics)
    )


def _published_match(a: _Profile, b: _Profile, same_type: bool) -> bool:
    """An undated report and a dated one published within a day: one contact when the type
    and every participant of the smaller account agree."""
    return same_type and max(len(a.people), len(b.people)) >= 2 and _all_shared(a, b)


# What `_profile` reads of a mention: type, participants (name, short name, side, title),
# topics, and whether and whom it says called.
_ProfileKey = tuple[
    EventType,
    tuple[tuple[str, str | None, str | None, str | None], ...],
    tuple[str, ...],
    bool,
    str | None,
]


def _profile_key(m: Mention) -> _ProfileKey:
    ini = m.event.initiator
    return (
        m.event.event_type,
        tuple((p.name, p.short_name, p.affiliation, p.title) for p in m.event.participants),
        tuple(m.event.topics),
        ini.stated,
        ini.party,
    )


class _PairTests:
    """The same-event tests, each run once per pair of (shared) profiles."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int, int, bool], bool] = {}

    def _test(self, kind: str, a: _Profile, b: _Profile, same_type: bool) -> bool:
        key = (kind, id(a), id(b), same_type)
        found = self._seen.get(key)
        if found is None:
            if kind == "dated":
                found = _dated_match(a, b)
            elif kind == "undated":
                found = _undated_match(a, b, same_type)
            else:
                found = _published_match(a, b, same_type)
            self._seen[key] = found
        return found

    def dated(self, a: _Profile, b: _Profile) -> bool:
        return self._test("dated", a, b, True)

    def undated(self, a: _Profile, b: _Profile, same_type: bool) -> bool:
        return self._test("undated", a, b, same_type)

    def published(self, a: _Profile, b: _Profile, same_type: bool) -> bool:
        return self._test("published", a, b, same_type)


class _Clusters:
    """Union-find over mentions that never joins two events of one article, nor two
    contacts dated more than a day apart (an undated report close to both must not bridge
    them)."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.parent = list(range(len(mentions)))
        self.articles: list[set[str]] = [{m.article_id} for m in mentions]
        self.rules: list[set[str]] = [set() for _ in mentions]
        # Each cluster's earliest and latest event date (None while it has no dated event).
        self.dates: list[tuple[int, int] | None] = [
            (m.event.date.toordinal(),) * 2 if m.event.date is not None else None for m in mentions
        ]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def joined(self, i: int, j: int) -> bool:
        """Already one cluster: a join would change nothing, so the pair need not be tested."""
        return self.find(i) == self.find(j)

    def union(self, i: int, j: int, rule: str) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri == rj or self.articles[ri] & self.articles[rj]:
            # An article's extractor already said its events are distinct.
            return
        spans = [d for d in (self.dates[ri], self.dates[rj]) if d is not None]
        if spans:
            first, last = min(d[0] for d in spans), max(d[1] for d in spans)
            if last - first > DATE_TOLERANCE_DAYS:
                return  # two contacts, not one: dates further apart than reports differ by
        keep, drop = min(ri, rj), max(ri, rj)
        self.dates[keep] = (first, last) if spans else None
        self.parent[drop] = keep
        self.articles[keep] |= self.articles[drop]
        self.articles[drop] = set()
        self.rules[keep] |= self.rules[drop] | {rule}
        self.rules[drop] = set()

    def groups(self) -> list[tuple[list[int], tuple[str, ...]]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return [(members, tuple(sorted(self.rules[root]))) for root, members in out.items()]


# Mentions by (type family, day ordinal): the blocks dated mentions are compared within.
_DatedBlocks = dict[tuple[str, int], list[int]]


def cluster_mentions_with_rules(
    mentions: Sequence[Mention],
) -> list[tuple[list[Mention], tuple[str, ...]]]:
    """Group mentions that report the same event, each group with the rules that joined it."""
    # Reports that give the same type, people, topics and caller share one profile, and the
    # tests below are run once per pair of profiles: a folder reports the same leaders'
    # contacts over and over.
    shared: dict[_ProfileKey, _Profile] = {}
    profiles: list[_Profile] = []
    for m in mentions:
        key = _profile_key(m)
        if key not in shared:
            shared[key] = _profile(m)
        profiles.append(shared[key])
    tests = _PairTests()
    clusters = _Clusters(mentions)

    dated: _DatedBlocks = defaultdict(list)
    undated_by_people: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    undated: list[int] = []
    for i, m in enumerate(mentions):
        if m.event.date is not None:
            dated[(profiles[i].family, m.event.date.toordinal())].append(i)
        else:
            undated.append(i)
            undated_by_people[(profiles[i].family, profiles[i].primary)].append(i)

    # The order of the joins matters (a join can bar a later one): dated, undated, then both.
    _join_dated(dated, profiles, clusters, tests)
    for members in undated_by_people.values():
        for i, later in _published_close_pairs(members, mentions):
            # i's cluster, looked up again only when i joins another.
            root = clusters.find(i)
            for j in later:
                if clusters.find(j) == root:
                    continue
                same_type = mentions[i].event.event_type == mentions[j].event.event_type
                if tests.undated(profiles[i], profiles[j], same_type):
                    clusters.union(i, j, RULE_UNDATED)
                    root = clusters.find(i)
    _join_undated_to_dated(undated, dated, mentions, profiles, clusters, tests)

    return [([mentions[i] for i in sorted(group)], rules) for group, rules in clusters.groups()]


def _published_close_pairs(
    members: Sequence[int], mentions: Sequence[Mention]
) -> Iterator[tuple[int, list[int]]]:
    """Each member, with the members after it published within the reporting lag of it (or
    either publication date unknown), in their order: the pairs worth testing, found by
    date instead of by trying every pair of a block that spans years."""
    published = [mentions[i].source.published_date for i in members]
    unknown = [k for k, d in enumerate(published) if d is None]
    known = sorted((d.toordinal(), k) for k, d in enumerate(published) if d is not None)
    days = [day for day, _ in known]
    for n, i in enumerate(members):
        d = published[n]
        if d is None:
            later = list(range(n + 1, len(members)))
        else:
            lo = bisect.bisect_left(days, d.toordinal() - REPORTING_LAG_DAYS)
            hi = bisect.bisect_right(days, d.toordinal() + REPORTING_LAG_DAYS)
            later = sorted(
                [k for _, k in known[lo:hi] if k > n] + unknown[bisect.bisect_right(unknown, n) :]
            )
        yield i, [members[k] for k in later]


def _join_dated(
    dated: _DatedBlocks, profiles: Sequence[_Profile], clusters: _Clusters, tests: _PairTests
) -> None:
    """Dated mentions of the same family on the same day or within the tolerance."""
    for (family, day), members in sorted(dated.items()):
        for offset in range(0, DATE_TOLERANCE_DAYS + 1):
            others = dated.get((family, day + offset), [])
            for i in members:
                for j in others:
                    if (
                        (offset or j > i)
                        and not clusters.joined(i, j)
                        and tests.dated(profiles[i], profiles[j])
                    ):
                        clusters.union(i, j, RULE_DATED)


def _join_undated_to_dated(
    undated: Sequence[int],
    dated: _DatedBlocks,
    mentions: Sequence[Mention],
    profiles: Sequence[_Profile],
    clusters: _Clusters,
    tests: _PairTests,
) -> None:
    """An undated event reported with, or shortly after, a dated one of the same contact:
    the nearest such contact before its publication (`_Clusters` keeps it from joining two)."""
    for i in undated:
        published = mentions[i].source.published_date
        if published is None:
            continue
        for back in range(0, REPORTING_LAG_DAYS + 1):
            day = published.toordinal() - back
            for j in dated.get((profiles[i].family, day), []):
                if clusters.joined(i, j):
                    continue
                same_type = mentions[i].event.event_type == mentions[j].event.event_type
                other_published = mentions[j].source.published_date
                if (
                    other_published is not None
                    and abs((other_published - published).days) <= DATE_TOLERANCE_DAYS
                    and tests.published(profiles[i], profiles[j], same_type)
                ):
                    clusters.union(i, j, RULE_PUBLISHED)
                elif tests.undated(profiles[i], profiles[j], same_type):
                    clusters.union(i, j, RULE_LAG)
