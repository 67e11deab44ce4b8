"""OUT/reviews: reviews saved whole, a change on an old version refused, ids kept inside."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from memo_briefs import simple_event_brief

from summarize.core.brief import EventType
from summarize.core.corrections import Correction
from summarize.core.review import (
    REVIEW_FORMAT,
    Review,
    ReviewState,
    corrected,
    marked,
    model_remade,
    review_state,
    start_review,
)
from summarize.outdir.reviews import ReviewError, ReviewStore, VersionConflict, standing
from summarize.outdir.versions import NewerFormatError

AT = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
TEXT = "Putin and Obama held a phone call about Syria, officials said.\n"


def new_review() -> Review:
    brief = simple_event_brief("call", EventType.PHONE_CALL, None, ["Putin", "Obama"], ["Syria"])
    return start_review(brief, "a" * 64, "articles/call.txt", "ana", AT)


def rename(review: Review | None) -> Review:
    assert review is not None
    fix = Correction(
        op="set", path="events[0].participants[0].name", value="V. Putin", by="ana", at=AT
    )
    return corrected(review, fix, TEXT)


def test_a_review_is_saved_and_read_back_whole(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    first = store.update(new_review().article_id, 0, lambda _: new_review())
    assert first.version == 1
    second = store.update(first.article_id, 1, rename)
    assert second.version == 2
    loaded = store.load(first.article_id)
    assert loaded == second
    assert loaded.brief.events[0].participants[0].name == "V. Putin"
    assert [c.path for c in loaded.corrections] == ["events[0].participants[0].name"]
    assert list(store.all()) == [first.article_id]
    assert not list((tmp_path / "reviews").glob(".*.tmp"))


def test_a_change_made_on_an_older_version_is_refused_and_nothing_is_lost(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    aid = new_review().article_id
    store.update(aid, 0, lambda _: new_review())
    store.update(aid, 1, rename)  # another tab saved first
    with pytest.raises(VersionConflict, match="changed by ana") as caught:
        store.update(aid, 1, lambda r: marked(r or new_review(), True, "bo", AT))
    assert caught.value.current.version == 2
    kept = store.load(aid)
    assert kept is not None and kept.version == 2 and not kept.reviewed
    with pytest.raises(VersionConflict):
        store.update(aid, 0, lambda _: new_review())


@pytest.mark.parametrize("bad", ["../run", "..", ".", "a/b", "x\x00y", "A-UPPER", "", "a" * 201])
def test_ids_cannot_name_a_file_outside_the_reviews_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ReviewError, match="not an article id"):
        ReviewStore(tmp_path).path(bad)


def test_a_file_that_is_not_a_review_is_an_error_when_asked_for_and_skipped_in_the_list(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "reviews"
    folder.mkdir()
    (folder / "broken-12345678.json").write_text("{}", encoding="utf-8")
    store = ReviewStore(tmp_path)
    with pytest.raises(ReviewError, match="not a review file"):
        store.load("broken-12345678")
    assert store.all() == {}


def test_states_reviewed_is_explicit_and_a_later_change_withdraws_it() -> None:
    review = new_review()
    assert review_state(None, None) is ReviewState.NONE
    assert review_state(review, None) is ReviewState.NONE  # nothing changed, nothing marked
    edited = rename(review)
    assert review_state(edited, None) is ReviewState.EDITED
    done = marked(edited, True, "bo", AT)
    assert review_state(done, None) is ReviewState.REVIEWED
    assert done.reviewed_by == "bo"
    assert review_state(rename(done), None) is ReviewState.EDITED
    assert review_state(done, "b" * 64) is ReviewState.STALE
    assert model_remade(done, "c" * 64) and not model_remade(done, "a" * 64)


def test_ids_of_odd_file_names_are_still_ids(tmp_path: Path) -> None:
    store = ReviewStore(tmp_path)
    for aid in (".hidden-0123abcd", "a..b-0123abcd", "-dash-0123abcd"):
        assert store.path(aid).parent == tmp_path / "reviews"


def test_a_review_from_a_newer_summarize_is_refused_and_an_older_one_read(
    tmp_path: Path,
) -> None:
    store = ReviewStore(tmp_path)
    saved = store.update(new_review().article_id, 0, lambda _: new_review())
    path = store.path(saved.article_id)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["format"]  # older: written before reviews were numbered
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = store.load(saved.article_id)
    assert loaded is not None and loaded.model_dump() == saved.model_dump()
    data.update(format=REVIEW_FORMAT + 1, a_field_from_the_future=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NewerFormatError, match=f"review version {REVIEW_FORMAT + 1}"):
        store.load(saved.article_id)


def test_the_review_stands_only_on_the_text_it_was_made_on_and_when_it_says_something() -> None:
    review = new_review()
    model = review.model_brief
    # Nothing changed or checked: the model's brief stands.
    assert standing(review, model) == (model, False)
    assert standing(None, model) == (model, False)
    edited = rename(review)
    assert standing(edited, model) == (edited.brief, False)
    checked = marked(review, True, "ana", AT)
    assert standing(checked, model) == (checked.brief, True)
    # The article's text changed since: the model's brief of the text now stands.
    now = model.model_copy(
        update={"provenance": model.provenance.model_copy(update={"article_sha256": "f" * 64})}
    )
    assert standing(checked, now) == (now, False)
    assert standing(edited, now) == (now, False)
