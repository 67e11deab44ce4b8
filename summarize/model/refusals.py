"""Refusals that say the endpoint is the wrong one: the URL serves no OpenAI chat API (404,
405, 501 on the chat route), or the model named is not there (asked of the endpoint's own
model list, GET /models). Either way every article would meet the same answer, so the run
stops at once with what to change, instead of retrying or failing article by article.
"""

from __future__ import annotations

import difflib

import httpx2
import openai

from summarize.settings import Settings, shown_url, url_credentials, url_without_credentials

# "Not this API": no such route (404), the route takes no POST (405), not implemented (501).
# 501 is a 5xx, which would otherwise be retried as if the server were briefly unwell.
NOT_THIS_API = frozenset({404, 405, 501})
# A model the endpoint lacks is a 404 (OpenAI, Ollama, vLLM) or a 400 naming the model.
_MODEL_STATUSES = frozenset({400, 404})
_MODELS_SHOWN = 12
_LIST_TIMEOUT = 10.0


def is_not_this_api(exc: BaseException) -> bool:
    """A status that means the URL does not serve the chat API (never worth a retry)."""
    return isinstance(exc, openai.APIStatusError) and exc.status_code in NOT_THIS_API


def _may_be_the_model(exc: openai.APIStatusError) -> bool:
    if exc.status_code == 404:
        return True
    return exc.status_code in _MODEL_STATUSES and "model" in str(exc.message).lower()


async def offered_models(settings: Settings) -> list[str] | None:
    """The model ids the endpoint lists at GET /models; None when it lists none or fails."""
    if not settings.base_url:
        return None
    credentials = url_credentials(settings.base_url)
    headers = {}
    if settings.api_key is not None and credentials is None:
        headers["Authorization"] = f"Bearer {settings.api_key.get_secret_value()}"
    url = url_without_credentials(settings.base_url).rstrip("/") + "/models"
    try:
        async with httpx2.AsyncClient(
            timeout=_LIST_TIMEOUT,
            auth=httpx2.BasicAuth(*credentials) if credentials else None,
            headers=headers,
        ) as http:
            response = await http.get(url)
        data = response.json().get("data") if response.is_success else None
    except (httpx2.HTTPError, ValueError, AttributeError):
        return None
    if not isinstance(data, list):
        return None
    ids = {item.get("id") for item in data if isinstance(item, dict)}
    return sorted(i for i in ids if isinstance(i, str) and i) or None


def model_missing(model: str, offered: list[str], url: str | None) -> str:
    """The message for a model the endpoint does not list: the close names first."""
    close = difflib.get_close_matches(model, offered, n=3, cutoff=0.5)
    rest = [m for m in offered if m not in close]
    shown = close + rest[: max(0, _MODELS_SHOWN - len(close))]
    more = len(offered) - len(shown)
    listing = ", ".join(shown) + (f" and {more} more" if more else "")
    hint = f" (closest: {close[0]})" if close else ""
    return (
        f"model {model!r} is not offered at {url}{hint}; it offers: {listing}. "
        "Give one of them with --model (-m)"
    )


def not_this_api(status: int, url: str | None, unchecked_model: str | None = None) -> str:
    """The message for a URL whose chat route is missing or not implemented; a 404 from an
    endpoint that lists no models may also mean the model (`unchecked_model`) is not there."""
    verdict = "does not serve" if unchecked_model is None else "may not serve"
    message = (
        f"{url} {verdict} the OpenAI chat API: POST /chat/completions answered {status}. "
        "Check --base-url (-u): it is the API's root, which usually ends in /v1 "
        "(http://127.0.0.1:11434/v1 for Ollama, http://HOST:8000/v1 for vLLM)"
    )
    if unchecked_model is not None:
        message += (
            f"; if it is right, check that model {unchecked_model!r} exists there (--model, -m): "
            "the endpoint lists no models to check it against"
        )
    return message


async def explain_refusal(exc: openai.APIStatusError, settings: Settings) -> str | None:
    """What to change when `exc` says the endpoint or the model is the wrong one; None when
    it says something else (the article's own problem, a rate limit, a server error)."""
    model, url = settings.model or "", shown_url(settings.base_url)
    if not (is_not_this_api(exc) or _may_be_the_model(exc)):
        return None
    offered = await offered_models(settings)
    if offered is not None and model not in offered:
        return model_missing(model, offered, url)
    if is_not_this_api(exc):
        unchecked = model if offered is None and exc.status_code == 404 else None
        return not_this_api(exc.status_code, url, unchecked)
    return None
