package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func actorOf(u org.User) audit.Actor {
	return audit.Actor{UserID: u.ID, Name: u.DisplayName, UnitID: u.UnitID}
}

// 分办: who may assign to whom, the derived column, the worklists and the
// reminders that follow the assignee.
func TestRequestAssignment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		chen := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
		lin := mustUser(t, db, fz.ID, "lin", "password-123", org.RoleHandler)
		head := mustUser(t, db, fz.ID, "head", "password-123", org.RoleOfficeHead)
		legal := mustUser(t, db, fz.ID, "legal", "password-123", org.RoleLegal)
		other := mustUser(t, db, mw.ID, "wang", "password-123", org.RoleHandler)
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-assign-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil || app.AssigneeID != 0 {
			t.Fatalf("submit: %+v %v", app, err)
		}
		on := day(t, "2024-09-29")
		assign := func(by org.User, role org.Role, to int64) error {
			_, err := db.AppendRequestEvent(ctx, actorOf(by), app.ID, requests.Event{Kind: requests.Assigned, On: on, Role: role, Assignee: to})
			return err
		}
		open := func(assignee int64) []int64 {
			t.Helper()
			apps, err := db.RequestApplications(ctx, store.RequestFilter{UnitIDs: []int64{fz.ID}, Open: true, Assignee: assignee})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range apps {
				ids = append(ids, a.ID)
			}
			return ids
		}
		if got := open(store.Unassigned); len(got) != 1 || got[0] != app.ID {
			t.Fatalf("待分办 %v", got)
		}
		// A handler may not hand it to a colleague; the legal reviewer may
		// not assign at all; nor may anyone assign to someone who is not a
		// handler of this unit.
		if err := assign(chen, org.RoleHandler, lin.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("handler assigning a colleague: %v", err)
		}
		if err := assign(legal, org.RoleLegal, chen.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("legal assigning: %v", err)
		}
		if err := assign(head, org.RoleOfficeHead, other.ID); !errs.Is(err, errs.Invalid) {
			t.Fatalf("another unit's handler: %v", err)
		}
		if err := assign(head, org.RoleOfficeHead, legal.ID); !errs.Is(err, errs.Invalid) {
			t.Fatalf("not a handler: %v", err)
		}
		// 认领: a handler takes the unassigned application himself.
		if err := assign(chen, org.RoleHandler, chen.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.AssigneeID != chen.ID || got.DueOn != app.DueOn {
			t.Fatalf("after the claim: assignee %d due %s (was %s)", got.AssigneeID, got.DueOn, app.DueOn)
		}
		// During a consultation the stored due date depends on the day it is
		// computed for; a 分办 dated back does not move it.
		if _, err := db.AppendRequestEvent(ctx, actorOf(chen), app.ID, requests.Event{Kind: requests.ConsultStarted, On: day(t, "2024-10-08")}); err != nil {
			t.Fatal(err)
		}
		before, _ := db.RequestApplication(ctx, app.ID)
		if _, err := db.AppendRequestEvent(ctx, actorOf(head), app.ID, requests.Event{Kind: requests.Assigned, On: day(t, "2024-09-30"), Role: org.RoleOfficeHead, Assignee: lin.ID}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.RequestApplication(ctx, app.ID); got.DueOn != before.DueOn || got.AssigneeID != lin.ID {
			t.Fatalf("a backdated 分办 moved the due date %s → %s", before.DueOn, got.DueOn)
		}
		if _, err := db.AppendRequestEvent(ctx, actorOf(head), app.ID, requests.Event{Kind: requests.Assigned, On: day(t, "2024-10-08"), Role: org.RoleOfficeHead, Assignee: chen.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AppendRequestEvent(ctx, actorOf(chen), app.ID, requests.Event{Kind: requests.ConsultEnded, On: day(t, "2024-10-08")}); err != nil {
			t.Fatal(err)
		}
		if got := open(store.Unassigned); len(got) != 0 {
			t.Fatalf("still 待分办: %v", got)
		}
		if got := open(chen.ID); len(got) != 1 {
			t.Fatalf("陈's worklist %v", got)
		}
		if got := open(lin.ID); len(got) != 0 {
			t.Fatalf("林's worklist %v", got)
		}
		// Once assigned, another handler cannot take it over; the office head
		// reassigns it.
		if err := assign(lin, org.RoleHandler, lin.ID); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("taking over: %v", err)
		}
		if err := assign(head, org.RoleOfficeHead, lin.ID); err != nil {
			t.Fatal(err)
		}
		if got := open(lin.ID); len(got) != 1 {
			t.Fatalf("林 after reassignment %v", got)
		}
		evs, _ := db.RequestEvents(ctx, app.ID)
		if last := evs[len(evs)-1]; last.Kind != requests.Assigned || last.Assignee != lin.ID {
			t.Fatalf("event %+v", last)
		}
		es, _ := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 1})
		if len(es) != 1 || es[0].Action != "request.assigned" || es[0].ActorName != head.DisplayName {
			t.Fatalf("audit %+v", es)
		}
		// Reminders go to the assignee alone (received 09-27, due 10-30).
		if n, _, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-25")); err != nil || n != 1 {
			t.Fatalf("reminders: %d %v", n, err)
		}
		if ns, _ := db.RequestNotifications(ctx, lin.ID, 0); len(ns) != 1 {
			t.Fatalf("林 reminded %d times", len(ns))
		}
		if ns, _ := db.RequestNotifications(ctx, chen.ID, 0); len(ns) != 0 {
			t.Fatal("the former handler was reminded")
		}
		// An assignee who leaves: every handler of the unit is reminded again.
		if err := db.SetDisabled(ctx, admin, lin.ID, true); err != nil {
			t.Fatal(err)
		}
		if n, _, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-31")); err != nil || n != 1 {
			t.Fatalf("reminders after 林 left: %d %v", n, err)
		}
		if ns, _ := db.RequestNotifications(ctx, chen.ID, 0); len(ns) != 1 {
			t.Fatal("陈 was not reminded once 林 had left")
		}
		// Concluded: no more 分办.
		if _, err := db.AppendRequestEvent(ctx, actorOf(chen), app.ID, requests.Event{Kind: requests.Withdrawn, On: day(t, "2024-11-01")}); err != nil {
			t.Fatal(err)
		}
		if err := assign(head, org.RoleOfficeHead, chen.ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("assigning a withdrawn application: %v", err)
		}
	})
}

// Earlier applications by the same applicant are found by the identity
// number's keyed hash: not by a name two people share, and whatever name
// the same person writes.
func TestRequestsByApplicantKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		first, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-key-a-0123456789", sampleApplication(t, "2024-09-02"))
		if err != nil {
			t.Fatal(err)
		}
		namesake := sampleApplication(t, "2024-09-03")
		namesake.IDNumber = "110105194912310038" // another 张三
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-key-b-0123456789", namesake); err != nil {
			t.Fatal(err)
		}
		renamed := sampleApplication(t, "2024-09-04")
		renamed.Name = "张 三（本人）"
		third, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-key-c-0123456789", renamed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.RequestsByApplicant(ctx, third)
		if err != nil || len(got) != 1 || got[0].ID != first.ID {
			t.Fatalf("same applicant: %+v %v", got, err)
		}
		var key string
		if err := db.SQL().QueryRowContext(ctx, rebind(db, "SELECT applicant_key FROM req_applications WHERE id = ?"), first.ID).Scan(&key); err != nil || len(key) != 64 || key == "11010519491231002X" {
			t.Fatalf("key %q %v", key, err)
		}
		// Applications stored before the key existed get it from their
		// sealed numbers when the database is next migrated.
		if _, err := db.SQL().ExecContext(ctx, "UPDATE req_applications SET applicant_key = ''"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.RequestsByApplicant(ctx, third); len(got) != 0 {
			t.Fatalf("matched without keys: %+v", got)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var again string
		if err := db.SQL().QueryRowContext(ctx, rebind(db, "SELECT applicant_key FROM req_applications WHERE id = ?"), first.ID).Scan(&again); err != nil || again != key {
			t.Fatalf("backfilled key %q, want %q (%v)", again, key, err)
		}
		if got, _ := db.RequestsByApplicant(ctx, third); len(got) != 1 || got[0].ID != first.ID {
			t.Fatalf("after the backfill: %+v", got)
		}
	})
}

// Files submitted with an application are stored in its transaction: a bad
// file refuses the whole submission and leaves nothing behind.
func TestSubmitWithAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		a := sampleApplication(t, "2024-09-27")
		a.Attachments = []requests.Attachment{{Name: "委托书.pdf", Content: []byte("%PDF-1.7 委托书")}, {Name: "病毒.pdf", Content: []byte("MZ\x90")}}
		_, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-files-0123456789", a)
		var fe *errs.FormError
		if !errors.As(err, &fe) || fe.Of("attachments") == "" {
			t.Fatalf("bad file: %v", err)
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, "SELECT (SELECT count(*) FROM req_applications) + (SELECT count(*) FROM req_attachments)").Scan(&n); err != nil || n != 0 {
			t.Fatalf("left behind: %d %v", n, err)
		}
		a.Attachments = a.Attachments[:1]
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-files-0123456789", a)
		if err != nil {
			t.Fatal(err)
		}
		list, err := db.RequestAttachments(ctx, app.ID)
		if err != nil || len(list) != 1 || list[0].Name != "委托书.pdf" || list[0].CreatedBy != audit.Public.Name {
			t.Fatalf("attachments %+v %v", list, err)
		}
		// The double submission stores the files once.
		if _, _, created, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-files-0123456789", a); err != nil || created {
			t.Fatalf("again: %v %v", created, err)
		}
		if list, _ := db.RequestAttachments(ctx, app.ID); len(list) != 1 {
			t.Fatalf("%d attachments after the repeat", len(list))
		}
	})
}

// Event histories are append-only in the database itself, whatever the
// code above it does.
func TestEventTablesAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-append-0123456789", sampleApplication(t, "2024-09-27")); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE req_events SET note = 'x'", "DELETE FROM req_events"} {
			if _, err := db.SQL().ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM req_events").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d events, %v", n, err)
		}
	})
}

// One network address may submit requests.ApplyPerHour applications an
// hour on the portal; a repeat of a submission is not counted again.
func TestApplyRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		a := sampleApplication(t, "2024-09-27")
		a.ClientKey = "client-key-of-one-address"
		for i := range requests.ApplyPerHour {
			if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, fmt.Sprintf("tok-rate-%04d-0123456789", i), a); err != nil {
				t.Fatalf("submission %d: %v", i+1, err)
			}
		}
		if _, _, created, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-rate-0000-0123456789", a); err != nil || created {
			t.Fatalf("a repeat: %v %v", created, err)
		}
		_, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-rate-over-0123456789", a)
		if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), "每小时最多提交30件申请") {
			t.Fatalf("over the limit: %v", err)
		}
		// Another address, and staff registrations, are not held back.
		a.ClientKey = "another-address"
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-rate-other-0123456789", a); err != nil {
			t.Fatal(err)
		}
		a.ClientKey = ""
		if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-rate-staff-0123456789", a); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM req_applications").Scan(&n); err != nil || n != requests.ApplyPerHour+2 {
			t.Fatalf("%d applications, %v", n, err)
		}
	})
}
