"""`summarize run` on real-world inputs, end to end: a URL and a file of URLs fetched from a
loopback web site, and a folder of PDF, Word and e-mail files, against a loopback model.

Bad inputs fail one article each with the reason; files that are no articles are listed as
not read; the other articles are done.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from documents import (
    GOOD_LINES,
    article_page,
    docx_bytes,
    eml_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
)
from model_server import ModelServer, Reply
from typer.testing import CliRunner, Result
from web_site import WebSite, html

from summarize.cli.app import app
from summarize.core.brief import Brief

pytestmark = pytest.mark.usefixtures("isolated")

STORY = "/world/2021/09/14/berg-moos.html"
DATE = "Tue, 14 Sep 2021 09:30:00 +0200"


@pytest.fixture
def site() -> Iterator[WebSite]:
    pages = {
        STORY: html(article_page("Berg meets Moos", GOOD_LINES)),
        "/s/berg": Reply(status=301, headers={"location": STORY}),
        "/slow": html(article_page("Slow", GOOD_LINES)).after(30),
        "/chart.png": Reply(body=b"\x89PNG\r\n\x1a\n", headers={"content-type": "image/png"}),
    }
    with WebSite(pages) as running:
        yield running


def run(model: ModelServer, src: str | Path, out: Path, *extra: str) -> Result:
    args = ["run", str(src), "--out", str(out), "--base-url", model.base_url]
    return CliRunner().invoke(app, [*args, "--model", "test-model", *extra])


def manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return data


def errors(out: Path) -> dict[str, dict[str, Any]]:
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["file"]: e for e in map(json.loads, lines)}


def briefs(out: Path) -> list[Brief]:
    return [Brief.model_validate_json(p.read_bytes()) for p in sorted(out.glob("briefs/*.json"))]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_help_says_what_a_url_list_is() -> None:
    text = flat(CliRunner().invoke(app, ["run", "--help"]).output)
    assert "a URL, or a .txt file listing URLs" in text
    assert "read line by line as http(s) URLs: every line one word, or most lines URLs" in text
    assert "each other line is reported (file and line number) and skipped" in text
    assert ".pdf (its text layer: no OCR), .docx, .eml" in text


def test_a_url_is_fetched_once_and_its_brief_names_the_page(
    tmp_path: Path, good_model: ModelServer, site: WebSite
) -> None:
    url, out = site.url("/s/berg"), tmp_path / "out"

    first = run(good_model, url, out)

    assert first.exit_code == 0, first.output
    assert f"fetching {url}" in first.stderr
    assert "1 done, 0 skipped, 0 failed (1 events)" in flat(first.stderr)
    (brief,) = briefs(out)
    assert brief.source.url == site.url(STORY)  # where the redirect ended
    (copy,) = (out / "pages").glob("*.html")
    (entry,) = manifest(out)["articles"]
    assert entry["file"] == url and entry["status"] == "done"
    # The evidence offsets index the text extracted from the stored copy.
    (event,) = brief.events
    quote = event.participants[0].evidence
    assert quote.quote == "Berg meets Moos"
    assert copy.read_text(encoding="utf-8").count(quote.quote) == 2  # title and heading

    again = run(good_model, url, out)

    assert again.exit_code == 0, again.output
    assert f"stored {url}" in again.stderr
    assert "0 done, 1 skipped, 0 failed" in flat(again.stderr)
    assert site.hits("/s/berg") == site.hits(STORY) == 1
    assert len(good_model.requests) == 1


def test_a_file_of_urls_does_the_good_ones_and_fails_each_bad_one_with_its_reason(
    tmp_path: Path, good_model: ModelServer, site: WebSite
) -> None:
    listing = tmp_path / "urls.txt"
    bad = [site.url("/gone"), site.url("/slow"), site.url("/chart.png")]
    listing.write_text(
        "# readouts to brief\n" + "\n".join([site.url(STORY), *bad]) + "\n", encoding="utf-8"
    )
    out = tmp_path / "out"

    result = run(good_model, listing, out, "--fetch-timeout", "0.2")

    assert result.exit_code == 1, result.output
    assert "1 done, 0 skipped, 3 failed" in flat(result.stderr), result.stderr
    failed = errors(out)
    assert sorted(failed) == sorted(bad)
    assert {e["stage"] for e in failed.values()} == {"fetch"}
    assert "answered HTTP 404 Not Found" in failed[bad[0]]["cause"]
    assert "could not be downloaded within 0.2 s" in failed[bad[1]]["cause"]
    assert "answered with image/png, not a web page" in failed[bad[2]]["cause"]
    for url, error in failed.items():
        assert f"fetch {url}: {error['cause']}" in flat(result.stderr)
    assert manifest(out)["source"] == str(listing)
    assert len(good_model.requests) == 1


def test_a_folder_of_documents_is_read_and_bad_or_foreign_files_are_named(
    tmp_path: Path, good_model: ModelServer
) -> None:
    src, out = tmp_path / "inbox", tmp_path / "out"
    src.mkdir()
    (src / "readout.pdf").write_bytes(pdf_bytes([GOOD_LINES]))
    (src / "note.docx").write_bytes(docx_bytes(["Envoy Karl Moos met Minister Anna Berg again."]))
    (src / "digest.eml").write_bytes(
        eml_bytes("Berg and Moos", DATE, plain="Moos and Berg spoke by phone on Tuesday.\n")
    )
    (src / "scan.pdf").write_bytes(pdf_bytes([[]]))
    (src / "locked.pdf").write_bytes(encrypted_pdf_bytes([GOOD_LINES], user_password="x"))
    whole = docx_bytes(GOOD_LINES)
    (src / "cut.docx").write_bytes(whole[: len(whole) // 2])
    (src / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")

    result = run(good_model, src, out)

    assert result.exit_code == 1, result.output
    assert "3 done, 0 skipped, 3 failed" in flat(result.stderr)
    assert sorted(b.source.headline or "" for b in briefs(out)) == [
        "Berg and Moos",
        "Envoy Karl Moos met Minister Anna Berg again.",
        GOOD_LINES[0],
    ]
    (mail,) = [b for b in briefs(out) if b.source.headline == "Berg and Moos"]
    assert mail.source.published_date is not None
    assert mail.source.published_date.isoformat() == "2021-09-14"
    failed = {Path(f).name: e["cause"] for f, e in errors(out).items()}
    assert "no text layer" in failed["scan.pdf"] and "OCR it first" in failed["scan.pdf"]
    assert "encrypted PDF that needs a password" in failed["locked.pdf"]
    assert "is not a readable Word file" in failed["cut.docx"]
    skipped = manifest(out)["skipped"]
    assert skipped == [
        {"file": str(src / "chart.png"), "reason": "an image: OCR it to text first"},
        {"file": str(src / "old.doc"), "reason": "an old Word file: save it as .docx"},
    ]
    text = flat(result.stderr)
    assert "2 files not read (not articles):" in text
    assert f"not read {src / 'old.doc'}: an old Word file: save it as .docx" in text


def test_a_folder_with_nothing_to_read_names_what_it_holds(
    tmp_path: Path, good_model: ModelServer
) -> None:
    src = tmp_path / "pictures"
    src.mkdir()
    (src / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    result = run(good_model, src, tmp_path / "out")

    assert result.exit_code == 2
    text = flat(result.stderr)
    assert "no articles found in" in text
    assert f"not read {src / 'chart.png'}: an image: OCR it to text first" in text
