-- A change to what the search index holds for a postmortem asks for the index to be rebuilt: a
-- row here is a rebuild to do. The store rebuilds the index from the stored records when it
-- opens the database and finds one, and every rebuild removes them. The search text now indexes
-- a prose field read from a section's text once, with that text.
CREATE TABLE search_rebuild (reason TEXT NOT NULL);
INSERT INTO search_rebuild (reason) VALUES ('a field read from a section is indexed once');
