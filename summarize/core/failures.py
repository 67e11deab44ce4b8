"""Failed articles grouped by cause, for the end of a run (pure).

Causes name their file and article ("x.txt is not valid JSON", "no recording for article
x-1a2b"), so the same fault reads differently for every article. A group is the stage and
the cause with those names and any numbers taken out; it keeps the first cause as written,
its first few files and a count, so memory stays bounded however many articles failed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from summarize.core.results import ErrorRecord

# Files named under each group; the rest are counted (errors.jsonl lists them all).
FILES_SHOWN = 3
# Groups named at the end of a run; the failures of the others are counted.
GROUPS_SHOWN = 5
# Distinct causes tracked while grouping: a run where every cause is unique stays bounded.
_GROUPS_KEPT = 100

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class FailureGroup:
    """Articles that failed at one stage for one cause."""

    stage: str
    cause: str  # the first article's cause, as written
    count: int = 0
    files: list[str] = field(default_factory=list)

    @property
    def more(self) -> int:
        """Articles in the group not named in `files`."""
        return self.count - len(self.files)


@dataclass(frozen=True)
class Failures:
    """The groups to show, largest first, and how many failures they leave out."""

    total: int
    groups: list[FailureGroup]

    @property
    def not_shown(self) -> int:
        return self.total - sum(g.count for g in self.groups)


def cause_key(error: ErrorRecord) -> tuple[str, str]:
    """What two failures share when they failed for the same reason."""
    text = error.cause
    path = PurePath(error.file)
    names = {error.file, path.name, path.stem, error.article_id or ""} - {""}
    for name in sorted(names, key=len, reverse=True):  # the id contains the stem
        text = text.replace(name, "")
    return str(error.stage), _NUMBER.sub("#", text)


def group_failures(
    errors: Iterable[ErrorRecord], *, groups: int = GROUPS_SHOWN, files: int = FILES_SHOWN
) -> Failures:
    """Group `errors` by cause, in one pass; the `groups` largest are kept."""
    found: dict[tuple[str, str], FailureGroup] = {}
    total = 0
    for error in errors:
        total += 1
        key = cause_key(error)
        group = found.get(key)
        if group is None:
            if len(found) >= _GROUPS_KEPT:
                continue  # counted in the total, shown as "and N more"
            group = found[key] = FailureGroup(str(error.stage), error.cause)
        group.count += 1
        if len(group.files) < files:
            group.files.append(error.file)
    # Largest first; among equals, the one met first (sorted is stable).
    largest = sorted(found.values(), key=lambda g: -g.count)[:groups]
    return Failures(total, largest)
