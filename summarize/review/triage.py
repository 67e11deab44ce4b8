"""The index as a triage list: per article, what needs the reviewer's eye (weak, dropped and
repeated items, a failed run, a damaged review), sorted and filtered, and which article to
review next: the worst first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from summarize.core.brief import Brief
from summarize.core.review import ReviewState, checked_items, edits
from summarize.review.folder import Entry, RunFolder

FILTERS = (
    "all",
    "to review",
    "reviewed",
    "edited",
    "stale",
    "failed",
    "weak",
    "dropped",
    "repeated",
    "damaged",
)
# Sort keys the index offers; numbers sort largest first, words A to Z, "-key" reverses.
SORTS = ("order", "worst", "weak", "dropped", "repeated", "events", "state", "reviewer")


@dataclass(frozen=True)
class Row:
    order: int
    entry: Entry
    brief: Brief | None
    cause: str | None

    @property
    def headline(self) -> str:
        return (self.brief.source.headline if self.brief else None) or self.entry.id

    @property
    def events(self) -> int:
        return len(self.brief.events) if self.brief else 0

    def _warned(self, kind: Any) -> int:
        return self.brief.warned(kind) if self.brief else 0

    @property
    def weak(self) -> int:
        return self._warned("weak")

    @property
    def dropped(self) -> int:
        return self._warned("dropped")

    @property
    def repeated(self) -> int:
        return self._warned("repeated")

    @property
    def failed(self) -> bool:
        return not self.entry.has_brief

    @property
    def edits(self) -> int:
        return edits(self.entry.review)

    @property
    def checked(self) -> int:
        return len(checked_items(self.entry.review))

    @property
    def reviewer(self) -> str:
        review = self.entry.review
        if review is None:
            return ""
        return (review.reviewed_by if review.reviewed else review.updated_by) or ""

    @property
    def trouble(self) -> int:
        """Items that want a look: weak, dropped and repeated."""
        return self.weak + self.dropped + self.repeated

    @property
    def needs_review(self) -> bool:
        return self.entry.has_brief and self.entry.state is not ReviewState.REVIEWED


def rows(folder: RunFolder) -> list[Row]:
    """Every article of the run as a triage row, in run order."""
    causes = folder.errors()
    out = []
    for n, entry in enumerate(folder.entries()):
        brief: Brief | None = None
        if entry.review is not None:
            brief = entry.review.brief
        elif entry.has_brief:
            model = folder.model_brief(entry.id)
            brief = model[0] if model else None
        out.append(Row(n, entry, brief, causes.get(entry.id)))
    return out


def matches(row: Row, show: str) -> bool:
    state = row.entry.state
    tests: dict[str, Callable[[], bool]] = {
        "failed": lambda: row.failed,
        "to review": lambda: row.needs_review,
        "reviewed": lambda: state is ReviewState.REVIEWED,
        # Edited means the brief was changed, whether or not it was then marked reviewed.
        "edited": lambda: row.edits > 0,
        "stale": lambda: state is ReviewState.STALE,
        "weak": lambda: row.weak > 0,
        "dropped": lambda: row.dropped > 0,
        "repeated": lambda: row.repeated > 0,
        "damaged": lambda: row.entry.damaged is not None,
    }
    test = tests.get(show)
    return test() if test else True


def worst_key(row: Row) -> tuple[int, int, int, int]:
    """Worst first: a damaged or stale review, then the most items wanting a look, the most
    weak ones among equals, then run order."""
    broken = row.entry.damaged is not None or row.entry.state is ReviewState.STALE
    return (-int(broken), -row.trouble, -row.weak, row.order)


_KEYS: dict[str, Callable[[Row], Any]] = {
    "order": lambda r: r.order,
    "worst": worst_key,
    "weak": lambda r: (-r.weak, r.order),
    "dropped": lambda r: (-r.dropped, r.order),
    "repeated": lambda r: (-r.repeated, r.order),
    "events": lambda r: (-r.events, r.order),
    "state": lambda r: (r.entry.state.value, r.order),
    "reviewer": lambda r: (r.reviewer.casefold(), r.order),
}


def sort_key(sort: str) -> str:
    """The sort asked for, or "order" when it is none the index offers."""
    return sort if sort.removeprefix("-") in SORTS else "order"


def sorted_rows(found: Sequence[Row], sort: str) -> list[Row]:
    sort = sort_key(sort)
    return sorted(found, key=_KEYS[sort.removeprefix("-")], reverse=sort.startswith("-"))


def next_to_review(found: Sequence[Row], after: str | None = None) -> Row | None:
    """The worst article still needing review, other than `after`."""
    waiting = [r for r in found if r.needs_review and r.entry.id != after]
    return min(waiting, key=worst_key, default=None)
