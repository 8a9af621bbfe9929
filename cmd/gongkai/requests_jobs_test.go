package main

import (
	"context"
	"gongkai/internal/smtp/smtptest"
	"mime"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/jobs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The reminder job raises in-app reminders and mails them through the
// configured SMTP server once; a failed mail is retried by the next run.
func TestRequestReminderJob(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, store.Options{})
	admin := audit.Actor{Name: "test"}
	u := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, admin, &u); err != nil {
		t.Fatal(err)
	}
	h := org.User{Username: "chen", DisplayName: "陈办理", UnitID: u.ID, Email: "chen@example.org", Grants: []org.Grant{{UnitID: u.ID, Role: org.RoleHandler}}}
	if err := db.CreateUser(ctx, admin, &h, "x"); err != nil {
		t.Fatal(err)
	}
	received, _ := calendar.ParseDate("2024-09-27")
	a := requests.Application{Channel: requests.ChannelOnline, ApplicantType: requests.NaturalPerson, Name: "张三",
		IDNumber: "11010519491231002X", Phone: "13800000000", Description: "请公开2024年福州海关行政处罚决定书目录",
		Form: "电子文档", Delivery: "网上获取", ReceivedOn: received}
	app, _, _, err := db.SubmitApplication(ctx, audit.Public, u.ID, "tok-job-0123456789abc", a)
	if err != nil || app.DueOn != "2024-10-30" {
		t.Fatalf("%+v %v", app, err)
	}
	// 2024-10-31 10:00 Beijing time: overdue.
	now := func() time.Time { return time.Date(2024, 10, 31, 2, 0, 0, 0, time.UTC) }
	job := requestReminders(db, nil, now)

	// Without SMTP: the in-app reminder only.
	next, err := job(ctx, jobs.Job{Kind: "requests.reminders"})
	if err != nil || !next.Equal(now().Add(time.Hour)) {
		t.Fatalf("run: %v next %v", err, next)
	}
	ns, _ := db.RequestNotifications(ctx, h.ID, 0)
	if len(ns) != 1 || ns[0].Kind != requests.Overdue {
		t.Fatalf("notifications %+v", ns)
	}

	// SMTP configured but down: the run fails (the runner retries).
	mb := smtptest.Start(t)
	host, port := mb.HostPort()
	db.SetSetting(ctx, admin, "requests.smtp_host", host)
	db.SetSetting(ctx, admin, "requests.smtp_from", "gongkai@example.org")
	db.SetSetting(ctx, admin, "requests.smtp_port", "1")
	if _, err := job(ctx, jobs.Job{}); err == nil {
		t.Fatal("mail to a closed port did not fail the run")
	}
	db.SetSetting(ctx, admin, "requests.smtp_port", strconv.Itoa(port))
	if _, err := job(ctx, jobs.Job{}); err != nil {
		t.Fatal(err)
	}
	if n := len(mb.Messages()); n != 1 {
		t.Fatalf("%d mails, want 1", n)
	}
	m, err := mail.ReadMessage(strings.NewReader(mb.Messages()[0]))
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "【福州海关】依申请公开办理提醒：1件已超期，0件即将到期" || m.Header.Get("To") != "chen@example.org" {
		t.Fatalf("mail %q to %q", subject, m.Header.Get("To"))
	}
	// Once mailed, not again the same day.
	if _, err := job(ctx, jobs.Job{}); err != nil || len(mb.Messages()) != 1 {
		t.Fatalf("second run: %v, %d mails", err, len(mb.Messages()))
	}
}
