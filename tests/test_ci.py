"""CI tells the truth: `.ci/run` fails when the install fails, runs the README's test
command, names skipped tests, and fails on a browser test skipped in CI.

The script is run for real, in a copy of the repository's layout, with stand-ins for pip,
python and the linters on PATH that record how they were called: the install is what fails
here, not a network.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"
TOOLS = ("pip", "python", "ruff", "mypy", "lint-imports", "chromium", "apt-get")


def readme_test_command() -> list[str]:
    """The README's test command (the line that runs pytest), as its `&&`-joined commands."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [x for x in readme.splitlines() if "python -m pytest" in x and "pip install" in x]
    return [part.strip() for part in line.split("&&")]


def ci_copy(tmp_path: Path, failing: str | None = None) -> tuple[Path, Path]:
    """`.ci/run` in a folder of its own, with recording stand-ins for its tools; the tool
    named `failing` exits 1."""
    repo, bin_dir = tmp_path / "repo", tmp_path / "bin"
    (repo / ".ci").mkdir(parents=True)
    (repo / ".ci" / "run").write_text((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    for tool in TOOLS:
        stand_in = bin_dir / tool
        code = 1 if tool == failing else 0
        stand_in.write_text(
            f'#!/bin/sh\nprintf "%s|%s\\n" "CI=${{CI:-}}" "{tool} $*" >> "{log}"\nexit {code}\n'
        )
        stand_in.chmod(0o755)
    # The one real tool the script needs; PATH holds nothing else, so a chromium installed
    # on this machine is not found.
    (bin_dir / "dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    return repo, log


def run_ci(tmp_path: Path, failing: str | None = None) -> tuple[int, list[str]]:
    repo, log = ci_copy(tmp_path, failing)
    env = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    done = subprocess.run(
        [BASH, str(repo / ".ci" / "run")], env=env, capture_output=True, text=True, check=False
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, calls


def test_a_failed_install_fails_ci_and_runs_nothing_after_it(tmp_path: Path) -> None:
    code, calls = run_ci(tmp_path, failing="pip")
    assert code != 0
    assert [c.split("|")[1].split()[0] for c in calls] == ["pip"]


def test_ci_runs_the_readme_test_command_with_skip_reasons_and_ci_set(tmp_path: Path) -> None:
    install, tests = readme_test_command()
    assert "-rs" in shlex.split(tests)  # skip reasons are printed, here as in CI
    # The same commands, each a line of its own (so each failure stops the script).
    lines = [x.strip() for x in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert install in lines
    assert f"CI=true {tests}" in lines
    code, calls = run_ci(tmp_path)
    assert code == 0, calls
    ran = [c.split("|", 1) for c in calls]
    without_env = [
        " ".join(a for a in shlex.split(c) if not re.match(r"\w+=", a)) for c in (install, tests)
    ]
    assert [r[1] for r in ran[:2]] == without_env
    assert ran[1][0] == "CI=true"  # so a skipped browser test fails (tests/ci_honesty.py)


def test_a_failed_chromium_install_fails_ci(tmp_path: Path) -> None:
    repo, _ = ci_copy(tmp_path, failing="apt-get")
    (tmp_path / "bin" / "chromium").unlink()  # not installed: CI installs it
    env = {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path)}
    done = subprocess.run([BASH, str(repo / ".ci" / "run")], env=env, check=False)
    assert done.returncode != 0
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert [c.split("|")[1].split()[0] for c in calls] == ["apt-get"]  # it stopped there


BROWSER_TEST = """
import pytest

pytestmark = pytest.mark.browser

@pytest.mark.skipif(True, reason="Debian's chromium is not installed")
def test_needs_chromium():
    pass

def test_needs_playwright():
    pytest.importorskip("no_such_module_anywhere", reason="pip install playwright")
"""


@pytest.mark.parametrize(("ci", "failed"), [("true", True), ("", False)], ids=["ci", "developer"])
def test_a_browser_test_that_skips_fails_in_ci_only(tmp_path: Path, ci: str, failed: bool) -> None:
    (tmp_path / "test_browser_stub.py").write_text(BROWSER_TEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    browser: needs chromium\n")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT / "tests")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "ci_honesty", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = done.stdout.strip().splitlines()[-1]
    if failed:
        assert done.returncode == 1, done.stdout
        assert "a browser test was skipped in CI (CI=true), where it must run" in done.stdout
        assert "Debian's chromium is not installed" in done.stdout
        # The skipif one fails as it is set up (an error), the importorskip one as it runs.
        assert summary.startswith("1 failed, 1 error"), summary
    else:
        assert done.returncode == 0, done.stdout
        assert "2 skipped" in summary
        assert "SKIPPED" in done.stdout  # -rs: each skip with its reason
