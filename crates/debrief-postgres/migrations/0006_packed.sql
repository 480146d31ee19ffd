-- Storage near the size of the text. The search vector is no longer generated from a stored
-- copy of the search text: the store writes it from each postmortem's search text when it is
-- saved, and the `body` column goes. Records and revision texts are bytes: written from now on
-- deflated (see debrief_store::packed); older rows keep their UTF-8 text and are read as it.
ALTER TABLE postmortems ALTER COLUMN search DROP EXPRESSION;
ALTER TABLE postmortems DROP COLUMN body;
ALTER TABLE postmortems ALTER COLUMN record TYPE bytea USING convert_to(record, 'UTF8');
ALTER TABLE revisions ALTER COLUMN content TYPE bytea USING convert_to(content, 'UTF8');
