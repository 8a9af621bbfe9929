package store_test

import (
	"strings"
	"testing"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/mail"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func parseMail(t *testing.T, raw string) *mail.Message {
	t.Helper()
	m, err := mail.Parse(strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const applicationMail = `From: 张三 <zhangsan@example.cn>
To: gongkai@fuzhou.example.cn
Subject: =?UTF-8?B?5pS/5bqc5L+h5oGv5YWs5byA55Sz6K+3?=
Message-ID: <apply-1@example.cn>
Date: Mon, 1 Jan 2024 08:00:00 +0800
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain; charset=UTF-8

申请公开2024年福州海关行政处罚决定书目录。身份证号11010519491231002X。
--b
Content-Type: application/pdf
Content-Disposition: attachment; filename="id.pdf"

%PDF-1.4 身份证复印件
--b--
`

// A message becomes a pending registration once; confirmed by a handler it
// is registered dated the day of the confirmation (第三十一条), never its
// Date: header, with its attachments; what fails leaves nothing half-done.
func TestMailIngestAndConfirm(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			clk := time.Date(2024, 10, 8, 2, 0, 0, 0, time.UTC) // Tue 10:00 in Beijing
			db := storetest.Open(t, d, store.Options{Now: func() time.Time { return clk }})
			fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
			chen := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
			head := mustUser(t, db, fz.ID, "wang", "password-123", org.RoleOfficeHead)

			m, created, err := db.IngestMail(ctx, fz.ID, store.SourcePipe, parseMail(t, applicationMail))
			if err != nil || !created || m.Status != store.MailPending || m.Purpose != store.MailForApplication {
				t.Fatalf("ingest: %+v %v %v", m, created, err)
			}
			if strings.Contains(m.Body, "11010519491231002X") || !strings.Contains(m.Body, "110*************2X") || len(m.Attachments) != 1 {
				t.Fatalf("body %q attachments %+v", m.Body, m.Attachments)
			}
			again, created, err := db.IngestMail(ctx, fz.ID, store.SourceIMAP, parseMail(t, applicationMail))
			if err != nil || created || again.ID != m.ID {
				t.Fatalf("a second ingestion: %+v %v %v", again, created, err)
			}
			if ids, err := db.MailIDNumbers(ctx, actorOf(chen), m.ID); err != nil || len(ids) != 1 || ids[0] != "11010519491231002X" {
				t.Fatalf("sealed numbers: %q %v", ids, err)
			}
			if _, err := db.MailIDNumbers(ctx, actorOf(head), m.ID); !errs.Is(err, errs.Forbidden) {
				t.Fatalf("the office head opens the numbers: %v", err)
			}

			a := requests.Application{ApplicantType: requests.NaturalPerson, Name: "张三", IDNumber: "11010519491231002X",
				Form: "电子文档", Delivery: "电子邮件", AssignTo: chen.ID}
			// Before the message arrived: refused. Incomplete: refused, nothing stored.
			if _, _, err := db.ConfirmMail(ctx, actorOf(chen), m.ID, day(t, "2024-10-07"), a); !errs.Is(err, errs.Invalid) {
				t.Fatalf("confirmed before it arrived: %v", err)
			}
			bad := a
			bad.Name = ""
			if _, _, err := db.ConfirmMail(ctx, actorOf(chen), m.ID, day(t, "2024-10-09"), bad); !errs.Is(err, errs.Invalid) {
				t.Fatalf("no name: %v", err)
			}
			if apps, _ := db.RequestApplications(ctx, store.RequestFilter{UnitIDs: []int64{fz.ID}}); len(apps) != 0 {
				t.Fatalf("half-registered: %+v", apps)
			}
			if got, _ := db.MailMessage(ctx, m.ID); got.Status != store.MailPending {
				t.Fatalf("status after a refusal: %s", got.Status)
			}
			app, code, err := db.ConfirmMail(ctx, actorOf(chen), m.ID, day(t, "2024-10-09"), a)
			if err != nil {
				t.Fatal(err)
			}
			if app.ReceivedOn != day(t, "2024-10-09") || app.Channel != requests.ChannelEmail || app.Email != "zhangsan@example.cn" ||
				!strings.Contains(app.Description, "行政处罚决定书目录") || app.AssigneeID != chen.ID {
				t.Fatalf("registered %+v", app)
			}
			if got, err := db.RequestByQueryCode(ctx, app.ReceiptNo, code); err != nil || got.ID != app.ID {
				t.Fatalf("query code: %v", err)
			}
			if atts, _ := db.RequestAttachments(ctx, app.ID); len(atts) != 1 || atts[0].Name != "id.pdf" {
				t.Fatalf("attachments %+v", atts)
			}
			if got, _ := db.MailMessage(ctx, m.ID); got.Status != store.MailRegistered || got.ApplicationID != app.ID {
				t.Fatalf("message after confirmation %+v", got)
			}
			if _, _, err := db.ConfirmMail(ctx, actorOf(chen), m.ID, day(t, "2024-10-09"), a); !errs.Is(err, errs.Conflict) {
				t.Fatalf("confirmed twice: %v", err)
			}

			// A reply to the 补正 notice, from the applicant's address, with
			// the receipt number in the subject.
			if _, err := db.AppendRequestEvent(ctx, actorOf(chen), app.ID, requests.Event{Kind: requests.CorrectionRequested, On: day(t, "2024-10-09"), Note: "请写明决定书的文号"}); err != nil {
				t.Fatal(err)
			}
			reply := "From: zhangsan@example.cn\nSubject: Re: 补正告知 " + app.ReceiptNo + "\nMessage-ID: <reply-1@example.cn>\nContent-Type: text/plain; charset=UTF-8\n\n文号为福关缉违字〔2024〕1号。\n"
			other := strings.Replace(strings.Replace(reply, "zhangsan@", "lisi@", 1), "reply-1", "reply-2", 1)
			r, _, err := db.IngestMail(ctx, fz.ID, store.SourcePipe, parseMail(t, reply))
			if err != nil || r.Purpose != store.MailForCorrection || r.TargetID != app.ID {
				t.Fatalf("reply %+v %v", r, err)
			}
			o, _, err := db.IngestMail(ctx, fz.ID, store.SourcePipe, parseMail(t, other))
			if err != nil || o.Purpose != store.MailForApplication || len(o.Warnings) != 1 {
				t.Fatalf("a reply from someone else %+v %v", o, err)
			}
			if _, err := db.ConfirmMailCorrection(ctx, actorOf(chen), o.ID, day(t, "2024-10-10")); !errs.Is(err, errs.Conflict) {
				t.Fatalf("someone else's reply as a correction: %v", err)
			}
			got, err := db.ConfirmMailCorrection(ctx, actorOf(chen), r.ID, day(t, "2024-10-10"))
			if err != nil || got.Status != requests.StatusProcessing {
				t.Fatalf("corrected %+v %v", got, err)
			}
			evs, _ := db.RequestEvents(ctx, app.ID)
			if last := evs[len(evs)-1]; last.Kind != requests.Corrected || last.On != day(t, "2024-10-10") || !strings.Contains(last.Note, "福关缉违字") {
				t.Fatalf("the step %+v", last)
			}

			// Spam is kept apart; a handler may mark a pending message as spam.
			s, _, err := db.IngestMail(ctx, fz.ID, store.SourcePipe, parseMail(t, "From: x@spam.example\nSubject: 发票\nX-Spam-Flag: YES\n\n代开发票\n"))
			if err != nil || s.Status != store.MailApart || s.Kind != mail.Spam {
				t.Fatalf("spam %+v %v", s, err)
			}
			if err := db.RejectMail(ctx, actorOf(chen), o.ID, store.MailSpam, ""); err != nil {
				t.Fatal(err)
			}
			if err := db.RejectMail(ctx, actorOf(chen), m.ID, store.MailRejected, "重复"); !errs.Is(err, errs.Conflict) {
				t.Fatalf("a registered message rejected: %v", err)
			}
			pending, _ := db.MailMessages(ctx, []int64{fz.ID}, store.MailPending, 0)
			if len(pending) != 0 {
				t.Fatalf("pending %+v", pending)
			}
		})
	}
}
