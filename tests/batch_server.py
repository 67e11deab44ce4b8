"""A real loopback server for the files and batches routes the openai SDK calls.

It stores uploaded files, and "runs" a batch by answering each request line with a
`model_server.Responder` (the same scripted model the live tests use), writing an output file
and an error file in the Batch API format. A batch completes after `polls_until_done`
retrieves, so clients see it in progress first. Nothing is mocked: the SDK talks HTTP.

    with BatchServer(answer=grounded_answer_for) as api:
        client = openai.OpenAI(base_url=api.base_url, api_key="sk-test")
        ...
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from model_server import ReceivedRequest, Reply, Responder

_FILE_CONTENT = re.compile(r"^/v1/files/([^/]+)/content$")
_FILE = re.compile(r"^/v1/files/([^/]+)$")
_BATCH = re.compile(r"^/v1/batches/([^/]+)$")
CREATED = 1_700_000_000


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    content: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.content),
            "created_at": CREATED,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class StoredBatch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, str] | None
    status: str = "validating"
    polls: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "completed": 0, "failed": 0}
    )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "created_at": CREATED,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "request_counts": dict(self.counts),
            "metadata": self.metadata,
        }


class BatchServer:
    """Threaded loopback files + batches API; usable as a context manager."""

    def __init__(self, answer: Responder, *, polls_until_done: int = 1) -> None:
        self._answer = answer
        self._polls_until_done = polls_until_done
        self.files: dict[str, StoredFile] = {}
        self.batches: dict[str, StoredBatch] = {}
        self.calls: list[tuple[str, str]] = []  # (method, path) in arrival order
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # -- routes -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.calls.append((method, path))
            if method == "POST" and path == "/v1/files":
                return self._upload(headers.get("content-type", ""), body)
            if method == "POST" and path == "/v1/batches":
                return self._create_batch(json.loads(body))
            if method == "GET" and (m := _FILE_CONTENT.match(path)):
                stored = self.files.get(m.group(1))
                if stored is None:
                    return _not_found(f"no file {m.group(1)}")
                return Reply(
                    body=stored.content, headers={"content-type": "application/octet-stream"}
                )
            if method == "GET" and (m := _FILE.match(path)):
                stored = self.files.get(m.group(1))
                return Reply.json(stored.to_json()) if stored else _not_found(m.group(1))
            if method == "GET" and (m := _BATCH.match(path)):
                batch = self.batches.get(m.group(1))
                if batch is None:
                    return _not_found(f"no batch {m.group(1)}")
                batch.polls += 1
                if batch.status != "completed":
                    if batch.polls >= self._polls_until_done:
                        self._run(batch)
                    else:
                        batch.status = "in_progress"
                return Reply.json(batch.to_json())
        return _not_found(f"no route {method} {path}")

    def _upload(self, content_type: str, body: bytes) -> Reply:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"content-type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, tuple[str | None, bytes]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            fields[str(name)] = (
                part.get_filename(),
                payload if isinstance(payload, bytes) else b"",
            )
        if "file" not in fields or "purpose" not in fields:
            return Reply.json({"error": {"message": "file and purpose are required"}}, status=400)
        file_id = f"file-{len(self.files) + 1}"
        filename, content = fields["file"]
        stored = StoredFile(file_id, filename or "upload", fields["purpose"][1].decode(), content)
        self.files[file_id] = stored
        return Reply.json(stored.to_json())

    def _create_batch(self, request: dict[str, Any]) -> Reply:
        if request.get("input_file_id") not in self.files:
            return _not_found(f"no file {request.get('input_file_id')}")
        batch = StoredBatch(
            id=f"batch_{len(self.batches) + 1}",
            input_file_id=request["input_file_id"],
            endpoint=request["endpoint"],
            completion_window=request["completion_window"],
            metadata=request.get("metadata"),
        )
        self.batches[batch.id] = batch
        return Reply.json(batch.to_json())

    def _run(self, batch: StoredBatch) -> None:
        """Answer every request line; successes to the output file, failures to the error file."""
        output: list[str] = []
        errors: list[str] = []
        lines = self.files[batch.input_file_id].content.decode("utf-8").splitlines()
        for number, text in enumerate(lines, start=1):
            request = json.loads(text)
            result: dict[str, Any] = {
                "id": f"batch_req_{number}",
                "custom_id": request.get("custom_id"),
                "response": None,
                "error": None,
            }
            if request.get("url") != batch.endpoint or request.get("method") != "POST":
                result["error"] = {"code": "invalid_url", "message": "url must match endpoint"}
                errors.append(json.dumps(result))
                continue
            reply = self._answer(
                ReceivedRequest(
                    method="POST",
                    path=request["url"],
                    headers={"content-type": "application/json"},
                    body=json.dumps(request["body"]).encode("utf-8"),
                )
            )
            result["response"] = {
                "status_code": reply.status,
                "request_id": f"req_{number}",
                "body": json.loads(reply.body),
            }
            (output if reply.status == 200 else errors).append(json.dumps(result))
        batch.counts = {"total": len(lines), "completed": len(output), "failed": len(errors)}
        batch.output_file_id = self._store(f"{batch.id}_output.jsonl", "batch_output", output)
        batch.error_file_id = self._store(f"{batch.id}_errors.jsonl", "batch_error", errors)
        batch.status = "completed"

    def _store(self, name: str, purpose: str, lines: list[str]) -> str | None:
        if not lines:
            return None
        file_id = f"file-{len(self.files) + 1}"
        content = "".join(line + "\n" for line in lines).encode("utf-8")
        self.files[file_id] = StoredFile(file_id, name, purpose, content)
        return file_id

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Self:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server.handle(self.command, self.path.split("?")[0], headers, body)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _not_found(message: str) -> Reply:
    return Reply.json({"error": {"message": message, "type": "not_found"}}, status=404)
