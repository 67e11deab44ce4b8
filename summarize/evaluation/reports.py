"""The report in every form it is read: the plain-text diff of a case, JSON, JUnit XML, the
HTML and Markdown pages (templates in summarize/templates) and the terminal table. Each returns
text or prints to the console it is given; writing files is the caller's job."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from summarize.evaluation.results import CaseChange, CaseResult, Comparison, Report
from summarize.rendering import environment


def case_verdict(case: CaseResult) -> str:
    """A case's verdict word; a pass with no floor it could have failed says so, not PASS."""
    if case.status == "setup_error":
        return "SETUP ERROR"
    if not case.passed:
        return "FAIL"
    return "PASS" if case.has_quality_floor() else "NO FLOOR"


def describe_case(case: CaseResult, change: CaseChange | None = None) -> str:
    """A plain-text diff of one case: failing fields with what is missing and extra."""
    if case.status == "setup_error":
        return f"{case.article_id}: SETUP ERROR: {case.error}"
    regressed = change is not None and change.status == "regressed"
    verdict = "REGRESSED" if case.passed and regressed else case_verdict(case)
    lines = [f"{case.article_id}: {verdict} ({case.reason})"]
    if case.status == "no_brief":
        lines.append(f"  no brief produced: {case.error}")
    width = max((len(f.field) for f in case.fields), default=10)
    changes = {f.field: f for f in change.fields} if change else {}
    for f in case.fields:
        moved = changes.get(f.field)
        notable = not f.passed or (moved is not None and moved.status == "regressed")
        if not notable:
            continue
        flag = "FAIL" if not f.passed else "ok  "
        req = " required" if f.required else ""
        lines.append(
            f"  {flag} {f.field:<{width}} {f.score:.2f} (floor {f.floor:.2f}{req}): {f.reason}"
        )
        if moved is not None and moved.status == "regressed":
            lines.append(f"       {'':<{width}} REGRESSED: {moved.reason}")
        for item in f.missing[:10]:
            lines.append(f"       {'':<{width}} - {item}")
        for item in f.extra[:10]:
            lines.append(f"       {'':<{width}} + {item}")
    if change is not None and change.status in ("regressed", "improved"):
        lines.append(f"  vs reference, {change.status.upper()}: {change.reason}")
    for flaky in case.flaky:
        lines.append(f"  flaky {flaky.field}: scores {flaky.scores}, passes {flaky.passes}")
    return "\n".join(lines)


def report_json(report: Report) -> str:
    """The JSON report (also the baseline's format)."""
    return report.model_dump_json(indent=2) + "\n"


def junit_xml(report: Report) -> str:
    """One testcase per article; a failure's text is the readable diff."""
    run = report.run
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
        change = report.comparison.case(case.article_id) if report.comparison else None
        counted = _testcase(suite, case, change, run.label)
        failures += counted == "failure"
        errors += counted == "error"
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


def _testcase(
    suite: ET.Element, case: CaseResult, change: CaseChange | None, label: str
) -> Literal["failure", "error", "ok"]:
    """Add one article's testcase to `suite`; says which JUnit count it adds to."""
    element = ET.SubElement(
        suite,
        "testcase",
        classname=f"summarize.eval.{label}",
        name=case.article_id,
        file=case.file or "",
    )
    text = describe_case(case, change)
    if case.status == "setup_error":
        ET.SubElement(element, "error", message=case.error or "setup error").text = text
        return "error"
    if not case.passed:
        ET.SubElement(element, "failure", message=case.reason).text = text
        return "failure"
    if change is not None and change.status == "regressed":
        message = f"regression: {change.reason}"
        ET.SubElement(element, "failure", message=message).text = text
        return "failure"
    ET.SubElement(element, "system-out").text = text
    return "ok"


def render_report(report: Report, fmt: Literal["html", "md"]) -> str:
    template = environment().get_template(f"eval_report.{fmt}.j2")
    cases = []
    for case in report.run.cases:
        change = report.comparison.case(case.article_id) if report.comparison else None
        before = report.reference_run.case(case.article_id) if report.reference_run else None
        verdict = case_verdict(case)
        cases.append(
            {
                "case": case,
                "change": change,
                "before": before,
                "diff": describe_case(case, change),
                "verdict": verdict,
                "verdict_class": verdict.lower().replace(" ", "_"),
            }
        )
    removed = [
        c for c in (report.comparison.cases if report.comparison else []) if c.status == "removed"
    ]
    return template.render(report=report, cases=cases, removed=removed)


def print_report(report: Report, console: Console) -> None:
    """The terminal view: the case table, the diffs worth reading, metrics and the verdict."""
    run, comparison = report.run, report.comparison
    console.print(_case_table(report))
    for case in run.cases:
        change = comparison.case(case.article_id) if comparison else None
        regressed = change is not None and change.status == "regressed"
        if case.status == "scored" and case.passed and not regressed and not case.flaky:
            continue
        if case.status == "setup_error":
            continue
        console.print(escape(describe_case(case, change)), highlight=False)
    if comparison is not None:
        _print_added_and_removed(comparison, console)
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
    if not final.quality_floor:
        colour = "yellow"
    console.print(f"[bold {colour}]{escape(final.headline)}[/] (exit {final.exit_code})")


def _case_table(report: Report) -> Table:
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
        elif case.passed and not case.has_quality_floor():
            verdict = "[yellow]NO FLOOR[/]"
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
    return table


def _print_added_and_removed(comparison: Comparison, console: Console) -> None:
    removed = [c.article_id for c in comparison.cases if c.status == "removed"]
    added = [c.article_id for c in comparison.cases if c.status == "added"]
    if added:
        console.print(f"new cases (not in the reference): {escape(', '.join(added))}")
    if removed:
        console.print(f"cases gone since the reference: {escape(', '.join(removed))}")
