"""OutputStore on real files and a real SQLite ledger: atomic writes, which briefs count as
current (the ledger decides), the run lock."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from run_files import a_manifest

from summarize.core.brief import SCHEMA_VERSION, Brief, Provenance, Source
from summarize.core.results import ErrorRecord
from summarize.outdir.ledger import Ledger
from summarize.outdir.store import OutputLockedError, OutputStore

SHA = "c" * 64
ARTICLE_ID = "talks-in-vienna-cccccccc"


def brief(**provenance: str) -> Brief:
    values = {"article_sha256": SHA, "prompt_version": "prompt-1", "model": "model-a"}
    values.update(provenance)
    return Brief(
        article_id=ARTICLE_ID,
        source=Source(headline="Talks in Vienna"),
        no_event_reason="Background piece.",
        provenance=Provenance.model_validate(values),
    )


def made(
    store: OutputStore,
    written: Brief,
    *,
    sha256: str = SHA,
    prompt_version: str = "prompt-1",
    model: str = "model-a",
    schema_version: str = SCHEMA_VERSION,
) -> None:
    """Write `written` as a run made with these inputs would: the file and its ledger row."""
    run = store.ledger.start_run(
        source="src", model=model, prompt_version=prompt_version, schema_version=schema_version
    )
    store.ledger.add_article(
        run,
        file="talks.txt",
        article_id=ARTICLE_ID,
        article_sha256=sha256,
        status="done",
        brief_sha256=store.write_brief(written),
    )


def existing(store: OutputStore, article_id: str) -> Brief | None:
    """The stored brief, or None when absent or unreadable."""
    try:
        return Brief.model_validate_json(store.brief_path(article_id).read_bytes())
    except (OSError, ValueError):
        return None


def is_current(store: OutputStore, article_id: str, *made_with: str) -> bool:
    return store.check_brief(article_id, *made_with).current


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_brief_round_trips_through_its_file(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    written = brief()
    digest = store.write_brief(written)

    path = tmp_path / "out" / "briefs" / f"{ARTICLE_ID}.json"
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest() == store.brief_sha256(ARTICLE_ID)
    assert existing(store, ARTICLE_ID) == written
    assert json.loads(path.read_text(encoding="utf-8"))["provenance"]["model"] == "model-a"


def test_writes_leave_no_temp_files(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    store.write_brief(brief())
    store.write_brief(brief(model="model-b"))  # replacing an existing file too
    store.write_manifest(a_manifest())
    store.write_errors([ErrorRecord(None, "a.txt", "ingest", "is empty")])

    assert files_under(tmp_path / "out") == [
        f"briefs/{ARTICLE_ID}.json",
        "errors.jsonl",
        "run.json",
    ]
    assert existing(store, ARTICLE_ID) == brief(model="model-b")


def test_absent_brief_is_not_current(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    assert existing(store, ARTICLE_ID) is None
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")


def test_brief_made_the_same_way_is_current(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    made(store, brief())
    assert is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")
    # The ledger is on disk: a new store over the same folder (the next run) agrees.
    store.close()
    assert is_current(OutputStore(tmp_path / "out"), ARTICLE_ID, SHA, "prompt-1", "model-a")


def test_a_brief_the_ledger_never_recorded_is_not_current(tmp_path: Path) -> None:
    # Copied in by hand, or left by a run whose ledger was lost: resume consults the ledger.
    store = OutputStore(tmp_path / "out")
    store.write_brief(brief())
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")


@pytest.mark.parametrize("change", ["edited", "removed"])
def test_a_brief_changed_on_disk_since_the_ledger_recorded_it_is_not_current(
    change: str, tmp_path: Path
) -> None:
    store = OutputStore(tmp_path / "out")
    made(store, brief())
    path = store.brief_path(ARTICLE_ID)
    if change == "edited":
        path.write_text(path.read_text().replace("Background piece.", "Edited."))
    else:
        path.unlink()
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")


def test_only_the_last_brief_written_counts(tmp_path: Path) -> None:
    # A run with prompt 2 replaced prompt 1's brief: asking for prompt 1 again must redo it.
    store = OutputStore(tmp_path / "out")
    made(store, brief())
    made(store, brief(prompt_version="prompt-2"), prompt_version="prompt-2")
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")
    assert is_current(store, ARTICLE_ID, SHA, "prompt-2", "model-a")


@pytest.mark.parametrize(
    ("sha256", "prompt_version", "model"),
    [
        ("d" * 64, "prompt-1", "model-a"),  # the article text changed
        (SHA, "prompt-2", "model-a"),  # the prompt changed
        (SHA, "prompt-1", "model-b"),  # another model
    ],
)
def test_any_changed_input_makes_a_brief_stale(
    sha256: str, prompt_version: str, model: str, tmp_path: Path
) -> None:
    store = OutputStore(tmp_path / "out")
    made(store, brief())
    assert not is_current(store, ARTICLE_ID, sha256, prompt_version, model)


def test_brief_of_another_schema_version_is_stale(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    made(
        store, brief(schema_version=SCHEMA_VERSION + ".old"), schema_version=SCHEMA_VERSION + ".old"
    )
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")


@pytest.mark.parametrize(
    "content",
    [
        b'{"article_id": "talks-in-vienna-cccccccc", "source": {',  # cut off mid-write
        b"",
        b'{"article_id": "talks-in-vienna-cccccccc"}',  # valid JSON, not a brief
        b"\xff\xfe\x00garbage",
    ],
)
def test_corrupted_brief_counts_as_absent(content: bytes, tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    made(store, brief())
    store.brief_path(ARTICLE_ID).write_bytes(content)

    assert existing(store, ARTICLE_ID) is None
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")


def test_errors_file_has_one_json_line_per_failure(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "out")
    store.write_errors(
        [
            ErrorRecord(None, "empty.txt", "ingest", "is empty"),
            ErrorRecord("x-1", "x.txt", "validation", "нет ответа"),
        ]
    )
    lines = store.errors_path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"article_id": None, "file": "empty.txt", "stage": "ingest", "cause": "is empty"},
        {"article_id": "x-1", "file": "x.txt", "stage": "validation", "cause": "нет ответа"},
    ]
    assert "нет ответа" in lines[1]  # readable, not \u-escaped

    store.write_errors([])
    assert store.errors_path.read_text(encoding="utf-8") == ""


def test_a_held_lock_refuses_a_second_writer_naming_the_holder(tmp_path: Path) -> None:
    first, second = OutputStore(tmp_path / "out"), OutputStore(tmp_path / "out")
    with first.lock():
        with pytest.raises(OutputLockedError) as caught, second.lock():
            pass
        message = str(caught.value)
        assert f"another summarize run (pid {os.getpid()})" in message
        assert str(tmp_path / "out") in message
        assert "--out" in message
    # Released on exit: the next run gets in.
    with second.lock():
        pass


def test_lock_creates_the_output_folder(tmp_path: Path) -> None:
    store = OutputStore(tmp_path / "new" / "out")
    with store.lock():
        assert store.root.is_dir()


def test_briefs_under_a_ledger_from_before_outcomes_are_adopted_once(tmp_path: Path) -> None:
    # An output folder from the version whose ledger kept only runs and exchanges: upgrading
    # must not remake (and pay for) every brief.
    from summarize.outdir.ledger import MIGRATIONS

    store = OutputStore(tmp_path / "out")
    store.write_brief(brief())
    store.write_brief(brief(prompt_version="prompt-0").model_copy(update={"article_id": "old-1"}))
    legacy = (MIGRATIONS / "001_runs_and_exchanges.sql").read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "out" / "ledger.sqlite") as db:
        db.executescript(legacy)
        db.execute("INSERT INTO runs (started_at, source, status) VALUES ('t', 'src', 'done')")
    # `summarize log` opened it first (which adds the new table) and adopted nothing.
    assert [r["id"] for r in Ledger(tmp_path / "out" / "ledger.sqlite").runs()] == [1]

    assert is_current(store, ARTICLE_ID, SHA, "prompt-1", "model-a")
    assert not is_current(store, ARTICLE_ID, SHA, "prompt-2", "model-a")
    runs = store.ledger.runs()
    adopted = [r for r in runs if r["status"] == "adopted"]
    assert sorted((r["prompt_version"], r["counts"]["done"]) for r in adopted) == [
        ("prompt-0", 1),
        ("prompt-1", 1),
    ]
    store.close()
    assert len(OutputStore(tmp_path / "out").ledger.runs()) == 3, "adopted once, not again"


def test_deleting_the_lock_file_does_not_let_a_second_run_in(tmp_path: Path) -> None:
    # The holder is another process, as a second `summarize run` would meet it.
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from summarize.outdir.store import OutputStore\n"
            "with OutputStore(Path(sys.argv[1])).lock():\n"
            "    print('held', flush=True); time.sleep(60)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        (out / ".lock").unlink()  # what a user tidying the folder might do
        (tmp_path / "a.txt").write_text("Minister met envoy in Paris.\n", encoding="utf-8")
        second = subprocess.run(
            [
                sys.executable,
                "-c",
                "from summarize.cli import main; main()",
                "run",
                str(tmp_path / "a.txt"),
                "--out",
                str(out),
                "--replay",
                "--recordings",
                str(ROOT / "fixtures" / "recordings"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode == 2, second.stderr
        assert f"another summarize run (pid unknown) is writing to {out}" in " ".join(
            second.stderr.split()
        )
        assert not (out / "briefs").exists()
    finally:
        holder.kill()
        holder.wait()
