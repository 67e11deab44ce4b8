"""What the run that wrote a folder says about the articles it has no brief of (pure).

A run's output folder has, besides briefs, its own record: `run.json` (every article it read
and what became of it) and `errors.jsonl` (why each failed one failed). The memo lists the
articles that gave no brief, so a reader knows what the memo cannot speak for.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from summarize.core.results import Status
from summarize.memo.view import UnsummarisedRow

# What became of an article that left no brief, in the run's own words.
_UNSUMMARISED: dict[Status, str] = {
    Status.FAILED: "failed",
    Status.NOT_ATTEMPTED: "not attempted",
    Status.INTERRUPTED: "interrupted",
}
_NO_CAUSE = "no cause recorded"


@dataclass(frozen=True, slots=True)
class Unsummarised:
    """An article the run read and did not summarise: failed, not attempted or interrupted."""

    file: str
    article_id: str | None
    status: Status
    stage: str | None
    cause: str


@dataclass(frozen=True, slots=True)
class RunRecord:
    """The part of a run's record the memo needs."""

    n_articles: int | None  # None when run.json is missing or unreadable
    unsummarised: tuple[Unsummarised, ...]
    budget_stop: str | None
    interrupted: str | None
    # Parts of the record that could not be read: the list may then be incomplete.
    problems: tuple[str, ...] = ()
    # Files in the folder that were not read as articles (an image, an old .doc): (file, why).
    not_read: tuple[tuple[str, str], ...] = ()


def run_record(
    manifest: Mapping[str, Any] | None,
    errors: Iterable[Mapping[str, Any]],
    problems: Iterable[str] = (),
) -> RunRecord:
    """The record from run.json's content (None if absent) and errors.jsonl's lines.

    Failed articles take their stage and cause from errors.jsonl, matched by file and article
    id (one JSONL file holds many articles); articles not attempted or interrupted take
    theirs from run.json's note. Without run.json, errors.jsonl alone says which failed.
    """
    causes: dict[tuple[str, str | None], deque[Mapping[str, Any]]] = defaultdict(deque)
    for e in errors:
        if isinstance(e, Mapping):
            causes[(str(e.get("file")), e.get("article_id"))].append(e)
    unsummarised: list[Unsummarised] = []
    for a in (manifest or {}).get("articles") or []:
        if not isinstance(a, Mapping):
            continue
        status = _status(a.get("status"))
        file, article_id = str(a.get("file")), a.get("id")
        if status is Status.FAILED:
            matched = causes.get((file, article_id))
            error = matched.popleft() if matched else None
            unsummarised.append(_failed(file, article_id, error, a.get("note")))
        elif status is not None:
            cause = a.get("note") or (manifest or {}).get("interrupted") or _NO_CAUSE
            unsummarised.append(Unsummarised(file, article_id, status, None, str(cause)))
    # Errors run.json does not list (or all of them, without run.json) still name a failure.
    for (file, article_id), left in causes.items():
        unsummarised.extend(_failed(file, article_id, e, None) for e in left)
    if manifest is None:
        return RunRecord(None, tuple(unsummarised), None, None, tuple(problems))
    n_articles = (manifest.get("counts") or {}).get("articles")
    not_read = tuple(
        (str(s.get("file")), str(s.get("reason")))
        for s in manifest.get("skipped") or []
        if isinstance(s, Mapping)
    )
    return RunRecord(
        not_read=not_read,
        n_articles=n_articles if isinstance(n_articles, int) else None,
        unsummarised=tuple(unsummarised),
        budget_stop=manifest.get("budget_stop"),
        interrupted=manifest.get("interrupted"),
        problems=tuple(problems),
    )


def _status(value: object) -> Status | None:
    """The status if it is one that leaves no brief."""
    try:
        status = Status(str(value))
    except ValueError:
        return None
    return status if status in _UNSUMMARISED else None


def _failed(
    file: str, article_id: str | None, error: Mapping[str, Any] | None, note: object
) -> Unsummarised:
    if error is None:
        return Unsummarised(file, article_id, Status.FAILED, None, str(note or _NO_CAUSE))
    stage = error.get("stage")
    cause = str(error.get("cause") or _NO_CAUSE)
    return Unsummarised(file, article_id, Status.FAILED, str(stage) if stage else None, cause)


def unsummarised_note(
    record: RunRecord, missing: Collection[Unsummarised], n_reused: int
) -> str | None:
    """What the memo cannot speak for, for the top of the memo; None when the run left no gap.

    `missing` are the articles with no brief in the memo; `n_reused` the ones that failed
    this time but whose brief from an earlier run the memo uses.
    """
    if not (missing or n_reused or record.problems or record.interrupted or record.not_read):
        return None
    parts = [_missing_sentence(record, missing)] if missing else []
    if n_reused:
        more = "more " if missing else ""
        parts.append(
            f"{n_reused} {more}article{'s' if n_reused != 1 else ''} "
            f"{'was' if n_reused == 1 else 'were'} not summarised in the last run, but the memo "
            f"uses {'its brief' if n_reused == 1 else 'their briefs'} from an earlier run."
        )
    if record.not_read:
        n = len(record.not_read)
        parts.append(
            f"{n} file{'s' if n != 1 else ''} in the folder {'was' if n == 1 else 'were'} not "
            "read (not articles), listed below."
        )
    if record.budget_stop:
        parts.append(f"The run stopped early: {record.budget_stop}.")
    if record.interrupted:
        parts.append(
            f"The run was interrupted ({record.interrupted}): articles it had not started are "
            "not in its record, so more may be missing."
        )
    if record.problems:
        parts.append(
            "Part of the run's record could not be read, so this list may be incomplete: "
            + "; ".join(record.problems)
            + "."
        )
    return " ".join(parts)


def _missing_sentence(record: RunRecord, missing: Collection[Unsummarised]) -> str:
    """How many of the run's articles have no brief, by what became of them."""
    by_status = Counter(u.status for u in missing)
    what = ", ".join(
        f"{by_status[s]} {label}" for s, label in _UNSUMMARISED.items() if by_status[s]
    )
    total = f" of the {record.n_articles}" if record.n_articles is not None else ""
    articles = "article" if len(missing) == 1 and not total else "articles"
    were = "was" if len(missing) == 1 else "were"
    return (
        f"{len(missing)}{total} {articles} the run read {were} not summarised ({what}); "
        "nothing in this memo comes from them."
    )


def unsummarised_view(
    record: RunRecord | None, brief_ids: Collection[str]
) -> tuple[str | None, tuple[UnsummarisedRow, ...]]:
    """The note for the top of the memo and the rows of its "Articles not summarised" section.

    An article the last run did not summarise but which has a brief from an earlier run is
    listed too, marked as covered by that brief.
    """
    if record is None:
        return None, ()
    missing = [u for u in record.unsummarised if u.article_id not in brief_ids]
    n_reused = len(record.unsummarised) - len(missing)
    rows = tuple(
        UnsummarisedRow(
            n=n,
            file=u.file,
            article_id=u.article_id,
            what=_UNSUMMARISED[u.status].capitalize() + (f" ({u.stage})" if u.stage else ""),
            cause=u.cause,
            earlier_brief=u.article_id in brief_ids,
        )
        for n, u in enumerate(record.unsummarised, start=1)
    )
    first = len(rows) + 1
    rows += tuple(
        UnsummarisedRow(
            n=n, file=file, article_id=None, what="Not read", cause=why, earlier_brief=False
        )
        for n, (file, why) in enumerate(record.not_read, start=first)
    )
    return unsummarised_note(record, missing, n_reused), rows
