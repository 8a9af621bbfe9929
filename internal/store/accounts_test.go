package store_test

import (
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// An administrator creates accounts and grants roles in his unit and the
// units below it, and the store refuses the rest inside the transaction,
// whatever the caller checked: the parent's and a sibling's accounts, a
// grant in a unit out of scope, a disabled administrator, the public.
func TestAccountsAuthorizedInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		xm := mustUnit(t, db, 0, "xiamen", "厦门海关")
		fzAdmin := mustUser(t, db, fz.ID, "fzadmin", "gongkai-test-pw", org.RoleAdmin)
		mwAdmin := mustUser(t, db, mw.ID, "mwadmin", "gongkai-test-pw", org.RoleAdmin)
		as := func(u org.User) audit.Actor { return audit.Actor{UserID: u.ID, Name: u.Username, UnitID: u.UnitID} }
		hash, err := auth.HashPassword("gongkai-test-pw", cheap)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		create := func(who audit.Actor, unit int64, grants ...org.Grant) (org.User, error) {
			n++
			u := org.User{Username: "u" + string(rune('a'+n)), DisplayName: "测试", UnitID: unit, Grants: grants}
			return u, db.CreateUser(ctx, who, &u, hash)
		}
		count := func() int {
			us, err := db.Users(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return len(us)
		}
		before := count()
		for _, c := range []struct {
			name   string
			who    audit.Actor
			unit   int64
			grants []org.Grant
		}{
			{"下级管理员在上级单位", as(mwAdmin), fz.ID, nil},
			{"管理员在平级单位", as(fzAdmin), xm.ID, nil},
			{"授予范围外的角色", as(mwAdmin), mw.ID, []org.Grant{{UnitID: fz.ID, Role: org.RoleHandler}}},
			{"公众", audit.Public, mw.ID, nil},
			{"没有管理员角色", as(mustUser(t, db, fz.ID, "plain", "gongkai-test-pw", org.RoleHandler)), fz.ID, nil},
		} {
			if _, err := create(c.who, c.unit, c.grants...); !errs.Is(err, errs.Invalid) {
				t.Errorf("%s: %v, want a refusal", c.name, err)
			}
		}
		if got := count(); got != before+1 { // only the plain handler made above
			t.Fatalf("a refused account was written: %d users, want %d", got, before+1)
		}
		if _, err := create(as(fzAdmin), mw.ID, org.Grant{UnitID: mw.ID, Role: org.RoleHandler}); err != nil {
			t.Fatalf("an administrator in a unit below his: %v", err)
		}
		u, err := create(as(mwAdmin), mw.ID, org.Grant{UnitID: mw.ID, Role: org.RoleHandler})
		if err != nil {
			t.Fatalf("an administrator in his own unit: %v", err)
		}
		if _, err := create(audit.System("cli"), xm.ID); err != nil {
			t.Fatalf("the system: %v", err)
		}
		// Grants: the parent's administrator adds a role in 福州海关; the
		// subordinate's administrator may keep it but not add or withdraw
		// one outside his scope.
		withFz := []org.Grant{{UnitID: mw.ID, Role: org.RoleHandler}, {UnitID: fz.ID, Role: org.RoleStatistician}}
		if err := db.SetGrants(ctx, as(mwAdmin), u.ID, withFz); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a grant above the administrator's unit: %v", err)
		}
		if err := db.SetGrants(ctx, as(fzAdmin), u.ID, withFz); err != nil {
			t.Fatal(err)
		}
		kept := []org.Grant{{UnitID: mw.ID, Role: org.RoleHandler}, {UnitID: mw.ID, Role: org.RoleEditor}, {UnitID: fz.ID, Role: org.RoleStatistician}}
		if err := db.SetGrants(ctx, as(mwAdmin), u.ID, kept); err != nil {
			t.Fatalf("a change in scope with a grant above it kept: %v", err)
		}
		if err := db.SetGrants(ctx, as(mwAdmin), u.ID, kept[:2]); !errs.Is(err, errs.Invalid) {
			t.Fatalf("withdrawing a grant above the administrator's unit: %v", err)
		}
		// A disabled administrator is no longer one.
		if err := db.SetDisabled(ctx, admin, mwAdmin.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := create(as(mwAdmin), mw.ID); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a disabled administrator: %v", err)
		}
	})
}
