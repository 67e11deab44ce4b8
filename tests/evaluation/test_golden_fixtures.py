"""The golden briefs are hand annotations grounded in the seed articles they describe."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarize.core.article import Article
from summarize.core.brief import Brief, Evidence
from summarize.sources.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "fixtures" / "golden"

# Where each seed's trailing web boilerplate begins; evidence must end before it.
# None: the page ends with the article itself.
BOILERPLATE_START: dict[str, str | None] = {
    "000_3c0780f787e20235": "\nArticle online:",
    "001_9e3b4aafea83a794": None,
    "002_80a6ca818669ab71": "\nAdd new comment",
    "003_41b868dbc988e1ab": "7695 views",
    "004_7d868c5bc2b8727c": "\nShare\n2 min read",
}

# Page chrome above or inside the article that is no evidence either.
CHROME_LINES: dict[str, list[str]] = {
    "000_3c0780f787e20235": ["Beat: Politics", "-, 03.03.2013, 07:25 Time"],
    "001_9e3b4aafea83a794": ["Comments() Print Mail"],
    "002_80a6ca818669ab71": ["Fecha de publicación:", "Imagen principal:"],
    "003_41b868dbc988e1ab": [],
    "004_7d868c5bc2b8727c": [],
}


ARTICLES = {a.path.stem: a for a in iter_articles(SEEDS) if isinstance(a, Article)}


def article_text(path: Path) -> str:
    return ARTICLES[path.stem].text


def article_id(path: Path, text: str) -> str:
    assert ARTICLES[path.stem].text == text
    return ARTICLES[path.stem].id


SEED_PATHS = sorted(SEEDS.glob("*.txt"))


def evidence_of(brief: Brief) -> Iterator[tuple[str, Evidence]]:
    """Every evidence in a brief, with a path saying where it stands."""
    for i, event in enumerate(brief.events):
        where = f"events[{i}]"
        for j, participant in enumerate(event.participants):
            yield f"{where}.participants[{j}]", participant.evidence
        if event.initiator.evidence is not None:
            yield f"{where}.initiator", event.initiator.evidence
        for j, outcome in enumerate(event.outcomes):
            yield f"{where}.outcomes[{j}]", outcome.evidence
        for j, follow_up in enumerate(event.follow_ups):
            yield f"{where}.follow_ups[{j}]", follow_up.evidence


def load_golden(seed: Path) -> tuple[str, str, Brief]:
    text = article_text(seed)
    aid = article_id(seed, text)
    golden = GOLDEN / f"{aid}.json"
    assert golden.is_file(), f"no golden brief for {seed.name} (expected {golden.name})"
    return text, aid, Brief.model_validate_json(golden.read_text(encoding="utf-8"))


def test_one_golden_file_per_seed() -> None:
    assert len(SEED_PATHS) == 5
    expected = {f"{article_id(p, article_text(p))}.json" for p in SEED_PATHS}
    assert {p.name for p in GOLDEN.glob("*.json")} == expected
    assert set(BOILERPLATE_START) == {p.stem for p in SEED_PATHS}


@pytest.mark.parametrize("seed", SEED_PATHS, ids=lambda p: p.stem)
def test_golden_is_a_hand_annotation_of_its_seed(seed: Path) -> None:
    text, aid, brief = load_golden(seed)
    assert brief.article_id == aid
    prov = brief.provenance
    assert prov.kind == "hand_annotation"
    assert prov.annotator and prov.annotated_on is not None
    assert prov.model is None and prov.prompt_version is None
    assert prov.attempts == 0 and prov.usage.total_tokens == 0
    assert prov.article_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert brief.warnings == []


@pytest.mark.parametrize("seed", SEED_PATHS, ids=lambda p: p.stem)
def test_event_ids_are_numbered_under_the_article_id(seed: Path) -> None:
    _, aid, brief = load_golden(seed)
    assert brief.events, "every seed reports one contact"
    assert [e.id for e in brief.events] == [f"{aid}#{n}" for n in range(1, len(brief.events) + 1)]


@pytest.mark.parametrize("seed", SEED_PATHS, ids=lambda p: p.stem)
def test_every_quote_is_located_exactly_in_the_seed(seed: Path) -> None:
    text, _, brief = load_golden(seed)
    for where, ev in evidence_of(brief):
        assert ev.quote, where
        assert 0 <= ev.start < ev.end <= len(text), where
        assert text[ev.start : ev.end] == ev.quote, where


@pytest.mark.parametrize("seed", SEED_PATHS, ids=lambda p: p.stem)
def test_no_quote_comes_from_boilerplate(seed: Path) -> None:
    text, _, brief = load_golden(seed)
    marker = BOILERPLATE_START[seed.stem]
    if marker is None:
        limit = len(text)
    else:
        assert text.count(marker) == 1, f"boilerplate marker {marker!r} must occur once"
        limit = text.index(marker)
    chrome: list[tuple[int, int]] = []
    for line in CHROME_LINES[seed.stem]:
        assert text.count(line) == 1, f"chrome line {line!r} must occur once"
        start = text.index(line)
        chrome.append((start, text.index("\n", start)))
    for where, ev in evidence_of(brief):
        assert ev.end <= limit, f"{where} quotes the trailing boilerplate"
        for start, end in chrome:
            assert ev.end <= start or ev.start >= end, f"{where} quotes page chrome"
