"""A run on a full disk says the disk is full, as a real process on a real (tiny) filesystem."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 160 KiB tmpfs: room for the lock and a little ledger, not for a run's exchanges."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({made.stderr.strip()}): needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_named_and_the_ledger_is_not_blamed(tiny_disk: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from summarize.cli import main; main()",
            "run",
            str(ROOT / "seeds"),
            "--replay",
            "--recordings",
            str(ROOT / "fixtures" / "recordings"),
            "--out",
            str(tiny_disk / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    message = " ".join(done.stderr.split())
    assert done.returncode == 2, message
    assert f"the disk holding {tiny_disk / 'out'} is full" in message
    assert "move it away" not in message, "moving the ledger away would remake every brief"
    assert "Traceback" not in done.stderr
