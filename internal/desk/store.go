package desk

import (
	"context"
	"time"

	"gongkai/internal/audit"
)

// EnquiryFilter selects enquiries for a staff work queue.
type EnquiryFilter struct {
	UnitIDs []int64
	Kind    string   // "" for both
	States  []string // empty for all
	Limit   int
	Offset  int
}

// EnquiryStore is what the back office's enquiry pages need of the store:
// the work queue, one enquiry with its history, the unanswered limit, and
// the steps. *store.DB implements it; the pages hold this interface, so
// that a test can serve them on a fake.
//
// Callers are staff pages behind a login; the store applies the rules
// itself (Authorize and Next, in the writing transaction, on the roles the
// actor holds then), whatever the caller checked before. Errors are coded
// (errs): NotFound for an enquiry that does not exist; Forbidden for a
// step the actor's roles do not allow; Conflict for a step the state does
// not allow, or a reply approved by its own drafter; Invalid for a form at
// fault (field errors, errs.Fields); Unavailable when the database is busy.
type EnquiryStore interface {
	// Enquiries lists enquiries, oldest received first, with the count of
	// all that match.
	Enquiries(ctx context.Context, f EnquiryFilter) ([]Enquiry, int64, error)
	// Enquiry returns an enquiry with the asker's personal details (staff
	// only: the caller records the view with Record) and its events.
	Enquiry(ctx context.Context, id int64) (Enquiry, []Event, error)
	// UnansweredLimit is the setting of how long an enquiry may wait.
	UnansweredLimit(ctx context.Context) (Limit, error)
	// ActOnEnquiry takes one step (a draft, a review, publication…); at
	// is the step's time, zero for now.
	ActOnEnquiry(ctx context.Context, actor audit.Actor, id int64, a Action, at time.Time) error
	// Record writes an audit entry (the view of an asker's details).
	Record(ctx context.Context, actor audit.Actor, c audit.Change) error
}
