from hypothesis import given
from hypothesis import strategies as st

from summarize.core.grounding import ArticleText

SEED = (
    "The Kremlin press office described Friday's phone conversation as \u201cconstructive in "
    "nature,\u201d adding that both leaders stressed the fundamental importance of cooperation."
)


def test_exact_quote_is_located_with_offsets() -> None:
    found = ArticleText(SEED).locate("both leaders stressed the fundamental importance")
    assert found is not None
    assert SEED[found.start : found.end] == "both leaders stressed the fundamental importance"
    assert found.score == 100


def test_quote_marks_dashes_and_whitespace_are_normalised() -> None:
    text = "Putin said \u201cwe consider it important\u201d \u2014 and   solvable."
    found = ArticleText(text).locate('Putin said "we consider it important" - and solvable.')
    assert found is not None
    assert (
        text[found.start : found.end]
        == "Putin said \u201cwe consider it important\u201d \u2014 and   solvable."
    )


def test_small_typos_match_fuzzily_on_whole_words() -> None:
    text = "Obama agreed to hold a bilateral meeting during the G8 summit in Northern Ireland."
    found = ArticleText(text).locate("Obama agreed to hold a bilateral meting during the G8 summit")
    assert found is not None
    assert 90 <= found.score < 100
    assert text[found.start : found.end].startswith("Obama agreed")
    assert text[found.start : found.end].endswith("summit")


def test_one_word_quotes_are_not_evidence() -> None:
    text = ArticleText("Putin met Obama on 1 March; 2 aides attended.")
    assert text.locate("1") is None
    assert text.locate("Putin") is None
    assert text.locate("Putin met") is not None


def test_invented_quotes_are_rejected() -> None:
    text = ArticleText(SEED)
    assert text.locate("The leaders agreed to lift all sanctions immediately") is None
    assert text.locate("") is None
    assert text.locate("   ") is None


def test_short_quotes_must_match_exactly() -> None:
    assert ArticleText("Putin met Kerry.").locate("Putin met Kery") is None


def test_padded_quote_with_invented_tail_is_rejected() -> None:
    text = ArticleText(SEED)
    assert text.locate("both leaders stressed the fundamental importance of nuclear war") is None


def test_cyrillic_and_accented_offsets_are_exact() -> None:
    text = "Москва. Путин и Обама обсудили \u00abситуацию в Сирии\u00bb \u2014 Gonçalves écrit."
    found = ArticleText(text).locate('обсудили "ситуацию в Сирии" - Gonçalves')
    assert found is not None
    assert text[found.start : found.end] == "обсудили \u00abситуацию в Сирии\u00bb \u2014 Gonçalves"


@given(
    st.text(min_size=1, max_size=200),
    st.integers(min_value=0, max_value=199),
    st.integers(min_value=1, max_value=60),
)
def test_any_substring_is_found_where_it_is(text: str, start: int, length: int) -> None:
    start = min(start, len(text) - 1)
    quote = text[start : start + length]
    found = ArticleText(text).locate(quote)
    if ArticleText(quote).locate(quote) is None:
        assert found is None  # under two words once folded: never evidence, anywhere
        return
    assert found is not None, "a verbatim substring must always be found"
    located = ArticleText(text[found.start : found.end]).locate(quote)
    assert located is not None, "the located span must itself contain the quote"


def test_mentions_checks_presence_of_short_names() -> None:
    text = ArticleText("CNN\nObama and Putin met on Monday.")
    assert text.mentions("CNN") and text.mentions("cnn")
    assert not text.mentions("BBC")
    assert not text.mentions("")


def test_the_shared_prepared_text_locates_as_a_fresh_one() -> None:
    text = "Putin told Obama \u201cwe will meet again\u201d \u2014 Kremlin."
    shared = ArticleText.of(text)
    assert ArticleText.of(text) is shared
    assert shared.locate("we will meet again") == ArticleText(text).locate("we will meet again")
