package store_test

import (
	"fmt"
	"math/rand/v2"
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
		viewer := actorOf(mustUser(t, db, fz.ID, "handler", "password-123", org.RoleHandler, org.RoleLegal))
		id, err := db.RequestApplicantID(ctx, viewer, app.ID)
		if err != nil || id != "11010519491231002X" {
			t.Fatalf("id %q %v", id, err)
		}
		es, err := db.AuditEntries(ctx, store.AuditFilter{ObjectType: "request", Limit: 10})
		if err != nil || len(es) == 0 || es[0].Action != "request.view_applicant" || es[0].ActorName != viewer.Name {
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
		if err != nil || len(evs) != 6 || evs[0].Kind != requests.Registered || evs[5].ActorName != viewer.Name {
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
			{{Kind: requests.CorrectionRequested, On: day(t, "2024-02-08"), Note: "请写明文号"}},
			{{Kind: requests.CorrectionRequested, On: day(t, "2024-02-08"), Note: "请写明文号"}, {Kind: requests.CorrectionAbandoned, On: day(t, "2024-03-07")}},
			{{Kind: requests.CorrectionRequested, On: day(t, "2024-02-08"), Note: "请写明文号"}, {Kind: requests.Corrected, On: day(t, "2024-02-20")}},
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

// TestRequestReport stores a simulated stretch of applications and checks
// that the SQL-computed tables 三 and 四 pass every rule of the checker,
// carry over from one year to the next, and agree with bucketing each
// application's replayed state in Go.
func TestRequestReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fz := mustUnit(t, db, 0, "fuzhou", "福州海关")
		cal, _ := db.Calendar(ctx)
		rng := rand.New(rand.NewPCG(7, 7))
		until := day(t, "2025-01-31")
		type fact struct {
			typ       requests.ApplicantType
			rec, conc string
			outcome   annual.RowKey
		}
		var facts []fact
		i := 0
		for d := day(t, "2023-11-01"); d.Before(day(t, "2025-01-15")); d = d.AddDays(4 + rng.IntN(6)) {
			i++
			a := sampleApplication(t, d.String())
			if i%5 == 0 {
				a.ApplicantType, a.IDNumber = requests.Commercial, "91330100716105852F"
			}
			app, _, _, err := db.SubmitApplication(ctx, audit.Public, fz.ID, fmt.Sprintf("token-report-%06d", i), a)
			if err != nil {
				t.Fatal(err)
			}
			evs := requests.Simulate(rng, cal, requests.DefaultSettings, d, until)
			var st requests.State
			st, _ = requests.Replay(cal, requests.DefaultSettings, evs[:1])
			for _, e := range evs[1:] {
				if st, err = db.AppendRequestEvent(ctx, audit.Actor{Name: "h"}, app.ID, e); err != nil {
					t.Fatalf("%s: %v", e.Kind, err)
				}
			}
			f := fact{typ: a.ApplicantType, rec: d.String()}
			if st.Concluded() {
				f.conc, f.outcome = st.ConcludedOn.String(), st.Outcome
			}
			facts = append(facts, f)
			if i == 3 {
				for _, ap := range []requests.Appeal{
					{ApplicationID: app.ID, Kind: requests.Reconsideration, FiledOn: day(t, "2024-02-01"), Result: requests.ResultUpheld, DecidedOn: day(t, "2024-04-01")},
					{ApplicationID: app.ID, Kind: requests.LawsuitAfterRecon, FiledOn: day(t, "2024-04-20")},
				} {
					if err := db.AddRequestAppeal(ctx, admin, &ap); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		prev, err := db.RequestReport(ctx, fz.ID, 2023)
		if err != nil {
			t.Fatal(err)
		}
		r, err := db.RequestReport(ctx, fz.ID, 2024)
		if err != nil {
			t.Fatal(err)
		}
		if f := annual.Check(r); len(f) != 0 {
			t.Fatalf("2024 findings: %+v", f)
		}
		if f := annual.CheckYears(prev, r); len(f) != 0 {
			t.Fatalf("carry-over findings: %+v", f)
		}
		want := map[annual.RowKey]int{}
		for _, f := range facts {
			for _, b := range requests.Buckets(2024, f.rec, f.conc) {
				switch b {
				case requests.BucketConcluded:
					want[f.outcome]++
					want[annual.RowTotalHandled]++
				default:
					want[annual.RowKey(b)]++
				}
			}
		}
		for _, spec := range annual.Table3Rows {
			if got := r.Table3.Get(spec.Key, annual.ColTotal).Int(); got != want[spec.Key] {
				t.Errorf("%s: %d, want %d", spec.Key, got, want[spec.Key])
			}
		}
		if want[annual.RowReceived] < 30 || want[annual.RowCarriedOver] == 0 {
			t.Errorf("too little data: %v", want)
		}
		t4 := r.Table4
		if t4.Reconsideration.Upheld.Int() != 1 || t4.LitigationAfterReconsideration.Pending.Int() != 1 || t4.LitigationDirect.Total.Int() != 0 {
			t.Errorf("table 四 %+v", t4)
		}
	})
}
