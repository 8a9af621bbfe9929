package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// 申请内容分类: a unit's list of subjects is the setting
// requests.subjects.<unit id> (one a line; unset or empty: the default
// list, requests.DefaultSubjects). An application's subjects are its last
// requests.SubjectsMarked event; req_subjects (migration 0020) is the
// projection of it, rewritten in the transaction that appends the event,
// for counting and listing.

func subjectListKey(unitID int64) string {
	return "requests.subjects." + strconv.FormatInt(unitID, 10)
}

// RequestSubjectList returns a unit's list of subjects and whether it is
// the unit's own (false: the default).
func (db *DB) RequestSubjectList(ctx context.Context, unitID int64) ([]string, bool, error) {
	v, err := db.Setting(ctx, subjectListKey(unitID), "")
	return subjectListOf(v), v != "", err
}

func subjectListOf(v string) []string {
	if v == "" {
		return append([]string(nil), requests.DefaultSubjects...)
	}
	return requests.SplitSubjects(v)
}

// SetRequestSubjectList stores a unit's list of subjects (checked by
// requests.ValidSubjectList); an empty list restores the default. Who may
// is the policy's org.ActRequestSubjectList, decided in the transaction.
// Applications keep the subjects they were given: a subject taken off the
// list is still counted, after the listed ones.
func (db *DB) SetRequestSubjectList(ctx context.Context, actor audit.Actor, unitID int64, list []string) error {
	if len(list) > 0 {
		if err := requests.ValidSubjectList(list); err != nil {
			return err
		}
	}
	if _, err := db.Unit(ctx, unitID); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.authorize(ctx, actor, unitID, org.ActRequestSubjectList); err != nil {
			return err
		}
		return tx.setSetting(ctx, actor, subjectListKey(unitID), requests.JoinSubjects(list))
	})
}

// checkSubjects checks, in the transaction appending a marking, what the
// state machine cannot see: that each subject is on the unit's list in
// force (who may mark is the policy, checked for every step). It returns
// the subjects in the list's order.
func (t *Tx) checkSubjects(ctx context.Context, unitID int64, chosen []string) ([]string, error) {
	v, err := t.setting(ctx, subjectListKey(unitID), "")
	if err != nil {
		return nil, err
	}
	return requests.CheckSubjects(chosen, subjectListOf(v))
}

// writeSubjects rewrites the projection of an application's subjects.
func (t *Tx) writeSubjects(ctx context.Context, id int64, subjects []string) error {
	if _, err := t.exec(ctx, "DELETE FROM req_subjects WHERE application_id = ?", id); err != nil {
		return err
	}
	for i, s := range subjects {
		if _, err := t.exec(ctx, "INSERT INTO req_subjects (application_id, subject, pos) VALUES (?, ?, ?)", id, s, i); err != nil {
			return err
		}
	}
	return nil
}

// RequestSubjectCounts counts the applications received in year (the
// boundary of table 三's received row: the date of receipt, 第三十一条) by
// the units unitIDs, per subject, as section 一（二） of the annual report
// names them: by count, ties broken by the order of the first unit's list,
// subjects no longer on it last by name (requests.SortSubjectCounts). An
// application about several subjects counts once under each; one not yet
// marked counts under none (RequestUnmarkedCount).
func (db *DB) RequestSubjectCounts(ctx context.Context, unitIDs []int64, year int) ([]requests.SubjectCount, error) {
	if len(unitIDs) == 0 {
		return nil, nil
	}
	first, last := requests.YearBounds(year)
	args := []any{first, last}
	for _, id := range unitIDs {
		args = append(args, id)
	}
	rows, err := db.query(ctx, `SELECT s.subject, count(*) FROM req_subjects s JOIN req_applications a ON a.id = s.application_id
		WHERE a.received_on >= ? AND a.received_on <= ? AND a.unit_id IN (?`+strings.Repeat(", ?", len(unitIDs)-1)+`)
		GROUP BY s.subject`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []requests.SubjectCount
	for rows.Next() {
		var c requests.SubjectCount
		if err := rows.Scan(&c.Subject, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	list, _, err := db.RequestSubjectList(ctx, unitIDs[0])
	if err != nil {
		return nil, err
	}
	requests.SortSubjectCounts(out, list)
	return out, nil
}

// RequestUnmarkedCount counts the applications received in year by the
// units unitIDs that have no subject yet: what is missing from
// RequestSubjectCounts before the report is written.
func (db *DB) RequestUnmarkedCount(ctx context.Context, unitIDs []int64, year int) (int, error) {
	if len(unitIDs) == 0 {
		return 0, nil
	}
	first, last := requests.YearBounds(year)
	args := []any{first, last}
	for _, id := range unitIDs {
		args = append(args, id)
	}
	var n int
	err := db.row(ctx, `SELECT count(*) FROM req_applications a WHERE a.received_on >= ? AND a.received_on <= ?
		AND a.unit_id IN (?`+strings.Repeat(", ?", len(unitIDs)-1)+`)
		AND NOT EXISTS (SELECT 1 FROM req_subjects s WHERE s.application_id = a.id)`, args...).Scan(&n)
	return n, db.mapErr(err)
}

// withSubjects fills in the subjects of listed applications, 500 at a
// query.
func (db *DB) withSubjects(ctx context.Context, apps []RequestApp) error {
	at := make(map[int64]int, len(apps))
	for i := range apps {
		at[apps[i].ID] = i
	}
	for start := 0; start < len(apps); start += 500 {
		end := min(start+500, len(apps))
		var args []any
		for _, a := range apps[start:end] {
			args = append(args, a.ID)
		}
		rows, err := db.query(ctx, "SELECT application_id, subject FROM req_subjects WHERE application_id IN (?"+
			strings.Repeat(", ?", len(args)-1)+") ORDER BY application_id, pos", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var s string
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return err
			}
			apps[at[id]].Subjects = append(apps[at[id]].Subjects, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// RequestLatestYear is the latest year, up to until, in which a unit
// received or concluded an application (0 when none): the year a page of
// its figures opens on.
func (db *DB) RequestLatestYear(ctx context.Context, unitID int64, until int) (int, error) {
	_, last := requests.YearBounds(until)
	var received, concluded sql.NullString
	err := db.row(ctx, `SELECT max(received_on), max(CASE WHEN concluded_on <> '' AND concluded_on <= ? THEN concluded_on END)
		FROM req_applications WHERE unit_id = ? AND received_on <= ?`, last, unitID, last).Scan(&received, &concluded)
	if err != nil {
		return 0, db.mapErr(err)
	}
	y := 0
	for _, v := range []sql.NullString{received, concluded} {
		if v.Valid && len(v.String) >= 4 {
			if n, err := strconv.Atoi(v.String[:4]); err == nil && n > y {
				y = n
			}
		}
	}
	return y, nil
}
