"""Prompt templates: loading, versioning by content hash, rendering to chat messages."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from summarize.core.article import Article
from summarize.core.errors import UsageError
from summarize.core.grounding import article_text

DEFAULT_PROMPT = "extract.j2"

# Article text is data inside <article> ... </article>. A value interpolated into a prompt
# must not close that block (or open another), nor carry a chat control token such as
# <|im_start|> that a local server would parse as a real turn: such a "<" becomes "&lt;".
_DELIMITER = re.compile(r"<(?=\s*/?\s*article\b|\|[\w.-]{1,40}\|>)", re.IGNORECASE)


def neutralise_delimiters(value: object) -> object:
    """Every `{{ ... }}` value as rendered into a prompt: data can't end the data block."""
    return _DELIMITER.sub("&lt;", value) if isinstance(value, str) else value


class PromptError(UsageError):
    """A prompt template that cannot be found or rendered."""


def prompts_dir() -> Path:
    """Where the shipped prompts live: inside the wheel, or the repo's prompts/ when editable."""
    packaged = Path(str(resources.files("summarize"))) / "_prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "prompts"


@dataclass(frozen=True)
class PromptTemplate:
    """An extraction prompt with `system` and `user` blocks."""

    path: Path
    source: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:12]

    @cached_property
    def _compiled(self) -> jinja2.Template:
        # Compiled once per template, not once per article (it was a fifth of client CPU).
        env = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            finalize=neutralise_delimiters,
        )
        try:
            return env.from_string(self.source)
        except jinja2.TemplateError as exc:
            raise PromptError(f"{self.path}: {exc}") from exc

    def render(self, **context: Any) -> list[dict[str, str]]:
        template = self._compiled
        try:
            ctx = template.new_context(context)
            messages = []
            for role in ("system", "user"):
                block = template.blocks.get(role)
                if block is None:
                    raise PromptError(f"{self.path}: the template has no '{role}' block")
                messages.append({"role": role, "content": "".join(block(ctx)).strip()})
        except jinja2.TemplateError as exc:
            raise PromptError(f"{self.path}: {exc}") from exc
        return messages


def load_prompt(path: Path | None = None) -> PromptTemplate:
    """Load a prompt template file; the default is the shipped extraction prompt."""
    path = path or prompts_dir() / DEFAULT_PROMPT
    try:
        return PromptTemplate(path=path, source=path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PromptError(f"cannot read prompt template {path}: {exc.strerror}") from exc


def article_messages(prompt: PromptTemplate, article: Article) -> list[dict[str, str]]:
    """The chat messages for one article: its body as numbered sentences, the units the
    model cites (see core/sentences.py). Same numbering as the check and the assembly."""
    text = article_text(article)
    sentences = [text.sentence(s.number) for s in text.sentences]
    return prompt.render(article=article, sentences=sentences)
