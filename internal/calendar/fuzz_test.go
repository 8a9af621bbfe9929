package calendar

import (
	"bytes"
	"testing"
)

// FuzzParseEntries: no holiday file may make the calendar importer panic;
// entries it accepts and validates build a calendar.
func FuzzParseEntries(f *testing.F) {
	f.Add([]byte("# 2027\n2027-01-01,,holiday,元旦\n2027-02-06,2027-02-13,holiday,春节\n2027-02-14,,workday,春节调休\n"))
	f.Add([]byte("2027-02-30,,holiday,x\n9999-12-31,0001-01-01,workday,\n"))
	f.Add([]byte("2027-01-01,2099-12-31,holiday,long\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := ParseEntries(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if Validate(es) != nil {
			return
		}
		if _, err := New(es); err != nil {
			t.Fatalf("valid entries do not build a calendar: %v", err)
		}
	})
}
