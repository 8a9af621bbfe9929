package requests

import (
	"fmt"
	"slices"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file is the life of an application under 《政府信息公开条例》. An
// application is its append-only list of events; Replay derives its state,
// its clock and its statistics from them, and refuses an event that the law
// does not allow in the state reached. The rules, by article:
//
//   - 第三十一条: the date of receipt is the registered event's date; periods
//     run from the next day (calendar.AddWorkdays does not count it).
//   - 第三十条: a 补正 may be asked once, within 7 working days of receipt,
//     with a reasonable period to reply (policy, Settings.CorrectionDays,
//     default 15 working days). The answer period restarts on the day the
//     corrected application arrives. No correction in time → the
//     application is abandoned: table 三 row other_no_correction.
//   - 第三十二条、第三十四条: time spent consulting a third party or another
//     agency is not counted (a pause from the day after the letter to the
//     day the reply arrives, at most to the 15th working day after the
//     party received it); the outcome of an objection (consult.go).
//   - 第三十条 and an extension granted before the 补正: the statute is
//     silent on whether it survives the restarted period. Policy
//     (Settings.ExtensionSurvivesCorrection, default false): it does not —
//     the extension was approved for the application as it stood, the
//     corrected application is in substance a new one whose period 第三十条
//     counts afresh, and the office head can extend the new period (again
//     at most 20 working days) if it needs it. A unit that reads 第三十三条's
//     cap as applying to the application's whole life sets it to true:
//     the days granted then count against the new period and the cap.
//   - 第三十三条: the answer is due within 20 working days; an extension of
//     at most 20 working days needs the approval of the head of the
//     disclosure office (org.RoleOfficeHead), decided within the period.
//   - 第四十二条 and 国办函〔2020〕109号: a fee notice goes out within the
//     answer period; the applicant pays within 20 working days from the day
//     after receiving it (the recorded day of receipt, service.go) or the
//     application is abandoned (other_no_fee). By default (policy,
//     Settings.StopClockForFee) the answer clock is stopped while payment is
//     awaited.
//   - 第三十五条: where the number or frequency of one applicant's requests
//     clearly exceeds a reasonable range the agency may ask for reasons
//     (ReasonsRequested). Unreasonable → not processed
//     (not_processed_excessive, only after the request for reasons);
//     reasonable but not to be answered in time → the agency sets a later,
//     reasonable answer date and tells the applicant (ReasonsAccepted, with
//     the office head's approval as for an extension).
//   - 第三十六条至第三十九条: the decision's outcome is a row of table 三;
//     部分公开 (第三十七条) and every 不予公开 (第十四至十六条) pass legal review by
//     the legal role (org.RoleLegal) before the answer is given. An outcome
//     that names a step needs the step: 「补正后申请内容仍不明确」 only after a
//     补正 was asked and answered (第三十条), 「无正当理由大量反复申请」 only
//     after reasons were asked for (第三十五条). 第三十六条第（一）项 (already
//     published: say where; counted as disclosed) and 第（五）项 (not this
//     agency's: name the agency that holds it when known; counted as
//     「本机关不掌握相关政府信息」) are sub-kinds of those outcomes.
//   - Withdrawal is possible at any time before the answer; the customs
//     variant counts it in other_other with the sub-kind 申请人撤销申请.
//   - 分办 (not in the statute; the office's own procedure): an application
//     is assigned to one handler (org.RoleHandler) of the unit while it is
//     still being worked on. The office head assigns or reassigns it; a
//     handler may only take an unassigned one himself (认领) — the store,
//     which knows the actor, checks that part. It never moves the clock.
//   - 申请内容分类 (not in the statute; the record section 一（二） of the
//     annual report describes): a handler of the unit (org.ActRequestSubjects)
//     marks what the application is about, one or more subjects of the
//     unit's list (subjects.go; the store checks them against the list in
//     force). The last marking counts. It is allowed in every state after
//     registration — an answered or withdrawn application still counts
//     among the year's receipts — and never moves the clock.

// Kind is the kind of an event.
type Kind string

// The events of an application's life.
const (
	Registered          Kind = "registered"           // 登记（收到申请）
	CorrectionRequested Kind = "correction_requested" // 告知补正
	Corrected           Kind = "corrected"            // 收到补正
	CorrectionAbandoned Kind = "correction_abandoned" // 逾期未补正
	ConsultStarted      Kind = "consult_started"      // 征求第三方或其他机关意见
	ConsultEnded        Kind = "consult_ended"        // 收到意见或征求期满
	Extended            Kind = "extended"             // 延长答复期限
	FeeNoticed          Kind = "fee_noticed"          // 发出收费通知
	FeePaid             Kind = "fee_paid"             // 缴费
	FeeAbandoned        Kind = "fee_abandoned"        // 逾期未缴费
	Decided             Kind = "decided"              // 拟定答复意见
	LegalReviewed       Kind = "legal_reviewed"       // 法制审核
	Answered            Kind = "answered"             // 作出答复（答复书）
	Delivered           Kind = "delivered"            // 送达
	Closed              Kind = "closed"               // 办结归档
	Withdrawn           Kind = "withdrawn"            // 申请人撤回申请
	Assigned            Kind = "assigned"             // 分办（指定承办人）
	SubjectsMarked      Kind = "subjects"             // 标注申请内容
	ConsultServed       Kind = "consult_served"       // 征求意见书送达（回执日期）
	ReasonsRequested    Kind = "reasons_requested"    // 要求申请人说明理由（第三十五条）
	ReasonsAccepted     Kind = "reasons_accepted"     // 理由合理，确定延迟答复期限（第三十五条）
	ExtensionRequested  Kind = "extension_requested"  // 承办人提请延长答复期限
	ExtensionRefused    Kind = "extension_refused"    // 负责人不同意延期
)

var kindLabels = map[Kind]string{
	Registered: "登记", CorrectionRequested: "告知补正", Corrected: "收到补正", CorrectionAbandoned: "逾期未补正",
	ConsultStarted: "征求意见", ConsultEnded: "征求意见结束", Extended: "延长答复期限",
	FeeNoticed: "发出收费通知", FeePaid: "缴纳信息处理费", FeeAbandoned: "逾期未缴费",
	Decided: "拟定答复意见", LegalReviewed: "法制审核", Answered: "作出答复", Delivered: "送达",
	Closed: "办结", Withdrawn: "申请人撤回申请", Assigned: "分办", SubjectsMarked: "标注申请内容",
	ConsultServed: "征求意见书送达", ReasonsRequested: "要求说明理由", ReasonsAccepted: "确定延迟答复期限",
	ExtensionRequested: "提请延长答复期限", ExtensionRefused: "不同意延期",
}

// Label is the Chinese name of the event.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Sub-kinds of other_other in the customs variant of table 三.
const (
	SubConsultChannel = "咨询事项指引咨询渠道"
	SubWithdrawn      = "申请人撤销申请"
)

// Sub-kinds of the answers of 第三十六条 that table 三 counts under a wider
// row: their letters differ.
const (
	// SubAlreadyPublished (第三十六条第（一）项): already proactively
	// published — the letter says where; counted as disclosed.
	SubAlreadyPublished = "已主动公开"
	// SubNotThisAgency (第三十六条第（五）项): not this agency's to disclose —
	// the letter names the agency that holds it when known; counted as
	// unavailable_not_held (「本机关不掌握相关政府信息」).
	SubNotThisAgency = "不属于本机关负责公开"
)

// subKindsOf lists the sub-kinds a decision's outcome may carry ("*": any
// text, the customs variant's other_other).
var subKindsOf = map[annual.RowKey][]string{
	annual.RowDisclosed:          {SubAlreadyPublished},
	annual.RowUnavailableNotHeld: {SubNotThisAgency},
	annual.RowOtherOther:         {"*"},
}

// Event is one step in an application's life.
type Event struct {
	Kind Kind
	On   calendar.Date // the day it happened (for Registered, the date of receipt per 第三十一条)
	Role org.Role      // the role the actor acted in, checked where the law names one
	// Decided: the outcome (a table 三 outcome row) and, for other_other, its sub-kind.
	Outcome annual.RowKey
	SubKind string
	// Extended: working days added. CorrectionRequested: working days given to reply (0: the setting).
	Days int
	// FeeNoticed: the amount in yuan.
	Yuan int
	// LegalReviewed: whether the reviewer agreed; a refusal sends the decision back.
	Approved bool
	// Assigned: the user (a handler of the unit) who handles the application.
	Assignee int64
	// SubjectsMarked: what the application is about, from the unit's list.
	Subjects []string
	// ConsultStarted, FeeNoticed, ReasonsRequested send a letter: how it
	// went and the day its addressee received it (service.go).
	SentBy   Channel
	ServedOn calendar.Date
	// ConsultStarted: whom (第三十二条 or 第三十四条) and the name.
	// Decided with SubNotThisAgency: the agency that holds the information,
	// with Contact, when known.
	Party     Party
	PartyName string
	Contact   string
	// ConsultEnded: the reply.
	Reply Reply
	// Decided: disclosed although the third party objected, the public
	// interest requiring it (第三十二条); the reason is the Note.
	PublicInterest bool
	// Decided with SubAlreadyPublished: the published item (第三十六条第（一）项).
	ItemID int64
	// ReasonsAccepted: the later answer date (第三十五条).
	Until calendar.Date
	// FeeNoticed: the basis (109号) and, per page, the pages.
	Basis FeeBasis
	Pages int
	Note  string
}

// MovesClock reports whether an event of kind k can change the answer
// period or the state the stored due date depends on: every kind but the
// office's own records: 分办, 申请内容分类, and a handler's request for an
// extension with the office head's refusal (the extension itself moves it).
func MovesClock(k Kind) bool {
	return k != Assigned && k != SubjectsMarked && k != ExtensionRequested && k != ExtensionRefused
}

// ActionOf is the access policy's action for a step (org.Policy): who may
// record it is decided on it, in the store's write transaction, against
// the roles the actor holds in the application's unit.
func ActionOf(e Event) org.Action {
	switch e.Kind {
	case Registered:
		return org.ActRequestRegister
	case Assigned:
		if e.Role == org.RoleHandler {
			return org.ActRequestClaim
		}
		return org.ActRequestAssign
	case Extended, ReasonsAccepted, ExtensionRefused:
		return org.ActRequestExtend
	case LegalReviewed:
		return org.ActRequestLegal
	case SubjectsMarked:
		return org.ActRequestSubjects
	}
	return org.ActRequestHandle
}

// CheckNewStep applies the rules that bind a step when it is recorded but
// not the history it joins (recorded before the rule, it must still
// replay):
//
//   - 第三十条: a 补正 states, once, everything to be corrected;
//   - the answer's note is what is specific to the application: the remedy
//     notice is the letter's, once (answerletter.go), never the handler's too.
func CheckNewStep(e Event) error {
	note := strings.TrimSpace(e.Note)
	switch e.Kind {
	case CorrectionRequested:
		if note == "" {
			return errs.FieldError("note", "请写明需要补正的事项（条例第三十条：一次性告知）。")
		}
	case Answered:
		if strings.Contains(note, "行政复议") && strings.Contains(note, "行政诉讼") {
			return errs.FieldError("note", "救济途径（行政复议、行政诉讼）由答复书统一告知，说明中不要重复。")
		}
	}
	return nil
}

// ApplicantStep reports whether the applicant takes a step himself, with
// no staff account: submitting the application online (第二十九条) and
// correcting it online (第三十条; the status page, against the receipt
// number and query code).
func ApplicantStep(k Kind) bool { return k == Registered || k == Corrected }

// CheckOnlineCorrection says whether the applicant may submit the 补正
// online on day on (条例第三十条; dated the day it is submitted, as 第三十一条
// dates what comes online), in words for the applicant: only while a 补正 is
// awaited and its period runs; after the period, or once the application
// counts as abandoned, it is refused with the reason.
func CheckOnlineCorrection(s State, on calendar.Date) error {
	switch s.Status {
	case StatusAwaitingCorrection:
		if on.After(s.CorrectionDue) {
			return refuse("补正期限已于%s届满，不能在线提交补正。如有正当理由逾期，请与本机关联系。", s.CorrectionDue)
		}
		return nil
	case StatusAbandoned:
		if s.Outcome == annual.RowOtherNoCorrection {
			return refuse("您逾期未补正，本申请已于%s视为放弃（条例第三十条），不能再补正；如仍需要该信息，可以重新提出申请。", s.ConcludedOn)
		}
	}
	if s.Corrected {
		return refuse("本机关已于%s收到您的补正，无需再次提交。", s.CorrectedOn)
	}
	return refuse("本申请当前为“%s”，不需要补正。", s.Status.Label())
}

// Status is the state an application is in.
type Status string

// The states derived from the events.
const (
	StatusNew                Status = ""                    // no events yet
	StatusProcessing         Status = "processing"          // 办理中
	StatusAwaitingCorrection Status = "awaiting_correction" // 待补正
	StatusConsulting         Status = "consulting"          // 征求意见中
	StatusAwaitingFee        Status = "awaiting_fee"        // 待缴费
	StatusDecided            Status = "decided"             // 已拟定答复意见
	StatusAnswered           Status = "answered"            // 已答复
	StatusDelivered          Status = "delivered"           // 已送达
	StatusClosed             Status = "closed"              // 已办结
	StatusAbandoned          Status = "abandoned"           // 视为放弃（逾期未补正/未缴费）
	StatusWithdrawn          Status = "withdrawn"           // 已撤回
)

var statusLabels = map[Status]string{
	StatusNew: "未登记", StatusProcessing: "办理中", StatusAwaitingCorrection: "待补正", StatusConsulting: "征求意见中",
	StatusAwaitingFee: "待缴费", StatusDecided: "已拟定答复意见", StatusAnswered: "已答复", StatusDelivered: "已送达",
	StatusClosed: "已办结", StatusAbandoned: "视为放弃申请", StatusWithdrawn: "已撤回",
}

// Label is the Chinese name of the status.
func (s Status) Label() string { return statusLabels[s] }

// Settings are the policy points the statute leaves open.
type Settings struct {
	CorrectionDays  int  // working days given for a 补正 (第三十条 "合理的补正期限"); default 15
	StopClockForFee bool // the answer clock stops while a fee is awaited; default true
	// ExtensionSurvivesCorrection: an extension granted before a 补正 still
	// counts in the restarted period; default false (see the rules above).
	ExtensionSurvivesCorrection bool
	// ServiceDays: natural days from sending a letter to its receipt,
	// assumed per channel when the day is not recorded (service.go).
	ServiceDays map[Channel]int
}

// DefaultSettings are the platform's defaults.
var DefaultSettings = Settings{CorrectionDays: 15, StopClockForFee: true, ServiceDays: DefaultServiceDays}

// Statutory periods in working days.
const (
	AnswerDays        = 20 // 第三十三条
	MaxExtensionDays  = 20 // 第三十三条
	CorrectionAskDays = 7  // 第三十条
	FeePayDays        = 20 // 国办函〔2020〕109号
)

// State is what the events make of an application.
type State struct {
	Status     Status
	ReceivedOn calendar.Date
	// ClockFrom is the day the answer period runs from: the receipt, or the
	// arrival of the correction (第三十条).
	ClockFrom     calendar.Date
	Pauses        []calendar.Pause
	ExtensionDays int
	// Open pauses: the day a consultation / fee wait began (zero if none).
	consultFrom, feeFrom calendar.Date
	// Consultations are the application's consultations (第三十二条、第三十四条), in order.
	Consultations   []Consultation
	CorrectionAsked bool
	Corrected       bool          // a 补正 was asked and the corrected application received
	CorrectedOn     calendar.Date // the day it was received
	ReasonsAsked    bool          // reasons were asked for (第三十五条)
	LaterDue        calendar.Date // the later answer date set under 第三十五条 (zero: none)
	// ExtensionAsked is the day a handler asked the office head for an
	// extension still undecided (zero: none), for ExtensionAskedDays.
	ExtensionAsked     calendar.Date
	ExtensionAskedDays int
	CorrectionDue      calendar.Date // last day to supply the correction
	FeeDue             calendar.Date // last day to pay
	FeeYuan            int
	Outcome            annual.RowKey // the decision's (or abandonment's) table 三 row
	SubKind            string
	PublicInterest     bool // disclosed against a third party's objection (第三十二条)
	NeedsReview        bool // the decision needs legal review
	Reviewed           bool // and has passed it
	AnsweredOn         calendar.Date
	Assignee           int64    // the handler it is assigned to (0: not yet, 待分办)
	Subjects           []string // what it is about (申请内容分类), as last marked
	// ConcludedOn is the day the application left the year's workload: the
	// answer, the abandonment or the withdrawal (table 三 year boundaries).
	ConcludedOn calendar.Date
}

// Concluded reports whether the application has an outcome that table 三 counts.
func (s State) Concluded() bool { return !s.ConcludedOn.IsZero() }

// NeedsLegalReview reports whether an outcome must pass legal review before
// the answer: 部分公开 (第三十七条) and every 不予公开 ground.
func NeedsLegalReview(row annual.RowKey) bool {
	return row == annual.RowPartlyDisclosed || strings.HasPrefix(string(row), "withheld_")
}

// DecisionOutcome reports whether row may be chosen as a decision: any
// outcome row of table 三 except the two that only follow from the
// applicant's silence (other_no_correction, other_no_fee).
func DecisionOutcome(row annual.RowKey) bool {
	for _, r := range annual.Table3Rows {
		if r.Key == row && r.Outcome {
			return row != annual.RowOtherNoCorrection && row != annual.RowOtherNoFee
		}
	}
	return false
}

// Replay derives the state from the events in order, refusing the first
// event the law does not allow.
func Replay(cal *calendar.Calendar, set Settings, events []Event) (State, error) {
	var s State
	for i, e := range events {
		if err := s.Apply(cal, set, e); err != nil {
			return s, fmt.Errorf("第%d个事件：%w", i+1, err)
		}
	}
	return s, nil
}

func refuse(format string, args ...any) error { return errs.E(errs.Conflict, format, args...) }

// Apply applies one event to the state, or refuses it with a Chinese
// message saying why, leaving the state unchanged.
func (s *State) Apply(cal *calendar.Calendar, set Settings, e Event) error {
	n := *s
	n.Pauses, n.Consultations = slices.Clone(s.Pauses), slices.Clone(s.Consultations)
	if err := n.apply(cal, set, e); err != nil {
		return err
	}
	*s = n
	return nil
}

func (s *State) apply(cal *calendar.Calendar, set Settings, e Event) error {
	if e.On.IsZero() {
		return errs.FieldError("on", "请填写日期。")
	}
	if s.Status == StatusNew {
		if e.Kind != Registered {
			return refuse("申请尚未登记，不能%s。", e.Kind.Label())
		}
		s.Status, s.ReceivedOn, s.ClockFrom = StatusProcessing, e.On, e.On
		return nil
	}
	if e.On.Before(s.ReceivedOn) {
		return errs.FieldError("on", "日期不能早于收到申请之日（%s）。", s.ReceivedOn)
	}
	if e.Kind == Withdrawn {
		switch s.Status {
		case StatusAnswered, StatusDelivered, StatusClosed:
			return refuse("已作出答复，不能再撤回申请。")
		case StatusAbandoned, StatusWithdrawn:
			return refuse("申请已%s，不能再撤回。", s.Status.Label())
		}
		s.closePauses(e.On)
		s.Status, s.Outcome, s.SubKind, s.ConcludedOn = StatusWithdrawn, annual.RowOtherOther, SubWithdrawn, e.On
		return nil
	}
	if e.Kind == SubjectsMarked {
		if !org.Allows([]org.Role{e.Role}, org.ActRequestSubjects) {
			return org.Refusal(org.ActRequestSubjects)
		}
		if len(e.Subjects) == 0 {
			return errs.FieldError("subjects", "请至少选择一项申请内容。")
		}
		s.Subjects = append([]string(nil), e.Subjects...)
		return nil
	}
	if e.Kind == Assigned {
		switch s.Status {
		case StatusClosed, StatusAbandoned, StatusWithdrawn:
			return refuse("申请已%s，无需再分办。", s.Status.Label())
		}
		if e.Role != org.RoleOfficeHead && e.Role != org.RoleHandler {
			return errs.E(errs.Forbidden, "只有公开办负责人或承办人可以分办申请。")
		}
		if e.Assignee <= 0 {
			return errs.FieldError("assignee", "请选择承办人。")
		}
		if e.Assignee == s.Assignee {
			return errs.FieldError("assignee", "该申请已由此承办人办理。")
		}
		if e.Role == org.RoleHandler && s.Assignee != 0 {
			return errs.E(errs.Forbidden, "该申请已有承办人；改派须由公开办负责人办理。")
		}
		s.Assignee = e.Assignee
		return nil
	}
	want := map[Kind]Status{
		CorrectionRequested: StatusProcessing, Corrected: StatusAwaitingCorrection, CorrectionAbandoned: StatusAwaitingCorrection,
		ConsultStarted: StatusProcessing, ConsultServed: StatusConsulting, ConsultEnded: StatusConsulting, Extended: StatusProcessing,
		FeeNoticed: StatusProcessing, FeePaid: StatusAwaitingFee, FeeAbandoned: StatusAwaitingFee,
		ReasonsRequested: StatusProcessing, ReasonsAccepted: StatusProcessing,
		ExtensionRequested: StatusProcessing, ExtensionRefused: StatusProcessing,
		Decided: StatusProcessing, LegalReviewed: StatusDecided, Answered: StatusDecided,
		Delivered: StatusAnswered, Closed: StatusDelivered,
	}
	need, ok := want[e.Kind]
	if !ok {
		return refuse("未知的办理环节“%s”。", e.Kind)
	}
	if s.Status != need {
		return refuse("申请当前为“%s”，不能%s（须在“%s”时办理）。", s.Status.Label(), e.Kind.Label(), need.Label())
	}
	switch e.Kind {
	case CorrectionRequested:
		if s.CorrectionAsked {
			return refuse("补正只能一次性告知（条例第三十条），本申请已告知过补正。")
		}
		last, err := cal.AddWorkdays(s.ReceivedOn, CorrectionAskDays, nil)
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "无法计算补正告知期限。")
		}
		if e.On.After(last.Due) {
			return refuse("补正应在收到申请之日起7个工作日内告知（条例第三十条），最迟为%s。", last.Due)
		}
		days := e.Days
		if days <= 0 {
			days = set.CorrectionDays
		}
		due, err := cal.AddWorkdays(e.On, days, nil)
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "无法计算补正期限。")
		}
		s.CorrectionAsked, s.CorrectionDue, s.Status = true, due.Due, StatusAwaitingCorrection
	case Corrected:
		if e.On.After(s.CorrectionDue) {
			return refuse("补正期限已于%s届满；有正当理由逾期的，请在备注中说明后按收到补正办理。", s.CorrectionDue)
		}
		// 第三十条: the answer period restarts from the corrected application's
		// arrival; an extension granted before it survives only by policy.
		s.ClockFrom, s.Pauses, s.Status, s.Corrected, s.CorrectedOn, s.LaterDue = e.On, nil, StatusProcessing, true, e.On, calendar.Date{}
		if !set.ExtensionSurvivesCorrection {
			s.ExtensionDays = 0
		}
	case CorrectionAbandoned:
		if !e.On.After(s.CorrectionDue) {
			return refuse("补正期限至%s，期限届满前不能视为放弃申请。", s.CorrectionDue)
		}
		s.Status, s.Outcome, s.ConcludedOn = StatusAbandoned, annual.RowOtherNoCorrection, e.On
	case ConsultStarted:
		return s.startConsult(cal, e)
	case ConsultServed:
		return s.serveConsult(cal, e)
	case ConsultEnded:
		return s.endConsult(e)
	case Extended:
		if !org.Allows([]org.Role{e.Role}, org.ActRequestExtend) {
			return errs.E(errs.Forbidden, "延长答复期限须经政府信息公开工作机构负责人同意（条例第三十三条）。")
		}
		if e.Days < 1 || s.ExtensionDays+e.Days > MaxExtensionDays {
			return errs.FieldError("days", "延长期限最长不得超过20个工作日（条例第三十三条），已延长%d个工作日。", s.ExtensionDays)
		}
		due, err := s.Deadline(cal, e.On)
		if err != nil {
			return err
		}
		if e.On.After(due.Due) {
			return refuse("答复期限已于%s届满，不能再延长。", due.Due)
		}
		s.ExtensionDays += e.Days
		s.ExtensionAsked, s.ExtensionAskedDays = calendar.Date{}, 0
	case ExtensionRequested:
		// The handler asks; the office head decides (第三十三条).
		if !s.ExtensionAsked.IsZero() {
			return refuse("已于%s提请延期，等待公开办负责人决定。", s.ExtensionAsked)
		}
		if e.Days < 1 || s.ExtensionDays+e.Days > MaxExtensionDays {
			return errs.FieldError("days", "延长期限最长不得超过20个工作日（条例第三十三条），已延长%d个工作日。", s.ExtensionDays)
		}
		if strings.TrimSpace(e.Note) == "" {
			return errs.FieldError("note", "请写明需要延期的理由（写入延期答复告知书）。")
		}
		due, err := s.Deadline(cal, e.On)
		if err != nil {
			return err
		}
		if e.On.After(due.Due) {
			return refuse("答复期限已于%s届满，不能再提请延期。", due.Due)
		}
		s.ExtensionAsked, s.ExtensionAskedDays = e.On, e.Days
	case ExtensionRefused:
		if !org.Allows([]org.Role{e.Role}, org.ActRequestExtend) {
			return errs.E(errs.Forbidden, "是否延长答复期限由政府信息公开工作机构负责人决定（条例第三十三条）。")
		}
		if s.ExtensionAsked.IsZero() {
			return refuse("没有待决定的延期申请。")
		}
		s.ExtensionAsked, s.ExtensionAskedDays = calendar.Date{}, 0
	case FeeNoticed:
		if e.Yuan <= 0 {
			return errs.FieldError("yuan", "收费金额应大于0元。")
		}
		if err := checkService(e); err != nil {
			return err
		}
		if period, err := s.Deadline(cal, e.On); err != nil {
			return err
		} else if e.On.After(period.Due) {
			return refuse("收费通知应在答复期限内发出（条例第四十二条），答复期限已于%s届满。", period.Due)
		}
		// 109号: 20 working days from the day after the applicant received it.
		due, err := cal.AddWorkdays(servedOn(e), FeePayDays, nil)
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "无法计算缴费期限。")
		}
		s.FeeYuan, s.FeeDue, s.Status = e.Yuan, due.Due, StatusAwaitingFee
		if set.StopClockForFee {
			s.feeFrom = e.On
		}
	case FeePaid:
		if e.On.After(s.FeeDue) {
			return refuse("缴费期限已于%s届满。", s.FeeDue)
		}
		s.closeFee(e.On)
		s.Status = StatusProcessing
	case FeeAbandoned:
		if !e.On.After(s.FeeDue) {
			return refuse("缴费期限至%s，期限届满前不能视为放弃申请。", s.FeeDue)
		}
		s.closeFee(e.On)
		s.Status, s.Outcome, s.ConcludedOn = StatusAbandoned, annual.RowOtherNoFee, e.On
	case Decided:
		if !DecisionOutcome(e.Outcome) {
			return errs.FieldError("outcome", "请选择年度报告表三中的办理结果。")
		}
		sub := strings.TrimSpace(e.SubKind)
		if sub == SubWithdrawn {
			return errs.FieldError("sub_kind", "申请人撤回申请请登记“撤回”环节，不作为答复意见。")
		}
		if allowed := subKindsOf[e.Outcome]; sub != "" && !slices.Contains(allowed, "*") && !slices.Contains(allowed, sub) {
			return errs.FieldError("sub_kind", "该办理结果没有“%s”这一情形。", sub)
		}
		if sub == SubAlreadyPublished && e.ItemID <= 0 {
			return errs.FieldError("item", "已主动公开的，请选择已公开的信息，以告知申请人获取的途径（条例第三十六条第（一）项）。")
		}
		switch e.Outcome {
		case annual.RowUnavailableStillUnclear:
			if !s.Corrected {
				return refuse("“补正后申请内容仍不明确”须在告知补正并收到补正后选择（条例第三十条）；本申请没有收到补正。")
			}
		case annual.RowNotProcessedExcessive:
			if !s.ReasonsAsked {
				return refuse("“无正当理由大量反复申请”须先要求申请人说明理由（条例第三十五条）。")
			}
		}
		if err := s.checkObjection(e); err != nil {
			return err
		}
		s.Outcome, s.SubKind, s.PublicInterest = e.Outcome, sub, e.PublicInterest
		s.NeedsReview, s.Reviewed, s.Status = NeedsLegalReview(e.Outcome) || e.PublicInterest, false, StatusDecided
	case ReasonsRequested:
		if s.ReasonsAsked {
			return refuse("已要求申请人说明理由（条例第三十五条）。")
		}
		if err := checkService(e); err != nil {
			return err
		}
		s.ReasonsAsked = true
	case ReasonsAccepted:
		if !s.ReasonsAsked {
			return refuse("须先要求申请人说明理由（条例第三十五条）。")
		}
		if !org.Allows([]org.Role{e.Role}, org.ActRequestExtend) {
			return org.Refusal(org.ActRequestExtend)
		}
		period, err := s.Deadline(cal, e.On)
		if err != nil {
			return err
		}
		if e.On.After(period.Due) {
			return refuse("答复期限已于%s届满，不能再确定延迟答复期限。", period.Due)
		}
		if e.Until.IsZero() || !e.Until.After(period.Due) {
			return errs.FieldError("until", "延迟答复的期限应晚于现在的答复期限（%s）；能在期限内答复的，无需确定延迟期限。", period.Due)
		}
		if e.Until.After(s.ReceivedOn.AddDays(366)) {
			return errs.FieldError("until", "延迟答复的期限应为合理期限，不能超过收到申请后一年。")
		}
		s.LaterDue = e.Until
	case LegalReviewed:
		if !s.NeedsReview {
			return refuse("该办理结果无需法制审核。")
		}
		if e.Role != org.RoleLegal {
			return errs.E(errs.Forbidden, "部分公开和不予公开的答复须经法制审核人员审核。")
		}
		if e.Approved {
			s.Reviewed = true
		} else {
			s.Outcome, s.SubKind, s.NeedsReview, s.Status = "", "", false, StatusProcessing
		}
	case Answered:
		if s.NeedsReview && !s.Reviewed {
			return refuse("部分公开和不予公开的答复须先经法制审核。")
		}
		s.AnsweredOn, s.ConcludedOn, s.Status = e.On, e.On, StatusAnswered
	case Delivered:
		s.Status = StatusDelivered
	case Closed:
		s.Status = StatusClosed
	}
	return nil
}

func (s *State) addPause(from, to calendar.Date, reason string) {
	// The day the letter or notice goes out still counts; the pause runs
	// from the next day to the day the reply (or payment) arrives.
	if f := from.AddDays(1); !to.Before(f) {
		s.Pauses = append(s.Pauses, calendar.Pause{From: f, To: to, Reason: reason})
	}
}

func (s *State) closeFee(on calendar.Date) {
	if !s.feeFrom.IsZero() {
		s.addPause(s.feeFrom, on, "等待缴纳信息处理费（国办函〔2020〕109号）")
		s.feeFrom = calendar.Date{}
	}
}

func (s *State) closePauses(on calendar.Date) {
	s.closeConsult(on)
	s.closeFee(on)
}

// Deadline is the answer due date (第三十三条) as of asOf: 20 working days
// plus any extension from ClockFrom, not counting the pauses; a pause still
// open is counted as running to asOf. The result explains itself
// (Result.Explain).
func (s State) Deadline(cal *calendar.Calendar, asOf calendar.Date) (calendar.Result, error) {
	if s.Status == StatusNew {
		return calendar.Result{}, refuse("申请尚未登记。")
	}
	t := s
	t.Pauses = append([]calendar.Pause(nil), s.Pauses...)
	if asOf.Before(t.ClockFrom) {
		asOf = t.ClockFrom
	}
	// An open consultation pauses the clock to its limit at most: the due
	// date is the one in force if no reply comes (an earlier reply brings
	// it forward). A fee wait runs to asOf.
	if c, ok := t.OpenConsultation(); ok && !c.Limit.IsZero() {
		t.closeConsult(c.Limit)
	}
	t.closePauses(asOf)
	r, err := cal.AddWorkdays(t.ClockFrom, AnswerDays+t.ExtensionDays, t.Pauses)
	if err != nil {
		return r, errs.Wrap(errs.Invalid, err, "无法计算答复期限。")
	}
	if !t.LaterDue.IsZero() && t.LaterDue.After(r.Due) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("经审查申请人说明的理由合理，本机关已按条例第三十五条确定延迟答复的期限至 %s（原期限 %s）", t.LaterDue, r.Due))
		r.Due = t.LaterDue
	}
	return r, nil
}

// ClockRunning reports whether the answer period is running: not concluded,
// not answered, not awaiting a correction, a consultation or (by the
// setting) a fee.
func (s State) ClockRunning() bool {
	switch s.Status {
	case StatusProcessing, StatusDecided:
		return true
	case StatusAwaitingFee:
		return s.feeFrom.IsZero()
	}
	return false
}

// DueOn is the answer due date as of asOf while the clock applies, and
// the zero date when there is none to keep: concluded, answered, or
// awaiting a 补正 (the period will restart, 第三十条).
func (s State) DueOn(cal *calendar.Calendar, asOf calendar.Date) (calendar.Date, error) {
	switch s.Status {
	case StatusNew, StatusAwaitingCorrection, StatusAnswered, StatusDelivered, StatusClosed, StatusAbandoned, StatusWithdrawn:
		return calendar.Date{}, nil
	}
	r, err := s.Deadline(cal, asOf)
	return r.Due, err
}
