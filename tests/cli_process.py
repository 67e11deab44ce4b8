"""summarize as a real process, its stderr on a pipe or on a pseudo-terminal (80 columns),
for the tests of what people see (help, errors, progress, tables)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass
from pathlib import Path

import pytest

COMMAND = [sys.executable, "-c", "from summarize.cli.app import main; main()"]
TIMEOUT = 180


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str

    @property
    def both(self) -> str:
        return self.stdout + self.stderr


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without summarize's settings or terminal hints from the outside."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUMMARIZE_", "OPENAI_")) and k not in ("NO_COLOR", "TERM", "COLUMNS")
    }
    return {**env, "OPENAI_API_KEY": "sk-test-cli", "TERM": "xterm-256color", **extra}


def summarize(
    *args: str | Path, terminal: bool = False, stdout_terminal: bool = False, **env: str
) -> Ran:
    """Run summarize. stderr goes to a pseudo-terminal with `terminal`, stdout too with
    `stdout_terminal` (then both arrive as `stderr`); else both are pipes."""
    argv = [*COMMAND, *map(str, args)]
    if not terminal:
        done = subprocess.run(
            argv, env=clean_env(**env), capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        return Ran(done.returncode, done.stdout, done.stderr)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        argv,
        env=clean_env(**env),
        stdout=follower if stdout_terminal else subprocess.PIPE,
        stderr=follower,
        stdin=follower,
    )
    os.close(follower)
    seen = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], TIMEOUT)
        if not ready:
            process.kill()
            pytest.fail(f"no output from summarize in {TIMEOUT} s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    stdout = process.stdout.read().decode("utf-8") if process.stdout is not None else ""
    process.wait(timeout=60)
    return Ran(process.returncode, stdout, seen.decode("utf-8", errors="replace"))


def plain(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces."""
    return " ".join(text.split())
