"""Serving the review app on 127.0.0.1: the socket bound first (so a port in use is said
plainly, before anything starts), then uvicorn on it, and the browser opened on the index."""

from __future__ import annotations

import errno
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from summarize.core.errors import SummarizeError
from summarize.review.app import create_app
from summarize.review.folder import RunFolder
from summarize.review.security import new_token

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class PortInUseError(SummarizeError):
    """Something else listens on the port asked for."""


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:`port` (0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUseError(
                f"port {port} on {HOST} is in use (another summarize review, or another program)",
                hint="pass --port with another number, or --port 0 for any free port",
            ) from None
        raise PortInUseError(f"cannot listen on {HOST}:{port}: {exc.strerror}") from None
    sock.listen(64)
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://{HOST}:{sock.getsockname()[1]}/"


def make_server(folder: Path, reviewer: str) -> uvicorn.Server:
    """The server for one run folder, checked (a run output with briefs) before it starts."""
    app = create_app(RunFolder.open(folder), reviewer, new_token())
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


def serve(
    folder: Path,
    port: int,
    reviewer: str,
    *,
    open_browser: bool,
    started: Callable[[str], None],
) -> None:
    """Serve until Ctrl-C; `started` is told the URL once the port is held."""
    server = make_server(folder, reviewer)
    sock = bind(port)
    url = url_of(sock)
    started(url)
    if open_browser:
        webbrowser.open(url)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
