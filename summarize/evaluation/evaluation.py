"""`summarize eval`: run the prompt over the fixture articles and score them (I/O shell).

Briefs are produced by the real pipeline (`run_batch`, replaying recordings by default) into
a scratch folder, scored against the golden briefs by `summarize.evaluation.scoring`,
compared with a reference (the committed baseline report, another baseline file, or a second
prompt), and reported as JSON, JUnit XML, HTML or Markdown. The verdict and exit code come from
`scoring.decide` alone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import os
import shlex
import subprocess
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from summarize.atomic import write_text_atomic
from summarize.core.brief import SCHEMA_VERSION, Brief, Provenance, Usage
from summarize.core.results import ArticleResult
from summarize.evaluation.scoring import (
    EXIT_SETUP,
    REPORT_FORMAT,
    CaseResult,
    Comparison,
    ConfigError,
    RunResult,
    ScoringConfig,
    SetupError,
    Verdict,
    compare_runs,
    config_from_mapping,
    decide,
    describe_case,
    merge_repeats,
    no_brief_case,
    run_metrics,
    score_case,
    setup_error_case,
)
from summarize.model.client import FatalModelError, ModelClient
from summarize.model.prompts import PromptError, PromptTemplate, load_prompt
from summarize.model.recording import with_replay_endpoint
from summarize.rendering import environment
from summarize.run.pipeline import run_batch
from summarize.run.store import OutputLockedError, OutputStore
from summarize.settings import REPLAY_URL, RecordingMode, Settings, SettingsError, load_settings

DEFAULT_CONFIG = Path("eval.toml")
DEFAULT_SOURCE = Path("seeds")
DEFAULT_GOLDEN = Path("fixtures/golden")


class Report(BaseModel):
    """Everything one `summarize eval` found; also the format of the baseline file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = REPORT_FORMAT
    tool: str = "summarize eval"
    created_at: str
    git_commit: str | None
    git_dirty: bool | None
    schema_version: str
    prompt_file: str
    prompt_version: str
    model: str | None
    recording: str
    config_file: str | None
    config: ScoringConfig
    run: RunResult
    reference_run: RunResult | None = None
    comparison: Comparison | None = None
    setup_errors: list[SetupError]
    verdict: Verdict

    def as_baseline(self) -> Report:
        """What the baseline keeps: this run's scores, not what they were compared with."""
        return self.model_copy(update={"reference_run": None, "comparison": None})


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


# Asks the person at the terminal a yes/no question (typer.confirm in the CLI).
ConfirmFn = Callable[[str], bool]


class UsageError(Exception):
    """Options that cannot work together; the CLI prints it and exits 2."""


@dataclass
class Outcome:
    """A finished evaluation: the report, and the briefs it scored (first repeat)."""

    report: Report
    briefs: dict[str, Brief] = field(default_factory=dict)
    baseline_path: Path | None = None


# -- configuration ------------------------------------------------------------------------------


def load_config(path: Path | None) -> tuple[ScoringConfig, Path | None]:
    """The scoring config from `path`, or ./eval.toml, or the built-in defaults."""
    if path is None and DEFAULT_CONFIG.is_file():
        path = DEFAULT_CONFIG
    if path is None:
        return ScoringConfig(), None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return config_from_mapping(data, str(path)), path


def baseline_path(
    options: EvalOptions, config: ScoringConfig, config_file: Path | None
) -> Path | None:
    if options.no_baseline:
        return None
    if options.baseline is not None:
        return options.baseline
    relative = Path(config.baseline.path)
    # A relative path in eval.toml means: next to eval.toml, wherever eval is run from.
    if config_file is not None and not relative.is_absolute():
        return config_file.parent / relative
    return relative


def load_baseline(path: Path) -> Report:
    try:
        return Report.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"{path} is not a summarize eval report ({where}: {first['msg']})"
        ) from None


# -- goldens ------------------------------------------------------------------------------------


def golden_path(golden_dir: Path, article_id: str) -> Path:
    return golden_dir / f"{article_id}.json"


def load_golden(
    golden_dir: Path, article_id: str, article_sha256: str | None
) -> Brief | SetupError:
    """The hand-annotated golden brief of an article, or the setup error that stops scoring."""
    path = golden_path(golden_dir, article_id)
    bless_hint = f"`summarize eval --bless {article_id} --yes`"
    if not path.is_file():
        return SetupError(
            kind="missing_golden",
            article_id=article_id,
            message=f"no golden brief at {path}",
            fix=f"annotate it by hand (see {golden_dir}/README.md), or review the model's "
            f"output and bless it with {bless_hint}",
        )
    try:
        golden = Brief.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        detail = (
            str(exc.errors()[0]["loc"]) + ": " + exc.errors()[0]["msg"]
            if isinstance(exc, ValidationError)
            else str(exc)
        )
        return SetupError(
            kind="invalid_golden",
            article_id=article_id,
            message=f"{path} is not a valid brief ({detail})",
            fix=f"fix {path} so it validates as a Brief (schemas/brief.schema.json)",
        )
    problems = []
    if golden.article_id != article_id:
        problems.append(f"its article_id is {golden.article_id}")
    if golden.provenance.kind != "hand_annotation":
        problems.append(
            f"provenance.kind is {golden.provenance.kind!r}, not 'hand_annotation' "
            "(model output is not a golden)"
        )
    if article_sha256 is not None and golden.provenance.article_sha256 != article_sha256:
        problems.append("it was annotated on different article text (article_sha256 differs)")
    if problems:
        return SetupError(
            kind="invalid_golden",
            article_id=article_id,
            message=f"{path}: " + "; ".join(problems),
            fix=f"re-annotate {path} against the current article",
        )
    return golden


# -- producing briefs ---------------------------------------------------------------------------


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


def rerecord_command(options: EvalOptions, settings: Settings, prompt: Path | None) -> str:
    """The command that records what a replay missed, in the user's own terms."""
    recordings = options.recordings
    if prompt is not None and recordings is None:
        # Recording another prompt into the default folder would replace the shipped
        # prompt's recordings article by article; give it a folder of its own.
        recordings = settings.recordings_dir.parent / f"recordings-{prompt.stem}"
    parts = ["summarize", "eval", "--record-missing"]
    url = settings.base_url if settings.base_url and settings.base_url != REPLAY_URL else None
    parts += ["--base-url", url or "<endpoint>"]
    parts += ["--model", settings.model or "<model>"]
    if prompt is not None:
        parts += ["--prompt", str(prompt)]
    if recordings is not None:
        parts += ["--recordings", str(recordings)]
    if options.src != DEFAULT_SOURCE:
        parts.insert(2, str(options.src))
    command = " ".join(shlex.quote(p) if not p.startswith("<") else p for p in parts)
    if url is None:
        # Without a known endpoint, the bundled local model (extra 'local') can record too.
        local = ["summarize", "run", str(options.src), "--record-missing", "--local"]
        if prompt is not None:
            local += ["--prompt", str(prompt)]
        if recordings is not None:
            local += ["--recordings", str(recordings)]
        command += f" (or, with the bundled local model: {shlex.join(local)})"
    return command


async def _produce(
    src: Path, settings: Settings, template: PromptTemplate, out: Path
) -> list[ArticleResult]:
    client = ModelClient(settings)
    store = OutputStore(out)
    try:
        with store.lock():
            summary = await run_batch(
                src,
                store,
                client,
                template,
                concurrency=settings.concurrency,
                force=True,
                keep_results=True,
            )
    finally:
        await client.aclose()
    return summary.results


@dataclass
class _Scored:
    cases: list[CaseResult]
    briefs: dict[str, Brief]
    errors: list[SetupError]


def _score_results(
    results: Sequence[ArticleResult],
    golden_dir: Path,
    config: ScoringConfig,
    fix: str,
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
        if error is not None and error.stage == "replay":
            missing = "no recording for article" in error.cause
            kind: Literal["missing_recording", "stale_recording"] = (
                "missing_recording" if missing else "stale_recording"
            )
            # The cause reads "replay miss for article <id> (<path>): <reasons>. Re-record ..."
            detail = error.cause.split(". Re-record")[0]
            head, _, reasons = detail.partition("): ")
            where = head.rpartition("(")[2]
            message = (
                f"no recording at {where}"
                if missing
                else f"stale recording {where}: {reasons or detail}"
            )
            scored.errors.append(
                SetupError(kind=kind, article_id=aid, message=message, fix=f"re-record: {fix}")
            )
            scored.cases.append(setup_error_case(aid, message, shown(Path(result.file))))
            continue
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


def _settings(options: EvalOptions, recordings: Path | None) -> Settings:
    settings = load_settings(
        options.settings_config,
        base_url=options.base_url,
        model=options.model,
        recording=options.mode,
        recordings_dir=recordings,
        concurrency=options.concurrency,
    )
    return with_replay_endpoint(settings)


@dataclass
class _RunOutput:
    run: RunResult
    briefs: dict[str, Brief]
    errors: list[SetupError]


def _evaluate_prompt(
    options: EvalOptions,
    config: ScoringConfig,
    prompt_path: Path | None,
    recordings: Path | None,
    label: str,
    work: Path,
) -> _RunOutput:
    settings = _settings(options, recordings)
    template = load_prompt(prompt_path)
    fix = rerecord_command(options, settings, prompt_path)
    if settings.model is None:
        error = SetupError(
            kind="missing_recording",
            message=f"no recordings in {settings.recordings_dir} to replay",
            fix=f"record them: {fix}",
        )
        run = RunResult(
            label=label,
            prompt_file=shown(template.path),
            prompt_version=template.version,
            model=None,
            recording=settings.recording.value,
            cases=[],
        )
        return _RunOutput(run, {}, [error])
    if not settings.base_url:
        raise UsageError(
            f"--{settings.recording.value} needs a model endpoint: pass --base-url and --model "
            "(or set SUMMARIZE_BASE_URL and SUMMARIZE_MODEL)"
        )
    repeats: list[_Scored] = []
    for n in range(options.repeat):
        out = options.out / label if options.out is not None else work / f"{label}-{n}"
        try:
            results = asyncio.run(_produce(options.src, settings, template, out))
        except FatalModelError as exc:
            error = SetupError(
                kind="endpoint",
                message=str(exc),
                fix="check --base-url, --model and OPENAI_API_KEY",
            )
            run = RunResult(
                label=label,
                prompt_file=shown(template.path),
                prompt_version=template.version,
                model=settings.model,
                recording=settings.recording.value,
                cases=[],
            )
            return _RunOutput(run, {}, [error])
        repeats.append(_score_results(results, options.golden, config, fix))
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
    return _RunOutput(run, first.briefs, first.errors)


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
    if options.bless and os.environ.get("CI"):
        raise UsageError("--bless is never run in CI: goldens change only on a person's request")


def evaluate(options: EvalOptions) -> Outcome:
    """Produce, score and compare; raises UsageError/ConfigError for what stops before scoring."""
    _check_options(options)
    config, config_file = load_config(options.eval_config)
    try:
        with tempfile.TemporaryDirectory(prefix="summarize-eval-") as scratch:
            work = Path(scratch)
            current = _evaluate_prompt(
                options, config, options.prompt, options.recordings, "candidate", work
            )
            reference: _RunOutput | None = None
            if options.against is not None:
                reference = _evaluate_prompt(
                    options,
                    config,
                    options.against,
                    options.against_recordings or options.recordings,
                    "reference",
                    work,
                )
    except (SettingsError, PromptError, OutputLockedError) as exc:
        raise UsageError(str(exc)) from None

    errors = list(current.errors)
    comparison: Comparison | None = None
    reference_run: RunResult | None = None
    tolerance = config.baseline.tolerance
    base = baseline_path(options, config, config_file)
    if reference is not None:
        errors += [
            e.model_copy(update={"message": f"(--against) {e.message}"}) for e in reference.errors
        ]
        reference_run = reference.run
        comparison = compare_runs(
            reference.run, current.run, tolerance, "prompt", reference.run.prompt_file
        )
    elif base is not None and (base.is_file() or options.baseline is not None):
        try:
            old = load_baseline(base)
        except ConfigError as exc:
            errors.append(
                SetupError(
                    kind="baseline",
                    message=str(exc),
                    fix="point --baseline at a report written by summarize "
                    "eval --report, or rewrite it with --update-baseline",
                )
            )
        else:
            reference_run = old.run
            comparison = compare_runs(old.run, current.run, tolerance, "baseline", str(base))

    commit, dirty = git_state()
    verdict = decide(current.run, comparison, errors)
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
        reference_run=reference_run,
        comparison=comparison,
        setup_errors=errors,
        verdict=verdict,
    )
    return Outcome(report=report, briefs=current.briefs, baseline_path=base)


# -- report writers -----------------------------------------------------------------------------


def write_json(report: Report, path: Path) -> None:
    write_text_atomic(path, report.model_dump_json(indent=2) + "\n")


def junit_xml(report: Report) -> str:
    """One testcase per article; a failure's text is the readable diff."""
    run = report.run
    comparison = report.comparison
    suite = ET.Element("testsuite", name="summarize eval")
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("git_commit", report.git_commit),
        ("prompt_file", report.prompt_file),
        ("prompt_version", report.prompt_version),
        ("schema_version", report.schema_version),
        ("model", report.model),
        ("recording", report.recording),
        ("verdict", report.verdict.headline),
    ):
        ET.SubElement(props, "property", name=name, value=str(value or ""))
    failures = errors = 0
    for case in run.cases:
        change = comparison.case(case.article_id) if comparison else None
        element = ET.SubElement(
            suite,
            "testcase",
            classname=f"summarize.eval.{run.label}",
            name=case.article_id,
            file=case.file or "",
        )
        text = describe_case(case, change)
        if case.status == "setup_error":
            errors += 1
            ET.SubElement(element, "error", message=case.error or "setup error").text = text
        elif not case.passed:
            failures += 1
            ET.SubElement(element, "failure", message=case.reason).text = text
        elif change is not None and change.status == "regressed":
            failures += 1
            message = f"regression: {change.reason}"
            ET.SubElement(element, "failure", message=message).text = text
        else:
            ET.SubElement(element, "system-out").text = text
    for error in report.setup_errors:
        if error.article_id is None or run.case(error.article_id) is None:
            errors += 1
            element = ET.SubElement(
                suite,
                "testcase",
                classname=f"summarize.eval.{run.label}",
                name=f"setup:{error.kind}",
            )
            ET.SubElement(element, "error", message=error.message).text = error.fix
    tests = len(suite.findall("testcase"))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    root = ET.Element(
        "testsuites",
        name="summarize eval",
        tests=str(tests),
        failures=str(failures),
        errors=str(errors),
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_report(report: Report, fmt: Literal["html", "md"]) -> str:
    template = environment().get_template(f"eval_report.{fmt}.j2")
    cases = []
    for case in report.run.cases:
        change = report.comparison.case(case.article_id) if report.comparison else None
        before = report.reference_run.case(case.article_id) if report.reference_run else None
        cases.append(
            {"case": case, "change": change, "before": before, "diff": describe_case(case, change)}
        )
    removed = [
        c for c in (report.comparison.cases if report.comparison else []) if c.status == "removed"
    ]
    return template.render(report=report, cases=cases, removed=removed)


def write_rendered(report: Report, path: Path, fmt: Literal["html", "md"]) -> None:
    write_text_atomic(path, render_report(report, fmt))


# -- blessing -----------------------------------------------------------------------------------


def blessed(brief: Brief, user: str, today: dt.date) -> Brief:
    """A reviewed model brief turned golden: marked as annotated by the person who blessed it."""
    source = brief.provenance
    note = (
        f"Copied from model output ({source.model}, prompt {source.prompt_version}) by "
        f"`summarize eval --bless` on {user}'s explicit request after review; grounding "
        "warnings dropped. Edit it like any hand annotation."
    )
    provenance = Provenance(
        kind="hand_annotation",
        schema_version=source.schema_version,
        prompt_version=None,
        model=None,
        usage=Usage(),
        attempts=0,
        article_sha256=source.article_sha256,
        annotator=f"blessed by {user} from model output {source.model}",
        annotated_on=today,
        note=note,
    )
    return brief.model_copy(update={"provenance": provenance, "warnings": []})


def bless(outcome: Outcome, ids: Sequence[str], golden_dir: Path, user: str) -> list[Path]:
    """Write the produced briefs of `ids` over their goldens."""
    wanted = list(outcome.briefs) if list(ids) == ["all"] else list(ids)
    unknown = [i for i in wanted if i not in outcome.briefs]
    if unknown:
        raise UsageError(
            f"cannot bless {', '.join(unknown)}: no brief was produced for it in this run "
            f"(produced: {', '.join(sorted(outcome.briefs)) or 'none'})"
        )
    written = []
    for article_id in wanted:
        path = golden_path(golden_dir, article_id)
        brief = blessed(outcome.briefs[article_id], user, dt.date.today())
        write_text_atomic(path, brief.model_dump_json(indent=2) + "\n")
        written.append(path)
    return written


# -- terminal -----------------------------------------------------------------------------------


def print_report(report: Report, console: Console) -> None:
    run, comparison = report.run, report.comparison
    title = (
        f"summarize eval: prompt {run.prompt_version} ({run.prompt_file}), model {run.model}, "
        f"{run.recording}" + (f" x{run.repeat}" if run.repeat > 1 else "")
    )
    table = Table(title=escape(title), title_justify="left")
    table.add_column("article")
    table.add_column("score", justify="right")
    table.add_column("threshold", justify="right")
    table.add_column("verdict")
    if comparison is not None:
        table.add_column("vs reference")
    table.add_column("failing fields")
    for case in run.cases:
        change = comparison.case(case.article_id) if comparison else None
        if case.status == "setup_error":
            verdict = "[yellow]SETUP[/]"
        elif case.passed:
            verdict = "[green]PASS[/]"
        else:
            verdict = "[red]FAIL[/]"
        failing = ", ".join(f.field for f in case.fields if not f.passed)
        row = [
            escape(case.article_id),
            f"{case.weighted_score:.2f}" if case.status != "setup_error" else "-",
            f"{case.threshold:.2f}" if case.status != "setup_error" else "-",
            verdict,
        ]
        if comparison is not None:
            status = change.status if change else "-"
            colour = {"regressed": "red", "improved": "green"}.get(status, "white")
            row.append(f"[{colour}]{status}[/]")
        if case.status == "setup_error":
            kinds = {e.kind for e in report.setup_errors if e.article_id == case.article_id}
            failing = ", ".join(sorted(k.replace("_", " ") for k in kinds)) or "setup error"
        row.append(escape(failing or "-"))
        table.add_row(*row)
    console.print(table)
    for case in run.cases:
        change = comparison.case(case.article_id) if comparison else None
        regressed = change is not None and change.status == "regressed"
        if case.status == "scored" and case.passed and not regressed and not case.flaky:
            continue
        if case.status == "setup_error":
            continue
        console.print(escape(describe_case(case, change)), highlight=False)
    if comparison is not None:
        removed = [c.article_id for c in comparison.cases if c.status == "removed"]
        added = [c.article_id for c in comparison.cases if c.status == "added"]
        if added:
            console.print(f"new cases (not in the reference): {escape(', '.join(added))}")
        if removed:
            console.print(f"cases gone since the reference: {escape(', '.join(removed))}")
    for error in report.setup_errors:
        console.print(
            f"[yellow]{escape(error.kind.replace('_', ' '))}[/] "
            f"{escape(error.article_id or '')}: {escape(error.message)}\n"
            f"  fix: {escape(error.fix)}",
            highlight=False,
        )
    metrics = run.metrics
    if metrics:
        shown = ("grounding_rate", "initiator_accuracy", "invented_initiator_rate")
        parts = []
        for name in shown:
            value = metrics.get(name)
            parts.append(
                f"{name.replace('_', ' ')} " + ("n/a" if value is None else f"{value:.2f}")
            )
        console.print("metrics: " + escape("; ".join(parts)), highlight=False)
    final = report.verdict
    colour = {"pass": "green", "fail": "red", "setup_error": "yellow"}[final.status]
    console.print(f"[bold {colour}]{escape(final.headline)}[/] (exit {final.exit_code})")


# -- the command --------------------------------------------------------------------------------


def run_eval_command(
    options: EvalOptions, console: Console, err: Console, confirm: ConfirmFn | None = None
) -> int:
    """What `summarize eval` does; returns the exit code."""
    try:
        outcome = evaluate(options)
    except (UsageError, ConfigError) as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_SETUP
    report = outcome.report
    print_report(report, console)
    outputs: list[tuple[Path | None, Callable[[], str]]] = [
        (options.report, lambda: report.model_dump_json(indent=2) + "\n"),
        (options.junit, lambda: junit_xml(report)),
        (options.html, lambda: render_report(report, "html")),
        (options.markdown, lambda: render_report(report, "md")),
    ]
    for path, text in outputs:
        if path is not None:
            write_text_atomic(path, text())
            err.print(f"wrote {escape(str(path))}", highlight=False)
    if options.update_baseline:
        if report.setup_errors or outcome.baseline_path is None:
            err.print("[bold red]baseline not updated:[/] fix the setup errors first")
        else:
            write_json(report.as_baseline(), outcome.baseline_path)
            err.print(f"baseline rewritten: {escape(str(outcome.baseline_path))}")
    if options.bless:
        code = _bless(options, outcome, err, confirm)
        if code is not None:
            return code
    return report.verdict.exit_code


def _bless(
    options: EvalOptions, outcome: Outcome, err: Console, confirm: ConfirmFn | None
) -> int | None:
    ids = list(outcome.briefs) if list(options.bless) == ["all"] else list(options.bless)
    for article_id in ids:
        case = outcome.report.run.case(article_id)
        if case is not None:
            err.print(escape(describe_case(case)), highlight=False)
    if not options.yes:
        if confirm is None:
            err.print(
                "[bold red]not blessed:[/] --bless overwrites goldens; confirm with --yes "
                "(or answer the prompt in a terminal)"
            )
            return EXIT_SETUP
        question = f"Overwrite {len(ids)} golden brief(s) in {options.golden} with these outputs?"
        if not confirm(question):
            err.print("not blessed")
            return None
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown user"
    try:
        written = bless(outcome, ids, options.golden, user)
    except UsageError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return EXIT_SETUP
    for path in written:
        err.print(f"blessed {escape(str(path))}; review it and commit it like a hand annotation")
    return None
