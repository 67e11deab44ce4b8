"""The report in every form: the plain-text diff, JSON, JUnit XML, HTML and Markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from eval_workspace import (
    MODEL,
    golden_file,
    options,
    quiet,
    record,
)
from golden_briefs import golden, run_of, scored, with_event
from lxml import html as lxml_html  # type: ignore[import-untyped]
from model_server import ModelServer

from summarize.cli.eval import run_eval_command
from summarize.core.brief import SCHEMA_VERSION, Brief
from summarize.evaluation.compare import compare_runs
from summarize.evaluation.config import FIELD_NAMES, CaseRules, FieldRule, ScoringConfig
from summarize.evaluation.reports import describe_case, junit_xml, render_report
from summarize.evaluation.results import Report
from summarize.evaluation.run import evaluate
from summarize.model.prompts import load_prompt


def test_describe_case_is_a_readable_diff() -> None:
    g = golden("002")
    p = with_event(g, participants=g.events[0].participants[:3])
    before, after = scored(g, g), scored(g, p)
    change = compare_runs(run_of(before), run_of(after), 0.05, "baseline", "b").cases[0]
    text = describe_case(after, change)
    assert text.startswith(f"{g.article_id}: FAIL")
    assert "- Vladislav Surkov" in text and "- Victoria Nulland" in text
    assert "REGRESSED: pass -> fail (1.00 -> 0.75)" in text


def test_a_case_with_no_floor_to_fail_is_not_described_as_a_pass() -> None:
    g = golden("002")
    assert describe_case(scored(g, g)).startswith(f"{g.article_id}: PASS (")  # built-in floors
    zero = {name: FieldRule(floor=0.0, required=True) for name in FIELD_NAMES}
    bare = ScoringConfig(fields=zero, case=CaseRules(threshold=0.0))
    assert describe_case(scored(g, g, bare)).startswith(f"{g.article_id}: NO FLOOR (")


@pytest.fixture
def regressed(work: Path, model: ModelServer) -> Report:
    """A report where 002 lost its participants against a baseline where it had them."""
    good = record(work, model, no_baseline=True)
    (work / "baseline.json").write_text(good.as_baseline().model_dump_json(), encoding="utf-8")
    path = golden_file(work, "002")
    brief = Brief.model_validate_json(path.read_bytes())
    event = brief.events[0]
    renamed = [
        p.model_copy(update={"name": f"<b>Zed{i}</b> & co"})
        for i, p in enumerate(event.participants)
    ]
    changed = brief.model_copy(
        update={"events": [event.model_copy(update={"participants": renamed})]}
    )
    path.write_text(changed.model_dump_json(indent=2), encoding="utf-8")
    return evaluate(options(work)).report


def test_json_report_carries_versions_and_round_trips(regressed: Report, work: Path) -> None:
    run_eval_command(
        options(work, report=work / "report.json"),
        quiet(),
        quiet(),
    )
    data = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert data["prompt_version"] == load_prompt().version
    assert data["schema_version"] == SCHEMA_VERSION and data["model"] == MODEL
    assert "git_commit" in data and data["verdict"]["exit_code"] == 1
    again = Report.model_validate(data)
    assert again.run == regressed.run


def test_junit_has_one_testcase_per_article_and_the_diff(regressed: Report) -> None:
    root = ET.fromstring(junit_xml(regressed))
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 5 and suite.get("tests") == "5"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name", "")[:3] for c in failed] == ["002"] and suite.get("failures") == "1"
    failure = failed[0].find("failure")
    assert failure is not None and failure.text is not None
    assert "- <b>Zed0</b> & co" in failure.text and "+ Vladimir Putin" in failure.text
    assert "participants" in failure.get("message", "")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["prompt_version"] == regressed.prompt_version and props["model"] == MODEL


def test_html_report_escapes_data_and_shows_the_diff(regressed: Report) -> None:
    page = render_report(regressed, "html")
    assert "<b>Zed0</b>" not in page
    assert "&lt;b&gt;Zed0&lt;/b&gt; &amp; co" in page
    tree = lxml_html.fromstring(page)
    assert tree.findtext(".//title", "").startswith("summarize eval: FAIL")
    missing = [li.text_content() for li in tree.iterfind(".//li[@class='missing']")]
    assert "<b>Zed0</b> & co" in missing
    regressed_rows = tree.xpath("//table[@class='fields']//tr[@class='regressed']/td[1]")
    assert [r.text_content().split()[0] for r in regressed_rows] == ["participants"]


def test_markdown_report_escapes_data(regressed: Report) -> None:
    text = render_report(regressed, "md")
    assert text.startswith("# summarize eval\n")
    assert "<b>" not in text.split("```")[0]
    assert "\\<b\\>Zed0\\</b\\> &amp; co" in text
    assert "| participants (required) |" in text
    assert "regressed" in text
