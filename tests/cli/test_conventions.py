"""The command line's conventions, as real processes: -h and --version, the short forms,
--out (a folder) against --output (a file) with the old spelling still read, and metavars in
words in every command's help."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_process import plain, summarize
from model_server import ModelServer

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
RECORDINGS = ROOT / "fixtures" / "recordings"
GOLDEN = ROOT / "fixtures" / "golden"
COMMANDS = [
    [],
    ["run"],
    ["memo"],
    ["export"],
    ["log"],
    ["eval"],
    ["review"],
    ["serve"],
    ["schema"],
    ["batch"],
    ["batch", "prepare"],
    ["batch", "submit"],
    ["batch", "status"],
    ["batch", "fetch"],
    ["batch", "ingest"],
]
# What click prints for an option whose metavar nobody chose: a type, not a word for the value.
TYPE_METAVARS = re.compile(r"(?<![\w-])(PATH|TEXT|INTEGER|FLOAT|BOOLEAN)(?![\w-])|\{[A-Z_]+\}")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "summarize")
def test_every_command_takes_dash_h_and_its_help_names_values_in_words(
    command: list[str],
) -> None:
    short = summarize(*command, "-h")

    assert short.code == 0, short.stderr
    assert "Usage:" in short.stdout and "-h, --help" in short.stdout
    assert not TYPE_METAVARS.search(short.stdout), TYPE_METAVARS.findall(short.stdout)


@pytest.mark.parametrize("command", [[], ["batch", "ingest"]], ids=["summarize", "batch ingest"])
def test_dash_h_is_the_same_help_as_dash_dash_help(command: list[str]) -> None:
    assert summarize(*command, "-h").stdout == summarize(*command, "--help").stdout


def test_help_on_a_terminal_is_the_same_help(tmp_path: Path) -> None:
    ran = summarize("run", "-h", terminal=True, stdout_terminal=True)

    assert ran.code == 0
    assert "-o, --out FOLDER" in plain(ran.stderr)
    assert "-m, --model NAME" in plain(ran.stderr)
    assert "-u, --base-url URL" in plain(ran.stderr)


@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version(option: str) -> None:
    from importlib.metadata import version

    ran = summarize(option)

    assert ran.code == 0
    assert ran.stdout.strip() == f"summarize {version('summarize')}"


def test_short_forms_run_and_write_a_memo(tmp_path: Path) -> None:
    out, memo = tmp_path / "out", tmp_path / "memo.md"

    ran = summarize("run", SEEDS, "--replay", "--recordings", RECORDINGS, "-o", out, "-q")
    assert ran.code == 0, ran.stderr
    assert len(list((out / "briefs").glob("*.json"))) == 5

    made = summarize("memo", out, "-o", memo)
    assert made.code == 0, made.stderr
    assert memo.read_text(encoding="utf-8").startswith("#")
    assert "note:" not in made.stderr


def test_model_and_base_url_short_forms_reach_the_endpoint(
    tmp_path: Path, good_model: ModelServer
) -> None:
    (tmp_path / "a.txt").write_text(
        "Leaders met in Paris on Monday to discuss trade. They agreed to meet again.",
        encoding="utf-8",
    )
    ran = summarize(
        "run", tmp_path / "a.txt", "-o", tmp_path / "out", "-u", good_model.base_url,
        "-m", "short-model", "-f", "-q",
    )  # fmt: skip

    assert ran.code == 0, ran.stderr
    assert good_model.requests[0].json()["model"] == "short-model"
    assert (tmp_path / "out" / "run.json").is_file()


def test_the_old_out_file_spelling_still_works_and_says_what_changed(tmp_path: Path) -> None:
    memo = tmp_path / "memo.html"

    ran = summarize("memo", GOLDEN, "--out", memo)

    assert ran.code == 0, ran.stderr
    assert memo.read_text(encoding="utf-8").lstrip().startswith("<!")
    said = plain(ran.stderr)
    assert f"--out {memo} is read as --output {memo}" in said
    assert "--out names a folder in every command" in said


def test_output_and_the_old_out_at_once_is_a_usage_error(tmp_path: Path) -> None:
    ran = summarize("memo", GOLDEN, "--output", tmp_path / "a.md", "--out", tmp_path / "b.md")

    assert ran.code == 2
    assert "give the output file once" in ran.stderr
    assert not (tmp_path / "a.md").exists() and not (tmp_path / "b.md").exists()


def test_memo_without_an_output_file_says_how_to_give_one() -> None:
    ran = summarize("memo", GOLDEN)

    assert ran.code == 2
    assert "--output FILE" in ran.stderr


def test_batch_prepare_writes_its_one_file_with_dash_o(tmp_path: Path) -> None:
    requests = tmp_path / "requests.jsonl"

    ran = summarize("batch", "prepare", SEEDS, "-o", requests, "-m", "gpt-4o-mini")

    assert ran.code == 0, ran.stderr
    lines = requests.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert json.loads(lines[0])["body"]["model"] == "gpt-4o-mini"
    assert (tmp_path / "requests.meta.json").is_file()


def test_batch_prepare_old_spelling_is_read_with_a_note(tmp_path: Path) -> None:
    requests = tmp_path / "r.jsonl"

    ran = summarize("batch", "prepare", SEEDS, "--out", requests, "--model", "gpt-4o-mini")

    assert ran.code == 0, ran.stderr
    assert requests.is_file()
    assert "is read as --output" in plain(ran.stderr)
