-- What lists filter and sort on: counting and paging a filtered list read these indexes, not
-- the rows (which carry every postmortem's text).
CREATE INDEX postmortems_live ON postmortems (deleted_at, date);
CREATE INDEX postmortems_live_title ON postmortems (deleted_at, (COALESCE(lower(title), '')));
CREATE INDEX postmortems_status ON postmortems (status_key, date);
CREATE INDEX postmortems_severity ON postmortems (severity_key, date);
