"""Every fault a model endpoint can throw, in one real `summarize run`, and what the user gets.

One article per fault, several in flight at once, against a loopback server scripted per article.
Each row of FAULTS says what that article's requests get and what the user must see: the
article done (retried and recovered), or failed in errors.jsonl at a stage with a cause
naming what to do. Whatever happens to one article, every other article is done.

Runs through the CLI in-process. Waits are kept short without a back-off setting: 429 and
5xx replies carry `Retry-After: 0` (which the client honours instead of backing off), and
transport retries are capped at one, so only timeouts and hang-ups pay the 1-2 s back-off.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import article_of
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion
from typer.testing import CliRunner, Result

from summarize.cli.app import app
from summarize.core.brief import Brief

pytestmark = pytest.mark.usefixtures("isolated")

Step = Callable[[ReceivedRequest], Reply]
ArticleOf = Callable[[ReceivedRequest], tuple[str, str]]

TIMEOUT = 1.0  # seconds per request in these runs
# Below the loopback server's listen backlog (5): more simultaneous connects than that get
# their SYNs dropped and retried a second later, which would read as timeouts here.
CONCURRENCY = 4
NO_WAIT = {"retry-after": "0"}
# A sentence number beyond every test article: evidence the model made up.
INVENTED = [99]


def api_error(status: int, message: str, headers: dict[str, str] | None = None) -> Step:
    reply = Reply.json({"error": {"message": message, "type": "test"}}, status, headers)
    return lambda _: reply


def content(text: str, finish_reason: str | None = None) -> Step:
    reply = Reply.json(chat_completion(text, finish_reason=finish_reason))
    return lambda _: reply


def late(step: Step, seconds: float) -> Step:
    return lambda request: step(request).after(seconds)


def hang_up(_: ReceivedRequest) -> Reply:
    return Reply.hang_up()


@dataclass(frozen=True)
class Fault:
    """One article's script and what the user must get for it."""

    name: str
    script: tuple[str, ...]  # step names, see `steps` below; then the model answers well
    status: str  # "done" or "failed"
    requests: int
    stage: str | None = None
    cause: tuple[str, ...] = ()  # phrases the cause must hold, so the user knows what to do
    warnings: int = 0  # items dropped because they cite no sentence of the article


FAULTS = (
    Fault("rate_limited_once", ("429",), "done", 2),
    Fault(
        "rate_limited_for_an_hour",
        ("429_hour",),
        "failed",
        1,  # waiting an hour is not a retry; the cause says how long the server asked for
        "transport",
        ("rate limited", "(429)", "3600s", "--concurrency"),
    ),
    Fault(
        "rate_limited_always",
        ("429", "429"),
        "failed",
        2,
        "transport",
        ("rate limited", "(429)", "try later", "--concurrency"),
    ),
    Fault("server_error_500_once", ("500",), "done", 2),
    Fault("server_error_502_once", ("502",), "done", 2),
    Fault("server_error_503_once", ("503",), "done", 2),
    Fault(
        "server_error_always",
        ("502", "502"),
        "failed",
        2,
        "transport",
        ("server error (502)", "bad gateway", "try again later"),
    ),
    Fault("slow_once", ("slow",), "done", 2),
    Fault(
        "slow_always",
        ("slow", "slow"),
        "failed",
        2,
        "transport",
        ("timed out", "2 attempts", f"{TIMEOUT:g}s", "--timeout"),
    ),
    Fault("hang_once", ("hang",), "done", 2),
    Fault("dropped_once", ("drop",), "done", 2),
    Fault(
        "dropped_always",
        ("drop", "drop"),
        "failed",
        2,
        "transport",
        ("failed after 2 attempts", "check the server is running", "--base-url"),
    ),
    Fault("malformed_json_once", ("malformed",), "done", 2),
    Fault(
        "malformed_json_always",
        ("malformed", "malformed"),
        "failed",
        2,
        "validation",
        ("no valid answer after 2 attempts", "not valid JSON", "--mode"),
    ),
    Fault(
        "truncated",
        ("truncated",),
        "failed",
        1,  # a cut-off answer is not re-asked: the same cap would cut it again
        "model",
        ("cut off at 2048 output tokens", "--max-output-tokens"),
    ),
    Fault("schema_violation_once", ("schema",), "done", 2),
    Fault(
        "schema_violation_always",
        ("schema", "schema"),
        "failed",
        2,
        "validation",
        # Nothing in it can be kept (an event that says nothing), however leniently read.
        ("the last answer had nothing usable", "events[0]: says nothing", "--mode"),
    ),
    Fault("invented_quote_once", ("invented",), "done", 2),
    Fault("invented_quote_always", ("invented", "invented"), "done", 2, warnings=1),
    Fault(
        "bad_request",
        ("400",),
        "failed",
        1,
        "request",
        ("refused the request (400)", "context length exceeded"),
    ),
    Fault("no_fault", (), "done", 1),
)


class PerArticle:
    """A loopback model scripted per article (by file stem), answering well otherwise."""

    def __init__(self, article_of: ArticleOf, steps: dict[str, Step], good: Step) -> None:
        self._article_of = article_of
        self._steps = steps
        self._good = good
        self._lock = threading.Lock()
        self._scripts: dict[str, list[str]] = {f.name: list(f.script) for f in FAULTS}
        self.asked: dict[str, int] = defaultdict(int)

    def __call__(self, request: ReceivedRequest) -> Reply:
        stem = self._article_of(request)[0].rsplit("-", 1)[0]
        with self._lock:
            self.asked[stem] += 1
            script = self._scripts[stem]
            step = self._steps[script.pop(0)] if script else self._good
        return step(request)


def answer(
    article_of: ArticleOf, request: ReceivedRequest, cited: list[int] | None = None
) -> Reply:
    """One meeting, evidenced by the article's first sentence (or by `cited`)."""
    article_id, _ = article_of(request)
    extraction = {
        "source": {"outlet": None, "headline": None, "published": None},
        "events": [
            {
                "event_type": "meeting",
                "participants": [
                    {"name": "The minister", "evidence": [1]},
                    {"name": "The envoy", "evidence": cited or [1]},
                ],
                "status": "held",
                "initiator": {"party": None, "evidence": []},
                "topics": ["grain"],
                "outcomes": [],
                "summary": f"A meeting reported by {article_id}.",
            }
        ],
        "no_event_reason": None,
    }
    return Reply.json(chat_completion(json.dumps(extraction)))


@dataclass
class Run:
    result: Result
    out: Path
    src: Path
    asked: dict[str, int]
    manifest: dict[str, Any] = field(init=False)
    errors: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.manifest = json.loads((self.out / "run.json").read_text(encoding="utf-8"))
        lines = (self.out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
        self.errors = {Path(e["file"]).stem: e for e in map(json.loads, lines)}

    def status(self, name: str) -> str:
        (entry,) = [a for a in self.manifest["articles"] if Path(a["file"]).stem == name]
        return str(entry["status"])

    def brief(self, name: str) -> Brief:
        (path,) = (self.out / "briefs").glob(f"{name}-*.json")
        return Brief.model_validate_json(path.read_bytes())


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The one run every test below reads (module scope: it is the slow part)."""
    tmp = tmp_path_factory.mktemp("faults")
    src, out = tmp / "src", tmp / "out"
    src.mkdir()
    for n, fault in enumerate(FAULTS):
        (src / f"{fault.name}.txt").write_text(
            f"Minister {n} met the envoy in Vienna on Monday to discuss the {fault.name} case.\n"
            f"\nOfficials said talks number {n} would continue next month.\n",
            encoding="utf-8",
        )
    schema_violation = json.dumps({"source": {}, "events": [{"event_type": "telepathy"}]})
    steps: dict[str, Step] = {
        "429": api_error(429, "slow down", NO_WAIT),
        "429_hour": api_error(429, "quota exhausted", {"retry-after": "3600"}),
        "500": api_error(500, "internal error", NO_WAIT),
        "502": api_error(502, "Bad Gateway", NO_WAIT),
        "503": api_error(503, "overloaded", NO_WAIT),
        "400": api_error(400, "context length exceeded"),
        "slow": late(lambda request: answer(article_of, request), TIMEOUT * 10),
        "hang": late(hang_up, 3600),  # reads the request, then nothing until the server stops
        "drop": hang_up,
        "malformed": content('{"source": {"outlet": "Reut'),
        "truncated": content('{"source": {"outlet": null}, "events": [{"event_ty', "length"),
        "schema": content(schema_violation),
        "invented": lambda request: answer(article_of, request, INVENTED),
    }
    script = PerArticle(article_of, steps, lambda request: answer(article_of, request))
    with ModelServer(responder=script) as server, pytest.MonkeyPatch.context() as patch:
        # What the `isolated` fixture does per test: no settings from outside this run.
        patch.chdir(tmp)
        for name in [n for n in os.environ if n.startswith(("SUMMARIZE_", "OPENAI_"))]:
            patch.delenv(name)
        result = CliRunner().invoke(
            app,
            [
                "run",
                str(src),
                "--out",
                str(out),
                "--base-url",
                server.base_url,
                "--model",
                "test-model",
                "--concurrency",
                str(CONCURRENCY),
                "--timeout",
                str(TIMEOUT),
                "--max-reasks",
                "1",
            ],
            env={"SUMMARIZE_TRANSPORT_RETRIES": "1"},
        )
    return Run(result, out, src, dict(script.asked))


def test_the_run_ends_with_exit_1_and_a_line_per_failed_article(fault_run: Run) -> None:
    failed = [f for f in FAULTS if f.status == "failed"]
    assert fault_run.result.exit_code == 1, fault_run.result.output
    assert fault_run.manifest["counts"]["failed"] == len(failed)
    assert fault_run.manifest["counts"]["done"] == len(FAULTS) - len(failed)
    assert fault_run.manifest["interrupted"] is None
    stderr = fault_run.result.stderr
    # The summary names the first failures of each cause, then counts the rest.
    named = [f for f in failed if str(fault_run.src / f"{f.name}.txt") in stderr]
    assert named
    more = sum(int(n) for n in re.findall(r"and (\d+) more failed", stderr))
    assert len(named) + more == len(failed), stderr


def test_every_article_without_a_lasting_fault_is_done(fault_run: Run) -> None:
    done = {Path(a["file"]).stem for a in fault_run.manifest["articles"] if a["status"] == "done"}
    assert done == {f.name for f in FAULTS if f.status == "done"}
    briefs = {p.name.rsplit("-", 1)[0] for p in (fault_run.out / "briefs").iterdir()}
    assert briefs == done


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_what_the_user_gets(fault: Fault, fault_run: Run) -> None:
    assert fault_run.status(fault.name) == fault.status
    assert fault_run.asked[fault.name] == fault.requests
    if fault.status == "done":
        assert fault.name not in fault_run.errors
        brief = fault_run.brief(fault.name)
        assert len(brief.warnings) == fault.warnings
        if fault.warnings:
            # The invented claim is not in the brief; the warning says what was dropped.
            assert [w.quote for w in brief.warnings] == [str(INVENTED)]
            assert [p.name for p in brief.events[0].participants] == ["The minister"]
        return
    error = fault_run.errors[fault.name]
    assert error["stage"] == fault.stage
    assert error["article_id"] is not None and error["article_id"].startswith(fault.name)
    cause = error["cause"].lower()
    for phrase in fault.cause:
        assert phrase.lower() in cause, error["cause"]


def test_errors_file_has_exactly_the_failed_articles(fault_run: Run) -> None:
    assert set(fault_run.errors) == {f.name for f in FAULTS if f.status == "failed"}
