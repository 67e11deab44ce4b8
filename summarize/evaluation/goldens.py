"""The golden briefs: reading and checking the hand annotation of an article, and blessing a
reviewed model brief into one (`summarize eval --bless`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from summarize.atomic import write_text_atomic
from summarize.core.brief import Brief, Provenance, Usage
from summarize.core.errors import UsageError
from summarize.evaluation.results import SetupError


def golden_path(golden_dir: Path, article_id: str) -> Path:
    return golden_dir / f"{article_id}.json"


def load_golden(
    golden_dir: Path, article_id: str, article_sha256: str | None
) -> Brief | SetupError:
    """The hand-annotated golden brief of an article, or the setup error that stops scoring."""
    path = golden_path(golden_dir, article_id)
    bless_hint = f"`summarize eval --bless {article_id} --yes`"
    if not path.is_file():
        return SetupError(
            kind="missing_golden",
            article_id=article_id,
            message=f"no golden brief at {path}",
            fix=f"annotate it by hand (see {golden_dir}/README.md), or review the model's "
            f"output and bless it with {bless_hint}",
        )
    try:
        golden = Brief.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        detail = (
            str(exc.errors()[0]["loc"]) + ": " + exc.errors()[0]["msg"]
            if isinstance(exc, ValidationError)
            else str(exc)
        )
        return SetupError(
            kind="invalid_golden",
            article_id=article_id,
            message=f"{path} is not a valid brief ({detail})",
            fix=f"fix {path} so it validates as a Brief (schemas/brief.schema.json)",
        )
    problems = []
    if golden.article_id != article_id:
        problems.append(f"its article_id is {golden.article_id}")
    if golden.provenance.kind != "hand_annotation":
        problems.append(
            f"provenance.kind is {golden.provenance.kind!r}, not 'hand_annotation' "
            "(model output is not a golden)"
        )
    if article_sha256 is not None and golden.provenance.article_sha256 != article_sha256:
        problems.append("it was annotated on different article text (article_sha256 differs)")
    if problems:
        return SetupError(
            kind="invalid_golden",
            article_id=article_id,
            message=f"{path}: " + "; ".join(problems),
            fix=f"re-annotate {path} against the current article",
        )
    return golden


def blessed(brief: Brief, user: str, today: dt.date) -> Brief:
    """A reviewed model brief turned golden: marked as annotated by the person who blessed it."""
    source = brief.provenance
    note = (
        f"Copied from model output ({source.model}, prompt {source.prompt_version}) by "
        f"`summarize eval --bless` on {user}'s explicit request after review; grounding "
        "warnings dropped. Edit it like any hand annotation."
    )
    provenance = Provenance(
        kind="hand_annotation",
        schema_version=source.schema_version,
        prompt_version=None,
        model=None,
        usage=Usage(),
        attempts=0,
        article_sha256=source.article_sha256,
        annotator=f"blessed by {user} from model output {source.model}",
        annotated_on=today,
        note=note,
    )
    return brief.model_copy(update={"provenance": provenance, "warnings": []})


def bless(
    briefs: Mapping[str, Brief], ids: Sequence[str], golden_dir: Path, user: str
) -> list[Path]:
    """Write the produced `briefs` of `ids` over their goldens."""
    wanted = list(briefs) if list(ids) == ["all"] else list(ids)
    unknown = [i for i in wanted if i not in briefs]
    if unknown:
        raise UsageError(
            f"cannot bless {', '.join(unknown)}: no brief was produced for it in this run "
            f"(produced: {', '.join(sorted(briefs)) or 'none'})"
        )
    written = []
    for article_id in wanted:
        path = golden_path(golden_dir, article_id)
        brief = blessed(briefs[article_id], user, dt.date.today())
        write_text_atomic(path, brief.model_dump_json(indent=2) + "\n")
        written.append(path)
    return written
