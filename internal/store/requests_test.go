package store_test

import (
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

func day(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sampleApplication(t *testing.T, received string) requests.Application {
	return requests.Application{Channel: requests.ChannelOnline, ApplicantType: requests.NaturalPerson, Name: "张三",
		IDNumber: "11010519491231002X", Phone: "13800000000", Description: "请公开2024年福州海关行政处罚决定书目录",
		Form: "电子文档", Delivery: "网上获取", ReceivedOn: day(t, received)}
}

func TestRequestLifeStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		token := "tok-0123456789abcdef"
		app, code, created, err := db.SubmitApplication(ctx, audit.Public, fz.ID, token, sampleApplication(t, "2024-09-27"))
		if err != nil || !created {
			t.Fatalf("submit: %v %v", created, err)
		}
		if app.ReceiptNo != "YSQ20240927000001" && !strings.HasPrefix(app.ReceiptNo, "YSQ20240927") {
			t.Errorf("receipt %s", app.ReceiptNo)
		}
		// A double submission: same application, same code.
		again, code2, created, err := db.SubmitApplication(ctx, audit.Public, fz.ID, token, sampleApplication(t, "2024-09-27"))
		if err != nil || created || again.ID != app.ID || code2 != code {
			t.Fatalf("double submit: id %d/%d created %v code %s/%s %v", again.ID, app.ID, created, code2, code, err)
		}
		var n int
		if err := db.SQL().QueryRowContext(ctx, "SELECT count(*) FROM req_applications").Scan(&n); err != nil || n != 1 {
			t.Fatalf("%d applications, %v", n, err)
		}
		// The identity number is not stored in clear, and lists show it masked.
		var sealed string
		if err := db.SQL().QueryRowContext(ctx, "SELECT id_sealed FROM req_applications").Scan(&sealed); err != nil || strings.Contains(sealed, "1101051949") {
			t.Fatalf("sealed %q %v", sealed, err)
		}
		if app.IDMasked != "110*************2X" || app.Status != requests.StatusProcessing || app.DueOn != "2024-10-30" {
			t.Errorf("stored %+v", app)
		}
		viewer := audit.Actor{UserID: 7, Name: "handler", UnitID: fz.ID}
		id, err := db.RequestApplicantID(ctx, viewer, app.ID)
		if err != nil || id != "11010519491231002X" {
			t.Fatalf("id %q %v", id, err)
		}
		es, err := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 10})
		if err != nil || len(es) == 0 || es[0].Action != "request.view_applicant" || es[0].ActorName != "handler" {
			t.Fatalf("audit of the view: %+v %v", es, err)
		}
		// Query code lookup.
		if got, err := db.RequestByQueryCode(ctx, app.ReceiptNo, strings.ToLower(code)); err != nil || got.ID != app.ID {
			t.Errorf("lookup: %v", err)
		}
		if _, err := db.RequestByQueryCode(ctx, app.ReceiptNo, "WRONGWRONG22"); !errs.Is(err, errs.NotFound) {
			t.Errorf("wrong code: %v", err)
		}
		// An illegal step is refused and writes nothing.
		if _, err := db.AppendRequestEvent(ctx, viewer, app.ID, requests.Event{Kind: requests.Answered, On: day(t, "2024-10-08")}); !errs.Is(err, errs.Conflict) {
			t.Fatalf("answer before a decision: %v", err)
		}
		steps := []requests.Event{
			{Kind: requests.ConsultStarted, On: day(t, "2024-09-30")},
			{Kind: requests.ConsultEnded, On: day(t, "2024-10-10")},
			{Kind: requests.Decided, On: day(t, "2024-10-15"), Outcome: annual.RowWithheldThirdPartyRights},
			{Kind: requests.LegalReviewed, On: day(t, "2024-10-16"), Role: org.RoleLegal, Approved: true},
			{Kind: requests.Answered, On: day(t, "2024-10-17")},
		}
		for _, e := range steps {
			if _, err := db.AppendRequestEvent(ctx, viewer, app.ID, e); err != nil {
				t.Fatalf("%s: %v", e.Kind, err)
			}
		}
		got, err := db.RequestApplication(ctx, app.ID)
		if err != nil || got.Status != requests.StatusAnswered || got.ConcludedOn != "2024-10-17" || got.Outcome != annual.RowWithheldThirdPartyRights || got.EventCount != 6 || got.DueOn != "" {
			t.Fatalf("after answer: %+v %v", got, err)
		}
		evs, err := db.RequestEvents(ctx, app.ID)
		if err != nil || len(evs) != 6 || evs[0].Kind != requests.Registered || evs[5].ActorName != "handler" {
			t.Fatalf("events %+v %v", evs, err)
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		es, _ = db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 100})
		// submit + registered + 5 steps + 1 view
		if len(es) != 8 {
			t.Errorf("%d audit entries for the request, want 8", len(es))
		}
	})
}

// TestRequestColumnsAgreeWithReplay drives applications down many paths and
// checks that every derived column equals a fresh replay of the stored events.
func TestRequestColumnsAgreeWithReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		h := audit.Actor{Name: "handler"}
		paths := [][]requests.Event{
			nil,
			{{Kind: requests.Withdrawn, On: day(t, "2024-02-05")}},
			{{Kind: requests.CorrectionRequested, On: day(t, "2024-02-08")}},
			{{Kind: requests.CorrectionRequested, On: day(t, "2024-02-08")}, {Kind: requests.CorrectionAbandoned, On: day(t, "2024-03-07")}},
			{{Kind: requests.CorrectionRequested, On: day(t, "2024-02-08")}, {Kind: requests.Corrected, On: day(t, "2024-02-20")}},
			{{Kind: requests.FeeNoticed, On: day(t, "2024-02-05"), Yuan: 100}},
			{{Kind: requests.Extended, On: day(t, "2024-02-20"), Role: org.RoleOfficeHead, Days: 10}},
			{{Kind: requests.Decided, On: day(t, "2024-02-20"), Outcome: annual.RowOtherOther, SubKind: requests.SubConsultChannel},
				{Kind: requests.Answered, On: day(t, "2024-02-20")}, {Kind: requests.Delivered, On: day(t, "2024-02-21")}},
		}
		for i, p := range paths {
			app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, "token-replay-000000"+string(rune('a'+i)), sampleApplication(t, "2024-02-01"))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range p {
				if _, err := db.AppendRequestEvent(ctx, h, app.ID, e); err != nil {
					t.Fatalf("path %d %s: %v", i, e.Kind, err)
				}
			}
		}
		cal, _ := db.Calendar(ctx)
		rows, err := db.SQL().QueryContext(ctx, "SELECT id, status, due_on, concluded_on, outcome, sub_kind FROM req_applications ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		count := 0
		for rows.Next() {
			count++
			var id int64
			var c store.RequestColumns
			if err := rows.Scan(&id, &c.Status, &c.DueOn, &c.ConcludedOn, &c.Outcome, &c.SubKind); err != nil {
				t.Fatal(err)
			}
			evs, err := db.RequestEvents(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			plain := make([]requests.Event, len(evs))
			for i, e := range evs {
				plain[i] = e.Event
			}
			st, err := requests.Replay(cal, requests.DefaultSettings, plain)
			if err != nil {
				t.Fatal(err)
			}
			want, err := store.RequestColumnsOf(cal, st, plain[len(plain)-1].On)
			if err != nil || want != c {
				t.Errorf("application %d: columns %+v, replay %+v %v", id, c, want, err)
			}
		}
		if count != len(paths) {
			t.Errorf("%d applications", count)
		}
	})
}
