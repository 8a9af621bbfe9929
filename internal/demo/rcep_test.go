package demo

import (
	"reflect"
	"testing"
	"time"

	"gongkai/internal/rcep"
	"gongkai/internal/rcep/sample"
)

func TestRCEPQueriesDeterministic(t *testing.T) {
	ds, _, err := rcep.ParseFile(sample.CSV, sample.Name)
	if err != nil {
		t.Fatal(err)
	}
	a, b := RCEPQueries(7, ds), RCEPQueries(7, ds)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed must give the same records")
	}
	if reflect.DeepEqual(a, RCEPQueries(8, ds)) {
		t.Fatal("another seed should give other records")
	}
	// A realistic year: every month has questions, the 芦柑 season
	// (November) has more mandarin questions than June, and the answered
	// questions carry the chooser's real best agreement.
	months := map[time.Month]int{}
	mandarins := map[time.Month]int{}
	best := 0
	for _, r := range a {
		if r.Day.Year() != RCEPYear {
			t.Fatalf("record outside %d: %v", RCEPYear, r.Day)
		}
		months[r.Day.Month()]++
		if r.HS == "08052100" {
			mandarins[r.Day.Month()]++
		}
		if r.Outcome == rcep.OutcomeOK && r.Agreement != "" {
			best++
		}
	}
	if len(months) != 12 || len(a) < 2000 || mandarins[time.November] <= mandarins[time.June] || best < len(a)/2 {
		t.Fatalf("%d records, months %v, mandarins Nov %d Jun %d, with best %d", len(a), months, mandarins[time.November], mandarins[time.June], best)
	}
}
