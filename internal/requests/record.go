package requests

import (
	"context"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/audit"
	"gongkai/internal/calendar"
)

// AppRecord is an application for government information as stored: what
// was submitted (the identity number only masked) and the columns derived
// from its events.
type AppRecord struct {
	ID            int64
	UnitID        int64
	ReceiptNo     string
	Channel       Channel
	ApplicantType ApplicantType
	Name          string
	IDMasked      string
	Phone         string
	Address       string
	Email         string
	Description   string
	Form          string
	Delivery      string
	ReceivedOn    calendar.Date
	CreatedBy     string
	CreatedAt     time.Time
	Status        Status
	DueOn         string // YYYY-MM-DD or ""
	ConcludedOn   string
	Outcome       annual.RowKey
	SubKind       string
	EventCount    int
	AssigneeID    int64 // the handler it is assigned to (分办); 0: not yet
	// ConsultUntil is the last day of an open consultation's 15 working
	// days (第三十二条), "" when none is open: past it the clock runs again.
	ConsultUntil string
	// ReviewPending: a decision awaits legal review; ExtensionAsked: the
	// day a handler asked for an extension the office head has not decided.
	ReviewPending  bool
	ExtensionAsked string
	// Subjects are what it is about (申请内容分类), as last marked; filled
	// in by the store's reads of one application or a list.
	Subjects []string
}

// RecordedStep is what recording a step wrote: the state after it and the
// documents it sent (the answer letter, the notices of NoticesFor).
type RecordedStep struct {
	State   State
	Letter  bool         // the answer letter was kept
	Notices []NoticeKind // the notices kept, in order
}

// StepStore is what the page that records a step needs of the store:
// reading the application, and recording the step with the documents it
// sends in one transaction. *store.DB implements it; the pages hold this
// interface (Server.Steps), so a test can serve them on a fake.
//
// Callers are staff pages behind a login; the store applies the rules
// itself (Authorize, CheckRecordedStep, CheckFeeQuote, CheckNewStep and the
// state machine, in the appending transaction, on the roles held then).
// Errors are coded (errs): NotFound for an application that does not exist;
// Forbidden for a step the actor's roles do not allow; Conflict for a step
// the state does not allow; Invalid for a form at fault (a field error
// names its field); Unavailable when the database is busy or a letter's
// font is missing.
type StepStore interface {
	// RequestApplication returns an application without its applicant's
	// identity number.
	RequestApplication(ctx context.Context, id int64) (AppRecord, error)
	// RecordRequestStep records step e with its letter or notices.
	RecordRequestStep(ctx context.Context, actor audit.Actor, id int64, e Event) (RecordedStep, error)
}
