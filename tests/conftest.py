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
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion

from summarize.core.article import Article
from summarize.core.brief import Brief
from summarize.sources.read import iter_articles

pytest_plugins = ["eval_workspace"]  # the eval tests' shared fixtures

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
    (article,) = list(iter_articles(SEED_001))
    assert isinstance(article, Article)
    return article


def _seed001_answer() -> dict[str, Any]:
    return {
        "source": {"outlet": None, "headline": None, "published": None},
        "events": [
            {
                "event_type": "phone_call",
                "date_text": "on Wednesday",
                "location": None,
                "participants": [
                    {
                        "name": "Vladimir Putin",
                        "title": "President",
                        "affiliation": "Russia",
                        "evidence": CALL_QUOTE,
                    },
                    {
                        "name": "Barack Obama",
                        "title": "President",
                        "affiliation": "United States",
                        "evidence": CALL_QUOTE,
                    },
                ],
                "mentioned": [],
                "initiator": {"party": "United States", "evidence": INITIATOR_QUOTE},
                "topics": ["Syria"],
                "outcomes": [
                    {
                        "kind": "agreed",
                        "statement": "Keep a close dialogue on Syria.",
                        "stated_by": "Kremlin",
                        "evidence": AGREED_QUOTE,
                    }
                ],
                "follow_ups": [
                    {
                        "action": "UN Security Council vote on the Syria draft resolution",
                        "responsible": ["UN Security Council"],
                        "due": "Thursday morning",
                        "evidence": FOLLOW_UP_QUOTE,
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
    """(article id, article body) from a request rendered by the shipped prompt."""
    # messages[1] is the rendered user block; re-asks only append after it.
    user = request.json()["messages"][1]["content"]
    found_id = _ARTICLE_ID_LINE.search(user)
    found_body = _ARTICLE_BODY.search(user)
    assert found_id and found_body, f"not a summarize request: {user[:200]!r}"
    return found_id.group(1), found_body.group(1)


def grounded_answer_for(request: ReceivedRequest) -> Reply:
    """A model that always answers well: one meeting, evidenced by the body's first line."""
    article_id, body = article_of(request)
    first_line = next(line.strip() for line in body.splitlines() if line.strip())
    return completion_for(
        {
            "source": {"outlet": None, "headline": None, "published": None},
            "events": [
                {
                    "event_type": "meeting",
                    "date_text": None,
                    "location": None,
                    "participants": [{"name": "Someone", "evidence": first_line}],
                    "initiator": {"party": None, "evidence": None},
                    "topics": [article_id],
                    "outcomes": [],
                    "summary": f"A meeting reported by {article_id}.",
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


def extraction_of(brief: Brief, *, participants: bool = True) -> dict[str, Any]:
    """The model-facing answer that reproduces `brief` (quotes are its evidence quotes)."""
    return {
        "source": {
            "outlet": brief.source.outlet,
            "headline": brief.source.headline,
            "published": brief.source.published_text,
        },
        "events": [
            {
                "event_type": e.event_type.value,
                "date_text": e.date_text,
                "location": e.location,
                "participants": [
                    {
                        "name": p.name,
                        "title": p.title,
                        "affiliation": p.affiliation,
                        "evidence": p.evidence.quote,
                    }
                    for p in e.participants
                ]
                if participants
                else [],
                "mentioned": [m.model_dump() for m in e.mentioned],
                "initiator": {
                    "party": e.initiator.party,
                    "evidence": e.initiator.evidence.quote if e.initiator.evidence else None,
                },
                "topics": e.topics,
                "outcomes": [
                    {
                        "kind": o.kind.value,
                        "statement": o.statement,
                        "stated_by": o.stated_by,
                        "evidence": o.evidence.quote,
                    }
                    for o in e.outcomes
                ],
                "follow_ups": [
                    {
                        "action": f.action,
                        "responsible": f.responsible,
                        "due": f.due_text,
                        "evidence": f.evidence.quote,
                    }
                    for f in e.follow_ups
                ],
                "summary": e.summary,
            }
            for e in brief.events
        ],
        "no_event_reason": brief.no_event_reason,
    }
