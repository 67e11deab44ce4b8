"""PDF, Word and e-mail files read for real: text, metadata, and each bad file's reason."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from documents import (
    GOOD_LINES,
    docx_bytes,
    eml_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
)

from summarize.core.article import Article, IngestError
from summarize.core.grounding import article_text
from summarize.sources.read import iter_articles

PARIS = "Genève, café, naïve: the envoy's aide (Zoë) agreed."


def read_one(path: Path) -> Article | IngestError:
    (item,) = list(iter_articles(path))
    return item


def article(path: Path) -> Article:
    item = read_one(path)
    assert isinstance(item, Article), item
    return item


def cause(path: Path) -> str:
    item = read_one(path)
    assert isinstance(item, IngestError), item
    assert item.stage == "ingest"
    assert item.cause.startswith(str(path))
    return item.cause


# -- PDF ------------------------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page_from_its_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "readout.pdf"
    path.write_bytes(pdf_bytes([GOOD_LINES, [PARIS]]))
    got = article(path)
    assert got.text == "\n".join(GOOD_LINES) + "\n\n" + PARIS
    assert got.title == GOOD_LINES[0]
    assert got.id.startswith("readout-")


def test_a_pdf_without_a_text_layer_is_refused_to_be_ocred(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([[], []]))
    assert "has no text layer (2 pages of images, a scan?): OCR it first" in cause(path)


def test_an_encrypted_pdf_is_refused_saying_it_needs_a_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf_bytes([GOOD_LINES], user_password="secret"))
    assert "is an encrypted PDF that needs a password to open" in cause(path)


def test_an_encrypted_pdf_that_opens_without_a_password_is_read(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted_pdf_bytes([GOOD_LINES], user_password=""))
    assert article(path).text == "\n".join(GOOD_LINES)


@pytest.mark.parametrize("keep", [0.5, 0.1])
def test_a_damaged_pdf_is_refused_as_unreadable(tmp_path: Path, keep: float) -> None:
    data = pdf_bytes([GOOD_LINES])
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    assert "is not a readable PDF (" in cause(path)


# -- Word -----------------------------------------------------------------------------------


def test_a_docx_is_read_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "note.docx"
    path.write_bytes(docx_bytes([*GOOD_LINES, "", PARIS], table=[["Who", "Role"], ["Berg", ""]]))
    got = article(path)
    assert got.text == "\n".join([*GOOD_LINES, PARIS, "Who | Role", "Berg"])
    assert got.title == GOOD_LINES[0]


def test_a_damaged_docx_is_refused_as_unreadable(tmp_path: Path) -> None:
    data = docx_bytes(GOOD_LINES)
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    assert "is not a readable Word file (" in cause(path)


def test_a_zip_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    assert "is not a readable Word file (" in cause(path)


def test_a_password_protected_word_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "protected.docx"
    # What Word writes for a protected document: an OLE compound file, not a ZIP package.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert "password-protected (remove the password in Word)" in cause(path)


def test_an_empty_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(docx_bytes([]))
    assert "has no text in its body" in cause(path)


# -- e-mail ---------------------------------------------------------------------------------

DATE = "Tue, 14 Sep 2021 23:30:00 -0400"  # the 15th in UTC: the sender's day is the one kept


def test_a_plain_mail_gives_subject_as_title_and_date_header_as_published(
    tmp_path: Path,
) -> None:
    path = tmp_path / "forward.eml"
    path.write_bytes(eml_bytes("Berg meets Moos", DATE, plain="\n".join(GOOD_LINES) + "\n"))
    got = article(path)
    assert got.text == "\n".join(GOOD_LINES)
    assert got.title == "Berg meets Moos"
    assert got.published_date == dt.date(2021, 9, 14)
    assert got.outlet is None and got.url is None  # the sender is not the outlet


def test_the_plain_part_of_a_mail_is_preferred_to_its_html(tmp_path: Path) -> None:
    path = tmp_path / "both.eml"
    html = "<html><body><p>Only in the HTML part, which is not read here at all.</p></body></html>"
    path.write_bytes(eml_bytes("Both", DATE, plain=GOOD_LINES[0], html=html))
    assert article(path).text == GOOD_LINES[0]


def test_an_html_mail_is_read_as_a_page_is(tmp_path: Path) -> None:
    path = tmp_path / "newsletter.eml"
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><article>"
        + "".join(f"<p>{line}</p>" for line in GOOD_LINES)
        + "</article></body></html>"
    )
    path.write_bytes(eml_bytes("Weekly digest", DATE, html=html))
    got = article(path)
    assert got.text == "\n".join(GOOD_LINES)
    assert got.title == "Weekly digest"
    assert "Home" not in got.text


def test_a_mail_without_a_body_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bare.eml"
    headers = f"Subject: nothing\nDate: {DATE}\nContent-Type: image/png\n\n"
    path.write_bytes(headers.encode() + b"x")
    assert "has no text or HTML body (attachments are not read)" in cause(path)


def test_a_file_that_is_no_mail_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not-mail.eml"
    path.write_bytes(b"\n\njust some text that has no headers at all\n")
    assert "is not an e-mail message" in cause(path)


def test_a_folder_of_every_format_is_read_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(pdf_bytes([[GOOD_LINES[0]]]))
    (tmp_path / "b.docx").write_bytes(docx_bytes([GOOD_LINES[1]]))
    (tmp_path / "c.eml").write_bytes(eml_bytes("C", DATE, plain=PARIS))
    (tmp_path / "d.txt").write_text("Text file.\n", encoding="utf-8")
    got = list(iter_articles(tmp_path))
    assert [(i.path.name, i.text.strip()) for i in got if isinstance(i, Article)] == [
        ("a.pdf", GOOD_LINES[0]),
        ("b.docx", GOOD_LINES[1]),
        ("c.eml", PARIS),
        ("d.txt", "Text file."),
    ]


def test_a_pdfs_wrapped_lines_are_joined_so_sentences_stay_whole(tmp_path: Path) -> None:
    lines = [
        "Macron meets Scholz",
        "PARIS, 3 May",
        "German Chancellor Olaf Scholz met President Emmanuel Macron in Paris on",
        "Tuesday to discuss support for Ukraine, the Elysee said in a statement.",
        "The two leaders agreed to meet again next",
        "month.",
    ]
    path = tmp_path / "readout.pdf"
    path.write_bytes(pdf_bytes([lines]))
    (article,) = list(iter_articles(path))
    assert isinstance(article, Article)
    sentences = [article.text[s.start : s.end] for s in article_text(article).sentences]
    assert sentences == [
        "Macron meets Scholz",
        "PARIS, 3 May",
        "German Chancellor Olaf Scholz met President Emmanuel Macron in Paris on Tuesday to "
        "discuss support for Ukraine, the Elysee said in a statement.",
        "The two leaders agreed to meet again next month.",
    ]


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Fwd: Re: Berg meets Moos", "Berg meets Moos"),
        ("TR: Berg meets Moos", "Berg meets Moos"),
        ("Reuters: Berg meets Moos", "Reuters: Berg meets Moos"),
    ],
)
def test_a_forwarded_mails_title_is_the_articles(subject: str, title: str, tmp_path: Path) -> None:
    path = tmp_path / "fwd.eml"
    path.write_bytes(eml_bytes(subject, DATE, plain="\n".join(GOOD_LINES) + "\n"))
    (article,) = list(iter_articles(path))
    assert isinstance(article, Article)
    assert article.title == title
