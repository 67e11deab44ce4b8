"""The error tree drawn in `summarize/core/errors.py` is the tree the classes form: every
error summarize raises on purpose is in the drawing, under its real parent."""

from __future__ import annotations

import importlib
import pkgutil
import re

import summarize
from summarize.core import errors
from summarize.core.errors import ArticleError, SummarizeError

_NODE = re.compile(r"^(?P<indent>[ │]*)(?:[├└]── )?(?P<name>[A-Z]\w+)")


def drawn() -> dict[str, str | None]:
    """Each class in the module docstring's drawing, with the class drawn above it."""
    doc = errors.__doc__ or ""
    lines = doc[doc.index("    SummarizeError") :].splitlines()
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in lines:
        match = _NODE.match(line)
        if match is None:
            break
        depth = match.start("name")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match["name"]] = stack[-1][1] if stack else None
        stack.append((depth, match["name"]))
    return parents


def defined() -> dict[str, str | None]:
    """Every public SummarizeError subclass in the package, with its parent."""
    for module in pkgutil.walk_packages(summarize.__path__, "summarize."):
        importlib.import_module(module.name)
    found: dict[str, str | None] = {"SummarizeError": None}
    todo = [SummarizeError]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("summarize.") and not sub.__name__.startswith("_"):
                found[sub.__name__] = sub.__mro__[1].__name__
    return found


def test_the_drawing_is_the_tree_the_classes_form() -> None:
    assert drawn() == defined()


def test_the_drawing_is_read_as_a_tree() -> None:
    parents = drawn()
    assert parents["SummarizeError"] is None
    assert parents["FatalModelError"] == "ModelError"
    assert parents["ModelError"] == "ArticleError"
    assert parents["BatchNotReadyError"] == "BatchError"


def test_per_article_failures_have_one_base_and_a_stage() -> None:
    from summarize.batch.answers import AnswerError
    from summarize.core.finish import LeakedInstructions
    from summarize.core.results import Stage
    from summarize.model.client import FatalModelError, ModelError
    from summarize.sources.parsed import Unusable

    for error in (
        Unusable("is empty"),
        ModelError(Stage.TRANSPORT, "timed out"),
        AnswerError(Stage.BATCH, "refused"),
        LeakedInstructions("events[0].summary"),
    ):
        assert isinstance(error, ArticleError) and isinstance(error.stage, Stage)
    # What stops a run is a SummarizeError too: the CLI's one handler reports it.
    assert issubclass(FatalModelError, SummarizeError)
