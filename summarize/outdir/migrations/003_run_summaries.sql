-- What a run's closing summary needs, kept for `summarize log OUT --run N`: each failed
-- article's stage and cause (errors.jsonl holds only the latest run's), and the run's
-- run.json head (counts, usage, quality, files not read), which run.json keeps only for the
-- latest run too.
ALTER TABLE articles ADD COLUMN stage TEXT;
ALTER TABLE articles ADD COLUMN cause TEXT;
ALTER TABLE runs ADD COLUMN manifest TEXT;
