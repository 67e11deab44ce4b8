"""Which prompt, model, endpoint and recordings folder each cell of a matrix gets (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarize.core.errors import UsageError
from summarize.evaluation.cell_plan import CellSpec, ModelEndpoint, plan_cells, slug

SHIPPED = Path("prompts/extract.j2")
BASE = Path("fixtures/recordings")


def plan(prompts: list[Path | None], models: list[str | None], **changes: object) -> list[CellSpec]:
    given: dict[str, object] = {
        "shipped_prompt": SHIPPED,
        "recordings": None,
        "default_recordings": BASE,
        "base_url": "http://127.0.0.1:9/v1",
        "endpoints": {},
    }
    return plan_cells(prompts, models, **{**given, **changes})  # type: ignore[arg-type]


def test_every_prompt_with_every_model_each_in_its_own_folder() -> None:
    cells = plan([SHIPPED, Path("p/terse.j2")], ["m1", "org/m 2"])
    assert [(c.label, str(c.recordings)) for c in cells] == [
        ("extract x m1", "fixtures/recordings"),
        ("extract x org/m 2", "fixtures/recordings-org-m-2"),
        ("terse x m1", "fixtures/recordings-terse"),
        ("terse x org/m 2", "fixtures/recordings-terse-org-m-2"),
    ]
    assert len({c.recordings for c in cells}) == 4


def test_one_cell_keeps_the_folder_it_is_given() -> None:
    (cell,) = plan([Path("p/terse.j2")], ["m1"], recordings=Path("mine"))
    assert cell.recordings == Path("mine")
    (cell,) = plan([Path("p/terse.j2")], [None])
    assert cell.recordings == Path("fixtures/recordings-terse")
    (cell,) = plan([None], [None])
    assert cell.recordings == BASE and cell.label == "shipped prompt x recorded model"


def test_a_model_can_name_its_endpoint_and_folder() -> None:
    endpoints = {"m2": ModelEndpoint(base_url="http://other:8/v1", recordings="rec/m2")}
    cells = plan([None, Path("t.j2")], ["m1", "m2"], endpoints=endpoints)
    assert [(c.model, c.base_url, str(c.recordings)) for c in cells] == [
        ("m1", "http://127.0.0.1:9/v1", "fixtures/recordings"),
        ("m2", "http://other:8/v1", "rec/m2"),
        ("m1", "http://127.0.0.1:9/v1", "fixtures/recordings-t"),
        ("m2", "http://other:8/v1", "rec/m2-t"),
    ]


def test_two_prompts_of_one_name_would_share_a_folder() -> None:
    with pytest.raises(UsageError, match="same name"):
        plan([Path("a/x.j2"), Path("b/x.j2")], [None])


def test_slug_keeps_names_readable() -> None:
    assert slug("qwen2.5:7b") == "qwen2.5-7b" and slug("///") == "x"
