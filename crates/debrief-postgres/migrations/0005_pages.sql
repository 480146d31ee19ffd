-- Action items are listed a page at a time in one of three orders (due date, owner, postmortem
-- title). Each order's key is stored beside the item and indexed, so a page reads the index from
-- where the previous page ended instead of sorting every item. Missing values are stored as `~`,
-- and the keys compare byte by byte (COLLATE "C", as on SQLite), so that they sort last.
ALTER TABLE action_items
    ADD COLUMN due_key TEXT COLLATE "C" NOT NULL DEFAULT '~',
    ADD COLUMN owner_sort TEXT COLLATE "C" NOT NULL DEFAULT '~',
    ADD COLUMN incident_date TEXT COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN title_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE action_items a SET
    due_key = CASE WHEN a.due ~ '^[0-9]{4}-[0-1][0-9]-[0-3][0-9]' THEN substr(a.due, 1, 10) ELSE '~' END,
    owner_sort = CASE WHEN a.owner_key IS NULL OR a.owner_key = '' THEN '~' ELSE a.owner_key END,
    incident_date = COALESCE(p.date, ''),
    title_key = COALESCE(lower(p.title), '')
FROM postmortems p WHERE p.id = a.postmortem_id;
DROP INDEX action_items_by_owner;
CREATE INDEX action_items_by_due ON action_items (due_key, incident_date, postmortem_id, position);
CREATE INDEX action_items_by_owner ON action_items (owner_sort, due_key, postmortem_id, position);
CREATE INDEX action_items_by_title ON action_items (title_key, postmortem_id, position);

-- Lists end their order with the id, so that postmortems of the same day come in a stable
-- order, and read their page from an index of the live postmortems (partial: PostgreSQL would
-- not take `deleted_at IS NULL` on an index's first column as fixing its order) that ends with
-- the id too, so that no page sorts the day's postmortems, nor, for the last-updated order,
-- every postmortem (undated ones last in the oldest-first order). The index on the date alone goes (PostgreSQL preferred it, then sorted).
DROP INDEX postmortems_date;
DROP INDEX postmortems_live;
DROP INDEX postmortems_live_title;
CREATE INDEX postmortems_live ON postmortems (date, id) WHERE deleted_at IS NULL;
CREATE INDEX postmortems_live_title ON postmortems ((COALESCE(lower(title), '')), id) WHERE deleted_at IS NULL;
CREATE INDEX postmortems_live_updated ON postmortems (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX postmortems_live_oldest ON postmortems ((date IS NULL), date, id) WHERE deleted_at IS NULL;
