"""Shared pieces of the benchmarks: test servers by path, synthetic articles, machine facts."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SEEDS = ROOT / "seeds"

_ARTICLE_ID_LINE = re.compile(r"^Article id: (\S+)$", re.MULTILINE)


def load_tests_module(name: str) -> ModuleType:
    """A module from tests/ (e.g. model_server), imported by path: tests/ is not a package."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TESTS / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load tests/{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def grounded_answer(user_prompt: str) -> dict[str, Any]:
    """A valid, grounded answer for the article in a rendered prompt: a meeting that cites
    the first sentence."""
    found_id = _ARTICLE_ID_LINE.search(user_prompt)
    article_id = found_id.group(1) if found_id else "unknown"
    return {
        "source": {"outlet": None, "headline": None, "published": None},
        "events": [
            {
                "event_type": "meeting",
                "status": "held",
                "date_text": None,
                "location": None,
                "participants": [{"name": "Someone", "evidence": [1]}],
                "initiator": {"party": None, "evidence": []},
                "topics": ["grain"],
                "outcomes": [],
                "summary": f"A meeting reported by {article_id}."[:250],
            }
        ],
        "no_event_reason": None,
    }


def write_articles(folder: Path, count: int) -> Path:
    """`count` small distinct articles (~250 bytes each), each with a quotable first line."""
    folder.mkdir(parents=True, exist_ok=True)
    width = len(str(count))
    for n in range(count):
        (folder / f"article_{n:0{width}d}.txt").write_text(
            f"Minister {n} met envoy {n} in Vienna on Monday to discuss grain corridor {n}.\n\n"
            f"Officials said talks number {n} would continue next month, and both sides "
            f"called the meeting useful.\n",
            encoding="utf-8",
        )
    return folder


@contextmanager
def model_server_process(latency: float) -> Iterator[str]:
    """A loopback model server in its own process (so it does not share our GIL); base URL."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("serve.py")), "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("http://"):
            raise RuntimeError(f"bench server did not start: {line!r}")
        yield line.strip()
    finally:
        if process.stdin is not None:
            process.stdin.close()  # serve.py exits when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    load = os.getloadavg()
    versions = {}
    for dist in ("openai", "instructor", "pydantic", "httpx2"):
        try:
            from importlib import metadata

            versions[dist] = metadata.version(dist)
        except Exception:
            versions[dist] = "?"
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": _cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "load average at start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in load),
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True)
