"""The matrix report in every form it is read: the data (`matrix_report`), JSON, JUnit XML with
one test suite per cell, and the HTML and Markdown pages that put the cells side by side
(templates in summarize/templates). Each returns text; writing files is the caller's job."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Literal

from summarize.core.brief import SCHEMA_VERSION
from summarize.evaluation.config import FIELD_NAMES
from summarize.evaluation.matrix_results import Cell, MatrixReport, matrix_verdict
from summarize.evaluation.reports import case_verdict, junit_suite
from summarize.evaluation.run import Evaluated, git_state, shown
from summarize.evaluation.side_by_side import article_views
from summarize.rendering import environment


def matrix_report(evaluated: Evaluated) -> MatrixReport:
    """The cells of an evaluation, with their costs, outputs and the goldens, as one report."""
    cells = [
        Cell(
            label=c.spec.label,
            prompt_file=c.outcome.report.prompt_file,
            prompt_version=c.outcome.report.prompt_version,
            model=c.outcome.report.model,
            endpoint=c.endpoint,
            recordings=shown(c.spec.recordings) if c.spec.recordings is not None else None,
            stats=c.stats,
            report=c.outcome.report,
            outputs=c.outcome.briefs,
        )
        for c in evaluated.cells
    ]
    ids = list(dict.fromkeys(k.article_id for c in cells for k in c.report.run.cases))
    commit, dirty = git_state()
    return MatrixReport(
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        git_commit=commit,
        git_dirty=dirty,
        schema_version=SCHEMA_VERSION,
        config_file=str(evaluated.config_file) if evaluated.config_file else None,
        config=evaluated.config,
        articles=ids,
        goldens={aid: g for aid, g in evaluated.goldens.items() if aid in ids},
        cells=cells,
        verdict=matrix_verdict(cells),
    )


def matrix_json(report: MatrixReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def matrix_junit(report: MatrixReport) -> str:
    """One test suite per cell, one test case per article; a failure's text is its diff."""
    root = ET.Element("testsuites", name="summarize eval")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for cell in report.cells:
        suite = junit_suite(cell.report, f"summarize eval: {cell.label}")
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render_matrix(report: MatrixReport, fmt: Literal["html", "md"]) -> str:
    """The cells side by side: the verdicts and costs, the score of every field and article
    per cell, and each article's outputs next to the golden with the differences marked."""
    cells = report.cells
    errors = [
        {c.article_id: c.error or "no brief" for c in cell.report.run.cases if c.error}
        for cell in cells
    ]
    views = article_views(
        report.articles, report.goldens, [c.outputs for c in cells], errors, report.config
    )
    fields = [
        {
            "name": name,
            "required": report.config.rule(name).required,
            "floor": report.config.rule(name).floor,
            "means": [cell.report.run.metrics.get(f"mean.{name}") for cell in cells],
        }
        for name in FIELD_NAMES
    ]
    articles = []
    for aid in report.articles:
        row = []
        for cell in cells:
            case = cell.report.run.case(aid)
            row.append(
                {
                    "case": case,
                    "verdict": case_verdict(case) if case is not None else "—",
                }
            )
        articles.append({"article_id": aid, "cells": row})
    template = environment().get_template(f"eval_matrix.{fmt}.j2")
    return template.render(
        report=report,
        cells=cells,
        fields=fields,
        articles=articles,
        views=views,
        column_labels=[c.label for c in cells],
        verdicts=[case_verdict_class(cell) for cell in cells],
    )


def case_verdict_class(cell: Cell) -> str:
    """The CSS class of a cell's verdict."""
    verdict = cell.report.verdict
    return verdict.status if verdict.quality_floor else "no_floor"
