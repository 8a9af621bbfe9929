package rectify

import (
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// This file holds every rule of the register. Section 五 of the annual
// report states 「存在的主要问题及改进情况」 (条例第五十条第（四）项; 国办公开办函〔2021〕30号,
// 年度报告格式第五部分): how the problems stated in last year's report were
// rectified, and this year's problems. The register keeps what that text
// needs, so the rules below make sure it can be written honestly:
//
//   - A problem belongs to one report year (Fields.Year): the year it was
//     raised in, or the year of the report that stated it. It is never
//     later than the year it is registered in, nor before 2008, the first
//     year of the 条例; its deadline is not before that year begins.
//   - Measures are added while the problem is being rectified; adding or
//     completing one moves a problem from 待整改 to 整改中. A measure is not
//     dated in the future, nor before the problem's year, and is not
//     completed before it was added.
//   - A problem is closed as 已整改 only when at least one measure was taken,
//     on a day not before any measure was added; the measures still under
//     way are completed that day. Its outcome (整改成效) is asked for but may
//     be left blank — SectionFive reports the gap as a finding.
//   - A problem is dropped (不再整改) only with a reason.
//   - A closed problem (已整改 or 不再整改) is not edited and gets no measure;
//     it may be reopened, with a reason, which clears its outcome.
//   - Every step follows the history the user saw (Event.Seq) and does not
//     go back in time.
//
// Who may do what (Authorize):
//
//   - The unit's statisticians (统计), its office head (公开办负责人) and its
//     administrators (系统管理员) manage the register: they register, edit,
//     close, drop and reopen problems, and may do everything the owners do.
//   - The staff of the department that owns a problem (责任部门) may add its
//     measures, correct their wording, mark them completed and report the
//     problem as 整改中 — progress on their own problems, but neither its
//     description, owner or deadline, nor closing it.
//   - A system actor (the demo loader, an importer, the inspection job) may
//     only register problems.
//
// Apply is the state machine, run on every new event and on every replay of
// a stored history, so a history that breaks a rule cannot be stored.

// Kind names what happened to a problem.
type Kind string

// The events of a problem's life.
const (
	EvCreated       Kind = "created"        // 登记问题
	EvEdited        Kind = "edited"         // 修改问题
	EvMeasureAdded  Kind = "measure_added"  // 添加整改措施
	EvMeasureEdited Kind = "measure_edited" // 修改措施表述
	EvMeasureDone   Kind = "measure_done"   // 措施完成
	EvStatus        Kind = "status_changed" // 变更状态（待整改 / 整改中；重新打开）
	EvClosed        Kind = "closed"         // 整改完成（已整改，附整改成效）
	EvDropped       Kind = "dropped"        // 不再整改（附理由）
)

// Kinds lists the event kinds.
var Kinds = []Kind{EvCreated, EvEdited, EvMeasureAdded, EvMeasureEdited, EvMeasureDone, EvStatus, EvClosed, EvDropped}

// Label is the event's Chinese name.
func (k Kind) Label() string {
	switch k {
	case EvCreated:
		return "登记问题"
	case EvEdited:
		return "修改问题"
	case EvMeasureAdded:
		return "添加整改措施"
	case EvMeasureEdited:
		return "修改措施表述"
	case EvMeasureDone:
		return "措施完成"
	case EvStatus:
		return "变更状态"
	case EvClosed:
		return "整改完成"
	case EvDropped:
		return "不再整改"
	}
	return string(k)
}

// Event is one entry of a problem's history.
type Event struct {
	Seq       int // 1, 2, 3… per problem
	Kind      Kind
	At        time.Time
	ActorID   int64
	ActorName string
	// Fields are the problem's fields as registered or edited.
	Fields *Fields
	// Measure numbers the measure an event concerns, from 1
	// (measure_edited, measure_done).
	Measure int
	// Text is the measure's wording (measure_added, measure_edited).
	Text string
	// On is a day: the measure's AddedOn (measure_added), its DoneOn
	// (measure_done), the problem's DoneOn (closed). Zero means the day of At.
	On calendar.Date
	// Status is the status a status_changed event sets: Open or InProgress.
	Status Status
	// Outcome is the rectification's outcome (closed).
	Outcome string
	// Reason explains a drop, or reopening a closed problem.
	Reason string
}

// Limits of the register's texts, in characters.
const (
	MaxDescription = 1000
	MaxMeasure     = 500
	MaxOutcome     = 1000
	MaxReason      = 500
	MaxSourceRef   = 200
	MaxOwnerName   = 50
	// FirstYear is the first report year: the 条例 took effect on 1 May 2008.
	FirstYear = 2008
)

// Normalized returns e with its texts trimmed and a zero On set to the day
// of At (Beijing time), as it is stored.
func (e Event) Normalized() Event {
	e.Text, e.Outcome, e.Reason = strings.TrimSpace(e.Text), strings.TrimSpace(e.Outcome), strings.TrimSpace(e.Reason)
	switch e.Kind {
	case EvMeasureAdded, EvMeasureDone, EvClosed:
		if e.On.IsZero() && !e.At.IsZero() {
			e.On = Today(e.At)
		}
	}
	if e.Fields != nil {
		f := *e.Fields
		f.SourceRef, f.Description, f.OwnerName = strings.TrimSpace(f.SourceRef), strings.TrimSpace(f.Description), strings.TrimSpace(f.OwnerName)
		e.Fields = &f
	}
	return e
}

// Actor is who acts on a problem, with their roles in its unit.
type Actor struct {
	UserID int64
	Name   string
	// DepartmentID is the actor's department in the unit, 0 for none.
	DepartmentID int64
	Roles        []org.Role
	// System marks the demo loader, an importer or a background job.
	System bool
}

// ActorOf builds the actor for a user acting in a unit. The user's
// department counts only in the user's own unit, where it belongs.
func ActorOf(u org.User, unitID int64) Actor {
	a := Actor{UserID: u.ID, Name: u.DisplayName, Roles: u.RolesIn(unitID)}
	if u.UnitID == unitID {
		a.DepartmentID = u.DepartmentID
	}
	return a
}

// SystemActor is a system actor, named for the audit log and the history.
func SystemActor(name string) Actor { return Actor{Name: name, System: true} }

// ManagerRoles are the roles that manage a unit's register.
// They are the declared access policy's roles for org.ActAnnualRectify.
var ManagerRoles = func() []org.Role {
	p, _ := org.PermissionOf(org.ActAnnualRectify)
	return p.Roles
}()

// Manager reports whether the actor manages the unit's register.
func (a Actor) Manager() bool {
	for _, r := range a.Roles {
		for _, m := range ManagerRoles {
			if r == m {
				return true
			}
		}
	}
	return false
}

// Owns reports whether the actor is of the department responsible for p.
func (a Actor) Owns(p Problem) bool {
	return !a.System && a.DepartmentID != 0 && a.DepartmentID == p.OwnerDept
}

// CanView reports whether the actor may see the problem: the register's
// managers and the owner department's staff.
func CanView(p Problem, a Actor) bool { return a.Manager() || a.Owns(p) }

func managerNames() string {
	names := make([]string, len(ManagerRoles))
	for i, r := range ManagerRoles {
		names[i] = "“" + r.Label() + "”"
	}
	return strings.Join(names, "、")
}

// Authorize checks that the actor may cause event e on p (p is the zero
// Problem with its UnitID for EvCreated).
func Authorize(p Problem, e Event, a Actor) error {
	if a.System {
		if e.Kind == EvCreated {
			return nil
		}
		return errs.E(errs.Forbidden, "系统只能登记问题，“%s”须由工作人员办理", e.Kind.Label())
	}
	if a.Manager() {
		return nil
	}
	if a.Owns(p) {
		switch e.Kind {
		case EvMeasureAdded, EvMeasureEdited, EvMeasureDone:
			return nil
		case EvStatus:
			if e.Status == InProgress && !p.Status.Closed() {
				return nil
			}
		}
		return errs.E(errs.Forbidden, "“%s”需要%s角色；责任部门可以添加措施、报告整改进展", e.Kind.Label(), managerNames())
	}
	return errs.E(errs.Forbidden, "管理整改台账需要%s角色；责任部门的工作人员可以对本部门负责的问题添加措施、报告进展", managerNames())
}

// ValidateFields checks a problem's fields as registered or edited on day
// today, reporting every field at fault.
func ValidateFields(f *Fields, today calendar.Date) error {
	var fs errs.Fields
	f.SourceRef, f.Description, f.OwnerName = strings.TrimSpace(f.SourceRef), strings.TrimSpace(f.Description), strings.TrimSpace(f.OwnerName)
	if f.Year < FirstYear || f.Year > today.Year() {
		fs.Add("year", "年度应为 %d 至 %d 年之间（问题属于提出它的年度，或提出它的年报的年度）", FirstYear, today.Year())
	}
	if _, ok := ParseSource(string(f.Source)); !ok {
		fs.Add("source", "请选择问题来源")
	}
	if f.FindingID < 0 || (f.FindingID != 0 && f.Source != FromInspection) {
		fs.Add("source", "来自网站检查发现的问题，来源应为“网站检查”")
	}
	checkText(&fs, "description", "问题描述", f.Description, MaxDescription, true)
	checkText(&fs, "source_ref", "来源说明", f.SourceRef, MaxSourceRef, false)
	checkText(&fs, "owner_name", "责任人", f.OwnerName, MaxOwnerName, false)
	if f.OwnerDept < 0 {
		fs.Add("owner_dept", "请选择责任部门")
	}
	if !f.Deadline.IsZero() && f.Year >= FirstYear && f.Deadline.Year() < f.Year {
		fs.Add("deadline", "整改时限不能早于 %d 年 1 月 1 日（问题所属年度的开始）", f.Year)
	}
	return fs.Err()
}

func checkText(f *errs.Fields, field, label, v string, max int, required bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case required && n == 0:
		f.Add(field, "请填写%s", label)
	case n > max:
		f.Add(field, "%s不能超过 %d 字（现有 %d 字）", label, max, n)
	}
}

func refuse(p Problem, e Event) error {
	return errs.E(errs.Conflict, "该问题当前为“%s”，不能%s", p.Status.Label(), e.Kind.Label())
}

// closedRefusal is the sentence for a change to a closed problem.
func closedRefusal(p Problem, e Event) error {
	return errs.E(errs.Conflict, "该问题已“%s”，不能%s；如需继续整改，请先重新打开", p.Status.Label(), e.Kind.Label())
}

// Apply returns the problem after event e, or a coded error saying why e
// may not happen now. e.Seq must follow p.Events; e.At must not go back in
// time.
func Apply(p Problem, e Event) (Problem, error) {
	e = e.Normalized()
	if e.Seq != p.Events+1 {
		return p, errs.E(errs.Conflict, "该问题已被他人修改，请刷新页面后重试")
	}
	if e.At.IsZero() {
		return p, errs.E(errs.Invalid, "事件缺少时间")
	}
	if !p.UpdatedAt.IsZero() && e.At.Before(p.UpdatedAt) {
		return p, errs.E(errs.Invalid, "事件时间早于上一事件")
	}
	today := Today(e.At)
	next := p
	next.Events, next.UpdatedAt = e.Seq, e.At
	next.Measures = append([]Measure(nil), p.Measures...)
	switch e.Kind {
	case EvCreated, EvEdited:
		if e.Kind == EvCreated && p.Events != 0 {
			return p, errs.E(errs.Conflict, "问题已登记")
		}
		if e.Kind == EvEdited && p.Events == 0 {
			return p, errs.E(errs.Invalid, "问题尚未登记")
		}
		if e.Kind == EvEdited && p.Status.Closed() {
			return p, closedRefusal(p, e)
		}
		if e.Fields == nil {
			return p, errs.E(errs.Invalid, "%s须包含问题的各项内容", e.Kind.Label())
		}
		f := *e.Fields
		if e.Kind == EvEdited {
			// The finding a problem was sent from stays its source.
			f.FindingID = p.FindingID
			if f.FindingID != 0 && f.Source != FromInspection {
				return p, errs.FieldError("source", "该问题来自网站检查发现，来源不能改为“%s”", f.Source.Label())
			}
		}
		if err := ValidateFields(&f, today); err != nil {
			return p, err
		}
		for i, m := range p.Measures {
			if m.AddedOn.Year() < f.Year {
				return p, errs.FieldError("year", "第 %d 项措施添加于 %s，早于 %d 年：年度不能改为 %d", i+1, m.AddedOn, f.Year, f.Year)
			}
		}
		next.Fields = f
		if e.Kind == EvCreated {
			next.Status, next.CreatedAt = Open, e.At
		}
	case EvMeasureAdded:
		if p.Status.Closed() {
			return p, closedRefusal(p, e)
		}
		if err := checkMeasure(e.Text, "measure_text"); err != nil {
			return p, err
		}
		if err := checkDay(e.On, "measure_on", "措施日期", p.Year, today); err != nil {
			return p, err
		}
		next.Measures = append(next.Measures, Measure{Text: e.Text, AddedOn: e.On})
		if p.Status == Open {
			next.Status = InProgress
		}
	case EvMeasureEdited, EvMeasureDone:
		if p.Status.Closed() {
			return p, closedRefusal(p, e)
		}
		if e.Measure < 1 || e.Measure > len(p.Measures) {
			return p, errs.E(errs.Invalid, "第 %d 项措施不存在", e.Measure)
		}
		m := &next.Measures[e.Measure-1]
		if e.Kind == EvMeasureEdited {
			if err := checkMeasure(e.Text, "measure_text"); err != nil {
				return p, err
			}
			if e.Text == m.Text {
				return p, errs.FieldError("measure_text", "措施表述没有改变")
			}
			m.Text = e.Text
			break
		}
		if m.Done() {
			return p, errs.E(errs.Conflict, "第 %d 项措施已于 %s 完成", e.Measure, m.DoneOn)
		}
		if err := checkDay(e.On, "done_on", "完成日期", p.Year, today); err != nil {
			return p, err
		}
		if e.On.Before(m.AddedOn) {
			return p, errs.FieldError("done_on", "完成日期不能早于措施添加的日期 %s", m.AddedOn)
		}
		m.DoneOn = e.On
		if p.Status == Open {
			next.Status = InProgress
		}
	case EvStatus:
		if e.Status != Open && e.Status != InProgress {
			return p, errs.FieldError("status", "请选择“%s”或“%s”；整改完成或不再整改请使用相应的表单", Open.Label(), InProgress.Label())
		}
		if e.Status == p.Status {
			return p, errs.E(errs.Conflict, "该问题当前已是“%s”", p.Status.Label())
		}
		if p.Status.Closed() {
			if e.Reason == "" {
				return p, errs.FieldError("reason", "请填写重新打开的理由")
			}
			if err := checkReason(e.Reason); err != nil {
				return p, err
			}
			next.Outcome, next.DoneOn, next.DropReason = "", calendar.Date{}, ""
		}
		next.Status = e.Status
	case EvClosed:
		if p.Status.Closed() {
			return p, refuse(p, e)
		}
		if len(p.Measures) == 0 {
			return p, errs.E(errs.Invalid, "该问题尚未登记整改措施，不能标记为已整改：请先添加采取的措施")
		}
		if err := checkDay(e.On, "done_on", "整改完成日期", p.Year, today); err != nil {
			return p, err
		}
		for i, m := range p.Measures {
			if e.On.Before(m.AddedOn) {
				return p, errs.FieldError("done_on", "整改完成日期不能早于第 %d 项措施的日期 %s", i+1, m.AddedOn)
			}
		}
		if n := utf8.RuneCountInString(e.Outcome); n > MaxOutcome {
			return p, errs.FieldError("outcome", "整改成效不能超过 %d 字（现有 %d 字）", MaxOutcome, n)
		}
		for i := range next.Measures {
			if !next.Measures[i].Done() {
				next.Measures[i].DoneOn = e.On
			}
		}
		next.Status, next.DoneOn, next.Outcome = Done, e.On, e.Outcome
	case EvDropped:
		if p.Status.Closed() {
			return p, refuse(p, e)
		}
		if e.Reason == "" {
			return p, errs.FieldError("reason", "请填写不再整改的理由")
		}
		if err := checkReason(e.Reason); err != nil {
			return p, err
		}
		next.Status, next.DropReason = Dropped, e.Reason
	default:
		return p, errs.E(errs.Invalid, "未知操作“%s”", e.Kind)
	}
	return next, nil
}

func checkMeasure(text, field string) error {
	var f errs.Fields
	checkText(&f, field, "整改措施", text, MaxMeasure, true)
	return f.Err()
}

func checkReason(text string) error {
	var f errs.Fields
	checkText(&f, "reason", "理由", text, MaxReason, true)
	return f.Err()
}

// checkDay checks a day of the register: not in the future, not before the
// problem's year.
func checkDay(d calendar.Date, field, label string, year int, today calendar.Date) error {
	switch {
	case d.IsZero():
		return errs.FieldError(field, "请填写%s", label)
	case d.After(today):
		return errs.FieldError(field, "%s不能晚于今天（%s）", label, today)
	case d.Year() < year:
		return errs.FieldError(field, "%s不能早于问题所属年度 %d 年", label, year)
	}
	return nil
}

// Replay folds a stored history into the problem it describes, checking
// each event as it goes.
func Replay(id, unitID int64, events []Event) (Problem, error) {
	p := Problem{ID: id, UnitID: unitID}
	for _, e := range events {
		var err error
		if p, err = Apply(p, e); err != nil {
			return p, errs.Wrap(errs.CodeOf(err), err, "第 %d 个事件（%s）：%s", e.Seq, e.Kind.Label(), errs.MessageOf(err))
		}
	}
	return p, nil
}
