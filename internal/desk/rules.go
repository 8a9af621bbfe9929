package desk

import (
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file holds who may take each step on a web enquiry and the states a
// survey moves through. The store calls these rules inside the transaction
// that writes the step, on the roles the actor holds in the unit as that
// transaction reads them, so no caller of the store can step around them.
//
// Replies (先审查、后公开, 国办发〔2019〕51号 on 12345/12360 hotline replies; the
// access policy's desk.* lines):
//
//   - the unit's hotline agents (热线坐席) and its office head draft a reply
//     and dismiss an enquiry (org.ActDeskDraft);
//   - its reviewers (审查人员) and the office head return or approve a draft,
//     publish an approved reply (with the question redacted) and withdraw it
//     (org.ActDeskReview);
//   - nobody approves a reply they drafted themselves: the reply is the
//     unit's answer, and it is checked by a second person;
//   - a system actor (an importer, the demo loader: no account) acts for the
//     operator and takes every step, the self-approval rule included only
//     for accounts; the public takes none.
//
// Surveys (问卷): drafted, then opened on the portal, then closed. Questions
// change only while the survey is a draft; it opens only with a question;
// it closes only when open, not before it opened; answers are taken only
// while it is open, and answers moved from an earlier system must fall
// between its opening and closing.

// Actor is a staff member (or the system) acting on the desk's records,
// with the roles held in the record's unit.
type Actor struct {
	UserID int64
	Roles  []org.Role
	// System is the command line, a job or the demo loader: no account,
	// acting for the operator.
	System bool
	// Public is a visitor of the portal: no staff step is his.
	Public bool
}

// StepAction is the access policy's action an enquiry step needs.
func StepAction(kind string) (org.Action, error) {
	switch kind {
	case EvDrafted, EvDismissed:
		return org.ActDeskDraft, nil
	case EvApproved, EvReturned, EvPublished, EvWithdrawn:
		return org.ActDeskReview, nil
	}
	return "", errs.E(errs.Invalid, "未知的办理操作")
}

// Permits reports, as a Forbidden error, whether roles allow an enquiry
// step: the role part of Authorize, which the pages also ask to decide
// what to offer.
func Permits(kind string, roles []org.Role) error {
	act, err := StepAction(kind)
	if err != nil {
		return err
	}
	if org.Allows(roles, act) {
		return nil
	}
	if act == org.ActDeskDraft {
		return errs.E(errs.Forbidden, "拟写答复须由该单位的热线坐席或公开办负责人办理")
	}
	return errs.E(errs.Forbidden, "审核和公开须由该单位的审查人员或公开办负责人办理")
}

// Authorize decides whether the actor may take step kind on an enquiry
// whose current draft was written by drafterID (0 when none or written by
// the system). A reply's own drafter is refused with Conflict (the state
// of the record, not the person's role, is at fault: another reviewer may
// approve it); a missing role with Forbidden.
func Authorize(kind string, a Actor, drafterID int64) error {
	if a.Public {
		act, err := StepAction(kind)
		if err != nil {
			return err
		}
		return org.Refusal(act)
	}
	if a.System {
		_, err := StepAction(kind)
		return err
	}
	if kind == EvApproved && drafterID != 0 && drafterID == a.UserID {
		return errs.E(errs.Conflict, "答复须由拟写人以外的审核人审核：您不能审核自己拟写的答复")
	}
	return Permits(kind, a.Roles)
}

// Survey steps, for SurveyStep.
const (
	SurveyEditQuestions = "questions" // add or delete a question
	SurveyStepOpen      = "open"      // publish on the portal
	SurveyStepClose     = "close"     // stop collecting answers
	SurveyStepAnswer    = "answer"    // a respondent's answers on the portal
)

// SurveyStep checks that a survey in state may take step now. questions is
// the number of its questions (for opening); opened is when it opened and
// at when the step happens (for closing).
func SurveyStep(state, step string, questions int, opened, at time.Time) error {
	switch step {
	case SurveyEditQuestions:
		if state != SurveyDraft {
			return errs.E(errs.Conflict, "问卷已发布，题目不能再修改")
		}
	case SurveyStepOpen:
		if state != SurveyDraft {
			return errs.E(errs.Conflict, "只有草稿状态的问卷可以发布")
		}
		if questions == 0 {
			return errs.E(errs.Invalid, "问卷还没有题目，不能发布")
		}
	case SurveyStepClose:
		if state != SurveyOpen {
			return errs.E(errs.Conflict, "只有征集中的问卷可以结束")
		}
		if at.Before(opened) {
			return errs.E(errs.Invalid, "问卷的结束时间不能早于发布时间")
		}
	case SurveyStepAnswer:
		if state != SurveyOpen {
			return errs.E(errs.Conflict, "该问卷已结束征集，感谢您的关注")
		}
	default:
		return errs.E(errs.Invalid, "未知的问卷操作")
	}
	return nil
}

// CheckImportedResponse checks that an answer moved from an earlier system
// (or made by the demo) at time at falls while the survey was open: after
// opened (zero: never opened) and, when it closed, not after closed.
func CheckImportedResponse(opened, closed, at time.Time) error {
	if opened.IsZero() || at.Before(opened) || (!closed.IsZero() && at.After(closed)) {
		return errs.E(errs.Invalid, "答卷时间 %s 不在问卷的征集期内", at.In(Shanghai).Format("2006-01-02 15:04"))
	}
	return nil
}
