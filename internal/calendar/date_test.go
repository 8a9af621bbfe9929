package calendar

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// day parses a YYYY-MM-DD literal in a test.
func day(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    string // String() of the result, or "" on error
		wantErr string
	}{
		{in: "2024-09-27", want: "2024-09-27"},
		{in: "2024-02-29", want: "2024-02-29"},
		{in: "2000-02-29", want: "2000-02-29"},
		{in: "0001-01-01", want: "0001-01-01"},
		{in: "9999-12-31", want: "9999-12-31"},
		{in: "2023-02-29", wantErr: "日期不存在：2023-02-29"},
		{in: "1900-02-29", wantErr: "日期不存在：1900-02-29"},
		{in: "2024-04-31", wantErr: "日期不存在：2024-04-31"},
		{in: "2024-13-01", wantErr: "日期不存在：2024-13-01"},
		{in: "2024-00-10", wantErr: "日期不存在"},
		{in: "0000-01-01", wantErr: "日期不存在"},
		{in: "2024-9-27", wantErr: "日期格式应为 YYYY-MM-DD：“2024-9-27”"},
		{in: "2024/09/27", wantErr: "日期格式应为 YYYY-MM-DD"},
		{in: "20240927", wantErr: "日期格式应为 YYYY-MM-DD"},
		{in: " 2024-09-27", wantErr: "日期格式应为 YYYY-MM-DD"},
		{in: "2024-O9-27", wantErr: "日期格式应为 YYYY-MM-DD"},
		{in: "+024-09-27", wantErr: "日期格式应为 YYYY-MM-DD"},
		{in: "２０２４-09-27", wantErr: "日期格式应为 YYYY-MM-DD"},
		{in: "", wantErr: "日期格式应为 YYYY-MM-DD"},
	} {
		d, err := ParseDate(tc.in)
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseDate(%q) error = %v, want it to contain %q", tc.in, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("ParseDate(%q): %v", tc.in, err)
		case d.String() != tc.want:
			t.Errorf("ParseDate(%q) = %s, want %s", tc.in, d, tc.want)
		}
	}
}

func TestDateAccessors(t *testing.T) {
	d := day(t, "2024-09-27")
	if d.Year() != 2024 || d.Month() != time.September || d.Day() != 27 {
		t.Errorf("accessors of %s = %d, %v, %d", d, d.Year(), d.Month(), d.Day())
	}
	if d.Weekday() != time.Friday {
		t.Errorf("%s weekday = %v, want Friday", d, d.Weekday())
	}
	if got := d.AddDays(5).String(); got != "2024-10-02" {
		t.Errorf("AddDays(5) = %s", got)
	}
	if got := d.AddDays(-27).String(); got != "2024-08-31" {
		t.Errorf("AddDays(-27) = %s", got)
	}
	if got := day(t, "2024-12-31").AddDays(1).String(); got != "2025-01-01" {
		t.Errorf("year rollover = %s", got)
	}
	if got := day(t, "2024-02-28").AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("leap day = %s", got)
	}
	later := day(t, "2024-10-30")
	if !d.Before(later) || d.After(later) || !later.After(d) || d.Equal(later) || !d.Equal(day(t, "2024-09-27")) {
		t.Error("Before/After/Equal disagree")
	}
	if later.Sub(d) != 33 || d.Sub(later) != -33 {
		t.Errorf("Sub = %d, %d", later.Sub(d), d.Sub(later))
	}
	var zero Date
	if !zero.IsZero() || zero.String() != "" || d.IsZero() || !zero.AddDays(3).IsZero() {
		t.Error("zero Date misbehaves")
	}
	if _, err := NewDate(2024, time.February, 30); err == nil {
		t.Error("NewDate(2024-02-30) succeeded")
	}
}

// TestDateArithmeticMatchesTime checks the integer day count against the
// time package over the whole year range.
func TestDateArithmeticMatchesTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for range 20000 {
		tm := base.AddDate(rng.IntN(9999), 0, rng.IntN(366))
		if tm.After(last) {
			continue
		}
		d := DateOf(tm)
		if d.String() != tm.Format(time.DateOnly) {
			t.Fatalf("DateOf(%v) = %s", tm, d)
		}
		if d.Weekday() != tm.Weekday() {
			t.Fatalf("%s weekday = %v, want %v", d, d.Weekday(), tm.Weekday())
		}
		n := rng.IntN(2000) - 1000
		want := tm.AddDate(0, 0, n)
		if want.Year() < 1 || want.Year() > 9999 {
			continue
		}
		got := d.AddDays(n)
		if got.String() != want.Format(time.DateOnly) {
			t.Fatalf("%s.AddDays(%d) = %s, want %s", d, n, got, want.Format(time.DateOnly))
		}
		if got.Sub(d) != n {
			t.Fatalf("%s.Sub(%s) = %d, want %d", got, d, got.Sub(d), n)
		}
		if p, err := ParseDate(d.String()); err != nil || p != d {
			t.Fatalf("ParseDate(%s) = %v, %v", d, p, err)
		}
	}
	if got := day(t, "9999-12-31").Sub(day(t, "0001-01-01")); got != 3652058 {
		t.Errorf("days from 0001-01-01 to 9999-12-31 = %d, want 3652058", got)
	}
}

func TestToday(t *testing.T) {
	// 2024-09-27 20:00 UTC is already the 28th in Beijing.
	utc := time.Date(2024, 9, 27, 20, 0, 0, 0, time.UTC)
	if got := DateOf(utc.In(beijing)).String(); got != "2024-09-28" {
		t.Errorf("Beijing date of %v = %s", utc, got)
	}
	if got := DateOf(utc).String(); got != "2024-09-27" {
		t.Errorf("UTC date of %v = %s", utc, got)
	}
	today := Today(nil)
	now := time.Now().In(beijing)
	if today != DateOf(now) && today != DateOf(now.Add(-time.Minute)) {
		t.Errorf("Today(nil) = %s, Beijing clock says %v", today, now)
	}
	if Today(time.UTC).IsZero() {
		t.Error("Today(UTC) is zero")
	}
}

func TestDateText(t *testing.T) {
	type form struct {
		Received Date  `json:"received"`
		Replied  *Date `json:"replied,omitempty"`
	}
	b, err := json.Marshal(form{Received: day(t, "2024-09-27")})
	if err != nil || string(b) != `{"received":"2024-09-27"}` {
		t.Fatalf("json.Marshal = %s, %v", b, err)
	}
	var f form
	if err := json.Unmarshal([]byte(`{"received":"2024-10-30"}`), &f); err != nil || f.Received.String() != "2024-10-30" {
		t.Fatalf("json.Unmarshal = %+v, %v", f, err)
	}
	if err := json.Unmarshal([]byte(`{"received":"2024-10-32"}`), &f); err == nil ||
		!strings.Contains(err.Error(), "日期不存在") {
		t.Fatalf("json.Unmarshal of a bad date: %v", err)
	}
	var d Date
	if err := d.UnmarshalText(nil); err != nil || !d.IsZero() {
		t.Fatalf("UnmarshalText(empty) = %v, %v", d, err)
	}
}
