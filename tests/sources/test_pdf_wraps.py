"""A PDF's layout wraps, joined back: a word hyphenated at the end of a line is one word
again, never two words with a space between; real text (fixtures/corpus, Business
Recorder 2008) laid out as a PDF page would break it."""

from __future__ import annotations

from pathlib import Path

from documents import pdf_bytes

from summarize.sources.pdf import parse_pdf, unwrap

ROOT = Path(__file__).resolve().parents[2]
CAPTURE = ROOT / "fixtures" / "corpus" / "01_en_brecorder_gilani_bush" / "capture.txt"
SENTENCE = next(
    line.strip()
    for line in CAPTURE.read_text(encoding="utf-8").splitlines()
    if "wide-ranging issues" in line
)


def wrapped_at_the_hyphen() -> list[str]:
    """The sentence as a layout breaks it: after "wide-", the rest on the next line."""
    cut = SENTENCE.index("wide-") + len("wide-")
    return [SENTENCE[:cut], SENTENCE[cut:]]


def test_a_hyphenated_wrap_is_joined_without_a_space() -> None:
    assert unwrap("\n".join(wrapped_at_the_hyphen())) == SENTENCE
    assert "wide- ranging" not in unwrap("\n".join(wrapped_at_the_hyphen()))


def test_a_pdf_page_with_a_hyphenated_wrap_reads_as_the_sentence() -> None:
    assert SENTENCE in parse_pdf(pdf_bytes([wrapped_at_the_hyphen()])).text
