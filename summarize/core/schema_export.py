"""JSON Schema files exported from the Pydantic models (pure: returns text, writes nothing)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from summarize.core.brief import SCHEMA_VERSION, Brief
from summarize.core.extraction import Extraction

# File name -> model. `brief` is what summarize writes; `extraction` is what the model sees.
EXPORTED: dict[str, type[BaseModel]] = {
    "brief.schema.json": Brief,
    "extraction.schema.json": Extraction,
}


def exported_schemas() -> dict[str, str]:
    """The checked-in `schemas/` folder's expected content, file name to text."""
    out = {}
    for name, model in EXPORTED.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$comment"] = f"summarize schema version {SCHEMA_VERSION}; generated, do not edit"
        out[name] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out
