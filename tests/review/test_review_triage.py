"""Reviewing at analyst speed, over HTTP: the index as a triage list (counts, sorts, filters,
the worst first), accepting and re-pointing items, validation in the analyst's words, the
dropped panel by cause, the reviewed mark kept or withdrawn and said, and articles fetched by
URL reviewed from the page copy the run stored."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from memo_briefs import Article
from model_server import ModelServer
from review_runs import SEED_MEETING, article_id, hand_run, seed_run
from test_review_app import client, post
from typer.testing import CliRunner
from web_site import WebSite, html

from summarize.cli.app import app
from summarize.core.brief import Brief, EventType, GroundingWarning

ROOT = Path(__file__).resolve().parents[2]
ALL_SEEDS = tuple(p.stem for p in sorted((ROOT / "seeds").glob("*.txt")))


def model_brief(out: Path, aid: str) -> Brief:
    return Brief.model_validate_json((out / "briefs" / f"{aid}.json").read_bytes())


def rows(page: str) -> list[dict[str, str]]:
    """The index rows in page order: id and counts as the page states them."""
    found = re.findall(
        r'<tr class="row [^"]*" data-id="([^"]+)" data-weak="(\d+)" data-dropped="(\d+)" '
        r'data-repeated="(\d+)"',
        page,
    )
    return [{"id": i, "weak": w, "dropped": d, "repeated": r} for i, w, d, r in found]


@pytest.fixture
def five(tmp_path: Path) -> Path:
    return seed_run(tmp_path, seeds=ALL_SEEDS)


def test_the_index_counts_what_each_brief_wants_a_look_at_and_sorts_and_filters_by_it(
    five: Path,
) -> None:
    c = client(five)
    shown = rows(c.get("/").text)
    assert len(shown) == len(ALL_SEEDS)
    for row in shown:
        brief = model_brief(five, row["id"])
        assert int(row["weak"]) == brief.warned("weak")
        assert int(row["dropped"]) == brief.warned("dropped")
        assert int(row["repeated"]) == brief.warned("repeated")
    by_weak = rows(c.get("/?sort=weak").text)
    weak_counts = [int(r["weak"]) for r in by_weak]
    assert weak_counts == sorted(weak_counts, reverse=True) and weak_counts[0] > 0
    assert [int(r["weak"]) for r in rows(c.get("/?sort=-weak").text)] == sorted(weak_counts)
    weak_only = rows(c.get("/?show=weak").text)
    assert {r["id"] for r in weak_only} == {r["id"] for r in shown if int(r["weak"])}
    assert 'data-filter="weak">weak <span class="count">' in c.get("/").text


def test_next_needing_review_goes_to_the_worst_first(five: Path) -> None:
    c = client(five)
    shown = rows(c.get("/").text)

    def trouble(r: dict[str, str]) -> tuple[int, int]:
        return int(r["weak"]) + int(r["dropped"]) + int(r["repeated"]), int(r["weak"])

    order = sorted(shown, key=lambda r: (-trouble(r)[0], -trouble(r)[1], shown.index(r)))
    seen = []
    for _ in shown:
        went = c.get("/next", follow_redirects=False)
        assert went.status_code == 303
        aid = went.headers["location"].removeprefix("/article/")
        seen.append(aid)
        assert post(c, aid, "reviewed", {"version": 0, "reviewed": True}).status_code == 200
    assert seen == [r["id"] for r in order]
    assert c.get("/next", follow_redirects=False).headers["location"].startswith("/?show=")
    # From an article page, "next" skips the article itself.
    page = c.get(f"/article/{seen[0]}").text
    assert 'href="/next?after=' not in page  # every brief is reviewed now


def test_accepting_an_item_is_shown_counted_and_undone(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    path = "events[0].participants[0]"
    accepted = post(c, aid, "change", {"version": 0, "op": "check", "path": path, "value": True})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["edits"] == 0
    page = c.get(f"/article/{aid}").text
    item = page[page.index(f'data-item="{path}"') - 40 :].split("</div>")[0]
    assert "checked" in item and "✓ accepted" in item
    assert "1 item accepted" in c.get("/").text
    assert model_brief(out, aid) == Brief.model_validate(
        json.loads((out / "reviews" / f"{aid}.json").read_text())["brief"]
    )
    assert post(c, aid, "undo", {"version": 1}).status_code == 200
    assert "✓ accepted" not in c.get(f"/article/{aid}").text


def test_repointing_a_weak_participants_evidence_clears_the_flag_only_when_it_names_them(
    tmp_path: Path,
) -> None:
    out = seed_run(tmp_path)
    aid = article_id(out, SEED_MEETING)  # its participants cite sentences not naming them
    brief = model_brief(out, aid)
    weak = next(w for w in brief.warnings if w.kind == "weak")
    i, j = map(int, re.findall(r"\d+", weak.path))
    person = brief.events[i].participants[j]
    text = (tmp_path / "articles" / f"{SEED_MEETING}.txt").read_text(encoding="utf-8")
    c = client(out)
    unrelated = text.index(text.strip().splitlines()[0][:20])
    off = post(
        c,
        aid,
        "change",
        {"version": 0, "op": "point", "path": weak.path, "span": [unrelated, unrelated + 20]},
    )
    assert off.status_code == 200, off.text
    assert weak.path in c.get(f"/article/{aid}").text.split('class="item weak')[1]
    where = next(
        m.start()
        for part in person.name.split()
        for m in [re.search(re.escape(part), text)]
        if m and len(part) > 2
    )
    named = post(
        c,
        aid,
        "change",
        {"version": 1, "op": "point", "path": weak.path, "span": [where, where + 12]},
    )
    assert named.status_code == 200, named.text
    saved = Brief.model_validate(json.loads((out / "reviews" / f"{aid}.json").read_text())["brief"])
    assert weak.path not in {w.path for w in saved.warnings if w.kind == "weak"}
    assert saved.events[i].participants[j].evidence.start <= where


def test_validation_is_in_the_analysts_words(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    c = client(out)
    aid = article_id(out, SEED_MEETING)

    def refused(path: str, value: object) -> str:
        answer = post(c, aid, "change", {"version": 0, "op": "set", "path": path, "value": value})
        assert answer.status_code == 422, answer.text
        assert answer.json()["path"] == path
        message: str = answer.json()["error"]
        assert "Input should" not in message and "validation error" not in message
        return message

    assert refused("events[0].participants[0].name", "") == (
        "The name cannot be empty: type it, or delete the item"
    )
    assert "at most 120 characters, and this has 200" in refused("events[0].location", "x" * 200)
    assert "The article does not write \u201cnext Tuesday at noon\u201d" in refused(
        "events[0].date_text", "next Tuesday at noon"
    )
    assert "must be one of: held, planned, cancelled, unclear" in refused(
        "events[0].status", "maybe"
    )


def test_the_dropped_panel_is_split_by_cause_with_the_right_advice(tmp_path: Path) -> None:
    seed = next((ROOT / "seeds").glob(f"{SEED_MEETING}.txt"))
    text = seed.read_text(encoding="utf-8")

    def with_warnings(a: Article) -> Brief:
        b = a.brief(
            [a.event(1, EventType.MEETING, dt.date(2016, 9, 5), [a.who("Putin", "Putin")], [])],
            outlet=None,
            headline=None,
            published=None,
        )
        warnings = [
            GroundingWarning(path="events[0].outcomes[0]", quote="[]", reason="no sentence cited"),
            GroundingWarning(
                path="events[0].date_text", quote="on Friday", reason="not written in the article"
            ),
        ] + [
            GroundingWarning(
                path=f"events[{n}]",
                quote="Putin met Obama",
                reason=f"the model's event {n + 1} repeats its event 1 word for word; kept once",
                kind="repeated",
            )
            for n in range(1, 6)
        ]
        return b.model_copy(update={"warnings": warnings})

    out = hand_run(tmp_path, SEED_MEETING, text, with_warnings)
    page = client(out).get(f"/article/{Article(SEED_MEETING, text).id}").text
    sections = re.findall(r'<section class="dropped" data-cause="(\w+)">\s*<h2>([^<]*)</h2>', page)
    assert sections == [
        ("evidence", "Dropped: no evidence in the article (1)"),
        ("as_written", "Dates the article does not write (1)"),
        ("repeated", "Events the model repeated (5)"),
    ]
    repeated = page.split('data-cause="repeated"')[1].split("</section>")[0]
    assert "there is nothing to add back" in repeated and "select" not in repeated
    assert repeated.count("<li>") == 5
    evidence = page.split('data-cause="evidence"')[1].split("</section>")[0]
    assert "select its words and press 1" in evidence


def test_a_later_edit_keeps_or_withdraws_the_reviewed_mark_and_says_which(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    assert post(c, aid, "reviewed", {"version": 0, "reviewed": True}).status_code == 200
    body = {"op": "set", "path": "events[0].location", "value": "Hangzhou"}
    kept = post(c, aid, "change", {"version": 1, "keep_reviewed": True, **body})
    assert kept.json()["reviewed"] is True and kept.json()["reviewed_kept"] is True
    assert kept.json()["edits"] == 1
    index = c.get("/").text
    row = index[index.index(f'data-id="{aid}"') :].split("</tr>")[0]
    assert ">reviewed<" in row and "1 edit by Ana" in row and "by Ana," in row
    assert 'data-filter="edited">edited <span class="count">1</span>' in index
    withdrawn = post(c, aid, "change", {"version": 2, **body, "value": "China"})
    assert withdrawn.json()["reviewed"] is False
    assert withdrawn.json()["reviewed_withdrawn"] is True
    assert withdrawn.json()["edits"] == 2
    assert "2 edits" in c.get(f"/article/{aid}").text


@pytest.mark.usefixtures("isolated")
def test_an_article_fetched_by_url_is_reviewed_from_the_stored_page(
    tmp_path: Path, good_model: ModelServer
) -> None:
    from documents import GOOD_LINES, article_page

    story = "/world/2021/09/14/berg-moos.html"
    with WebSite({story: html(article_page("Berg meets Moos", GOOD_LINES))}) as site:
        url, out = site.url(story), tmp_path / "out"
        args = ["run", url, "--out", str(out), "--base-url", good_model.base_url]
        result = CliRunner().invoke(app, [*args, "--model", "test-model"])
        assert result.exit_code == 0, result.output
    # The site is gone: the review reads the copy in out/pages, never the network.
    (entry,) = json.loads((out / "run.json").read_text())["articles"]
    assert entry["file"] == url
    c = client(out)
    page = c.get(f"/article/{entry['id']}").text
    assert "is not found" not in page and "Cannot show the article" not in page
    assert "Berg meets Moos" in page.split('id="text"')[1]
    answer = post(
        c,
        entry["id"],
        "change",
        {"version": 0, "op": "set", "path": "events[0].location", "value": "Bern"},
    )
    assert answer.status_code == 200, answer.text
    # Without the stored copy the page says where it should be; nothing is fetched.
    shutil.rmtree(out / "pages")
    c = client(out)
    assert "no stored copy of " + url in c.get(f"/article/{entry['id']}").text
    refused = post(
        c,
        entry["id"],
        "change",
        {"version": 1, "op": "set", "path": "events[0].location", "value": "Basel"},
    )
    assert refused.status_code == 409 and "no stored copy" in refused.json()["error"]
