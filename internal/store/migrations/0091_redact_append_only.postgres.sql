-- 区分处理's records are append-only (0090), as the other histories are.
-- publish_append_only (0009) raises the error naming the table.
CREATE TRIGGER red_documents_no_change BEFORE UPDATE OR DELETE ON red_documents
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
CREATE TRIGGER red_marks_no_change BEFORE UPDATE OR DELETE ON red_marks
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
CREATE TRIGGER red_releases_no_change BEFORE UPDATE OR DELETE ON red_releases
	FOR EACH ROW EXECUTE FUNCTION publish_append_only();
