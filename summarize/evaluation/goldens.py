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
from summarize.core.review import Review
from summarize.evaluation.results import SetupError
from summarize.outdir.reviews import ReviewError, ReviewStore


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


def reviewed_golden(review: Review) -> Brief:
    """A brief a reviewer corrected and marked reviewed, as a golden: annotated by them."""
    brief = review.brief
    when = review.reviewed_at or review.updated_at
    provenance = Provenance(
        kind="hand_annotation",
        schema_version=brief.provenance.schema_version,
        attempts=0,
        article_sha256=review.article_sha256,
        annotator=f"{review.reviewed_by or review.updated_by} (summarize review)",
        annotated_on=when.date(),
        note=f"Reviewed in summarize review from model output ({review.model}, prompt "
        f"{review.prompt_version}) with {len(review.corrections)} correction(s); grounding "
        "warnings dropped.",
    )
    return brief.model_copy(update={"provenance": provenance, "warnings": []})


def write_reviewed_goldens(folder: Path, golden_dir: Path) -> list[Path]:
    """Write the briefs marked reviewed in run output `folder` into `golden_dir` as goldens."""
    try:
        reviews = [r for r in ReviewStore(folder).all().values() if r.reviewed]
    except ReviewError as exc:
        raise UsageError(str(exc)) from None
    if not reviews:
        raise UsageError(
            f"{folder} has no reviewed briefs to use as goldens",
            hint=f"review some with `summarize review {folder}` and mark them reviewed",
        )
    written = []
    for review in reviews:
        path = golden_path(golden_dir, review.article_id)
        write_text_atomic(path, reviewed_golden(review).model_dump_json(indent=2) + "\n")
        written.append(path)
    return written
