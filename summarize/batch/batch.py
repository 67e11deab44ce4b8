"""The names `summarize/cli/app.py` imports from before `batch` became a package of modules.

Re-exports only, so the CLI keeps working until it imports from the modules themselves;
delete this file then.
"""

from summarize.batch.errors import BatchError, BatchNotReadyError
from summarize.batch.ingest import IngestSummary, ingest, ingest_manifest, read_plan
from summarize.batch.lines import IngestPlan
from summarize.batch.prepare import prepare
from summarize.batch.provider import describe, fetch, status, submit

__all__ = [
    "BatchError",
    "BatchNotReadyError",
    "IngestPlan",
    "IngestSummary",
    "describe",
    "fetch",
    "ingest",
    "ingest_manifest",
    "prepare",
    "read_plan",
    "status",
    "submit",
]
