package desk

import (
	"fmt"
	"time"
)

// This file is the one place where the handling time of web consultations
// and messages is computed, as the seed report states it: 「办理留言229条，
// 平均办理时效0.75个自然日」.
//
// An enquiry is handled (办理) when its reply is approved by a reviewer
// (the approved event): from then on the asker can read the reply. Its
// handling time is the time from receipt (the received event, the moment
// the portal stored the form) to that approval, in natural days (自然日):
// elapsed time ÷ 24 hours, counting nights, weekends and holidays alike, so
// a message received at 09:00 and answered at 15:00 the same day took 0.25
// days. The figure for a year is the mean over the enquiries of that kind
// whose reply was approved in the year (Beijing time), rounded half up to
// two decimals; the count next to it (办理留言229条) is the number of those
// enquiries. Drafts, returns for revision and publication on the portal do
// not stop or restart the clock.

// Days is a mean handling time in hundredths of a natural day (75 is 0.75).
type Days struct {
	Hundredths int64
	N          int64 // how many enquiries it is the mean of
	Valid      bool  // false when none was handled
}

func (d Days) String() string {
	if !d.Valid {
		return "—"
	}
	return fmt.Sprintf("%d.%02d", d.Hundredths/100, d.Hundredths%100)
}

// Handled is one enquiry's receipt and approval times.
type Handled struct {
	Received, Answered time.Time
}

// HandlingDays is one enquiry's handling time in natural days.
func HandlingDays(received, answered time.Time) float64 {
	return answered.Sub(received).Hours() / 24
}

// AverageHandlingDays is the mean handling time, rounded half up to two
// decimals. Times are taken to the second. For example, three messages
// handled in 6 hours, 12 hours and 36 hours took 54 hours in all, a mean of
// 18 hours = 0.75 days.
func AverageHandlingDays(hs []Handled) Days {
	if len(hs) == 0 {
		return Days{}
	}
	var secs int64
	for _, h := range hs {
		d := int64(h.Answered.Sub(h.Received) / time.Second)
		if d < 0 {
			d = 0 // a clock set wrong must not make a negative time
		}
		secs += d
	}
	n := int64(len(hs))
	return Days{Hundredths: roundDiv(secs*100, n*86400), N: n, Valid: true}
}
