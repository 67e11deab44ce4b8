"""Evidence from sentence numbers: exact text at exact offsets, and the support check."""

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summarize.core.article import Article
from summarize.core.grounding import ArticleText, article_text, supports
from summarize.sources.read import iter_articles

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "corpus"
CAPTURES = sorted(CORPUS.glob("*/capture.txt"))


def test_cited_numbers_become_the_sentences_text_and_offsets() -> None:
    text = ArticleText("Putin called Obama. They discussed Syria.\nThe Kremlin said so.")
    found = text.cite([2])
    assert found is not None
    assert (found.quote, found.sentences, found.also) == ("They discussed Syria.", [2], [])
    assert text.text[found.start : found.end] == found.quote


def test_unknown_numbers_are_ignored_and_reported() -> None:
    text = ArticleText("One sentence. Two sentences.")
    assert text.unknown([0, 1, 2, 3, -1]) == [0, 3, -1]
    assert text.cite([3, 7]) is None
    found = text.cite([2, 9])
    assert found is not None and found.sentences == [2]


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.parent.name[:2])
def test_every_sentence_of_real_multilingual_articles_is_cited_exactly(capture: Path) -> None:
    (article,) = list(iter_articles(capture))
    assert isinstance(article, Article)
    text = article_text(article)
    count = len(text.sentences)
    assert count >= 2
    # The capture's URL line is page furniture: the model never sees it, nor can cite it.
    assert article.body_start > 0
    assert text.sentences[0].start >= article.body_start
    assert text.sentences[-1].end <= article.body_end
    for n in range(1, count + 1):
        for numbers in ([n], [n, min(n + 1, count)], [1, n]):
            found = text.cite(numbers)
            assert found is not None
            for span in found.spans():
                assert article.text[span.start : span.end] == span.quote
                assert span.quote == span.quote.strip()


@given(
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.lists(st.integers(min_value=-5, max_value=40), max_size=4),
)
def test_any_citation_is_the_texts_own_characters(text: str, numbers: list[int]) -> None:
    prepared = ArticleText(text)
    found = prepared.cite(numbers)
    known = [n for n in numbers if 1 <= n <= len(prepared.sentences)]
    assert (found is None) == (not known)
    if found is not None:
        assert found.sentences == sorted(set(known))
        for span in found.spans():
            assert text[span.start : span.end] == span.quote


def test_sentences_cover_only_the_body_the_model_reads() -> None:
    text = "Leaders met in Rome. They agreed. Read more: other news. Subscribe now."
    body_end = text.index("Read more")
    prepared = ArticleText.of(text, 0, body_end)
    assert [prepared.sentence(s.number) for s in prepared.sentences] == [
        "Leaders met in Rome.",
        "They agreed.",
    ]
    assert ArticleText.of(text, 0, body_end) is prepared


@pytest.mark.parametrize(
    ("sentence", "name", "supported"),
    [
        ("Vladimir Putin spoke to Scholz.", "Vladimir Putin", True),
        ("Президент России Владимир Путин провел разговор.", "Vladimir Putin", True),
        ("Путина поддержали.", "Putin", True),
        ("国家主席习近平应约同美国总统通电话。", "Xi Jinping", True),
        ("Lula conversou com Trump.", "Luiz Inácio Lula da Silva", True),
        ("Emmanuel Macron s'est entretenu avec Poutine.", "Emmanuel Macron", True),
        ("高市首相はトランプ大統領と電話会談を行った。", "トランプ", True),
        ("The two leaders spoke by phone.", "Barack Obama", False),
        ("Putin and Obama spoke.", "Sergei Lavrov", False),
        ("Putin and Obama spoke.", "", False),
    ],
)
def test_support_is_a_name_mentioned_across_case_diacritics_and_script(
    sentence: str, name: str, supported: bool
) -> None:
    evidence = ArticleText(sentence).cite([1])
    assert evidence is not None
    assert supports(evidence, name) is supported


def test_mentions_checks_presence_of_short_names() -> None:
    text = ArticleText("CNN\nObama and Putin met on Monday.")
    assert text.mentions("CNN") and text.mentions("cnn")
    assert text.mentions("on \u201cMonday\u201d")
    assert not text.mentions("BBC")
    assert not text.mentions("")


def test_the_corpus_manifest_names_every_capture() -> None:
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert len(CAPTURES) == len(manifest["articles"]) >= 20
