"""The instructor shims: in place only on a tested instructor, where instructor calls them,
and invisible in what goes over the wire."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import instructor
import pydantic
import pytest
from instructor.v2.validation import async_field_validator
from model_server import ModelServer, Reply, chat_completion
from test_client import TINY_BACKOFF, ReplyWith, extract, settings_for

from summarize.core.article import Article
from summarize.core.extraction import Extraction
from summarize.model import instructor_shims
from summarize.model.client import ModelClient, RequestTag
from summarize.model.instructor_shims import instructor_version, is_tested, prepared
from summarize.model.prompts import load_prompt

pytestmark = pytest.mark.usefixtures("isolated")

PROMPT = load_prompt()


def test_the_installed_instructor_is_a_version_the_shims_were_tested_with() -> None:
    # Not a failure of summarize if it fails: the shims are off (runs are slower). Run this
    # file on the new version, then add it to TESTED_VERSIONS.
    assert is_tested(instructor_version()), (
        f"instructor {instructor_version()} is not in TESTED_VERSIONS"
        f" {sorted(instructor_shims.TESTED_VERSIONS)}"
    )


def test_every_name_instructor_binds_the_check_to_is_replaced() -> None:
    # If instructor moves or renames reject_async_validators, install() fails here; if a
    # module of it imports the function under its own name, that name is found unpatched.
    assert instructor_shims.install()
    from instructor.v2.validation import async_validators

    shim = async_validators.reject_async_validators
    assert getattr(shim, "passed", None) is not None, "install() did not replace the check"
    holders = [
        name
        for name, module in list(sys.modules.items())
        if name.startswith("instructor") and hasattr(module, "reject_async_validators")
    ]
    assert "instructor.v2.core.patch" in holders
    unpatched = [name for name in holders if sys.modules[name].reject_async_validators is not shim]
    assert unpatched == []


class _Fresh(pydantic.BaseModel):
    """A model no other test asks for: only this test's call can have checked it."""

    answer: str


def test_instructor_calls_the_shim_on_a_real_request(server: ModelServer) -> None:
    server.enqueue(Reply.json(chat_completion('{"answer": "yes"}')))

    async def ask() -> Any:
        client = ModelClient(settings_for(server), backoff=TINY_BACKOFF)
        try:
            tag = RequestTag(key="a", content_sha256="0" * 64, prompt=PROMPT)
            return await client.structured(_Fresh, [{"role": "user", "content": "?"}], tag=tag)
        finally:
            await client.aclose()

    answer, _, attempts = asyncio.run(ask())
    assert (answer.answer, attempts) == ("yes", 1)
    from instructor.v2.validation import async_validators

    passed = async_validators.reject_async_validators.passed  # type: ignore[attr-defined]
    assert prepared(_Fresh) in passed


def test_an_untested_instructor_is_left_alone() -> None:
    code = """
from summarize.model import instructor_shims as shims
from summarize.core.extraction import Extraction
from instructor.v2.validation import async_validators
from instructor.v2.core import patch
assert shims.install("9.0.0") is False
assert not hasattr(async_validators.reject_async_validators, "passed")
assert patch.reject_async_validators is async_validators.reject_async_validators
assert shims.prepared(Extraction) is Extraction
assert shims.install() is True and shims.prepared(Extraction) is not Extraction
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_every_request_carries_the_schema_instructor_itself_would_build(
    server: ModelServer, seed001: Article, answer001: dict[str, Any], reply_with: ReplyWith
) -> None:
    # The schema is built once per process; a caller editing its copy must not reach a later
    # request, and the bytes must be what instructor builds from the plain model.
    instructor_shims.install()
    server.enqueue(reply_with(answer001), reply_with(answer001))
    expected = instructor.response_schema(Extraction).model_json_schema()
    prepared(Extraction).model_json_schema()["properties"].clear()
    extract(settings_for(server), seed001)
    extract(settings_for(server), seed001)

    first, second = (r.json()["response_format"]["json_schema"] for r in server.requests)
    assert first == second == {"name": "Extraction", "schema": expected}
    assert prepared(Extraction) is prepared(Extraction) is not Extraction


class _AsyncChecked(pydantic.BaseModel):
    name: str

    @async_field_validator("name")
    async def _check(self, value: str) -> str:
        return value


def test_a_model_with_async_validators_is_still_refused_on_every_call(
    server: ModelServer,
) -> None:
    # Classes that passed the check are remembered; one that fails must keep failing,
    # through the client instructor really builds.
    async def ask() -> None:
        client = ModelClient(settings_for(server), backoff=TINY_BACKOFF)
        try:
            tag = RequestTag(key="a", content_sha256="0" * 64, prompt=PROMPT)
            await client.structured(_AsyncChecked, [{"role": "user", "content": "hi"}], tag=tag)
        finally:
            await client.aclose()

    for _ in range(2):
        with pytest.raises(ValueError, match="async validators are not supported"):
            asyncio.run(ask())
    assert server.requests == []
    from instructor.v2.validation import async_validators

    passed = async_validators.reject_async_validators.passed  # type: ignore[attr-defined]
    assert _AsyncChecked not in passed
    assert prepared(_AsyncChecked) not in passed
