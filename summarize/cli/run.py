"""`summarize run`: extract a brief per article, resumably, into an output folder."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarize.cli import options as opt
from summarize.cli.collector import frozen_start
from summarize.cli.output import cannot_write, fail, note, say
from summarize.core.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE

if TYPE_CHECKING:
    from summarize.core.results import Budget, RunSummary
    from summarize.model.prompts import PromptTemplate
    from summarize.outdir.manifest import RunManifest
    from summarize.outdir.store import OutputStore
    from summarize.run.pool import WorkerPool
    from summarize.run.session import RunSession
    from summarize.settings import Settings

RUN_HELP = """
Extract one event brief per article in SRC: a folder (searched recursively), a
file, a URL, or a .txt file listing URLs.

Reads .txt, .md, .html/.htm, .pdf (its text layer: no OCR), .docx, .eml
(Subject as title, Date as publication date), .json and .jsonl. Other files in
a folder are listed as not read, with why, at the end and in run.json.

A .txt file is a URL list when, blank lines and # comments aside, it is read
line by line as http(s) URLs: every line one word, or most lines URLs; each
other line is reported (file and line number) and skipped. Each page is
fetched once (--fetch-timeout for connect, headers and body together, a size
cap from --max-chars, at most 5 redirects, a few pages at once and at most two
from one host) into --out's pages/ folder, with a sidecar naming the final URL
and any redirect; later runs read the stored copy (--refetch fetches anew). A
page that cannot be fetched (timeout, 404, not HTML, PDF or Word, a redirect
into a private network) fails with the reason. user:password@ in a URL is sent
for that page only and never stored or shown.

Writes, under --out:


  briefs/<id>.json   one validated, grounded brief per article
  run.json           the run manifest: model, prompt and schema versions,
                     counts, token usage, durations, quality signals
  errors.jsonl       one line per article that failed: file, stage, cause
  pages/             pages fetched by URL, each with a .json sidecar
  ledger.sqlite      every run, each article's outcome, every model exchange
                     (see `summarize log`)

Articles whose brief is current are skipped: the ledger says it was made from
the same content, prompt, schema and model, and the file is unchanged since.
--force redoes them.

Model endpoint: --base-url and --model (or SUMMARIZE_BASE_URL and
SUMMARIZE_MODEL, or a summarize.toml), API key from OPENAI_API_KEY. Any
OpenAI-compatible server works: OpenAI, Ollama, vLLM, LM Studio, llama.cpp.

--local runs the bundled SmolLM2-135M on this machine's CPU (extra 'local'):
minutes an article on 2 cores, poor briefs; it is for trying summarize offline.
It says what it does as it goes, and what to expect before the first article.

Recordings: --replay answers from fixtures/recordings without any network;
--record and --record-missing save what the endpoint answers there.

Exit codes: 0 every article done, 1 some articles failed (see errors.jsonl) or
were not attempted (a budget stop), 2 usage, configuration or output-folder
error, 130/143 stopped by Ctrl-C/SIGTERM (run again to do the rest).

Example:


  summarize run seeds/ -o out/ -u http://127.0.0.1:11434/v1 -m qwen2.5:7b
"""


# Long in its option declarations only: typer reads the options from the signature.
def run(
    src: Annotated[
        str,
        typer.Argument(
            metavar="SRC",
            help="Folder or file of articles, a URL, or a .txt file of URLs.",
            show_default=False,
        ),
    ],
    out: Annotated[Path, opt.out_folder()] = Path("out"),
    base_url: opt.BaseUrlOption = None,
    model: opt.ModelOption = None,
    mode: opt.ModeOption = None,
    concurrency: opt.ConcurrencyOption = None,
    workers: opt.WorkersOption = None,
    timeout: opt.TimeoutOption = None,
    max_reasks: opt.MaxReasksOption = None,
    max_output_tokens: opt.MaxOutputTokensOption = None,
    max_chars: Annotated[
        int | None,
        typer.Option(
            metavar="N", help="Refuse articles whose text is longer (default 50000 characters)."
        ),
    ] = None,
    prompt: opt.PromptOption = None,
    config: opt.ConfigOption = None,
    force: opt.ForceOption = False,
    replay: opt.ReplayOption = False,
    record: opt.RecordOption = False,
    record_missing: opt.RecordMissingOption = False,
    recordings: opt.RecordingsOption = None,
    local: opt.LocalOption = False,
    model_path: opt.ModelPathOption = None,
    memo: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Also write a briefing memo of all briefs in --out (.md or .html)."
        ),
    ] = None,
    max_tokens_total: Annotated[
        int | None,
        typer.Option(
            metavar="N", help="Stop starting articles once the run has used this many tokens."
        ),
    ] = None,
    max_cost: Annotated[
        float | None,
        typer.Option(
            metavar="AMOUNT",
            help="Stop starting articles at this cost (needs [prices] in the config).",
        ),
    ] = None,
    fetch_timeout: Annotated[
        float | None,
        typer.Option(metavar="SECONDS", help="Seconds to download one URL's page (default 30)."),
    ] = None,
    refetch: Annotated[
        bool,
        opt.flag(
            "--refetch",
            help="Fetch every URL's page anew instead of reading the copy in --out's pages/.",
        ),
    ] = False,
    json_out: Annotated[
        bool,
        opt.flag(
            "--json",
            help="Print the run's summary as one JSON document on stdout (run.json's "
            "head, failures by cause, outputs, next commands); the rest stays on stderr.",
        ),
    ] = False,
    quiet: opt.QuietOption = False,
) -> None:
    from summarize.memo.render import resolve_format
    from summarize.model.endpoint import endpoint
    from summarize.model.prompts import load_prompt
    from summarize.outdir.store import OutputStore
    from summarize.settings import RecordingMode, load_settings
    from summarize.sources.urls import is_url

    recording = opt.recording_mode(replay, record, record_missing)
    source: Path | str = src if is_url(src) else Path(src)
    if isinstance(source, Path) and not source.exists():
        raise fail(f"{src} does not exist: give a folder or file of articles, or a URL")
    settings = load_settings(
        config,
        base_url=base_url,
        model=model,
        mode=mode,
        concurrency=concurrency,
        workers=workers,
        timeout=timeout,
        max_reasks=max_reasks,
        max_output_tokens=max_output_tokens,
        max_chars=max_chars,
        recording=recording,
        recordings_dir=recordings,
        max_tokens_total=max_tokens_total,
        max_cost=max_cost,
        fetch_timeout=fetch_timeout,
    )
    template = load_prompt(prompt)
    if local and (base_url or model):
        raise fail("--local starts its own server and model: leave out --base-url and --model")
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out} is a file, not a folder: choose a folder for the run's output")
    if local and settings.recording is RecordingMode.REPLAY:
        raise fail("--local and --replay exclude each other: replay needs no server")
    if model_path is not None and not local:
        raise fail("--model-path goes with --local")
    if memo is not None:
        try:
            resolve_format(memo, None)
        except ValueError as exc:
            raise fail(str(exc)) from None
    store = OutputStore(out)
    shown = Shown(json=json_out, quiet=quiet)
    if local:
        code = _run_with_local_server(
            source, store, settings, template, model_path, force, shown, refetch=refetch
        )
    else:
        with frozen_start():
            code = asyncio.run(
                _run(source, store, endpoint(settings), template, force, shown, refetch=refetch)
            )
    raise typer.Exit(_write_run_memo(store, memo, code, quiet=quiet))


def _write_run_memo(store: OutputStore, memo: Path | None, code: int, *, quiet: bool) -> int:
    """`run --memo`: a memo of every brief in the output folder, this run's and earlier ones."""
    if memo is None or code not in (EXIT_OK, EXIT_SOME_FAILED):
        return code
    from summarize.memo.load import BriefLoadError, load_briefs, load_run_record, write_memo
    from summarize.outdir.reviews import with_reviews

    try:
        briefs = load_briefs(store.briefs_dir) if store.briefs_dir.is_dir() else []
    except BriefLoadError as exc:
        say("error:", "bold red", f"memo not written: {exc}")
        return EXIT_SOME_FAILED
    if not briefs:
        say(
            "memo not written:",
            "yellow",
            f"no briefs in {store.root} to summarise: the failures above say why no article "
            "made one; fix them and run the same command again",
        )
        return code
    try:
        briefs, reviewed = with_reviews(store.root, briefs)
        write_memo(briefs, memo, run=load_run_record(store.root), reviewed=reviewed)
    except OSError as exc:
        say("error:", "bold red", f"memo not written: {cannot_write(memo, exc)}")
        return EXIT_USAGE
    if not quiet:
        note(f"memo of {len(briefs)} briefs -> {memo}")
    return code


def _run_with_local_server(
    src: Path | str,
    store: OutputStore,
    settings: Settings,
    template: PromptTemplate,
    path: Path | None,
    force: bool,
    shown: Shown,
    *,
    refetch: bool = False,
) -> int:
    import time

    from summarize.cli import local as say_local
    from summarize.cli.heartbeat import Heartbeat
    from summarize.core.results import RunSummary, Status
    from summarize.model.local_fit import RunFit
    from summarize.model.local_server import LocalServer, default_model_path

    summary = RunSummary()
    started = [time.monotonic()]  # when the articles began, once they do
    with Heartbeat(say_local.LABEL, quiet=shown.quiet) as beat:
        model_file = path if path is not None else default_model_path()
        say_local.starting(beat, model_file.name)
        with LocalServer(model_file) as server:
            say_local.warming_up(beat)
            # One process: the server answers one request at a time, and the heartbeat's
            # thread is running (a fork copies only the calling thread, not its locks' state).
            local = server.settings_for(settings).model_copy(update={"workers": 1})
            beat.say(f"server {server.model} at {server.base_url} ({RunFit.of(local).flags()})")
            say_local.preparing(beat)
            timeout_given = "timeout" in settings.model_fields_set  # before it was fitted

            def counted(summary: RunSummary) -> None:
                started[0] = time.monotonic()
                say_local.expectations(
                    beat, server.profile(), local, summary.expected, timeout_given=timeout_given
                )
                say_local.articles_phase(beat, summary, server)

            code = asyncio.run(
                _run(
                    *(src, store, local, template, force, shown),
                    summary=summary,
                    counted=counted,
                    finished=beat.pause,
                    refetch=refetch,
                )
            )
            model = server.model
    if not shown.quiet and code in (EXIT_OK, EXIT_SOME_FAILED):
        argv = _typed_args()
        command = say_local.capable_command(argv, str(src), store.root)
        note(say_local.closing(started[0], summary.count(Status.DONE), model, command))
    return code


async def _run(
    src: Path | str,
    store: OutputStore,
    settings: Settings,
    template: PromptTemplate,
    force: bool,
    shown: Shown,
    *,
    summary: RunSummary | None = None,
    counted: Callable[[RunSummary], None] | None = None,
    finished: Callable[[], None] | None = None,
    refetch: bool = False,
) -> int:
    """`counted`, when given, hears of the inputs once they are counted (`--local` states its
    expectations then) and takes over the terminal: the progress shows as plain lines;
    `finished` is called when the articles are over, before the closing summary."""
    from summarize.cli.progress import RunProgress
    from summarize.core.results import RunSummary
    from summarize.model.client import ModelClient
    from summarize.model.transports import LedgerTap
    from summarize.run.pipeline import run_articles
    from summarize.run.session import open_run

    budget = _budget(settings)  # before the folder is touched: a usage error writes nothing
    summary = summary if summary is not None else RunSummary()
    progress = RunProgress(summary)
    if counted is not None:
        progress.live = False  # one live display at a time: the heartbeat has the terminal
    received: list[signal.Signals] = []
    stack = AsyncExitStack()
    if finished is not None:
        stack.callback(finished)
    stack.callback(_stop_on_sigterm(received))
    if not shown.quiet:
        stack.enter_context(_fetch_lines())
    try:
        async with stack:
            session = stack.enter_context(open_run(store, src, settings, template, summary=summary))
            session.refetch = refetch
            client = ModelClient(settings, tap=LedgerTap(session.ledger, session.run_id))
            stack.push_async_callback(client.aclose)  # closes the transport too
            expected = session.count_inputs()
            pool = await _start_workers(session, settings, expected)
            if pool is not None:
                stack.push_async_callback(pool.aclose)
            if counted is not None:
                counted(summary)
            if not shown.quiet:
                session.on_result = progress
                stack.enter_context(progress)
                progress.start()
            await run_articles(session, client, force=force, budget=budget, pool=pool)
    # A SummarizeError (a fatal model error, a locked or damaged folder) goes on to the
    # CLI's one handler, `handles_errors`.
    except OSError as exc:
        say("error:", "bold red", cannot_write(store.root, exc, rerun=True))
        return EXIT_USAGE
    except asyncio.CancelledError:
        # Ctrl-C or SIGTERM. Returning (not raising) ends the run quietly, without a traceback.
        code = 128 + (received[0] if received else signal.SIGINT)
        return report_run(src, store, summary, session.manifest(), code, shown)
    return report_run(src, store, summary, session.manifest(), None, shown)


async def _start_workers(
    session: RunSession, settings: Settings, expected: int
) -> WorkerPool | None:
    """Worker processes for the run, forked now, before the progress display's thread
    starts; none when the settings give one process (`--workers 1`, `--local`) or there is
    one article (a worker's start would cost more than it saves)."""
    from summarize.run.pool import WorkerPool, workers_for
    from summarize.run.worker import WorkerSetup

    count = workers_for(settings.workers, settings.concurrency)
    if expected <= 1 and not _may_hold_records(session.source):
        count = 1
    if count < 2:
        return None
    setup = WorkerSetup(
        settings, session.prompt, session.store, session.run_id, session.keep_results
    )
    return await WorkerPool.start(count, setup, session.ledger)


def _may_hold_records(source: Path | str) -> bool:
    """Whether one counted input may still be many articles: a folder, or a file of records
    (counted once, however many it holds)."""
    from summarize.sources.read import RECORD_SUFFIXES

    if isinstance(source, str):
        return False  # one URL is one page
    return source.is_dir() or source.suffix.lower() in RECORD_SUFFIXES


@dataclass(frozen=True)
class Shown:
    """What the run prints besides errors: the JSON summary on stdout, nothing on stderr."""

    json: bool = False
    quiet: bool = False


def report_run(
    src: Path | str,
    store: OutputStore,
    summary: RunSummary,
    manifest: RunManifest,
    code: int | None,
    shown: Shown,
    *,
    what: str = "run",
) -> int:
    """The end of a run (or of a `batch ingest`, which is one): the closing summary on stderr
    (and stdout with --json); the exit code (`code` when the run was stopped)."""
    from summarize.cli.summary import print_json, show_not_read, show_summary
    from summarize.outdir.closing import Note, closing_summary, noted
    from summarize.sources.read import SUPPORTED_SUFFIXES
    from summarize.sources.urls import without_credentials

    counts = manifest.counts
    if not summary.total and code is None:
        say(
            "error:",
            "bold red",
            f"no articles found in {without_credentials(str(src))}: summarize reads "
            f"{', '.join(sorted(SUPPORTED_SUFFIXES))} files (hidden files and folders are "
            "skipped)",
        )
        show_not_read(summary.skipped_files)
        return EXIT_USAGE
    if code is None:
        code = EXIT_SOME_FAILED if counts.failed or counts.not_attempted else EXIT_OK
    notes = (Note(r.file, r.status, r.note or "") for r in summary.notes if noted(r.status, r.note))
    closing = closing_summary(
        summary.run_id, store.root, manifest.as_json(), summary.errors, notes, code, _typed()
    )
    stopped = " interrupted" if manifest.interrupted else ""
    show_summary(
        closing,
        title=f"{what} {summary.run_id}{stopped}",
        errors_at=str(store.errors_path),
        quiet=shown.quiet,
    )
    if shown.json:
        print_json(closing)
    return code


def _typed() -> str | None:
    """This run's command line as the user typed it, without --force (which would redo
    what is done); None when summarize was not started as a command (tests, embedding)."""
    import shlex

    args = _typed_args()
    return None if args is None else "summarize " + shlex.join(a for a in args if a != "--force")


def _typed_args() -> list[str] | None:
    """The arguments summarize was started with; None when it was not started as a command."""
    import sys

    from summarize.settings import masked_passwords

    if Path(sys.argv[0]).name != "summarize":
        return None
    # A password typed into a URL (the source's, --base-url's) is shown as ***.
    return [masked_passwords(a) for a in sys.argv[1:]]


@contextmanager
def _fetch_lines() -> Iterator[None]:
    """A plain line on stderr for each URL fetched (or found stored) while the run goes on."""
    import logging

    class ToStderr(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            note(record.getMessage())

    logger, handler = logging.getLogger("summarize.sources.fetch"), ToStderr()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _budget(settings: Settings) -> Budget | None:
    from summarize.core.results import Budget

    if settings.max_tokens_total is None and settings.max_cost is None:
        return None
    price = settings.prices.get(settings.model or "")
    if settings.max_cost is not None and price is None:
        raise fail(
            f"--max-cost needs the price of model {settings.model!r}: add "
            f'[prices."{settings.model}"] with prompt = ... and completion = ... '
            "(per million tokens) to summarize.toml"
        )
    return Budget(
        max_tokens=settings.max_tokens_total,
        max_cost=settings.max_cost,
        price=(price.prompt, price.completion) if price else None,
    )


def _stop_on_sigterm(received: list[signal.Signals]) -> Callable[[], object]:
    """Make SIGTERM stop the run the way Ctrl-C does; returns the undo.

    asyncio.run already turns Ctrl-C into a cancellation; SIGTERM would otherwise kill the
    process before it records what it finished.
    """
    loop, task = asyncio.get_running_loop(), asyncio.current_task()

    def terminate(signum: int, frame: object) -> None:
        # A plain signal handler, as asyncio's own for Ctrl-C: it runs even while the loop
        # waits on something that is not an await (pages being fetched).
        received.append(signal.SIGTERM)
        if task is not None:
            task.cancel()
        loop.call_soon_threadsafe(lambda: None)  # wake the loop to deliver it

    try:
        before = signal.signal(signal.SIGTERM, terminate)
    except ValueError:
        return lambda: None  # not the main thread: SIGTERM keeps its default
    return lambda: signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)
