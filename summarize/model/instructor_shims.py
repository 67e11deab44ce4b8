"""Speed-ups for instructor's per-call work, applied only to instructor versions tested here.

instructor rebuilds the same things on every call: it wraps the response model in a new class
(whose JSON schema is then built again) and walks the model tree for async validators five
times. For a replayed article that is most of its CPU. Both answers depend only on the class,
so they are computed once. Under an instructor version not listed in `TESTED_VERSIONS`
nothing is patched and models are passed as they are: slower, and still correct.

`install()` is called by the client; importing this module changes nothing.
"""

from __future__ import annotations

import functools
import json
import sys
import weakref
from importlib import metadata
from typing import Any, Final, TypeVar

import instructor
import pydantic

M = TypeVar("M", bound=pydantic.BaseModel)

# Major.minor versions whose internals the shims below were read against and tested with
# (tests/model/test_instructor_shims.py). Add one only after running those tests on it.
TESTED_VERSIONS: Final = frozenset({"1.17"})


_installed = False


@functools.cache
def instructor_version() -> str:
    """instructor's version as installed (major.minor.patch)."""
    return metadata.version("instructor")


def is_tested(version: str) -> bool:
    """Whether `version` is one the shims were tested with (compared on major.minor)."""
    return ".".join(version.split(".")[:2]) in TESTED_VERSIONS


def install(version: str | None = None) -> bool:
    """Apply the shims if instructor is a tested version; idempotent. Returns whether it is.

    `version` stands in for the installed version (for tests); it never undoes an install.
    """
    global _installed
    if not is_tested(version or instructor_version()):
        return False
    _check_each_class_once()
    _installed = True
    return True


def prepared(response_model: type[M]) -> type[M]:
    """`response_model` as instructor will use it, wrapped once with its JSON schema built once.

    Until `install()` has succeeded (an untested instructor) the model is returned unchanged,
    and instructor wraps it itself on every call.
    """
    return _wrapped_once(response_model) if _installed else response_model


@functools.cache
def _wrapped_once(response_model: type[M]) -> type[M]:
    # instructor 1.17 uses an already wrapped class (a ResponseSchema subclass) as it is
    # (instructor.v2.core.response_model.prepare_response_model), so the wrapping and the
    # schema (~2.5 ms for `Extraction`) are paid once per process.
    wrapped = instructor.response_schema(response_model)
    build = wrapped.model_json_schema
    schemas: dict[tuple[Any, ...], str] = {}

    def model_json_schema(cls: type[Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in schemas:
            schemas[key] = json.dumps(build.__func__(cls, *args, **kwargs))  # type: ignore[attr-defined]
        # A fresh copy, so that no caller's edit reaches the next request: parsed from JSON
        # (a JSON schema is JSON), ten times quicker than a deep copy of the dict.
        schema: dict[str, Any] = json.loads(schemas[key])
        return schema

    wrapped.model_json_schema = classmethod(model_json_schema)  # type: ignore[method-assign,assignment]
    return wrapped


def _check_each_class_once() -> None:
    """Make instructor check a response model for async validators once per class.

    instructor 1.17 walks the whole model tree for them five times per call (~1 ms for
    `Extraction`, a quarter of a replayed article's CPU). Classes that passed are remembered;
    one that fails still raises every time. Every loaded instructor module that imported the
    function under its own name (`instructor.v2.core.patch` does) gets the replacement too;
    the other call sites import it at call time, from its own module.
    """
    from instructor.v2.validation import async_validators

    check = async_validators.reject_async_validators
    if getattr(check, "passed", None) is not None:
        return  # already in place
    passed: weakref.WeakSet[type] = weakref.WeakSet()

    def reject_async_validators(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        check(response_model)
        if isinstance(response_model, type):
            passed.add(response_model)

    reject_async_validators.passed = passed  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "instructor" and (
            getattr(module, "reject_async_validators", None) is check
        ):
            module.reject_async_validators = reject_async_validators  # type: ignore[attr-defined]
