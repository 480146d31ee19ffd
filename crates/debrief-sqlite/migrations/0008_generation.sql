-- A number that grows with every change to what lists and searches show: a postmortem written,
-- deleted or restricted, its members changed, the search index rebuilt. Pages that list or
-- search keep their answer under it and reuse it until it changes (every process writing the
-- file bumps it, in the same transaction as the change).
CREATE TABLE library (generation INTEGER NOT NULL);
INSERT INTO library (generation) VALUES (0);

CREATE TRIGGER library_postmortem_added AFTER INSERT ON postmortems
BEGIN UPDATE library SET generation = generation + 1; END;
CREATE TRIGGER library_postmortem_changed AFTER UPDATE ON postmortems
BEGIN UPDATE library SET generation = generation + 1; END;
CREATE TRIGGER library_postmortem_removed AFTER DELETE ON postmortems
BEGIN UPDATE library SET generation = generation + 1; END;
CREATE TRIGGER library_member_added AFTER INSERT ON members
BEGIN UPDATE library SET generation = generation + 1; END;
CREATE TRIGGER library_member_removed AFTER DELETE ON members
BEGIN UPDATE library SET generation = generation + 1; END;
