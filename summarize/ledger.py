"""The run ledger: every model exchange of every run, in SQLite inside the output folder.

`LedgerTransport` sits outermost in the client's transport stack, so it sees each request
with its article tag (before recording strips it) and each response as the client gets it,
replayed or live. `summarize log` reads the ledger back.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

LEDGER_NAME = "ledger.sqlite"
_ARTICLE_HEADER = "x-summarize-article"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    model TEXT,
    prompt_version TEXT,
    schema_version TEXT,
    recording TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    counts TEXT
);
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    article_id TEXT,
    attempt INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    seconds REAL NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    finish_reason TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    request TEXT NOT NULL,
    response TEXT
);
CREATE INDEX IF NOT EXISTS exchanges_by_article ON exchanges(article_id, run_id);
"""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class TokenTotals:
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class Ledger:
    """One SQLite file; a connection per call keeps it safe to use from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:  # one transaction: committed on success, rolled back on error
                yield db

    def start_run(self, **fields: str | None) -> int:
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, source, model, prompt_version, schema_version,"
                " recording) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    fields.get("source") or "",
                    fields.get("model"),
                    fields.get("prompt_version"),
                    fields.get("schema_version"),
                    fields.get("recording"),
                ),
            )
            return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                (_now(), status, json.dumps(counts, sort_keys=True), run_id),
            )

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

    def tokens(self, run_id: int) -> TokenTotals:
        with self._connect() as db:
            r = db.execute(
                "SELECT COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0),"
                " COALESCE(SUM(total_tokens), 0) FROM exchanges WHERE run_id = ?",
                (run_id,),
            ).fetchone()
            return TokenTotals(int(r[0]), int(r[1]), int(r[2]))

    def runs(self) -> list[sqlite3.Row]:
        with self._connect() as db:
            return db.execute(
                "SELECT r.*, COUNT(e.id) AS exchanges, COALESCE(SUM(e.total_tokens), 0) AS tokens"
                " FROM runs r LEFT JOIN exchanges e ON e.run_id = r.id"
                " GROUP BY r.id ORDER BY r.id"
            ).fetchall()

    def exchanges(self, run_id: int, article_id: str | None = None) -> list[sqlite3.Row]:
        query = "SELECT * FROM exchanges WHERE run_id = ?"
        args: tuple[Any, ...] = (run_id,)
        if article_id is not None:
            query += " AND article_id = ?"
            args += (article_id,)
        with self._connect() as db:
            return db.execute(query + " ORDER BY article_id, attempt", args).fetchall()


def _usage_of(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        return {}
    raw = body.get("usage")
    usage: dict[str, Any] = raw if isinstance(raw, dict) else {}
    choices = body.get("choices")
    finish = None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        finish = choices[0].get("finish_reason")
    return {
        "finish_reason": finish,
        "prompt_tokens": int(usage.get("prompt_tokens") or 0),
        "completion_tokens": int(usage.get("completion_tokens") or 0),
        "total_tokens": int(usage.get("total_tokens") or 0),
    }


def _decoded(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return content.decode("utf-8", "replace")


class LedgerTransport(httpx2.AsyncBaseTransport):
    """Writes each exchange (request body, response body, usage, timing, outcome) to the ledger.

    Only bodies are kept: headers carry the API key and are never written.
    """

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        ledger: Ledger,
        run_id: int,
        *,
        secret: str | None = None,
    ) -> None:
        self._inner = inner
        self._ledger = ledger
        self._run_id = run_id
        # Servers and proxies can echo the key in a body; the ledger keeps none.
        self._secret = secret

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        article_id = request.headers.get(_ARTICLE_HEADER)
        request_body = json.dumps(_decoded(request.content), ensure_ascii=False)
        started, clock = _now(), time.perf_counter()
        try:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
        except Exception as exc:
            first_line = str(exc).splitlines()[0][:300] if str(exc) else ""
            self._ledger.add_exchange(
                self._run_id,
                article_id,
                started_at=started,
                seconds=time.perf_counter() - clock,
                outcome=f"error: {type(exc).__name__}: {first_line}",
                request=request_body,
            )
            raise
        body = _decoded(content)
        response_text = json.dumps(body, ensure_ascii=False)
        if self._secret:
            response_text = response_text.replace(self._secret, "***")
        self._ledger.add_exchange(
            self._run_id,
            article_id,
            started_at=started,
            seconds=time.perf_counter() - clock,
            status=response.status_code,
            outcome="ok" if response.is_success else f"http {response.status_code}",
            request=request_body,
            response=response_text,
            **_usage_of(body),
        )
        return response  # its body is read and cached: the client reads it again freely

    async def aclose(self) -> None:
        await self._inner.aclose()
