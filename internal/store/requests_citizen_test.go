package store_test

import (
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// The applicant's 补正 online: the same step staff record, dated the day
// it is submitted, with its files, restarting the clock, the handler told;
// refused with the reason after the period, after the abandonment, twice,
// or with a wrong query code.
func TestSubmitCorrection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		chen := mustUser(t, db, fz.ID, "chen", "password-123", org.RoleHandler)
		submit := func(tok, received string) (store.RequestApp, string) {
			t.Helper()
			a := sampleApplication(t, received)
			a.AssignTo = chen.ID
			app, code, _, err := db.SubmitApplication(ctx, actorOf(chen), fz.ID, tok, a)
			if err != nil {
				t.Fatal(err)
			}
			return app, code
		}
		ask := func(id int64, on string) {
			t.Helper()
			if _, err := db.AppendRequestEvent(ctx, actorOf(chen), id, requests.Event{Kind: requests.CorrectionRequested, On: day(t, on), Note: "请写明处罚决定书的文号"}); err != nil {
				t.Fatal(err)
			}
		}
		pdf := []byte("%PDF-1.4 补正材料 " + strings.Repeat("x", 500))
		// Received Tue 2024-10-08; 补正 asked Wed 10-09, due Tue 10-29 (15
		// working days: 10-10, 10-11, Saturday 10-12 worked, 10-14…10-18,
		// 10-21…10-25, 10-28, 10-29).
		app, code := submit("tok-correct-a-0123456789", "2024-10-08")
		if _, err := db.SubmitCorrection(ctx, app.ReceiptNo, code, day(t, "2024-10-10"), "文号为福关缉违字〔2024〕1号", nil); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "不需要补正") {
			t.Fatalf("before a 补正 was asked: %v", err)
		}
		ask(app.ID, "2024-10-09")
		if _, err := db.SubmitCorrection(ctx, app.ReceiptNo, "WRONGCODE234", day(t, "2024-10-10"), "x", nil); !errs.Is(err, errs.NotFound) {
			t.Fatalf("wrong code: %v", err)
		}
		if _, err := db.SubmitCorrection(ctx, app.ReceiptNo, code, day(t, "2024-10-10"), " ", nil); !errs.Is(err, errs.Invalid) {
			t.Fatalf("empty: %v", err)
		}
		got, err := db.SubmitCorrection(ctx, app.ReceiptNo, code, day(t, "2024-10-16"), "文号为福关缉违字〔2024〕1号",
			[]requests.Attachment{{Name: "补正说明.pdf", Content: pdf}})
		// The period restarts on 10-16: 20 working days → 11-13.
		if err != nil || got.Status != requests.StatusProcessing || got.DueOn != "2024-11-13" {
			t.Fatalf("corrected: %+v %v", got, err)
		}
		evs, _ := db.RequestEvents(ctx, app.ID)
		last := evs[len(evs)-1]
		if last.Kind != requests.Corrected || last.On != day(t, "2024-10-16") || last.ActorName != audit.Public.Name || !strings.Contains(last.Note, "福关缉违字") {
			t.Fatalf("the step %+v", last)
		}
		if atts, _ := db.RequestAttachments(ctx, app.ID); len(atts) != 1 || atts[0].Name != "补正说明.pdf" {
			t.Fatalf("files %+v", atts)
		}
		notes, _ := db.RequestNotifications(ctx, chen.ID, 10)
		if len(notes) != 1 || !strings.Contains(notes[0].Message, "在线补正") {
			t.Fatalf("the handler is not told: %+v", notes)
		}
		if _, err := db.SubmitCorrection(ctx, app.ReceiptNo, code, day(t, "2024-10-17"), "再补充", nil); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "已于2024-10-16收到您的补正") {
			t.Fatalf("twice: %v", err)
		}
		// After the period: refused with the reason; after the abandonment too.
		late, lcode := submit("tok-correct-b-0123456789", "2024-10-08")
		ask(late.ID, "2024-10-09")
		if _, err := db.SubmitCorrection(ctx, late.ReceiptNo, lcode, day(t, "2024-10-30"), "文号", nil); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "2024-10-29届满") {
			t.Fatalf("after the period: %v", err)
		}
		if _, err := db.AppendRequestEvent(ctx, actorOf(chen), late.ID, requests.Event{Kind: requests.CorrectionAbandoned, On: day(t, "2024-10-30")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitCorrection(ctx, late.ReceiptNo, lcode, day(t, "2024-10-31"), "文号", nil); !errs.Is(err, errs.Conflict) || !strings.Contains(errs.MessageOf(err), "视为放弃") {
			t.Fatalf("after the abandonment: %v", err)
		}
		if got, _ := db.RequestEvents(ctx, late.ID); len(got) != 4 {
			t.Fatalf("a refused correction wrote %d events", len(got))
		}
		// A file that is not what it says is refused before anything is written.
		third, tcode := submit("tok-correct-c-0123456789", "2024-10-08")
		ask(third.ID, "2024-10-09")
		if _, err := db.SubmitCorrection(ctx, third.ReceiptNo, tcode, day(t, "2024-10-10"), "文号", []requests.Attachment{{Name: "a.pdf", Content: []byte("MZ\x90\x00")}}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a disguised file: %v", err)
		}
	})
}
