"""`summarize batch`: run large folders through a provider's batch engine instead of live calls."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarize.cli import options as opt
from summarize.cli.output import cannot_write, fail, note, say
from summarize.core.errors import EXIT_OK, EXIT_SOME_FAILED
from summarize.core.modes import InstructorMode

if TYPE_CHECKING:
    from summarize.batch.ingest import IngestSummary
    from summarize.batch.lines import IngestPlan
    from summarize.model.prompts import PromptTemplate
    from summarize.run.manifest import RunManifest
    from summarize.settings import Settings

BATCH_HELP = """
Run tens of thousands of articles through a provider's batch engine, not live
calls.

The requests are the OpenAI Batch API JSONL (custom_id = article id) holding
exactly the bodies `run` would send. A batch answer gets no re-ask: invalid
answers fail per article (errors.jsonl); ungrounded items become warnings, as
on the last attempt of `run`.


  summarize batch prepare seeds/ -o requests.jsonl -m gpt-4o-mini


  summarize batch submit requests.jsonl     (prints the batch id)


  summarize batch status BATCH_ID


  summarize batch fetch BATCH_ID -o results.jsonl


  summarize batch ingest results.jsonl --src seeds/ \\
      --requests requests.jsonl -o out/

Self-hosted: vLLM runs the same file offline (prepare with
--mode json_schema):


  python -m vllm.entrypoints.openai.run_batch -i requests.jsonl \\
      -o results.jsonl --model M
"""

BatchURL = Annotated[
    str | None,
    typer.Option(
        *opt.names("--base-url"), metavar="URL", help="Batch API endpoint (default: OpenAI)."
    ),
]
BatchConfig = opt.ConfigOption


def _batch_settings(base_url: str | None, config: Path | None) -> Settings:
    from summarize.settings import load_settings

    return load_settings(config, base_url=base_url)


def prepare(
    src: Annotated[
        Path, typer.Argument(metavar="SRC", help="Folder or file of articles.", show_default=False)
    ],
    output: Annotated[
        Path | None, opt.output_file("Requests file to write (default: requests.jsonl).")
    ] = None,
    old_out: Annotated[Path | None, opt.old_out_file()] = None,
    model: Annotated[
        str | None,
        typer.Option(*opt.names("--model"), metavar="NAME", help="Model the batch will run."),
    ] = None,
    mode: Annotated[
        InstructorMode | None,
        typer.Option(help="Structured-output mode; auto: tools unless --base-url is not OpenAI."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            *opt.names("--base-url"), metavar="URL", help="Only decides the auto mode, as in `run`."
        ),
    ] = None,
    max_output_tokens: opt.MaxOutputTokensOption = None,
    prompt: opt.PromptOption = None,
    config: opt.ConfigOption = None,
) -> None:
    """Write the Batch API requests for SRC (and requests.meta.json, which ingest reads)."""
    out = opt.chosen_output(output, old_out, default=Path("requests.jsonl"))
    from summarize.batch.prepare import prepare as prepare_requests
    from summarize.model.prompts import load_prompt
    from summarize.settings import load_settings

    if not src.exists():
        raise fail(f"{src} does not exist: give a folder or file of articles")
    settings = load_settings(
        config, model=model, mode=mode, base_url=base_url, max_output_tokens=max_output_tokens
    )
    template = load_prompt(prompt)
    try:
        summary = prepare_requests(src, out, settings, template)
    except OSError as exc:
        raise fail(cannot_write(out, exc)) from None
    note(
        f"{summary.requests} requests -> {out} ({len(summary.errors)} unreadable) "
        f"in {summary.seconds:.1f}s"
    )
    for error in summary.errors:
        say(f"  {error.stage}", "red", f"{error.file}: {error.cause}")
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)


def submit(
    requests: Annotated[
        Path, typer.Argument(metavar="REQUESTS", help="Requests file from `batch prepare`.")
    ],
    base_url: BatchURL = None,
    description: Annotated[
        str | None, typer.Option(metavar="WORDS", help="Batch metadata description.")
    ] = None,
    config: BatchConfig = None,
) -> None:
    """Upload the requests and start a batch; prints the batch id on stdout."""
    from summarize.batch.provider import describe
    from summarize.batch.provider import submit as submit_batch

    if not requests.is_file():
        raise fail(f"{requests} does not exist: write it with `summarize batch prepare`")
    batch = submit_batch(_batch_settings(base_url, config), requests, description=description)
    note(describe(batch))
    typer.echo(batch.id)


def status(
    batch_id: Annotated[
        str, typer.Argument(metavar="BATCH_ID", help="Batch id printed by `batch submit`.")
    ],
    base_url: BatchURL = None,
    config: BatchConfig = None,
) -> None:
    """Show a batch's status and request counts; prints the status on stdout."""
    from summarize.batch.provider import describe
    from summarize.batch.provider import status as batch_status

    batch = batch_status(_batch_settings(base_url, config), batch_id)
    note(describe(batch))
    typer.echo(batch.status)


def fetch(
    batch_id: Annotated[
        str, typer.Argument(metavar="BATCH_ID", help="Batch id printed by `batch submit`.")
    ],
    output: Annotated[
        Path | None, opt.output_file("Results file to write (default: results.jsonl).")
    ] = None,
    old_out: Annotated[Path | None, opt.old_out_file()] = None,
    base_url: BatchURL = None,
    config: BatchConfig = None,
) -> None:
    """Download a completed batch's output and error lines into one results file.

    Exit 1 while the batch is not completed (try again later), 2 on other errors.
    """
    out = opt.chosen_output(output, old_out, default=Path("results.jsonl"))
    from summarize.batch.errors import BatchNotReadyError
    from summarize.batch.provider import describe
    from summarize.batch.provider import fetch as fetch_results

    try:
        batch = fetch_results(_batch_settings(base_url, config), batch_id, out)
    except BatchNotReadyError as exc:
        say("not ready:", "yellow", f"{exc}")
        raise typer.Exit(exc.exit_code) from None
    note(f"{describe(batch)} -> {out}")


# Long in its option declarations only: typer reads the options from the signature.
def ingest(
    results: Annotated[
        Path, typer.Argument(metavar="RESULTS", help="Results file from `batch fetch` or vLLM.")
    ],
    src: Annotated[
        Path, typer.Option(metavar="FOLDER", help="The article folder that was prepared.")
    ],
    out: Annotated[Path, opt.out_folder("Output folder, as for `run`.")] = Path("out"),
    requests: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="The prepared requests file: its .meta.json gives model and mode."
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(*opt.names("--model"), metavar="NAME", help="Without --requests: the model."),
    ] = None,
    mode: Annotated[
        InstructorMode | None, typer.Option(help="Without --requests: the mode.")
    ] = None,
    prompt: Annotated[
        Path | None,
        typer.Option(
            *opt.names("--prompt"), metavar="FILE", help="Without --requests: the prompt template."
        ),
    ] = None,
    config: BatchConfig = None,
    force: opt.ForceOption = False,
) -> None:
    """Validate, ground and write briefs from batch results, as `run` writes them.

    Resumable: current briefs are skipped. Articles with no result in the file
    are listed as not_attempted (exit 1): ingest the other batch's results into
    the same --out. Writes run.json and errors.jsonl under --out, and records
    the run in its ledger.
    """
    import sqlite3

    from summarize.batch.ingest import IngestSummary, ingest_manifest
    from summarize.batch.ingest import ingest as ingest_results
    from summarize.cli.progress import RunProgress
    from summarize.core.results import RunSummary
    from summarize.model.prompts import load_prompt
    from summarize.run.ledger import LEDGER_NAME, unusable
    from summarize.run.session import open_run
    from summarize.run.store import OutputStore
    from summarize.settings import load_settings

    if not results.is_file():
        raise fail(f"{results} does not exist: write it with `summarize batch fetch`")
    if not src.exists():
        raise fail(f"{src} does not exist: give the folder that was prepared")
    settings = load_settings(config, model=model, mode=mode)
    template = load_prompt(prompt)
    plan = _plan(requests, settings, template)
    store = OutputStore(out)
    summary = IngestSummary(RunSummary())
    try:
        with (
            open_run(
                store,
                src,
                settings,
                template,
                recording="batch",
                model=plan.model,
                prompt_version=plan.prompt_version,
                summary=summary.run,
            ) as session,
            RunProgress(summary.run, label="batch ingest") as progress,
        ):
            session.describe = lambda _: ingest_manifest(
                summary, settings, template, plan, src, results
            )
            session.count_inputs()
            session.on_result = progress
            progress.start()
            ingest_results(
                session,
                results,
                plan,
                force=force,
                max_output_tokens=settings.max_output_tokens,
                summary=summary,
            )
    except sqlite3.Error as exc:
        raise fail(unusable(store.root / LEDGER_NAME, exc)) from None
    except OSError as exc:
        raise fail(cannot_write(store.root, exc, rerun=True)) from None
    raise typer.Exit(_report(session.manifest(), summary, results, store.root))


def _plan(requests: Path | None, settings: Settings, template: PromptTemplate) -> IngestPlan:
    """What the batch was prepared with: from the requests' meta file, or from the options."""
    from summarize.batch.errors import BatchError
    from summarize.batch.ingest import read_plan
    from summarize.batch.lines import IngestPlan

    if requests is not None:
        return read_plan(requests)
    if settings.model:
        return IngestPlan(
            settings.model, settings.resolved_mode(), template.version, str(template.path)
        )
    raise BatchError(
        "which model answered? pass --requests requests.jsonl (from prepare) or --model"
    )


def _report(manifest: RunManifest, summary: IngestSummary, results: Path, out: Path) -> int:
    """The end of an ingest on stderr; the exit code."""
    counts = manifest.counts
    note(
        f"{counts.done} done, {counts.skipped} skipped, {counts.failed} failed "
        f"({counts.events} events) -> {out}"
    )
    for error in summary.run.errors:
        say(f"  {error.stage}", "red", f"{error.file}: {error.cause}")
    if summary.unanswered:
        say(
            "  not attempted:",
            "yellow",
            f"{summary.unanswered} articles have no result in {results} (listed in run.json): "
            "ingest the results file that has them, or prepare and submit them again",
        )
    return EXIT_SOME_FAILED if counts.failed or counts.not_attempted else EXIT_OK
