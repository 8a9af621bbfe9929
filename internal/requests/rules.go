package requests

import (
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file holds who may take each step of an application and see its
// applicant, and the checks a step gets when it is recorded by a person
// rather than moved from an earlier system. The store calls them inside the
// transaction that appends the step (Tx.appendEvent), on the roles the actor
// holds in the application's unit as that transaction reads them, so no
// caller of the store can step around them. The state machine itself
// (what may follow what, and the clock) is lifecycle.go.
//
//   - Each step is one action of the access policy (ActionOf, org.Policy):
//     the unit's handlers handle, the office head assigns and extends
//     (条例第三十三条), the legal reviewer reviews 部分公开 and 不予公开.
//   - 分办: the office head assigns to any active handler of the unit; a
//     handler only takes an unassigned application himself (认领).
//   - The applicant (the public, no account) only submits and corrects his
//     application online (ApplicantStep); the system (the command line, a
//     job, the demo loader) acts for the operator and is not limited.
//   - Only the unit's handlers see the applicant's name, identity number,
//     contact details, attachments and letters (org.ActRequestApplicant);
//     the legal reviewer and the office head see the application without
//     them; each view is recorded in the audit log by the store.
//   - A step recorded by a person is not dated after the day it is recorded
//     (the date is the day it happened: 第三十一条's day of receipt, a
//     letter's day of service); a fee notice (第四十二条, 国办函〔2020〕109号)
//     is only sent for a fee above zero. Histories moved from an earlier
//     system or made by the demo are recorded as given.
//   - 第三十条: a 补正 states, once, everything to be corrected
//     (CheckNewStep in lifecycle.go).

// Actor is who records a step, with the roles held in the application's
// unit.
type Actor struct {
	UserID int64
	Roles  []org.Role
	// System is the command line, a job or the demo loader: no account,
	// acting for the operator.
	System bool
	// Public is the applicant on the portal (no account).
	Public bool
}

// Authorize decides whether the actor may record step e.
func Authorize(e Event, a Actor) error {
	switch {
	case a.Public:
		if ApplicantStep(e.Kind) {
			return nil
		}
		return org.Refusal(ActionOf(e))
	case a.System:
		return nil
	}
	if !org.Allows(a.Roles, ActionOf(e)) {
		return org.Refusal(ActionOf(e))
	}
	if e.Kind == Assigned && e.Role == org.RoleHandler && e.Assignee != a.UserID {
		return errs.E(errs.Forbidden, "承办人只能认领申请给自己；分派给他人须由公开办负责人办理。")
	}
	return nil
}

// CheckAssignee is the part of 分办 the store reads: the assignee must be
// an active handler of the application's unit (activeHandler).
func CheckAssignee(activeHandler bool) error {
	if !activeHandler {
		return errs.FieldError("assignee", "所选人员不是本单位在岗的依申请公开承办人。")
	}
	return nil
}

// MaySeeApplicant reports whether roles in the application's unit show its
// applicant's details (org.ActRequestApplicant): the pages ask it to decide
// what to show, the store decides with AuthorizeApplicant.
func MaySeeApplicant(roles []org.Role) bool {
	return org.Allows(roles, org.ActRequestApplicant)
}

// AuthorizeApplicant decides whether the actor may read an application's
// applicant details (identity number, files, letters). The applicant reads
// his own letters through the receipt number and query code, which the
// store checks; it then reads them as the system acting for him.
func AuthorizeApplicant(a Actor) error {
	switch {
	case a.System:
		return nil
	case a.Public || !MaySeeApplicant(a.Roles):
		return org.Refusal(org.ActRequestApplicant)
	}
	return nil
}

// CheckRecordedStep applies to a step a person records on day today: it is
// not dated after today (a 申请内容分类 is dated the day it is recorded).
func CheckRecordedStep(e Event, today calendar.Date) error {
	if !e.On.IsZero() && e.On.After(today) {
		return errs.FieldError("on", "日期不能晚于今天。")
	}
	return nil
}

// CheckFeeQuote refuses a fee notice for a fee of zero: explain is the
// sentence of the quote (FeeBands.FeeExplain), said back to the handler.
func CheckFeeQuote(yuan int, explain string) error {
	if yuan == 0 {
		return errs.FieldError("fee_basis", "%s按该标准不收费，无需发出收费通知。", explain)
	}
	return nil
}
