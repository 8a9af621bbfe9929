-- An imported report keeps its narrative (annual.Report.Text: the opening,
-- sections 一, 五 and 六), which its JSON shape leaves out, so that the
-- rectification register can read last year's problems from section 五.
-- Reports imported before this are filled in from their stored uploads
-- after migrating (store.backfillHistoryText).
ALTER TABLE annual_history ADD COLUMN text_json TEXT NOT NULL DEFAULT '';
