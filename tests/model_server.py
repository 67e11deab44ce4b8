"""A real loopback HTTP server that speaks enough of the OpenAI API for tests.

It listens on 127.0.0.1 on a free port and answers every request from a script: a queue of
`Reply` objects (consumed in order) or, once the queue is empty, an optional responder
callable. It keeps every request it received, with headers, so tests can assert what
actually went over the wire. Nothing is mocked: clients talk HTTP to a socket.

    with ModelServer() as server:
        server.enqueue(Reply.json(chat_completion("hello")))
        client = openai.OpenAI(base_url=server.base_url, api_key="sk-test", max_retries=0)
        client.chat.completions.create(model="m", messages=[...])
        assert server.requests[0].json()["model"] == "m"

Faults a client must survive are scripted too: `Reply.json(...).after(2.0)` answers late
(for timeouts), `.dripping(1.0)` sends the body a byte a second, and `Reply.hang_up()`
closes the connection without any answer.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

# 418 because the openai client retries 408/409/429/5xx: an exhausted script must fail fast
# and loudly instead of being retried into a timeout.
SCRIPT_EXHAUSTED_STATUS = 418


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """A scripted response."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without sending anything
    drip: float = 0.0  # seconds between the body's bytes (headers go at once)
    header_drip: float = 0.0  # seconds between the status line's and headers' bytes
    sized: bool = True  # send Content-Length (else the body ends when the connection does)

    def after(self, seconds: float) -> Reply:
        """This reply, sent only after `seconds` (cut short when the server stops)."""
        return replace(self, delay=seconds)

    def dripping(self, seconds: float) -> Reply:
        """This reply with its body sent one byte every `seconds`, after prompt headers."""
        return replace(self, drip=seconds)

    def slow_headers(self, seconds: float) -> Reply:
        """This reply with its status line and headers sent one byte every `seconds`."""
        return replace(self, header_drip=seconds)

    def unsized(self) -> Reply:
        """This reply without Content-Length: only the bytes say how big the body is."""
        return replace(self, sized=False)

    @classmethod
    def hang_up(cls) -> Reply:
        """Read the request, then close the socket without a status line."""
        return cls(drop=True)

    @classmethod
    def json(
        cls, payload: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Reply:
        # Deliberately not canonical (spaces, insertion order) so recorders must normalise.
        return cls(
            status=status,
            body=json.dumps(payload, indent=1).encode("utf-8"),
            headers={"content-type": "application/json", **(headers or {})},
        )

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain") -> Reply:
        return cls(status=status, body=text.encode("utf-8"), headers={"content-type": content_type})


Responder = Callable[[ReceivedRequest], Reply]


def chat_completion(
    content: str | None = None,
    *,
    model: str = "test-model",
    tool_calls: Iterable[tuple[str, Mapping[str, Any] | str]] = (),
    completion_id: str = "chatcmpl-test",
    created: int = 1_700_000_000,
    finish_reason: str | None = None,
) -> dict[str, Any]:
    """A chat.completion object; `tool_calls` are (function name, arguments) pairs.

    Arguments given as a string are sent verbatim, so tests can script invalid JSON.
    """
    calls = [
        {
            "id": f"call_{i}",
            "type": "function",
            "function": {
                "name": name,
                "arguments": args if isinstance(args, str) else json.dumps(args),
            },
        }
        for i, (name, args) in enumerate(tool_calls)
    ]
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": message,
                "finish_reason": finish_reason or ("tool_calls" if calls else "stop"),
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class ModelServer:
    """Threaded loopback server answering from a script; usable as a context manager."""

    def __init__(self, responder: Responder | None = None) -> None:
        self._responder = responder
        self._queue: deque[Reply] = deque()
        self._received: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Set by stop() so delayed replies stop waiting and their threads end promptly.
        self._stopping = threading.Event()

    # -- script ---------------------------------------------------------------------------

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def enqueue_json(self, *payloads: Any) -> None:
        self.enqueue(*(Reply.json(p) for p in payloads))

    @property
    def pending(self) -> int:
        """Scripted replies not yet served."""
        with self._lock:
            return len(self._queue)

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._received)

    def _answer(self, request: ReceivedRequest) -> Reply:
        with self._lock:
            self._received.append(request)
            if self._queue:
                return self._queue.popleft()
        if self._responder is not None:
            return self._responder(request)
        return Reply.json(
            {"error": {"message": "model_server: no scripted reply left", "type": "test"}},
            status=SCRIPT_EXHAUSTED_STATUS,
        )

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as base_url."""
        return f"{self.root_url}/v1"

    def start(self) -> Self:
        server = self
        self._stopping.clear()

        class Handler(BaseHTTPRequestHandler):
            # HTTP/1.0: one request per connection, so a stopped server cannot keep answering
            # on a pooled keep-alive connection.
            protocol_version = "HTTP/1.0"

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                received = ReceivedRequest(
                    method=self.command,
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                reply = server._answer(received)
                if reply.delay > 0 and server._stopping.wait(reply.delay):
                    return
                if reply.drop:
                    self.close_connection = True
                    return
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.sized:
                        self.send_header("content-length", str(len(reply.body)))
                    if reply.header_drip > 0:
                        # Held back and sent a byte at a time: each read of the client gets
                        # something, so only a deadline for the whole answer stops it.
                        head = b"".join(self._headers_buffer)
                        self._headers_buffer = []
                        for byte in head:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            if server._stopping.wait(reply.header_drip):
                                return
                    self.end_headers()
                    if reply.drip <= 0:
                        self.wfile.write(reply.body)
                    else:
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            if server._stopping.wait(reply.drip):
                                return
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (e.g. timed out) before a late reply

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep pytest output clean

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        # A short poll interval keeps stop() quick; shutdown() waits for the next poll.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening; later connections to the port are refused."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
