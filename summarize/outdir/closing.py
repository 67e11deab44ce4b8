"""The closing summary of a run: what it did, what went wrong and what to do next.

Built from run.json's head (or, for a run that wrote none, what the ledger knows) and the
run's failures and notes, streamed; the same for the run just finished and for any past run
(`summarize log OUT --run N`). `as_json` is what `summarize run --json` prints: run.json's
head, key for key, and the summary's own parts beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarize.core.failures import Failures, group_failures
from summarize.core.results import ErrorRecord, Status
from summarize.outdir.paths import OutDir

# Notes (duplicates, remade briefs) and files not read named at the end; run.json and the
# ledger list them all.
NOTES_SHOWN = 5
NOT_READ_SHOWN = 5


@dataclass(frozen=True)
class Note:
    file: str
    status: str
    note: str


@dataclass(frozen=True)
class ClosingSummary:
    run: int | None
    out: str
    # run.json's head: counts, usage, quality, durations, files not read (`skipped`). A run
    # that wrote none (killed) has only what the ledger kept: counts and usage.
    manifest: dict[str, Any]
    failures: Failures
    notes: list[Note] = field(default_factory=list)
    notes_total: int = 0
    exit_code: int | None = None
    # The command line as typed, for "run it again"; unknown for a past run.
    command: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.manifest.get("counts", {})
        return counts

    @property
    def outputs(self) -> dict[str, str]:
        return OutDir(Path(self.out)).outputs()

    @property
    def next_commands(self) -> list[str]:
        """What to run next: the memo and the review of the briefs, and the same run again
        when some articles are left to do."""
        commands = []
        if self.counts.get("done", 0) or self.counts.get("skipped", 0):
            commands += [f"summarize memo {self.out}", f"summarize review {self.out}"]
        left = sum(self.counts.get(k, 0) for k in ("failed", "not_attempted", "interrupted"))
        if left:
            if self.command:
                commands.append(f"{self.command}  (again: what is done is skipped)")
            else:
                source = self.manifest.get("source", "SRC")
                commands.append(
                    f"summarize run {source} --out {self.out} with this run's other options "
                    "(what is done is skipped)"
                )
        return commands

    def as_json(self) -> dict[str, Any]:
        return {
            **self.manifest,
            "run": self.run,
            "exit_code": self.exit_code,
            "failures": {
                "total": self.failures.total,
                "not_shown": self.failures.not_shown,
                "groups": [asdict(g) for g in self.failures.groups],
            },
            "notes": [asdict(n) for n in self.notes],
            "notes_total": self.notes_total,
            "outputs": self.outputs,
            "next": self.next_commands,
        }


def first_notes(notes: Iterable[Note], shown: int = NOTES_SHOWN) -> tuple[list[Note], int]:
    """The first `shown` notes and how many there are, in one pass."""
    kept: list[Note] = []
    total = 0
    for note in notes:
        total += 1
        if len(kept) < shown:
            kept.append(note)
    return kept, total


def closing_summary(
    run: int | None,
    out: Path,
    manifest: dict[str, Any],
    errors: Iterable[ErrorRecord],
    notes: Iterable[Note],
    exit_code: int | None = None,
    command: str | None = None,
) -> ClosingSummary:
    """The summary of one run from its manifest head, failures and notes."""
    shown, total = first_notes(notes)
    return ClosingSummary(
        run=run,
        out=str(out),
        manifest={k: v for k, v in manifest.items() if k != "articles"},
        failures=group_failures(errors),
        notes=shown,
        notes_total=total,
        exit_code=exit_code,
        command=command,
    )


def noted(status: str, note: str | None) -> bool:
    """Whether an article's outcome has a note worth naming at the end (a duplicate, a brief
    made again over an edited one; a budget stop is said once, not per article)."""
    return note is not None and status in (Status.DONE, Status.SKIPPED)
