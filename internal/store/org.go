package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

var _ org.Store = (*DB)(nil)

// CreateUnit stores a unit under its parent.
func (db *DB) CreateUnit(ctx context.Context, actor audit.Actor, u *org.Unit) error {
	if err := org.ValidateUnit(u); err != nil {
		return err
	}
	u.CreatedAt = db.Now()
	err := db.inTx(ctx, func(tx *Tx) error {
		if u.ParentID != 0 {
			var n int
			if err := tx.row(ctx, "SELECT count(*) FROM units WHERE id = ?", u.ParentID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return errs.FieldError("parent", "上级单位不存在")
			}
		}
		id, err := tx.insert(ctx, "INSERT INTO units (parent_id, code, name, created_at) VALUES (?, ?, ?, ?)",
			nullID(u.ParentID), u.Code, u.Name, ts(u.CreatedAt))
		if err != nil {
			return err
		}
		u.ID = id
		return tx.appendAudit(ctx, actor, audit.Change{Action: "unit.create", ObjectType: "unit", ObjectID: strconv.FormatInt(id, 10), After: u})
	})
	if isConflict(err) {
		return errs.FieldError("code", "单位代码“%s”已被使用", u.Code)
	}
	return err
}

func scanUnit(sc interface{ Scan(...any) error }) (org.Unit, error) {
	var u org.Unit
	var parent sql.NullInt64
	var created string
	if err := sc.Scan(&u.ID, &parent, &u.Code, &u.Name, &created); err != nil {
		return u, err
	}
	u.ParentID = parent.Int64
	u.CreatedAt = mustTS(created)
	return u, nil
}

const unitCols = "id, parent_id, code, name, created_at"

// Unit returns a unit by id.
func (db *DB) Unit(ctx context.Context, id int64) (org.Unit, error) {
	u, err := scanUnit(db.row(ctx, "SELECT "+unitCols+" FROM units WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return u, errs.E(errs.NotFound, "单位不存在")
	}
	return u, db.mapErr(err)
}

// UnitByCode returns a unit by its code.
func (db *DB) UnitByCode(ctx context.Context, code string) (org.Unit, error) {
	u, err := scanUnit(db.row(ctx, "SELECT "+unitCols+" FROM units WHERE code = ?", strings.TrimSpace(code)))
	if err == sql.ErrNoRows {
		return u, errs.E(errs.NotFound, "单位代码“%s”不存在", code)
	}
	return u, db.mapErr(err)
}

// Units lists every unit by id.
func (db *DB) Units(ctx context.Context) ([]org.Unit, error) {
	rows, err := db.query(ctx, "SELECT "+unitCols+" FROM units ORDER BY id")
	if err != nil {
		return nil, err
	}
	return scanUnits(rows)
}

// scanUnits reads the units of rows and closes them.
func scanUnits(rows *sql.Rows) ([]org.Unit, error) {
	defer rows.Close()
	var out []org.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateDepartment stores a department of a unit.
func (db *DB) CreateDepartment(ctx context.Context, actor audit.Actor, d *org.Department) error {
	if err := org.ValidateDepartment(d); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, "INSERT INTO departments (unit_id, name) VALUES (?, ?)", d.UnitID, d.Name)
		if err != nil {
			return err
		}
		d.ID = id
		a := actor
		a.UnitID = d.UnitID
		return tx.appendAudit(ctx, a, audit.Change{Action: "department.create", ObjectType: "department", ObjectID: strconv.FormatInt(id, 10), After: d})
	})
	switch errs.CodeOf(err) {
	case errs.Conflict:
		return errs.FieldError("name", "该单位已有名为“%s”的部门", d.Name)
	case errs.Invalid:
		if errs.MessageOf(err) == "引用的记录不存在" {
			return errs.FieldError("unit", "所属单位不存在")
		}
	}
	return err
}

// Departments lists a unit's departments, or every department when unitID is 0.
func (db *DB) Departments(ctx context.Context, unitID int64) ([]org.Department, error) {
	q, args := "SELECT id, unit_id, name FROM departments ORDER BY unit_id, id", []any(nil)
	if unitID != 0 {
		q, args = "SELECT id, unit_id, name FROM departments WHERE unit_id = ? ORDER BY id", []any{unitID}
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []org.Department
	for rows.Next() {
		var d org.Department
		if err := rows.Scan(&d.ID, &d.UnitID, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// userView is what the audit log records of a user: never the hash.
type userView struct {
	Username     string
	DisplayName  string
	UnitID       int64
	DepartmentID int64
	Email        string
	Disabled     bool
	Grants       []org.Grant
}

func viewOf(u org.User) userView {
	return userView{u.Username, u.DisplayName, u.UnitID, u.DepartmentID, u.Email, u.Disabled, u.Grants}
}

// CreateUser stores an account, its password hash and its grants.
//
// The actor must administer the user's unit and the units of its grants,
// or a unit above them (org.AuthorizeAccounts), decided in the transaction.
func (db *DB) CreateUser(ctx context.Context, actor audit.Actor, u *org.User, passwordHash string) error {
	if passwordHash == "" {
		return errs.E(errs.Invalid, "缺少密码")
	}
	u.CreatedAt = db.Now()
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.checkUnitDept(ctx, u.UnitID, u.DepartmentID); err != nil {
			return err
		}
		targets := []int64{u.UnitID}
		for _, g := range u.Grants {
			targets = append(targets, g.UnitID)
		}
		if err := tx.authorizeAccounts(ctx, actor, targets); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO users (username, username_key, display_name, unit_id, department_id, email, password_hash, disabled, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Username, strings.ToLower(u.Username), u.DisplayName, u.UnitID, nullID(u.DepartmentID), u.Email, passwordHash, boolInt(u.Disabled), ts(u.CreatedAt))
		if err != nil {
			return err
		}
		u.ID = id
		if err := tx.writeGrants(ctx, id, u.Grants); err != nil {
			return err
		}
		a := actor
		if a.UnitID == 0 {
			a.UnitID = u.UnitID
		}
		return tx.appendAudit(ctx, a, audit.Change{Action: "user.create", ObjectType: "user", ObjectID: strconv.FormatInt(id, 10), After: viewOf(*u)})
	})
	if isConflict(err) {
		return errs.FieldError("username", "用户名“%s”已存在", u.Username)
	}
	return err
}

func (t *Tx) checkUnitDept(ctx context.Context, unitID, deptID int64) error {
	var n int
	if err := t.row(ctx, "SELECT count(*) FROM units WHERE id = ?", unitID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return errs.FieldError("unit", "所属单位不存在")
	}
	if deptID != 0 {
		if err := t.row(ctx, "SELECT count(*) FROM departments WHERE id = ? AND unit_id = ?", deptID, unitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.FieldError("department", "所选部门不属于该单位")
		}
	}
	return nil
}

func (t *Tx) writeGrants(ctx context.Context, userID int64, grants []org.Grant) error {
	seen := map[org.Grant]bool{}
	for _, g := range grants {
		if seen[g] {
			continue
		}
		seen[g] = true
		if _, err := org.ParseRole(string(g.Role)); err != nil {
			return err
		}
		var n int
		if err := t.row(ctx, "SELECT count(*) FROM units WHERE id = ?", g.UnitID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return errs.FieldError("roles", "授权的单位不存在")
		}
		if _, err := t.exec(ctx, "INSERT INTO user_roles (user_id, unit_id, role) VALUES (?, ?, ?)", userID, g.UnitID, string(g.Role)); err != nil {
			return err
		}
	}
	return nil
}

const userCols = "id, username, display_name, unit_id, department_id, email, disabled, created_at"

func scanUser(sc interface{ Scan(...any) error }) (org.User, error) {
	var u org.User
	var dept sql.NullInt64
	var disabled int
	var created string
	if err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.UnitID, &dept, &u.Email, &disabled, &created); err != nil {
		return u, err
	}
	u.DepartmentID = dept.Int64
	u.Disabled = disabled != 0
	u.CreatedAt = mustTS(created)
	return u, nil
}

func (db *DB) loadGrants(ctx context.Context, q querier, u *org.User) error {
	rows, err := q.QueryContext(ctx, db.rebind("SELECT unit_id, role FROM user_roles WHERE user_id = ? ORDER BY unit_id, role"), u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.Grants = nil
	for rows.Next() {
		var g org.Grant
		var r string
		if err := rows.Scan(&g.UnitID, &r); err != nil {
			return err
		}
		g.Role = org.Role(r)
		u.Grants = append(u.Grants, g)
	}
	return rows.Err()
}

// User returns an account by id, with its grants.
func (db *DB) User(ctx context.Context, id int64) (org.User, error) {
	u, err := scanUser(db.row(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return u, errs.E(errs.NotFound, "用户不存在")
	}
	if err != nil {
		return u, db.mapErr(err)
	}
	return u, db.loadGrants(ctx, db.sql, &u)
}

// UserByUsername returns an account by username (case-insensitive).
func (db *DB) UserByUsername(ctx context.Context, username string) (org.User, error) {
	u, err := scanUser(db.row(ctx, "SELECT "+userCols+" FROM users WHERE username_key = ?", strings.ToLower(strings.TrimSpace(username))))
	if err == sql.ErrNoRows {
		return u, errs.E(errs.NotFound, "用户“%s”不存在", username)
	}
	if err != nil {
		return u, db.mapErr(err)
	}
	return u, db.loadGrants(ctx, db.sql, &u)
}

// Users lists every account with its grants.
func (db *DB) Users(ctx context.Context) ([]org.User, error) {
	rows, err := db.query(ctx, "SELECT "+userCols+" FROM users ORDER BY unit_id, id")
	if err != nil {
		return nil, err
	}
	var out []org.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	grants, err := db.query(ctx, "SELECT user_id, unit_id, role FROM user_roles ORDER BY user_id, unit_id, role")
	if err != nil {
		return nil, err
	}
	defer grants.Close()
	byID := map[int64]*org.User{}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for grants.Next() {
		var uid int64
		var g org.Grant
		var r string
		if err := grants.Scan(&uid, &g.UnitID, &r); err != nil {
			return nil, err
		}
		g.Role = org.Role(r)
		if u := byID[uid]; u != nil {
			u.Grants = append(u.Grants, g)
		}
	}
	return out, grants.Err()
}

// SetGrants replaces a user's roles.
func (db *DB) SetGrants(ctx context.Context, actor audit.Actor, userID int64, grants []org.Grant) error {
	return db.inTx(ctx, func(tx *Tx) error {
		before, err := scanUser(tx.row(ctx, "SELECT "+userCols+" FROM users WHERE id = ?"+db.forUpdate(), userID))
		if err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "用户不存在")
		}
		if err != nil {
			return err
		}
		if err := db.loadGrants(ctx, tx.tx, &before); err != nil {
			return err
		}
		// The account's unit and every grant added or withdrawn must be in
		// the administrator's scope; grants left as they are need not be.
		targets := []int64{before.UnitID}
		had, has := map[org.Grant]bool{}, map[org.Grant]bool{}
		for _, g := range before.Grants {
			had[g] = true
		}
		for _, g := range grants {
			has[g] = true
			if !had[g] {
				targets = append(targets, g.UnitID)
			}
		}
		for _, g := range before.Grants {
			if !has[g] {
				targets = append(targets, g.UnitID)
			}
		}
		if err := tx.authorizeAccounts(ctx, actor, targets); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "DELETE FROM user_roles WHERE user_id = ?", userID); err != nil {
			return err
		}
		if err := tx.writeGrants(ctx, userID, grants); err != nil {
			return err
		}
		after := before
		if err := db.loadGrants(ctx, tx.tx, &after); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "user.grants", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
			Before: before.Grants, After: after.Grants})
	})
}

// SetDisabled stops or restores an account; stopping ends its sessions.
func (db *DB) SetDisabled(ctx context.Context, actor audit.Actor, userID int64, disabled bool) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var was int
		if err := tx.row(ctx, "SELECT disabled FROM users WHERE id = ?"+db.forUpdate(), userID).Scan(&was); err == sql.ErrNoRows {
			return errs.E(errs.NotFound, "用户不存在")
		} else if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE users SET disabled = ? WHERE id = ?", boolInt(disabled), userID); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
				return err
			}
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "user.disabled", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
			Before: map[string]bool{"disabled": was != 0}, After: map[string]bool{"disabled": disabled}})
	})
}

// SetPassword replaces an account's password hash, clears its lockout and
// ends its sessions. The audit entry records that it changed, not the hash.
func (db *DB) SetPassword(ctx context.Context, actor audit.Actor, userID int64, passwordHash string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = '' WHERE id = ?", passwordHash, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.NotFound, "用户不存在")
		}
		if _, err := tx.exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		return tx.appendAudit(ctx, actor, audit.Change{Action: "user.password", ObjectType: "user", ObjectID: strconv.FormatInt(userID, 10),
			After: map[string]string{"password": "已重置"}})
	})
}
