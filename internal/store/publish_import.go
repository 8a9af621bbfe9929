package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/publish"
)

// ImportItems stores items with their whole histories in one transaction,
// for records kept before the system and for the demo world. Every event
// passes the same checks as a live one (publish.Apply, replayed in order);
// the item's state is the replay's result; the public rows are those the
// live workflow would have left (insertPub writes them, as it does live);
// versions and events are written in batches. The import is audited as one
// entry. It returns the new items' ids.
func (db *DB) ImportItems(ctx context.Context, actor audit.Actor, unitID int64, items []publish.ImportItem) ([]int64, error) {
	var ids []int64
	err := db.inTx(ctx, func(tx *Tx) error {
		depts, err := tx.names(ctx, "SELECT id, name FROM departments WHERE unit_id = ?", unitID)
		if err != nil {
			return err
		}
		cats, err := tx.names(ctx, "SELECT id, name FROM publish_categories WHERE unit_id = ?", unitID)
		if err != nil {
			return err
		}
		versions := &batch{tx: tx, head: `INSERT INTO publish_versions (item_id, version, title, doc_no, department_id, made_on, category_id, attribute, ground, body, doc_kind, valid_from, legal_review, interprets, attachments, author_id, author_name, created_at) VALUES `, cols: 18}
		events := &batch{tx: tx, head: `INSERT INTO publish_events (item_id, seq, kind, at, actor_id, actor_name, version, publish_at, reason, validity, validity_on) VALUES `, cols: 11}
		// Nothing below reads the index or removes a public row, so its
		// rows can wait for the end of the transaction.
		tx.pubIndex = tx.indexBatch()
		now := db.Now()
		for n, in := range items {
			fail := func(err error) error {
				title := ""
				if len(in.Events) > 0 && in.Events[0].Content != nil {
					title = in.Events[0].Content.Title
				}
				return errs.Wrap(errs.CodeOf(err), err, "第 %d 条信息“%s”：%s", n+1, title, errs.MessageOf(err))
			}
			if len(in.Events) == 0 || in.Events[0].Kind != publish.EvCreate {
				return fail(errs.E(errs.Invalid, "历史须以“新建”开始"))
			}
			// Replay first: the history must hold before anything is written.
			contents := map[int]publish.Content{}
			it := publish.Item{UnitID: unitID}
			evs := make([]publish.Event, len(in.Events))
			for i, e := range in.Events {
				e.Seq = i + 1
				if e.Content != nil {
					c := *e.Content
					if i == 0 {
						for range in.Uploads {
							c.Attachments = append(c.Attachments, 0)
						}
					}
					if err := publish.ValidateContent(&c); err != nil {
						return fail(err)
					}
					if depts[c.DepartmentID] == "" || cats[c.CategoryID] == "" {
						return fail(errs.E(errs.Invalid, "部门或目录类别不属于本单位"))
					}
					if i == 0 {
						c.Attachments = c.Attachments[:len(c.Attachments)-len(in.Uploads)]
					}
					contents[e.Version] = c
					e.Content = &c
				}
				if it, err = publish.Apply(it, e); err != nil {
					return fail(errs.Wrap(errs.CodeOf(err), err, "第 %d 个事件（%s）：%s", i+1, e.Kind.Label(), errs.MessageOf(err)))
				}
				evs[i] = e
			}
			first := contents[1]
			// The row is written once, in its final state: none of its
			// columns depends on the attachments' ids.
			c := it.Content
			id, err := tx.insert(ctx, `INSERT INTO publish_items (unit_id, state, version, events, title, doc_no, department_id, made_on, category_id, attribute, doc_kind,
				author_id, reviewer_id, reviewer_name, legal_id, legal_name, publish_at, published_version, first_publish_at, validity, validity_on, reason, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				unitID, string(it.State), it.Version, it.Events, c.Title, c.DocNo, c.DepartmentID, c.MadeOn.String(), c.CategoryID, string(c.Attribute), string(c.DocKind),
				it.AuthorID, it.ReviewerID, it.ReviewerName, it.LegalID, it.LegalName, ts(it.PublishAt), it.PublishedVersion,
				ts(it.FirstPublishAt), string(it.Validity), it.ValidityOn.String(), it.Reason, ts(it.CreatedAt), ts(it.UpdatedAt))
			if err != nil {
				return err
			}
			it.ID = id
			if len(in.Uploads) > 0 {
				if err := tx.attach(ctx, actor, id, &first, in.Uploads); err != nil {
					return err
				}
				contents[1] = first
				for v := 2; v <= it.Version; v++ {
					// Later versions keep version 1's attachments unless they name their own.
					if c := contents[v]; len(c.Attachments) == 0 {
						c.Attachments = first.Attachments
						contents[v] = c
					}
				}
				if it.Version == 1 {
					it.Content = first
				} else {
					it.Content = contents[it.Version]
				}
			}
			for _, e := range evs {
				if e.Content != nil {
					c := contents[e.Version]
					if err := versions.add(ctx, id, e.Version, c.Title, c.DocNo, c.DepartmentID, c.MadeOn.String(), c.CategoryID, string(c.Attribute), c.Ground, c.Body,
						string(c.DocKind), c.ValidFrom.String(), boolInt(c.LegalReview), c.Interprets, joinIDs(c.Attachments), e.ActorID, e.ActorName, ts(e.At)); err != nil {
						return err
					}
				}
				if err := events.add(ctx, id, e.Seq, string(e.Kind), ts(e.At), e.ActorID, e.ActorName, e.Version, ts(e.PublishAt), e.Reason, string(e.Validity), e.ValidityOn.String()); err != nil {
					return err
				}
			}
			if err := tx.importPubs(ctx, it, evs, contents, depts, now); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if err := tx.pubIndex.flush(ctx); err != nil {
			return err
		}
		tx.pubIndex = nil
		if err := versions.flush(ctx); err != nil {
			return err
		}
		if err := events.flush(ctx); err != nil {
			return err
		}
		if db.dialect == Postgres && len(ids) >= 1000 {
			// After a large load the planner needs fresh statistics: to pick
			// the search index over a scan of the public rows, and, for the
			// statistics (PublishLatestYear, publicationsOf), to join a
			// unit's items to their events by hash rather than probe the
			// publish index once per item (0.5 s on the demo world).
			for _, t := range []string{"pub_items", "pub_search", "publish_items", "publish_versions", "publish_events"} {
				if _, err := tx.exec(ctx, "ANALYZE "+t); err != nil {
					return err
				}
			}
		}
		a := actor
		a.UnitID = unitID
		after := map[string]any{"count": len(ids)}
		if len(ids) > 0 {
			after["first_id"], after["last_id"] = ids[0], ids[len(ids)-1]
		}
		return tx.appendAudit(ctx, a, audit.Change{Action: "publish.import", ObjectType: "unit", ObjectID: strconv.FormatInt(unitID, 10), After: after})
	})
	return ids, err
}

// importPubs writes the public rows an imported history leaves: the last
// publication, unless withdrawn; and, while that one is scheduled for later
// than now, the publication it will replace.
func (t *Tx) importPubs(ctx context.Context, it publish.Item, evs []publish.Event, contents map[int]publish.Content, depts map[int64]string, now time.Time) error {
	if it.PublishedVersion == 0 {
		return nil
	}
	last := -1
	for i, e := range evs {
		if e.Kind == publish.EvPublish {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	l := evs[last]
	if l.PublishAt.After(now) {
		for i := last - 1; i >= 0; i-- {
			e := evs[i]
			if e.Kind == publish.EvWithdraw {
				break
			}
			if e.Kind == publish.EvPublish && !e.PublishAt.After(l.At) {
				c := contents[e.Version]
				if err := t.insertPub(ctx, it, c, e.Version, e.PublishAt, l.PublishAt, depts[c.DepartmentID]); err != nil {
					return err
				}
				break
			}
		}
	}
	c := contents[l.Version]
	return t.insertPub(ctx, it, c, l.Version, l.PublishAt, time.Time{}, depts[c.DepartmentID])
}

func (t *Tx) names(ctx context.Context, q string, args ...any) (map[int64]string, error) {
	rows, err := t.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// batch collects rows for a multi-row INSERT.
type batch struct {
	tx   *Tx
	head string
	cols int
	row  string // one row's placeholders; "" for cols plain ones
	args []any
	n    int
}

// batchRows keeps a statement's placeholders under both engines' limits.
const batchRows = 200

func (b *batch) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n >= batchRows {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) flush(ctx context.Context) error {
	if b.n == 0 {
		return nil
	}
	row := b.row
	if row == "" {
		row = "(" + placeholders(b.cols) + ")"
	}
	_, err := b.tx.exec(ctx, b.head+row+strings.Repeat(", "+row, b.n-1), b.args...)
	b.args, b.n = b.args[:0], 0
	return err
}
