package store_test

import (
	"fmt"
	"strings"
	"testing"

	"gongkai/internal/store"
)

// The annual report's benchmark world: records written straight into the
// store's schema at the grain the work produces them — applications with
// their events (registered, fee notice and payment, answer), subjects and
// appeals; items with their versions and events (create, submit, approve,
// publish; a tenth revised and published again); rules and normative
// documents among them; decisions; call-detail records of a completed
// import, hotline records with ratings; web consultations and messages with
// their events (received, approved or dismissed). Every row is made by one
// INSERT … SELECT over a series in the database itself (a recursive CTE on
// SQLite, generate_series on PostgreSQL), so a million of each takes
// seconds; the values are spread over 2023 and 2024 by a multiplicative
// hash of the row number, the same on both engines.

// genShape is a world: Units units (the first the parent of the others),
// each with PerUnit applications, items, call-detail records and messages.
type genShape struct {
	Units, PerUnit int
}

func (s genShape) String() string { return fmt.Sprintf("%dx%d", s.Units, s.PerUnit) }

// genSQL writes the dialect's pieces of the generating statements.
type genSQL struct{ d store.Dialect }

// series is the CTE "s(n)" of 1..n.
func (g genSQL) series(n int) string {
	if g.d == store.Postgres {
		return fmt.Sprintf("WITH s(n) AS (SELECT generate_series(1, %d)) ", n)
	}
	return fmt.Sprintf("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %d) ", n)
}

// day is the civil date expr days after base (YYYY-MM-DD).
func (g genSQL) day(base, expr string) string {
	if g.d == store.Postgres {
		return fmt.Sprintf("to_char(date '%s' + (%s)::int, 'YYYY-MM-DD')", base, expr)
	}
	return fmt.Sprintf("date('%s', (%s) || ' days')", base, expr)
}

// addDays is a stored date column plus expr days.
func (g genSQL) addDays(col, expr string) string {
	if g.d == store.Postgres {
		return fmt.Sprintf("to_char(%s::date + (%s)::int, 'YYYY-MM-DD')", col, expr)
	}
	return fmt.Sprintf("date(%s, (%s) || ' days')", col, expr)
}

// inst is the stored instant (UTC, the store's layout) expr seconds after
// base ("YYYY-MM-DD HH:MM:SS", UTC).
func (g genSQL) inst(base, expr string) string {
	if g.d == store.Postgres {
		return fmt.Sprintf(`to_char(timestamp '%s' + (%s) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS".000000Z"')`, base, expr)
	}
	return fmt.Sprintf("strftime('%%Y-%%m-%%dT%%H:%%M:%%S.000000Z', '%s', (%s) || ' seconds')", base, expr)
}

// addSecs is a stored instant column plus expr seconds.
func (g genSQL) addSecs(col, expr string) string {
	if g.d == store.Postgres {
		return fmt.Sprintf(`to_char(to_timestamp(%s, 'YYYY-MM-DD"T"HH24:MI:SS') + (%s) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS".000000Z"')`, col, expr)
	}
	return fmt.Sprintf("strftime('%%Y-%%m-%%dT%%H:%%M:%%S.000000Z', substr(%s, 1, 19), (%s) || ' seconds')", col, expr)
}

// h is a hash of the row number n with a salt, in 0..m-1.
func h(salt, m int) string {
	return fmt.Sprintf("(((n * %d) %% 2147483647) %% %d)", 2654435761+int64(salt)*81006, m)
}

// pick is a CASE choosing one of vals by a hash of n.
func pick(salt int, vals ...string) string {
	var b strings.Builder
	b.WriteString("CASE " + h(salt, len(vals)))
	for i, v := range vals {
		fmt.Fprintf(&b, " WHEN %d THEN '%s'", i, v)
	}
	b.WriteString(" END")
	return b.String()
}

// The 2023–2024 span of instants: from 2023-01-01 00:00 in Beijing.
const (
	genFrom   = "2022-12-31 16:00:00"
	genSecs   = 730 * 86400
	genDay0   = "2022-12-01" // applications are received from here, 760 days on
	genDays   = 760
	genCreate = "2022-12-01T00:00:00.000000Z"
)

// generate writes the world into an empty, migrated database and returns
// the ids of its units (the parent first).
func generate(tb testing.TB, db *store.DB, s genShape) []int64 {
	tb.Helper()
	g := genSQL{db.Dialect()}
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if g.d == store.SQLite {
		// A page cache of 1 GB for the transaction: the indexes are
		// written in hash order, and a small cache spills them to the WAL
		// again and again.
		if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -1000000"); err != nil {
			tb.Fatal(err)
		}
		defer conn.ExecContext(ctx, "PRAGMA cache_size = -2000")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		tb.Helper()
		if g.d == store.Postgres {
			q = rebindPG(q)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			tb.Fatalf("%v\n%s", err, q)
		}
	}
	var base int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM units").Scan(&base); err != nil {
		tb.Fatal(err)
	}
	if base != 0 {
		tb.Fatal("generate needs an empty database")
	}
	U, P, N := s.Units, s.PerUnit, s.Units*s.PerUnit
	// unit is the unit id of row n; k its number within the unit (0-based).
	unit := fmt.Sprintf("(1 + (n - 1) / %d)", P)
	// Units, one department each, five categories each (the same slugs).
	exec("INSERT INTO units (id, parent_id, code, name, created_at) VALUES (1, NULL, 'u1', '总署', ?)", genCreate)
	if U > 1 {
		exec(g.series(U-1)+"INSERT INTO units (id, parent_id, code, name, created_at) SELECT n + 1, 1, 'u' || (n + 1), '直属海关' || (n + 1), ? FROM s", genCreate)
	}
	exec(g.series(U) + "INSERT INTO departments (id, unit_id, name) SELECT n, n, '办公室' FROM s")
	cats := []string{"laws", "policies", "guides", "decisions", "notices"}
	for i, slug := range cats {
		exec(g.series(U)+fmt.Sprintf("INSERT INTO publish_categories (id, unit_id, slug, name, sort, in_report, created_at) SELECT (n - 1) * 5 + %d, n, '%s', '栏目%d', %d, 1, ? FROM s", i+1, slug, i+1, i), genCreate)
	}

	// Applications: received over 760 days from 1 December 2022; 2 in 100
	// still open, the others answered 0–24 days after receipt.
	recv := g.day(genDay0, h(1, genDays))
	open := h(2, 50) + " = 0"
	conc := g.day(genDay0, h(1, genDays)+" + "+h(3, 25))
	outcome := pick(4, "disclosed", "disclosed", "disclosed", "partly_disclosed", "unavailable_not_held", "withheld_third_party_rights",
		"not_processed_repeat", "other_other", "other_other", "unavailable_still_unclear")
	applicant := pick(5, "natural_person", "natural_person", "natural_person", "natural_person", "natural_person", "natural_person",
		"commercial", "commercial", "research", "legal_services")
	exec(g.series(N)+`INSERT INTO req_applications (id, unit_id, receipt_no, idem_token, query_hash, channel, applicant_type, applicant_name,
		id_sealed, id_masked, phone, address, email, description, form, delivery, received_on, created_by, created_at, status, due_on,
		concluded_on, outcome, sub_kind, event_count)
		SELECT n, `+unit+`, 'YSQ' || n, 'tok' || n, 'q' || n, 'online', `+applicant+`, '申请人' || n,
		'', '', '', '', '', '申请公开' || n || '号文件', 'electronic', 'email', `+recv+`, 'bench', ?,
		CASE WHEN `+open+` THEN 'processing' ELSE 'answered' END, `+g.day(genDay0, h(1, genDays)+" + 20")+`,
		CASE WHEN `+open+` THEN '' ELSE `+conc+` END,
		CASE WHEN `+open+` THEN '' ELSE `+outcome+` END, '', 2 FROM s`, genCreate)
	// The customs split of 其他: withdrawn, or pointed to the consultation channel.
	exec(`UPDATE req_applications SET sub_kind = CASE WHEN id % 3 = 0 THEN '申请人撤销申请' WHEN id % 3 = 1 THEN '咨询事项指引咨询渠道' ELSE '' END WHERE outcome = 'other_other'`)
	evCols := "application_id, seq, kind, on_date, role, outcome, sub_kind, days, yuan, approved, note, actor_id, actor_name, created_at"
	exec("INSERT INTO req_events ("+evCols+") SELECT id, 1, 'registered', received_on, 'registrar', '', '', 0, 0, 0, '', 0, 'bench', ? FROM req_applications", genCreate)
	// One in 200 charged a fee (条例第四十二条) and paid it.
	exec("INSERT INTO req_events ("+evCols+") SELECT id, 2, 'fee_noticed', received_on, 'handler', '', '', 0, 100 + id % 400, 0, '', 0, 'bench', ? FROM req_applications WHERE id % 200 = 7", genCreate)
	exec("INSERT INTO req_events ("+evCols+") SELECT id, 3, 'fee_paid', "+g.addDays("received_on", "1")+", 'applicant', '', '', 0, 0, 0, '', 0, 'bench', ? FROM req_applications WHERE id % 200 = 7", genCreate)
	exec("INSERT INTO req_events ("+evCols+") SELECT id, 4, CASE WHEN sub_kind = '申请人撤销申请' THEN 'withdrawn' ELSE 'answered' END, concluded_on, 'handler', outcome, sub_kind, 0, 0, 1, '', 0, 'bench', ? FROM req_applications WHERE concluded_on <> ''", genCreate)
	exec(`INSERT INTO req_subjects (application_id, subject, pos) SELECT id, CASE id % 5 WHEN 0 THEN '统计数据' WHEN 1 THEN '报关单证' WHEN 2 THEN '行政执法信息'
		WHEN 3 THEN '进出口企业信息' ELSE '其他' END, 0 FROM req_applications`)
	exec(`INSERT INTO req_subjects (application_id, subject, pos) SELECT id, '统计数据', 1 FROM req_applications WHERE id % 7 = 1 AND id % 5 <> 0`)
	// One in 100 answered applications appealed; two thirds decided 60 days on.
	exec(`INSERT INTO req_appeals (application_id, kind, filed_on, result, decided_on, created_at)
		SELECT id, CASE id % 3 WHEN 0 THEN 'reconsideration' WHEN 1 THEN 'litigation_direct' ELSE 'litigation_after_reconsideration' END,
		`+g.addDays("concluded_on", "30")+`, CASE (id / 100) % 4 WHEN 0 THEN 'upheld' WHEN 1 THEN 'corrected' WHEN 2 THEN 'other' ELSE '' END,
		CASE WHEN (id / 100) % 4 = 3 THEN '' ELSE `+g.addDays("concluded_on", "90")+` END, ?
		FROM req_applications WHERE concluded_on <> '' AND id % 100 = 3`, genCreate)

	// Items: first published over 2023–2024; one in 100 a rule, one in 100 a
	// normative document (one in three of those later abolished); one in ten
	// revised 100 days on and published again.
	pub := g.inst(genFrom, h(6, genSecs))
	cat := "((" + unit + " - 1) * 5 + 1 + " + h(7, 5) + ")"
	kind := "CASE n % 100 WHEN 0 THEN 'rule' WHEN 1 THEN 'normative' ELSE '' END"
	made := g.day("2022-12-25", h(6, genSecs)+" / 86400")
	exec(g.series(N)+`INSERT INTO publish_items (id, unit_id, state, version, events, title, doc_no, department_id, made_on, category_id, attribute,
		doc_kind, publish_at, published_version, first_publish_at, validity, validity_on, created_at, updated_at)
		SELECT n, `+unit+`, 'published', CASE WHEN n % 10 = 5 THEN 2 ELSE 1 END, CASE WHEN n % 10 = 5 THEN 6 ELSE 4 END,
		'关于公开事项的公告' || n, '', `+unit+`, `+made+`, `+cat+`, 'active', `+kind+`, `+pub+`,
		CASE WHEN n % 10 = 5 THEN 2 ELSE 1 END, `+pub+`,
		CASE WHEN n % 100 < 2 THEN CASE WHEN n % 300 < 2 THEN 'abolished' ELSE 'valid' END ELSE '' END,
		CASE WHEN n % 100 < 2 AND n % 300 < 2 THEN `+g.day("2023-03-01", h(8, 600))+` ELSE '' END, ?, ? FROM s`, genCreate, genCreate)
	verCols := "item_id, version, title, doc_no, department_id, made_on, category_id, attribute, ground, body, doc_kind, valid_from, legal_review, interprets, attachments, author_id, author_name, created_at"
	exec("INSERT INTO publish_versions (" + verCols + ") SELECT id, 1, title, '', department_id, made_on, category_id, 'active', '', '正文', doc_kind, '', 0, 0, '[]', 0, 'bench', created_at FROM publish_items")
	exec("INSERT INTO publish_versions (" + verCols + ") SELECT id, 2, title, '', department_id, made_on, category_id, 'active', '', '正文（更新）', doc_kind, '', 0, 0, '[]', 0, 'bench', created_at FROM publish_items WHERE version = 2")
	peCols := "item_id, seq, kind, at, actor_id, actor_name, version, publish_at"
	for i, k := range []string{"create", "submit", "approve"} {
		exec(fmt.Sprintf("INSERT INTO publish_events ("+peCols+") SELECT id, %d, '%s', %s, 0, 'bench', 1, '' FROM publish_items", i+1, k, g.addSecs("first_publish_at", fmt.Sprint(-3600*(3-i)))))
	}
	exec("INSERT INTO publish_events (" + peCols + ") SELECT id, 4, 'publish', first_publish_at, 0, 'bench', 1, first_publish_at FROM publish_items")
	later := g.addSecs("first_publish_at", "8640000")
	exec("INSERT INTO publish_events (" + peCols + ") SELECT id, 5, 'revise', " + later + ", 0, 'bench', 2, '' FROM publish_items WHERE version = 2")
	exec("INSERT INTO publish_events (" + peCols + ") SELECT id, 6, 'publish', " + later + ", 0, 'bench', 2, " + later + " FROM publish_items WHERE version = 2")
	// Decisions (第二十条第（五）（六）项): one per 50 items' worth.
	exec(g.series(N/50)+`INSERT INTO publish_decisions (unit_id, kind, doc_no, subject, subject_type, credit_code, matter, result, basis, decided_on, publicize, batch, created_by, created_at)
		SELECT 1 + ((n - 1) * 50) / `+fmt.Sprint(P)+`, `+pick(9, "licensing", "licensing", "penalty", "enforcement")+`, '榕关决字' || n, '企业' || n, 'org', '', '事项', '结果', '依据',
		`+g.day("2023-01-01", h(10, 730))+`, 1, '', 'bench', ? FROM s`, genCreate)

	// Calls: each unit's call-detail records in one completed import; 97 in
	// 100 answered. Hotline records: half as many, four in five rated.
	exec(g.series(U)+"INSERT INTO desk_imports (id, unit_id, kind, file_name, mapping, mode, state, rows_read, rows_imported, created_by, created_at, finished_at) SELECT n, n, 'cdr', 'cdr.csv', '{}', 'append', 'done', ?, ?, 'bench', ?, ? FROM s", P, P, genCreate, genCreate)
	exec(g.series(N) + `INSERT INTO desk_cdr (unit_id, import_id, call_id, started_at, answered, wait_secs, talk_secs, agent)
		SELECT ` + unit + `, ` + unit + `, 'C' || n, ` + g.inst(genFrom, h(11, genSecs)) + `, CASE WHEN ` + h(12, 100) + ` < 97 THEN 1 ELSE 0 END,
		` + h(13, 40) + `, CASE WHEN ` + h(12, 100) + ` < 97 THEN 30 + ` + h(14, 400) + ` ELSE 0 END, '' FROM s`)
	exec(g.series(N/2)+`INSERT INTO desk_calls (unit_id, channel, at, caller_type, topic, question, answer, agent_name, rating, created_at)
		SELECT 1 + ((n - 1) * 2) / `+fmt.Sprint(P)+`, 'phone', `+g.inst(genFrom, h(15, genSecs))+`, 'person', '通关', '咨询' || n, '答复', '坐席',
		CASE WHEN `+h(16, 5)+` = 0 THEN 0 ELSE CASE `+h(17, 10)+` WHEN 0 THEN 3 WHEN 1 THEN 4 ELSE 5 END END, ? FROM s`, genCreate)

	// Messages: consultations and messages in turn; 95 in 100 approved 0–4
	// days on, 1 in 100 dismissed, the rest open.
	rec := g.inst(genFrom, h(18, genSecs))
	st := h(19, 100)
	exec(g.series(N) + `INSERT INTO desk_enquiries (id, unit_id, kind, ref, query_hash, received_at, name, phone, email, topic, subject, body, public_ok, state, answered_at, event_count)
		SELECT n, ` + unit + `, CASE WHEN n % 2 = 0 THEN 'consult' ELSE 'message' END, 'LY' || n, 'q' || n, ` + rec + `, '群众', '', '', '通关', '咨询事项' || n, '内容', 0,
		CASE WHEN ` + st + ` < 95 THEN 'approved' WHEN ` + st + ` = 95 THEN 'dismissed' ELSE 'received' END,
		CASE WHEN ` + st + ` < 95 THEN ` + g.inst(genFrom, h(18, genSecs)+" + "+h(20, 5*86400)) + ` ELSE '' END,
		CASE WHEN ` + st + ` < 96 THEN 2 ELSE 1 END FROM s`)
	exec("INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_name) SELECT id, 1, received_at, 'received', '公众' FROM desk_enquiries")
	exec("INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_name, body) SELECT id, 2, answered_at, 'approved', '审核人', '答复' FROM desk_enquiries WHERE state = 'approved'")
	exec("INSERT INTO desk_enquiry_events (enquiry_id, seq, at, kind, actor_name, note) SELECT id, 2, " + g.addSecs("received_at", "3600") + ", 'dismissed', '审核人', '重复' FROM desk_enquiries WHERE state = 'dismissed'")

	if g.d == store.Postgres {
		// The explicit ids leave the sequences behind.
		for _, t := range []string{"units", "departments", "publish_categories", "req_applications", "publish_items", "desk_imports", "desk_enquiries"} {
			exec(fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t))
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, U)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	return ids
}
