"""Binary files written whole or not at all: a requests file, a fetched results file.

`summarize.atomic` writes text; these files are bytes kept exactly as the client wrote or
the provider sent them, and can be far too large to hold in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class Staged:
    """A file being written under a temp name beside `path`; `commit` puts it in place."""

    path: Path
    tmp: Path
    handle: IO[bytes]

    def finish(self) -> None:
        """Flush and sync the contents, so that no rename can publish half a file."""
        if not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()

    def commit(self) -> None:
        self.finish()
        os.replace(self.tmp, self.path)


@contextmanager
def staged(path: Path) -> Iterator[Staged]:
    """A temp file beside `path` (same folder, so the rename is atomic); gone unless committed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    handle = os.fdopen(fd, "wb")
    try:
        # mkstemp makes 0600 files; give this one the permissions any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        yield Staged(path, Path(tmp), handle)
    finally:
        handle.close()
        Path(tmp).unlink(missing_ok=True)


@contextmanager
def atomic_binary(path: Path) -> Iterator[IO[bytes]]:
    """A binary file written under a temp name and renamed into place only when complete."""
    with staged(path) as file:
        yield file.handle
        file.commit()
