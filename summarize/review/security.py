"""What keeps the review app to the reviewer's own browser: loopback hosts only (DNS
rebinding), a per-session token and same-origin JSON on every change (cross-site requests),
and a content policy that lets the page run only its own script (hostile article text)."""

from __future__ import annotations

import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
TOKEN_HEADER = "x-review-token"
_SAFE_METHODS = {"GET", "HEAD"}
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def host_name(host: str) -> str:
    """The name part of a Host header value ("127.0.0.1:8765" -> "127.0.0.1")."""
    name, _, port = host.rpartition(":")
    return name if name and port.isdigit() else host


def refusal(headers: Headers, method: str, token: str) -> tuple[int, str] | None:
    """Why a request must be refused (status, message), or None to let it through."""
    host = headers.get("host", "")
    if host_name(host).lower() not in LOOPBACK_HOSTS:
        return 400, "summarize review answers only to 127.0.0.1 and localhost"
    if method in _SAFE_METHODS:
        return None
    if not secrets.compare_digest(headers.get(TOKEN_HEADER, ""), token):
        return 403, "missing or wrong session token: reload the page (the server was restarted?)"
    origin = headers.get("origin")
    if origin is not None and origin != f"http://{host}":
        return 403, "changes are accepted only from the review page itself"
    if not headers.get("content-type", "").startswith("application/json"):
        return 415, "changes are sent as JSON"
    return None


class Guard:
    """ASGI middleware: refuses what `refusal` refuses; sets the page's security headers."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = refusal(Headers(scope=scope), scope["method"], self.token)
        if refused is not None:
            response = PlainTextResponse(refused[1], status_code=refused[0])
            await response(scope, receive, self._secured(send))
            return
        await self.app(scope, receive, self._secured(send))

    @staticmethod
    def _secured(send: Send) -> Send:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = _POLICY
                headers["x-content-type-options"] = "nosniff"
                headers["referrer-policy"] = "no-referrer"
                # Pages and answers are never kept; the static files say otherwise themselves.
                headers.setdefault("cache-control", "no-store")
            await send(message)

        return with_headers
