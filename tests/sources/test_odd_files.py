"""Files that used to break a run or slip past it ("Odd files" in docs/RELIABILITY.md), each
in a real `summarize run`: a subprocess against a loopback model.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import article_of, completion_for, write_articles
from model_server import ModelServer, ReceivedRequest, Reply

from summarize.core.article import MAX_ID_CHARS, Article, article_id
from summarize.sources.read import iter_articles, size_limit

RUN = [sys.executable, "-c", "from summarize.cli.app import main; main()", "run"]
GOOD = "Minister Anna Berg met envoy Karl Moos in Vienna on Monday to discuss grain exports.\n"
NAME_MAX = 255  # bytes in one file name, on Linux file systems


@dataclass
class Run:
    code: int
    stderr: str
    out: Path
    asked: dict[str, str]  # article id -> the body the model was sent
    manifest: dict[str, Any]
    error_lines: list[dict[str, Any]]

    def errors(self) -> list[dict[str, Any]]:
        return self.error_lines

    def ledger(self, query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.out / "ledger.sqlite") as db:
            return db.execute(query).fetchall()


def strict_utf8(path: Path) -> str:
    """The file's text, which must be valid UTF-8 without surrogate escapes in its JSON."""
    text = path.read_bytes().decode("utf-8")
    assert "\\ud8" not in text.lower() and "\\udc" not in text.lower(), text
    return text


def meeting(body: str) -> Reply:
    """One meeting, evidenced by the first sentence (ids may be too long for a topic)."""
    assert body.startswith("[1] "), "the article comes as numbered sentences"
    return completion_for(
        {
            "source": {"outlet": None, "headline": None, "published": None},
            "events": [
                {
                    "event_type": "meeting",
                    "status": "held",
                    "participants": [{"name": "A minister", "evidence": [1]}],
                    "initiator": {"party": None, "evidence": []},
                    "topics": [],
                    "outcomes": [],
                    "summary": "A meeting.",
                }
            ],
            "no_event_reason": None,
        }
    )


def run(src: Path, out: Path) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    asked: dict[str, str] = {}

    def model(request: ReceivedRequest) -> Reply:
        found, body = article_of(request)
        asked[found] = body
        return meeting(body)

    with ModelServer(responder=model) as server:
        done = subprocess.run(
            [*RUN, str(src), "--out", str(out), "--base-url", server.base_url, "--model", "m"],
            env=env,
            cwd=out.parent,  # no summarize.toml from elsewhere
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert "Traceback" not in done.stderr, done.stderr
    manifest = json.loads(strict_utf8(out / "run.json"))
    errors = [json.loads(line) for line in strict_utf8(out / "errors.jsonl").splitlines()]
    return Run(done.returncode, done.stderr, out, asked, manifest, errors)


# -- 1. names that are not UTF-8 -------------------------------------------------------------


def test_names_that_are_not_utf8_are_read_shown_and_stored(tmp_path: Path) -> None:
    # Latin-1 names, for the folder given and two files in it. "0-café.txt" sorts first, so
    # a crash on it would stop all the others.
    src = Path(os.fsdecode(os.fsencode(tmp_path) + b"/d\xe9p\xeaches"))
    write_articles(src, 20)
    with open(os.fsencode(src) + b"/0-caf\xe9.txt", "wb") as handle:
        handle.write(GOOD.encode("utf-8"))
    with open(os.fsencode(src) + b"/0-vide\xe9.txt", "wb"):
        pass

    result = run(src, tmp_path / "out")

    assert result.code == 1, result.stderr  # the empty file failed, nothing else
    folder = f"{tmp_path}/d\ufffdp\ufffdches"
    shown, empty_shown = f"{folder}/0-caf\ufffd.txt", f"{folder}/0-vide\ufffd.txt"
    assert result.manifest["source"] == folder
    assert result.manifest["counts"]["done"] == 21
    by_file = {a["file"]: a for a in result.manifest["articles"]}
    assert by_file[shown]["status"] == "done"
    assert by_file[empty_shown]["status"] == "failed"
    (error,) = result.errors()
    assert error["file"] == empty_shown
    assert error["cause"].startswith(f"{empty_shown} is empty")
    assert f"{empty_shown}: {empty_shown} is empty" in result.stderr
    assert result.ledger("SELECT source, status FROM runs") == [(folder, "done")]
    assert (shown, "done") in result.ledger("SELECT file, status FROM articles")
    # The brief is named by the id, which a name's odd bytes cannot reach.
    brief_id = by_file[shown]["id"]
    assert brief_id.startswith("0-caf--")
    brief = json.loads(strict_utf8(tmp_path / "out" / "briefs" / f"{brief_id}.json"))
    assert brief["article_id"] == brief_id


def test_batch_prepare_takes_names_that_are_not_utf8(tmp_path: Path) -> None:
    src = Path(os.fsdecode(os.fsencode(tmp_path) + b"/d\xe9p\xeaches"))
    src.mkdir()
    with open(os.fsencode(src) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(GOOD.encode("utf-8"))
    with open(os.fsencode(src) + b"/vide\xe9.txt", "wb"):
        pass
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}

    done = subprocess.run(
        [
            *(sys.executable, "-c", "from summarize.cli.app import main; main()", "batch"),
            *("prepare", str(src), "--out", str(tmp_path / "requests.jsonl"), "--model", "m"),
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert "Traceback" not in done.stderr, done.stderr
    folder = f"{tmp_path}/d\ufffdp\ufffdches"
    meta = json.loads(strict_utf8(tmp_path / "requests.meta.json"))
    assert meta["source"] == folder
    assert [e["file"] for e in meta["errors"]] == [f"{folder}/vide\ufffd.txt"]
    (request,) = strict_utf8(tmp_path / "requests.jsonl").splitlines()
    assert json.loads(request)["custom_id"].startswith("caf--")


# -- 2. long names ---------------------------------------------------------------------------


def test_a_very_long_file_name_is_done_once_and_its_brief_is_named_within_limits(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    write_articles(src, 2)
    stem = "a-very-long-headline-" * 12  # 252 characters: the longest a .txt name can have
    stem = stem[: NAME_MAX - len(".txt")]
    (src / f"{stem}.txt").write_text(GOOD, encoding="utf-8")

    first = run(src, tmp_path / "out")
    again = run(src, tmp_path / "out")

    assert first.code == 0, first.stderr
    assert first.manifest["counts"]["done"] == 3
    (long_id,) = [a["id"] for a in first.manifest["articles"] if stem in a["file"]]
    assert len(long_id) <= MAX_ID_CHARS
    assert long_id.startswith(stem[:100])
    (brief,) = (tmp_path / "out" / "briefs").glob(f"{stem[:100]}*.json")
    assert brief.stem == long_id
    assert len(os.fsencode(brief.name)) < NAME_MAX
    # The second run finds the brief current: no model call, nothing redone.
    assert again.code == 0, again.stderr
    assert again.asked == {}
    assert again.manifest["counts"]["skipped"] == 3


def test_ids_of_ordinary_names_are_unchanged() -> None:
    assert article_id("000_3c0780f787e20235", "x") == "000_3c0780f787e20235-2d711642"
    stem = "s" * (MAX_ID_CHARS - 9)  # the longest stem whose id is not cut
    assert article_id(stem, "x") == f"{stem}-2d711642"


def test_long_names_that_differ_only_at_the_end_keep_different_ids() -> None:
    stem = "x" * 300
    one, two = article_id(stem + "1", "text"), article_id(stem + "2", "text")
    assert one != two
    assert len(one) == len(two) == MAX_ID_CHARS
    assert one.endswith(article_id("short", "text")[-9:])  # the text's hash, as for any id


# -- 4. deep folders -------------------------------------------------------------------------


def test_folders_nested_deeper_than_the_recursion_limit_are_walked(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_articles(src, 2)
    depth = 990
    deep = src
    for _ in range(depth):  # os.makedirs recurses: one folder at a time
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep.txt").write_text(GOOD, encoding="utf-8")
    try:
        result = run(src, tmp_path / "out")
    finally:
        for level in range(depth, 0, -1):  # so does shutil.rmtree on Python 3.11
            folder = src.joinpath(*["d"] * level)
            for path in folder.iterdir():
                if path.is_file():
                    path.unlink()
            folder.rmdir()

    assert result.code == 0, result.stderr
    files = [a["file"] for a in result.manifest["articles"]]
    # Sorted by name at every level: "article_01.txt" before the folder "d".
    assert files == [*(str(p) for p in sorted(src.glob("*.txt"))), str(deep / "deep.txt")]
    assert result.manifest["counts"]["done"] == 3


# -- 5. binary data and mojibake ---------------------------------------------------------------


def test_binary_data_without_nul_bytes_is_refused_and_mojibake_repaired(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    rng = random.Random(5)
    noise = bytes(rng.randrange(1, 256) for _ in range(8192))
    (src / "noise.txt").write_bytes(noise)
    # UTF-8 text that went through Windows-1252 once before it was saved.
    (src / "mojibake.txt").write_text(
        "Minister Hans MÃ¼ller met envoy Karl Moos in ZÃ¼rich on Monday.\n", encoding="utf-8"
    )
    # UTF-8 and Windows-1252 bytes in one file: read as Windows-1252, the UTF-8 is mojibake.
    (src / "mixed.txt").write_bytes(
        "Minister Hans Müller met envoy Ricardo ".encode()
        + "Gonçalves in Vienna on Monday.\n".encode("cp1252")
    )
    (src / "plain.txt").write_text(GOOD, encoding="utf-8")

    result = run(src, tmp_path / "out")

    assert result.code == 1, result.stderr
    (error,) = result.errors()
    assert Path(error["file"]).name == "noise.txt"
    assert error["stage"] == "ingest"
    assert (
        "looks binary (it is not UTF-8, and no other encoding reads it as text)" in (error["cause"])
    )
    assert "convert it to UTF-8 text or remove it" in error["cause"]
    sent = sorted(body.strip().removeprefix("[1] ") for body in result.asked.values())
    assert sent == [
        GOOD.strip(),
        "Minister Hans Müller met envoy Karl Moos in Zürich on Monday.",
        "Minister Hans Müller met envoy Ricardo Gonçalves in Vienna on Monday.",
    ]
    notes = {Path(a["file"]).name: a["note"] for a in result.manifest["articles"]}
    assert notes["plain.txt"] is None
    assert notes["mojibake.txt"] == (
        "mis-decoded text was repaired (such as 'MÃ¼ller', now 'Müller'); the brief quotes "
        "the repaired text: save the file as UTF-8 to have it read as it is"
    )
    assert "'MÃ¼ller', now 'Müller'" in (notes["mixed.txt"] or "")
    assert f"done {src / 'mixed.txt'}: mis-decoded text was repaired" in result.stderr


def test_the_seeds_read_exactly_as_the_recordings_expect() -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    recorded = Path(__file__).resolve().parents[2] / "fixtures" / "recordings"
    read = [a for a in iter_articles(seeds) if isinstance(a, Article)]
    assert [a.id for a in read] == sorted(p.stem for p in recorded.glob("*.json"))
    assert all(a.text == a.path.read_text(encoding="utf-8") for a in read)
    assert all(a.repaired is None for a in read)


# -- 6. files too big to read --------------------------------------------------------------------


def test_a_100_mb_file_is_refused_without_being_read(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_articles(src, 1)
    huge = src / "huge.txt"
    with huge.open("wb") as handle:
        # Sparse zeros: read, it would be refused as binary (NUL bytes), not for its size.
        handle.truncate(100 * 1024 * 1024)

    result = run(src, tmp_path / "out")

    assert result.code == 1, result.stderr
    (error,) = result.errors()
    assert error["file"] == str(huge)
    assert error["stage"] == "size"
    assert error["cause"] == (
        f"{huge} is 104,857,600 bytes, more than a file can be whose article fits --max-chars "
        "(50,000 characters: 200,003 bytes, 4 bytes a character); it was not read: raise "
        "--max-chars if the model's context holds it, or split the article into parts"
    )
    assert result.manifest["counts"]["done"] == 1


@pytest.mark.parametrize(("suffix", "factor"), [(".txt", 1), (".md", 1), (".html", 50)])
def test_the_size_limit_is_what_max_chars_can_take(
    tmp_path: Path, suffix: str, factor: int
) -> None:
    limit = size_limit(suffix, 100)
    assert limit == (100 * 4 + 3) * factor
    content = f"<html><body><p>{GOOD}</p></body></html>" if factor > 1 else GOOD
    for name, size in [("at", limit), ("over", limit + 1)]:
        folder = tmp_path / name
        folder.mkdir()
        padding = size - len(content.encode("utf-8"))
        (folder / f"a{suffix}").write_text(content + " " * padding, encoding="utf-8")
    (at,) = iter_articles(tmp_path / "at", max_chars=100)
    (over,) = iter_articles(tmp_path / "over", max_chars=100)
    assert isinstance(at, Article), at
    assert at.body.strip() == GOOD.strip()
    assert not isinstance(over, Article)
    assert over.stage == "size"
    assert f"is {limit + 1:,} bytes" in over.cause


def test_json_files_have_no_size_limit(tmp_path: Path) -> None:
    assert size_limit(".json", 10) is None and size_limit(".jsonl", 10) is None
    records = [{"text": f"Story {n}: " + "word " * 20} for n in range(20)]
    (tmp_path / "feed.jsonl").write_text("\n".join(map(json.dumps, records)), encoding="utf-8")
    read = list(iter_articles(tmp_path, max_chars=200))
    assert len(read) == 20 and all(isinstance(a, Article) for a in read)
