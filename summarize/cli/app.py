"""The `summarize` command line: a thin shell over the pure core."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table
from rich.text import Text

from summarize.core.brief import Brief
from summarize.core.results import ArticleResult, Budget, RunSummary, Status
from summarize.core.schema_export import exported_schemas
from summarize.memo.memo import (
    BriefLoadError,
    MemoSynthesis,
    load_briefs,
    resolve_format,
    write_memo,
)
from summarize.memo.synthesis import load_memo_prompt, synthesize
from summarize.model.client import FatalModelError, ModelClient, ModelError
from summarize.model.local_server import LocalServer, LocalServerError, RunFit
from summarize.model.prompts import PromptError, PromptTemplate, load_prompt
from summarize.model.recording import AsyncRecordingTransport, with_replay_endpoint
from summarize.run.ledger import LEDGER_NAME, Ledger, LedgerError, LedgerTransport, unusable
from summarize.run.pipeline import (
    build_manifest,
    remove_interrupted_writes,
    run_batch,
    start_run,
    write_run,
)
from summarize.run.store import OutputLockedError, OutputStore
from summarize.settings import InstructorMode, RecordingMode, Settings, SettingsError, load_settings
from summarize.sources.read import SUPPORTED_SUFFIXES

app = typer.Typer(
    name="summarize",
    help="Turn folders of news articles into typed, source-grounded event briefs and memos.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,  # tracebacks can carry request details; we print causes
)
# Never wrap: error lines carry file paths and commands that must stay copyable.
err = Console(stderr=True, soft_wrap=True)
# instructor logs every failed attempt at ERROR; the run reports failures itself, per article.
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


# Options several commands share, declared once so that they read the same in every --help.
ConfigOption = Annotated[
    Path | None, typer.Option(help="TOML settings file (default: ./summarize.toml if any).")
]
BaseUrlOption = Annotated[
    str | None, typer.Option(help="OpenAI-compatible endpoint, e.g. http://host:8080/v1.")
]
ModelOption = Annotated[str | None, typer.Option(help="Model name at the endpoint.")]
ConcurrencyOption = Annotated[
    int | None, typer.Option(help="Articles in flight at once (default 4).")
]
RecordingsOption = Annotated[
    Path | None, typer.Option(help="Recordings folder (default: fixtures/recordings).")
]
RecordMissingOption = Annotated[
    bool, typer.Option("--record-missing", help="Replay what is recorded, record the rest.")
]


def _say(label: str, style: str, message: str) -> None:
    """One line on stderr: a styled label, then text that is never read as markup.

    Messages carry paths, TOML snippets like [prices."m"] and server text; Rich would
    swallow anything in square brackets.
    """
    err.print(Text.assemble((label, style), " ", message), highlight=False)


def _fail(message: str) -> typer.Exit:
    _say("error:", "bold red", f"{message}")
    return typer.Exit(EXIT_USAGE)


RUN_HELP = """
Extract one event brief per article in SRC (a folder, searched recursively, or a file).

Reads .txt, .md, .html/.htm, .json and .jsonl. Writes, under --out:

  briefs/<id>.json   one validated, grounded brief per article
  run.json           the run manifest: model, prompt and schema versions,
                     counts, token usage, durations, quality signals
  errors.jsonl       one line per article that failed: file, stage, cause
  ledger.sqlite      every run, each article's outcome, every model exchange
                     (see `summarize log`)

Articles whose brief is current are skipped: the ledger says it was made from
the same content, prompt, schema and model, and the file is unchanged since.
--force redoes them.

Model endpoint: --base-url and --model (or SUMMARIZE_BASE_URL and
SUMMARIZE_MODEL, or a summarize.toml), API key from OPENAI_API_KEY. Any
OpenAI-compatible server works: OpenAI, Ollama, vLLM, LM Studio, llama.cpp.

Recordings: --replay answers from fixtures/recordings without any network;
--record and --record-missing save what the endpoint answers there.

Exit codes: 0 every article done, 1 some articles failed (see errors.jsonl) or
were not attempted (a budget stop), 2 usage, configuration or output-folder
error, 130/143 stopped by Ctrl-C/SIGTERM (run again to do the rest).

Example:

  summarize run seeds/ --out out/ --base-url http://127.0.0.1:8080/v1 \\
      --model smollm2
"""


@app.command("run", help=RUN_HELP)
def run(
    src: Annotated[Path, typer.Argument(help="Folder or file of articles.", show_default=False)],
    out: Annotated[Path, typer.Option(help="Output folder.")] = Path("out"),
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    mode: Annotated[
        InstructorMode | None,
        typer.Option(help="Structured-output mode; auto: tools on OpenAI, json_schema elsewhere."),
    ] = None,
    concurrency: ConcurrencyOption = None,
    timeout: Annotated[
        float | None, typer.Option(help="Seconds per model request (default 120).")
    ] = None,
    max_reasks: Annotated[
        int | None, typer.Option(help="Re-asks after an invalid or ungrounded answer (default 2).")
    ] = None,
    max_output_tokens: Annotated[
        int | None, typer.Option(help="Output token cap per answer (default 2048).")
    ] = None,
    max_chars: Annotated[
        int | None,
        typer.Option(help="Refuse articles whose text is longer (default 50000 characters)."),
    ] = None,
    prompt: Annotated[
        Path | None, typer.Option(help="Prompt template to use instead of the shipped one.")
    ] = None,
    config: ConfigOption = None,
    force: Annotated[bool, typer.Option(help="Redo articles that already have a brief.")] = False,
    replay: Annotated[
        bool, typer.Option("--replay", help="Answer from recordings only; no network.")
    ] = False,
    record: Annotated[
        bool, typer.Option("--record", help="Call the endpoint and save every exchange.")
    ] = False,
    record_missing: RecordMissingOption = False,
    recordings: RecordingsOption = None,
    local: Annotated[
        bool,
        typer.Option(
            "--local",
            help="Start the bundled llama.cpp server (extra 'local') for this run, then stop it.",
        ),
    ] = False,
    model_path: Annotated[
        Path | None, typer.Option(help="With --local: a GGUF file instead of SmolLM2-135M.")
    ] = None,
    memo: Annotated[
        Path | None,
        typer.Option(help="Also write a briefing memo of all briefs in --out (.md or .html)."),
    ] = None,
    max_tokens_total: Annotated[
        int | None,
        typer.Option(help="Stop starting articles once the run has used this many tokens."),
    ] = None,
    max_cost: Annotated[
        float | None,
        typer.Option(help="Stop starting articles at this cost (needs \\[prices] in the config)."),
    ] = None,
) -> None:
    recording = _recording_mode(replay, record, record_missing)
    if not src.exists():
        raise _fail(f"{src} does not exist: give a folder or file of articles")
    try:
        settings = load_settings(
            config,
            base_url=base_url,
            model=model,
            mode=mode,
            concurrency=concurrency,
            timeout=timeout,
            max_reasks=max_reasks,
            max_output_tokens=max_output_tokens,
            max_chars=max_chars,
            recording=recording,
            recordings_dir=recordings,
            max_tokens_total=max_tokens_total,
            max_cost=max_cost,
        )
        template = load_prompt(prompt)
    except (SettingsError, PromptError) as exc:
        raise _fail(str(exc)) from None

    if local and settings.recording is RecordingMode.REPLAY:
        raise _fail("--local and --replay exclude each other: replay needs no server")
    if model_path is not None and not local:
        raise _fail("--model-path goes with --local")
    if memo is not None:
        try:
            resolve_format(memo, None)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    if local:
        code = _run_with_local_server(
            src, OutputStore(out), settings, template, model_path, force=force
        )
        raise typer.Exit(_write_run_memo(OutputStore(out), memo, code))
    settings = _endpoint(settings)
    store = OutputStore(out)
    code = asyncio.run(_run(src, store, settings, template, force=force))
    raise typer.Exit(_write_run_memo(store, memo, code))


def _recording_mode(replay: bool, record: bool, record_missing: bool) -> RecordingMode | None:
    chosen = [
        mode
        for mode, on in (
            (RecordingMode.REPLAY, replay),
            (RecordingMode.RECORD, record),
            (RecordingMode.RECORD_MISSING, record_missing),
        )
        if on
    ]
    if len(chosen) > 1:
        raise _fail("choose one of --replay, --record, --record-missing")
    return chosen[0] if chosen else None


def _endpoint(settings: Settings) -> Settings:
    """Settings with a usable endpoint, or a usage error saying how to give one."""
    settings = with_replay_endpoint(settings)
    if settings.recording is RecordingMode.REPLAY and settings.model is None:
        raise _fail(
            f"no recordings in {settings.recordings_dir}: record some first with "
            "--record (and --base-url, --model), or point --recordings at a folder"
        )
    if not settings.base_url or not settings.model:
        raise _fail(
            "no model endpoint: pass --base-url and --model (or set SUMMARIZE_BASE_URL and "
            "SUMMARIZE_MODEL), or use --replay to answer from recordings"
        )
    return settings


def _write_run_memo(store: OutputStore, memo: Path | None, code: int) -> int:
    """`run --memo`: a memo of every brief in the output folder, this run's and earlier ones."""
    if memo is None or code not in (EXIT_OK, EXIT_SOME_FAILED):
        return code
    try:
        briefs = load_briefs(store.briefs_dir) if store.briefs_dir.is_dir() else []
    except BriefLoadError as exc:
        _say("error:", "bold red", f"memo not written: {exc}")
        return EXIT_SOME_FAILED
    if not briefs:
        err.print("[yellow]memo not written:[/] no briefs to summarise", highlight=False)
        return code
    try:
        write_memo(briefs, memo, fmt=None, title=None, as_of=None)
    except OSError as exc:
        _say("error:", "bold red", f"memo not written: {_cannot_write(memo, exc)}")
        return EXIT_USAGE
    err.print(f"memo of {len(briefs)} briefs -> {memo}", markup=False, highlight=False)
    return code


def _run_with_local_server(
    src: Path,
    store: OutputStore,
    settings: Settings,
    template: PromptTemplate,
    path: Path | None,
    *,
    force: bool,
) -> int:
    try:
        with LocalServer(path) as server:
            local = server.settings_for(settings)
            err.print(
                f"local model server {server.model} at {server.base_url} "
                f"({RunFit.of(local).flags()})",
                markup=False,
                highlight=False,
            )
            return asyncio.run(_run(src, store, local, template, force=force))
    except LocalServerError as exc:
        raise _fail(str(exc)) from None


async def _run(
    src: Path, store: OutputStore, settings: Settings, template: PromptTemplate, *, force: bool
) -> int:
    progress = Progress(
        TextColumn("[bold]summarize[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not sys.stderr.isatty(),
    )
    task = progress.add_task("run", total=None, last="")

    def on_result(result: ArticleResult) -> None:
        mark = {
            "done": "[green]done[/]",
            "skipped": "[dim]skipped[/]",
            "failed": "[red]failed[/]",
            "not_attempted": "[yellow]not attempted[/]",
        }
        name = result.article_id or result.file
        progress.update(task, advance=1, last=f"{mark[result.status]} {name}")

    budget = _budget(settings)
    summary = RunSummary()
    received: list[signal.Signals] = []
    stack = ExitStack()
    stack.callback(_stop_on_sigterm(received))
    try:
        with stack:
            stack.enter_context(store.lock())
            remove_interrupted_writes(store)  # safe: no other run writes here while we lock
            stack.callback(store.close)
            ledger = store.ledger
            run_id = start_run(ledger, src, settings, template)
            transport = LedgerTransport(
                AsyncRecordingTransport(settings.recording, settings.recordings_dir),
                ledger,
                run_id,
                secret=settings.api_key.get_secret_value() if settings.api_key else None,
            )
            client = ModelClient(settings, transport=transport)
            stack.enter_context(progress)
            try:  # the lock is ours from here: the manifest below describes this run
                await run_batch(
                    src,
                    store,
                    client,
                    template,
                    concurrency=settings.concurrency,
                    force=force,
                    on_result=on_result,
                    summary=summary,
                    budget=budget,
                    run_id=run_id,
                )
            finally:
                # Written even when interrupted: what was done stays done and is accounted for.
                manifest = build_manifest(summary, settings, template, src)
                write_run(store, summary, manifest)
                await client.aclose()  # closes the transport too
    except (OutputLockedError, FatalModelError, LedgerError) as exc:
        _say("error:", "bold red", f"{exc}")
        return EXIT_USAGE
    except sqlite3.Error as exc:
        _say("error:", "bold red", unusable(store.root / LEDGER_NAME, exc))
        return EXIT_USAGE
    except OSError as exc:
        _say("error:", "bold red", _cannot_write(store.root, exc, rerun=True))
        return EXIT_USAGE
    except asyncio.CancelledError:
        # Ctrl-C or SIGTERM. Returning (not raising) ends the run quietly, without a traceback.
        err.print(
            f"interrupted: {summary.count(Status.DONE)} done, "
            f"{summary.count(Status.SKIPPED)} skipped, "
            f"{summary.count(Status.FAILED)} failed so far, recorded in {store.manifest_path}; "
            "run the same command again to do the rest",
            markup=False,
            highlight=False,
        )
        return 128 + (received[0] if received else signal.SIGINT)
    counts = manifest["counts"]
    if not summary.total:
        _say(
            "error:",
            "bold red",
            f"no articles found in {src}: summarize reads {', '.join(sorted(SUPPORTED_SUFFIXES))} "
            "files (hidden files and folders are skipped)",
        )
        return EXIT_USAGE
    err.print(
        f"{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed "
        f"({counts['events']} events) in {summary.seconds:.1f}s -> {store.root}",
        markup=False,
        highlight=False,
    )
    for error in summary.errors:
        _say(f"  {error.stage}", "red", f"{error.file}: {error.cause}")
    for result in summary.notes:
        label, style = ("  skipped", "dim") if result.status == "skipped" else ("  note", "yellow")
        _say(label, style, f"{result.file}: {result.note}")
    if summary.budget_stop:
        _say(
            "stopped:",
            "yellow",
            f"{summary.budget_stop}; {counts['not_attempted']} articles not attempted. Run "
            "again (with a larger budget) to do them: done ones are skipped.",
        )
    return EXIT_SOME_FAILED if counts["failed"] or counts["not_attempted"] else EXIT_OK


def _cannot_write(target: Path, exc: BaseException, *, rerun: bool = False) -> str:
    """Why `target` could not be written, and what to do about it."""
    advice = (
        "; briefs already written are kept, and running the same command again does the rest"
        if rerun
        else ""
    )
    return (
        f"cannot write to {target}: {exc}. Check that you can write there and that the disk "
        f"has space, or choose another --out{advice}"
    )


def _budget(settings: Settings) -> Budget | None:
    if settings.max_tokens_total is None and settings.max_cost is None:
        return None
    price = settings.prices.get(settings.model or "")
    if settings.max_cost is not None and price is None:
        raise _fail(
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

    def terminate() -> None:
        received.append(signal.SIGTERM)
        if task is not None:
            task.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, terminate)
    except (NotImplementedError, RuntimeError, ValueError):
        return lambda: None  # not the main thread: SIGTERM keeps its default
    return lambda: loop.remove_signal_handler(signal.SIGTERM)


@app.command("serve")
def serve(
    model_path: Annotated[
        Path | None, typer.Option(help="A GGUF file instead of the bundled SmolLM2-135M.")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port on 127.0.0.1 (default: a free one).")
    ] = None,
) -> None:
    """Run the bundled llama.cpp model server (extra 'local') until Ctrl-C.

    Point `summarize run --base-url URL --model NAME` at the address it prints.
    """
    try:
        with LocalServer(model_path, port=port) as server:
            typer.echo(f"serving {server.model} at {server.base_url} (Ctrl-C to stop)")
            typer.echo(
                f"try: summarize run seeds/ --base-url {server.base_url} --model {server.model} "
                f"{server.run_fit().flags()}"
            )
            while server.returncode is None:
                time.sleep(0.5)
            raise _fail(f"the server stopped by itself (exit {server.returncode})")
    except LocalServerError as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        err.print("stopped")


@app.command("log")
def log(
    out: Annotated[Path, typer.Argument(help="A `summarize run` output folder.")] = Path("out"),
    run_id: Annotated[
        int | None, typer.Option("--run", help="Show this run's exchanges (default: runs).")
    ] = None,
    article: Annotated[str | None, typer.Option(help="With --run: one article's attempts.")] = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of a table.")
    ] = False,
) -> None:
    """Show the runs recorded in OUT's ledger, or one run's articles and exchanges."""
    path = out / LEDGER_NAME
    if not path.is_file():
        raise _fail(f"no ledger at {path}: run `summarize run SRC --out {out}` first")
    try:
        ledger = Ledger(path)
    except LedgerError as exc:
        raise _fail(str(exc)) from None
    if article is not None and run_id is None:
        raise _fail("--article needs --run: `summarize log OUT` lists the runs")
    try:
        _show_log(ledger, path, run_id, article, json_out)
    except sqlite3.Error as exc:  # damage deeper in the file than opening it reads
        raise _fail(unusable(path, exc)) from None


def _show_log(
    ledger: Ledger, path: Path, run_id: int | None, article: str | None, json_out: bool
) -> None:
    if run_id is None:
        rows = ledger.runs()
        if json_out:
            typer.echo(json.dumps(rows, indent=2))
            return

        def numbers(header: str, key: str) -> Column:
            # Wide enough for every value: a number cut short reads as another number.
            widest = max([len(header), *(len(str(r[key])) for r in rows)])
            return Column(header, justify="right", no_wrap=True, min_width=widest)

        table = Table(
            numbers("run", "id"),
            Column("started", no_wrap=True, min_width=11),
            Column("status", no_wrap=True, min_width=max([6, *(len(r["status"]) for r in rows)])),
            Column("done", justify="right", no_wrap=True, min_width=4),
            Column("fail", justify="right", no_wrap=True, min_width=4),
            Column("skip", justify="right", no_wrap=True, min_width=4),
            numbers("calls", "exchanges"),
            numbers("tokens", "tokens"),
            # Text last: in a narrow terminal the model's name is what gets cut, never a
            # number. `--json` has everything in full.
            Column("prompt", overflow="ellipsis", no_wrap=True, max_width=7),
            Column("model", overflow="ellipsis", no_wrap=True),
            box=box.SIMPLE_HEAD,
            padding=(0, 1, 0, 0),
            pad_edge=False,
        )
        for r in rows:
            counts = r["counts"]
            table.add_row(
                str(r["id"]),
                r["started_at"][5:16].replace("T", " "),
                r["status"],
                *(str(counts.get(k, 0)) for k in ("done", "failed", "skipped")),
                str(r["exchanges"]),
                str(r["tokens"]),
                r["prompt_version"] or "-",
                r["model"] or "-",
            )
        Console().print(table)
        return
    exchanges = [dict(r) for r in ledger.exchanges(run_id, article)]
    outcomes = [
        dict(a) for a in ledger.articles(run_id) if article is None or a["article_id"] == article
    ]
    if not exchanges and not outcomes:
        known = any(r["id"] == run_id for r in ledger.runs())
        raise _fail(
            (f"run {run_id} has no articles" if known else f"there is no run {run_id}")
            + (f" with id {article}" if article and known else "")
            + f" in {path}: `summarize log {path.parent}` lists the runs"
        )
    if json_out:
        typer.echo(json.dumps(exchanges, indent=2))
        return
    # Ids whole (they are what --article takes); the note is what gets cut or wrapped.
    ids = max([7, *(len(a["article_id"] or a["file"]) for a in outcomes)])
    articles = Table(
        Column("article", no_wrap=True, min_width=ids),
        "status",
        Column("tries", justify="right"),
        Column("s", justify="right"),
        "note",
        title="articles",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for a in outcomes:
        articles.add_row(
            a["article_id"] or a["file"],
            a["status"],
            str(a["attempts"]),
            f"{a['seconds']:.2f}",
            a["note"] or "",
        )
    Console().print(articles)
    table = Table(
        Column(
            "article",
            no_wrap=True,
            min_width=max([7, *(len(e["article_id"] or "-") for e in exchanges)]),
        ),
        Column("#", justify="right"),
        Column("outcome", no_wrap=True),
        "finish",
        Column("in tok", justify="right"),
        Column("out tok", justify="right"),
        Column("s", justify="right"),
        title="exchanges",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    # An answer followed by another request for the same article was not the one kept: the
    # client re-asked (invalid or ungrounded) or redid the extraction after a fault.
    last = {e["article_id"]: e["attempt"] for e in exchanges}
    for e in exchanges:
        outcome = e["outcome"]
        if outcome == "ok" and e["attempt"] < last[e["article_id"]]:
            outcome = "superseded"
            table.caption = (
                "superseded: answered, then asked again (a re-ask, or a redo after a fault)"
            )
        table.add_row(
            e["article_id"] or "-",
            str(e["attempt"]),
            outcome,
            e["finish_reason"] or "-",
            str(e["prompt_tokens"]),
            str(e["completion_tokens"]),
            f"{e['seconds']:.2f}",
        )
    if exchanges:
        Console().print(table)
    # The totals of what is shown: the run's, or one article's with --article.
    prompt = sum(e["prompt_tokens"] for e in exchanges)
    completion = sum(e["completion_tokens"] for e in exchanges)
    total = sum(e["total_tokens"] for e in exchanges)
    whose = f"run {run_id}" + (f", article {article}" if article else "")
    typer.echo(
        f"{whose}: {len(exchanges)} exchange(s), {prompt} prompt + {completion} completion "
        f"= {total} tokens"
    )


@app.command("schema")
def schema(
    out: Annotated[Path, typer.Option(help="Folder to write the JSON Schema files into.")] = Path(
        "schemas"
    ),
    check: Annotated[
        bool, typer.Option(help="Only check that the files match the code; exit 1 if not.")
    ] = False,
) -> None:
    """Export the brief and extraction JSON Schemas from the Pydantic models."""
    stale = []
    for name, text in exported_schemas().items():
        path = out / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            err.print(f"wrote {path}", markup=False, highlight=False)
    if check and stale:
        _say("out of date:", "red", f"{', '.join(map(str, stale))}; run `summarize schema`")
        raise typer.Exit(1)
    if not stale:
        err.print(f"{out}/ is up to date with the code", markup=False, highlight=False)


MEMO_HELP = (
    "Write a briefing memo from the briefs in FOLDER (searched recursively for *.json "
    "briefs: a `summarize run` output folder, or fixtures/golden).\n\n"
    "The format follows the --out suffix (.md or .html) unless --format says otherwise. "
    "Reports of one contact from several outlets are merged into one event; where sides or "
    "outlets differ, their accounts are set side by side. Overdue follow-ups are judged "
    "against --as-of (default: the latest date in the briefs), so the same briefs always "
    "give a byte-identical memo.\n\n"
    "With --synthesize the BLUF is written by the model (--base-url/--model, or --replay "
    "from recordings); every sentence must cite the events it rests on, or it is rejected "
    "and re-asked. If no valid synthesis comes back, the memo keeps the deterministic BLUF "
    "and the exit code is 1.\n\n"
    "Example: summarize memo out/ --out memo.html --title 'US-Russia contacts'"
)


@app.command("memo", help=MEMO_HELP)
def memo(
    folder: Annotated[Path, typer.Argument(help="Folder of briefs.", show_default=False)],
    out: Annotated[Path, typer.Option(help="Memo file to write (.md or .html).")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="md or html (default: from the --out suffix).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Memo title.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD to judge overdue follow-ups (default: latest brief date)."),
    ] = None,
    synthesize: Annotated[
        bool, typer.Option("--synthesize", help="Have the model write the BLUF, with citations.")
    ] = False,
    base_url: Annotated[str | None, typer.Option(help="With --synthesize: the endpoint.")] = None,
    model: Annotated[str | None, typer.Option(help="With --synthesize: the model.")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML settings file.")] = None,
    replay: Annotated[bool, typer.Option("--replay", help="Synthesis from recordings.")] = False,
    record: Annotated[bool, typer.Option("--record", help="Record the synthesis.")] = False,
    record_missing: Annotated[
        bool, typer.Option("--record-missing", help="Replay if recorded, else record.")
    ] = False,
    recordings: Annotated[Path | None, typer.Option(help="Recordings folder.")] = None,
) -> None:
    recording = _recording_mode(replay, record, record_missing)
    if not synthesize and (base_url or model or recording):
        raise _fail("--base-url, --model and the recording flags go with --synthesize")
    try:
        as_of_date = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise _fail(f"--as-of {as_of!r} is not a date like 2016-09-05") from None
    try:
        chosen = resolve_format(out, fmt)
        briefs = load_briefs(folder)
    except (ValueError, BriefLoadError) as exc:
        raise _fail(str(exc)) from None
    if not briefs:
        raise _fail(f"no briefs found in {folder}")
    synthesis, code = None, EXIT_OK
    if synthesize:
        try:
            settings = load_settings(
                config,
                base_url=base_url,
                model=model,
                recording=recording,
                recordings_dir=recordings,
            )
            prompt = load_memo_prompt()
        except (SettingsError, PromptError) as exc:
            raise _fail(str(exc)) from None
        try:
            synthesis = asyncio.run(_synthesize(briefs, _endpoint(settings), prompt))
        except FatalModelError as exc:
            raise _fail(str(exc)) from None
        except ModelError as exc:
            _say(
                f"synthesis failed ({exc.stage}):",
                "yellow",
                f"{exc}; keeping the deterministic BLUF",
            )
            code = EXIT_SOME_FAILED
    try:
        write_memo(briefs, out, fmt=chosen, title=title, as_of=as_of_date, synthesis=synthesis)
    except OSError as exc:
        raise _fail(_cannot_write(out, exc)) from None
    err.print(f"memo of {len(briefs)} briefs -> {out}", markup=False, highlight=False)
    raise typer.Exit(code)


async def _synthesize(
    briefs: list[Brief], settings: Settings, prompt: PromptTemplate
) -> MemoSynthesis:
    transport = AsyncRecordingTransport(settings.recording, settings.recordings_dir)
    client = ModelClient(settings, transport=transport)
    try:
        synthesis, _ = await synthesize(briefs, client, prompt)
    finally:
        await client.aclose()
    return synthesis


EVAL_HELP = """
Score the current prompt and schema against the golden briefs (prompt
regression test).

Runs the pipeline over SRC (default: seeds/), replaying fixtures/recordings
unless --live or --record-missing is given, compares each brief with
fixtures/golden/<article-id>.json field by field, and compares the scores with
the committed baseline (fixtures/baseline.json). Weights, floors, the case
threshold and the baseline tolerance are in eval.toml.

Exit codes: 0 pass; 1 a case below its floors/threshold, or a regression
against the baseline (or --against prompt); 2 setup error: stale or missing
recording, missing or invalid golden, unreadable baseline or config.

Examples:

  summarize eval --report report.json --junit junit.xml --html report.html

  summarize eval --prompt prompts/other.j2 --against prompts/extract.j2 \\
      --live --base-url http://127.0.0.1:8080/v1 --model smollm2 \\
      --html compare.html

  summarize eval --update-baseline          (accept the current scores)

  summarize eval --bless <article-id> --yes
      (copy a reviewed output into the goldens)
"""


@app.command("eval", help=EVAL_HELP)
def eval_(
    src: Annotated[Path, typer.Argument(help="Folder or file of fixture articles.")] = Path(
        "seeds"
    ),
    golden: Annotated[Path, typer.Option(help="Folder of golden briefs.")] = Path(
        "fixtures/golden"
    ),
    eval_config: Annotated[
        Path | None, typer.Option(help="Scoring rules (default: ./eval.toml if any).")
    ] = None,
    config: ConfigOption = None,
    prompt: Annotated[
        Path | None, typer.Option(help="Prompt template to evaluate instead of the shipped one.")
    ] = None,
    against: Annotated[
        Path | None,
        typer.Option(help="A second prompt to run on the same articles and compare side by side."),
    ] = None,
    against_recordings: Annotated[
        Path | None, typer.Option(help="Recordings folder for the --against prompt.")
    ] = None,
    live: Annotated[bool, typer.Option("--live", help="Call the model; record nothing.")] = False,
    record_missing: RecordMissingOption = False,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    recordings: RecordingsOption = None,
    concurrency: ConcurrencyOption = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Report to compare with (default: fixtures/baseline.json).")
    ] = None,
    no_baseline: Annotated[
        bool, typer.Option("--no-baseline", help="Compare with no baseline.")
    ] = False,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Rewrite the baseline with this run.")
    ] = False,
    repeat: Annotated[
        int, typer.Option(help="With --live: run N times and report flaky fields.")
    ] = 1,
    out: Annotated[
        Path | None, typer.Option(help="Keep the produced briefs here for review.")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write the JSON report here.")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write JUnit XML here (for CI).")] = None,
    html: Annotated[Path | None, typer.Option(help="Write the HTML report here.")] = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", "--md", help="Write the Markdown report here.")
    ] = None,
    bless: Annotated[
        list[str] | None,
        typer.Option(
            help="Copy this article's produced brief into the goldens after review "
            "(repeatable; 'all' for every case). Never in CI."
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --bless without asking.")] = False,
) -> None:
    from summarize.evaluation.evaluation import EvalOptions, run_eval_command

    if live and record_missing:
        raise _fail("choose one of --live, --record-missing (default: replay)")
    mode = (
        RecordingMode.LIVE
        if live
        else RecordingMode.RECORD_MISSING
        if record_missing
        else RecordingMode.REPLAY
    )
    options = EvalOptions(
        src=src,
        golden=golden,
        eval_config=eval_config,
        settings_config=config,
        prompt=prompt,
        against=against,
        against_recordings=against_recordings,
        mode=mode,
        base_url=base_url,
        model=model,
        recordings=recordings,
        concurrency=concurrency,
        baseline=baseline,
        no_baseline=no_baseline,
        update_baseline=update_baseline,
        repeat=repeat,
        out=out,
        report=report,
        junit=junit,
        html=html,
        markdown=markdown,
        bless=tuple(bless or ()),
        yes=yes,
    )
    ask = (lambda q: typer.confirm(q, default=False)) if sys.stdin.isatty() else None
    raise typer.Exit(run_eval_command(options, Console(), err, ask))


BATCH_HELP = """
Run tens of thousands of articles through a provider's batch engine, not live
calls.

The requests are the OpenAI Batch API JSONL (custom_id = article id) holding
exactly the bodies `run` would send. A batch answer gets no re-ask: invalid
answers fail per article (errors.jsonl); ungrounded items become warnings, as
on the last attempt of `run`.

  summarize batch prepare seeds/ --out requests.jsonl --model gpt-4o-mini

  summarize batch submit requests.jsonl     (prints the batch id)

  summarize batch status BATCH_ID

  summarize batch fetch BATCH_ID --out results.jsonl

  summarize batch ingest results.jsonl --src seeds/ \\
      --requests requests.jsonl --out out/

Self-hosted: vLLM runs the same file offline (prepare with
--mode json_schema):

  python -m vllm.entrypoints.openai.run_batch -i requests.jsonl \\
      -o results.jsonl --model M
"""

batch_app = typer.Typer(name="batch", help=BATCH_HELP, no_args_is_help=True)


BatchURL = Annotated[str | None, typer.Option(help="Batch API endpoint (default: OpenAI).")]
BatchConfig = Annotated[Path | None, typer.Option(help="TOML settings file.")]


def _batch_settings(base_url: str | None, config: Path | None) -> Settings:
    try:
        return load_settings(config, base_url=base_url)
    except SettingsError as exc:
        raise _fail(str(exc)) from None


@batch_app.command("prepare")
def batch_prepare(
    src: Annotated[Path, typer.Argument(help="Folder or file of articles.", show_default=False)],
    out: Annotated[Path, typer.Option(help="Requests file to write.")] = Path("requests.jsonl"),
    model: Annotated[str | None, typer.Option(help="Model the batch will run.")] = None,
    mode: Annotated[
        InstructorMode | None,
        typer.Option(help="Structured-output mode; auto: tools unless --base-url is not OpenAI."),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Only decides the auto mode, as in `run`.")
    ] = None,
    max_output_tokens: Annotated[
        int | None, typer.Option(help="Output token cap per answer (default 2048).")
    ] = None,
    prompt: Annotated[
        Path | None, typer.Option(help="Prompt template to use instead of the shipped one.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="TOML settings file (default: ./summarize.toml if any).")
    ] = None,
) -> None:
    """Write the Batch API requests for SRC (and requests.meta.json, which ingest reads)."""
    from summarize.batch.batch import BatchError, prepare

    if not src.exists():
        raise _fail(f"{src} does not exist: give a folder or file of articles")
    try:
        settings = load_settings(
            config, model=model, mode=mode, base_url=base_url, max_output_tokens=max_output_tokens
        )
        template = load_prompt(prompt)
        summary = prepare(src, out, settings, template)
    except (SettingsError, PromptError, BatchError) as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(_cannot_write(out, exc)) from None
    err.print(
        f"{summary.requests} requests -> {out} ({len(summary.errors)} unreadable) "
        f"in {summary.seconds:.1f}s",
        markup=False,
        highlight=False,
    )
    for error in summary.errors:
        _say(f"  {error.stage}", "red", f"{error.file}: {error.cause}")
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)


@batch_app.command("submit")
def batch_submit(
    requests: Annotated[Path, typer.Argument(help="Requests file from `batch prepare`.")],
    base_url: BatchURL = None,
    description: Annotated[str | None, typer.Option(help="Batch metadata description.")] = None,
    config: BatchConfig = None,
) -> None:
    """Upload the requests and start a batch; prints the batch id on stdout."""
    from summarize.batch.batch import BatchError, describe, submit

    if not requests.is_file():
        raise _fail(f"{requests} does not exist: write it with `summarize batch prepare`")
    try:
        batch = submit(_batch_settings(base_url, config), requests, description=description)
    except BatchError as exc:
        raise _fail(str(exc)) from None
    err.print(describe(batch), markup=False, highlight=False)
    typer.echo(batch.id)


@batch_app.command("status")
def batch_status(
    batch_id: Annotated[str, typer.Argument(help="Batch id printed by `batch submit`.")],
    base_url: BatchURL = None,
    config: BatchConfig = None,
) -> None:
    """Show a batch's status and request counts; prints the status on stdout."""
    from summarize.batch.batch import BatchError, describe, status

    try:
        batch = status(_batch_settings(base_url, config), batch_id)
    except BatchError as exc:
        raise _fail(str(exc)) from None
    err.print(describe(batch), markup=False, highlight=False)
    typer.echo(batch.status)


@batch_app.command("fetch")
def batch_fetch(
    batch_id: Annotated[str, typer.Argument(help="Batch id printed by `batch submit`.")],
    out: Annotated[Path, typer.Option(help="Results file to write.")] = Path("results.jsonl"),
    base_url: BatchURL = None,
    config: BatchConfig = None,
) -> None:
    """Download a completed batch's output and error lines into one results file.

    Exit 1 while the batch is not completed (try again later), 2 on other errors.
    """
    from summarize.batch.batch import BatchError, BatchNotReadyError, describe, fetch

    try:
        batch = fetch(_batch_settings(base_url, config), batch_id, out)
    except BatchNotReadyError as exc:
        _say("not ready:", "yellow", f"{exc}")
        raise typer.Exit(EXIT_SOME_FAILED) from None
    except BatchError as exc:
        raise _fail(str(exc)) from None
    err.print(f"{describe(batch)} -> {out}", markup=False, highlight=False)


@batch_app.command("ingest")
def batch_ingest(
    results: Annotated[Path, typer.Argument(help="Results file from `batch fetch` or vLLM.")],
    src: Annotated[Path, typer.Option(help="The article folder that was prepared.")],
    out: Annotated[Path, typer.Option(help="Output folder, as for `run`.")] = Path("out"),
    requests: Annotated[
        Path | None,
        typer.Option(help="The prepared requests file: its .meta.json gives model and mode."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Without --requests: the model.")] = None,
    mode: Annotated[
        InstructorMode | None, typer.Option(help="Without --requests: the mode.")
    ] = None,
    prompt: Annotated[
        Path | None, typer.Option(help="Without --requests: the prompt template.")
    ] = None,
    config: BatchConfig = None,
    force: Annotated[bool, typer.Option(help="Redo articles that already have a brief.")] = False,
) -> None:
    """Validate, ground and write briefs from batch results, as `run` writes them.

    Resumable: current briefs are skipped. Articles with no result in the file
    are listed as not_attempted (exit 1): ingest the other batch's results into
    the same --out. Writes run.json and errors.jsonl under --out, and records
    the run in its ledger.
    """
    from summarize.batch.batch import (
        BatchError,
        IngestPlan,
        IngestSummary,
        ingest,
        ingest_manifest,
        read_plan,
    )

    if not results.is_file():
        raise _fail(f"{results} does not exist: write it with `summarize batch fetch`")
    if not src.exists():
        raise _fail(f"{src} does not exist: give the folder that was prepared")
    try:
        settings = load_settings(config, model=model, mode=mode)
        template = load_prompt(prompt)
        if requests is not None:
            plan = read_plan(requests)
        elif settings.model:
            plan = IngestPlan(
                settings.model, settings.resolved_mode(), template.version, str(template.path)
            )
        else:
            raise BatchError(
                "which model answered? pass --requests requests.jsonl (from prepare) or --model"
            )
    except (SettingsError, PromptError, BatchError) as exc:
        raise _fail(str(exc)) from None
    store = OutputStore(out)
    summary = IngestSummary(RunSummary())
    try:
        with store.lock():
            try:
                ingest(
                    results,
                    src,
                    store,
                    plan,
                    force=force,
                    max_output_tokens=settings.max_output_tokens,
                    summary=summary,
                )
            finally:
                manifest = ingest_manifest(summary, settings, template, plan, src, results)
                write_run(store, summary.run, manifest)
    except (OutputLockedError, LedgerError) as exc:
        raise _fail(str(exc)) from None
    except sqlite3.Error as exc:
        raise _fail(unusable(store.root / LEDGER_NAME, exc)) from None
    except OSError as exc:
        raise _fail(_cannot_write(store.root, exc, rerun=True)) from None
    finally:
        store.close()
    counts = manifest["counts"]
    err.print(
        f"{counts['done']} done, {counts['skipped']} skipped, {counts['failed']} failed "
        f"({counts['events']} events) -> {store.root}",
        markup=False,
        highlight=False,
    )
    for error in summary.run.errors:
        _say(f"  {error.stage}", "red", f"{error.file}: {error.cause}")
    if summary.unanswered:
        _say(
            "  not attempted:",
            "yellow",
            f"{summary.unanswered} articles have no result in {results} (listed in run.json): "
            "ingest the results file that has them, or prepare and submit them again",
        )
    failed = counts["failed"] or counts["not_attempted"]
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


app.add_typer(batch_app, name="batch")


def main() -> None:
    app()
