-- Every run, and every model exchange of it. IF NOT EXISTS: ledgers made before migrations
-- were numbered have these tables already, at user_version 0.
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    model TEXT,
    prompt_version TEXT,
    schema_version TEXT,
    recording TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    counts TEXT
);
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    article_id TEXT,
    attempt INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    seconds REAL NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    finish_reason TEXT,
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    total_tokens INTEGER NOT NULL DEFAULT 0,
    request TEXT NOT NULL,
    response TEXT
);
CREATE INDEX IF NOT EXISTS exchanges_by_article ON exchanges(article_id, run_id);
