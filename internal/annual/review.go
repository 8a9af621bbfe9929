package annual

import (
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file holds the rules of the review of findings (复核): a reviewer
// confirms (确认) or dismisses (排除) a finding of a report read from a file,
// with a reason. The decision belongs to the unit whose report it is and to
// the report's year; it is kept, audited, and applied again to the same
// finding — the same ID — whenever a report of that unit and year is checked
// again. A finding's ID is derived from its rule, place and numbers
// (findingID), so a changed number is a new finding that no earlier
// dismissal hides.
//
// Who decides: the statisticians of the report's unit, who answer for its
// figures (条例第五十条), and its system administrators — the access
// policy's line org.ActAnnualReview, read from the roles the reviewer holds
// in that unit when the decision is written (the store calls
// AuthorizeReview in its transaction). Neither the system nor the public
// decides: a decision is a person's judgement.

// Verdict is what a reviewer decided about a finding.
type Verdict string

// The verdicts.
const (
	// VerdictConfirm (确认): the finding stands; it is counted as before and
	// shows who confirmed it and why.
	VerdictConfirm Verdict = "confirm"
	// VerdictDismiss (排除): the finding does not stand (the report is right
	// and the reader or the rule is not); it is listed apart and not counted.
	VerdictDismiss Verdict = "dismiss"
)

// Label is the verdict in Chinese.
func (v Verdict) Label() string {
	switch v {
	case VerdictConfirm:
		return "确认"
	case VerdictDismiss:
		return "排除"
	}
	return string(v)
}

// MaxReason bounds a decision's reason, in characters.
const MaxReason = 500

// Decision is a reviewer's decision on one finding of a unit's report of a
// year.
type Decision struct {
	UnitID    int64
	Year      int
	FindingID string
	Verdict   Verdict
	Reason    string
	// Rule, Where and Message are the finding as it read when decided, for
	// the record.
	Rule    string
	Where   string
	Message string
	// By is the reviewer's account name, At when the decision was written.
	By string
	At time.Time
}

// DecisionFor is a decision on finding f of a unit's report of a year, the
// finding's facts copied.
func DecisionFor(unitID int64, year int, f Finding, v Verdict, reason string) Decision {
	return Decision{UnitID: unitID, Year: year, FindingID: f.ID, Verdict: v, Reason: strings.TrimSpace(reason),
		Rule: f.Rule, Where: f.Where, Message: f.Message}
}

// Reviewer is who decides: an account and the roles it holds in the
// report's unit.
type Reviewer struct {
	UserID int64
	Roles  []org.Role
}

// AuthorizeReview says whether rv may confirm or dismiss the findings of a
// report of the unit whose roles rv.Roles are.
func AuthorizeReview(rv Reviewer) error {
	if rv.UserID == 0 {
		return errs.E(errs.Forbidden, "确认或排除检查发现的问题须由工作人员本人决定")
	}
	if !org.Allows(rv.Roles, org.ActAnnualReview) {
		return org.Refusal(org.ActAnnualReview)
	}
	return nil
}

// ValidateDecision checks a decision before it is written: a verdict, a
// finding of a unit's report of a known year, and the reason (required,
// at most MaxReason characters). Field errors name the form's fields
// verdict and reason.
func ValidateDecision(d Decision) error {
	var f errs.Fields
	if d.Verdict != VerdictConfirm && d.Verdict != VerdictDismiss {
		f.Add("verdict", "请选择“确认”或“排除”")
	}
	switch reason := strings.TrimSpace(d.Reason); {
	case reason == "":
		f.Add("reason", "请写明理由：确认或排除的依据（将记入审计日志）")
	case utf8.RuneCountInString(reason) > MaxReason:
		f.Add("reason", "理由不能超过 %d 个字", MaxReason)
	}
	if err := f.Err(); err != nil {
		return err
	}
	switch {
	case d.UnitID == 0:
		return errs.E(errs.Invalid, "未能确定报告所属的单位，不能记录决定")
	case d.Year < 2008 || d.Year > 2100:
		return errs.E(errs.Invalid, "未能确定报告的年度，不能记录决定")
	case d.FindingID == "":
		return errs.E(errs.Invalid, "没有指明要确认或排除的问题")
	}
	return nil
}

// ReviewedFinding is a finding with the decision on it, if any.
type ReviewedFinding struct {
	Finding
	Decision *Decision
}

// Reviewed is a report's findings with the decisions applied: those that
// count (undecided or confirmed), in their order, and those dismissed.
type Reviewed struct {
	Open      []ReviewedFinding
	Dismissed []ReviewedFinding
}

// Review applies decisions — the latest on each finding, by finding ID — to
// a report's findings. A decision whose ID no finding has any more (a number
// changed) applies to nothing.
func Review(findings []Finding, decisions map[string]Decision) Reviewed {
	var rv Reviewed
	for _, f := range findings {
		rf := ReviewedFinding{Finding: f}
		if d, ok := decisions[f.ID]; ok && f.ID != "" {
			rf.Decision = &d
		}
		if rf.Decision != nil && rf.Decision.Verdict == VerdictDismiss {
			rv.Dismissed = append(rv.Dismissed, rf)
		} else {
			rv.Open = append(rv.Open, rf)
		}
	}
	return rv
}

// Findings returns the findings that count.
func (rv Reviewed) Findings() []Finding {
	out := make([]Finding, len(rv.Open))
	for i, f := range rv.Open {
		out[i] = f.Finding
	}
	return out
}
