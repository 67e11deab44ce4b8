"""The SQLite ledger: runs, article outcomes, resume, and `summarize log` reading it back.

That it records every exchange the client makes is tested with the transport stack
(tests/model/test_transports.py).
"""

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from summarize.outdir.ledger import MIGRATIONS, Ledger, LedgerError, migrations

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_is_logged_and_summarize_log_shows_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarize.cli.app import app

    out = tmp_path / "out"
    args = [
        "run",
        str(ROOT / "seeds"),
        "--replay",
        "--out",
        str(out),
        "--recordings",
        str(ROOT / "fixtures" / "recordings"),
    ]
    assert CliRunner().invoke(app, args).exit_code == 0
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    result = CliRunner().invoke(app, ["log", str(out), "--json"])
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert [r["status"] for r in runs] == ["done", "done"]
    manifest = json.loads((out / "run.json").read_text())
    attempts = sum(a["attempts"] for a in manifest["articles"])
    assert runs[1]["exchanges"] == attempts, "every exchange of the run is in the ledger"
    assert runs[1]["tokens"] == manifest["usage"]["total_tokens"]
    detail = json.loads(CliRunner().invoke(app, ["log", str(out), "--run", "2", "--json"]).output)
    attempts = [(e["article_id"][:3], e["attempt"]) for e in detail["exchanges"]]
    assert ("001", 3) in attempts
    # The JSON carries what the table shows: outcomes, superseded answers, token totals.
    assert [a["status"] for a in detail["articles"]] == ["done"] * 5
    assert "superseded" in [e["outcome"] for e in detail["exchanges"]]
    assert detail["totals"]["total_tokens"] == manifest["usage"]["total_tokens"]
    assert detail["totals"]["exchanges"] == len(attempts)

    # As a table: each article's outcome, and which answers were asked again.
    wide = {"COLUMNS": "200"}
    table = CliRunner().invoke(app, ["log", str(out), "--run", "2"], env=wide).output
    assert table.count(" done ") == 5
    assert "superseded" in table, "001 was re-asked twice: its first answers were not kept"
    # A run that skipped everything made no exchanges; its articles still show.
    assert CliRunner().invoke(app, args).exit_code == 0
    skipped = CliRunner().invoke(app, ["log", str(out), "--run", "3"], env=wide)
    assert skipped.exit_code == 0, skipped.output
    assert skipped.output.count(" skipped ") == 5
    assert "run 3: 0 exchange(s)" in skipped.output


def test_log_without_a_ledger_says_how_to_make_one(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarize.cli.app import app

    result = CliRunner().invoke(app, ["log", str(tmp_path)])
    assert result.exit_code == 2
    assert "summarize run" in result.output


def test_a_run_left_running_is_marked_killed_when_the_next_run_starts(tmp_path: Path) -> None:
    # Runs start under the output folder's lock: one still "running" then was killed (kill -9).
    ledger = Ledger(tmp_path / "ledger.sqlite")
    killed = ledger.start_run(source="src")
    ledger.add_article(killed, file="a.txt", article_id="a", article_sha256="s", status="done")
    ledger.start_run(source="src")
    first, second = ledger.runs()
    assert (first["status"], first["counts"]) == ("killed", {"done": 1})
    assert second["status"] == "running"


def test_log_article_without_run_says_it_needs_one(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from summarize.cli.app import app

    Ledger(tmp_path / "ledger.sqlite").start_run(source="src")
    result = CliRunner().invoke(app, ["log", str(tmp_path), "--article", "x"])
    assert result.exit_code == 2
    assert "--article needs --run" in result.output


def test_a_ledger_damaged_deep_inside_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    import random

    from typer.testing import CliRunner

    from summarize.cli.app import app

    out = tmp_path / "out"
    run = ["run", str(ROOT / "seeds"), "--replay", "--out", str(out)]
    run += ["--recordings", str(ROOT / "fixtures" / "recordings")]
    assert CliRunner().invoke(app, run).exit_code == 0
    ledger = out / "ledger.sqlite"
    data = bytearray(ledger.read_bytes())
    assert len(data) > 16_384
    noise = random.Random(1)
    # Pages past the first two: opening the file may work, reading the tables must not.
    for i in range(8_192, len(data) - 4_096):
        data[i] = noise.randrange(256)
    ledger.write_bytes(bytes(data))
    for args in (["log", str(out)], ["log", str(out), "--run", "1"], run):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert "ledger.sqlite cannot be used as the run ledger" in " ".join(result.output.split())


def test_a_new_ledger_is_at_the_newest_numbered_migration(tmp_path: Path) -> None:
    numbers = [n for n, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1)), "migrations are numbered 1, 2, ..."
    Ledger(tmp_path / "ledger.sqlite").close()
    with closing(sqlite3.connect(tmp_path / "ledger.sqlite")) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == numbers[-1]


def test_a_ledger_from_before_numbered_migrations_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with closing(sqlite3.connect(path)) as db:  # what the first ledgers held: no articles table
        db.executescript((MIGRATIONS / "001_runs_and_exchanges.sql").read_text())
        db.execute(
            "INSERT INTO runs (started_at, source, status) VALUES ('2026-01-01', 'src', 'done')"
        )
        db.commit()
    ledger = Ledger(path)
    assert ledger.predates_outcomes, "its briefs must be adopted, not remade"
    ledger.add_article(1, file="a.txt", article_id="a", article_sha256="x", status="done")
    ledger.close()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == migrations()[-1][0]
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1


def test_a_ledger_from_a_newer_summarize_is_refused_not_guessed_at(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 999")
    with pytest.raises(LedgerError, match="newer summarize"):
        Ledger(path)
