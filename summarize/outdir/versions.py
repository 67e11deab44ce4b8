"""One policy for every versioned format under `--out` (the ledger, run.json, reviews): an
older version is read (and the ledger brought up to date), a newer one is refused with a
message that says which file, which versions, and what to do."""

from __future__ import annotations

from pathlib import Path

from summarize.core.errors import OutputError


class NewerFormatError(OutputError):
    """A file written by a newer summarize: what it holds may mean more than this one knows."""


def check_format(
    path: Path,
    what: str,
    found: int,
    known: int,
    error: type[OutputError] = NewerFormatError,
) -> None:
    """Refuse `path` when its `what` version `found` is newer than the `known` one."""
    if found > known:
        raise error(
            f"{path} was written by a newer summarize ({what} version {found}, this one knows "
            f"{known}): upgrade summarize, or choose another --out"
        )
