package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// BenchmarkRequestTables computes tables 三 and 四 of one unit's year over
// 1,000,000 stored applications (goal: under 1 s on SQLite). The rows are
// written straight into the derived columns, spread over 2019–2025.
//
//	go test ./internal/store -run '^$' -bench RequestTables -benchtime 3x
func BenchmarkRequestTables(b *testing.B) {
	for _, d := range storetest.Backends {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d, store.Options{})
			fz := mustUnitB(b, db)
			seedApplications(b, db, fz, 1_000_000)
			b.ResetTimer()
			for range b.N {
				r, err := db.RequestReport(ctx, fz, 2024)
				if err != nil {
					b.Fatal(err)
				}
				if f := annual.Check(r); len(f) != 0 {
					b.Fatalf("findings %v", f)
				}
			}
		})
	}
}

func mustUnitB(b *testing.B, db *store.DB) int64 {
	var id int64
	if err := db.SQL().QueryRowContext(ctx, "INSERT INTO units (code, name, created_at) VALUES ('fz', '福州海关', '2024-01-01T00:00:00.000000Z') RETURNING id").Scan(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

func seedApplications(b *testing.B, db *store.DB, unit int64, n int) {
	rng := rand.New(rand.NewPCG(1, 1))
	outcomes := []annual.RowKey{annual.RowDisclosed, annual.RowPartlyDisclosed, annual.RowUnavailableNotHeld, annual.RowWithheldThirdPartyRights, annual.RowOtherOther}
	q := "INSERT INTO req_applications (unit_id, receipt_no, idem_token, query_hash, channel, applicant_type, applicant_name, id_sealed, id_masked, phone, address, email, description, form, delivery, received_on, created_by, created_at, status, due_on, concluded_on, outcome, sub_kind, event_count) VALUES "
	const batch = 500
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += batch {
		args := make([]any, 0, batch*7)
		sql := q
		for j := 0; j < batch && i+j < n; j++ {
			k := i + j
			rec := fmt.Sprintf("%04d-%02d-%02d", 2019+rng.IntN(7), 1+rng.IntN(12), 1+rng.IntN(28))
			conc, out, sub, status := "", "", "", "processing"
			if rng.IntN(50) != 0 {
				conc = rec[:8] + "28"
				if rec[5:7] == "12" {
					conc = fmt.Sprintf("%04d-01-15", 2020+rng.IntN(6))
					if conc < rec {
						conc = rec
					}
				}
				out, status = string(outcomes[rng.IntN(len(outcomes))]), "answered"
				if out == string(annual.RowOtherOther) {
					sub = requests.SubWithdrawn
				}
			}
			if j > 0 {
				sql += ","
			}
			sql += "(?, ?, ?, '', 'online', ?, '', '', '', '', '', '', '', '', '', ?, '', '', ?, '', ?, ?, ?, 1)"
			args = append(args, unit, fmt.Sprintf("R%d", k), fmt.Sprintf("T%d", k), string(requests.ApplicantTypes[rng.IntN(6)]), rec, status, conc, out, sub)
		}
		if db.Dialect() == store.Postgres {
			sql = rebindPG(sql)
		}
		if _, err := tx.ExecContext(ctx, sql, args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if db.Dialect() == store.Postgres {
		db.SQL().ExecContext(ctx, "ANALYZE req_applications")
	} else {
		db.SQL().ExecContext(ctx, "ANALYZE")
	}
}

func rebindPG(q string) string {
	out, n := make([]byte, 0, len(q)+len(q)/4), 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// BenchmarkRequestIntake measures durable submissions per second (each a
// committed transaction with its registered event and two audit entries)
// against a bare INSERT of the same row in its own transaction.
//
//	go test ./internal/store -run '^$' -bench RequestIntake -benchtime 2s
func BenchmarkRequestIntake(b *testing.B) {
	for _, d := range storetest.Backends {
		b.Run(string(d)+"/submit", func(b *testing.B) {
			db := storetest.Open(b, d, store.Options{})
			fz := mustUnitB(b, db)
			a := requests.Application{Channel: requests.ChannelOnline, ApplicantType: requests.NaturalPerson, Name: "张三",
				IDNumber: "11010519491231002X", Phone: "13800000000", Description: "请公开2024年行政处罚决定书目录", Form: "电子文档", Delivery: "网上获取"}
			a.ReceivedOn, _ = calendar.ParseDate("2024-06-03")
			if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz, "warm-up-token-000000", a); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				if _, _, _, err := db.SubmitApplication(ctx, audit.Public, fz, fmt.Sprintf("bench-token-%012d", i), a); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
		})
		b.Run(string(d)+"/bare_insert", func(b *testing.B) {
			db := storetest.Open(b, d, store.Options{})
			fz := mustUnitB(b, db)
			q := "INSERT INTO req_applications (unit_id, receipt_no, idem_token, query_hash, channel, applicant_type, applicant_name, id_sealed, id_masked, phone, address, email, description, form, delivery, received_on, created_by, created_at, status, due_on, concluded_on, outcome, sub_kind, event_count) VALUES (?, ?, ?, 'h', 'online', 'natural_person', '张三', 'sealed', '110*************2X', '13800000000', '', '', '请公开2024年行政处罚决定书目录', '电子文档', '网上获取', '2024-06-03', '公众', '2024-06-03T00:00:00.000000Z', 'processing', '2024-07-01', '', '', '', 1)"
			if d == store.Postgres {
				q = rebindPG(q)
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := db.SQL().ExecContext(ctx, q, fz, fmt.Sprintf("R%d", i), fmt.Sprintf("T%d", i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "inserts/s")
		})
	}
}
