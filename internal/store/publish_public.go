package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"gongkai/internal/errs"
	"gongkai/internal/publish"
	"gongkai/internal/search"
)

// The public tables (pub_items, pub_attachments, and the search index
// pub_fts / pub_search) hold what the portal may show and nothing else:
// a row is written when a version is published (now or at a set time) and
// removed when it is withdrawn, its schedule is cancelled or a later
// version replaces it. A scheduled version is a row whose live_from is
// still to come; the portal's one read path (Public) applies the predicate
// live below to every query, so it becomes visible — in lists, pages,
// feeds, the sitemap, downloads and search alike — at exactly that time, on
// every instance, with no job to run.

// live is the predicate of the public read path: the row is live now.
const live = "p.live_from <= ? AND (p.live_until = '' OR p.live_until > ?)"

// publishPub writes the public row of a version published at e.PublishAt.
func (t *Tx) publishPub(ctx context.Context, it publish.Item, e publish.Event) error {
	at, now := ts(e.PublishAt), ts(e.At)
	// Rows not yet live from at or later are replaced; the live row ends
	// when this one starts; rows that have ended by now are gone for good.
	if err := t.deletePubs(ctx, "item_id = ? AND live_from >= ?", it.ID, at); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "UPDATE pub_items SET live_until = ? WHERE item_id = ? AND (live_until = '' OR live_until > ?)", at, it.ID, at); err != nil {
		return err
	}
	if err := t.deletePubs(ctx, "item_id = ? AND live_until <> '' AND live_until <= ?", it.ID, now); err != nil {
		return err
	}
	return t.insertPub(ctx, it, it.Content, e.Version, e.PublishAt, time.Time{}, "")
}

// insertPub writes one public row for version v of an item with content c,
// live from from until until (zero for open), with its attachments and its
// index entry. it supplies the item's id, unit, first publication and
// validity; dept is the department's name ("" to look it up). A row whose
// start is later than the item's first publication is an update (更新).
func (t *Tx) insertPub(ctx context.Context, it publish.Item, c publish.Content, v int, from, until time.Time, dept string) error {
	if dept == "" {
		if err := t.row(ctx, "SELECT name FROM departments WHERE id = ?", c.DepartmentID).Scan(&dept); err != nil {
			return fmt.Errorf("department of item %d: %w", it.ID, err)
		}
	}
	revised := it.FirstPublishAt.Before(from)
	atts, err := t.attachmentsByID(ctx, it.ID, c.Attachments)
	if err != nil {
		return err
	}
	texts := []string{publish.HTMLText(c.Body)}
	for _, a := range atts {
		if a.Text != "" {
			texts = append(texts, a.Text)
		}
	}
	text := strings.Join(texts, "\n")
	pubID, err := t.insert(ctx, `INSERT INTO pub_items (item_id, unit_id, version, live_from, live_until, first_published_at, revision, title, doc_no, department_id, department,
		made_on, category_id, doc_kind, valid_from, validity, validity_on, interprets, body, search_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.ID, it.UnitID, v, ts(from), ts(until), ts(it.FirstPublishAt), boolInt(revised), c.Title, c.DocNo, c.DepartmentID, dept,
		c.MadeOn.String(), c.CategoryID, string(c.DocKind), c.ValidFrom.String(), string(it.Validity), it.ValidityOn.String(), c.Interprets, c.Body, text)
	if err != nil {
		return err
	}
	for _, a := range atts {
		if _, err := t.exec(ctx, "INSERT INTO pub_attachments (pub_id, attachment_id, name, type, size, sha256) VALUES (?, ?, ?, ?, ?, ?)",
			pubID, a.ID, a.Name, a.Type, a.Size, a.SHA256); err != nil {
			return err
		}
	}
	return t.indexPub(ctx, pubID, strings.TrimSpace(c.Title+" "+c.DocNo), text)
}

func (t *Tx) attachmentsByID(ctx context.Context, itemID int64, ids []int64) ([]publish.Attachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{itemID}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := t.query(ctx, "SELECT id, name, type, size, sha256, text FROM publish_attachments WHERE item_id = ? AND id IN ("+placeholders(len(ids))+") ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []publish.Attachment
	for rows.Next() {
		var a publish.Attachment
		if err := rows.Scan(&a.ID, &a.Name, &a.Type, &a.Size, &a.SHA256, &a.Text); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// unschedulePub removes a publication that has not yet taken effect and
// lets the version it would have replaced stay live.
func (t *Tx) unschedulePub(ctx context.Context, itemID int64, now time.Time) error {
	if err := t.deletePubs(ctx, "item_id = ? AND live_from > ?", itemID, ts(now)); err != nil {
		return err
	}
	_, err := t.exec(ctx, "UPDATE pub_items SET live_until = '' WHERE item_id = ? AND live_until > ?", itemID, ts(now))
	return err
}

// deletePubs removes public rows, their attachments and their index
// entries.
func (t *Tx) deletePubs(ctx context.Context, where string, args ...any) error {
	rows, err := t.query(ctx, "SELECT id FROM pub_items WHERE "+where, args...)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := t.unindexPub(ctx, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM pub_attachments WHERE pub_id = ?", id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "DELETE FROM pub_items WHERE id = ?", id); err != nil {
			return err
		}
	}
	return nil
}

// The search index. Both engines index the same tokens (internal/search):
// the phrase stream of the title and 文号 and of the body with the
// attachments' text, and the set of Han characters of each.

func (t *Tx) indexPub(ctx context.Context, pubID int64, title, body string) error {
	td := search.Segment(title, search.MaxPhraseTokens)
	bd := search.Segment(body, search.MaxPhraseTokens-len(td.Phrase))
	var vals []any
	if t.db.dialect == Postgres {
		vals = []any{pubID, tsvectorPhrase(td.Phrase, bd.Phrase), tsvectorChars(td.Chars, bd.Chars)}
	} else {
		vals = []any{pubID, strings.Join(td.Phrase, " "), strings.Join(td.Chars, " "), strings.Join(bd.Phrase, " "), strings.Join(bd.Chars, " ")}
	}
	if t.pubIndex != nil {
		return t.pubIndex.add(ctx, vals...)
	}
	b := t.indexBatch()
	if err := b.add(ctx, vals...); err != nil {
		return err
	}
	return b.flush(ctx)
}

// indexBatch is a batch of search index rows. Bulk writers write many
// rows to a statement: besides saving round trips, SQLite's FTS5 writes
// its pending entries out as a new segment at every statement of the
// transaction, and a segment per item costs far more to merge (about half
// of a bulk load's time) than one per batch.
func (t *Tx) indexBatch() *batch {
	if t.db.dialect == Postgres {
		return &batch{tx: t, head: "INSERT INTO pub_search (pub_id, vec_t, vec_u) VALUES ", cols: 3, row: "(?, ?::tsvector, ?::tsvector)"}
	}
	return &batch{tx: t, head: "INSERT INTO pub_fts (rowid, title_t, title_u, body_t, body_u) VALUES ", cols: 5}
}

func (t *Tx) unindexPub(ctx context.Context, pubID int64) error {
	q := "DELETE FROM pub_fts WHERE rowid = ?"
	if t.db.dialect == Postgres {
		q = "DELETE FROM pub_search WHERE pub_id = ?"
	}
	_, err := t.exec(ctx, q, pubID)
	return err
}

// maxPositions is PostgreSQL's limit of positions kept per lexeme.
const maxPositions = 256

// tsvectorPhrase writes the phrase stream as a tsvector literal: title
// tokens at positions 1… with weight A, body tokens after a gap (so that no
// phrase spans the two) with weight D.
func tsvectorPhrase(title, body []string) string {
	pos := map[string][]string{}
	var order []string
	add := func(tok string, p int, w string) {
		ps, ok := pos[tok]
		if !ok {
			order = append(order, tok)
		}
		if len(ps) < maxPositions {
			pos[tok] = append(ps, strconv.Itoa(p)+w)
		}
	}
	for i, tok := range title {
		add(tok, i+1, "A")
	}
	start := len(title) + 2
	for i, tok := range body {
		add(tok, start+i, "")
	}
	var b strings.Builder
	for i, tok := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(tok))
		b.WriteByte(':')
		b.WriteString(strings.Join(pos[tok], ","))
	}
	return b.String()
}

// tsvectorChars writes the characters as a tsvector literal, weight A for
// those of the title.
func tsvectorChars(title, body []string) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, c := range title {
		seen[c] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(c) + ":1A")
	}
	for _, c := range body {
		if seen[c] {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(c) + ":2")
	}
	return b.String()
}

// quoteLexeme quotes a token for a tsvector or tsquery literal. Tokens
// hold only letters and digits, but quoting keeps the literal safe anyway.
func quoteLexeme(s string) string {
	if strings.ContainsAny(s, `'\`) {
		s = lexemeEscaper.Replace(s)
	}
	return "'" + s + "'"
}

var lexemeEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// tsqueries turns a query into the tsquery literals for the phrase stream
// and the characters ("" when a side has no terms).
func tsqueries(q search.Query) (phrase, chars string) {
	var ps, cs []string
	for _, term := range q.Terms {
		quoted := make([]string, len(term.Tokens))
		for i, tok := range term.Tokens {
			quoted[i] = quoteLexeme(tok)
		}
		if term.Kind == search.Char {
			cs = append(cs, quoted[0])
			continue
		}
		ps = append(ps, "("+strings.Join(quoted, " <-> ")+")")
	}
	return strings.Join(ps, " & "), strings.Join(cs, " & ")
}

// ftsMatch turns a query into an FTS5 MATCH expression with column filters.
func ftsMatch(q search.Query) string {
	var parts []string
	for _, term := range q.Terms {
		phrase := `"` + strings.Join(term.Tokens, " ") + `"`
		if term.Kind == search.Char {
			parts = append(parts, "{title_u body_u} : "+phrase)
		} else {
			parts = append(parts, "{title_t body_t} : "+phrase)
		}
	}
	return strings.Join(parts, " AND ")
}

// Public is the portal's read path (publish.Public). Every query it runs
// reads pub_items under the predicate live, or joins it.
type Public struct{ db *DB }

var _ publish.Public = (*Public)(nil)

// Public returns the portal's read path over db.
func (db *DB) Public() *Public { return &Public{db: db} }

// liveArgs are the two arguments of the predicate live.
func (pb *Public) liveArgs() []any {
	n := ts(pb.db.Now())
	return []any{n, n}
}

// Catalogue returns the catalogue (public metadata: no item is read).
func (pb *Public) Catalogue(ctx context.Context, unitID int64) ([]publish.Category, error) {
	return pb.db.PublishCategories(ctx, unitID)
}

// Categories returns the catalogue and the number of live items per
// category.
func (pb *Public) Categories(ctx context.Context, unitID int64) ([]publish.Category, map[int64]int, error) {
	cats, err := pb.db.PublishCategories(ctx, unitID)
	if err != nil {
		return nil, nil, err
	}
	counts, err := pb.liveCounts(ctx, unitID)
	return cats, counts, err
}

// liveCounts is the number of live items per category of a unit, read
// without counting the items: pub_counts holds the open rows (one per
// published item), kept by the database as rows are written (migration
// 0080); the rows whose time is still to come — a scheduled publication not
// yet live, a live row with a scheduled end — correct it, and there are
// only ever a few of them, found through the indexes on live_from and
// live_until. The cost is the same at a thousand items as at a million.
func (pb *Public) liveCounts(ctx context.Context, unitID int64) (map[int64]int, error) {
	now := ts(pb.db.Now())
	counts := map[int64]int{}
	add := func(sign int, q string, args ...any) error {
		rows, err := pb.db.query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			counts[id] += sign * n
		}
		return rows.Err()
	}
	if err := add(1, "SELECT category_id, n FROM pub_counts WHERE unit_id = ?", unitID); err != nil {
		return nil, err
	}
	// Open rows not yet live.
	if err := add(-1, "SELECT category_id, count(*) FROM pub_items WHERE unit_id = ? AND live_from > ? AND live_until = '' GROUP BY category_id", unitID, now); err != nil {
		return nil, err
	}
	// Live rows that end later (live_until > now is never '').
	if err := add(1, "SELECT category_id, count(*) FROM pub_items WHERE unit_id = ? AND live_until > ? AND live_from <= ? GROUP BY category_id", unitID, now, now); err != nil {
		return nil, err
	}
	for id, n := range counts {
		if n <= 0 {
			delete(counts, id)
		}
	}
	return counts, nil
}

// PortalGenerations returns every unit's generation of public rows and
// when it last moved (Unix seconds): a change to a unit's public rows, in
// the transaction that makes it, moves its generation (migration 0080).
func (db *DB) PortalGenerations(ctx context.Context) (map[int64][2]int64, error) {
	rows, err := db.query(ctx, "SELECT unit_id, gen, changed_at FROM portal_generation")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][2]int64{}
	for rows.Next() {
		var u, g, at int64
		if err := rows.Scan(&u, &g, &at); err != nil {
			return nil, err
		}
		out[u] = [2]int64{g, at}
	}
	return out, rows.Err()
}

// NextPortalChange is the first time after now at which a unit's public
// rows change by themselves (a scheduled publication goes live or a live
// row ends); zero if none is set. Cached pages of the unit live no longer.
func (db *DB) NextPortalChange(ctx context.Context, unitID int64) (time.Time, error) {
	now := ts(db.Now())
	var next time.Time
	for _, q := range []string{
		"SELECT min(live_from) FROM pub_items WHERE unit_id = ? AND live_from > ?",
		"SELECT min(live_until) FROM pub_items WHERE unit_id = ? AND live_until > ?",
	} {
		var s sql.NullString
		if err := db.row(ctx, q, unitID, now).Scan(&s); err != nil {
			return time.Time{}, db.mapErr(err)
		}
		if s.Valid && s.String != "" {
			if t := mustTS(s.String); next.IsZero() || t.Before(next) {
				next = t
			}
		}
	}
	return next, nil
}

const pubListCols = "p.id, p.item_id, p.version, p.title, p.doc_no, p.department, p.department_id, p.made_on, p.category_id, p.first_published_at, p.live_from, p.revision, p.doc_kind, p.valid_from, p.validity, p.validity_on"

func scanPub(sc interface{ Scan(...any) error }, extra ...any) (publish.PublicItem, int64, error) {
	var it publish.PublicItem
	var pubID int64
	var made, first, from, kind, validFrom, validity, validityOn string
	var revision int
	dest := append([]any{&pubID, &it.ID, &it.Version, &it.Title, &it.DocNo, &it.Department, &it.DepartmentID, &made, &it.CategoryID, &first, &from, &revision,
		&kind, &validFrom, &validity, &validityOn}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return it, 0, err
	}
	it.MadeOn, it.ValidFrom, it.ValidityOn = parseDate(made), parseDate(validFrom), parseDate(validityOn)
	it.PublishedAt, it.UpdatedAt, it.Revised = mustTS(first), mustTS(from), revision != 0
	it.DocKind, it.Validity = publish.DocKind(kind), publish.Validity(validity)
	return it, pubID, nil
}

// filters adds the list filters of q to a query on pub_items p.
func filters(q publish.ListQuery) (string, []any) {
	where := " AND p.unit_id = ?"
	args := []any{q.UnitID}
	if len(q.CategoryIDs) > 0 {
		where += " AND p.category_id IN (" + placeholders(len(q.CategoryIDs)) + ")"
		for _, id := range q.CategoryIDs {
			args = append(args, id)
		}
	}
	if q.Year > 0 {
		from := time.Date(q.Year, 1, 1, 0, 0, 0, 0, beijing)
		to := time.Date(q.Year+1, 1, 1, 0, 0, 0, 0, beijing)
		where += " AND p.first_published_at >= ? AND p.first_published_at < ?"
		args = append(args, ts(from), ts(to))
	}
	if q.DepartmentID != 0 {
		where += " AND p.department_id = ?"
		args = append(args, q.DepartmentID)
	}
	return where, args
}

// beijing is China Standard Time, the clock of publication dates.
var beijing = time.FixedZone("CST", 8*3600)

func pageOf(page, per, maxPer int) (int, int) {
	if per <= 0 {
		per = 20
	}
	if per > maxPer {
		per = maxPer
	}
	if page < 1 {
		page = 1
	}
	// The offset (page − 1) × per must not overflow, whatever a caller asks.
	return min(page, maxPage), per
}

// maxPage is the last page any public list serves (past the end it is
// empty).
const maxPage = 100_000

// List returns live items, most recently published first.
func (pb *Public) List(ctx context.Context, q publish.ListQuery) (publish.ItemPage, error) {
	q.Page, q.PerPage = pageOf(q.Page, q.PerPage, 50000)
	where, args := filters(q)
	args = append(pb.liveArgs(), args...)
	out := publish.ItemPage{Page: q.Page, PerPage: q.PerPage}
	if q.Year == 0 && q.DepartmentID == 0 {
		// A whole category or site: the maintained counts, not a count.
		counts, err := pb.liveCounts(ctx, q.UnitID)
		if err != nil {
			return out, err
		}
		if len(q.CategoryIDs) == 0 {
			for _, n := range counts {
				out.Total += n
			}
		} else {
			seen := map[int64]bool{}
			for _, id := range q.CategoryIDs {
				if !seen[id] {
					seen[id] = true
					out.Total += counts[id]
				}
			}
		}
	} else if err := pb.db.row(ctx, "SELECT count(*) FROM pub_items p WHERE "+live+where, args...).Scan(&out.Total); err != nil {
		return out, pb.db.mapErr(err)
	}
	rows, err := pb.db.query(ctx, "SELECT "+pubListCols+" FROM pub_items p WHERE "+live+where+
		fmt.Sprintf(" ORDER BY p.first_published_at DESC, p.item_id DESC LIMIT %d OFFSET %d", q.PerPage, (q.Page-1)*q.PerPage), args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		it, _, err := scanPub(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, it)
	}
	return out, rows.Err()
}

// Item returns a live item with its attachments, the item it interprets and
// the items that interpret it, each only if live.
func (pb *Public) Item(ctx context.Context, unitID, itemID int64) (publish.PublicItem, error) {
	var body, text string
	var interprets int64
	it, pubID, err := scanPub(pb.db.row(ctx, "SELECT "+pubListCols+", p.body, p.search_text, p.interprets FROM pub_items p WHERE "+live+" AND p.unit_id = ? AND p.item_id = ?",
		append(pb.liveArgs(), unitID, itemID)...), &body, &text, &interprets)
	if err == sql.ErrNoRows {
		return it, errs.E(errs.NotFound, "信息不存在或未公开")
	}
	if err != nil {
		return it, pb.db.mapErr(err)
	}
	it.Body, it.Text = body, text
	rows, err := pb.db.query(ctx, "SELECT pa.attachment_id, pa.name, pa.type, pa.size FROM pub_attachments pa JOIN pub_items p ON p.id = pa.pub_id WHERE "+live+" AND pa.pub_id = ? ORDER BY pa.id",
		append(pb.liveArgs(), pubID)...)
	if err != nil {
		return it, err
	}
	for rows.Next() {
		var a publish.PublicAttachment
		if err := rows.Scan(&a.ID, &a.Name, &a.Type, &a.Size); err != nil {
			rows.Close()
			return it, err
		}
		it.Attachments = append(it.Attachments, a)
	}
	rows.Close()
	if interprets != 0 {
		var n publish.NamedID
		err := pb.db.row(ctx, "SELECT p.item_id, p.title FROM pub_items p WHERE "+live+" AND p.unit_id = ? AND p.item_id = ?",
			append(pb.liveArgs(), unitID, interprets)...).Scan(&n.ID, &n.Name)
		if err == nil {
			it.Interprets = &n
		} else if err != sql.ErrNoRows {
			return it, pb.db.mapErr(err)
		}
	}
	// No ORDER BY: sorting in SQL would tempt the planner away from the
	// interprets index; the few interpretations are sorted here.
	rows, err = pb.db.query(ctx, "SELECT p.item_id, p.title, p.first_published_at FROM pub_items p WHERE "+live+" AND p.interprets = ? AND p.unit_id = ?",
		append(pb.liveArgs(), itemID, unitID)...)
	if err != nil {
		return it, err
	}
	defer rows.Close()
	type dated struct {
		n     publish.NamedID
		first string
	}
	var ds []dated
	for rows.Next() {
		var d dated
		if err := rows.Scan(&d.n.ID, &d.n.Name, &d.first); err != nil {
			return it, err
		}
		ds = append(ds, d)
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].first < ds[j].first })
	for _, d := range ds {
		it.Interpretations = append(it.Interpretations, d.n)
	}
	return it, rows.Err()
}

// Attachment returns a live attachment and its bytes.
func (pb *Public) Attachment(ctx context.Context, unitID, attachmentID int64) (publish.PublicAttachment, []byte, error) {
	var a publish.PublicAttachment
	var data []byte
	err := pb.db.row(ctx, `SELECT pa.attachment_id, pa.name, pa.type, pa.size, b.content FROM pub_attachments pa
		JOIN pub_items p ON p.id = pa.pub_id JOIN publish_blobs b ON b.sha256 = pa.sha256
		WHERE `+live+` AND p.unit_id = ? AND pa.attachment_id = ? LIMIT 1`, append(pb.liveArgs(), unitID, attachmentID)...).Scan(&a.ID, &a.Name, &a.Type, &a.Size, &data)
	if err == sql.ErrNoRows {
		return a, nil, errs.E(errs.NotFound, "附件不存在或未公开")
	}
	return a, data, pb.db.mapErr(err)
}

// Departments lists the departments with live items.
func (pb *Public) Departments(ctx context.Context, unitID int64) ([]publish.NamedID, error) {
	rows, err := pb.db.query(ctx, "SELECT DISTINCT p.department_id, p.department FROM pub_items p WHERE "+live+" AND p.unit_id = ? ORDER BY p.department_id",
		append(pb.liveArgs(), unitID)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []publish.NamedID
	for rows.Next() {
		var n publish.NamedID
		if err := rows.Scan(&n.ID, &n.Name); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// searchCap is publish.MaxCount; tests lower it.
var searchCap = publish.MaxCount

// Search finds live items containing every term, best first: title and
// 文号 hits weigh more than body hits (bm25 on SQLite, ts_rank on
// PostgreSQL); ties go to the newer item. Titles and snippets are
// highlighted in Go by the same rule the index applies.
//
// The work is bounded by publish.MaxCount, not by how many items match:
// one query walks the matches newest public row first (the index's own
// order on both engines) and stops after MaxCount+1, taking each one's
// rank on the way; the count and the ranking are over those candidates,
// and only the page shown is then read whole. While at most MaxCount items
// match, that is every match, ranked; past it the portal says "more than
// MaxCount" and ranks the MaxCount most recently published matches — the
// same ones on both engines. Ranking every match of a word found in nearly
// every item would cost time in proportion to the corpus (seconds at a
// million items) for a page that shows twenty.
func (pb *Public) Search(ctx context.Context, q publish.SearchQuery) (publish.SearchResult, error) {
	q.Page, q.PerPage = pageOf(q.Page, q.PerPage, 100)
	out := publish.SearchResult{Page: q.Page, PerPage: q.PerPage}
	if q.Query.Empty() {
		return out, nil
	}
	where, fargs := filters(q.ListQuery)
	var from, match, rank, order string
	var matchArgs, rankArgs []any
	if pb.db.dialect == Postgres {
		phrase, chars := tsqueries(q.Query)
		from = "pub_search s JOIN pub_items p ON p.id = s.pub_id"
		var conds []string
		if phrase != "" {
			conds = append(conds, "s.vec_t @@ ?::tsquery")
			matchArgs = append(matchArgs, phrase)
			rank, rankArgs = "-ts_rank(s.vec_t, ?::tsquery)", []any{phrase}
		}
		if chars != "" {
			conds = append(conds, "s.vec_u @@ ?::tsquery")
			matchArgs = append(matchArgs, chars)
			if rank == "" {
				rank, rankArgs = "-ts_rank(s.vec_u, ?::tsquery)", []any{chars}
			}
		}
		match, order = strings.Join(conds, " AND "), "s.pub_id DESC"
	} else {
		from = "pub_fts CROSS JOIN pub_items p ON p.id = pub_fts.rowid" // CROSS JOIN: SQLite walks the index first (one MATCH), never one MATCH per row
		match, matchArgs = "pub_fts MATCH ?", []any{ftsMatch(q.Query)}
		rank, order = "bm25(pub_fts, 10.0, 10.0, 1.0, 1.0)", "pub_fts.rowid DESC"
	}
	args := append(append(append(rankArgs, matchArgs...), pb.liveArgs()...), fargs...)
	if pb.db.dialect == Postgres {
		// Planned afresh for each search, with its words: a cached
		// statement's generic plan cannot know that a word is in nearly
		// every item, and takes every match through a sort where walking
		// the newest first and stopping at the cap is twenty times cheaper.
		args = append([]any{pgx.QueryExecModeCacheDescribe}, args...)
	}
	rows, err := pb.db.query(ctx, "SELECT p.id, p.item_id, p.first_published_at, "+rank+" FROM "+from+" WHERE "+match+" AND "+live+where+
		fmt.Sprintf(" ORDER BY %s LIMIT %d", order, searchCap+1), args...)
	if err != nil {
		return out, err
	}
	type cand struct {
		pubID, itemID int64
		first         string
		r             float64
	}
	var cands []cand
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.pubID, &c.itemID, &c.first, &c.r); err != nil {
			rows.Close()
			return out, err
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, pb.db.mapErr(err)
	}
	out.Total = len(cands)
	if out.Total > searchCap {
		out.Total, out.More, cands = searchCap, true, cands[:searchCap]
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.r != b.r {
			return a.r < b.r
		}
		if a.first != b.first {
			return a.first > b.first
		}
		return a.itemID > b.itemID
	})
	lo := min((q.Page-1)*q.PerPage, len(cands))
	page := cands[lo:min(lo+q.PerPage, len(cands))]
	if len(page) == 0 {
		return out, nil
	}
	// The page's rows, read whole; still under live, in case one was
	// withdrawn a moment ago.
	ids := make([]any, len(page))
	for i, c := range page {
		ids[i] = c.pubID
	}
	rows, err = pb.db.query(ctx, "SELECT "+pubListCols+", p.search_text FROM pub_items p WHERE "+live+" AND p.unit_id = ? AND p.id IN ("+placeholders(len(ids))+")",
		append(append(pb.liveArgs(), q.UnitID), ids...)...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	byID := map[int64]publish.Hit{}
	for rows.Next() {
		var text string
		it, pubID, err := scanPub(rows, &text)
		if err != nil {
			return out, err
		}
		title := it.Title
		if it.DocNo != "" {
			title += "（" + it.DocNo + "）"
		}
		byID[pubID] = publish.Hit{Item: it, Title: q.Query.Highlight(title), Snippet: q.Query.Snippet(text, 120)}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	for _, c := range page {
		if h, ok := byID[c.pubID]; ok {
			h.Rank = -c.r
			out.Hits = append(out.Hits, h)
		}
	}
	return out, nil
}

// Decisions lists the decisions marked for 双公示, newest first.
func (pb *Public) Decisions(ctx context.Context, q publish.DecisionQuery) (publish.DecisionPage, error) {
	q.Page, q.PerPage = pageOf(q.Page, q.PerPage, 200)
	where := " WHERE d.publicize = 1 AND d.unit_id = ?"
	args := []any{q.UnitID}
	if q.Kind != "" {
		where += " AND d.kind = ?"
		args = append(args, string(q.Kind))
	}
	if q.Year > 0 {
		where += " AND d.decided_on >= ? AND d.decided_on <= ?"
		args = append(args, fmt.Sprintf("%04d-01-01", q.Year), fmt.Sprintf("%04d-12-31", q.Year))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(t) + "%"
		where += " AND (d.subject LIKE ? OR d.doc_no LIKE ? OR d.matter LIKE ?)"
		args = append(args, like, like, like)
	}
	out := publish.DecisionPage{Page: q.Page, PerPage: q.PerPage}
	if err := pb.db.row(ctx, "SELECT count(*) FROM publish_decisions d"+where, args...).Scan(&out.Total); err != nil {
		return out, pb.db.mapErr(err)
	}
	ds, err := pb.db.decisions(ctx, where+fmt.Sprintf(" ORDER BY d.decided_on DESC, d.id DESC LIMIT %d OFFSET %d", q.PerPage, (q.Page-1)*q.PerPage), args...)
	out.Decisions = ds
	return out, err
}

// Reindex rebuilds the search index from the public rows, in one
// transaction (after a change to the segmenter, or to measure how long
// building the index takes). It returns the number of rows indexed.
func (db *DB) Reindex(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		// FTS5 empties a contentless table at once with 'delete-all'
		// (a DELETE would remove the entries one row at a time).
		q := "INSERT INTO pub_fts (pub_fts) VALUES ('delete-all')"
		if db.dialect == Postgres {
			q = "DELETE FROM pub_search"
		}
		if _, err := tx.exec(ctx, q); err != nil {
			return err
		}
		tx.pubIndex = tx.indexBatch()
		var last int64
		for {
			rows, err := tx.query(ctx, "SELECT id, title, doc_no, search_text FROM pub_items WHERE id > ? ORDER BY id LIMIT 1000", last)
			if err != nil {
				return err
			}
			type doc struct {
				id                 int64
				title, docNo, text string
			}
			var docs []doc
			for rows.Next() {
				var d doc
				if err := rows.Scan(&d.id, &d.title, &d.docNo, &d.text); err != nil {
					rows.Close()
					return err
				}
				docs = append(docs, d)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(docs) == 0 {
				if err := tx.pubIndex.flush(ctx); err != nil {
					return err
				}
				tx.pubIndex = nil
				if db.dialect == SQLite {
					// One segment instead of the many the load left:
					// searches read one doclist per token.
					_, err := tx.exec(ctx, "INSERT INTO pub_fts (pub_fts) VALUES ('optimize')")
					return err
				}
				return nil
			}
			for _, d := range docs {
				if err := tx.indexPub(ctx, d.id, strings.TrimSpace(d.title+" "+d.docNo), d.text); err != nil {
					return err
				}
				last = d.id
				n++
			}
		}
	})
	return n, err
}
