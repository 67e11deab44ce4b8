"""`summarize eval`: prompt regression testing against hand-annotated golden briefs.

Pure (no I/O): `results` (the data), `align` (what pairs with what), `fields` (each field
compared), `cases` (the case rule, repeats, metrics), `compare` (against a reference; the
verdict). Shell: `config` (eval.toml), `goldens`, `baseline`, `reports` (every output form),
`run` (produce, score, compare), `command` (what the CLI calls).
"""
