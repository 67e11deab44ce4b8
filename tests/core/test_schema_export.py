import json
from pathlib import Path

from summarize.core.brief import SCHEMA_VERSION
from summarize.core.schema_export import exported_schemas

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def test_checked_in_schemas_match_the_code() -> None:
    for name, text in exported_schemas().items():
        path = SCHEMAS / name
        assert path.exists(), f"{path} is missing: run `summarize schema`"
        assert path.read_text(encoding="utf-8") == text, f"{path} drifted: run `summarize schema`"


def test_exported_schema_names_its_version() -> None:
    brief = json.loads(exported_schemas()["brief.schema.json"])
    assert SCHEMA_VERSION in brief["$comment"]
    assert "events" in brief["properties"]
