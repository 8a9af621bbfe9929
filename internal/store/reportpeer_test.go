package store_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/desk"
	"gongkai/internal/report"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// The peer of the annual report's build: hand-written GROUP BY queries over
// the same rows that produce tables 二, 三 and 四 and section 一's counts,
// as someone would write them without the product — no domain rules, no
// event replay. Both come out as one flat map of figures (figureMap), which
// TestReportPeer holds equal and BenchmarkReportBuild times side by side.

type figureMap map[string]int64

func (m figureMap) add(k string, n int64) {
	if n != 0 {
		m[k] += n
	}
}

// peerFigures computes the figures of the units' year by GROUP BYs.
func peerFigures(tb testing.TB, db *store.DB, unitIDs []int64, year int) figureMap {
	tb.Helper()
	m := figureMap{}
	ph := "(?" + strings.Repeat(", ?", len(unitIDs)-1) + ")"
	units := make([]any, len(unitIDs))
	for i, id := range unitIDs {
		units[i] = id
	}
	f, l := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	cst := time.FixedZone("CST", 8*3600)
	t0 := time.Date(year, 1, 1, 0, 0, 0, 0, cst).UTC().Format("2006-01-02T15:04:05.000000Z")
	t1 := time.Date(year+1, 1, 1, 0, 0, 0, 0, cst).UTC().Format("2006-01-02T15:04:05.000000Z")
	tp := time.Date(year-1, 1, 1, 0, 0, 0, 0, cst).UTC().Format("2006-01-02T15:04:05.000000Z")
	now := db.Now().UTC().Format("2006-01-02T15:04:05.000000Z")
	q := func(sql string, args []any, scan func(vals []any)) {
		tb.Helper()
		if db.Dialect() == store.Postgres {
			sql = rebindPG(sql)
		}
		if os.Getenv("GONGKAI_PROBE") != "" {
			defer func(t0 time.Time) {
				fmt.Printf("  peer %6.0f ms  %.60s\n", ms(time.Since(t0)), strings.Join(strings.Fields(sql), " "))
			}(time.Now())
		}
		rows, err := db.SQL().QueryContext(ctx, sql, args...)
		if err != nil {
			tb.Fatalf("%v\n%s", err, sql)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			scan(vals)
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	with := func(pre []any, post ...any) []any { return append(append(append([]any{}, pre...), units...), post...) }

	// Table 二.
	q(`SELECT doc_kind, SUM(CASE WHEN made_on >= ? AND made_on <= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN validity = 'abolished' AND validity_on >= ? AND validity_on <= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN made_on <> '' AND made_on <= ? AND NOT (validity IN ('abolished', 'expired') AND validity_on <> '' AND validity_on <= ?) THEN 1 ELSE 0 END)
		FROM publish_items WHERE doc_kind IN ('rule', 'normative') AND first_publish_at <> '' AND unit_id IN `+ph+` GROUP BY doc_kind`,
		with([]any{f, l, f, l, l, l}), func(v []any) {
			k := map[string]string{"rule": "regulations", "normative": "normative_documents"}[str(v[0])]
			m.add("t2."+k+".issued", num(v[1]))
			m.add("t2."+k+".abolished", num(v[2]))
			m.add("t2."+k+".in_force", num(v[3]))
		})
	q(`SELECT kind, count(*) FROM publish_decisions WHERE decided_on >= ? AND decided_on <= ? AND unit_id IN `+ph+` GROUP BY kind`,
		with([]any{f, l}), func(v []any) { m.add("t2."+str(v[0]), num(v[1])) })

	// Table 三: received, carried over and forward by applicant; the year's
	// conclusions by applicant, outcome and sub-kind.
	col := func(t string) []string {
		i := 0
		for j, k := range annual.ColumnKeys {
			if k == t {
				i = j
			}
		}
		return []string{fmt.Sprint(i), fmt.Sprint(int(annual.ColTotal))}
	}
	q(`SELECT applicant_type, SUM(CASE WHEN received_on >= ? AND received_on <= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN received_on < ? AND (concluded_on = '' OR concluded_on >= ?) THEN 1 ELSE 0 END),
		SUM(CASE WHEN received_on <= ? AND (concluded_on = '' OR concluded_on > ?) THEN 1 ELSE 0 END)
		FROM req_applications WHERE unit_id IN `+ph+` GROUP BY applicant_type`,
		with([]any{f, l, f, f, l, l}), func(v []any) {
			for _, c := range col(str(v[0])) {
				m.add("t3.received."+c, num(v[1]))
				m.add("t3.carried_over."+c, num(v[2]))
				m.add("t3.carried_forward."+c, num(v[3]))
			}
		})
	q(`SELECT applicant_type, outcome, sub_kind, count(*) FROM req_applications
		WHERE concluded_on >= ? AND concluded_on <= ? AND unit_id IN `+ph+` GROUP BY applicant_type, outcome, sub_kind`,
		with([]any{f, l}), func(v []any) {
			for _, c := range col(str(v[0])) {
				m.add("t3."+str(v[1])+"."+c, num(v[3]))
				m.add("t3.total_handled."+c, num(v[3]))
				if str(v[1]) == "other_other" {
					m.add("t3.extra."+str(v[2])+"."+c, num(v[3]))
				}
			}
		})

	// Table 四: filed by the year's end and not decided before it.
	q(`SELECT p.kind,
		SUM(CASE WHEN p.decided_on >= ? AND p.decided_on <= ? AND p.result = 'upheld' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.decided_on >= ? AND p.decided_on <= ? AND p.result = 'corrected' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.decided_on >= ? AND p.decided_on <= ? AND p.result = 'other' THEN 1 ELSE 0 END), count(*)
		FROM req_appeals p JOIN req_applications a ON a.id = p.application_id
		WHERE p.filed_on <= ? AND (p.decided_on = '' OR p.decided_on >= ?) AND a.unit_id IN `+ph+` GROUP BY p.kind`,
		with([]any{f, l, f, l, f, l, l, f}), func(v []any) {
			k := "t4." + str(v[0]) + "."
			up, co, ot, n := num(v[1]), num(v[2]), num(v[3]), num(v[4])
			m.add(k+"upheld", up)
			m.add(k+"corrected", co)
			m.add(k+"other", ot)
			m.add(k+"pending", n-up-co-ot)
			m.add(k+"total", n)
		})

	// Section 一（一）: publications that took effect, by the first unit's
	// category of the same slug: an item's first counts as new, later ones
	// as updates; one cancelled before its time does not count.
	q(`SELECT c.slug, SUM(CASE WHEN e.k = 1 AND e.publish_at >= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.k > 1 AND e.publish_at >= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN e.k = 1 AND e.publish_at < ? THEN 1 ELSE 0 END)
		FROM (SELECT e.item_id, e.version, e.publish_at, ROW_NUMBER() OVER (PARTITION BY e.item_id ORDER BY e.seq) AS k
			FROM publish_events e JOIN publish_items i ON i.id = e.item_id
			WHERE e.kind = 'publish' AND e.publish_at <= ? AND i.unit_id IN `+ph+`
			AND NOT EXISTS (SELECT 1 FROM publish_events x WHERE x.item_id = e.item_id AND x.seq > e.seq AND x.kind IN ('unschedule', 'withdraw') AND x.at < e.publish_at)) e
		JOIN publish_versions v ON v.item_id = e.item_id AND v.version = e.version
		JOIN publish_categories c ON c.id = v.category_id
		WHERE e.publish_at >= ? AND e.publish_at < ? GROUP BY c.slug`,
		append(with([]any{t0, t0, t0, now}), tp, t1), func(v []any) {
			s := str(v[0])
			m.add("pub.new", num(v[1]))
			m.add("pub.revisions", num(v[2]))
			m.add("pub.prev_new", num(v[3]))
			m.add("pub."+s+".new", num(v[1]))
			m.add("pub."+s+".revisions", num(v[2]))
			m.add("pub."+s+".prev_new", num(v[3]))
		})

	// Section 一（二）: subjects of the year's applications; fees paid.
	q(`SELECT s.subject, count(*) FROM req_subjects s JOIN req_applications a ON a.id = s.application_id
		WHERE a.received_on >= ? AND a.received_on <= ? AND a.unit_id IN `+ph+` GROUP BY s.subject`,
		with([]any{f, l}), func(v []any) { m.add("req.subject."+str(v[0]), num(v[1])) })
	q(`SELECT count(*), COALESCE(SUM(n.yuan), 0) FROM req_events p JOIN req_applications a ON a.id = p.application_id
		JOIN req_events n ON n.application_id = p.application_id AND n.kind = 'fee_noticed'
		WHERE p.kind = 'fee_paid' AND p.on_date >= ? AND p.on_date <= ? AND a.unit_id IN `+ph,
		with([]any{f, l}), func(v []any) { m.add("req.fees_n", num(v[0])); m.add("req.fees_yuan", num(v[1])) })

	// Section 一（三）: calls of completed imports, hotline records by
	// rating, consultations and messages received and answered — this
	// year's, and last year's for the growth section 一 states.
	for _, y := range []struct {
		pre    string
		t0, t1 string
	}{{"desk.", t0, t1}, {"desk.prev.", tp, t0}} {
		q(`SELECT count(*), COALESCE(SUM(c.answered), 0) FROM desk_cdr c JOIN desk_imports i ON i.id = c.import_id
		WHERE i.state = 'done' AND c.started_at >= ? AND c.started_at < ? AND c.unit_id IN `+ph,
			with([]any{y.t0, y.t1}), func(v []any) { m.add(y.pre+"calls_offered", num(v[0])); m.add(y.pre+"calls_answered", num(v[1])) })
		q(`SELECT c.rating, count(*) FROM desk_calls c LEFT JOIN desk_imports i ON i.id = c.import_id
		WHERE (c.import_id IS NULL OR i.state = 'done') AND c.at >= ? AND c.at < ? AND c.unit_id IN `+ph+` GROUP BY c.rating`,
			with([]any{y.t0, y.t1}), func(v []any) {
				m.add(y.pre+"hotline_records", num(v[1]))
				if num(v[0]) > 0 {
					m.add(fmt.Sprintf("%srating.%d", y.pre, num(v[0])), num(v[1]))
				}
			})
		q(`SELECT kind, SUM(CASE WHEN received_at >= ? AND received_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN answered_at >= ? AND answered_at < ? THEN 1 ELSE 0 END)
		FROM desk_enquiries WHERE unit_id IN `+ph+` GROUP BY kind`,
			with([]any{y.t0, y.t1, y.t0, y.t1}), func(v []any) {
				m.add(y.pre+str(v[0])+".received", num(v[1]))
				m.add(y.pre+str(v[0])+".handled", num(v[2]))
			})
	}
	return m
}

func str(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func num(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case float64:
		return int64(x)
	case nil:
		return 0
	case []byte, string:
		var n int64
		fmt.Sscan(str(x), &n)
		return n
	}
	panic(fmt.Sprintf("num %T", v))
}

// draftFigures flattens a built draft into the peer's figures.
func draftFigures(d *report.Draft) figureMap {
	m := figureMap{}
	r, f := d.Doc.Report, d.Facts
	if t := r.Table2; t != nil {
		for k, c := range map[string]annual.DocCounts{"regulations": t.Regulations, "normative_documents": t.NormativeDocuments} {
			m.add("t2."+k+".issued", int64(c.Issued.Int()))
			m.add("t2."+k+".abolished", int64(c.Abolished.Int()))
			m.add("t2."+k+".in_force", int64(c.InForce.Int()))
		}
		m.add("t2.licensing", int64(t.LicensingDecisions.Int()))
		m.add("t2.penalty", int64(t.PenaltyDecisions.Int()))
		m.add("t2.enforcement", int64(t.EnforcementDecisions.Int()))
	}
	for _, spec := range annual.Table3Rows {
		if row := r.Table3.Rows[spec.Key]; row != nil {
			for c, cell := range row {
				m.add(fmt.Sprintf("t3.%s.%d", spec.Key, c), int64(cell.Int()))
			}
		}
	}
	for _, e := range r.Table3.ExtraRows {
		sub, _ := requests.ExtraRowSubKind(e.Label)
		for c, cell := range e.Values {
			m.add(fmt.Sprintf("t3.extra.%s.%d", sub, c), int64(cell.Int()))
		}
	}
	if r.Table4 != nil {
		for _, g := range annual.Table4Groups {
			o := g.Get(r.Table4)
			for i, c := range o.Cells() {
				m.add("t4."+g.Key+"."+annual.OutcomeKeys[i], int64(c.Int()))
			}
		}
	}
	m.add("pub.new", int64(f.Publish.New))
	m.add("pub.revisions", int64(f.Publish.Revisions))
	m.add("pub.prev_new", int64(f.Publish.PrevNew))
	for _, c := range f.Publish.Categories {
		m.add("pub."+c.Category.Slug+".new", int64(c.New))
		m.add("pub."+c.Category.Slug+".revisions", int64(c.Revisions))
		m.add("pub."+c.Category.Slug+".prev_new", int64(c.PrevNew))
	}
	for _, s := range f.Subjects {
		m.add("req.subject."+s.Subject, int64(s.N))
	}
	m.add("req.fees_n", int64(f.FeesN))
	m.add("req.fees_yuan", int64(f.FeesYuan))
	for pre, c := range map[string]desk.Figures{"desk.": f.Desk.Current, "desk.prev.": f.Desk.Previous} {
		m.add(pre+"calls_offered", c.CallsOffered)
		m.add(pre+"calls_answered", c.CallsAnswered)
		m.add(pre+"hotline_records", c.HotlineRecords)
		for r, n := range c.RatingCounts {
			m.add(fmt.Sprintf("%srating.%d", pre, r), n)
		}
		m.add(pre+"consult.received", c.Consult.Received)
		m.add(pre+"consult.handled", c.Consult.Handled)
		m.add(pre+"message.received", c.Message.Received)
		m.add(pre+"message.handled", c.Message.Handled)
	}
	return m
}

// diffFigures lists the figures that differ, sorted.
func diffFigures(want, got figureMap) []string {
	var out []string
	for k, v := range want {
		if got[k] != v {
			out = append(out, fmt.Sprintf("%s: peer %d, report %d", k, v, got[k]))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			out = append(out, fmt.Sprintf("%s: peer 0, report %d", k, v))
		}
	}
	sort.Strings(out)
	return out
}
