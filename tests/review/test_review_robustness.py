"""The review app when things are not as the page left them: a brief remade since the page
was opened, a damaged review file, odd versions, temp files of a killed save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from review_runs import SEED_MEETING, article_id, corpus_run, seed_run
from starlette.testclient import TestClient
from test_review_app import TOKEN, base_of, client, post

from summarize.core.brief import Brief
from summarize.review.folder import RunFolder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return seed_run(tmp_path)


def participants(path: Path) -> list[str]:
    brief = Brief.model_validate_json(path.read_bytes())
    return [p.name for p in brief.events[0].participants]


def remake_with_participants_swapped(model: Path) -> None:
    """The brief as another model or prompt (or `run --force`) could answer: the same
    people, in the other order."""
    data = json.loads(model.read_text(encoding="utf-8"))
    data["events"][0]["participants"].reverse()
    data["warnings"] = []
    model.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_a_delete_made_on_a_page_of_a_since_remade_brief_is_refused_not_applied_by_position(
    tmp_path: Path,
) -> None:
    out = corpus_run(tmp_path, 1)  # a real article whose brief has two participants
    c = client(out)
    (model,) = (out / "briefs").glob("*.json")
    aid = model.stem
    first, second = participants(model)[:2]  # "Li Wei" and "Anna Berg" of the report
    seen = base_of(c, aid)  # the page is opened on the first brief
    remake_with_participants_swapped(model)
    assert participants(model)[:2] == [second, first]

    answer = post(
        c,
        aid,
        "change",
        {"version": 0, "base": seen, "op": "delete", "path": "events[0].participants[0]"},
    )

    assert answer.status_code == 409
    assert answer.json()["remade"] is True
    assert "made again since you opened this page" in answer.json()["error"]
    assert not (out / "reviews" / f"{aid}.json").exists()
    assert participants(model)[:2] == [second, first]
    # Reloaded, the page shows the new brief and its change goes through.
    fresh = post(
        c, aid, "change", {"version": 0, "op": "delete", "path": "events[0].participants[1]"}
    )
    assert fresh.status_code == 200, fresh.text
    saved = json.loads((out / "reviews" / f"{aid}.json").read_text(encoding="utf-8"))
    assert saved["brief"]["events"][0]["participants"][0]["name"] == second


def test_a_mark_or_undo_on_a_since_remade_brief_is_refused_too(tmp_path: Path) -> None:
    out = corpus_run(tmp_path, 1)
    c = client(out)
    (model,) = (out / "briefs").glob("*.json")
    aid = model.stem
    seen = base_of(c, aid)
    remake_with_participants_swapped(model)
    for what, body in (("reviewed", {"reviewed": True}), ("undo", {})):
        answer = post(c, aid, what, {"version": 0, "base": seen, **body})
        assert answer.status_code == 409 and answer.json()["remade"] is True, what


def test_a_change_without_the_brief_it_was_made_on_is_refused(out: Path) -> None:
    c = client(out)
    aid = article_id(out, SEED_MEETING)
    sent = {"x-review-token": TOKEN, "content-type": "application/json"}
    body = {"version": 0, "reviewed": True}
    answer = c.post(f"/api/article/{aid}/reviewed", content=json.dumps(body), headers=sent)
    assert answer.status_code == 400 and "which brief you saw" in answer.json()["error"]


def test_a_damaged_review_file_is_shown_as_damaged_and_saving_on_it_is_a_clear_409(
    out: Path,
) -> None:
    aid = article_id(out, SEED_MEETING)
    c = client(out)
    assert post(c, aid, "reviewed", {"version": 0, "reviewed": True}).status_code == 200
    review = out / "reviews" / f"{aid}.json"
    review.write_text(review.read_text(encoding="utf-8")[:300], encoding="utf-8")  # cut short

    index = c.get("/").text
    row = index[index.index(f'data-id="{aid}"') :].split("</tr>")[0]
    assert "review file damaged" in row
    assert client(out).get("/?show=damaged").text.count('class="row ') == 1
    page = c.get(f"/article/{aid}").text
    assert f"The review file reviews/{aid}.json is damaged" in page
    answer = post(c, aid, "reviewed", {"version": 1, "reviewed": False})
    assert answer.status_code == 409
    assert f"reviews/{aid}.json is damaged" in answer.json()["error"]
    assert "move it aside" in answer.json()["error"]
    assert len(review.read_text(encoding="utf-8")) == 300  # left as it was


@pytest.mark.parametrize(
    "version", [-1, True, False, 1.5, "0", None, [0], {"n": 0}, 2**70, 5, 10**400]
)
def test_odd_versions_are_refused_with_a_4xx_never_a_500(out: Path, version: Any) -> None:
    aid = article_id(out, SEED_MEETING)
    c = client(out)  # raises on a server error, so a 500 fails here with its traceback
    sent = {"x-review-token": TOKEN, "content-type": "application/json"}
    body = json.dumps({"version": version, "base": base_of(c, aid), "reviewed": True})
    answer = c.post(f"/api/article/{aid}/reviewed", content=body, headers=sent)
    assert 400 <= answer.status_code < 500, answer.text
    assert "Traceback" not in answer.text
    assert not (out / "reviews" / f"{aid}.json").exists()


@pytest.mark.parametrize(
    "body",
    [
        "[1, 2]",
        '"text"',
        "{" * 5000 + "}" * 5000,
        '{"version": 0, "base": 5, "reviewed": true}',
        '{"version": 0, "base": "", "op": "delete", "path": 7}',
        '{"version": 0, "base": "", "op": "add", "path": "events[0].participants", '
        '"span": [1e300, 2], "value": {"name": "x"}}',
    ],
)
def test_odd_bodies_are_refused_with_a_4xx(out: Path, body: str) -> None:
    aid = article_id(out, SEED_MEETING)
    c = client(out)
    sent = {"x-review-token": TOKEN, "content-type": "application/json"}
    answer = c.post(f"/api/article/{aid}/change", content=body, headers=sent)
    assert 400 <= answer.status_code < 500, answer.text


def test_temp_files_of_a_killed_save_are_cleaned_and_never_read(out: Path) -> None:
    aid = article_id(out, SEED_MEETING)
    reviews = out / "reviews"
    reviews.mkdir()
    left = reviews / f".{aid}.json.k2j4h5.tmp"
    left.write_text('{"half": ', encoding="utf-8")
    folder = RunFolder.open(out)
    assert not left.exists()
    assert folder.entry(aid).damaged is None
    left.write_text('{"half": ', encoding="utf-8")
    c = TestClient(create_app_for(folder), base_url="http://127.0.0.1")
    assert post(c, aid, "reviewed", {"version": 0, "reviewed": True}).status_code == 200
    assert not left.exists()
    assert [p.name for p in reviews.iterdir() if not p.name.startswith(".lock")] == [f"{aid}.json"]


def create_app_for(folder: RunFolder) -> Any:
    from summarize.review.app import create_app

    return create_app(folder, "Ana", TOKEN)
