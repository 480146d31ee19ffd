-- Base rows: postmortems (identity, provenance, tombstone) and their immutable revisions.
-- Everything else is derived from the latest revision and rebuilt on restore.
CREATE TABLE postmortems (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT UNIQUE,
    created_at TEXT NOT NULL,
    deleted_at TEXT,
    deleted_by TEXT,
    current_revision BIGINT NOT NULL,
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
    number BIGINT NOT NULL,
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
    position BIGINT NOT NULL,
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

-- Full-text search over the derived title (weight A) and body (weight B).
ALTER TABLE postmortems ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', body), 'B')
) STORED;
CREATE INDEX postmortems_search ON postmortems USING GIN (search);
CREATE INDEX postmortems_date ON postmortems (date);
