"""A loopback web site for fetching tests: the model test server, answering by path.

    with WebSite({"/a.html": Reply.text(page, content_type="text/html")}) as site:
        iter_articles(site.url("/a.html"), fetch=...)

Paths not in the map answer 404, as a real site does.
"""

from __future__ import annotations

from collections.abc import Mapping

from model_server import ModelServer, ReceivedRequest, Reply


class WebSite(ModelServer):
    """A real HTTP server on 127.0.0.1 serving `pages` (path -> reply) and 404 elsewhere."""

    def __init__(self, pages: Mapping[str, Reply]) -> None:
        self.pages = dict(pages)
        super().__init__(responder=self._page)

    def _page(self, request: ReceivedRequest) -> Reply:
        return self.pages.get(request.path) or Reply.text("<h1>Not Found</h1>", 404, "text/html")

    def url(self, path: str) -> str:
        return f"{self.root_url}{path}"

    def hits(self, path: str) -> int:
        return sum(r.path == path for r in self.requests)


def html(text: str, charset: str = "utf-8") -> Reply:
    content_type = f"text/html; charset={charset}"
    return Reply(body=text.encode(charset), headers={"content-type": content_type})


def redirect(to: str, status: int = 301) -> Reply:
    return Reply(status=status, headers={"location": to})
