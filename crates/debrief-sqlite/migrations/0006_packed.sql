-- Storage near the size of the text. The search index becomes contentless: it keeps the index
-- only, written by the store from each postmortem's search text, which no table keeps any longer
-- (the postmortems' `body` column goes). Deleting a postmortem row removes its index entry.
-- Records and revision texts written from now on are deflated (see debrief_store::packed);
-- older rows stay plain text and are read as they are.
DROP TRIGGER postmortems_search_insert;
DROP TRIGGER postmortems_search_delete;
DROP TRIGGER postmortems_search_update;
DROP TABLE search;
CREATE VIRTUAL TABLE search USING fts5 (
    title, body, content = '', contentless_delete = 1, tokenize = 'porter unicode61'
);
INSERT INTO search (rowid, title, body) SELECT seq, title, body FROM postmortems;
CREATE TRIGGER postmortems_search_delete AFTER DELETE ON postmortems BEGIN
    DELETE FROM search WHERE rowid = old.seq;
END;
ALTER TABLE postmortems DROP COLUMN body;
