-- One row that /healthz rewrites to prove the database can still be written (a full disk or a
-- read-only file shows here before a user's save fails).
CREATE TABLE health (
    id INTEGER PRIMARY KEY,
    checked_at TEXT NOT NULL
);
INSERT INTO health (id, checked_at) VALUES (1, '');
