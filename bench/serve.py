"""A loopback model server with a fixed latency, for the benchmarks; run as a child process.

Prints its base URL on the first stdout line and serves until its stdin closes. Every
request gets a grounded answer for the article in it, sent `--latency` seconds later
(tests/model_server.py's `Reply.after`), so the client sees a model that takes that long.
"""

from __future__ import annotations

import argparse
import json
import sys
from http.server import ThreadingHTTPServer
from typing import Any

from common import grounded_answer, load_tests_module

# The stdlib default backlog of 5 drops SYNs when 16+ clients connect at once, and a dropped
# SYN costs a 1 s retransmit: that would measure the kernel, not summarize.
ThreadingHTTPServer.request_queue_size = 512


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    ms = load_tests_module("model_server")

    def respond(request: Any) -> Any:
        messages = json.loads(request.body)["messages"]
        user = next(m["content"] for m in messages if m["role"] == "user")
        body = ms.chat_completion(json.dumps(grounded_answer(user)))
        body["usage"] = {"prompt_tokens": 300, "completion_tokens": 80, "total_tokens": 380}
        return ms.Reply.json(body).after(args.latency)

    with ms.ModelServer(responder=respond) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin (or dies)


if __name__ == "__main__":
    main()
