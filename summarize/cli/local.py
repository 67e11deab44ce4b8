"""`run --local`: the bundled CPU model, with a heartbeat and honest expectations.

A small model on a few CPU cores takes minutes an article and would otherwise sit silent:
this says what it is doing from the first second (loading the model, warming up, article k
of n, tokens written so far), states the measured speed, the expected time per article and
in all before the first article, explains the per-request timeout it chose, and ends by
saying how to point the same command at a capable model.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from summarize.cli.heartbeat import Heartbeat
from summarize.cli.progress import clock

if TYPE_CHECKING:
    from summarize.core.results import RunSummary
    from summarize.model.local_fit import ServerProfile
    from summarize.model.local_server import LocalServer
    from summarize.settings import Settings

LABEL = "local"
# What the closing line suggests: the most common local endpoint, as its docs spell it.
EXAMPLE_ENDPOINT = ("http://127.0.0.1:11434/v1", "qwen2.5:7b")
# Options of `run` that only make sense with the bundled server, and whether they take a value.
_LOCAL_ONLY = {"--local": False, "--model-path": True}


def starting(beat: Heartbeat, model_file: str) -> None:
    beat.phase(f"starting llama.cpp's server with {model_file}: loading the model")


def warming_up(beat: Heartbeat) -> None:
    beat.phase("warming up: timing two short requests to measure its reading and writing speed")


def preparing(beat: Heartbeat) -> None:
    beat.phase("preparing the run: loading the model client, counting the articles")


def expectations(
    beat: Heartbeat,
    profile: ServerProfile,
    settings: Settings,
    articles: int,
    *,
    timeout_given: bool,
) -> None:
    """The measured speed, the time an article and the run should take, and the timeout."""
    from summarize.model.local_fit import RunFit, article_seconds, timeout_reason

    each = article_seconds(profile)
    beat.say(
        f"measured: reads {profile.prompt_tokens_per_s:,.0f} tokens/s, writes "
        f"{profile.output_tokens_per_s:,.1f} tokens/s on this machine now; a typical article "
        f"(about 5,000 tokens read and 2,700 written, re-asks included) takes about "
        f"{clock(each)}, so {articles} article{'s' * (articles != 1)}: about "
        f"{clock(each * articles)} (longer if the machine gets busier)"
    )
    fit = RunFit.of(settings)
    if timeout_given:
        beat.say(f"timeout per request: {fit.timeout:g}s, as given")
    else:
        beat.say(
            f"timeout per request: {fit.timeout:g}s = {timeout_reason(profile, fit)}; "
            "--timeout SECONDS sets another"
        )


def article_detail(summary: RunSummary, server: LocalServer) -> Callable[[], str]:
    """What the heartbeat says during the articles: which one, and the server's tokens."""
    from summarize.model.server_progress import read_progress

    root = server.base_url.removesuffix("/v1")

    def detail() -> str:
        total = max(summary.expected, summary.total)
        k = min(summary.total + 1, total) if total else 0
        where = f"article {k} of {total}" if total else "reading the articles"
        progress = read_progress(root)
        if progress is None:
            return where
        if progress.busy and progress.written == 0:
            now = f"reading its prompt ({progress.prompt_tokens:,} tokens)"
        elif progress.busy:
            now = f"writing: {progress.written:,} tokens so far"
        else:
            now = "preparing its request"
        return f"{where}: {now}; {progress.written_total:,} tokens written in all"

    return detail


def articles_phase(beat: Heartbeat, summary: RunSummary, server: LocalServer) -> None:
    beat.phase("summarising", article_detail(summary, server))


def capable_command(argv: Sequence[str] | None, src: str, out: Path) -> str:
    """The same `summarize run` command pointed at an OpenAI-compatible endpoint."""
    url, model = EXAMPLE_ENDPOINT
    if argv is None:
        kept = ["run", src, "--out", str(out)]
    else:
        kept, skip = [], False
        for arg in argv:
            name = arg.split("=", 1)[0]
            if skip:
                skip = False
            elif name in _LOCAL_ONLY:
                skip = _LOCAL_ONLY[name] and "=" not in arg
            else:
                kept.append(arg)
    return "summarize " + shlex.join([*kept, "-u", url, "-m", model])


def closing(started: float, done: int, model: str, command: str) -> str:
    """The last word of a local run: what it was, and the way to better briefs."""
    pace = f", {clock((time.monotonic() - started) / done)} an article" if done else ""
    return (
        f"this ran {model} on this machine's CPU{pace}: enough to try summarize offline, not "
        "for good briefs. For those, point the same command at a capable model with "
        f"--base-url (-u) and --model (-m), e.g. Ollama:\n  {command}\n"
        "(vLLM, LM Studio or a hosted API work the same; a hosted one needs OPENAI_API_KEY)"
    )
