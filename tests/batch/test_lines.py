"""The batch file formats: request lines out, result lines back (`summarize.batch.lines`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from summarize.batch.lines import BATCH_URL, parse_result_line, request_line


def test_a_body_with_a_raw_newline_is_re_encoded_onto_one_line() -> None:
    line = request_line("a-1", b'{"model": "m",\n "messages": []}')
    assert line.count(b"\n") == 1
    assert json.loads(line) == {
        "custom_id": "a-1",
        "method": "POST",
        "url": BATCH_URL,
        "body": {"model": "m", "messages": []},
    }


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"custom_id": "a", "response": null, "error": {"message": "boom"}}', "boom"),
        ('{"custom_id": "a", "response": {"status_code": 500, "body": "x"}}', "500"),
        ('{"custom_id": "a"}', "neither response nor error"),
        ('{"response": {}}', "no custom_id"),
        ("[1]", "not a JSON object"),
    ],
)
def test_result_lines_that_carry_no_answer_say_why(line: str, error: str) -> None:
    parsed = parse_result_line(line)
    assert not parsed.ok
    assert parsed.error is not None and error in parsed.error


def test_reading_the_formats_loads_no_model_sdk() -> None:
    # A fresh interpreter: this test process has long imported openai through other tests.
    probe = (
        "import sys, summarize.batch.lines\n"
        "print(sorted({'openai', 'instructor', 'httpx2'} & sys.modules.keys()))"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert ran.stdout.strip() == "[]"
