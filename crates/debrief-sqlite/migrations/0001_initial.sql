-- Base rows: postmortems (identity, provenance, tombstone) and their immutable revisions.
-- Everything else is derived from the latest revision and rebuilt on restore.
CREATE TABLE postmortems (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT UNIQUE,
    created_at TEXT NOT NULL,
    deleted_at TEXT,
    deleted_by TEXT,
    current_revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    -- derived
    title TEXT,
    severity TEXT,
    severity_key TEXT,
    status TEXT,
    status_key TEXT,
    date TEXT,
    services TEXT NOT NULL,
    body TEXT NOT NULL,
    record TEXT NOT NULL,
    record_sha256 TEXT NOT NULL
);

CREATE TABLE revisions (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    message TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    checksum TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, number)
);

CREATE TABLE labels (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX labels_by_value ON labels (kind, value);
CREATE INDEX labels_by_postmortem ON labels (postmortem_id);

CREATE TABLE action_items (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    owner TEXT,
    owner_key TEXT,
    due TEXT,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    tracker TEXT,
    PRIMARY KEY (postmortem_id, position)
);
CREATE INDEX action_items_by_owner ON action_items (owner_key);

CREATE INDEX postmortems_date ON postmortems (date);

-- Full-text search over the derived title and body, kept in step by triggers.
CREATE VIRTUAL TABLE search USING fts5 (
    title, body, content = 'postmortems', content_rowid = 'seq', tokenize = 'porter unicode61'
);
CREATE TRIGGER postmortems_search_insert AFTER INSERT ON postmortems BEGIN
    INSERT INTO search (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
CREATE TRIGGER postmortems_search_delete AFTER DELETE ON postmortems BEGIN
    INSERT INTO search (search, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
END;
CREATE TRIGGER postmortems_search_update AFTER UPDATE OF title, body ON postmortems BEGIN
    INSERT INTO search (search, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
    INSERT INTO search (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
