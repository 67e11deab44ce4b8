"""Real documents built in the tests with the libraries that read them: PDFs (a text layer,
none, encrypted, damaged), Word files, e-mails and article pages."""

from __future__ import annotations

import email.policy
import io
from collections.abc import Sequence
from email.message import EmailMessage

import docx
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

GOOD_LINES = (
    "Minister Anna Berg met envoy Karl Moos in Vienna on Monday to discuss grain exports.",
    "Officials said the talks would continue in Geneva next month.",
)


def pdf_bytes(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF whose pages hold these lines as text (Helvetica, WinAnsi); an empty page has no
    text layer at all, as a scan has none."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        if not lines:
            continue
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes(pages: Sequence[Sequence[str]], user_password: str) -> bytes:
    """The same PDF, encrypted; an empty user password opens without one. RC4, which pypdf
    does in pure Python: AES needs the `cryptography` package, not a dependency."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """A Word file with these paragraphs, then a table of these rows."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def eml_bytes(
    subject: str, date: str, *, plain: str | None = None, html: str | None = None
) -> bytes:
    """An e-mail with a plain-text body, an HTML one, or both (as alternatives)."""
    message = EmailMessage(policy=email.policy.default)
    message["From"] = "Press Desk <desk@newsletter.example>"
    message["To"] = "analyst@example.org"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = "<brief-1@newsletter.example>"
    if plain is not None:
        message.set_content(plain)
    if html is not None:
        if plain is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message.as_bytes()


def article_page(title: str, paragraphs: Sequence[str], *, charset: str | None = "utf-8") -> str:
    """An HTML article page with a navigation menu around the text (and no <meta charset>
    with `charset` None)."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head>"
        "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>\n{body}\n</article></body></html>"
    )
