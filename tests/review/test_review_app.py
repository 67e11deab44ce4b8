"""The review app over HTTP (Starlette's TestClient on real run folders): pages, changes,
and the guards: loopback hosts, the session token, escaped text, ids, versions, staleness."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from memo_briefs import Article
from review_runs import SEED_CALL, SEED_MEETING, article_id, hand_run, replay_run, seed_run
from starlette.testclient import TestClient

from summarize.core.brief import Brief, EventType
from summarize.core.evidence_shape import item_spans
from summarize.review.app import create_app
from summarize.review.folder import RunFolder

TOKEN = "test-token"


def client(out: Path) -> TestClient:
    return TestClient(create_app(RunFolder.open(out), "Ana", TOKEN), base_url="http://127.0.0.1")


def base_of(c: TestClient, aid: str) -> str:
    """The model brief the article page shows, as its script sends it with every change."""
    found = re.search(r'data-base="([0-9a-f]*)"', c.get(f"/article/{aid}").text)
    return found[1] if found else ""


def post(c: TestClient, aid: str, what: str, body: dict[str, Any], **headers: str) -> Any:
    """A change as the page sends it (with the brief it shows, unless `body` names one)."""
    sent = {"x-review-token": TOKEN, "content-type": "application/json", **headers}
    body = {"base": base_of(c, aid), **body}
    return c.post(f"/api/article/{aid}/{what}", content=json.dumps(body), headers=sent)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return seed_run(tmp_path)


def test_index_lists_every_article_with_its_status_and_filters(out: Path) -> None:
    c = client(out)
    page = c.get("/")
    assert page.status_code == 200
    assert page.text.count('class="row ') == 2
    assert "Obama and Putin failed to agree on Syria" in page.text
    assert 'data-filter="to review">to review <span class="count">2</span>' in page.text
    meeting = article_id(out, SEED_MEETING)
    post(c, meeting, "reviewed", {"version": 0, "reviewed": True})
    reviewed = c.get("/?show=reviewed").text
    assert reviewed.count('class="row ') == 1 and meeting in reviewed
    assert c.get("/?show=to%20review").text.count('class="row ') == 1


def test_a_correction_is_saved_apart_from_the_model_brief_and_shown(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    model_file = (out / "briefs" / f"{aid}.json").read_bytes()
    answer = post(
        c,
        aid,
        "change",
        {"version": 0, "op": "set", "path": "events[0].participants[0].name", "value": "Putin"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 1 and answer.json()["reviewed"] is False
    assert (out / "briefs" / f"{aid}.json").read_bytes() == model_file
    saved = json.loads((out / "reviews" / f"{aid}.json").read_text())
    assert saved["created_by"] == "Ana" and saved["version"] == 1
    assert saved["brief"]["events"][0]["participants"][0]["name"] == "Putin"
    page = c.get(f"/article/{aid}").text
    assert 'value="Putin"' in page
    assert 'data-version="1"' in page
    assert "set <code>events[0].participants[0].name</code>" in page


def test_errors_come_back_as_messages_naming_the_field(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    bad_date = post(
        c, aid, "change", {"version": 0, "op": "set", "path": "events[0].date", "value": "soon"}
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["path"] == "events[0].date"
    assert "valid date" in bad_date.json()["error"]
    assert not (out / "reviews" / f"{aid}.json").exists()
    no_span = post(
        c,
        aid,
        "change",
        {"version": 0, "op": "add", "path": "events[0].participants", "value": {"name": "X"}},
    )
    assert no_span.status_code == 422 and "select the article text" in no_span.json()["error"]


def test_a_change_on_an_old_version_is_refused_with_who_changed_it(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    body = {"version": 0, "op": "set", "path": "events[0].location", "value": "Hangzhou"}
    assert post(c, aid, "change", body).status_code == 200
    late = post(c, aid, "change", {**body, "value": "Beijing"})
    assert late.status_code == 409
    assert late.json()["conflict"] is True and "changed by Ana" in late.json()["error"]
    saved = json.loads((out / "reviews" / f"{aid}.json").read_text())
    assert saved["brief"]["events"][0]["location"] == "Hangzhou"


def test_other_hosts_are_refused(out: Path) -> None:
    c = client(out)
    for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example"):
        page = c.get("/", headers={"host": host})
        assert page.status_code == 400, host
        assert "only to 127.0.0.1" in page.text
    assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_changes_need_the_session_token_the_same_origin_and_json(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    body = {"version": 0, "reviewed": True}
    assert post(c, aid, "reviewed", body, **{"x-review-token": "guess"}).status_code == 403
    other = post(c, aid, "reviewed", body, origin="http://evil.example")
    assert other.status_code == 403
    form = post(c, aid, "reviewed", body, **{"content-type": "text/plain"})
    assert form.status_code == 415
    assert not (out / "reviews").exists()
    same = post(c, aid, "reviewed", body, origin="http://127.0.0.1")
    assert same.status_code == 200


def test_pages_allow_only_their_own_script(out: Path) -> None:
    policy = client(out).get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy


def test_ids_cannot_reach_files_outside_the_folder(out: Path) -> None:
    c = client(out)
    (out.parent / "secret.json").write_text("{}")
    for aid in ("..%2Fsecret", "%2E%2E%2Fsecret", "..%2F..%2Fsecret", "nope-12345678"):
        page = c.get(f"/article/{aid}")
        assert page.status_code == 404, aid
        answer = post(c, aid, "reviewed", {"version": 0, "reviewed": True})
        assert answer.status_code == 404, aid
    assert not (out / "reviews").exists() or not list((out / "reviews").glob("*.json"))


def hostile(a: Article) -> Brief:
    quote = "<script>document.title='owned'</script>"
    return a.brief(
        [a.event(1, EventType.PHONE_CALL, dt.date(2016, 9, 12), [a.who("Putin", "Putin")], [])],
        outlet="<b>Outlet</b>",
        headline=quote,
        published=None,
    )


def test_article_text_and_brief_fields_are_escaped(tmp_path: Path) -> None:
    text = "Putin spoke. <script>document.title='owned'</script> <img src=x onerror=alert(1)>\n"
    out = hand_run(tmp_path, "hostile", text, hostile)
    page = client(out).get(f"/article/{Article('hostile', text).id}").text
    assert "<script>document" not in page
    assert "&lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>Outlet</b>" not in page


def test_a_review_is_stale_when_the_article_text_changes_and_kept(tmp_path: Path) -> None:
    out = seed_run(tmp_path)
    c = client(out)
    old = article_id(out, SEED_CALL)
    assert post(c, old, "reviewed", {"version": 0, "reviewed": True}).status_code == 200
    source = tmp_path / "articles" / f"{SEED_CALL}.txt"
    source.write_text(source.read_text() + "\nAn added paragraph.\n")
    page = c.get(f"/article/{old}").text  # before a rerun: the page says the text changed
    assert "changed since the run" in page
    refused = post(c, old, "reviewed", {"version": 1, "reviewed": False})
    assert refused.status_code == 409 and "changed since the run" in refused.json()["error"]
    replay_run(tmp_path / "articles", out)  # no recording for the new text: it fails
    c = client(out)
    index = c.get("/?show=stale").text
    assert index.count('class="row ') == 1
    assert f"review of an earlier text ({old}" in index
    assert (out / "reviews" / f"{old}.json").is_file()


def test_a_remade_model_brief_leaves_the_review_shown_and_says_so(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    body = {"version": 0, "op": "set", "path": "events[0].location", "value": "Hangzhou"}
    assert post(c, aid, "change", body).status_code == 200
    assert "made again since this review began" not in c.get(f"/article/{aid}").text
    model = out / "briefs" / f"{aid}.json"
    remade = json.loads(model.read_text())
    remade["events"][0]["location"] = "Beijing"  # as a new prompt or model would answer
    model.write_text(json.dumps(remade, indent=2))
    page = c.get(f"/article/{aid}").text
    assert "made again since this review began" in page
    assert 'value="Hangzhou"' in page and 'value="Beijing"' not in page


def test_what_grounding_dropped_is_listed_and_evidence_is_marked_in_the_text(out: Path) -> None:
    aid = article_id(out, SEED_CALL)
    brief = Brief.model_validate_json((out / "briefs" / f"{aid}.json").read_bytes())
    dropped = [w for w in brief.warnings if w.kind == "dropped"]
    weak = [w for w in brief.warnings if w.kind == "weak"]
    assert dropped and weak
    page = client(out).get(f"/article/{aid}").text
    no_evidence = [w for w in dropped if w.reason.startswith(("no sentence", "cites no"))]
    assert no_evidence, "the seed call has items dropped for citing nothing"
    assert f"Dropped: no evidence in the article ({len(no_evidence)})" in page
    assert page.count('class="badge badge-weak"') == len(weak)
    assert page.count('<div class="item weak"') == len(weak)
    (span,) = item_spans(brief.events[0].participants[0])
    assert re.search(r'data-item="events\[0\]\.participants\[0\]"[^>]* data-ev="e1"', page)
    segment = re.search(f'data-s="{span.start}" class="ev(?: weak)?" data-ev="([^"]*)"', page)
    assert segment is not None and "e1" in segment[1].split()


def test_what_reading_the_answer_changed_is_listed_with_its_kind(out: Path) -> None:
    aid = article_id(out, SEED_CALL)
    path = out / "briefs" / f"{aid}.json"
    brief = json.loads(path.read_text())
    brief["warnings"] += [
        {
            "path": "events[0].status",
            "quote": "",
            "reason": "missing; read as unclear",
            "kind": "normalised",
        },
        {
            "path": "events[0].topics",
            "quote": "45 items",
            "reason": "45 given (12 asked for): kept the first 40, the most summarize accepts",
            "kind": "cut",
        },
    ]
    path.write_text(json.dumps(brief, indent=2))
    page = client(out).get(f"/article/{aid}").text
    assert "Read differently from how the model wrote them (1)" in page
    assert "Cut at summarize&#39;s limit (1)" in page
    assert '<span class="badge badge-normalised">normalised</span> <code>events[0].status' in page
    assert '<span class="badge badge-cut">cut</span> <code>events[0].topics' in page
    assert "kept the first 40" in page


def test_undo_takes_back_the_last_correction_only(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    model = Brief.model_validate_json((out / "briefs" / f"{aid}.json").read_bytes())
    assert post(c, aid, "undo", {"version": 0}).status_code == 409
    set_place = {"op": "set", "path": "events[0].location", "value": "Hangzhou"}
    assert post(c, aid, "change", {"version": 0, **set_place}).status_code == 200
    drop = {"op": "delete", "path": "events[0].participants[0]"}
    assert post(c, aid, "change", {"version": 1, **drop}).status_code == 200
    assert post(c, aid, "reviewed", {"version": 2, "reviewed": True}).status_code == 200
    answer = post(c, aid, "undo", {"version": 3})
    assert answer.json()["version"] == 4 and answer.json()["reviewed"] is False
    assert answer.json()["reviewed_withdrawn"] is True
    saved = json.loads((out / "reviews" / f"{aid}.json").read_text())
    assert [x["op"] for x in saved["corrections"]] == ["set"]
    event = saved["brief"]["events"][0]
    assert event["location"] == "Hangzhou"
    assert event["participants"][0]["name"] == model.events[0].participants[0].name
    assert 'id="undo"' in c.get(f"/article/{aid}").text
