"""`summarize run --local` as a real process, its server a llama.cpp test double
(tests/llama_double: summarize's own server code around a scripted model that writes a token
every few milliseconds): a heartbeat from the first line, the measured speed and expected
time before the first article, the timeout explained, tokens so far while an article is
written, and a closing line that says how to use a capable model."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import Ran, plain, summarize

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
DOUBLE = TESTS / "llama_double"


def local_run(tmp_path: Path, *extra: str, terminal: bool = False, wait: bool = True) -> Ran:
    """`run --local` on two articles; with `wait` the double pauses each article's answer
    until the heartbeat has read its progress (never without a heartbeat: --quiet)."""
    src = tmp_path / "src"
    src.mkdir()
    for i, place in enumerate(["Geneva", "Doha"]):
        (src / f"talks{i}.txt").write_text(
            f"Foreign ministers met in {place} on Monday to discuss a ceasefire.\n"
            "They agreed to meet again next week.\n",
            encoding="utf-8",
        )
    model = tmp_path / "tiny-double.gguf"
    model.write_bytes(b"GGUF test double: never loaded")
    return summarize(
        "run", src, "--local", "--model-path", model, "-o", tmp_path / "out", *extra,
        terminal=terminal,
        # The double's llama_cpp first, then the tests' helpers (its answers), then summarize.
        PYTHONPATH=f"{DOUBLE}:{TESTS}:{ROOT}",
        SUMMARIZE_HEARTBEAT="1",
        LLAMA_DOUBLE_WAIT="1" if wait else "0",
    )  # fmt: skip


def test_on_a_pipe_the_local_run_says_what_it_does_from_its_first_line(tmp_path: Path) -> None:
    ran = local_run(tmp_path)

    assert ran.code == 0, ran.stderr
    lines = ran.stderr.splitlines()
    assert lines[0] == "local: starting llama.cpp's server with tiny-double.gguf: loading the model"
    said = plain(ran.stderr)
    order = [
        "local: warming up: timing two short requests",
        "local: preparing the run",
        "local: measured: reads",
        "a typical article",
        "so 2 articles: about",
        "local: timeout per request:",
        "local: summarising",
        "article 1 of 2",
        "summarize: 2/2",
        "run 1: 2 done",
        "this ran tiny-double on this machine's CPU",
    ]
    at = [said.index(part) for part in order]
    assert at == sorted(at), list(zip(order, at, strict=True))
    assert "= the slowest request this server can get" in said
    assert "x 3 for writing after a full context x 4 for a busy machine" in said
    assert "--timeout SECONDS sets another" in said
    assert "writing:" in said and "tokens so far" in said
    assert "tokens written in all" in said
    assert "\x1b[" not in ran.stderr, "plain lines on a pipe"


def test_the_closing_line_gives_the_same_command_for_a_capable_model(tmp_path: Path) -> None:
    ran = local_run(tmp_path, "--force", wait=False)

    assert ran.code == 0, ran.stderr
    said = plain(ran.stderr)
    assert "point the same command at a capable model with --base-url (-u) and --model (-m)" in (
        said
    )
    assert (
        f"summarize run {tmp_path / 'src'} --out {tmp_path / 'out'} "
        "-u http://127.0.0.1:11434/v1 -m qwen2.5:7b" in said
    )
    assert "--local" not in said.split("e.g. Ollama:")[1]


def test_a_given_timeout_is_kept_and_said_to_be_given(tmp_path: Path) -> None:
    ran = local_run(tmp_path, "--timeout", "300", wait=False)

    assert ran.code == 0, ran.stderr
    assert "local: timeout per request: 300s, as given" in ran.stderr


def test_on_a_terminal_a_status_line_follows_the_article(tmp_path: Path) -> None:
    ran = local_run(tmp_path, terminal=True)

    assert ran.code == 0, ran.stderr
    said = plain(ran.stderr)
    assert "local: starting llama.cpp's server with tiny-double.gguf" in said
    assert "tokens so far" in said, "the status line shows the article being written"
    assert "run 1: 2 done" in said


@pytest.mark.parametrize("quiet", ["-q", "--quiet"])
def test_quiet_local_run_prints_nothing_but_errors(tmp_path: Path, quiet: str) -> None:
    ran = local_run(tmp_path, quiet, wait=False)

    assert ran.code == 0, ran.stderr
    assert ran.stderr == ""


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["run", "seeds/", "--local", "-o", "out/"],
            "summarize run seeds/ -o out/ -u http://127.0.0.1:11434/v1 -m qwen2.5:7b",
        ),
        (
            ["run", "my articles", "--model-path", "x.gguf", "--local", "--force"],
            "summarize run 'my articles' --force -u http://127.0.0.1:11434/v1 -m qwen2.5:7b",
        ),
        (
            ["run", "a/", "--model-path=x.gguf", "--local", "--memo", "m.md"],
            "summarize run a/ --memo m.md -u http://127.0.0.1:11434/v1 -m qwen2.5:7b",
        ),
    ],
)
def test_the_capable_command_is_the_typed_one_without_the_local_options(
    argv: list[str], expected: str
) -> None:
    from summarize.cli.local import capable_command

    assert capable_command(argv, "ignored", Path("ignored")) == expected
