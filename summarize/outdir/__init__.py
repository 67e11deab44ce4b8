"""Everything under `--out`, written and read with the same types: the paths and the lock,
briefs, run.json, errors.jsonl, the ledger and the reviews. Runs write the folder through it;
memo, review, eval and log read it through it."""
