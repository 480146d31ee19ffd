-- Webhooks that write timelines (Alertmanager, events): each has a name (its URL), a secret
-- kept as its SHA-256, how long a firing alert group keeps joining the draft it opened, and
-- which labels name a draft's services and severity (JSON, debrief_store::HookMapping).
CREATE TABLE hooks (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    window_minutes BIGINT NOT NULL,
    mapping TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- The draft each alert group of a hook last opened, and when the group was last heard from.
CREATE TABLE hook_groups (
    hook TEXT NOT NULL REFERENCES hooks (name) ON DELETE CASCADE,
    group_key TEXT NOT NULL,
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    last_at TEXT NOT NULL,
    PRIMARY KEY (hook, group_key)
);
