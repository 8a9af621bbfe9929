package requests

import (
	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
)

// Step is a step a staff member may take on an application now, and the
// role they take it in.
type Step struct {
	Kind Kind
	Role org.Role
}

// stepOrder is the order an application page offers the steps in: the
// office's own (分办, 申请内容), then the procedure's, the answer and what
// follows it, withdrawal last.
var stepOrder = []Kind{
	Assigned, SubjectsMarked,
	CorrectionRequested, Corrected, CorrectionAbandoned,
	ConsultStarted, ConsultServed, ConsultEnded,
	ReasonsRequested, ReasonsAccepted, ExtensionRequested, Extended, ExtensionRefused,
	FeeNoticed, FeePaid, FeeAbandoned,
	Decided, LegalReviewed, Answered, Delivered, Closed,
	Withdrawn,
}

// StepKinds lists every kind of step a page may offer, in its order.
func StepKinds() []Kind { return append([]Kind(nil), stepOrder...) }

// StepsFor lists the steps a staff member holding roles in the
// application's unit may take on day on: each step the state machine
// accepts then (status, periods, prerequisites) and the access policy
// allows one of the roles. It asks the state machine itself, with a probe
// of each step carrying neutral values, so the page offers exactly what
// recording would accept, short of what the form's own values decide
// (which outcome, how many days). user is the staff member's id (a handler
// may claim an application for himself only).
func StepsFor(cal *calendar.Calendar, set Settings, st State, roles []org.Role, user int64, on calendar.Date) []Step {
	var out []Step
	for _, k := range stepOrder {
		for _, role := range byPriority(roles) {
			e := probe(cal, st, k, role, user, on)
			if !org.Allows([]org.Role{role}, ActionOf(e)) {
				continue
			}
			t := st
			if t.Apply(cal, set, e) == nil {
				out = append(out, Step{Kind: k, Role: role})
				break
			}
		}
	}
	return out
}

// probe is a step of kind k with neutral values, as a form would send it.
func probe(cal *calendar.Calendar, st State, k Kind, role org.Role, user int64, on calendar.Date) Event {
	e := Event{Kind: k, On: on, Role: role}
	switch k {
	case Assigned:
		e.Assignee = st.Assignee + 1 // any other handler; the store checks who
		if role == org.RoleHandler {
			e.Assignee = user
		}
	case SubjectsMarked:
		e.Subjects = []string{"申请内容"}
	case CorrectionRequested:
		e.Note = "需要补正的事项"
	case ConsultEnded:
		e.Reply = ReplyAgreed
	case Extended:
		e.Days = 1
	case ExtensionRequested:
		e.Days, e.Note = 1, "理由"
	case FeeNoticed:
		e.Yuan, e.Basis = 1, PerRequest
	case ReasonsAccepted:
		if r, err := st.Deadline(cal, on); err == nil {
			e.Until = r.Due.AddDays(1)
		}
	case Decided:
		e.Outcome = annual.RowUnavailableNotHeld
	case LegalReviewed:
		e.Approved = true
	}
	return e
}

// byPriority orders roles so that the one with the wider power acts: the
// office head assigns (rather than claims), the legal reviewer reviews.
func byPriority(roles []org.Role) []org.Role {
	var out []org.Role
	for _, r := range []org.Role{org.RoleOfficeHead, org.RoleLegal, org.RoleHandler} {
		for _, x := range roles {
			if x == r {
				out = append(out, r)
			}
		}
	}
	return out
}
