"""The evidence checks, word by word: a name is supported only by whole words (or an
inflection), every cited span is read, consecutive sentences are quoted together, and the
segmenter keeps titles with their names in the article's own language."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.core.grounding import ArticleText, supports
from summarize.core.sentences import guess_language, split_sentences

ROOT = Path(__file__).resolve().parents[2]
LESOIR = ROOT / "fixtures" / "corpus" / "11_fr_lesoir_macron_putin_call" / "capture.txt"


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The sanctions were put in place by the European Union.", "Vladimir Putin"),
        ("The ministers spoke of an axis of cooperation.", "Xi Jinping"),
        ("The ministers spoke of an axis of cooperation.", "Xi"),
        ("Officials said the talks in Xinjiang would continue.", "Xi"),
        ("Trumpeters played at the ceremony in Vienna.", "Donald Trump"),
    ],
)
def test_a_name_is_not_supported_across_word_boundaries(sentence: str, name: str) -> None:
    evidence = ArticleText(sentence).cite([1])
    assert evidence is not None
    assert not supports(evidence, name)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Путиным было предложено продолжить контакты.", "Putin"),
        ("Лавровым и Блинкеном обсуждена ситуация.", "Sergei Lavrov"),
        ("国家主席习近平应约同美国总统通电话。", "Xi Jinping"),
        ("高市首相はトランプ大統領と電話会談を行った。", "トランプ"),
    ],
)
def test_whole_words_and_inflections_still_support_a_name(sentence: str, name: str) -> None:
    evidence = ArticleText(sentence).cite([1])
    assert evidence is not None
    assert supports(evidence, name)


def test_every_cited_span_is_read_not_only_the_first() -> None:
    text = ArticleText(
        "The two leaders spoke by phone on Monday.\n"
        "They discussed Syria.\n"
        "The Kremlin said the call was businesslike.\n"
        "Vladimir Putin proposed further contacts."
    )
    evidence = text.cite([1, 4])
    assert evidence is not None and evidence.also  # two runs: [1] and [4]
    assert supports(evidence, "Vladimir Putin")  # named only in the second run


def test_consecutive_cited_sentences_are_quoted_together() -> None:
    text = ArticleText(
        "Putin called Obama on Wednesday. They discussed Syria. The Kremlin said so.\n"
        "Officials will meet again."
    )
    evidence = text.cite([1, 2])
    assert evidence is not None
    assert evidence.quote == "Putin called Obama on Wednesday. They discussed Syria."
    assert evidence.also == []
    assert text.text[evidence.start : evidence.end] == evidence.quote
    apart = text.cite([1, 3, 4])
    assert apart is not None
    assert apart.quote == "Putin called Obama on Wednesday."
    assert [s.quote for s in apart.also] == ["The Kremlin said so.\nOfficials will meet again."]


def _sentences(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, language=language)]


def test_french_titles_stay_with_their_names() -> None:
    # A real sentence of the Le Soir report (fixtures/corpus, 11_fr_lesoir_macron_putin_call).
    capture = LESOIR.read_text(encoding="utf-8")
    assert guess_language(capture) == "fr"
    line = next(
        x for x in capture.splitlines() if x.startswith("Au cours de cette discussion, MM.")
    )
    assert _sentences(line, "fr") == [line]
    text = "M. Macron a appelé M. Poutine samedi. Le Kremlin l'a confirmé."
    assert _sentences(text, "fr") == [
        "M. Macron a appelé M. Poutine samedi.",
        "Le Kremlin l'a confirmé.",
    ]


def test_portuguese_titles_stay_with_their_names() -> None:
    text = (
        "O Pres. Lula conversou por telefone com o Pres. Trump nesta segunda-feira. "
        "A conversa durou 30 minutos."
    )
    assert guess_language(text) == "pt"
    assert _sentences(text) == [
        "O Pres. Lula conversou por telefone com o Pres. Trump nesta segunda-feira.",
        "A conversa durou 30 minutos.",
    ]


def test_the_segmenter_uses_the_articles_language() -> None:
    # A real line of the Hamburger Abendblatt report (fixtures/corpus, 10_de_abendblatt_...):
    # German rules keep the date "am 27. April" whole; English ones would cut it there.
    capture = next(ROOT.glob("fixtures/corpus/10_de_*/capture.txt")).read_text(encoding="utf-8")
    line = next(x.strip() for x in capture.splitlines() if "am 27. April in Washington" in x)
    sentence = "Kanzlerin Angela Merkel (CDU) wird US-Präsident Donald Trump am 27. April in "
    assert guess_language(capture) == "de"
    assert any(s.startswith(sentence) for s in _sentences(line))
    assert not any(s.startswith(sentence) for s in _sentences(line, "en"))
