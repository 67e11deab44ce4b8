"""The cells of an evaluation matrix: every prompt with every model, each with the endpoint
it calls and the recordings folder it replays from (pure: paths and names, no I/O).

Recordings hold one cassette per article, so two cells cannot share a folder. The shipped
prompt with the first model uses the recordings folder itself (what a single `summarize eval`
always used); another prompt adds its file's stem, another model its name:
`fixtures/recordings-terse`, `fixtures/recordings-gpt-4o-mini`,
`fixtures/recordings-terse-gpt-4o-mini`. A model's `recordings` in eval.toml's `[models]`
replaces the folder it starts from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from summarize.core.errors import UsageError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ModelEndpoint(BaseModel):
    """eval.toml `[models."name"]`: where one model of the matrix is served."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    base_url: str | None = None
    recordings: str | None = None


@dataclass(frozen=True)
class CellSpec:
    """One cell: a prompt (None: the shipped one) with a model (None: the configured one)."""

    prompt: Path | None
    model: str | None
    base_url: str | None
    recordings: Path | None
    label: str


def slug(text: str) -> str:
    """`text` fit for a folder name or a JUnit class name."""
    return _UNSAFE.sub("-", text).strip("-.") or "x"


def cell_label(prompt: Path | None, model: str | None) -> str:
    return (
        f"{prompt.stem if prompt is not None else 'shipped prompt'} x {model or 'recorded model'}"
    )


def cell_recordings(base: Path, prompt: Path | None, model: str | None, first_model: bool) -> Path:
    """The recordings folder of a cell, from the folder of the shipped prompt and first model."""
    parts = []
    if prompt is not None:
        parts.append(slug(prompt.stem))
    if model is not None and not first_model:
        parts.append(slug(model))
    return base if not parts else base.parent / f"{base.name}-{'-'.join(parts)}"


def plan_cells(
    prompts: Sequence[Path | None],
    models: Sequence[str | None],
    *,
    shipped_prompt: Path,
    recordings: Path | None,
    default_recordings: Path,
    base_url: str | None,
    endpoints: Mapping[str, ModelEndpoint],
) -> list[CellSpec]:
    """Every prompt with every model, prompt-major. `recordings` is the folder the user gave
    (a single cell uses it as given), `default_recordings` the configured one."""
    stems = [p.stem for p in prompts if p is not None and not _same(p, shipped_prompt)]
    if len(set(stems)) != len(stems):
        raise UsageError(
            "two --prompt files have the same name; their recordings would share a folder: "
            "rename one"
        )
    single = len(prompts) * len(models) == 1
    cells = []
    for prompt in prompts:
        own_prompt = None if prompt is None or _same(prompt, shipped_prompt) else prompt
        for index, model in enumerate(models):
            endpoint = endpoints.get(model or "", ModelEndpoint())
            base = Path(endpoint.recordings) if endpoint.recordings else None
            if single and recordings is not None:
                folder = recordings  # as given: one cell needs no folder of its own
            else:
                start = base or recordings or default_recordings
                folder = cell_recordings(start, own_prompt, model, index == 0 or base is not None)
            cells.append(
                CellSpec(
                    prompt=prompt,
                    model=model,
                    base_url=endpoint.base_url or base_url,
                    recordings=folder,
                    label=cell_label(prompt, model),
                )
            )
    return cells


def _same(a: Path, b: Path) -> bool:
    # Compared as written (made absolute), without reading the disk: a prompt reached through
    # a symlink counts as another prompt, and gets a folder of its own.
    return os.path.normpath(a.absolute()) == os.path.normpath(b.absolute())
