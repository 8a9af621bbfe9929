package store_test

import (
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func TestRequestReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		mw := mustUnit(t, db, fz.ID, "mawei", "马尾海关")
		h := org.User{Username: "chen", DisplayName: "陈办理", UnitID: fz.ID, Email: "chen@example.org", Grants: []org.Grant{{UnitID: fz.ID, Role: org.RoleHandler}}}
		other := org.User{Username: "lin", DisplayName: "林办理", UnitID: mw.ID, Grants: []org.Grant{{UnitID: mw.ID, Role: org.RoleHandler}}}
		for _, u := range []*org.User{&h, &other} {
			if err := db.CreateUser(ctx, admin, u, "x"); err != nil {
				t.Fatal(err)
			}
		}
		// Received Fri 2024-09-27: due Wed 2024-10-30 (20 working days
		// counted from 09-29, the make-up Sunday, across National Day).
		app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "tok-remind-0123456789", sampleApplication(t, "2024-09-27"))
		if err != nil || app.DueOn != "2024-10-30" {
			t.Fatalf("submit: %+v %v", app, err)
		}
		// 10-24 (Thu): 10-25, 28, 29, 30 are 4 working days left — not yet.
		if n, _, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-24")); err != nil || n != 0 {
			t.Fatalf("10-24: %d %v", n, err)
		}
		// 10-25 (Fri): 10-28, 29, 30 — due soon; one reminder for 陈办理 only.
		n, mails, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-25"))
		if err != nil || n != 1 || len(mails) != 1 || mails[0].Email != "chen@example.org" || mails[0].Items[0].Urgency != requests.DueSoon {
			t.Fatalf("10-25: %d %+v %v", n, mails, err)
		}
		if err := db.MarkReminderMailed(ctx, mails[0]); err != nil {
			t.Fatal(err)
		}
		// The job running again the same day raises nothing new.
		if n, mails, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-25")); err != nil || n != 0 || len(mails) != 0 {
			t.Fatalf("rerun: %d %v", n, err)
		}
		// 10-31: overdue.
		if n, mails, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-31")); err != nil || n != 1 || mails[0].Items[0].Urgency != requests.Overdue {
			t.Fatalf("10-31: %d %+v %v", n, mails, err)
		}
		// Not marked mailed (the mail failed): the next run offers it again.
		if n, mails, err := db.RaiseRequestReminders(ctx, day(t, "2024-10-31")); err != nil || n != 0 || len(mails) != 1 || len(mails[0].Items) != 1 {
			t.Fatalf("retry of the mail: %d %+v %v", n, mails, err)
		}
		ns, err := db.RequestNotifications(ctx, h.ID, 0)
		if err != nil || len(ns) != 2 || ns[0].Kind != requests.Overdue || ns[0].ReceiptNo != app.ReceiptNo || ns[0].Read {
			t.Fatalf("notifications %+v %v", ns, err)
		}
		if ns, _ := db.RequestNotifications(ctx, other.ID, 0); len(ns) != 0 {
			t.Fatal("another unit's handler was reminded")
		}
		// Marking read: only the owner can.
		if err := db.MarkRequestNotificationRead(ctx, other.ID, ns[0].ID); err != nil {
			t.Fatal(err)
		}
		if ns, _ := db.RequestNotifications(ctx, h.ID, 0); ns[0].Read {
			t.Fatal("another user marked it read")
		}
		if err := db.MarkRequestNotificationRead(ctx, h.ID, ns[0].ID); err != nil {
			t.Fatal(err)
		}
		if ns, _ := db.RequestNotifications(ctx, h.ID, 0); !ns[len(ns)-1].Read || ns[0].Read {
			t.Fatalf("read order %+v", ns)
		}
		// A concluded application is no longer reminded of.
		if _, err := db.AppendRequestEvent(ctx, audit.Actor{UserID: h.ID, Name: h.DisplayName}, app.ID, requests.Event{Kind: requests.Withdrawn, On: day(t, "2024-11-01")}); err != nil {
			t.Fatal(err)
		}
		if n, _, err := db.RaiseRequestReminders(ctx, day(t, "2024-11-04")); err != nil || n != 0 {
			t.Fatalf("after withdrawal: %d %v", n, err)
		}
	})
}

// A consultation whose 15 working days passed without a reply: the
// handler is reminded (once a day), the clock runs again.
func TestConsultLapsedReminder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		h := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
		a := sampleApplication(t, "2024-03-01")
		a.AssignTo = h.ID
		app, _, _, err := db.SubmitApplication(ctx, actorOf(h), fz.ID, "tok-lapse-0123456789", a)
		if err != nil {
			t.Fatal(err)
		}
		// Sent Mon 03-04 in person: 15 working days → Mon 03-25.
		if _, err := db.AppendRequestEvent(ctx, actorOf(h), app.ID, requests.Event{Kind: requests.ConsultStarted, On: day(t, "2024-03-04")}); err != nil {
			t.Fatal(err)
		}
		lapsed := func(on string) int {
			t.Helper()
			if _, _, err := db.RaiseRequestReminders(ctx, day(t, on)); err != nil {
				t.Fatal(err)
			}
			ns, _ := db.RequestNotifications(ctx, h.ID, 0)
			n := 0
			for _, x := range ns {
				if x.Kind == requests.ConsultLapsed {
					n++
				}
			}
			return n
		}
		if n := lapsed("2024-03-25"); n != 0 {
			t.Fatalf("reminded on the limit day: %d", n)
		}
		if n := lapsed("2024-03-26"); n != 1 {
			t.Fatalf("not reminded after the limit: %d", n)
		}
		if n := lapsed("2024-03-26"); n != 1 {
			t.Fatalf("reminded twice on one day: %d", n)
		}
		ns, _ := db.RequestNotifications(ctx, h.ID, 0)
		if !strings.Contains(ns[0].Message, "至2024-03-25") {
			t.Errorf("message %q", ns[0].Message)
		}
		// Once the lapse is recorded, nothing more.
		if _, err := db.AppendRequestEvent(ctx, actorOf(h), app.ID, requests.Event{Kind: requests.ConsultEnded, On: day(t, "2024-03-27"), Reply: requests.ReplyNone}); err != nil {
			t.Fatal(err)
		}
		if n := lapsed("2024-03-28"); n != 1 {
			t.Fatalf("reminded after the lapse was recorded: %d", n)
		}
	})
}
