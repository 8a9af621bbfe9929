package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date (公历日期): a year, a month and a day, with no time of
// day and no time zone. Statutory periods are counted in whole days, so a
// Date never shifts when a server's zone or a daylight-saving rule changes.
//
// Dates are comparable with == and usable as map keys. The zero Date is not
// a valid date; IsZero reports it and String renders it as "".
type Date struct {
	year  int
	month time.Month
	day   int
}

// beijing is the clock Chinese agencies keep. China has had no daylight
// saving time since 1991, so a fixed UTC+8 zone is exact for every date the
// platform handles and needs no tzdata on the server.
var beijing = time.FixedZone("CST", 8*60*60)

// NewDate returns the date year-month-day, or an error when no such day
// exists (2023-02-29) or the year is outside 1–9999.
func NewDate(year int, month time.Month, day int) (Date, error) {
	if year < 1 || year > 9999 || month < time.January || month > time.December ||
		day < 1 || day > daysIn(year, month) {
		return Date{}, fmt.Errorf("日期不存在：%04d-%02d-%02d", year, int(month), day)
	}
	return Date{year, month, day}, nil
}

// ParseDate parses a date written as YYYY-MM-DD, e.g. "2024-09-27".
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：“%s”", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：“%s”", s)
	}
	return NewDate(y, time.Month(m), d)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DateOf returns the date of t on t's own clock (its Location).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the current date on the clock of loc. A nil loc means
// Beijing time (UTC+8), the clock the statutory periods run on.
func Today(loc *time.Location) Date {
	if loc == nil {
		loc = beijing
	}
	return DateOf(time.Now().In(loc))
}

// Year returns the year of d.
func (d Date) Year() int { return d.year }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.month }

// Day returns the day of the month of d.
func (d Date) Day() int { return d.day }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// String renders d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// AddDays returns the date n calendar days after d (before d when n < 0).
// The zero Date stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return fromDays(d.days() + n)
}

// Sub returns the number of calendar days from u to d (d − u).
func (d Date) Sub(u Date) int { return d.days() - u.days() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// Day 0 of the count is 1970-01-01, a Thursday.
	return time.Weekday(((d.days()+4)%7 + 7) % 7)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after u.
func (d Date) Compare(u Date) int {
	switch {
	case d.year != u.year:
		return cmp(d.year, u.year)
	case d.month != u.month:
		return cmp(int(d.month), int(u.month))
	default:
		return cmp(d.day, u.day)
	}
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before u.
func (d Date) Before(u Date) bool { return d.Compare(u) < 0 }

// After reports whether d is after u.
func (d Date) After(u Date) bool { return d.Compare(u) > 0 }

// Equal reports whether d and u are the same day.
func (d Date) Equal(u Date) bool { return d == u }

// MarshalText renders d as YYYY-MM-DD (empty for the zero Date), for JSON
// and form values.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// days returns the number of days from 1970-01-01 to d, counting in the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil). Integer
// arithmetic keeps it exact over the whole year range, where a
// time.Duration would overflow after 292 years.
func (d Date) days() int {
	y, m := d.year, int(d.month)
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := m - 3
	if m <= 2 {
		mp = m + 9
	}
	doy := (153*mp+2)/5 + d.day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fromDays is the inverse of days (civil_from_days).
func fromDays(z int) Date {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), day}
}

func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// weekdayName returns the Chinese name of w, e.g. "周三".
func weekdayName(w time.Weekday) string { return weekdayNames[w] }

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}
