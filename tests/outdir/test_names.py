"""The output folder's file names are spelled in `summarize/outdir/` only: every other module
asks it for a path, so that no second spelling can drift."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

from summarize.outdir import paths

NAMES = {
    paths.BRIEFS,
    paths.RUN_JSON,
    paths.ERRORS_JSONL,
    paths.PAGES,
    paths.LEDGER,
    paths.REVIEWS,
    paths.LOCK,
}
PACKAGE = ROOT / "summarize"


def literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module that are a folder file name, or start a path with one
    (`"briefs/x.json"`), with their line numbers."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            if value in NAMES or any(value.startswith(f"{n}/") for n in NAMES):
                found.append((node.lineno, value))
    return sorted(found)


def test_the_folder_names_are_literals_only_under_outdir() -> None:
    outside = {
        f"{path.relative_to(ROOT)}:{line}: {value!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if PACKAGE / "outdir" not in path.parents
        for line, value in literals(path)
    }
    assert outside == set()


def test_the_check_sees_a_name_spelled_outside(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('path = root / "run.json"\nother = "briefs/a.json"\nfine = "a run"\n')
    assert literals(module) == [(1, "run.json"), (2, "briefs/a.json")]
    # and the names are spelled in outdir, where they belong
    assert {v for _, v in literals(PACKAGE / "outdir" / "paths.py")} == NAMES
