"""Which mentions report the same contact (compatible type, overlapping participants, same
or adjacent date).

Candidate pairs are found by blocking (type family + date bucket, or exact surname set for
undated events), so the work stays close to linear in the number of events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from summarize.core.brief import EventType
from summarize.memo.events import Mention
from summarize.memo.people import PersonKey, person_key, shared_people, surname_forms
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


@dataclass(slots=True)
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
        forms=frozenset().union(*map(surname_forms, surnames)),
    )


def _dated_match(a: _Profile, b: _Profile) -> bool:
    """Dated within tolerance: participants must overlap enough to rule out other contacts."""
    if not a.people or not b.people or a.forms.isdisjoint(b.forms):
        return False
    shared = shared_people(a.people, b.people)
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
        and shared_people(a.people, b.people) >= min(len(a.people), len(b.people))
        and jaccard(a.topics, b.topics) >= UNDATED_TOPIC_SIMILARITY
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


# Mentions by (type family, day ordinal): the blocks dated mentions are compared within.
_DatedBlocks = dict[tuple[str, int], list[int]]


def cluster_mentions(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Group mentions that report the same event."""
    profiles = [_profile(m) for m in mentions]
    clusters = _Clusters(mentions)

    dated: _DatedBlocks = defaultdict(list)
    undated_by_people: dict[tuple[str, frozenset[str]], list[int]] = defaultdict(list)
    undated: list[int] = []
    for i, m in enumerate(mentions):
        if m.event.date is not None:
            dated[(profiles[i].family, m.event.date.toordinal())].append(i)
        else:
            undated.append(i)
            undated_by_people[(profiles[i].family, profiles[i].surnames)].append(i)

    # The order of the joins matters (a join can bar a later one): dated, undated, then both.
    _join_dated(dated, profiles, clusters)
    for members in undated_by_people.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                same_type = mentions[i].event.event_type == mentions[j].event.event_type
                if _undated_match(profiles[i], profiles[j], same_type):
                    clusters.union(i, j)
    _join_undated_to_dated(undated, dated, mentions, profiles, clusters)

    return [[mentions[i] for i in sorted(group)] for group in clusters.groups()]


def _join_dated(dated: _DatedBlocks, profiles: Sequence[_Profile], clusters: _Clusters) -> None:
    """Dated mentions of the same family on the same day or within the tolerance."""
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


def _join_undated_to_dated(
    undated: Sequence[int],
    dated: _DatedBlocks,
    mentions: Sequence[Mention],
    profiles: Sequence[_Profile],
    clusters: _Clusters,
) -> None:
    """An undated event reported shortly after a dated one with the same people and topics."""
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
