"""A working folder for `summarize eval` end to end: seeds, goldens and a strict eval.toml in a
temporary folder, and a loopback model that answers each seed from its golden brief.

The loopback model's faithful answer scores 1.0; it honours one rule a prompt may add, "Leave
the participants list empty.", which is how a deliberately worse prompt produces worse briefs.
Recordings are made by the record mode into temporary folders, never written by hand.

For the matrix, `matrix_model` answers differently per model and per prompt (a test double,
never stored as a recording): TERSE_MODEL leaves out outcomes and follow-ups, and a prompt
without the evidence rules (tests/fixtures/prompts/no_evidence_rules.j2) gets evidence citing
sentences the article does not have, as a model told nothing about the numbering would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import extraction_of, read_article
from model_server import ModelServer, ReceivedRequest, Reply, chat_completion
from rich.console import Console

from summarize.core.brief import Brief
from summarize.evaluation.results import Report
from summarize.evaluation.run import EvalOptions, evaluate
from summarize.model.prompts import load_prompt
from summarize.settings import RecordingMode

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "fixtures" / "golden"
GOLDENS = {p.stem: Brief.model_validate_json(p.read_bytes()) for p in GOLDEN.glob("*.json")}
ARTICLES = {a.id: a for a in map(read_article, sorted(SEEDS.glob("*.txt")))}
WORSE_RULE = "- Leave the participants list empty."
MODEL = "loopback-model"
TERSE_MODEL = "loopback-terse"
NO_EVIDENCE_PROMPT = ROOT / "tests" / "fixtures" / "prompts" / "no_evidence_rules.j2"
# What the shipped prompt says of evidence, and the broken one leaves out.
EVIDENCE_RULE = "Every evidence field is a list of\n  the numbers of the sentences"

# Floors that a faithful answer meets and an answer without participants does not.
STRICT_CONFIG = """
[case]
threshold = 0.5
[baseline]
tolerance = 0.05
path = "baseline.json"
[fields]
participants = { weight = 2.0, floor = 0.8, required = true }
"""


def article_id_of(request: ReceivedRequest) -> str:
    found = re.search(r"^Article id: (\S+)$", request.json()["messages"][1]["content"], re.M)
    assert found, "not a summarize request"
    return found.group(1)


def golden_answer(article_id: str, participants: bool = True) -> Reply:
    answer = extraction_of(GOLDENS[article_id], ARTICLES[article_id], participants=participants)
    return Reply.json(chat_completion(json.dumps(answer), model=MODEL))


def golden_model(request: ReceivedRequest) -> Reply:
    """Answers each article from its golden brief; obeys the worse prompt's rule."""
    obey = WORSE_RULE not in request.json()["messages"][0]["content"]
    return golden_answer(article_id_of(request), participants=obey)


def _cite_nothing(answer: dict[str, Any]) -> None:
    """Every evidence list of `answer` cites a sentence number past the article's end."""
    for event in answer["events"]:
        for key in ("participants", "outcomes", "follow_ups"):
            for item in event[key]:
                item["evidence"] = [9999]
        if event["initiator"].get("evidence"):
            event["initiator"]["evidence"] = [9999]


def matrix_answer(request: ReceivedRequest) -> dict[str, Any]:
    """The test double's extraction for one request: by its model and its prompt."""
    body = request.json()
    article_id = article_id_of(request)
    system = body["messages"][0]["content"]
    answer = extraction_of(
        GOLDENS[article_id], ARTICLES[article_id], participants=WORSE_RULE not in system
    )
    if body["model"] == TERSE_MODEL:
        for event in answer["events"]:
            event["outcomes"], event["follow_ups"] = [], []
    if EVIDENCE_RULE not in system:
        _cite_nothing(answer)
    return answer


def matrix_model(request: ReceivedRequest) -> Reply:
    """Answers as `matrix_answer` says, naming the model it was asked for."""
    model = request.json()["model"]
    return Reply.json(chat_completion(json.dumps(matrix_answer(request)), model=model))


def golden_model_server() -> ModelServer:
    return ModelServer(responder=golden_model)


def prepare_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, with seeds, goldens and a strict eval config in it."""
    for name in list(os.environ):
        if name.startswith(("SUMMARIZE_", "OPENAI_")) or name == "CI":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(GOLDEN, tmp_path / "golden")
    (tmp_path / "eval.toml").write_text(STRICT_CONFIG, encoding="utf-8")
    return tmp_path


def worse_prompt(folder: Path) -> Path:
    source = load_prompt().source
    marked = source.replace("- The article is data", f"{WORSE_RULE}\n- The article is data")
    assert marked != source
    path = folder / "worse.j2"
    path.write_text(marked, encoding="utf-8")
    return path


def options(work: Path, **changes: Any) -> EvalOptions:
    base: dict[str, Any] = {
        "src": work / "seeds",
        "golden": work / "golden",
        "eval_config": work / "eval.toml",
        "recordings": work / "recordings",
    }
    return EvalOptions(**{**base, **changes})


def record(work: Path, server: ModelServer, **changes: Any) -> Report:
    """Record (or replay what is there) through the loopback model."""
    chosen = options(
        work, mode=RecordingMode.RECORD_MISSING, base_url=server.base_url, model=MODEL, **changes
    )
    return evaluate(chosen).report


def golden_file(work: Path, seed: str) -> Path:
    (path,) = (work / "golden").glob(f"{seed}_*.json")
    return path


def quiet() -> Console:
    return Console(file=open(os.devnull, "w"))


# Fixtures every eval test shares (registered by tests/conftest.py as a plugin): a loopback
# model that answers with the goldens (a test double, not a recording), and a workspace.
@pytest.fixture
def model() -> Iterator[ModelServer]:
    with golden_model_server() as server:
        yield server


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return prepare_work(tmp_path, monkeypatch)
