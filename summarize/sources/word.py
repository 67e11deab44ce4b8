"""Word files (.docx) -> article text, with python-docx (pure Python, no system libraries).

Body paragraphs and table rows in document order; headers, footers, comments and the
document's properties are left out (the properties name an author or template more often
than the article).
"""

from __future__ import annotations

import io
import shutil
import zipfile

import docx
from docx.table import Table

from summarize.core.article import normalize_text
from summarize.sources.parsed import Parsed, Unusable

# An OLE compound file: what Word writes for a password-protected document, and what an old
# .doc renamed to .docx is.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The body (word/document.xml) of any article is far smaller than this, unpacked; a bigger
# one is a decompression bomb or not an article.
BODY_CAP = 100_000_000
# Other parts (images, embedded files, fonts) say nothing of the text; python-docx would
# unpack each whole into memory, so one bigger than this is left out, unread.
PART_CAP = 8_000_000
_BODY = "word/document.xml"
_COPY_CHUNK = 1 << 20


def parse_docx(data: bytes) -> Parsed:
    """The text of a .docx file, a paragraph a line."""
    if data.startswith(_OLE_MAGIC):
        raise Unusable(
            "is not a .docx package but an OLE file: either password-protected (remove the "
            "password in Word) or an old .doc file renamed (save it as .docx)"
        )
    package, note = _slimmed(data)
    try:
        document = docx.Document(package)
        lines = [
            _row_text(block) if isinstance(block, Table) else block.text
            for block in document.iter_inner_content()
        ]
    except Exception as exc:  # a damaged package can fail anywhere inside the parser
        raise Unusable(
            f"is not a readable Word file ({type(exc).__name__}: {exc}); check the file is "
            "complete, or open and save it again in Word or LibreOffice"
        ) from exc
    text = normalize_text("\n".join(line for line in lines if line.strip())).strip()
    if not text:
        raise Unusable("has no text in its body; add the article text or remove the file")
    return Parsed(text, note=note)


def _slimmed(data: bytes) -> tuple[io.BytesIO, str | None]:
    """The package with every part too big to matter emptied, unread (so memory follows
    the text, not what is embedded), and a note naming what was left out."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return io.BytesIO(data), None  # python-docx says what is wrong with it
    body = next((e for e in entries if e.filename == _BODY), None)
    if body is not None and body.file_size > BODY_CAP:
        raise Unusable(
            f"has a body of {body.file_size:,} bytes unpacked, more than {BODY_CAP:,}: not "
            "an article (a decompression bomb?); it was not unpacked"
        )
    big = [e for e in entries if e.filename != _BODY and e.file_size > PART_CAP]
    if not big:
        return io.BytesIO(data), None
    slim = io.BytesIO()
    with archive, zipfile.ZipFile(slim, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in entries:
            if entry in big:
                out.writestr(entry.filename, b"")
                continue
            with archive.open(entry) as source, out.open(entry.filename, "w") as target:
                shutil.copyfileobj(source, target, _COPY_CHUNK)
    largest = max(big, key=lambda e: e.file_size)
    more = f" and {len(big) - 1} more" if len(big) > 1 else ""
    note = (
        f"{largest.filename} ({largest.file_size:,} bytes unpacked){more} not read: parts "
        f"other than the body bigger than {PART_CAP:,} bytes (images, embedded files) say "
        "nothing of the text and are left out to bound memory"
    )
    slim.seek(0)
    return slim, note


def _row_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            # A merged cell is returned once for each grid column it spans.
            if cell.text.strip() and (not cells or cells[-1] != cell.text.strip()):
                cells.append(cell.text.strip())
        rows.append(" | ".join(cells))
    return "\n".join(r for r in rows if r)
