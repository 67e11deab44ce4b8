"""Provider batch engines: the live requests out as Batch API JSONL, the answers back as briefs.

    prepare.py   capture the live client's requests -> requests.jsonl + requests.meta.json
    provider.py  submit / status / fetch through the provider's files and batches APIs
    ingest.py    results.jsonl -> briefs, inside the shared run session
    answers.py   one chat completion -> one brief (pure)
    lines.py     the request, result and meta formats (pure, no openai SDK)
    errors.py    why a batch command cannot go on

Nothing is imported here, so that reading the formats does not load the openai SDK.
"""
