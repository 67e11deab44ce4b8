"""Bad input in a real `summarize run`: each file gets a specific message or correct handling,
and none of them stops the run. Plus properties of ingestion, grounding and ids.

Ingestion of each kind on its own is tested in test_articles.py; here they meet the whole
run: the model, the manifest, errors.jsonl and the briefs.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ftfy
import pytest
from conftest import article_of, sentences_of
from hypothesis import given, settings
from hypothesis import strategies as st
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion
from typer.testing import CliRunner

from summarize.cli.app import app
from summarize.core.article import Article
from summarize.core.assemble import assemble_brief
from summarize.core.brief import Brief, Provenance
from summarize.core.extraction import Extraction
from summarize.core.grounding import article_text
from summarize.sources.read import iter_articles

pytestmark = pytest.mark.usefixtures("isolated")

GOOD = "Minister Anna Berg met envoy Karl Moos in Vienna on Monday to discuss grain exports.\n"
CYRILLIC = (
    "Москва, 12 марта.\r\n"
    "Министр иностранных дел России Сергей Лавров провёл телефонный разговор с госсекретарём.\r\n"
    "\r\n"
    "Стороны договорились продолжить контакты по Сирии «в ближайшее время».\r\n"
)
ACCENTED = (
    "Genève, le 3 mai.\n"
    "Le ministre des Affaires étrangères a reçu son homologue à l'hôtel de ville.\n\n"
    "Les deux délégations se reverront à Zürich en juin, a précisé le porte-parole.\n"
)
LATIN1 = "Lundi.\nLe ministre a rencontré l'envoyé à Genève pour parler des céréales.\n"
MENU_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>World News Daily</title>
<script>window.dataLayer = window.dataLayer || []; gtag('config', 'UA-000000-1');</script>
<script src="/static/app.bundle.js"></script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div id="app"></div>
<noscript>Please enable JavaScript to read this site.</noscript>
<script>document.getElementById('app').innerHTML = render(window.__STATE__);</script>
<footer><ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul></footer>
</body></html>
"""
DEFAULT_MAX_CHARS = 50_000
RUN = [sys.executable, "-c", "from summarize.cli.app import main; main()", "run"]


def last_line_answer(request: ReceivedRequest) -> Reply:
    """A model that cites the body's last sentence: offsets past line ends, multibyte text."""
    article_id, _ = article_of(request)
    last = max(sentences_of(request))
    return Reply.json(chat_completion(json.dumps(one_meeting(article_id, [last]))))


def one_meeting(article_id: str, cited: list[int]) -> dict[str, Any]:
    return {
        "source": {"outlet": None, "headline": None, "published": None},
        "events": [
            {
                "event_type": "meeting",
                "status": "held",
                "participants": [{"name": "A minister", "evidence": cited}],
                "initiator": {"party": None, "evidence": []},
                "topics": [],
                "outcomes": [],
                "summary": f"A meeting reported by {article_id}.",
            }
        ],
        "no_event_reason": None,
    }


def _drop_file_permission_override() -> None:
    # Root reads any file whatever its mode; without these two capabilities it cannot.
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for capability in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _permissions_apply() -> Callable[[], None] | None:
    """How to run a subprocess to which file permissions apply; None if there is no way."""
    if os.geteuid() != 0:
        return lambda: None
    probe = subprocess.run(
        [sys.executable, "-c", "pass"],
        preexec_fn=_drop_file_permission_override,
        check=False,
        capture_output=True,
    )
    return _drop_file_permission_override if probe.returncode == 0 else None


@dataclass
class BadRun:
    code: int
    stderr: str
    src: Path
    out: Path
    locked: bool  # whether a file the run may not read was in the folder
    asked: list[str]
    manifest: dict[str, Any]
    errors: dict[str, dict[str, Any]]

    def entry(self, name: str) -> dict[str, Any]:
        found: list[dict[str, Any]] = [
            a for a in self.manifest["articles"] if Path(a["file"]).name == name
        ]
        (entry,) = found
        return entry

    def brief(self, name: str) -> Brief:
        article_id = self.entry(name)["id"]
        return Brief.model_validate_json((self.out / "briefs" / f"{article_id}.json").read_bytes())


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BadRun]:
    """One real run (a subprocess) over a folder holding every kind of bad input."""
    tmp = tmp_path_factory.mktemp("bad_input")
    src, out = tmp / "src", tmp / "out"
    src.mkdir()
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "good_again.txt").write_text(GOOD, encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.md").write_text(" \n\t\n   \n", encoding="utf-8")
    (src / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    (src / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))  # not valid UTF-8
    as_user = _permissions_apply()
    if as_user is not None:
        (src / "locked.txt").write_text(GOOD.replace("grain", "oil"), encoding="utf-8")
        (src / "locked.txt").chmod(0)
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "back").symlink_to(src, target_is_directory=True)  # a folder loop
    (src / "menu.html").write_text(MENU_PAGE, encoding="utf-8")
    (src / "feed.jsonl").write_text(
        json.dumps({"title": "One", "text": GOOD.replace("Monday", "Tuesday")})
        + "\n{'text': 'single quotes are not JSON'}\n"
        + json.dumps({"title": "Three", "text": GOOD.replace("Monday", "Friday")})
        + "\n",
        encoding="utf-8",
    )
    (src / "huge.txt").write_text(("Talks went on. " * 4000) + "\n", encoding="utf-8")
    (src / "cyrillic.txt").write_bytes(b"\xef\xbb\xbf" + CYRILLIC.encode("utf-8"))
    (src / "accented.txt").write_text(ACCENTED, encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    asked: list[str] = []

    def model(request: ReceivedRequest) -> Reply:
        asked.append(article_of(request)[0])
        return last_line_answer(request)

    try:
        with ModelServer(responder=model) as server:
            done = subprocess.run(
                [*RUN, str(src), "--out", str(out), "--base-url", server.base_url, "--model", "m"],
                env=env,
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                preexec_fn=as_user,
            )
    finally:
        if as_user is not None:
            (src / "locked.txt").chmod(0o644)
    lines = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    errors: dict[str, dict[str, Any]] = {}
    for error in map(json.loads, lines):
        errors.setdefault(Path(error["file"]).name, error)
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    yield BadRun(
        done.returncode, done.stderr, src, out, as_user is not None, asked, manifest, errors
    )


def test_the_run_finishes_and_reports_some_failed(bad_run: BadRun) -> None:
    assert bad_run.code == 1, bad_run.stderr
    assert "Traceback" not in bad_run.stderr
    assert bad_run.manifest["interrupted"] is None


# What the user reads in errors.jsonl (and on stderr) for each bad file.
MESSAGES = {
    "empty.txt": ("ingest", ["is empty (or only whitespace)", "add the article text"]),
    "blank.md": ("ingest", ["is empty (or only whitespace)"]),
    "picture.txt": ("ingest", ["looks binary", "convert it to UTF-8 text"]),
    "locked.txt": ("ingest", ["cannot be read (Permission denied)", "check its permissions"]),
    "loop.txt": ("ingest", ["symbolic link"]),
    "menu.html": ("ingest", ["no article text", "only menus, scripts", "save the article as"]),
    "feed.jsonl": ("ingest", ["line 2 is not valid JSON", "fix that line", "other lines are read"]),
    "huge.txt": (
        "size",
        ["60,001 characters", f"limit of {DEFAULT_MAX_CHARS:,}", "--max-chars", "split"],
    ),
}


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_each_bad_file_gets_a_specific_message(name: str, bad_run: BadRun) -> None:
    if name == "locked.txt" and not bad_run.locked:
        pytest.skip("no way here to run with file permissions enforced")
    stage, phrases = MESSAGES[name]
    error = bad_run.errors[name]
    assert error["stage"] == stage
    assert name in error["file"]
    for phrase in phrases:
        assert phrase in error["cause"], error["cause"]


def test_the_summary_names_the_first_failures_and_counts_the_rest(bad_run: BadRun) -> None:
    shown = " ".join(bad_run.stderr.split())
    named = [e for e in bad_run.errors.values() if e["cause"] in shown]
    assert named, "the first failures are named with their cause"
    rest = len(bad_run.errors) - len(named)
    found = re.search(r"and (\d+) more failed", shown)
    assert (int(found.group(1)) if found else 0) == rest
    assert "every failure with its cause: " in shown and "errors.jsonl" in shown


def test_exactly_the_bad_files_failed(bad_run: BadRun) -> None:
    expected = {name for name in MESSAGES if bad_run.locked or name != "locked.txt"}
    assert set(bad_run.errors) == expected
    assert bad_run.manifest["counts"]["failed"] == len(expected)


def test_usable_articles_are_done_and_only_they_reach_the_model(bad_run: BadRun) -> None:
    articles = bad_run.manifest["articles"]
    done = sorted((Path(a["file"]).name, a["id"]) for a in articles if a["status"] == "done")
    assert [name for name, _ in done] == [
        "accented.txt",
        "cyrillic.txt",
        "feed.jsonl",
        "feed.jsonl",
        "good.txt",
        "latin1.txt",
    ]
    # Duplicates, the refused and the unreadable never cost a request.
    assert sorted(bad_run.asked) == sorted(article_id for _, article_id in done)
    # The folder loop was not followed: nothing was read twice.
    failed = bad_run.manifest["counts"]["failed"]
    assert len(bad_run.manifest["articles"]) == failed + len(done) + 1


def test_a_duplicate_under_another_name_is_skipped_with_a_note(bad_run: BadRun) -> None:
    entry = bad_run.entry("good_again.txt")
    assert entry["status"] == "skipped"
    assert entry["note"] == f"duplicate of {bad_run.src / 'good.txt'}"
    assert bad_run.entry("good.txt")["note"] is None
    shown = " ".join(bad_run.stderr.split())
    assert (
        f"skipped {bad_run.src / 'good_again.txt'}: duplicate of {bad_run.src / 'good.txt'}"
        in shown
    )
    assert not list((bad_run.out / "briefs").glob("good_again-*"))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # The article text as the convention defines it, worked out without summarize's code.
        ("cyrillic.txt", CYRILLIC.replace("\r\n", "\n")),
        ("accented.txt", ACCENTED),
        ("latin1.txt", LATIN1),
    ],
)
def test_non_english_evidence_offsets_index_the_article_text(
    name: str, text: str, bad_run: BadRun
) -> None:
    brief = bad_run.brief(name)
    (participant,) = brief.events[0].participants
    evidence = participant.evidence
    assert text[evidence.start : evidence.end] == evidence.quote
    assert text.rstrip("\n").endswith(evidence.quote)
    assert evidence.start > 0 and evidence.sentences
    assert [w for w in brief.warnings if w.kind == "dropped"] == []


def cli_args(src: Path, out: Path, server: ModelServer) -> list[str]:
    return ["run", str(src), "--out", str(out), "--base-url", server.base_url, "--model", "m"]


# -- over-long articles ---------------------------------------------------------------------------


def test_max_chars_refuses_above_and_accepts_at_the_limit(
    tmp_path: Path, server: ModelServer
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "long.txt").write_text(GOOD * 30, encoding="utf-8")
    (article,) = iter_articles(src / "long.txt")
    assert isinstance(article, Article)
    size = len(article.body)

    def run(limit: int, out: str) -> dict[str, Any]:
        result = CliRunner().invoke(
            app,
            [*cli_args(src, tmp_path / out, server), "--max-chars", str(limit)],
        )
        errors = (tmp_path / out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
        return {"code": result.exit_code, "errors": [json.loads(e) for e in errors]}

    refused = run(size - 1, "refused")
    assert refused["code"] == 1
    (error,) = refused["errors"]
    assert error["stage"] == "size"
    assert f"is {size:,} characters, over the limit of {size - 1:,}" in error["cause"]
    assert "--max-chars" in error["cause"]
    assert server.requests == []

    server.enqueue(last_line_answer_for(article))
    accepted = run(size, "accepted")
    assert accepted == {"code": 0, "errors": []}
    assert len(server.requests) == 1


def last_line_answer_for(article: Article) -> Reply:
    last = len(article_text(article).sentences)
    return Reply.json(chat_completion(json.dumps(one_meeting(article.id, [last]))))


def test_max_chars_must_be_positive(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "a.txt"), "--max-chars", "0"])
    assert result.exit_code == 2
    assert "max_chars" in result.stderr


# -- duplicates -----------------------------------------------------------------------------------


def test_duplicates_across_folders_and_records_are_sent_once(
    tmp_path: Path, server: ModelServer
) -> None:
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    (src / "a" / "story.txt").write_text(GOOD, encoding="utf-8")
    (src / "b" / "story.txt").write_text(GOOD, encoding="utf-8")  # same name and text: same id
    (src / "c.jsonl").write_text(
        json.dumps({"text": GOOD}) + "\n" + json.dumps({"text": "Another story, told well.\n"}),
        encoding="utf-8",
    )
    (src / "d.jsonl").write_text(
        json.dumps({"text": "Once more.\n"}) + "\n" + json.dumps({"text": "Once more.\n"}),
        encoding="utf-8",
    )
    items = [a for a in iter_articles(src) if isinstance(a, Article)]
    a_story, b_story, c_copy, c_new, d_once, d_again = items
    assert a_story.id == b_story.id
    with ModelServer(responder=last_line_answer) as model:
        result = CliRunner().invoke(
            app,
            cli_args(src, tmp_path / "out", model),
        )
        asked = sorted(article_of(r)[0] for r in model.requests)

    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    got = {(a["file"], a["id"]): (a["status"], a["note"]) for a in manifest["articles"]}
    first = f"duplicate of {a_story.path}"
    assert got == {
        (str(a.path), a.id): outcome
        for a, outcome in [
            (a_story, ("done", None)),
            (b_story, ("skipped", first)),
            (c_copy, ("skipped", first)),
            (c_new, ("done", None)),
            (d_once, ("done", None)),
            (d_again, ("skipped", f"duplicate of {d_once.id}")),
        ]
    }
    assert asked == sorted([a_story.id, c_new.id, d_once.id])


# -- properties -----------------------------------------------------------------------------------

# Text as people write it, in several scripts; no NUL (binary), no CR or BOM (made below).
TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff"),
        st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЖЯ éèêàçôüößñÉ«»“”—–\n\t"),
    ),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip() != "")

LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])


def ingest_bytes(data: bytes, name: str = "story.txt") -> Article:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(data)
        (item,) = iter_articles(Path(folder))
    assert isinstance(item, Article), item
    return item


@settings(max_examples=60, deadline=None)
@given(TEXTS, LINE_ENDS, st.booleans(), st.sampled_from(["utf-8", "utf-16"]))
def test_line_ends_bom_and_encoding_change_neither_text_nor_id(
    text: str, line_end: str, bom: bool, encoding: str
) -> None:
    written = text.replace("\n", line_end)
    data = written.encode(encoding)  # Python's utf-16 writes a BOM itself
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    article = ingest_bytes(data)
    plain = ingest_bytes(text.encode("utf-8"))
    # What looks like mojibake is repaired in both (see test_articles.py).
    assert article.text == plain.text == ftfy.fix_encoding(text)
    assert article.id == plain.id
    assert article.sha256 == plain.sha256


@settings(max_examples=60, deadline=None)
@given(TEXTS, LINE_ENDS, st.data())
def test_any_cited_sentence_is_the_article_texts_own_at_its_offsets(
    text: str, line_end: str, data: st.DataObject
) -> None:
    article = ingest_bytes(text.replace("\n", line_end).encode("utf-8"))
    count = len(article_text(article).sentences)
    assert count >= 1, "an article has text, so it has a sentence"
    cited = data.draw(st.lists(st.integers(1, count), min_size=1, max_size=3))
    answer = Extraction.model_validate(one_meeting(article.id, cited))
    provenance = Provenance(article_sha256=article.sha256)

    brief = assemble_brief(answer, article, provenance)

    assert [w for w in brief.warnings if w.kind == "dropped"] == []
    evidence = brief.events[0].participants[0].evidence
    assert evidence.sentences == sorted(set(cited))
    for span in evidence.spans():
        assert article.text[span.start : span.end] == span.quote
        assert span.end <= article.body_end


@settings(max_examples=40, deadline=None)
@given(TEXTS, st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True))
def test_ids_do_not_depend_on_the_folder_or_its_other_files(text: str, stem: str) -> None:
    data = text.encode("utf-8")
    alone = ingest_bytes(data, f"{stem}.txt")
    with tempfile.TemporaryDirectory() as folder:
        nested = Path(folder) / "deep" / "er"
        nested.mkdir(parents=True)
        (nested / f"{stem}.txt").write_bytes(data)
        (Path(folder) / "aaa.txt").write_text("Another article entirely.\n", encoding="utf-8")
        found = [a for a in iter_articles(Path(folder)) if isinstance(a, Article)]
    (same,) = [a for a in found if a.path.name == f"{stem}.txt"]
    assert same.id == alone.id
    assert same.id.startswith(stem.lower() + "-")


def test_decomposed_accents_are_grounded_like_composed_ones(tmp_path: Path) -> None:
    # Text pasted from PDFs or macOS often spells "é" as "e" + a combining accent (NFD);
    # models answer in composed form (NFC). Both are the same text to a reader.
    text = unicodedata.normalize("NFD", ACCENTED)
    (tmp_path / "nfd.txt").write_text(text, encoding="utf-8")
    (article,) = iter_articles(tmp_path / "nfd.txt")
    assert isinstance(article, Article)
    phrase = unicodedata.normalize("NFC", "a reçu son homologue à l'hôtel de ville")
    answer = Extraction.model_validate(one_meeting(article.id, [2]))

    brief = assemble_brief(answer, article, Provenance(article_sha256=article.sha256))

    evidence = brief.events[0].participants[0].evidence
    # The quote is the article's own (decomposed) text, exactly where it stands.
    assert article.text[evidence.start : evidence.end] == evidence.quote
    assert unicodedata.normalize("NFD", evidence.quote) == evidence.quote
    assert phrase in unicodedata.normalize("NFC", evidence.quote)
