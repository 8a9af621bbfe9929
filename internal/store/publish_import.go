package store

import (
	"context"
	"strconv"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/publish"
)

// ImportItem is an item with its whole history, for loading records kept
// before the system (or the demo world). The first event must be a create;
// Uploads are attached to version 1.
type ImportItem struct {
	Events  []publish.Event
	Uploads []Upload
}

// ImportItems stores items with their histories in one transaction. Every
// event passes the same checks as a live one (publish.Apply), and the public
// tables are written exactly as the live workflow writes them; the import
// is audited as one entry. It returns the new items' ids.
func (db *DB) ImportItems(ctx context.Context, actor audit.Actor, unitID int64, items []ImportItem) ([]int64, error) {
	var ids []int64
	err := db.inTx(ctx, func(tx *Tx) error {
		for n, in := range items {
			if len(in.Events) == 0 || in.Events[0].Kind != publish.EvCreate || in.Events[0].Content == nil {
				return errs.E(errs.Invalid, "第 %d 条信息：历史须以“新建”开始", n+1)
			}
			first := *in.Events[0].Content
			if err := tx.checkContent(ctx, unitID, &first, len(in.Uploads)); err != nil {
				return errs.Wrap(errs.Invalid, err, "第 %d 条信息“%s”：%s", n+1, first.Title, errs.MessageOf(err))
			}
			at := ts(in.Events[0].At)
			id, err := tx.insert(ctx, `INSERT INTO publish_items (unit_id, state, version, events, title, doc_no, department_id, made_on, category_id, attribute, doc_kind, created_at, updated_at)
				VALUES (?, 'draft', 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				unitID, first.Title, first.DocNo, first.DepartmentID, first.MadeOn.String(), first.CategoryID, string(first.Attribute), string(first.DocKind), at, at)
			if err != nil {
				return err
			}
			if err := tx.attach(ctx, actor, id, &first, in.Uploads); err != nil {
				return err
			}
			it := publish.Item{ID: id, UnitID: unitID}
			for i, e := range in.Events {
				if i == 0 {
					e.Content = &first
				}
				if it, err = tx.writeEvent(ctx, it, e); err != nil {
					return errs.Wrap(errs.CodeOf(err), err, "第 %d 条信息“%s”的第 %d 个事件（%s）：%s", n+1, first.Title, i+1, e.Kind.Label(), errs.MessageOf(err))
				}
			}
			ids = append(ids, id)
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
