"""The review app's routes: the index, the article page, and the JSON changes they send."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from summarize.core.brief import EventType, OutcomeKind
from summarize.core.corrections import Correction, CorrectionError
from summarize.core.errors import SummarizeError
from summarize.core.review import (
    Review,
    checked_items,
    corrected,
    edits,
    marked,
    model_remade,
    start_review,
    undone,
)
from summarize.outdir.reviews import ReviewError, VersionConflict
from summarize.rendering import environment
from summarize.review import triage
from summarize.review.folder import Entry, RunFolder, UnknownArticleError
from summarize.review.security import Guard
from summarize.review.views import (
    BRIEF_SKIP,
    SOURCE_SKIP,
    dropped_by_cause,
    event_fields,
    fields,
    mark_ids,
    marks,
    segments,
    weak_paths,
)

_STATIC = {"review.css": "text/css", "review.js": "text/javascript"}
FILTERS = triage.FILTERS
# A version is a count of saves: anything else is a request no page of this app sends.
_MAX_VERSION = 2**31


@dataclass(frozen=True)
class Session:
    folder: RunFolder
    reviewer: str
    token: str
    # The page's script and sheet, named by their content: the browser keeps them between
    # pages (one action is one page load) and never uses an old copy after an upgrade.
    assets: str = ""


def _asset(name: str) -> str:
    return (resources.files("summarize") / "templates" / name).read_text(encoding="utf-8")


def _assets_version() -> str:
    digest = hashlib.sha256()
    for name in sorted(_STATIC):
        digest.update(_asset(name).encode("utf-8"))
    return digest.hexdigest()[:12]


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(environment().get_template(name).render(**context), status_code=status)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def create_app(folder: RunFolder, reviewer: str, token: str) -> Starlette:
    """The app for one run folder; `token` must come with every change."""
    session = Session(folder, reviewer, token, _assets_version())

    # Plain `def` pages: Starlette runs them in its thread pool, so reading briefs, articles
    # and reviews from disk never holds up the event loop (as datasette does).
    def index(request: Request) -> Response:
        found = triage.rows(folder)
        show = request.query_params.get("show", "all")
        show = show if show in FILTERS else "all"
        sort = triage.sort_key(request.query_params.get("sort", "order"))
        counts = {f: sum(1 for r in found if triage.matches(r, f)) for f in FILTERS}
        worst = triage.next_to_review(found)
        return _page(
            "review_index.html.j2",
            s=session,
            root=str(folder.root),
            rows=triage.sorted_rows([r for r in found if triage.matches(r, show)], sort),
            counts=counts,
            filters=FILTERS,
            sorts=triage.SORTS,
            show=show,
            sort=sort,
            worst=worst.entry.id if worst else None,
        )

    def next_article(request: Request) -> Response:
        """The worst article still needing review (other than `after`), or the index."""
        after = request.query_params.get("after")
        worst = triage.next_to_review(triage.rows(folder), after)
        target = f"/article/{worst.entry.id}" if worst else "/?show=to+review&done=1"
        return RedirectResponse(target, status_code=303)

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
        body = _asset(name)
        cache = {"cache-control": "max-age=31536000, immutable"}
        fresh = request.query_params.get("v") == session.assets
        return Response(body, media_type=_STATIC[name], headers=cache if fresh else None)

    return Starlette(
        routes=[
            Route("/", index),
            Route("/article/{article_id}", article),
            Route("/next", next_article),
            Route("/api/article/{article_id}/change", change, methods=["POST"]),
            Route("/api/article/{article_id}/reviewed", mark, methods=["POST"]),
            Route("/api/article/{article_id}/undo", undo, methods=["POST"]),
            Route("/static/{name}", static),
            # Browsers ask for it on their own; an answer keeps a 404 out of the console.
            Route("/favicon.ico", lambda _: Response(status_code=204)),
        ],
        middleware=[Middleware(Guard, token=token)],
    )


def _article_view(folder: RunFolder, entry: Entry) -> dict[str, Any]:
    found_rows = triage.rows(folder)
    entries = [r.entry for r in found_rows if r.entry.has_brief]
    ids = [e.id for e in entries]
    at = ids.index(entry.id) if entry.id in ids else -1
    model = folder.model_brief(entry.id) if entry.has_brief else None
    text = folder.text(entry)
    review = entry.review
    brief = review.brief if review else (model[0] if model else None)
    body = text.article.text if text.article else ""
    found = marks(brief, body) if brief and text.article else []
    worst = triage.next_to_review(found_rows, entry.id)
    return {
        "entry": entry,
        "cause": folder.errors().get(entry.id),
        "brief": brief,
        "review": review,
        "version": review.version if review else 0,
        # The model brief this page's brief was made from: a change names it, so that a
        # change made on a brief since remade (run --force) is refused, not misapplied.
        "base": review.model_brief_sha256 if review else (model[1] if model else ""),
        "remade": bool(review and model and model_remade(review, model[1])),
        "text_problem": text.problem,
        "segments": segments(body, found),
        "marks": found,
        "mark_ids": mark_ids(found),
        "dropped_groups": dropped_by_cause(brief) if brief else [],
        "weak": weak_paths(brief) if brief else set(),
        "checked": checked_items(review),
        "edits": edits(review),
        "outcome_kinds": [k.value for k in OutcomeKind],
        "event_types": [t.value for t in EventType],
        "source_skip": SOURCE_SKIP,
        "brief_skip": BRIEF_SKIP,
        "event_fields": event_fields,
        "fields": fields,
        "prev_id": ids[at - 1] if at > 0 else None,
        "next_id": ids[at + 1] if 0 <= at < len(ids) - 1 else None,
        "next_todo": worst.entry.id if worst else None,
    }


class _Refused(SummarizeError):
    def __init__(
        self, message: str, status: int, path: str | None = None, *, remade: bool = False
    ) -> None:
        super().__init__(message)
        self.status = status
        self.path = path
        self.remade = remade


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
        where = ".".join(str(s) for s in exc.errors()[0]["loc"]) or "the change"
        raise _Refused(f"not a change this page sends ({where} is not valid)", 400) from None
    keep = _keep_reviewed(body)

    def change(current: Review | None) -> Review:
        return corrected(_base(session, entry, current), correction, text, keep_reviewed=keep)

    return change


def _keep_reviewed(body: dict[str, Any]) -> bool:
    """Whether a change to a brief marked reviewed keeps the mark: the page says which."""
    keep = body.get("keep_reviewed", False)
    if not isinstance(keep, bool):
        raise _Refused("say keep_reviewed: true or false", 400)
    return keep


def _mark(body: dict[str, Any], session: Session, entry: Entry, text: str) -> Any:
    reviewed = body.get("reviewed")
    if not isinstance(reviewed, bool):
        raise _Refused("say reviewed: true or false", 400)

    def change(current: Review | None) -> Review:
        return marked(_base(session, entry, current), reviewed, session.reviewer, _now())

    return change


def _undo(body: dict[str, Any], session: Session, entry: Entry, text: str) -> Any:
    keep = _keep_reviewed(body)

    def change(current: Review | None) -> Review:
        if current is None:
            raise _Refused("there is no correction to undo", 409)
        return undone(current, text, session.reviewer, _now(), keep_reviewed=keep)

    return change


def _on_seen_brief(session: Session, entry: Entry, base: str, change: Any) -> Any:
    """`change`, refused when the brief it would apply to is not made from the model brief
    the page showed (`base`): paths name items by position, and a remade brief (run --force,
    another model or prompt) has other items at the same positions."""

    def checked(current: Review | None) -> Review:
        if current is not None:
            seen = current.model_brief_sha256
        else:
            model = session.folder.model_brief(entry.id)
            seen = model[1] if model else ""
        if seen != base:
            raise _Refused(
                "the brief was made again since you opened this page (run --force, or another "
                "model or prompt): its items are not the ones you saw, so your change was not "
                "saved. Reload to review the new brief",
                409,
                remade=True,
            )
        result: Review = change(current)
        return result

    return checked


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
    except RecursionError:
        return JSONResponse({"error": "the body is nested too deeply"}, status_code=400)
    if not isinstance(body, dict):
        return JSONResponse({"error": "the body is not a JSON object"}, status_code=400)
    version, base = body.get("version"), body.get("base")
    # bool is an int to Python, and no page sends a negative or astronomic count.
    if type(version) is not int or not 0 <= version < _MAX_VERSION:
        return JSONResponse(
            {"error": "say which version you saw: a whole number from 0, as the page sends"},
            status_code=400,
        )
    if not isinstance(base, str):
        return JSONResponse(
            {"error": "say which brief you saw (base): reload the page"}, status_code=400
        )
    # The body is read on the loop; the files are read, locked and written in a thread.
    article_id = request.path_params["article_id"]
    return await run_in_threadpool(_change, session, article_id, body, version, base, make)


def _change(
    session: Session, article_id: str, body: dict[str, Any], version: int, base: str, make: Any
) -> Response:
    try:
        entry = session.folder.entry(article_id)
        if not entry.has_brief:
            raise _Refused("this article has no brief to review", 409)
        if entry.damaged is not None:
            raise _Refused(_damaged_message(entry), 409)
        # Reviewing is done against the text as it is: a changed file makes the review stale.
        article = session.folder.text(entry)
        if article.article is None:
            raise _Refused(f"not saved: {article.problem}", 409)
        change = _on_seen_brief(
            session, entry, base, make(body, session, entry, article.article.text)
        )
        was = entry.review.reviewed if entry.review else False
        review = session.folder.reviews.update(entry.id, version, change)
    except UnknownArticleError as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    except VersionConflict as exc:
        return JSONResponse({"error": str(exc), "conflict": True}, status_code=409)
    except ReviewError as exc:
        # Damaged since the page was read: said as the page says it, never a 500.
        return JSONResponse({"error": f"not saved: {exc}", "damaged": True}, status_code=409)
    except CorrectionError as exc:
        return JSONResponse({"error": str(exc), "path": exc.path}, status_code=422)
    except _Refused as exc:
        answer: dict[str, object] = {"error": str(exc), "path": exc.path}
        if exc.remade:
            answer["remade"] = True
        return JSONResponse(answer, status_code=exc.status)
    answer = {
        "version": review.version,
        "reviewed": review.reviewed,
        "reviewed_kept": was and review.reviewed and make is not _mark,
        "reviewed_withdrawn": was and not review.reviewed and make is not _mark,
        "edits": edits(review),
    }
    if body.get("page") is True:
        # The page as it now stands, in the same answer: the page shows it at once instead
        # of asking again (one round trip per action, not two).
        view = _article_view(session.folder, session.folder.entry(entry.id))
        answer["page"] = (
            environment().get_template("review_article.html.j2").render(s=session, **view)
        )
    return JSONResponse(answer)


def _damaged_message(entry: Entry) -> str:
    return (
        f"not saved: the review file reviews/{entry.id}.json is damaged ({entry.damaged}). "
        "Nothing was changed. Restore it from a backup, or move it aside to start this "
        "article's review again"
    )
