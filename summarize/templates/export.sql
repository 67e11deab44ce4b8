-- The SQLite export (summarize export OUT --output FILE.sqlite): one row per memo event, and
-- the people, claims, follow-ups and sources of each, joined by event_id and article_id.
-- Dates are ISO 8601 text (YYYY-MM-DD); booleans are 0/1; NULL where nothing is known.
PRAGMA foreign_keys = ON;

CREATE TABLE events (
    event_id TEXT PRIMARY KEY,          -- E1, E2, ...: the memo's event ids for the same folder
    date TEXT,                          -- resolved; NULL when no report's date resolved
    date_as_written TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,               -- held / planned / cancelled / unclear (reports differing: "held / planned")
    summary TEXT NOT NULL,
    initiator TEXT NOT NULL,            -- empty when not stated
    place TEXT NOT NULL,
    topics TEXT NOT NULL,
    n_sources INTEGER NOT NULL,
    disputed TEXT NOT NULL,             -- facts the reports disagree on, each version with its outlets
    warnings TEXT NOT NULL,             -- the briefs' grounding warnings about this event
    reviewed TEXT NOT NULL,             -- yes / no / "1 of 2 reports"
    merge_rules TEXT NOT NULL
);

CREATE TABLE sources (
    article_id TEXT PRIMARY KEY,
    outlet TEXT NOT NULL,
    headline TEXT NOT NULL,
    url TEXT NOT NULL,
    published_date TEXT,
    published_as_written TEXT NOT NULL,
    n_events INTEGER NOT NULL,
    no_event_reason TEXT NOT NULL,
    reviewed INTEGER NOT NULL,
    provenance TEXT NOT NULL
);

CREATE TABLE event_sources (
    event_id TEXT NOT NULL REFERENCES events (event_id),
    article_id TEXT NOT NULL REFERENCES sources (article_id),
    brief_event_id TEXT NOT NULL,       -- the event's id in the article's own brief
    PRIMARY KEY (event_id, brief_event_id)
);

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (event_id),
    role TEXT NOT NULL,                 -- participant / mentioned
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    titles TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    weak_evidence INTEGER NOT NULL
);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (event_id),
    side TEXT NOT NULL,
    party INTEGER NOT NULL,             -- 1: the side is a party to the contact
    kind TEXT NOT NULL,                 -- agreed / disagreed / decided / claimed
    statement TEXT NOT NULL,
    stated_by TEXT NOT NULL,
    outlets TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    evidence TEXT NOT NULL
);

CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events (event_id),
    action TEXT NOT NULL,
    responsible TEXT NOT NULL,
    due_as_written TEXT NOT NULL,
    due_date TEXT,
    status TEXT NOT NULL                -- open / overdue / met / no_later_report
);

CREATE INDEX events_date ON events (date);
CREATE INDEX events_type ON events (type);
CREATE INDEX event_sources_article ON event_sources (article_id);
CREATE INDEX participants_event ON participants (event_id);
CREATE INDEX participants_name ON participants (name);
CREATE INDEX participants_affiliation ON participants (affiliation);
CREATE INDEX claims_event ON claims (event_id);
CREATE INDEX claims_side ON claims (side);
CREATE INDEX follow_ups_event ON follow_ups (event_id);
CREATE INDEX sources_outlet ON sources (outlet);

-- One row per event with its people and sources as text, as in the CSV export.
CREATE VIEW events_flat AS
SELECT
    e.*,
    (SELECT group_concat(p.name, '; ') FROM participants p
        WHERE p.event_id = e.event_id AND p.role = 'participant') AS participants,
    (SELECT group_concat(DISTINCT p.affiliation) FROM participants p
        WHERE p.event_id = e.event_id AND p.role = 'participant' AND p.affiliation != '') AS affiliations,
    (SELECT group_concat(DISTINCT s.outlet) FROM event_sources x JOIN sources s USING (article_id)
        WHERE x.event_id = e.event_id AND s.outlet != '') AS outlets,
    (SELECT group_concat(x.article_id, '; ') FROM event_sources x
        WHERE x.event_id = e.event_id) AS article_ids
FROM events e;
