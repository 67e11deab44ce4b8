"""The run ledger: every run, every article's outcome and every model exchange, in SQLite
inside the output folder.

The client's transport stack (`summarize.model.transports`) writes each exchange here
through `add_exchange`. The `articles` table is what resume consults: a brief is current
when the ledger says it was made from this text, prompt, schema and model, and the file on
disk is still the one the ledger recorded. `summarize log` reads the ledger back.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarize.core.article import printable
from summarize.core.completion import completion_usage
from summarize.core.errors import OutputError
from summarize.outdir.versions import check_format

# Numbered SQL files, applied in order; the ledger's PRAGMA user_version is the last applied.
MIGRATIONS = Path(__file__).with_name("migrations")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class TokenTotals:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@dataclass(frozen=True)
class BriefMade:
    """How the last brief written for an article was made, as the ledger recorded it."""

    brief_sha256: str
    article_sha256: str
    prompt_version: str
    schema_version: str
    model: str
    run_id: int


class LedgerError(OutputError):
    """The ledger file cannot be opened or written; the message says what to do."""


def unusable(path: Path, exc: sqlite3.Error) -> str:
    """What to tell a user whose ledger SQLite refuses (full disk, damaged, read-only)."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        # Not "move it away": the ledger is fine, and without it every brief is made anew.
        return (
            f"the disk holding {path.parent} is full ({exc}): free some space and run the same "
            "command again; briefs already written are kept, and the ledger is not damaged"
        )
    return (
        f"{path} cannot be used as the run ledger ({exc}): if it is damaged, move it away "
        "and run again (every brief is then made anew); if it is read-only, make it "
        "writable or choose another --out"
    )


def migrations() -> list[tuple[int, Path]]:
    """The shipped migrations, numbered by their file names (001_..., 002_...)."""
    found = [(int(p.name.split("_", 1)[0]), p) for p in MIGRATIONS.glob("[0-9]*.sql")]
    return sorted(found)


def migrate(db: sqlite3.Connection, path: Path) -> int:
    """Bring the ledger to the newest schema; returns its version.

    A ledger from a newer summarize is refused rather than guessed at: its tables may mean
    more than this version knows.
    """
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    known = migrations()
    newest = known[-1][0] if known else 0
    check_format(path, "ledger", version, newest, LedgerError)
    for number, sql in known:
        if number > version:
            db.executescript(sql.read_text(encoding="utf-8"))
            db.execute(f"PRAGMA user_version = {number}")
            version = number
    return version


class Ledger:
    """One SQLite file in WAL mode, one connection shared under a lock (any thread may call).

    WAL with synchronous=NORMAL commits without an fsync each time: a killed process loses
    nothing committed, a power cut at most the last few rows. The briefs themselves are
    fsync'd files, and a brief the ledger lost is simply made again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        try:
            self._open()
        except sqlite3.Error as exc:
            self._db.close()
            raise LedgerError(unusable(path, exc)) from None
        except LedgerError:
            self._db.close()
            raise

    def _open(self) -> None:
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # Writes are appends of large bodies that are never read back in the run, and reads
        # are single index lookups: a small page cache (256 KiB, not the default 2 MiB) loses
        # nothing and keeps memory flat however large the ledger grows.
        self._db.execute("PRAGMA cache_size=-256")
        with self._connect() as db:
            migrate(db, self.path)
            # Runs but no article outcomes: a ledger from before they were recorded (even if
            # `summarize log` has since added the table). Its briefs need adopting.
            self.predates_outcomes = bool(
                db.execute("SELECT 1 FROM runs LIMIT 1").fetchone()
                and not db.execute("SELECT 1 FROM articles LIMIT 1").fetchone()
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # SQLite's own errors (a full disk, damage deeper than opening reads) end here, as
        # the one OutputError the command line reports: no caller catches sqlite3.
        try:
            with self._lock, self._db:  # one transaction: committed on success, else rolled back
                yield self._db
        except sqlite3.Error as exc:
            raise LedgerError(unusable(self.path, exc)) from None

    def start_run(self, **fields: str | None) -> int:
        """A new run. Call it holding the output folder's lock: then any run still marked
        running is one that was killed, and is marked so."""
        with self._connect() as db:
            db.execute("UPDATE runs SET status = 'killed' WHERE status = 'running'")
            cursor = db.execute(
                "INSERT INTO runs (started_at, source, model, prompt_version, schema_version,"
                " recording) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    # Text must be valid UTF-8 for SQLite: a name that is not shows U+FFFD.
                    printable(fields.get("source") or ""),
                    fields.get("model"),
                    fields.get("prompt_version"),
                    fields.get("schema_version"),
                    fields.get("recording"),
                ),
            )
            return int(cursor.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        status: str,
        counts: dict[str, int],
        manifest: dict[str, Any] | None = None,
    ) -> None:
        """Close a run with its counts and run.json's head (what `summarize log` shows)."""
        head = json.dumps(manifest, ensure_ascii=False) if manifest is not None else None
        with self._connect() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ?, manifest = ?"
                " WHERE id = ?",
                (_now(), status, json.dumps(counts, sort_keys=True), _printable(head), run_id),
            )

    def run(self, run_id: int) -> sqlite3.Row | None:
        """One run's row, if there is that run."""
        with self._connect() as db:
            found: sqlite3.Row | None = db.execute(
                "SELECT * FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
        return found

    def add_exchange(self, run_id: int, article_id: str | None, **row: Any) -> None:
        with self._connect() as db:
            attempt = db.execute(
                "SELECT COUNT(*) FROM exchanges WHERE run_id = ? AND article_id IS ?",
                (run_id, article_id),
            ).fetchone()[0]
            db.execute(
                "INSERT INTO exchanges (run_id, article_id, attempt, started_at, seconds, status,"
                " outcome, finish_reason, prompt_tokens, completion_tokens, total_tokens,"
                " request, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    article_id,
                    attempt + 1,
                    row["started_at"],
                    row["seconds"],
                    row.get("status"),
                    row["outcome"],
                    row.get("finish_reason"),
                    row.get("prompt_tokens", 0),
                    row.get("completion_tokens", 0),
                    row.get("total_tokens", 0),
                    row["request"],
                    row.get("response"),
                ),
            )

    def add_batch_answer(
        self, run_id: int, article_id: str, where: str, completion: Any, error: str | None
    ) -> None:
        """A batch engine's answer, as an exchange: the engine made the call, so there is no
        timing, and the request is a pointer to the result line it came from."""
        self.add_exchange(
            run_id,
            article_id,
            started_at=_now(),
            seconds=0.0,
            status=200 if error is None else None,
            outcome="ok" if error is None else f"batch error: {error}"[:300],
            request=json.dumps({"batch_result": where}),
            response=json.dumps(completion, ensure_ascii=False) if completion else None,
            **completion_usage(completion),
        )

    def add_article(
        self,
        run_id: int,
        *,
        file: str,
        article_id: str | None,
        article_sha256: str | None,
        status: str,
        brief_sha256: str | None = None,
        attempts: int = 0,
        seconds: float = 0.0,
        note: str | None = None,
        stage: str | None = None,
        cause: str | None = None,
    ) -> int:
        """One article of a run: how it ended, or "running" until `finish_article` says;
        a failed one with its stage and cause."""
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO articles (run_id, article_id, file, article_sha256, status,"
                " brief_sha256, attempts, seconds, note, stage, cause, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    article_id,
                    printable(file),
                    article_sha256,
                    status,
                    brief_sha256,
                    attempts,
                    seconds,
                    _printable(note),
                    stage,
                    _printable(cause),
                    _now(),
                ),
            )
            return int(cursor.lastrowid or 0)

    def finish_article(
        self,
        row: int,
        *,
        status: str,
        brief_sha256: str | None = None,
        attempts: int = 0,
        seconds: float = 0.0,
        note: str | None = None,
        stage: str | None = None,
        cause: str | None = None,
    ) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE articles SET status = ?, brief_sha256 = ?, attempts = ?, seconds = ?,"
                " note = ?, stage = ?, cause = ?, updated_at = ? WHERE id = ?",
                (
                    status,
                    brief_sha256,
                    attempts,
                    seconds,
                    _printable(note),
                    stage,
                    _printable(cause),
                    _now(),
                    row,
                ),
            )

    def first_with_text(self, run_id: int, article_sha256: str) -> tuple[str, str | None] | None:
        """(file, article id) of the first article of the run with this text, if any."""
        with self._connect() as db:
            found = db.execute(
                "SELECT file, article_id FROM articles WHERE run_id = ? AND article_sha256 = ?"
                " ORDER BY id LIMIT 1",
                (run_id, article_sha256),
            ).fetchone()
        return (found["file"], found["article_id"]) if found else None

    def last_brief(self, article_id: str) -> BriefMade | None:
        """How the brief last written for `article_id` (by any run) was made."""
        with self._connect() as db:
            found = db.execute(
                "SELECT a.brief_sha256, a.article_sha256, r.prompt_version, r.schema_version,"
                " r.model, r.id FROM articles a JOIN runs r ON r.id = a.run_id"
                " WHERE a.article_id = ? AND a.status = 'done' ORDER BY a.id DESC LIMIT 1",
                (article_id,),
            ).fetchone()
        if found is None or None in tuple(found):
            return None
        return BriefMade(*tuple(found))

    def articles(self, run_id: int) -> Iterator[sqlite3.Row]:
        """A run's articles in the order they were taken up, read in pages (memory stays flat)."""
        last = 0
        while True:
            with self._connect() as db:
                page = db.execute(
                    "SELECT * FROM articles WHERE run_id = ? AND id > ? ORDER BY id LIMIT 500",
                    (run_id, last),
                ).fetchall()
            if not page:
                return
            yield from page
            last = page[-1]["id"]

    def tokens(self, run_id: int) -> TokenTotals:
        with self._connect() as db:
            r = db.execute(
                "SELECT COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0),"
                " COALESCE(SUM(total_tokens), 0) FROM exchanges WHERE run_id = ?",
                (run_id,),
            ).fetchone()
            return TokenTotals(int(r[0]), int(r[1]), int(r[2]))

    def runs(self) -> list[dict[str, Any]]:
        """Every run, with its exchanges and tokens, and its articles counted by status (from
        the article rows, so a killed run, which wrote no counts, has them too)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT r.*, COUNT(e.id) AS exchanges, COALESCE(SUM(e.total_tokens), 0) AS tokens"
                " FROM runs r LEFT JOIN exchanges e ON e.run_id = r.id"
                " GROUP BY r.id ORDER BY r.id"
            ).fetchall()
            statuses = db.execute(
                "SELECT run_id, status, COUNT(*) FROM articles GROUP BY run_id, status"
            ).fetchall()
        counts: dict[int, dict[str, int]] = {}
        for run_id, status, n in statuses:
            counts.setdefault(run_id, {})[status] = n
        return [
            {**dict(r), "counts": counts.get(r["id"], json.loads(r["counts"] or "{}"))}
            for r in rows
        ]

    def exchanges(self, run_id: int, article_id: str | None = None) -> list[sqlite3.Row]:
        query = "SELECT * FROM exchanges WHERE run_id = ?"
        args: tuple[Any, ...] = (run_id,)
        if article_id is not None:
            query += " AND article_id = ?"
            args += (article_id,)
        with self._connect() as db:
            return db.execute(query + " ORDER BY article_id, attempt", args).fetchall()


def _printable(text: str | None) -> str | None:
    return None if text is None else printable(text)
