"""A pytest plugin: in CI (`CI=true`), a browser test that skips fails instead.

The browser tests skip, saying why, where Debian's chromium or Playwright is missing: right
on a developer's machine, wrong in CI, which installs both (`.ci/run`). A skip there means
the install failed, and CI must not pass on it.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None]:
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and in_ci() and item.get_closest_marker("browser")):
        return
    why = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"a browser test was skipped in CI (CI=true), where it must run: {why}"
