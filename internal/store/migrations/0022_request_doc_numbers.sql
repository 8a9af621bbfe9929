-- 文书编号 (issue 11): every letter and notice of an application carries a
-- number from a per-unit, per-kind, per-year-of-issue sequence, allocated
-- in the transaction that stores the document (so two instances never
-- issue the same number). Documents stored before keep theirs ('').
CREATE TABLE req_doc_numbers (
	unit_id BIGINT NOT NULL REFERENCES units(id),
	kind TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (unit_id, kind, year)
);
ALTER TABLE req_letters ADD COLUMN doc_no TEXT NOT NULL DEFAULT '';
