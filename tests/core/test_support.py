"""The support check for outcomes and follow-ups (issue 24), on real multilingual text.

The corpus goldens (hand annotations of 26 real excerpts in 8 languages, statements in the
annotator's English) are the supported cases; unsupported ones pair a real statement with a
real sentence that does not bear on it, as the SmolLM2 recordings and the issue show
(an outcome "FINISHED" citing "Fecha de publicación:", an outcome citing the headline).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import extraction_of
from corpus_goldens import CORPUS, GOLDEN, article_of

from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Evidence, Provenance
from summarize.core.extraction import Extraction
from summarize.core.support import check_support, script_of
from summarize.sources.read import iter_articles

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _cited(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


@cache
def _corpus() -> list[tuple[str, Brief, Article]]:
    return [
        (p.stem, Brief.model_validate_json(p.read_text("utf-8")), article_of(CORPUS / p.stem))
        for p in sorted(GOLDEN.glob("*.json"))
    ]


def _assembled(answer: dict[str, Any], article: Article) -> Brief:
    provenance = Provenance(model="test-double", article_sha256=article.sha256)
    return assemble_brief(Extraction.model_validate(answer), article, provenance)


def test_every_golden_outcome_and_follow_up_is_supported_in_eight_languages() -> None:
    """The goldens' statements (English) against their quotes (en, ru, de, fr, es, pt, ja, zh):
    no false alarm."""
    checked = 0
    weak: list[str] = []
    for name, brief, _ in _corpus():
        for event in brief.events:
            names = [n for p in event.participants for n in (p.name, p.short_name)]
            sides = {
                n: p.affiliation for p in event.participants for n in (p.name, p.short_name) if n
            }
            for o in event.outcomes:
                checked += 1
                if not check_support(
                    o.statement, o.evidence, [*names, o.stated_by], sides
                ).supported:
                    weak.append(f"{name}: {o.statement}")
            for f in event.follow_ups:
                checked += 1
                if not check_support(
                    f.action, f.evidence, [*names, *f.responsible], sides
                ).supported:
                    weak.append(f"{name}: {f.action}")
    assert checked == 43
    # The one miss, and the check's known gap: a translation that shares no name, number or
    # country ("ambos os líderes acordaram encontrar-se pessoalmente em breve").
    assert weak == ["18_pt_diariodonordeste_lula_trump_call: Lula and Trump to meet in person"]


def test_goldens_restated_as_answers_assemble_without_weak_outcomes() -> None:
    """The same through the pipeline: each golden as a model's answer, assembled."""
    for name, brief, article in _corpus():
        assembled = _assembled(extraction_of(brief, article), article)
        unsupported = [
            w.path
            for w in assembled.warnings
            if w.kind == "weak" and ".participants[" not in w.path
        ]
        expected = ["events[0].follow_ups[0]"] if name.startswith("18_") else []
        assert unsupported == expected, name


def test_a_status_word_citing_a_page_furniture_line_is_weak() -> None:
    """SmolLM2's answer for seed 002 (fixtures/recordings): outcome "FINISHED" citing the
    page's "Fecha de publicación:" line."""
    text = next(SEEDS.glob("002_*.txt")).read_text("utf-8")
    found = check_support("FINISHED", _cited(text, "Fecha de publicación:"), ["Vladimir Putin"])
    assert not found.supported


def test_an_outcome_citing_the_headline_is_weak_unless_it_shares_an_anchor() -> None:
    _, _, article = next(c for c in _corpus() if c[0].startswith("02_"))
    headline = _cited(
        article.text, "Putin, Xi Hold On-The-Go Talk After BRICS Meeting On G20 Sidelines"
    )
    people = ["Vladimir Putin", "Putin", "Xi Jinping", "Xi"]
    assert not check_support(
        "The sides agreed to strengthen energy cooperation.", headline, people
    ).supported
    # Naming the same people is an anchor: the check cannot tell what is said about them.
    assert check_support("Putin invited Xi to Vladivostok.", headline, people).supported


def test_a_chinese_sentence_supports_an_english_statement_by_its_parties() -> None:
    _, brief, article = next(c for c in _corpus() if c[0].startswith("26_"))
    taiwan = next(o for o in brief.events[0].outcomes if "Taiwan" in o.statement)
    people = ["習近平", "特朗普"]
    assert script_of(taiwan.statement) == "latin"
    assert script_of(taiwan.evidence.quote) == "han"
    assert check_support(taiwan.statement, taiwan.evidence, people).anchor in {"習近平", "taiwan"}
    # The same statement citing the article's sentence about the Busan meeting: no party
    # the statement names, no number, no place.
    other = _cited(article.text, "此次通話是美方發起的")
    assert not check_support("The atmosphere was friendly.", other, people).supported


def test_numbers_anchor_across_languages() -> None:
    _, brief, _ = next(c for c in _corpus() if c[0].startswith("23_"))
    quote = next(o.evidence for e in brief.events for o in e.outcomes if "100" in o.evidence.quote)
    assert check_support("The allies are 100% together.", quote, []).anchor == "100"
    assert not check_support("The allies are fully together.", quote, []).supported


def test_a_russian_statement_over_a_russian_sentence_is_compared_word_by_word() -> None:
    _, _, article = next(c for c in _corpus() if c[0].startswith("05_"))
    quote = _cited(
        article.text, "Как сообщили в Кремле, разговор состоялся по инициативе немецкой стороны."
    )
    assert check_support("Разговор состоялся по инициативе Германии.", quote, []).supported
    assert not check_support("Стороны обсудили газовые поставки.", quote, []).supported


def test_assemble_marks_an_unsupported_outcome_weak_and_keeps_it(tmp_path: Path) -> None:
    _, brief, article = next(c for c in _corpus() if c[0].startswith("05_"))
    answer = extraction_of(brief, article)
    event = answer["events"][0]
    # The outcome statement of another article, citing this article's first sentence.
    event["outcomes"] = [
        {
            "kind": "agreed",
            "statement": "Boluarte and Biden agreed on a migration pact.",
            "stated_by": "Cancillería",
            "evidence": [1],
        },
        *event["outcomes"],
    ]
    assembled = _assembled(answer, article)
    assert len(assembled.events[0].outcomes) == len(event["outcomes"])
    weak = [w for w in assembled.warnings if w.kind == "weak"]
    assert [w.path for w in weak] == ["events[0].outcomes[0]"]
    assert "share no name, number, country or distinctive word" in weak[0].reason


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_goldens_have_no_weak_outcomes(prefix: str) -> None:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    (article,) = list(iter_articles(path))
    assert isinstance(article, Article)
    golden_path = next((SEEDS.parent / "fixtures" / "golden").glob(f"{prefix}_*.json"))
    golden = Brief.model_validate_json(golden_path.read_text("utf-8"))
    assembled = _assembled(extraction_of(golden, article), article)
    weak = [w.path for w in assembled.warnings if w.kind == "weak"]
    assert [p for p in weak if ".participants[" not in p] == []


def test_an_attribution_is_matched_by_its_proper_words_only() -> None:
    """SmolLM2's answer for seed 002: stated_by "Ladies and gentlemen of the world", citing
    the headline: "and" in both is no anchor."""
    text = next(SEEDS.glob("002_*.txt")).read_text("utf-8")
    headline = _cited(text, "Putin and Kerry Discuss Situation in Syria and Ukraine")
    statement = (
        "We are striving towards progress in cooperation and results. We will not compromise "
        "on our goals, but we will work together to achieve them."
    )
    found = check_support(statement, headline, ["Ladies and gentlemen of the world"])
    assert not found.supported


def test_us_the_pronoun_is_no_country() -> None:
    _, _, article = next(c for c in _corpus() if c[0].startswith("26_"))
    us_side = _cited(article.text, "此次通話是美方發起的")
    assert check_support("The US side asked for the call.", us_side, []).anchor == "United States"
    assert not check_support("He told us nothing new.", us_side, []).supported
