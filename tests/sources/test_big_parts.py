"""Memory follows the article, not the file: a Word file's big embedded parts are left out
unread, a huge e-mail is read only as far as its text, and a huge text file given directly
is refused from its size, each with the reason. Measured with tracemalloc (what Python
allocates), on real files."""

from __future__ import annotations

import email.policy
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

import pytest
from documents import docx_bytes

from summarize.core.article import Article, IngestError
from summarize.sources import read, word
from summarize.sources.read import iter_articles

T = TypeVar("T")
MB = 1_000_000
# Real text (fixtures/corpus, 01_en_brecorder_gilani_bush).
ROOT = Path(__file__).resolve().parents[2]
LINES = [
    line.strip()
    for line in (ROOT / "fixtures/corpus/01_en_brecorder_gilani_bush/capture.txt")
    .read_text(encoding="utf-8")
    .splitlines()[1:]
    if len(line.split()) > 8
][:3]


def peak(call: Callable[[], T]) -> tuple[T, int]:
    """What `call` returns, and the most memory Python held for it at once."""
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def read_one(path: Path) -> Article | IngestError:
    (item,) = list(iter_articles(path, max_chars=50_000))
    return item


def docx_with_part(tmp_path: Path, name: str, size: int) -> Path:
    """A real Word file of LINES with a part of `size` zero bytes added (it packs small)."""
    packed = io.BytesIO(docx_bytes(LINES))
    with (
        zipfile.ZipFile(packed, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as part,
    ):
        block = bytes(MB)
        for _ in range(size // MB):
            part.write(block)
    path = tmp_path / "readout.docx"
    path.write_bytes(packed.getvalue())
    return path


def test_a_docx_with_a_big_embedded_part_is_read_without_unpacking_it(tmp_path: Path) -> None:
    path = docx_with_part(tmp_path, "word/embeddings/oleObject1.bin", 60 * MB)
    assert path.stat().st_size < MB
    article, most = peak(lambda: read_one(path))
    assert isinstance(article, Article), article
    assert article.text == "\n".join(LINES)
    assert "word/embeddings/oleObject1.bin (60,000,000 bytes unpacked) not read" in (
        article.repaired or ""
    )
    assert most < 20 * MB  # python-docx would hold the whole part: 60 MB and more


def test_a_docx_whose_body_unpacks_too_big_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(word, "BODY_CAP", 5 * MB)
    # A real Word file whose body is padded past the cap (blanks pack to almost nothing).
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(LINES)))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b" " * (6 * MB) + b"</w:body>")
            out.writestr(entry.filename, data)
    path = tmp_path / "bomb.docx"
    path.write_bytes(rebuilt.getvalue())
    error = read_one(path)
    assert isinstance(error, IngestError)
    assert "has a body of" in error.cause and "it was not unpacked" in error.cause


def test_a_huge_email_is_read_only_as_far_as_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "MAIL_READ_BYTES", 2 * MB)
    message = EmailMessage(policy=email.policy.default)
    message["Subject"] = "Gilani to meet Bush"
    message["Date"] = "Mon, 28 Jul 2008 09:30:00 +0500"
    message.set_content("\n".join(LINES))
    message.add_attachment(
        bytes(20 * MB), maintype="application", subtype="octet-stream", filename="scan.bin"
    )
    path = tmp_path / "forwarded.eml"
    path.write_bytes(message.as_bytes())
    assert path.stat().st_size > 20 * MB
    article, most = peak(lambda: read_one(path))
    assert isinstance(article, Article), article
    assert article.text.strip() == "\n".join(LINES)
    assert "only its first 2,000,000 bytes were read" in (article.repaired or "")
    assert most < path.stat().st_size  # read whole, the message alone would be more


def test_a_huge_text_file_given_directly_is_refused_from_its_size_unread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dump.txt"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(40_000):
            out.write(" ".join(LINES) + "\n")
    assert path.stat().st_size > 20 * MB
    error, most = peak(lambda: read_one(path))
    assert isinstance(error, IngestError)
    assert error.stage == "size" and "it was not read" in error.cause
    assert most < 2 * MB
