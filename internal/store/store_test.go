package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

var ctx = context.Background()

var cheap = auth.Params{Memory: 1024, Time: 1, Threads: 1}

var admin = audit.Actor{Name: "test"}

func mustUnit(t *testing.T, db *store.DB, parent int64, code, name string) org.Unit {
	t.Helper()
	u := org.Unit{ParentID: parent, Code: code, Name: name}
	if err := db.CreateUnit(ctx, admin, &u); err != nil {
		t.Fatalf("create unit %s: %v", code, err)
	}
	return u
}

func mustUser(t *testing.T, db *store.DB, unit int64, name, password string, roles ...org.Role) org.User {
	t.Helper()
	u := org.User{Username: name, DisplayName: "测试" + name, UnitID: unit}
	for _, r := range roles {
		u.Grants = append(u.Grants, org.Grant{UnitID: unit, Role: r})
	}
	if err := org.ValidateUser(&u, password); err != nil {
		t.Fatal(err)
	}
	h, err := auth.HashPassword(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, admin, &u, h); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		v1, err := db.SchemaVersion(ctx)
		if err != nil || v1 < 2 {
			t.Fatalf("schema version %d, %v", v1, err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		v2, _ := db.SchemaVersion(ctx)
		if v1 != v2 {
			t.Fatalf("version moved %d → %d", v1, v2)
		}
	})
}

func TestConcurrentMigrate(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			var wg sync.WaitGroup
			errc := make(chan error, 3)
			for i := 0; i < 3; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					db, err := store.Open(ctx, dsn, store.Options{})
					if err == nil {
						db.Close()
					}
					errc <- err
				}()
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				if err != nil {
					t.Fatalf("concurrent open: %v", err)
				}
			}
		})
	}
}

func TestUnitsDepartmentsUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		hq := mustUnit(t, db, 0, "gacc", "海关总署")
		fz := mustUnit(t, db, hq.ID, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")

		dup := org.Unit{Code: "fuzhou", Name: "重复"}
		if err := db.CreateUnit(ctx, admin, &dup); !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), "已被使用") {
			t.Fatalf("duplicate unit code: %v", err)
		}
		orphan := org.Unit{ParentID: 9999, Code: "orphan", Name: "孤儿"}
		if err := db.CreateUnit(ctx, admin, &orphan); errs.MessageOf(err) != "上级单位不存在" {
			t.Fatalf("missing parent: %v", err)
		}
		units, err := db.Units(ctx)
		if err != nil || len(units) != 3 {
			t.Fatalf("units: %v %v", units, err)
		}
		tree := org.Tree(units)
		if tree[2].Unit.ID != mw.ID || tree[2].Depth != 2 {
			t.Fatalf("tree: %+v", tree)
		}
		if got := org.Descendants(units, fz.ID); len(got) != 2 {
			t.Fatalf("descendants of 福州: %v", got)
		}

		d := org.Department{UnitID: fz.ID, Name: "办公室"}
		if err := db.CreateDepartment(ctx, admin, &d); err != nil {
			t.Fatal(err)
		}
		d2 := org.Department{UnitID: fz.ID, Name: "办公室"}
		if err := db.CreateDepartment(ctx, admin, &d2); !strings.Contains(errs.MessageOf(err), "已有名为") {
			t.Fatalf("duplicate department: %v", err)
		}
		if deps, _ := db.Departments(ctx, fz.ID); len(deps) != 1 || deps[0].Name != "办公室" {
			t.Fatalf("departments: %v", deps)
		}

		u := mustUser(t, db, fz.ID, "wang", "correct horse", org.RoleEditor, org.RoleReviewer)
		got, err := db.UserByUsername(ctx, "WANG")
		if err != nil || got.ID != u.ID || !got.Has(org.RoleReviewer, fz.ID) || got.Has(org.RoleReviewer, mw.ID) {
			t.Fatalf("user by name: %+v %v", got, err)
		}
		again := org.User{Username: "Wang", DisplayName: "王二", UnitID: fz.ID}
		if err := db.CreateUser(ctx, admin, &again, "x"); errs.MessageOf(err) != "用户名“Wang”已存在" {
			t.Fatalf("duplicate user: %v", err)
		}
		wrongDept := org.User{Username: "li", DisplayName: "李", UnitID: mw.ID, DepartmentID: d.ID}
		if err := db.CreateUser(ctx, admin, &wrongDept, "x"); errs.MessageOf(err) != "所选部门不属于该单位" {
			t.Fatalf("dept of other unit: %v", err)
		}
		if err := db.SetGrants(ctx, admin, u.ID, []org.Grant{{UnitID: mw.ID, Role: org.RoleHandler}}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.User(ctx, u.ID)
		if len(got.Grants) != 1 || !got.Has(org.RoleHandler, mw.ID) {
			t.Fatalf("grants after set: %+v", got.Grants)
		}
		if err := db.SetGrants(ctx, admin, u.ID, []org.Grant{{UnitID: mw.ID, Role: "boss"}}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown role accepted: %v", err)
		}
		got, _ = db.User(ctx, u.ID)
		if len(got.Grants) != 1 {
			t.Fatalf("failed SetGrants must leave grants as they were: %+v", got.Grants)
		}
		users, err := db.Users(ctx)
		if err != nil || len(users) != 1 || len(users[0].Grants) != 1 {
			t.Fatalf("users: %+v %v", users, err)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatalf("audit: %v", err)
		}
	})
}

func TestAuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		hq := mustUnit(t, db, 0, "gacc", "海关总署")
		mustUnit(t, db, hq.ID, "fuzhou", "福州海关")
		n, err := db.VerifyAudit(ctx)
		if err != nil || n != 2 {
			t.Fatalf("verify: %d %v", n, err)
		}
		es, err := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "unit"})
		if err != nil || len(es) != 2 || es[0].Action != "unit.create" || !strings.Contains(es[0].After, "福州海关") || es[0].ActorName != "test" {
			t.Fatalf("entries: %+v %v", es, err)
		}
		// The database refuses to change or delete an entry.
		if _, err := db.SQL().Exec("UPDATE audit_log SET actor_name = 'mallory'"); err == nil {
			t.Fatal("audit_log accepted an UPDATE")
		}
		if _, err := db.SQL().Exec("DELETE FROM audit_log"); err == nil {
			t.Fatal("audit_log accepted a DELETE")
		}
		// Someone with the database's owner rights drops the guard and
		// edits an entry: verification finds it.
		if db.Dialect() == store.SQLite {
			mustExec(t, db.SQL(), "DROP TRIGGER audit_log_no_update")
		} else {
			mustExec(t, db.SQL(), "DROP TRIGGER audit_log_no_change ON audit_log")
		}
		mustExec(t, db.SQL(), "UPDATE audit_log SET after_json = replace(after_json, '福州', '厦门') WHERE seq = 2")
		if _, err := db.VerifyAudit(ctx); err == nil || !strings.Contains(err.Error(), "第 2 条") {
			t.Fatalf("tampering not found: %v", err)
		}
	})
}

func TestAuditConcurrentAppends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for j := 0; j < 10; j++ {
					if err := db.Record(ctx, admin, audit.Change{Action: "test", ObjectType: "x", ObjectID: "1"}); err != nil {
						t.Error(err)
						return
					}
				}
			}(i)
		}
		wg.Wait()
		n, err := db.VerifyAudit(ctx)
		if err != nil || n != 80 {
			t.Fatalf("after concurrent appends: %d %v", n, err)
		}
	})
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }

func TestLoginSessionsAndLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		hq := mustUnit(t, db, 0, "gacc", "海关总署")
		u := mustUser(t, db, hq.ID, "zhang", "correct horse", org.RoleAdmin)
		c := &clock{t: time.Date(2024, 9, 27, 9, 0, 0, 0, time.UTC)}
		pol := auth.DefaultPolicy
		pol.Params = cheap
		svc := &auth.Service{Store: db, Policy: pol, Now: c.now}

		if _, _, err := svc.Login(ctx, "nobody", "x", "k"); err != auth.ErrBadCredentials {
			t.Fatalf("unknown user: %v", err)
		}
		if _, _, err := svc.Login(ctx, "zhang", "wrong", "k"); err != auth.ErrBadCredentials {
			t.Fatalf("wrong password: %v", err)
		}
		tok, sess, err := svc.Login(ctx, "Zhang", "correct horse", "k")
		if err != nil || sess.UserID != u.ID || sess.CSRF == "" {
			t.Fatalf("login: %v", err)
		}
		// Sessions are in the database: a second service over the same
		// store (another instance) sees the same session.
		other := &auth.Service{Store: db, Policy: pol, Now: c.now}
		c.add(20 * time.Minute)
		if s, err := other.Authenticate(ctx, tok); err != nil || s.UserID != u.ID {
			t.Fatalf("authenticate on another instance: %v", err)
		}
		c.add(20 * time.Minute) // 20 min idle since the last touch: still alive
		if _, err := svc.Authenticate(ctx, tok); err != nil {
			t.Fatalf("within idle timeout: %v", err)
		}
		c.add(31 * time.Minute)
		if _, err := svc.Authenticate(ctx, tok); err != auth.ErrExpired {
			t.Fatalf("idle session: %v", err)
		}
		if _, err := svc.Authenticate(ctx, tok); err != auth.ErrNoSession {
			t.Fatalf("expired session must be gone: %v", err)
		}

		// Five wrong passwords lock the account, even for the right one.
		for i := 0; i < 5; i++ {
			svc.Login(ctx, "zhang", "wrong", "k2")
		}
		if _, _, err := svc.Login(ctx, "zhang", "correct horse", "k2"); err == nil || !strings.Contains(errs.MessageOf(err), "锁定") {
			t.Fatalf("locked account: %v", err)
		}
		c.add(16 * time.Minute)
		tok2, _, err := svc.Login(ctx, "zhang", "correct horse", "k2")
		if err != nil {
			t.Fatalf("after lockout: %v", err)
		}
		if err := svc.Logout(ctx, tok2); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, tok2); err != auth.ErrNoSession {
			t.Fatalf("after logout: %v", err)
		}

		// One client hammering many accounts is throttled after
		// ClientAttempts failures; successful logins from one address (an
		// office's morning) do not count.
		for i := 0; i < 2*pol.ClientAttempts; i++ {
			tok, _, err := svc.Login(ctx, "zhang", "correct horse", "office")
			if err != nil {
				t.Fatalf("login %d from the office: %v", i+1, err)
			}
			svc.Logout(ctx, tok)
		}
		var last error
		for i := 0; i < pol.ClientAttempts; i++ {
			if _, _, last = svc.Login(ctx, "nobody", "x", "hammer"); !errs.Is(last, errs.Unauthorized) || strings.Contains(errs.MessageOf(last), "过于频繁") {
				t.Fatalf("failure %d: %v", i+1, last)
			}
		}
		if _, _, last = svc.Login(ctx, "zhang", "correct horse", "hammer"); !strings.Contains(errs.MessageOf(last), "过于频繁") {
			t.Fatalf("client throttle after %d failures: %v", pol.ClientAttempts, last)
		}
		if _, _, err := svc.Login(ctx, "zhang", "correct horse", "office"); err != nil {
			t.Fatalf("another client is not throttled: %v", err)
		}
		// Disabling the account ends its sessions and blocks login.
		tok3, _, _ := svc.Login(ctx, "zhang", "correct horse", "k3")
		if err := db.SetDisabled(ctx, admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Authenticate(ctx, tok3); err != auth.ErrNoSession {
			t.Fatalf("disabled user's session: %v", err)
		}
		if _, _, err := svc.Login(ctx, "zhang", "correct horse", "k3"); !strings.Contains(errs.MessageOf(err), "停用") {
			t.Fatalf("disabled login: %v", err)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if v, err := db.Setting(ctx, "site_unit", "none"); err != nil || v != "none" {
			t.Fatalf("default: %q %v", v, err)
		}
		db.SetSetting(ctx, admin, "site_unit", "fuzhou")
		db.SetSetting(ctx, admin, "site_unit", "xiamen")
		if v, _ := db.Setting(ctx, "site_unit", ""); v != "xiamen" {
			t.Fatalf("got %q", v)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	cases := []struct{ dsn, want string }{
		{"mysql://root@localhost/x", "不支持的数据库地址"},
		{"postgres://", "数据库地址格式不正确"},
		{"postgres://u@127.0.0.1:99999/x", "端口"},
		{"postgres://postgres@127.0.0.1:1/test", "无法连接 PostgreSQL"},
		{"/no/such/dir/gongkai.db", "不存在"},
		{"", "未指定数据库"},
	}
	for _, c := range cases {
		_, err := store.Open(ctx, c.dsn, store.Options{ConnectTimeout: time.Second})
		if err == nil || !strings.Contains(errs.MessageOf(err), c.want) {
			t.Errorf("Open(%q) = %v, want %q", c.dsn, err, c.want)
		}
	}
	notDB := filepath.Join(t.TempDir(), "x.db")
	writeFile(t, notDB, strings.Repeat("this is not a database ", 100))
	if _, err := store.Open(ctx, notDB, store.Options{}); !strings.Contains(errs.MessageOf(err), "不是 SQLite 数据库") {
		t.Errorf("not a db: %v", err)
	}
}

func TestLockedSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA locking_mode = EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	_, err = store.Open(ctx, path, store.Options{BusyTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(errs.MessageOf(err), "被其他进程锁定") {
		t.Fatalf("locked file: %v", err)
	}
}
