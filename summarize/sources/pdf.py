"""PDF files -> article text, from their text layer, with pypdf (pure Python, no system
libraries).

No OCR: a scanned PDF (images of pages, no text layer) is refused with the reason. The
document's own metadata (title, creation date) is not used: it names the tool or the
moment the PDF was made far more often than the article and its publication.
"""

from __future__ import annotations

import io
import logging

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from summarize.core.article import normalize_text
from summarize.sources.parsed import Parsed, Unusable

# pypdf warns (through logging) about every small defect it repairs while reading; those are
# not the user's concern, and real failures raise.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_PAGE_BREAK = "\n\n"
# A line at least this share of the page's longest line, not ending a sentence, was wrapped
# by the layout: its sentence goes on in the next line.
_WRAPPED = 0.6
_ENDS_SENTENCE = tuple(".!?:;\"'\u201d\u2019\u00bb)\u3002\uff01\uff1f")


def parse_pdf(data: bytes) -> Parsed:
    """The text of every page, in order, pages apart by a blank line."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opened(reader):
            raise Unusable(
                "is an encrypted PDF that needs a password to open; save an unprotected "
                "copy (print to PDF, or `qpdf --decrypt`) and add that instead"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except Unusable:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside the parser
        raise Unusable(
            f"is not a readable PDF ({type(exc).__name__}: {exc}); check the file is "
            "complete (download it again) or save the article as text"
        ) from exc
    text = normalize_text(_PAGE_BREAK.join(unwrap(p.strip("\n")) for p in pages)).strip()
    if not text:
        raise Unusable(
            f"has no text layer ({len(pages)} page{'s' * (len(pages) != 1)} of images, a "
            "scan?): OCR it first (for example `ocrmypdf in.pdf out.pdf`) and add the result"
        )
    return Parsed(text)


def unwrap(page: str) -> str:
    """The page's text with the layout's line wraps joined, paragraphs kept.

    A PDF breaks every line where the page is full; left so, each wrapped line would be a
    sentence of its own to cite. Short lines (headlines, datelines, a paragraph's last line)
    and lines that end a sentence keep their break.
    """
    lines = page.split("\n")
    width = max((len(line.rstrip()) for line in lines), default=0)
    out: list[str] = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        line = line.rstrip()
        going_on = following.lstrip()[:1].islower()  # "next" / "month.": one sentence
        wrapped = (
            bool(following.strip())
            and not line.endswith(_ENDS_SENTENCE)
            and (going_on or len(line) >= _WRAPPED * width)
        )
        if not wrapped:
            out.append(line + "\n")
        elif line.endswith("-"):
            out.append(line)  # "well-" + "known": the hyphen stays, no space
        else:
            out.append(line + " ")
    return "".join(out).rstrip("\n")


def _opened(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens without a password, as many do (an owner password
    restricts printing or copying, not reading)."""
    try:
        return reader.decrypt("") is not PasswordType.NOT_DECRYPTED
    except DependencyError as exc:
        raise Unusable(
            "is an encrypted PDF (AES), and pypdf needs the `cryptography` package to open "
            "it: pip install cryptography, then run again"
        ) from exc
