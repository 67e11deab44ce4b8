"""The matrix report in a real headless Chromium: renders, shows the cells side by side with
the differences marked, fetches nothing.

With SUMMARIZE_DOCS_SCREENSHOTS=docs it also saves there the pictures the README shows.
"""

from __future__ import annotations

import os
from pathlib import Path

from eval_workspace import MODEL, NO_EVIDENCE_PROMPT, TERSE_MODEL, matrix_model, options
from model_server import ModelServer
from offline_page import NEEDS_CHROMIUM, opened

from summarize.evaluation.matrix_reports import matrix_report, render_matrix
from summarize.evaluation.run import evaluate_all
from summarize.model.prompts import load_prompt
from summarize.settings import RecordingMode

# Read before the workspace fixture clears SUMMARIZE_* from the environment.
DOCS = os.environ.get("SUMMARIZE_DOCS_SCREENSHOTS")

pytestmark = NEEDS_CHROMIUM


def test_matrix_report_renders_side_by_side_in_chromium(work: Path) -> None:
    with ModelServer(responder=matrix_model) as server:
        evaluated = evaluate_all(
            options(
                work,
                prompts=(load_prompt().path, NO_EVIDENCE_PROMPT),
                models=(MODEL, TERSE_MODEL),
                mode=RecordingMode.RECORD_MISSING,
                base_url=server.base_url,
                no_baseline=True,
            )
        )
    page_file = work / "matrix.html"
    page_file.write_text(render_matrix(matrix_report(evaluated), "html"), encoding="utf-8")
    url = page_file.resolve().as_uri()

    with opened(url, width=1400, height=1000) as seen:
        page = seen.page
        headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        cells = page.locator("table.cells tr").count() - 1
        sides = page.locator("table.side").count()
        first = page.locator("section.article").first
        missed = first.locator("li.missed").first
        missed_colour = missed.evaluate("e => getComputedStyle(e).color")
        missed_label = missed.evaluate("e => getComputedStyle(e, '::before').content")
        dropped_visible = first.locator("li.dropped").first.is_visible()
        below = page.locator("table.fields td.below").count()
        columns = first.locator("table.side tr").first.locator("th").count()
        # The side-by-side columns share the width: none is squeezed off the screen.
        widths = (
            first.locator("table.side tr")
            .first.locator("th")
            .evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
        )
        shot = work / "matrix.png"
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.screenshot(path=str(shot), full_page=False)
        if DOCS:  # the README's pictures: the top of the report, and one article
            page.screenshot(path=str(Path(DOCS) / "eval-matrix.png"))
            last = page.locator("section.article").last
            last.screenshot(path=str(Path(DOCS) / "eval-matrix-outputs.png"))

    assert seen.errors == []
    assert seen.requests == [url], "the report must not fetch anything but itself"
    assert headings == ["Cells", "Scores per field", "Scores per article", "Outputs side by side"]
    assert cells == 4 and sides == 5
    assert columns == 5  # the golden and four cells
    assert max(widths) - min(widths) < 2
    assert missed_colour == "rgb(176, 0, 32)" and "missed" in missed_label
    assert dropped_visible
    assert below > 0  # the broken prompt's means fall below the participants floor
    assert shot.stat().st_size > 30_000
