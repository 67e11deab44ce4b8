"""Producing and scoring briefs for `summarize eval` (I/O shell).

Briefs are produced by the real pipeline (`run_articles`, replaying recordings by default) into a
scratch folder, scored against the golden briefs (`cases`), compared with a reference (the
committed baseline report, another baseline file, or a second prompt, `compare`), and gathered
into one `Report` whose verdict comes from `compare.decide` alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol

from summarize.core.brief import SCHEMA_VERSION, Brief
from summarize.core.errors import UsageError
from summarize.core.results import ArticleResult, ErrorRecord, RunSummary, Stage
from summarize.evaluation.baseline import baseline_path, load_baseline
from summarize.evaluation.cases import (
    merge_repeats,
    no_brief_case,
    run_metrics,
    score_case,
    setup_error_case,
)
from summarize.evaluation.cell_plan import CellSpec, plan_cells, slug
from summarize.evaluation.compare import compare_runs, decide
from summarize.evaluation.config import ConfigError, ScoringConfig, load_config, load_endpoints
from summarize.evaluation.goldens import load_golden, write_reviewed_goldens
from summarize.evaluation.matrix_results import CellStats, cell_stats
from summarize.evaluation.results import CaseResult, Comparison, Report, RunResult, SetupError
from summarize.model.client import FatalModelError, ModelClient
from summarize.model.local_server import LocalServer, LocalServerError, default_model_path
from summarize.model.prompts import PromptError, PromptTemplate, load_prompt
from summarize.model.recording import with_replay_endpoint
from summarize.model.transports import LedgerTap
from summarize.outdir.manifest import ManifestError
from summarize.outdir.store import OutputLockedError, OutputStore
from summarize.run.pipeline import run_articles
from summarize.run.session import open_run
from summarize.settings import (
    REPLAY_URL,
    InstructorMode,
    RecordingMode,
    Settings,
    SettingsError,
    load_settings,
    shown_url,
)

DEFAULT_SOURCE = Path("seeds")
DEFAULT_GOLDEN = Path("fixtures/golden")


@dataclass(frozen=True)
class EvalOptions:
    src: Path = DEFAULT_SOURCE
    golden: Path = DEFAULT_GOLDEN
    eval_config: Path | None = None
    settings_config: Path | None = None
    prompt: Path | None = None
    against: Path | None = None
    against_recordings: Path | None = None
    mode: RecordingMode = RecordingMode.REPLAY
    base_url: str | None = None
    model: str | None = None
    recordings: Path | None = None
    concurrency: int | None = None
    # The matrix: every prompt with every model (with `prompt` and `model` first, if given).
    prompts: tuple[Path, ...] = ()
    models: tuple[str, ...] = ()
    # The model settings `summarize run` takes; None: flags > environment > summarize.toml.
    timeout: float | None = None
    instructor_mode: InstructorMode | None = None
    max_reasks: int | None = None
    max_output_tokens: int | None = None
    # Start the bundled llama.cpp server for the cells that call a model.
    local: bool = False
    model_path: Path | None = None
    baseline: Path | None = None
    no_baseline: bool = False
    update_baseline: bool = False
    repeat: int = 1
    out: Path | None = None
    report: Path | None = None
    junit: Path | None = None
    html: Path | None = None
    markdown: Path | None = None
    bless: tuple[str, ...] = ()
    yes: bool = False
    # A run output folder whose reviewed briefs are the goldens (summarize review).
    reviewed: Path | None = None
    # Shows each run's progress (the command line's bar or plain lines); None: silent.
    watch: Callable[[RunSummary], Watcher] | None = None

    def cell_prompts(self) -> list[Path | None]:
        """The prompts of the matrix, in order, each once; [None]: the shipped prompt."""
        given = ([self.prompt] if self.prompt is not None else []) + list(self.prompts)
        return list(dict.fromkeys(given)) or [None]

    def cell_models(self) -> list[str | None]:
        """The models of the matrix, in order, each once; [None]: the configured one (in
        replay: the one the recordings were made with)."""
        given = ([self.model] if self.model is not None else []) + list(self.models)
        return list(dict.fromkeys(given)) or [None]

    @property
    def is_matrix(self) -> bool:
        return len(self.cell_prompts()) * len(self.cell_models()) > 1


@dataclass
class Outcome:
    """A finished evaluation: the report, and the briefs it scored (first repeat)."""

    report: Report
    briefs: dict[str, Brief] = field(default_factory=dict)
    baseline_path: Path | None = None
    # The --against prompt's briefs, to show next to the candidate's.
    reference_briefs: dict[str, Brief] = field(default_factory=dict)


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state() -> tuple[str | None, bool | None]:
    """HEAD's commit and whether tracked files differ from it, when inside a git checkout."""
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return None, None
    status = _git("status", "--porcelain", "--untracked-files=no")
    return commit, None if status is None else bool(status)


def shown(path: Path) -> str:
    """A path as reports show it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def rerecord_command(
    options: EvalOptions, settings: Settings, prompt: Path | None, recordings: Path | None
) -> str:
    """The command that records what a replay missed, with exactly the settings the replay
    asked for (the output cap and re-asks are part of what is recorded), in the user's terms."""
    parts = ["summarize", "eval"]
    if options.src != DEFAULT_SOURCE:
        parts.append(str(options.src))
    parts.append("--record-missing")
    if options.reviewed is not None:
        parts += ["--reviewed", str(options.reviewed)]
    elif options.golden != DEFAULT_GOLDEN:
        parts += ["--golden", str(options.golden)]
    for flag, path in (
        ("--eval-config", options.eval_config),
        ("--config", options.settings_config),
    ):
        if path is not None:
            parts += [flag, str(path)]
    url = shown_url(settings.base_url) if settings.base_url != REPLAY_URL else None
    endpoint = ["--base-url", url or "<endpoint>", "--model", settings.model or "<model>"]
    rest: list[str] = []
    if prompt is not None:
        rest += ["--prompt", str(prompt)]
    if recordings is not None:
        rest += ["--recordings", str(recordings)]
    rest += ["--max-output-tokens", str(settings.max_output_tokens)]
    if options.instructor_mode is not None:
        # How the schema is sent is part of the request (tools or response_format).
        rest += ["--mode", settings.mode.value]
    if settings.max_reasks != Settings.model_fields["max_reasks"].default:
        rest += ["--max-reasks", str(settings.max_reasks)]
    if options.local:
        return _command([*parts, "--local", *rest])
    command = _command([*parts, *endpoint, *rest])
    if url is None and settings.model in (None, _bundled_model()):
        # Without a known endpoint, the bundled local model (extra 'local') records too.
        command += f" (or, with the bundled local model: {_command([*parts, '--local', *rest])})"
    return command


def _command(parts: list[str]) -> str:
    return " ".join(p if p.startswith("<") else shlex.quote(p) for p in parts)


def _bundled_model() -> str | None:
    """The name the bundled local server gives its model, when the extra is installed."""
    try:
        return default_model_path().stem
    except LocalServerError:
        return None


class Watcher(Protocol):
    """Shows a run's progress (the CLI's `RunProgress`): started once the inputs are counted,
    called with each result, closed at the end."""

    def __enter__(self) -> object: ...
    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...
    def __call__(self, result: ArticleResult) -> None: ...
    def start(self) -> None: ...


def produce_briefs(
    src: Path,
    settings: Settings,
    template: PromptTemplate,
    out: Path,
    watch: Callable[[RunSummary], Watcher] | None = None,
) -> list[ArticleResult]:
    """Every article of `src` through the real pipeline into `out`, as `summarize run --force`
    would run it; one result per article. Raises FatalModelError when the endpoint is unusable.
    """

    async def produce() -> list[ArticleResult]:
        with open_run(OutputStore(out), src, settings, template, keep_results=True) as session:
            client = ModelClient(settings, tap=LedgerTap(session.ledger, session.run_id))
            watcher = watch(session.summary) if watch is not None else None
            try:
                with watcher if watcher is not None else nullcontext():
                    if watcher is not None:
                        session.count_inputs()
                        session.on_result = watcher
                        watcher.start()
                    await run_articles(session, client, force=True)
            finally:
                await client.aclose()
        return session.summary.results

    return asyncio.run(produce())


@dataclass
class _Scored:
    cases: list[CaseResult]
    briefs: dict[str, Brief]
    errors: list[SetupError]


def _replay_error(article_id: str, error: ErrorRecord, fix: str) -> SetupError:
    """A replay miss, as the setup error that says which recording is missing or stale."""
    missing = "no recording for article" in error.cause
    kind: Literal["missing_recording", "stale_recording"] = (
        "missing_recording" if missing else "stale_recording"
    )
    # The cause reads "replay miss for article <id> (<path>): <reasons>. Re-record ..."
    detail = error.cause.split(". Re-record")[0]
    head, _, reasons = detail.partition("): ")
    where = head.rpartition("(")[2]
    message = (
        f"no recording at {where}" if missing else f"stale recording {where}: {reasons or detail}"
    )
    return SetupError(kind=kind, article_id=article_id, message=message, fix=f"re-record: {fix}")


def _score_results(
    results: Sequence[ArticleResult],
    golden_dir: Path,
    config: ScoringConfig,
    fix: str,
    only_goldens: bool = False,
) -> _Scored:
    scored = _Scored([], {}, [])
    for result in sorted(results, key=lambda r: (r.article_id or "", r.file)):
        aid = result.article_id
        if aid is None:
            cause = result.error.cause if result.error else "unreadable"
            scored.errors.append(
                SetupError(kind="ingest", message=f"{result.file}: {cause}", fix="fix the file")
            )
            continue
        error = result.error
        if error is not None and error.stage == Stage.REPLAY:
            miss = _replay_error(aid, error, fix)
            scored.errors.append(miss)
            scored.cases.append(setup_error_case(aid, miss.message, shown(Path(result.file))))
            continue
        if only_goldens and not (golden_dir / f"{aid}.json").is_file():
            continue  # an article nobody reviewed is not a case
        golden = load_golden(
            golden_dir, aid, result.brief.provenance.article_sha256 if result.brief else None
        )
        if isinstance(golden, SetupError):
            scored.errors.append(golden)
            scored.cases.append(setup_error_case(aid, golden.message, shown(Path(result.file))))
            continue
        if result.brief is None:
            cause = f"{error.stage}: {error.cause}" if error else "no brief"
            scored.cases.append(no_brief_case(aid, cause, config, shown(Path(result.file))))
            continue
        scored.briefs[aid] = result.brief
        scored.cases.append(score_case(golden, result.brief, config, shown(Path(result.file))))
    return scored


def _settings(options: EvalOptions, cell: CellSpec, server: LocalServer | None) -> Settings:
    settings = load_settings(
        options.settings_config,
        base_url=cell.base_url,
        model=cell.model,
        recording=options.mode,
        recordings_dir=cell.recordings,
        concurrency=options.concurrency,
        mode=options.instructor_mode,
        timeout=options.timeout,
        max_reasks=options.max_reasks,
        max_output_tokens=options.max_output_tokens,
    )
    if server is not None:
        # Fitted where nobody set a value; when recording, the output cap stays the one a
        # replay asks for (fit_settings), so what is recorded replays.
        settings = server.settings_for(settings)
    return with_replay_endpoint(settings)


@dataclass
class _RunOutput:
    run: RunResult
    briefs: dict[str, Brief]
    errors: list[SetupError]
    stats: CellStats = field(default_factory=CellStats)
    settings: Settings | None = None


def _unscored(
    label: str, template: PromptTemplate, settings: Settings, model: str | None, error: SetupError
) -> _RunOutput:
    """A prompt that could not be run at all: no cases, and the setup error that says why."""
    run = RunResult(
        label=label,
        prompt_file=shown(template.path),
        prompt_version=template.version,
        model=model,
        recording=settings.recording.value,
        cases=[],
    )
    return _RunOutput(run, {}, [error], settings=settings)


def evaluate_cell(
    options: EvalOptions,
    config: ScoringConfig,
    cell: CellSpec,
    work: Path,
    label: str,
    server: LocalServer | None = None,
) -> _RunOutput:
    """One prompt with one model over every article: produced, scored, counted."""
    settings = _settings(options, cell, server)
    template = load_prompt(cell.prompt)
    fix = rerecord_command(options, settings, cell.prompt, cell.recordings)
    if settings.model is None:
        error = SetupError(
            kind="missing_recording",
            message=f"no recordings in {settings.recordings_dir} to replay",
            fix=f"record them: {fix}",
        )
        return _unscored(label, template, settings, None, error)
    if not settings.base_url:
        raise UsageError(
            f"--{settings.recording.value} needs a model endpoint: pass --base-url and --model "
            "(or set SUMMARIZE_BASE_URL and SUMMARIZE_MODEL, or [models] in eval.toml), "
            "or --local"
        )
    repeats: list[_Scored] = []
    stats: CellStats | None = None
    for n in range(options.repeat):
        out = options.out / slug(label) if options.out is not None else work / f"{slug(label)}-{n}"
        try:
            results = produce_briefs(options.src, settings, template, out, options.watch)
        except FatalModelError as exc:
            error = SetupError(
                kind="endpoint",
                message=str(exc),
                fix="check --base-url, --model and OPENAI_API_KEY",
            )
            return _unscored(label, template, settings, settings.model, error)
        if stats is None:
            price = settings.prices.get(settings.model)
            priced = (price.prompt, price.completion) if price is not None else None
            replayed = settings.recording is RecordingMode.REPLAY
            stats = cell_stats(results, priced, replayed)
        only_reviewed = options.reviewed is not None
        repeats.append(_score_results(results, options.golden, config, fix, only_reviewed))
    first = repeats[0]
    cases = [
        merge_repeats(
            [r.cases[i] for r in repeats if i < len(r.cases)], config, config.baseline.tolerance
        )
        for i in range(len(first.cases))
    ]
    run = RunResult(
        label=label,
        prompt_file=shown(template.path),
        prompt_version=template.version,
        model=settings.model,
        recording=settings.recording.value,
        repeat=options.repeat,
        cases=cases,
        metrics=run_metrics(cases),
    )
    return _RunOutput(run, first.briefs, first.errors, stats or CellStats(), settings)


def _check_options(options: EvalOptions) -> None:
    if options.repeat < 1:
        raise UsageError("--repeat must be at least 1")
    if options.repeat > 1 and options.mode is not RecordingMode.LIVE:
        raise UsageError(
            "--repeat needs --live: a replay answers the same every time, and recording "
            "several runs into one cassette would mix them"
        )
    if options.against is not None and (options.baseline is not None or options.update_baseline):
        raise UsageError(
            "--against compares with another prompt; it does not go with --baseline or "
            "--update-baseline"
        )
    if (
        options.against is not None
        and options.mode in (RecordingMode.RECORD, RecordingMode.RECORD_MISSING)
        and (options.against_recordings or options.recordings) == options.recordings
    ):
        raise UsageError(
            "recording two prompts into one recordings folder would overwrite one with the "
            "other: pass --against-recordings DIR for the --against prompt"
        )
    if options.reviewed is not None and options.bless:
        raise UsageError("--bless writes goldens; --reviewed reads them from reviews: choose one")
    if options.is_matrix and (options.against is not None or options.update_baseline):
        raise UsageError(
            "several --prompt or --model make a matrix whose cells are compared side by side; "
            "--against and --update-baseline take one prompt with one model"
        )
    if options.is_matrix and options.bless:
        raise UsageError("--bless copies one cell's outputs: give one --prompt and one --model")
    if options.local and (options.base_url is not None or options.cell_models() != [None]):
        raise UsageError(
            "--local starts its own server and model: leave out --base-url and --model"
        )
    if options.local and options.mode is RecordingMode.REPLAY:
        raise UsageError(
            "--local calls the bundled model: add --record-missing (record what is not "
            "recorded) or --live (record nothing); a replay needs no server"
        )
    if options.bless and os.environ.get("CI"):
        raise UsageError("--bless is never run in CI: goldens change only on a person's request")


@dataclass
class _Reference:
    run: RunResult | None = None
    comparison: Comparison | None = None
    errors: list[SetupError] = field(default_factory=list)


def _against_baseline(current: RunResult, base: Path, tolerance: float) -> _Reference:
    try:
        old = load_baseline(base)
    except ConfigError as exc:
        error = SetupError(
            kind="baseline",
            message=str(exc),
            fix="point --baseline at a report written by summarize "
            "eval --report, or rewrite it with --update-baseline",
        )
        return _Reference(errors=[error])
    return _Reference(old.run, compare_runs(old.run, current, tolerance, "baseline", str(base)))


def _against_prompt(current: RunResult, reference: _RunOutput, tolerance: float) -> _Reference:
    errors = [
        e.model_copy(update={"message": f"(--against) {e.message}"}) for e in reference.errors
    ]
    source = reference.run.prompt_file
    comparison = compare_runs(reference.run, current, tolerance, "prompt", source)
    return _Reference(reference.run, comparison, errors)


@dataclass
class CellOutcome:
    """One cell of the matrix, judged: its spec, outcome (report and briefs) and costs."""

    spec: CellSpec
    outcome: Outcome
    stats: CellStats
    endpoint: str | None


@dataclass
class Evaluated:
    """Every cell of an evaluation, with the goldens they were scored against."""

    cells: list[CellOutcome]
    config: ScoringConfig
    config_file: Path | None
    goldens: dict[str, Brief] = field(default_factory=dict)


def evaluate(options: EvalOptions) -> Outcome:
    """Produce, score and compare one prompt with one model (the first cell, when the options
    ask for a matrix: see `evaluate_all`); raises UsageError/ConfigError for what stops before
    scoring."""
    return evaluate_all(options).cells[0].outcome


def evaluate_all(options: EvalOptions) -> Evaluated:
    """Every prompt with every model on the same articles, each cell judged on its own."""
    _check_options(options)
    if options.reviewed is None:
        return _evaluate_all(options)
    with tempfile.TemporaryDirectory(prefix="summarize-reviewed-") as goldens:
        write_reviewed_goldens(options.reviewed, Path(goldens))
        return _evaluate_all(_with_reviewed_goldens(options, options.reviewed, Path(goldens)))


@contextmanager
def _local_server(options: EvalOptions) -> Iterator[LocalServer | None]:
    """The bundled model server for the cells to call, with --local; stopped at the end."""
    if not options.local:
        yield None
        return
    with LocalServer(options.model_path) as server:
        yield server


def _evaluate_all(options: EvalOptions) -> Evaluated:
    config, config_file = load_config(options.eval_config)
    try:
        default_recordings = load_settings(options.settings_config).recordings_dir
        cells = plan_cells(
            options.cell_prompts(),
            options.cell_models(),
            shipped_prompt=load_prompt().path,
            recordings=options.recordings,
            default_recordings=default_recordings,
            base_url=options.base_url,
            endpoints=load_endpoints(config_file),
        )
        evaluated = Evaluated([], config, config_file)
        with (
            _local_server(options) as server,
            tempfile.TemporaryDirectory(prefix="summarize-eval-") as scratch,
        ):
            for cell in cells:
                label = cell.label if options.is_matrix else "candidate"
                current = evaluate_cell(options, config, cell, Path(scratch), label, server)
                against = None
                if options.against is not None:
                    recordings = options.against_recordings or options.recordings
                    reference = replace(cell, prompt=options.against, recordings=recordings)
                    against = evaluate_cell(
                        options, config, reference, Path(scratch), "reference", server
                    )
                outcome = _judge(options, config, config_file, current, against)
                if against is not None:
                    outcome.reference_briefs = against.briefs
                evaluated.cells.append(
                    CellOutcome(
                        cell,
                        outcome,
                        current.stats,
                        shown_url(current.settings.base_url) if current.settings else None,
                    )
                )
        evaluated.goldens = _goldens(options.golden, evaluated.cells)
        return evaluated
    except (SettingsError, PromptError, OutputLockedError) as exc:
        raise UsageError(str(exc)) from None


def _goldens(folder: Path, cells: Sequence[CellOutcome]) -> dict[str, Brief]:
    """The goldens of the scored articles, to show next to the outputs."""
    ids = dict.fromkeys(c.article_id for cell in cells for c in cell.outcome.report.run.cases)
    found = {aid: load_golden(folder, aid, None) for aid in ids}
    return {aid: g for aid, g in found.items() if isinstance(g, Brief)}


def _with_reviewed_goldens(options: EvalOptions, folder: Path, goldens: Path) -> EvalOptions:
    """The options for scoring against a run folder's reviewed briefs: its articles (unless
    SRC is given), and no baseline unless one is named (the shipped one scores the seeds)."""
    src = options.src
    if src == DEFAULT_SOURCE:
        try:
            src = Path(OutputStore(folder).read_manifest().manifest.source)
        except ManifestError as exc:
            raise UsageError(f"{exc}: it does not say where its articles are: pass SRC") from None
    return dataclasses.replace(
        options,
        src=src,
        golden=goldens,
        no_baseline=options.no_baseline or options.baseline is None,
    )


def _judge(
    options: EvalOptions,
    config: ScoringConfig,
    config_file: Path | None,
    current: _RunOutput,
    against: _RunOutput | None,
) -> Outcome:
    """A cell's verdict: its floors, and the --against prompt or the baseline. In a matrix
    the baseline judges only the cell of its own prompt and model."""
    tolerance = config.baseline.tolerance
    base = baseline_path(config, config_file, options.baseline, options.no_baseline)
    reference = _Reference()
    if against is not None:
        reference = _against_prompt(current.run, against, tolerance)
    elif base is not None and (base.is_file() or options.baseline is not None):
        reference = _against_baseline(current.run, base, tolerance)
        old = reference.run
        if (
            options.is_matrix
            and old is not None
            and ((old.prompt_version, old.model) != (current.run.prompt_version, current.run.model))
        ):
            reference = _Reference()
    errors = current.errors + reference.errors
    commit, dirty = git_state()
    report = Report(
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        git_commit=commit,
        git_dirty=dirty,
        schema_version=SCHEMA_VERSION,
        prompt_file=current.run.prompt_file,
        prompt_version=current.run.prompt_version,
        model=current.run.model,
        recording=current.run.recording,
        config_file=str(config_file) if config_file else None,
        config=config,
        run=current.run,
        reference_run=reference.run,
        comparison=reference.comparison,
        setup_errors=errors,
        verdict=decide(current.run, reference.comparison, errors),
    )
    return Outcome(report=report, briefs=current.briefs, baseline_path=base)
