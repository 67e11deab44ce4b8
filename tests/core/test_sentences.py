"""Sentence splitting: the units the model cites, in every language of the corpus."""

from pathlib import Path

import pytest

from summarize.core.sentences import MAX_SENTENCE_CHARS, guess_language, split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


def texts(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text, language=language)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            'U.S. President Joe Biden spoke with Mr. Putin on Tuesday. "We discussed '
            'Ukraine," Mr. Biden said.',
            [
                "U.S. President Joe Biden spoke with Mr. Putin on Tuesday.",
                '"We discussed Ukraine," Mr. Biden said.',
            ],
        ),
        (
            "es",
            'El presidente de EE.UU. habló con el Sr. Putin el lunes. "Fue bueno", dijo.',
            ["El presidente de EE.UU. habló con el Sr. Putin el lunes.", '"Fue bueno", dijo.'],
        ),
        (
            "zh",
            "习近平指出，中美关系总体保持稳定。特朗普表示：“美方愿意加强合作。”双方同意保持沟通！",
            [
                "习近平指出，中美关系总体保持稳定。",
                "特朗普表示：“美方愿意加强合作。”",
                "双方同意保持沟通！",
            ],
        ),
        (
            "ja",
            "会談は約25分間行われた。「非常に有意義だった」と首相は述べた。",
            ["会談は約25分間行われた。", "「非常に有意義だった」と首相は述べた。"],
        ),
    ],
)
def test_abbreviations_and_quoted_speech_do_not_break_sentences(
    language: str, text: str, expected: list[str]
) -> None:
    assert texts(text, language) == expected


def test_headlines_datelines_and_bylines_are_sentences_of_their_own() -> None:
    text = "Putin, Obama discuss Syria\nUpdated: 2012-07-19 08:02\n\nMOSCOW - They spoke. Twice."
    assert texts(text) == [
        "Putin, Obama discuss Syria",
        "Updated: 2012-07-19 08:02",
        "MOSCOW - They spoke.",
        "Twice.",
    ]


def test_a_run_on_line_is_cut_at_spaces() -> None:
    text = " ".join(f"headline{n}" for n in range(400))
    pieces = texts(text)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(pieces) == text


def test_offsets_count_from_the_whole_text_when_a_slice_is_split() -> None:
    text = "Header line\nFirst. Second.\nFooter"
    start, end = text.index("First"), text.index("\nFooter")
    found = split_sentences(text, start, end)
    assert [(s.number, text[s.start : s.end]) for s in found] == [(1, "First."), (2, "Second.")]


@pytest.mark.parametrize("folder", sorted(CORPUS.glob("*_*_*")), ids=lambda p: p.name[:5])
def test_the_language_is_guessed_right_on_every_corpus_article(folder: Path) -> None:
    language = folder.name.split("_")[1]
    text = (folder / "capture.txt").read_text(encoding="utf-8")
    assert guess_language(text) == language


def test_an_english_article_quoting_chinese_names_stays_english() -> None:
    text = "Xi Jinping (习近平) met the president of the United States in Beijing on Monday."
    assert guess_language(text) == "en"
