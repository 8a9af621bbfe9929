package requests

import (
	"math/rand/v2"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
)

// TestTable3FromReplay builds table 三 for 2024 from simulated applications
// received 2023-06 … 2025-01, bucketed in Go from their replayed states, and
// checks it against every rule of the annual checker and a count made
// another way.
func TestTable3FromReplay(t *testing.T) {
	cal := calendar.Default()
	rng := rand.New(rand.NewPCG(4, 2024))
	until := d("2025-01-20")
	agg := map[Count]int{}
	received, concluded2024 := 0, 0
	for day := d("2023-06-01"); !day.After(d("2025-01-10")); day = day.AddDays(1) {
		for range rng.IntN(3) {
			evs := Simulate(rng, cal, DefaultSettings, day, until)
			st, err := Replay(cal, DefaultSettings, evs)
			if err != nil {
				t.Fatal(err)
			}
			typ := ApplicantTypes[rng.IntN(len(ApplicantTypes))]
			conc := ""
			if st.Concluded() {
				conc = st.ConcludedOn.String()
			}
			if day.Year() == 2024 {
				received++
			}
			if conc >= "2024-01-01" && conc <= "2024-12-31" {
				concluded2024++
			}
			for _, b := range Buckets(2024, day.String(), conc) {
				c := Count{Type: typ, Bucket: b}
				if b == BucketConcluded {
					c.Outcome, c.SubKind = st.Outcome, st.SubKind
				}
				agg[c]++
			}
		}
	}
	var counts []Count
	for c, n := range agg {
		c.N = n
		counts = append(counts, c)
	}
	r := annual.NewReport()
	r.Year, r.Unit, r.Table2 = 2024, "测试海关", nil
	r.Table3 = Table3(counts)
	r.Table4 = Table4(2024, nil)
	if f := annual.Check(r); len(f) != 0 {
		t.Fatalf("findings: %+v", f)
	}
	if got := r.Table3.Get(annual.RowReceived, annual.ColTotal).Int(); got != received || received < 300 {
		t.Errorf("received %d, want %d", got, received)
	}
	if got := r.Table3.Get(annual.RowTotalHandled, annual.ColTotal).Int(); got != concluded2024 {
		t.Errorf("handled %d, want %d", got, concluded2024)
	}
	if r.Table3.Get(annual.RowCarriedOver, annual.ColTotal).Int() == 0 || r.Table3.Get(annual.RowOtherNoCorrection, annual.ColTotal).Int() == 0 {
		t.Error("the simulation does not reach carried-over or abandoned applications")
	}
	// A wrong bucket breaks the balance the checker verifies.
	counts = append(counts, Count{Type: NaturalPerson, Bucket: BucketReceived, N: 1})
	r.Table3 = Table3(counts)
	if len(annual.Check(r)) == 0 {
		t.Error("an unbalanced table passes the checker")
	}
}

func TestBuckets(t *testing.T) {
	for _, tc := range []struct {
		rec, conc string
		want      []Bucket
	}{
		{"2024-03-01", "2024-03-20", []Bucket{BucketReceived, BucketConcluded}},
		{"2023-12-25", "2024-01-10", []Bucket{BucketCarriedOver, BucketConcluded}},
		{"2023-12-25", "2023-12-29", nil},
		{"2024-12-25", "2025-01-10", []Bucket{BucketReceived, BucketCarriedForward}},
		{"2024-12-25", "", []Bucket{BucketReceived, BucketCarriedForward}},
		{"2023-12-25", "", []Bucket{BucketCarriedOver, BucketCarriedForward}},
		{"2025-01-02", "", nil},
	} {
		got := Buckets(2024, tc.rec, tc.conc)
		if len(got) != len(tc.want) {
			t.Errorf("%s/%s: %v, want %v", tc.rec, tc.conc, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s/%s: %v, want %v", tc.rec, tc.conc, got, tc.want)
			}
		}
	}
}

func TestTable4(t *testing.T) {
	aps := []Appeal{
		{Kind: Reconsideration, FiledOn: d("2024-03-01"), Result: ResultUpheld, DecidedOn: d("2024-05-01")},
		{Kind: Reconsideration, FiledOn: d("2024-11-01")},                                                      // pending at year end
		{Kind: Reconsideration, FiledOn: d("2023-11-01"), Result: ResultCorrected, DecidedOn: d("2024-01-15")}, // filed last year, decided this year
		{Kind: Reconsideration, FiledOn: d("2023-01-01"), Result: ResultUpheld, DecidedOn: d("2023-03-01")},    // last year only
		{Kind: LawsuitDirect, FiledOn: d("2024-06-01"), Result: ResultOther, DecidedOn: d("2025-02-01")},       // decided next year: pending
		{Kind: LawsuitAfterRecon, FiledOn: d("2025-01-05")},                                                    // next year
	}
	for _, a := range aps {
		if err := ValidAppeal(a); err != nil {
			t.Fatal(err)
		}
	}
	t4 := Table4(2024, aps)
	r := t4.Reconsideration
	if r.Upheld.Int() != 1 || r.Corrected.Int() != 1 || r.Pending.Int() != 1 || r.Total.Int() != 3 {
		t.Errorf("复议 %+v", r)
	}
	if l := t4.LitigationDirect; l.Pending.Int() != 1 || l.Total.Int() != 1 || l.Other.Int() != 0 {
		t.Errorf("直接起诉 %+v", l)
	}
	if t4.LitigationAfterReconsideration.Total.Int() != 0 {
		t.Error("next year's lawsuit counted")
	}
	if err := ValidAppeal(Appeal{Kind: Reconsideration, FiledOn: d("2024-03-01"), Result: ResultUpheld}); err == nil {
		t.Error("a decided appeal without a date accepted")
	}
}
