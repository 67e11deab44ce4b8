"""Endpoint troubles a user meets, each reproduced by a real `summarize run` process against a
loopback server (or nothing at all), with what the user must get instead of a wrong answer,
a leak or a long silent wait. See docs/RELIABILITY.md, "The model endpoint, honestly".
"""

from __future__ import annotations

import base64
import email.utils
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import grounded_answer_for
from model_server import ModelServer, ReceivedRequest, Reply

pytestmark = pytest.mark.usefixtures("isolated")

RUN = (sys.executable, "-c", "from summarize.cli.app import main; main()", "run")
# Words that placeholder keys are made of, in the article, so the model repeats them.
PLAIN_WORDS = (
    "Max Fox of Luxembourg met the envoy on Monday; both called the null and EMPTY "
    "talk of sanctions a distraction.\n"
)
LONG_KEY = "sk-test-LONG-2f9e8d7c6b5a49382716"


def _env(env: dict[str, str] | None) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZE_", "OPENAI_"))}
    return {**clean, **(env or {})}


def summarize_runs(
    *runs: tuple[tuple[str | Path, ...], dict[str, str]], timeout: float = 120
) -> list[subprocess.CompletedProcess[str]]:
    """`summarize run ARGS` for each (ARGS, environment), as processes running side by side;
    only the OPENAI_/SUMMARIZE_ variables given reach them."""
    started: list[tuple[tuple[str | Path, ...], subprocess.Popen[str]]] = []
    try:
        for args, env in runs:
            process = subprocess.Popen(
                [*RUN, *map(str, args)],
                env=_env(env),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            started.append((args, process))
        done = []
        for args, process in started:
            stdout, stderr = process.communicate(timeout=timeout)
            done.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
        return done
    finally:
        for _, process in started:
            if process.poll() is None:  # only after a failure above: no run outlives its test
                process.kill()
                process.communicate()


def summarize_run(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`summarize run ARGS` as its own process."""
    (done,) = summarize_runs((args, env or {}), timeout=timeout)
    return done


def briefs_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "briefs").glob("*.json"))}


# -- 1. the key scrub rewrote model output ---------------------------------------------------------


KEYS = ("x", "null", "EMPTY", LONG_KEY)


def test_a_placeholder_key_leaves_the_models_answer_alone(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "talks.txt").write_text(PLAIN_WORDS, encoding="utf-8")
    envs = {"no key": {}, **{key: {"OPENAI_API_KEY": key} for key in KEYS}}
    with ModelServer(responder=grounded_answer_for) as server:
        common = ("--base-url", server.base_url, "--model", "m")
        outs = [tmp_path / str(n) for n in range(len(envs))]
        pairs = zip(outs, envs.values(), strict=True)
        runs = summarize_runs(*(((src, "--out", out, *common), env) for out, env in pairs))
        sent = {r.headers.get("authorization") for r in server.requests}
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert sent == {"Bearer not-set", *(f"Bearer {key}" for key in KEYS)}

    baseline, *with_keys = (briefs_of(out) for out in outs)
    assert all(briefs == baseline for briefs in with_keys)
    (brief,) = (json.loads(b) for b in baseline.values())
    # The answer holds the words the keys are spelled with, in field names ("date_text"),
    # values and JSON nulls; none was touched.
    event = brief["events"][0]
    assert event["participants"][0]["evidence"]["quote"] == PLAIN_WORDS.strip()
    assert event["summary"] == PLAIN_WORDS.strip()
    assert "date_text" in event
    # What is stored is the answer as it came, too.
    for out in outs:
        with sqlite3.connect(out / "ledger.sqlite") as db:
            (response,) = db.execute("SELECT response FROM exchanges").fetchone()
        assert "***" not in response and "null and EMPTY" in response


# -- 2. --timeout bounded each read, not the attempt -----------------------------------------------


def test_an_answer_dripping_a_byte_at_a_time_is_cut_at_the_timeout(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "talks.txt").write_text(PLAIN_WORDS, encoding="utf-8")

    def drip(request: ReceivedRequest) -> Reply:
        # Every byte comes well within the timeout, the whole answer never does (minutes).
        return grounded_answer_for(request).dripping(0.2)

    with ModelServer(responder=drip) as server:
        done = summarize_run(
            src,
            *("--out", tmp_path / "out", "--base-url", server.base_url, "--model", "m"),
            *("--timeout", "1"),
            env={"SUMMARIZE_TRANSPORT_RETRIES": "1"},
            timeout=60,
        )
        assert len(server.requests) == 2  # the attempt, and one retry

    assert done.returncode == 1, done.stderr
    (error,) = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").open()]
    assert error["stage"] == "transport"
    assert "timed out after 2 attempts of 1s" in error["cause"]
    assert "--timeout" in error["cause"]


# -- 3. a password in --base-url -------------------------------------------------------------------


def test_a_password_in_the_base_url_is_used_but_never_shown(tmp_path: Path) -> None:
    password = "pw-in-the-URL-8c1d"
    basic = base64.b64encode(f"alice:{password}".encode()).decode()
    src = tmp_path / "src"
    src.mkdir()
    # Taken in file order (one at a time): one answered, one refused, then a 401 stops the run.
    for name, text in (("a_fine", PLAIN_WORDS), ("b_refused", "Envoys met.\n"), ("c", "Talks.\n")):
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    script = iter([None, 400, 401])

    def answer(request: ReceivedRequest) -> Reply:
        status = next(script)
        if status is None:
            return grounded_answer_for(request)
        sent = request.headers.get("authorization", "")
        return Reply.json({"error": {"message": f"you sent Authorization: {sent}"}}, status)

    with ModelServer(responder=answer) as server:
        url = server.base_url.replace("http://", f"http://alice:{password}@")
        done = summarize_run(
            *(src, "--out", tmp_path / "out", "--base-url", url, "--model", "m"),
            *("--concurrency", "1", "--max-reasks", "0"),
            env={"OPENAI_API_KEY": LONG_KEY, "OPENAI_LOG": "debug"},
        )
        sent = {r.headers["authorization"] for r in server.requests}

    assert sent == {f"Basic {basic}"}  # the URL's credentials were used, in place of the key
    assert done.returncode == 2, done.stderr
    # The 401 blames what was sent, not a key that was not.
    assert "user name and password in --base-url" in done.stderr
    assert "OPENAI_API_KEY" not in done.stderr
    assert "DEBUG" in done.stderr  # the libraries' logs were on
    manifest = json.loads((tmp_path / "out" / "run.json").read_text())
    assert manifest["base_url"] == url.replace(password, "***")
    errors = (tmp_path / "out" / "errors.jsonl").read_text()
    assert "you sent Authorization: Basic ***" in errors
    for secret in (password, basic):
        assert secret not in done.stdout + done.stderr
        for path in (tmp_path / "out").rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


# -- 4. Retry-After as an HTTP date, and an answer from another model ------------------------------


def test_a_retry_after_date_an_hour_ahead_is_not_slept_through(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "talks.txt").write_text(PLAIN_WORDS, encoding="utf-8")
    hour_ahead = email.utils.formatdate(time.time() + 3600, usegmt=True)
    quota = Reply.json({"error": {"message": "quota"}}, 429, {"retry-after": hour_ahead})
    with ModelServer(responder=grounded_answer_for) as server:
        server.enqueue(quota)
        done = summarize_run(
            *(src, "--out", tmp_path / "out", "--base-url", server.base_url, "--model", "m")
        )
        requests = len(server.requests)

    # Read as the hour it is: beyond what is worth waiting for, so not retried.
    assert (done.returncode, requests) == (1, 1), done.stderr
    (error,) = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").open()]
    assert error["stage"] == "transport"
    cause = error["cause"]
    wait = re.search(r"rate limited by the endpoint \(429\); it asks to wait (\d+)s", cause)
    assert wait is not None and 3590 <= int(wait.group(1)) <= 3610, cause


def test_an_answer_from_another_model_is_warned_about_once(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for n in range(2):
        (src / f"talks_{n}.txt").write_text(f"Envoy {n} met the minister.\n", encoding="utf-8")

    def substitute(request: ReceivedRequest) -> Reply:
        body = json.loads(grounded_answer_for(request).body)
        return Reply.json({**body, "model": "small-fallback-model"})

    with ModelServer(responder=substitute) as server:
        done = summarize_run(
            src, "--out", tmp_path / "out", "--base-url", server.base_url, "--model", "big-model"
        )

    assert done.returncode == 0, done.stderr
    warning = "model 'big-model' was asked for, but 'small-fallback-model' answered"
    assert done.stderr.count(warning) == 1, done.stderr
    with sqlite3.connect(tmp_path / "out" / "ledger.sqlite") as db:
        answered = {json.loads(r)["model"] for (r,) in db.execute("SELECT response FROM exchanges")}
    assert answered == {"small-fallback-model"}


# -- 5. nothing listening at --base-url ------------------------------------------------------------


def test_nothing_listening_stops_the_run_with_one_message(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for n in range(6):
        (src / f"talks_{n}.txt").write_text(f"Envoy {n} met the minister.\n", encoding="utf-8")
    closed = ModelServer().start()
    closed.stop()  # connections to its port are refused from now on

    done = summarize_run(
        *(src, "--out", tmp_path / "out", "--base-url", closed.base_url, "--model", "m"),
        timeout=60,
    )

    assert done.returncode == 2, done.stderr
    message = f"nothing is listening at {closed.base_url} (connection refused)"
    assert message in done.stderr
    assert "attempts" not in done.stderr  # not retried
    manifest = json.loads((tmp_path / "out" / "run.json").read_text())
    assert message in manifest["interrupted"]
    # Only the articles in flight at the first refusal were tried; the rest were not begun.
    assert 1 <= manifest["counts"]["failed"] <= 4
    assert manifest["counts"]["done"] == 0


# -- 6. a URL that is not an OpenAI-compatible API -------------------------------------------------


def test_a_web_page_at_the_base_url_stops_the_run_saying_it_is_not_an_openai_api(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for n in range(3):
        (src / f"talks_{n}.txt").write_text(f"Envoy {n} met the minister.\n", encoding="utf-8")
    page = Reply.text("<html><h1>Welcome to nginx!</h1></html>", content_type="text/html")
    with ModelServer(responder=lambda _: page) as server:
        # The site's root, not its /v1: a classic slip.
        done = summarize_run(
            *(src, "--out", tmp_path / "out", "--base-url", server.root_url, "--model", "m"),
            *("--concurrency", "1"),
        )
        requests = len(server.requests)

    assert done.returncode == 2, done.stderr
    assert requests == 1  # neither re-asked nor retried, and no other article tried
    assert (
        f"{server.root_url}/chat/completions answered 200 with text/html, not a chat completion: "
        "it is not an OpenAI-compatible API; check --base-url (it usually ends in /v1)"
    ) in " ".join(done.stderr.split())
    assert "stronger model" not in done.stderr


# -- 7. api.openai.com without a key ---------------------------------------------------------------


def test_openai_without_a_key_is_refused_before_anything_is_sent_or_written(
    tmp_path: Path,
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "talks.txt").write_text(PLAIN_WORDS, encoding="utf-8")

    done = summarize_run(
        *(src, "--out", tmp_path / "out", "--base-url", "https://api.openai.com/v1"),
        *("--model", "gpt-4o-mini"),
    )

    assert done.returncode == 2, done.stderr
    assert "https://api.openai.com/v1 needs an API key: set OPENAI_API_KEY" in done.stderr
    assert not (tmp_path / "out").exists()  # not even a ledger run left "running"


# -- 8. --replay away from the repository, or of one's own articles --------------------------------

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "fixtures" / "recordings"


def test_replay_away_from_the_repository_says_where_the_recordings_are(tmp_path: Path) -> None:
    # The working folder is tmp_path (no fixtures/ here); the seeds are given by full path.
    out = tmp_path / "out"
    lost, found = summarize_runs(
        ((ROOT / "seeds", "--replay", "--out", tmp_path / "lost"), {}),
        ((ROOT / "seeds", "--replay", "--out", out, "--recordings", SHIPPED), {}),
    )

    assert lost.returncode == 2, lost.stderr
    said = " ".join(lost.stderr.split())
    assert f"looked in {tmp_path / 'fixtures' / 'recordings'} (no such folder)" in said
    assert "answer only its seed articles (seeds/)" in said
    assert f"pass --recordings {SHIPPED}" in said
    assert "--record-missing --base-url URL --model MODEL" in said
    # Doing what it says works.
    assert found.returncode == 0, found.stderr
    assert len(list((out / "briefs").glob("*.json"))) == 5


def test_replay_of_ones_own_articles_explains_once_how_to_record_them(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for n in range(3):
        (src / f"own_{n}.txt").write_text(f"Envoy {n} met the minister.\n", encoding="utf-8")

    done = summarize_run(src, "--replay", "--out", tmp_path / "out", "--recordings", SHIPPED)

    assert done.returncode == 1, done.stderr
    said = " ".join(done.stderr.split())
    assert said.count("--replay found no recording for some articles") == 1
    assert said.count("--record-missing") == 1
    # One group for the one cause, naming each article once.
    assert "replay, 3 articles, such as" in said
    assert said.count("no recording for article own_") == 1
    for n in range(3):
        assert said.count(str(src / f"own_{n}.txt")) == 1
