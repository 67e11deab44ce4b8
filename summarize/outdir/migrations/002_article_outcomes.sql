-- Each article's outcome in each run: what resume consults.
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    article_id TEXT,
    file TEXT NOT NULL,
    article_sha256 TEXT,
    status TEXT NOT NULL,
    brief_sha256 TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0,
    note TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_id ON articles(article_id, status);
CREATE INDEX IF NOT EXISTS articles_by_text ON articles(run_id, article_sha256);
