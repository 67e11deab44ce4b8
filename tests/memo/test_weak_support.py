"""An outcome or follow-up whose cited sentences do not bear on it is kept and flagged weak in
the brief, the memo and the review app (issue 24); a file's outlet comes from its dateline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import extraction_of
from corpus_goldens import CORPUS, GOLDEN, article_of

from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Provenance
from summarize.core.extraction import Extraction
from summarize.memo.build import build_memo
from summarize.memo.render import render_memo
from summarize.review.views import marks
from summarize.sources.read import iter_articles


def _assemble(answer: dict[str, Any], article: Article) -> Brief:
    provenance = Provenance(model="test-double", article_sha256=article.sha256)
    return assemble_brief(Extraction.model_validate(answer), article, provenance)


def _unsupported() -> tuple[Brief, Article]:
    """Golden 05 (Putin-Merkel call, Russian) as a model's answer, plus an outcome and a
    follow-up citing the article's first sentence, which says nothing of them."""
    path = next(GOLDEN.glob("05_*.json"))
    golden = Brief.model_validate_json(path.read_text("utf-8"))
    article = article_of(CORPUS / path.stem)
    answer = extraction_of(golden, article)
    event = answer["events"][0]
    event["outcomes"].append(
        {"kind": "decided", "statement": "FINISHED", "stated_by": "Kremlin", "evidence": [1]}
    )
    event["follow_ups"].append(
        {"action": "Sign the gas deal", "responsible": [], "due": None, "evidence": [1]}
    )
    return _assemble(answer, article), article


def test_the_brief_lists_the_weak_outcome_and_follow_up() -> None:
    brief, _ = _unsupported()
    event = brief.events[0]
    weak = sorted(w.path for w in brief.warnings if w.kind == "weak")
    assert weak == [
        f"events[0].follow_ups[{len(event.follow_ups) - 1}]",
        f"events[0].outcomes[{len(event.outcomes) - 1}]",
    ]


def test_the_memo_marks_them_and_says_so_in_the_caution() -> None:
    brief, _ = _unsupported()
    view = build_memo([brief])
    (event,) = view.events
    assert [o.weak for o in event.outcomes] == [False] * (len(event.outcomes) - 1) + [True]
    assert [f.weak for f in event.follow_ups][-1] is True
    assert view.caution is not None
    assert "2 outcomes or follow-ups are kept on weak evidence" in view.caution
    markdown = render_memo([brief], "md")
    line = next(x for x in markdown.splitlines() if "FINISHED" in x)
    assert line.endswith("*(weak evidence)*")
    html = render_memo([brief], "html")
    assert html.count('class="weak"') == 2


def test_the_review_app_marks_their_evidence_weak() -> None:
    brief, article = _unsupported()
    found = marks(brief, article.text)
    outcome = f"events[0].outcomes[{len(brief.events[0].outcomes) - 1}]"
    assert [m.weak for m in found if m.path == outcome] == [True]
    assert not any(m.weak for m in found if m.path == "events[0].outcomes[0]")


TASS = (
    " date 2024-10-22 KAZAN, October 22. /TASS/. Indian Prime Minister Narendra Modi and "
    "Chinese President Xi Jinping will hold a meeting on the sidelines of the BRICS Summit in "
    "Russia on October 23, India's Foreign Secretary Vikram Misri said.\n"
)  # https://tass.com/world/1859917, as the pages search gives it


def _file_article(tmp_path: Path) -> Article:
    path = tmp_path / "kazan.txt"
    path.write_text(TASS, encoding="utf-8")
    (article,) = list(iter_articles(path))
    assert isinstance(article, Article)
    return article


def _answer(outlet: str | None) -> dict[str, Any]:
    return {
        "source": {"outlet": outlet, "headline": None, "published": None},
        "events": [],
        "no_event_reason": "a preview",
    }


def test_a_file_gets_its_outlet_from_the_dateline(tmp_path: Path) -> None:
    article = _file_article(tmp_path)
    brief = _assemble(_answer(None), article)
    assert (brief.source.outlet, brief.source.outlet_from) == ("TASS", "dateline")
    # The model's outlet wins when the text shows it; one the text does not show never does.
    shown = _assemble(_answer("TASS"), article)
    assert (shown.source.outlet, shown.source.outlet_from) == ("TASS", "model")
    invented = _assemble(_answer("Reuters"), article)
    assert (invented.source.outlet, invented.source.outlet_from) == ("TASS", "dateline")
