"""The review app's routes: the index, the article page, and the JSON changes they send."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from summarize.core.brief import Brief, EventType, OutcomeKind
from summarize.core.corrections import Correction, CorrectionError
from summarize.core.errors import SummarizeError
from summarize.core.review import Review, corrected, marked, model_remade, start_review, undone
from summarize.outdir.reviews import VersionConflict
from summarize.rendering import environment
from summarize.review.folder import Entry, RunFolder, UnknownArticleError
from summarize.review.security import Guard
from summarize.review.views import (
    BRIEF_SKIP,
    SOURCE_SKIP,
    dropped,
    event_fields,
    fields,
    mark_ids,
    marks,
    segments,
    weak_paths,
)

_STATIC = {"review.css": "text/css", "review.js": "text/javascript"}
FILTERS = ("all", "to review", "reviewed", "edited", "stale", "failed")


@dataclass(frozen=True)
class Session:
    folder: RunFolder
    reviewer: str
    token: str


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(environment().get_template(name).render(**context), status_code=status)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _matches(entry: Entry, show: str) -> bool:
    if show == "failed":
        return not entry.has_brief
    if show == "to review":
        return entry.has_brief and entry.state.value != "reviewed"
    if show in ("reviewed", "edited", "stale"):
        return entry.state.value == show
    return True


def create_app(folder: RunFolder, reviewer: str, token: str) -> Starlette:
    """The app for one run folder; `token` must come with every change."""
    session = Session(folder, reviewer, token)

    # Plain `def` endpoints: Starlette runs them in its thread pool, so reading briefs,
    # articles and reviews from disk never holds up the event loop (as datasette does).
    def index(request: Request) -> Response:
        entries = folder.entries()
        show = request.query_params.get("show", "all")
        show = show if show in FILTERS else "all"
        counts = {f: sum(1 for e in entries if _matches(e, f)) for f in FILTERS}
        return _page(
            "review_index.html.j2",
            s=session,
            root=str(folder.root),
            entries=[e for e in entries if _matches(e, show)],
            briefs={e.id: _shown_brief(folder, e) for e in entries if e.has_brief},
            causes=folder.errors(),
            counts=counts,
            filters=FILTERS,
            show=show,
        )

    def article(request: Request) -> Response:
        article_id = request.path_params["article_id"]
        try:
            entry = folder.entry(article_id)
        except UnknownArticleError as exc:
            return _page("review_missing.html.j2", 404, s=session, message=str(exc))
        return _page("review_article.html.j2", s=session, **_article_view(folder, entry))

    async def change(request: Request) -> Response:
        return await _changed(request, session, _correct)

    async def mark(request: Request) -> Response:
        return await _changed(request, session, _mark)

    async def undo(request: Request) -> Response:
        return await _changed(request, session, _undo)

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return Response("not found", status_code=404)
        body = (resources.files("summarize") / "templates" / name).read_text(encoding="utf-8")
        return Response(body, media_type=_STATIC[name])

    return Starlette(
        routes=[
            Route("/", index),
            Route("/article/{article_id}", article),
            Route("/api/article/{article_id}/change", change, methods=["POST"]),
            Route("/api/article/{article_id}/reviewed", mark, methods=["POST"]),
            Route("/api/article/{article_id}/undo", undo, methods=["POST"]),
            Route("/static/{name}", static),
            # Browsers ask for it on their own; an answer keeps a 404 out of the console.
            Route("/favicon.ico", lambda _: Response(status_code=204)),
        ],
        middleware=[Middleware(Guard, token=token)],
    )


def _shown_brief(folder: RunFolder, entry: Entry) -> Brief | None:
    """The reviewer's brief where there is one, else the model's."""
    if entry.review is not None:
        return entry.review.brief
    model = folder.model_brief(entry.id)
    return model[0] if model else None


def _article_view(folder: RunFolder, entry: Entry) -> dict[str, Any]:
    entries = [e for e in folder.entries() if e.has_brief]
    ids = [e.id for e in entries]
    at = ids.index(entry.id) if entry.id in ids else -1
    later = entries[at + 1 :] + entries[: max(at, 0)]
    model = folder.model_brief(entry.id) if entry.has_brief else None
    text = folder.text(entry)
    review = entry.review
    brief = review.brief if review else (model[0] if model else None)
    body = text.article.text if text.article else ""
    found = marks(brief, body) if brief and text.article else []
    return {
        "entry": entry,
        "cause": folder.errors().get(entry.id),
        "brief": brief,
        "review": review,
        "version": review.version if review else 0,
        "remade": bool(review and model and model_remade(review, model[1])),
        "text_problem": text.problem,
        "segments": segments(body, found),
        "marks": found,
        "mark_ids": mark_ids(found),
        "dropped": dropped(brief) if brief else [],
        "weak": weak_paths(brief) if brief else set(),
        "outcome_kinds": [k.value for k in OutcomeKind],
        "event_types": [t.value for t in EventType],
        "source_skip": SOURCE_SKIP,
        "brief_skip": BRIEF_SKIP,
        "event_fields": event_fields,
        "fields": fields,
        "prev_id": ids[at - 1] if at > 0 else None,
        "next_id": ids[at + 1] if 0 <= at < len(ids) - 1 else None,
        "next_todo": next((e.id for e in later if e.state.value != "reviewed"), None),
    }


class _Refused(SummarizeError):
    def __init__(self, message: str, status: int, path: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.path = path


def _correct(body: dict[str, Any], session: Session, entry: Entry, text: str) -> Any:
    try:
        correction = Correction(
            op=body.get("op"),
            path=body.get("path"),
            value=body.get("value"),
            span=body.get("span"),
            by=session.reviewer,
            at=_now(),
        )
    except ValidationError as exc:
        raise _Refused(f"not a correction: {exc.errors()[0]['msg']}", 400) from None

    def change(current: Review | None) -> Review:
        return corrected(_base(session, entry, current), correction, text)

    return change


def _mark(body: dict[str, Any], session: Session, entry: Entry, text: str) -> Any:
    reviewed = body.get("reviewed")
    if not isinstance(reviewed, bool):
        raise _Refused("say reviewed: true or false", 400)

    def change(current: Review | None) -> Review:
        return marked(_base(session, entry, current), reviewed, session.reviewer, _now())

    return change


def _undo(body: dict[str, Any], session: Session, entry: Entry, text: str) -> Any:
    def change(current: Review | None) -> Review:
        if current is None:
            raise _Refused("there is no correction to undo", 409)
        return undone(current, text, session.reviewer, _now())

    return change


def _base(session: Session, entry: Entry, current: Review | None) -> Review:
    """The review to change: the stored one, or a new one of the model's brief."""
    if current is not None:
        return current
    model = session.folder.model_brief(entry.id)
    if model is None:
        raise _Refused("this article has no brief to review", 409)
    return start_review(model[0], model[1], entry.file, session.reviewer, _now())


async def _changed(request: Request, session: Session, make: Any) -> Response:
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": "the body is not JSON"}, status_code=400)
    version = body.get("version") if isinstance(body, dict) else None
    if not isinstance(version, int):
        return JSONResponse({"error": "say which version you saw"}, status_code=400)
    # The body is read on the loop; the files are read, locked and written in a thread.
    article_id = request.path_params["article_id"]
    return await run_in_threadpool(_change, session, article_id, body, version, make)


def _change(
    session: Session, article_id: str, body: dict[str, Any], version: int, make: Any
) -> Response:
    try:
        entry = session.folder.entry(article_id)
        if not entry.has_brief:
            raise _Refused("this article has no brief to review", 409)
        # Reviewing is done against the text as it is: a changed file makes the review stale.
        article = session.folder.text(entry)
        if article.article is None:
            raise _Refused(f"not saved: {article.problem}", 409)
        change = make(body, session, entry, article.article.text)
        review = session.folder.reviews.update(entry.id, version, change)
    except UnknownArticleError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    except VersionConflict as exc:
        return JSONResponse({"error": str(exc), "conflict": True}, status_code=409)
    except CorrectionError as exc:
        return JSONResponse({"error": str(exc), "path": exc.path}, status_code=422)
    except _Refused as exc:
        return JSONResponse({"error": str(exc), "path": exc.path}, status_code=exc.status)
    return JSONResponse({"version": review.version, "reviewed": review.reviewed})
