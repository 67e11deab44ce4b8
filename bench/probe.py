"""One measured command in a fresh process, so its peak RSS is its own; prints JSON.

python bench/probe.py idle                      imports only: the floor
python bench/probe.py cli run SRC --out OUT ... any `summarize` command, in-process
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time
from pathlib import Path


def _peak_rss_kib() -> int:
    """VmHWM: this process's own peak. ru_maxrss would not do: Linux keeps it across exec,
    so a child started by a big parent reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    started = time.perf_counter()
    cpu = time.process_time()
    from summarize.cli.app import app  # imported in both modes: the floor includes the libraries

    code: object = 0
    if sys.argv[1:2] == ["cli"]:
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                code = app(sys.argv[2:], standalone_mode=False)
            except SystemExit as exc:
                code = exc.code
    peak_kib = _peak_rss_kib()
    # Worker processes (forked by `run`, ended and waited for by now): the largest one's
    # peak. A fork starts with the parent's pages mapped, so shared pages count in it too.
    workers_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "exit_code": code if isinstance(code, int) else 0,
                "peak_rss_mib": round(peak_kib / 1024, 1),
                "worker_peak_rss_mib": round(workers_kib / 1024, 1),
                "seconds": round(time.perf_counter() - started, 3),
                "cpu_seconds": round(time.process_time() - cpu, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
