"""Shared fixtures for the model-facing tests: a seed article, a grounded answer for it, and a
loopback model that answers any article from that article's own text.

Nothing here is autouse: other test modules keep their own working directory and environment.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion

from summarize.core.article import Article
from summarize.core.brief import Brief, Evidence
from summarize.core.grounding import article_text
from summarize.core.restate import restate
from summarize.sources.read import iter_articles

pytest_plugins = ["eval_workspace", "ci_honesty"]  # eval fixtures; browser skips fail in CI

# Property tests assert behaviour, never speed: the first example of a test may load
# dateparser's locales or a language model of py3langid, which takes seconds on a busy machine.
settings.register_profile("summarize", deadline=None)
settings.load_profile("summarize")

ROOT = Path(__file__).resolve().parent.parent
SEED_001 = ROOT / "seeds" / "001_9e3b4aafea83a794.txt"

# Verbatim sentences of seed 001 (published "Updated: 2012-07-19", a Thursday).
CALL_QUOTE = (
    "Russian President Vladimir Putin and his US counterpart Barack Obama held a telephone "
    "conversation over the Syrian crisis on Wednesday"
)
INITIATOR_QUOTE = "the telephone conversation was initiated by the American side"
AGREED_QUOTE = (
    "The presidents of Russia and the United States agreed to maintain a close dialogue "
    "on this issue"
)
FOLLOW_UP_QUOTE = (
    "the UN Security Council decided to postpone its vote on a Western-proposed draft "
    "resolution concerning Syria to Thursday morning"
)

_ARTICLE_ID_LINE = re.compile(r"^Article id: (\S+)$", re.MULTILINE)
_ARTICLE_BODY = re.compile(r"<article>\n(.*?)\n</article>", re.DOTALL)
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


def read_article(path: Path) -> Article:
    (article,) = list(iter_articles(path))
    assert isinstance(article, Article)
    return article


def cite(article: Article, quote: str) -> list[int]:
    """The numbers of the sentences of `article` that `quote` (verbatim) overlaps."""
    start = article.text.index(quote)
    end = start + len(quote)
    return [s.number for s in article_text(article).sentences if s.start < end and start < s.end]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder with no SUMMARIZE_* or OPENAI_* settings from the outside."""
    for name in list(os.environ):
        if name.startswith(("SUMMARIZE_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def server() -> Iterator[ModelServer]:
    with ModelServer() as running:
        yield running


@pytest.fixture(scope="session")
def seed001() -> Article:
    return read_article(SEED_001)


def _seed001_answer() -> dict[str, Any]:
    seed = read_article(SEED_001)
    call, initiator = cite(seed, CALL_QUOTE), cite(seed, INITIATOR_QUOTE)
    agreed, follow_up = cite(seed, AGREED_QUOTE), cite(seed, FOLLOW_UP_QUOTE)
    return {
        "source": {"outlet": None, "headline": None, "published": None},
        "events": [
            {
                "event_type": "phone_call",
                "status": "held",
                "date_text": "on Wednesday",
                "location": None,
                "participants": [
                    {
                        "name": "Vladimir Putin",
                        "title": "President",
                        "affiliation": "Russia",
                        "evidence": call,
                    },
                    {
                        "name": "Barack Obama",
                        "title": "President",
                        "affiliation": "United States",
                        "evidence": call,
                    },
                ],
                "mentioned": [],
                "initiator": {"party": "United States", "evidence": initiator},
                "topics": ["Syria"],
                "outcomes": [
                    {
                        "kind": "agreed",
                        "statement": "Keep a close dialogue on Syria.",
                        "stated_by": "Kremlin",
                        "evidence": agreed,
                    }
                ],
                "follow_ups": [
                    {
                        "action": "UN Security Council vote on the Syria draft resolution",
                        "responsible": ["UN Security Council"],
                        "due": "Thursday morning",
                        "evidence": follow_up,
                    }
                ],
                "summary": "Putin and Obama discussed Syria by telephone.",
            }
        ],
        "no_event_reason": None,
    }


@pytest.fixture
def answer001() -> dict[str, Any]:
    """A fresh, fully grounded model answer for seed 001; tests edit their copy."""
    return copy.deepcopy(_seed001_answer())


def completion_for(answer: dict[str, Any] | str, *, tokens: tuple[int, int] = (10, 5)) -> Reply:
    """A JSON-schema-mode reply: the answer is the JSON text of the message content."""
    body = chat_completion(answer if isinstance(answer, str) else json.dumps(answer))
    prompt, completion = tokens
    body["usage"] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    return Reply.json(body)


@pytest.fixture
def reply_with() -> Callable[..., Reply]:
    """`reply_with(answer, tokens=(prompt, completion))` -> a chat completion Reply."""
    return completion_for


def article_of(request: ReceivedRequest) -> tuple[str, str]:
    """(article id, article body as numbered sentences) from a request made with the
    shipped prompt."""
    # messages[1] is the rendered user block; re-asks only append after it.
    user = request.json()["messages"][1]["content"]
    found_id = _ARTICLE_ID_LINE.search(user)
    found_body = _ARTICLE_BODY.search(user)
    assert found_id and found_body, f"not a summarize request: {user[:200]!r}"
    return found_id.group(1), found_body.group(1)


def sentences_of(request: ReceivedRequest) -> dict[int, str]:
    """The numbered sentences the request shows the model."""
    return {int(n): text for n, text in _NUMBERED.findall(article_of(request)[1])}


def grounded_answer_for(request: ReceivedRequest) -> Reply:
    """A model that always answers well: one meeting, evidenced by the first sentence, which
    its summary repeats (so that an answer carries the article's words, as real ones do)."""
    article_id, _ = article_of(request)
    first = sentences_of(request)[1]
    return completion_for(
        {
            "source": {"outlet": None, "headline": None, "published": None},
            "events": [
                {
                    "event_type": "meeting",
                    "status": "held",
                    "date_text": None,
                    "location": None,
                    "participants": [{"name": "Someone", "evidence": [1]}],
                    "initiator": {"party": None, "evidence": []},
                    "topics": [article_id],
                    "outcomes": [],
                    "summary": first[:400],
                }
            ],
            "no_event_reason": None,
        }
    )


@pytest.fixture
def article_of_request() -> Callable[[ReceivedRequest], tuple[str, str]]:
    """`(request) -> (article id, article body)` for requests made with the shipped prompt."""
    return article_of


@pytest.fixture
def grounded_reply() -> Callable[[ReceivedRequest], Reply]:
    """A responder that answers any article with a grounded one-event answer."""
    return grounded_answer_for


@pytest.fixture
def good_model() -> Iterator[ModelServer]:
    """A loopback model answering every article with a grounded one-event answer."""
    with ModelServer(responder=grounded_answer_for) as running:
        yield running


def write_articles(folder: Path, count: int) -> list[Path]:
    """`count` small distinct articles, each with a sentence a model can quote."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"article_{n:02d}.txt"
        path.write_text(
            f"Minister {n} met envoy {n} in Vienna on Monday to discuss grain corridor {n}.\n\n"
            f"Officials said talks number {n} would continue next month.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


@pytest.fixture
def make_articles() -> Callable[[Path, int], list[Path]]:
    return write_articles


def extraction_of(brief: Brief, article: Article, *, participants: bool = True) -> dict[str, Any]:
    """The model-facing answer that reproduces `brief` on `article` (its evidence cited by
    sentence number)."""
    answer = restate(brief, article_text(article)).model_dump(mode="json")
    if not participants:
        for event in answer["events"]:
            event["participants"] = []
    return answer


def evidences(brief: Brief) -> list[Evidence]:
    """Every evidence in a brief, in document order."""
    found: list[Evidence] = []
    for event in brief.events:
        found += [p.evidence for p in event.participants]
        if event.initiator.evidence is not None:
            found.append(event.initiator.evidence)
        found += [o.evidence for o in event.outcomes]
        found += [f.evidence for f in event.follow_ups]
    return found
