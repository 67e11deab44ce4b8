"""The report in every form it is read: the plain-text diff of a case, JSON, JUnit XML and the
HTML and Markdown pages (templates in summarize/templates). Each returns text; printing is the
command line's (cli/eval.py), writing files the caller's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Literal

from summarize.core.brief import Brief
from summarize.evaluation.cell_plan import slug
from summarize.evaluation.results import CaseChange, CaseResult, Report
from summarize.evaluation.side_by_side import article_views
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
    suite = junit_suite(report, "summarize eval")
    root = ET.Element(
        "testsuites",
        name="summarize eval",
        tests=suite.get("tests", "0"),
        failures=suite.get("failures", "0"),
        errors=suite.get("errors", "0"),
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def junit_suite(report: Report, name: str) -> ET.Element:
    """The test suite of one run (one prompt with one model): a testcase per article."""
    run = report.run
    suite = ET.Element("testsuite", name=name)
    props = ET.SubElement(suite, "properties")
    for key, value in (
        ("git_commit", report.git_commit),
        ("prompt_file", report.prompt_file),
        ("prompt_version", report.prompt_version),
        ("schema_version", report.schema_version),
        ("model", report.model),
        ("recording", report.recording),
        ("verdict", report.verdict.headline),
    ):
        ET.SubElement(props, "property", name=key, value=str(value or ""))
    failures = errors = 0
    classname = f"summarize.eval.{slug(run.label)}"
    for case in run.cases:
        change = report.comparison.case(case.article_id) if report.comparison else None
        counted = _testcase(suite, case, change, classname)
        failures += counted == "failure"
        errors += counted == "error"
    for error in report.setup_errors:
        if error.article_id is None or run.case(error.article_id) is None:
            errors += 1
            element = ET.SubElement(
                suite, "testcase", classname=classname, name=f"setup:{error.kind}"
            )
            ET.SubElement(element, "error", message=error.message).text = error.fix
    suite.set("tests", str(len(suite.findall("testcase"))))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    return suite


def _testcase(
    suite: ET.Element, case: CaseResult, change: CaseChange | None, classname: str
) -> Literal["failure", "error", "ok"]:
    """Add one article's testcase to `suite`; says which JUnit count it adds to."""
    element = ET.SubElement(
        suite,
        "testcase",
        classname=classname,
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


def render_report(
    report: Report,
    fmt: Literal["html", "md"],
    outputs: Sequence[tuple[str, Mapping[str, Brief]]] = (),
    goldens: Mapping[str, Brief] | None = None,
) -> str:
    """The report page; with `outputs` (a label and the briefs by article id, for each run)
    and the `goldens`, it ends with each article's outputs next to its golden."""
    template = environment().get_template(f"eval_report.{fmt}.j2")
    views = []
    if outputs and goldens is not None:
        ids = [c.article_id for c in report.run.cases]
        views = article_views(
            ids, goldens, [o for _, o in outputs], [{}] * len(outputs), report.config
        )
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
    return template.render(
        report=report,
        cases=cases,
        removed=removed,
        views=views,
        column_labels=[label for label, _ in outputs],
    )
