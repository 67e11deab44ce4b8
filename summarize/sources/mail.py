"""E-mail files (.eml) -> article text, with the standard library's `email` package.

The Subject is the title and the Date header the publication date (the day as the sender's
clock had it). The body is the plain-text part, or else the HTML part read as a page is.
Neither the sender, List-Id nor any link in the body is taken as the outlet or the URL: a
forwarded article, a newsletter and an analyst's note all look alike there. Attachments
are not read; save them as files of their own.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from summarize.core.article import normalize_text
from summarize.sources.html import parse_markup
from summarize.sources.parsed import Parsed, Unusable

_REPLY_PREFIX = re.compile(r"^(?:\s*(?:fwd?|re|aw|wg|tr|rv|res|enc)\s*:\s*)+", re.IGNORECASE)


def parse_mail(data: bytes) -> Parsed:
    """The article a message carries in its body."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise Unusable("is not an e-mail message (no headers); save the message as .eml again")
    subject = _header(message, "subject")
    if subject:
        # "Fwd: Re: Putin and Scholz spoke" is the forwarded article's headline.
        subject = _REPLY_PREFIX.sub("", subject).strip() or subject
    date_text = _date(_header(message, "date"))
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise Unusable(
            "has no text or HTML body (attachments are not read); save the article itself "
            "as a file in the folder"
        )
    try:
        content = body.get_content()
    except (LookupError, ValueError) as exc:  # an unknown charset, a broken encoding
        raise Unusable(f"has a body that cannot be decoded ({exc}); save it as text") from exc
    if not isinstance(content, str):
        raise Unusable("has a body that is not text; save the article as a file of its own")
    if body.get_content_subtype() == "html":
        page = parse_markup(content)
        return Parsed(page.text, title=subject or page.title, date_text=date_text)
    text = normalize_text(content).strip()
    if not text:
        raise Unusable("has an empty body; forward the article text itself")
    return Parsed(text, title=subject, date_text=date_text)


def _header(message: EmailMessage, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError):  # a malformed header the policy cannot parse
        return None
    return str(value).strip() or None if value is not None else None


def _date(value: str | None) -> str | None:
    """The Date header as an ISO date, the form every date reader knows."""
    if value is None:
        return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return value  # kept as written, in case it can be read as a date after all
