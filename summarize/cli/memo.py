"""`summarize memo`: a briefing memo from a folder of briefs."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from summarize.cli import options as opt
from summarize.cli.collector import frozen_start
from summarize.cli.output import cannot_write, fail, note, say
from summarize.core.errors import EXIT_OK, EXIT_SOME_FAILED

if TYPE_CHECKING:
    from summarize.core.brief import Brief
    from summarize.memo.citations import MemoSynthesis
    from summarize.model.prompts import PromptTemplate
    from summarize.settings import Settings

MEMO_HELP = (
    "Write a briefing memo from the briefs in FOLDER (searched recursively for *.json "
    "briefs: a `summarize run` output folder, or fixtures/golden).\n\n"
    "The format follows the --output suffix (.md or .html) unless --format says otherwise. "
    "Reports of one contact from several outlets are merged into one event; where sides or "
    "outlets differ, their accounts are set side by side. Overdue follow-ups are judged "
    "against --as-of (default: the latest date in the briefs), so the same briefs always "
    "give a byte-identical memo.\n\n"
    "With --synthesize the BLUF is written by the model (--base-url/--model, or --replay "
    "from recordings); every sentence must cite the events it rests on, or it is rejected "
    "and re-asked. If no valid synthesis comes back, the memo keeps the deterministic BLUF "
    "and the exit code is 1.\n\n"
    "When FOLDER is a `summarize run` output (run.json, errors.jsonl), the memo lists the "
    "articles the run did not summarise (failed, not attempted, interrupted), each with its "
    "file and cause, and says what it cannot cover.\n\n"
    "Example: summarize memo out/ -o memo.html --title 'US-Russia contacts'"
)


def memo(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder of briefs.", show_default=False)
    ],
    output: Annotated[Path | None, opt.output_file("Memo file to write (.md or .html).")] = None,
    old_out: Annotated[Path | None, opt.old_out_file()] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", metavar="FORMAT", help="md or html (default: from the --output suffix)."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TITLE", help="Memo title.")] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="YYYY-MM-DD to judge overdue follow-ups (default: latest brief date).",
        ),
    ] = None,
    synthesize: Annotated[
        bool, opt.flag("--synthesize", help="Have the model write the BLUF, with citations.")
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            *opt.names("--base-url"), metavar="URL", help="With --synthesize: the endpoint."
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(*opt.names("--model"), metavar="NAME", help="With --synthesize: the model."),
    ] = None,
    config: opt.ConfigOption = None,
    replay: Annotated[bool, opt.flag("--replay", help="Synthesis from recordings.")] = False,
    record: Annotated[bool, opt.flag("--record", help="Record the synthesis.")] = False,
    record_missing: Annotated[
        bool, opt.flag("--record-missing", help="Replay if recorded, else record.")
    ] = False,
    recordings: opt.RecordingsOption = None,
) -> None:
    from summarize.memo.load import load_briefs, load_run_record, write_memo
    from summarize.memo.render import resolve_format
    from summarize.outdir.reviews import with_reviews

    out = opt.chosen_output(output, old_out, default=None)
    recording = opt.recording_mode(replay, record, record_missing)
    if not synthesize and (base_url or model or recording):
        raise fail("--base-url, --model and the recording flags go with --synthesize")
    try:
        as_of_date = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of {as_of!r} is not a date like 2016-09-05") from None
    try:
        chosen = resolve_format(out, fmt)
    except ValueError as exc:
        raise fail(str(exc)) from None
    # Almost nothing the memo allocates is garbage, and each full pass walks ~40 objects a
    # brief (about 1 s of 2.5 for 5,000 briefs): passes are spaced too.
    with frozen_start(threshold=(100_000, 50, 1_000)):
        briefs, reviewed = with_reviews(folder, load_briefs(folder))
        if not briefs:
            raise fail(no_briefs(folder))
        synthesis, code = None, EXIT_OK
        if synthesize:
            synthesis = _synthesis(briefs, config, base_url, model, recording, recordings)
            code = EXIT_OK if synthesis is not None else EXIT_SOME_FAILED
        try:
            write_memo(
                briefs,
                out,
                fmt=chosen,
                title=title,
                as_of=as_of_date,
                synthesis=synthesis,
                run=load_run_record(folder),
                reviewed=reviewed,
            )
        except OSError as exc:
            raise fail(cannot_write(out, exc)) from None
    note(f"memo of {len(briefs)} briefs -> {out}")
    raise typer.Exit(code)


def no_briefs(folder: Path) -> str:
    """Nothing to write a memo from, and the command that makes briefs."""
    return (
        f"no briefs found in {folder}: `summarize run SRC --out {folder}` makes them "
        "(SRC: your folder of articles; add --replay to try it on seeds/ offline)"
    )


def _synthesis(
    briefs: list[Brief],
    config: Path | None,
    base_url: str | None,
    model: str | None,
    recording: object,
    recordings: Path | None,
) -> MemoSynthesis | None:
    """The model's BLUF, or None (said on stderr) when no valid one came back."""
    from summarize.memo.synthesis import load_memo_prompt
    from summarize.model.client import FatalModelError, ModelError
    from summarize.model.endpoint import endpoint
    from summarize.settings import load_settings

    settings = load_settings(
        config, base_url=base_url, model=model, recording=recording, recordings_dir=recordings
    )
    prompt = load_memo_prompt()
    try:
        return asyncio.run(_synthesize(briefs, endpoint(settings), prompt))
    except FatalModelError:
        raise  # every request would fail alike: the CLI's one handler reports it
    except ModelError as exc:
        say(f"synthesis failed ({exc.stage}):", "yellow", f"{exc}; keeping the deterministic BLUF")
        return None


async def _synthesize(
    briefs: list[Brief], settings: Settings, prompt: PromptTemplate
) -> MemoSynthesis:
    from summarize.memo.synthesis import synthesize
    from summarize.model.client import ModelClient

    client = ModelClient(settings)
    try:
        synthesis, _ = await synthesize(briefs, client, prompt)
    finally:
        await client.aclose()
    return synthesis
