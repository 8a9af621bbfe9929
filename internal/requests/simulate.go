package requests

import (
	"math/rand/v2"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
)

// Simulate draws a legal life for an application received on receivedOn,
// deterministically from rng: the steps a real office would take (补正,
// consultation, fee, extension, decision with legal review, answer,
// delivery) with dates inside the statutory periods. Events after until are
// dropped, so an application still open on that day stays open. It is used
// for the demo world, the statistics tests and the benchmarks; every list it
// returns passes Replay.
func Simulate(rng *rand.Rand, cal *calendar.Calendar, set Settings, receivedOn, until calendar.Date) []Event {
	for try := 0; ; try++ {
		evs := simulate(rng, cal, set, receivedOn)
		if try > 10 {
			return evs[:1]
		}
		var kept []Event
		for _, e := range evs {
			if e.On.After(until) {
				break
			}
			kept = append(kept, e)
		}
		if len(kept) == 0 {
			return nil
		}
		if _, err := Replay(cal, set, kept); err == nil {
			return kept
		}
	}
}

// outcomeWeights is a plausible mix of outcomes for a customs office.
var outcomeWeights = []struct {
	row annual.RowKey
	sub string
	w   int
}{
	{annual.RowDisclosed, "", 40}, {annual.RowPartlyDisclosed, "", 10},
	{annual.RowWithheldThirdPartyRights, "", 4}, {annual.RowWithheldProcessInformation, "", 3},
	{annual.RowWithheldEnforcementFiles, "", 2}, {annual.RowWithheldStateSecret, "", 1},
	{annual.RowWithheldInternalAffairs, "", 2}, {annual.RowWithheldInquiryMatters, "", 1},
	{annual.RowUnavailableNotHeld, "", 12}, {annual.RowUnavailableNeedsCreation, "", 3},
	{annual.RowNotProcessedPetition, "", 3}, {annual.RowNotProcessedRepeat, "", 3},
	{annual.RowNotProcessedPublication, "", 1}, {annual.RowNotProcessedConfirmation, "", 1},
	{annual.RowOtherOther, SubConsultChannel, 4},
}

func pickOutcome(rng *rand.Rand) (annual.RowKey, string) {
	total := 0
	for _, o := range outcomeWeights {
		total += o.w
	}
	n := rng.IntN(total)
	for _, o := range outcomeWeights {
		if n < o.w {
			return o.row, o.sub
		}
		n -= o.w
	}
	return annual.RowDisclosed, ""
}

func simulate(rng *rand.Rand, cal *calendar.Calendar, set Settings, received calendar.Date) []Event {
	var st State
	var evs []Event
	add := func(e Event) bool {
		if st.Apply(cal, set, e) != nil {
			return false
		}
		evs = append(evs, e)
		return true
	}
	workday := func(from calendar.Date, n int) calendar.Date {
		r, err := cal.AddWorkdays(from, n, nil)
		if err != nil {
			return from.AddDays(n)
		}
		return r.Due
	}
	add(Event{Kind: Registered, On: received, Note: "网上申请"})
	day := received
	r := rng.IntN(100)
	switch {
	case r < 10: // withdrawn early
		add(Event{Kind: Withdrawn, On: workday(day, 1+rng.IntN(8)), Note: "申请人撤回申请"})
		return evs
	case r < 22: // 补正
		day = workday(received, 1+rng.IntN(CorrectionAskDays))
		add(Event{Kind: CorrectionRequested, On: day, Note: "请写明所需信息的名称、文号或形成时间"})
		if rng.IntN(4) == 0 {
			add(Event{Kind: CorrectionAbandoned, On: st.CorrectionDue.AddDays(1)})
			return evs
		}
		day = workday(day, 1+rng.IntN(set.CorrectionDays))
		add(Event{Kind: Corrected, On: day})
	case r < 30: // consultation of a third party
		day = workday(received, 1+rng.IntN(5))
		add(Event{Kind: ConsultStarted, On: day, Note: "书面征求第三方意见"})
		day = workday(day, 5+rng.IntN(11))
		add(Event{Kind: ConsultEnded, On: day})
	case r < 33: // fee
		day = workday(received, 1+rng.IntN(5))
		add(Event{Kind: FeeNoticed, On: day, Yuan: DefaultFeeBands.RequestFee(11 + rng.IntN(25))})
		if rng.IntN(3) == 0 {
			add(Event{Kind: FeeAbandoned, On: st.FeeDue.AddDays(1)})
			return evs
		}
		day = workday(day, 1+rng.IntN(10))
		add(Event{Kind: FeePaid, On: day})
	case r < 38: // extension approved by the office head
		day = workday(received, 15+rng.IntN(4))
		add(Event{Kind: Extended, On: day, Role: org.RoleOfficeHead, Days: 10 + rng.IntN(11), Note: "情况复杂，需延长答复期限"})
	}
	due, err := st.Deadline(cal, day)
	if err != nil {
		return evs
	}
	left := workdaysLeft(cal, day, due.Due)
	if left < 1 {
		left = 1
	}
	day = workday(day, 1+rng.IntN(left))
	if day.After(due.Due) {
		day = due.Due
	}
	outcome, sub := pickOutcome(rng)
	add(Event{Kind: Decided, On: day, Outcome: outcome, SubKind: sub})
	if NeedsLegalReview(outcome) {
		add(Event{Kind: LegalReviewed, On: day, Role: org.RoleLegal, Approved: true})
	}
	add(Event{Kind: Answered, On: day})
	day = workday(day, 1+rng.IntN(3))
	add(Event{Kind: Delivered, On: day})
	add(Event{Kind: Closed, On: workday(day, 1+rng.IntN(5))})
	return evs
}

func workdaysLeft(cal *calendar.Calendar, from, to calendar.Date) int {
	if !to.After(from) {
		return 0
	}
	r, err := cal.WorkdaysBetween(from, to, nil)
	if err != nil {
		return 0
	}
	return r.Count
}
