"""The model-facing schema: bounded, yet roomy enough for every correct answer we know."""

from pathlib import Path

import pytest
from conftest import extraction_of
from pydantic import ValidationError

from summarize.core.article import Article
from summarize.core.brief import Brief
from summarize.core.extraction import Extraction, GroundingCheck, checking
from summarize.core.grounding import article_text
from summarize.sources.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = sorted((ROOT / "fixtures" / "golden").glob("*.json"))


def _article(brief: Brief) -> Article:
    articles = [a for a in iter_articles(ROOT / "seeds") if isinstance(a, Article)]
    return next(a for a in articles if a.id == brief.article_id)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem[:3])
def test_every_golden_fits_the_bounds_and_grounds(path: Path) -> None:
    brief = Brief.model_validate_json(path.read_text(encoding="utf-8"))
    article = _article(brief)
    check = GroundingCheck(article=article_text(article), max_attempts=2, attempts=1)
    with checking(check):
        extraction = Extraction.model_validate(extraction_of(brief, article))
    assert len(extraction.events) == len(brief.events)
    assert check.rejected == 0


@pytest.mark.parametrize("numbers", [[999], [1, 999]])
def test_citations_of_no_sentence_are_rejected_while_attempts_remain(numbers: list[int]) -> None:
    path = GOLDEN[0]
    brief = Brief.model_validate_json(path.read_text(encoding="utf-8"))
    article = _article(brief)
    answer = extraction_of(brief, article)
    answer["events"][0]["outcomes"][0]["evidence"] = numbers
    text = article_text(article)
    check = GroundingCheck(article=text, max_attempts=3, attempts=1)
    with pytest.raises(ValidationError, match=r"outcomes\[0\]: \["), checking(check):
        Extraction.model_validate(answer)
    last = GroundingCheck(article=text, max_attempts=3, attempts=3)
    with checking(last):
        Extraction.model_validate(answer)  # the last attempt passes


@pytest.mark.parametrize("numbers", [[], [0], [-3], [1, 2, 3, 4]])
def test_citations_the_schema_forbids_are_always_rejected(numbers: list[int]) -> None:
    brief = Brief.model_validate_json(GOLDEN[0].read_text(encoding="utf-8"))
    answer = extraction_of(brief, _article(brief))
    answer["events"][0]["participants"][0]["evidence"] = numbers
    with pytest.raises(ValidationError, match=r"participants\.0\.evidence"):
        Extraction.model_validate(answer)


def test_runaway_strings_are_bounded() -> None:
    brief = Brief.model_validate_json(GOLDEN[0].read_text(encoding="utf-8"))
    answer = extraction_of(brief, _article(brief))
    answer["events"][0]["summary"] = "word " * 500  # type: ignore[index]
    with pytest.raises(ValidationError, match="summary"):
        Extraction.model_validate(answer)
