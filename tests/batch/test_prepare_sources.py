"""`batch prepare` reads what `run` reads: a URL and a URL list fetched from a loopback web
site into the pages/ store ingest reads again, files that are no articles listed with why,
a pages store's own .json sidecars not taken for articles. `batch ingest` ends with `run`'s
closing summary and names the field a validation error is at.

The page is seed 001 (a real news article) served as HTML; the batch engine is the loopback
`ModelServer` answering each prepared request (a test double).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from batch_steps import MODEL, answer_requests, briefs, cli, errors, prepared, result_line
from conftest import SEED_001, read_article
from documents import article_page
from model_server import ModelServer, chat_completion
from web_site import WebSite, html

from summarize.core.brief import Brief

pytestmark = pytest.mark.usefixtures("isolated")

STORY = "/world/2012/07/19/putin-obama-syria.html"


def seed_paragraphs() -> list[str]:
    text = SEED_001.read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n")[1:] if p.strip()]


@pytest.fixture
def site() -> Iterator[WebSite]:
    page = html(article_page("Putin, Obama discuss Syrian crisis by telephone", seed_paragraphs()))
    with WebSite({STORY: page}) as running:
        yield running


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_prepared_url_is_fetched_once_into_the_store_ingest_reads(
    tmp_path: Path, site: WebSite, good_model: ModelServer
) -> None:
    url, out = site.url(STORY), tmp_path / "out"
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"

    made = prepared(url, requests, "--store", out, "--base-url", good_model.base_url)

    assert "1 requests" in made.stderr
    (line,) = requests.read_text(encoding="utf-8").splitlines()
    (copy,) = (out / "pages").glob("*.html")
    assert "Barack Obama" in copy.read_text(encoding="utf-8")
    answer_requests(good_model, requests, results)

    ingested = cli("batch", "ingest", results, "--src", url, "--requests", requests, "--out", out)

    assert ingested.exit_code == 0, ingested.output
    assert site.hits(STORY) == 1, "ingest reads the stored copy; nothing is fetched twice"
    (brief,) = (Brief.model_validate_json(b) for b in briefs(out).values())
    assert brief.article_id == json.loads(line)["custom_id"]
    assert brief.source.url == url
    # run's closing summary, titled as the ingest it is
    assert "batch ingest 1: 1 done, 0 skipped, 0 failed (1 events) of 1 article" in flat(
        ingested.stderr
    )
    assert f"summarize memo {out}" in flat(ingested.stderr)


def test_a_prepared_url_list_fails_each_bad_url_with_its_reason(
    tmp_path: Path, site: WebSite
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# readouts\n{site.url(STORY)}\n{site.url('/gone')}\n", encoding="utf-8")
    requests = tmp_path / "requests.jsonl"

    result = cli(
        "batch", "prepare", listing, "--out", requests, "--model", MODEL, "--store", tmp_path
    )

    assert result.exit_code == 1, result.output
    assert len(requests.read_text(encoding="utf-8").splitlines()) == 1
    assert f"fetch {site.url('/gone')}" in flat(result.stderr)
    assert "answered HTTP 404 Not Found" in flat(result.stderr)


def test_prepare_lists_what_it_did_not_read_and_skips_a_stores_sidecars(
    tmp_path: Path, site: WebSite
) -> None:
    # A pages store as `run` leaves it: the copy and its .json sidecar.
    out = tmp_path / "out"
    prepared(site.url(STORY), tmp_path / "first.jsonl", "--store", out)
    pages = out / "pages"
    (sidecar,) = pages.glob("*.json")
    (pages / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    requests = tmp_path / "requests.jsonl"

    result = cli("batch", "prepare", pages, "--out", requests, "--model", MODEL)

    assert result.exit_code == 0, result.output
    assert "1 requests" in result.stderr and "(0 unreadable)" in result.stderr
    said = flat(result.stderr)
    assert "2 files not read (not articles):" in said
    assert "chart.png: " in said
    assert f"{sidecar.name}: the fetch record of the stored page beside it" in said
    meta = json.loads((tmp_path / "requests.meta.json").read_text(encoding="utf-8"))
    assert sorted(Path(s["file"]).name for s in meta["not_read"]) == sorted(
        ["chart.png", sidecar.name]
    )


def test_ingest_names_the_field_a_validation_error_is_at(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED_001, src / SEED_001.name)
    article = read_article(src / SEED_001.name)
    requests, results = tmp_path / "requests.jsonl", tmp_path / "results.jsonl"
    prepared(src, requests, "--mode", "json_schema")
    # Read as leniently as a live answer (issue 22), and still nothing to keep.
    answer = {
        "source": {"outlet": None, "headline": None, "published": None},
        "events": "none",
        "no_event_reason": None,
    }
    body = chat_completion(json.dumps(answer), model=MODEL)
    results.write_text(result_line(article.id, body) + "\n", encoding="utf-8")

    ingested = cli(
        "batch", "ingest", results, "--src", src, "--requests", requests, "--out", tmp_path / "o"
    )

    assert ingested.exit_code == 1, ingested.output
    (error,) = errors(tmp_path / "o")
    assert error["stage"] == "validation"
    assert "(events[0]: not an event)" in error["cause"]
    assert "validation error for Extraction" not in error["cause"]
    assert "events[0]: not an event" in flat(ingested.stderr)
