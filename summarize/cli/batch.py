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
    from summarize.batch.lines import IngestPlan
    from summarize.model.prompts import PromptTemplate
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
        str,
        typer.Argument(
            metavar="SRC",
            help="Folder or file of articles, a URL, or a .txt file of URLs.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None, opt.output_file("Requests file to write (default: requests.jsonl).")
    ] = None,
    old_out: Annotated[Path | None, opt.old_out_file()] = None,
    store: Annotated[
        Path,
        typer.Option(
            help="The output folder ingest will write (its --out): pages fetched by URL are "
            "kept in its pages/, as `run` keeps them, and ingest reads them there."
        ),
    ] = Path("out"),
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
    """Write the Batch API requests for SRC (and requests.meta.json, which ingest reads).

    SRC is what `run` takes: a folder, a file, a URL or a .txt file of URLs. Pages are
    fetched once into the pages/ of --store; give ingest the same SRC and --out. Files
    in a folder that are not articles are listed as not read, with why.
    """
    out = opt.chosen_output(output, old_out, default=Path("requests.jsonl"))
    from summarize.batch.lines import requests_meta_path
    from summarize.batch.prepare import prepare as prepare_requests
    from summarize.cli.summary import show_not_read
    from summarize.model.prompts import load_prompt
    from summarize.outdir.paths import OutDir
    from summarize.settings import load_settings

    source = _source(src)
    settings = load_settings(
        config, model=model, mode=mode, base_url=base_url, max_output_tokens=max_output_tokens
    )
    template = load_prompt(prompt)
    try:
        summary = prepare_requests(source, out, settings, template, pages=OutDir(store).pages)
    except OSError as exc:
        raise fail(cannot_write(out, exc)) from None
    note(
        f"{summary.requests} requests -> {out} ({len(summary.errors)} unreadable) "
        f"in {summary.seconds:.1f}s"
    )
    for error in summary.errors:
        say(f"  {error.stage}", "red", f"{error.file}: {error.cause}")
    show_not_read(summary.not_read, listed_in=str(requests_meta_path(out)))
    raise typer.Exit(EXIT_SOME_FAILED if summary.errors else EXIT_OK)


def _source(src: str) -> Path | str:
    """SRC as `run` takes it: a URL as given, else a path that must exist."""
    from summarize.sources.urls import is_url

    if is_url(src):
        return src
    if not Path(src).exists():
        raise fail(f"{src} does not exist: give a folder or file of articles, or a URL")
    return Path(src)


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
        str,
        typer.Option(
            metavar="SRC",
            help="What was prepared: the folder or file of articles, a URL or a URL list.",
        ),
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
    the run in its ledger; ends with the closing summary `run` prints.
    """
    from summarize.batch.ingest import IngestSummary, ingest_manifest
    from summarize.batch.ingest import ingest as ingest_results
    from summarize.cli.progress import RunProgress
    from summarize.cli.run import Shown, report_run
    from summarize.core.results import RunSummary
    from summarize.model.prompts import load_prompt
    from summarize.outdir.store import OutputStore
    from summarize.run.session import open_run
    from summarize.settings import load_settings

    if not results.is_file():
        raise fail(f"{results} does not exist: write it with `summarize batch fetch`")
    source = _source(src)
    settings = load_settings(config, model=model, mode=mode)
    template = load_prompt(prompt)
    plan = _plan(requests, settings, template)
    if prompt is None:
        template = _prepared_prompt(plan, template)
    store = OutputStore(out)
    summary = IngestSummary(RunSummary())
    try:
        with (
            open_run(
                store,
                source,
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
                summary, settings, template, plan, source, results
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
    except OSError as exc:
        raise fail(cannot_write(store.root, exc, rerun=True)) from None
    code = report_run(
        source, store, summary.run, session.manifest(), None, Shown(), what="batch ingest"
    )
    if summary.unanswered:
        say(
            "not attempted:",
            "yellow",
            f"{summary.unanswered} articles have no result in {results} (listed in run.json): "
            "ingest the results file that has them, or prepare and submit them again",
        )
    raise typer.Exit(code)


def _prepared_prompt(plan: IngestPlan, given: PromptTemplate) -> PromptTemplate:
    """The prompt the batch was prepared with, when its file is still that prompt: the leak
    check holds answers against the instructions the requests carried."""
    from summarize.model.prompts import PromptError, load_prompt

    try:
        prepared = load_prompt(Path(plan.prompt_file))
    except PromptError:
        return given
    return prepared if prepared.version == plan.prompt_version else given


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
