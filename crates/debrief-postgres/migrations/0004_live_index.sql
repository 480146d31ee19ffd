-- Live postmortems by incident date: counting a filtered list and paging it read this index,
-- not the rows (which carry every postmortem's text).
CREATE INDEX postmortems_live ON postmortems (deleted_at, date);
