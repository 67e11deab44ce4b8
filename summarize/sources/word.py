"""Word files (.docx) -> article text, with python-docx (pure Python, no system libraries).

Body paragraphs and table rows in document order; headers, footers, comments and the
document's properties are left out (the properties name an author or template more often
than the article).
"""

from __future__ import annotations

import io

import docx
from docx.table import Table

from summarize.core.article import normalize_text
from summarize.sources.parsed import Parsed, Unusable

# An OLE compound file: what Word writes for a password-protected document, and what an old
# .doc renamed to .docx is.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parse_docx(data: bytes) -> Parsed:
    """The text of a .docx file, a paragraph a line."""
    if data.startswith(_OLE_MAGIC):
        raise Unusable(
            "is not a .docx package but an OLE file: either password-protected (remove the "
            "password in Word) or an old .doc file renamed (save it as .docx)"
        )
    try:
        document = docx.Document(io.BytesIO(data))
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
    return Parsed(text)


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
