package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// The application page (/admin/requests/{id}): what was asked, the
// history in Chinese, the due date explained, and one form for each step
// the user may take now (requests.StepsFor: what the state machine and the
// access policy accept today). A step that fails is shown again with what
// was typed and its error next to the field, in red, with HTTP 422; the
// green banner is for what was recorded. Routes in routes_requests.go.

// Similar is an earlier application by the same applicant.
type Similar struct {
	App        store.RequestApp
	Similarity int // percent
}

// EventRow is an event of the history as the page lists it.
type EventRow struct {
	Seq      int
	On       string
	Label    string
	Detail   string
	Recorder string // the person, by name
}

// StepView is a step's form.
type StepView struct {
	Kind   string
	Role   org.Role
	Legend string
}

// Choice is an option of a select or radio group.
type Choice struct{ Key, Label string }

// RequestPage is the model of the application page.
type RequestPage struct {
	App           store.RequestApp
	UnitName      string
	Private       bool // the applicant's details are hidden from this user
	IDNumber      string
	Channel       string
	Status        string
	Outcome       string // the concluded outcome, in Chinese
	Decided       string // the decision awaiting review or answer, in Chinese
	Assignee      string
	Due, Explain  string
	Lapsed        string // an open consultation's limit passed without a reply
	Consult       *requests.Consultation
	CorrectionDue string
	FeeDue        string
	FeeYuan       int
	State         requests.State
	Events        []EventRow
	Steps         []StepView
	Failed        string // the form that failed ("" when none)
	FailedError   string // its error, when not a field's
	Similar       []Similar
	// AlsoAsked are other applicants' similar applications (条例第四十四条,
	// requests_proactive.go); Proactive is set when they make the signal.
	AlsoAsked       []requests.Asked
	Proactive       bool
	ProactiveSet    requests.ProactiveSettings
	Excessive       bool
	Recent          int
	Attachments     []store.RequestAttachment
	Letters         []store.RequestLetterFile
	HasAnswerLetter bool
	MaxAttachments  int
	Subjects        []string
	Retired         []string
	SubjectList     []string
	Handlers        []org.User
	Me              int64
	Outcomes        []Choice
	Replies         []Choice
	Channels        []Choice
	Parties         []Choice
	Objection       *requests.Consultation // the third party's objection a decision must answer
	FeeQuote        string
	Concluded       bool
	AppealKinds     []annual.Group
	MayAppeal       bool
	MayAttach       bool
	Today           string
	SubConsult      string
	SubPublished    string
	SubNotOurs      string
}

// stepLegends are the steps' form titles.
var stepLegends = map[requests.Kind]string{
	requests.Assigned:            "分办",
	requests.SubjectsMarked:      "标注申请内容（可多选；计入年度报告第一部分“依申请公开办理情况”）",
	requests.CorrectionRequested: "告知补正（收到申请之日起7个工作日内，一次性告知，条例第三十条）",
	requests.Corrected:           "收到补正（答复期限重新起算）",
	requests.CorrectionAbandoned: "逾期未补正，视为放弃申请",
	requests.ConsultStarted:      "征求第三方或其他机关意见（条例第三十二条、第三十四条；期间不计入答复期限）",
	requests.ConsultServed:       "登记征求意见书送达日期（回执上的收件日期）",
	requests.ConsultEnded:        "登记征求意见的答复",
	requests.ReasonsRequested:    "要求申请人说明理由（申请数量、频次明显超过合理范围，条例第三十五条）",
	requests.ReasonsAccepted:     "理由合理，确定延迟答复的期限（条例第三十五条）",
	requests.ExtensionRequested:  "提请延长答复期限（由公开办负责人决定，条例第三十三条）",
	requests.Extended:            "延长答复期限（最长20个工作日，条例第三十三条）",
	requests.ExtensionRefused:    "不同意延期",
	requests.FeeNoticed:          "发出信息处理费收费通知（国办函〔2020〕109号）",
	requests.FeePaid:             "申请人已缴费",
	requests.FeeAbandoned:        "逾期未缴费，视为放弃申请",
	requests.Decided:             "拟定答复意见",
	requests.LegalReviewed:       "法制审核（部分公开、不予公开、因公共利益决定公开）",
	requests.Answered:            "作出答复",
	requests.Delivered:           "送达答复书",
	requests.Closed:              "办结归档",
	requests.Withdrawn:           "申请人撤回申请",
}

func (s *Server) requestView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "申请")
	if err := s.fillRequestPage(r, p, id, "", nil); err != nil {
		return err
	}
	return s.render(w, "admin/requests_view", p)
}

// requestFailed shows the application page again after a step failed:
// the failed form with what was typed and its error in red, HTTP 422.
// Errors that are not the user's (a database fault) go to the error page.
func (s *Server) requestFailed(w http.ResponseWriter, r *http.Request, id int64, form string, err error) error {
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Conflict, errs.Forbidden:
	default:
		return err
	}
	p := s.page(w, r, "申请")
	if ferr := formError(p, r, err); ferr != nil {
		// Forbidden: not a form error, shown in the form all the same.
		p.Error = errs.MessageOf(err)
		p.Values = map[string]string{}
		for k, v := range r.PostForm {
			if k != "csrf" && len(v) > 0 {
				p.Values[k] = v[0]
			}
		}
	}
	if err := s.fillRequestPage(r, p, id, form, err); err != nil {
		return err
	}
	return s.renderStatus(w, http.StatusUnprocessableEntity, "admin/requests_view", p)
}

// fillRequestPage builds the page model; failed names the form that failed
// with ferr.
func (s *Server) fillRequestPage(r *http.Request, p *Page, id int64, failed string, ferr error) error {
	ctx := r.Context()
	u := userOf(r)
	app, err := s.DB.RequestApplication(ctx, id)
	if err != nil {
		return err
	}
	if !u.May(app.UnitID, org.ActRequestView) {
		return errs.E(errs.NotFound, "申请不存在。")
	}
	m := &RequestPage{App: app, Private: !canSeeApplicant(u, app.UnitID), Failed: failed, Me: u.ID,
		MaxAttachments: requests.MaxAttachments, Today: today().String(), Channel: requests.ChannelLabel(app.Channel),
		SubConsult: requests.SubConsultChannel, SubPublished: requests.SubAlreadyPublished, SubNotOurs: requests.SubNotThisAgency,
		AppealKinds: annual.Table4Groups}
	if unit, err := s.DB.Unit(ctx, app.UnitID); err == nil {
		m.UnitName = unit.Name
	}
	if failed != "" {
		var ae *errs.Error
		var fe *errs.FormError
		if !asApp(ferr, &ae) || ae.Field == "" {
			if !asForm(ferr, &fe) {
				m.FailedError = errs.MessageOf(ferr)
			}
		}
	}
	if m.Private {
		m.App.Name, m.App.IDMasked, m.App.Phone, m.App.Address, m.App.Email = "", "", "", "", ""
	} else {
		// Each view of the applicant's details is recorded in the audit log.
		if m.IDNumber, err = s.DB.RequestApplicantID(ctx, actorOf(r), id); err != nil {
			return err
		}
		if m.Attachments, err = s.DB.RequestAttachments(ctx, id); err != nil {
			return err
		}
		if m.Letters, err = s.DB.RequestLetterFiles(ctx, id); err != nil {
			return err
		}
		m.HasAnswerLetter = hasKind(m.Letters, requests.LetterAnswer)
	}
	users, err := s.DB.Users(ctx)
	if err != nil {
		return err
	}
	people := make(map[int64]string, len(users))
	for _, x := range users {
		people[x.ID] = x.DisplayName
		if !x.Disabled && x.Has(org.RoleHandler, app.UnitID) {
			m.Handlers = append(m.Handlers, x)
		}
	}
	evs, err := s.DB.RequestEvents(ctx, id)
	if err != nil {
		return err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	set, err := s.DB.RequestSettings(ctx)
	if err != nil {
		return err
	}
	plain := make([]requests.Event, len(evs))
	for i, e := range evs {
		plain[i] = e.Event
	}
	st, err := requests.Replay(cal, set, plain)
	if err != nil {
		return err
	}
	m.State, m.Status, m.Assignee = st, st.Status.Label(), people[st.Assignee]
	now := today()
	if d, err := st.DueOn(cal, now); err == nil && !d.IsZero() {
		res, _ := st.Deadline(cal, now)
		m.Due, m.Explain = d.String(), res.Explain()
	}
	if c, ok := st.OpenConsultation(); ok {
		m.Consult = &c
		if c.Lapsed(now) {
			m.Lapsed = "征求" + c.Party.Label() + "意见的期限已于" + c.Limit.String() + "届满（自对方收到之日起15个工作日），未收到答复：答复期限已恢复计算，请登记“期满未答复”后作出决定（条例第三十二条、第三十四条）。"
		}
	}
	if obj, ok := st.ThirdPartyObjection(); ok {
		m.Objection = &obj
	}
	if st.Status == requests.StatusAwaitingCorrection {
		m.CorrectionDue = dateText(st.CorrectionDue)
	}
	if st.Status == requests.StatusAwaitingFee {
		m.FeeDue, m.FeeYuan = dateText(st.FeeDue), st.FeeYuan
	}
	if app.ConcludedOn != "" {
		m.Outcome, m.Concluded = outcomeLabel(app.Outcome, app.SubKind), true
	}
	if st.Status == requests.StatusDecided {
		m.Decided = outcomeLabel(st.Outcome, st.SubKind)
	}
	for _, e := range evs {
		m.Events = append(m.Events, EventRow{Seq: e.Seq, On: e.On.String(), Label: e.Kind.Label(), Detail: eventDetail(e.Event, people),
			Recorder: recorderName(e, people)})
	}
	// The steps the user may take now.
	for _, step := range requests.StepsFor(cal, set, st, u.RolesIn(app.UnitID), u.ID, now) {
		m.Steps = append(m.Steps, StepView{Kind: string(step.Kind), Role: step.Role, Legend: stepLegends[step.Kind]})
	}
	m.MayAppeal = m.Concluded && u.May(app.UnitID, org.ActRequestHandle)
	m.MayAttach = !m.Private && u.May(app.UnitID, org.ActRequestHandle) && len(m.Attachments) < requests.MaxAttachments
	// What the forms offer.
	for _, spec := range annual.Table3Rows {
		if requests.DecisionOutcome(spec.Key) {
			m.Outcomes = append(m.Outcomes, Choice{string(spec.Key), outcomeLabel(spec.Key, "")})
		}
	}
	for _, c := range requests.ServiceChannels {
		m.Channels = append(m.Channels, Choice{string(c.Channel), c.Label + "（收到日期为" + c.Served + "）"})
	}
	m.Parties = []Choice{{string(requests.PartyThird), "第三方（条例第三十二条）"}, {string(requests.PartyAgency), "其他机关（共同制作，条例第三十四条）"}}
	party := requests.PartyThird
	if m.Consult != nil {
		party = m.Consult.Party
	}
	m.Replies = []Choice{{string(requests.ReplyAgreed), requests.ReplyAgreed.Label(party)}, {string(requests.ReplyObjected), requests.ReplyObjected.Label(party)}}
	if m.Lapsed != "" {
		m.Replies = append(m.Replies, Choice{string(requests.ReplyNone), requests.ReplyNone.Label(party)})
	}
	if _, m.FeeQuote, err = s.DB.RequestFeeQuote(ctx, id, requests.PerRequest, 0); err != nil {
		return err
	}
	if m.SubjectList, _, err = s.DB.RequestSubjectList(ctx, app.UnitID); err != nil {
		return err
	}
	m.Subjects = st.Subjects
	for _, x := range st.Subjects {
		if !slices.Contains(m.SubjectList, x) {
			m.Retired = append(m.Retired, x)
		}
	}
	if !m.Private {
		earlier, err := s.DB.RequestsByApplicant(ctx, app)
		if err != nil {
			return err
		}
		for _, e := range earlier {
			if app.ReceivedOn.Sub(e.ReceivedOn) <= 30 {
				m.Recent++
			}
			if sim := requests.Similarity(app.Description, e.Description); sim >= requests.SimilarThreshold {
				m.Similar = append(m.Similar, Similar{App: e, Similarity: int(sim * 100)})
			}
		}
		m.Recent++
		m.Excessive = m.Recent >= requests.ExcessiveCount
	}
	if err := s.alsoAsked(ctx, app, m); err != nil {
		return err
	}
	p.Title = "申请 " + app.ReceiptNo
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {app.ReceiptNo, ""}}
	p.Data = m
	return nil
}

// recorderName names the person who recorded an event (the staff member's
// name, not the username), or the public or the system as recorded.
func recorderName(e store.RequestEvent, people map[int64]string) string {
	if n := people[e.ActorID]; e.ActorID != 0 && n != "" {
		return n
	}
	if strings.HasPrefix(e.ActorName, "系统(") {
		return "系统"
	}
	return e.ActorName
}

// eventDetail is what an event's row says, in Chinese.
func eventDetail(e requests.Event, people map[int64]string) string {
	var parts []string
	add := func(format string, args ...any) { parts = append(parts, fmt.Sprintf(format, args...)) }
	switch e.Kind {
	case requests.Assigned:
		add("承办人：%s", people[e.Assignee])
	case requests.SubjectsMarked:
		add("申请内容：%s", strings.Join(e.Subjects, "、"))
	case requests.CorrectionRequested:
		add("需要补正的事项：%s", e.Note)
		e.Note = ""
	case requests.ConsultStarted:
		add("征求%s意见", e.Party.Label())
		if e.PartyName != "" {
			add("（%s）", e.PartyName)
		}
		if e.SentBy != "" {
			add("，%s，对方收到日期 %s", requests.ServiceLabel(e.SentBy), dateText(e.ServedOn))
		}
	case requests.ConsultServed:
		add("征求意见书于 %s 送达", e.On)
	case requests.ConsultEnded:
		if e.Reply != "" {
			add("答复：%s", e.Reply.Label(e.Party))
		}
	case requests.Extended:
		add("延长%d个工作日", e.Days)
	case requests.FeeNoticed:
		add("收费%d元", e.Yuan)
		if e.SentBy != "" {
			add("，%s，申请人收到日期 %s", requests.ServiceLabel(e.SentBy), dateText(e.ServedOn))
		}
	case requests.ReasonsRequested:
		if e.SentBy != "" {
			add("%s，申请人收到日期 %s", requests.ServiceLabel(e.SentBy), dateText(e.ServedOn))
		}
	case requests.ReasonsAccepted:
		add("延迟至 %s 答复", dateText(e.Until))
	case requests.Decided:
		add("办理结果：%s", outcomeLabel(e.Outcome, e.SubKind))
		if e.ItemID != 0 {
			add("（已公开信息 /items/%d）", e.ItemID)
		}
		if e.PartyName != "" {
			add("（负责公开的机关：%s %s）", e.PartyName, e.Contact)
		}
		if e.PublicInterest {
			add("；第三方不同意公开，因不公开会对公共利益造成重大影响决定公开")
		}
	case requests.LegalReviewed:
		if e.Approved {
			add("同意")
		} else {
			add("不同意，退回重拟")
		}
	}
	if e.Note != "" {
		if len(parts) > 0 {
			add("。")
		}
		add("%s", e.Note)
	}
	return strings.Join(parts, "")
}

func dateText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// requestEvent records a step from its form, with the documents it sends,
// in one store call. The role the user acts in is the one requests.StepsFor
// offered the step in; the store decides again, in its transaction, on the
// roles held now.
func (s *Server) requestEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	app, err := s.Steps.RequestApplication(r.Context(), id)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.May(app.UnitID, org.ActRequestView) {
		return errs.E(errs.NotFound, "申请不存在。")
	}
	kind := requests.Kind(r.PostFormValue("kind"))
	fail := func(err error) error { return s.requestFailed(w, r, id, string(kind), err) }
	e, err := s.stepFromForm(r, app, kind)
	if err != nil {
		return fail(err)
	}
	// One call: the step, its letter or notices and their audit entries in
	// one transaction (store.RecordRequestStep); a document that cannot be
	// written refuses the step with the reason, shown on the form.
	rec, err := s.Steps.RecordRequestStep(r.Context(), actorOf(r), id, e)
	if err != nil {
		return fail(err)
	}
	done := "已记录：" + kind.Label() + "。"
	for _, nk := range rec.Notices {
		done += "已生成" + nk.Title() + "。"
	}
	s.setFlash(w, done)
	http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// stepFromForm reads a step's form into an event.
func (s *Server) stepFromForm(r *http.Request, app store.RequestApp, kind requests.Kind) (requests.Event, error) {
	u := userOf(r)
	f := r.PostFormValue
	e := requests.Event{Kind: kind, Outcome: annual.RowKey(f("outcome")), SubKind: strings.TrimSpace(f("sub_kind")),
		Approved: f("approved") == "1", Note: strings.TrimSpace(f("note"))}
	// The role: the one the policy gives this step among the user's roles
	// in the unit, the wider first (the office head assigns, not claims).
	for _, role := range []org.Role{org.RoleOfficeHead, org.RoleLegal, org.RoleHandler} {
		if !u.Has(role, app.UnitID) {
			continue
		}
		probe := e
		probe.Role = role
		if org.Allows([]org.Role{role}, requests.ActionOf(probe)) {
			e.Role = role
			break
		}
	}
	var fields errs.Fields
	date := func(name, label string, required bool) calendar.Date {
		v := strings.TrimSpace(f(name))
		if v == "" {
			if required {
				fields.Add(name, "请填写%s。", label)
			}
			return calendar.Date{}
		}
		d, err := calendar.ParseDate(v)
		if err != nil {
			fields.Add(name, "请按“2024-03-01”的格式填写%s。", label)
		}
		return d
	}
	if kind == requests.SubjectsMarked {
		// Marked on the day it is recorded.
		e.Subjects, e.On = r.PostForm["subject"], today()
	} else {
		// Not after today (requests.CheckRecordedStep, which the store
		// applies again): said here with the form's other fields.
		e.On = date("on", "日期", true)
		var fe *errs.Error
		if err := requests.CheckRecordedStep(e, today()); asApp(err, &fe) {
			fields = append(fields, fe)
		}
	}
	switch kind {
	case requests.Assigned:
		e.Assignee, _ = strconv.ParseInt(f("assignee"), 10, 64)
	case requests.ConsultStarted, requests.FeeNoticed, requests.ReasonsRequested:
		e.SentBy, e.ServedOn = requests.Channel(f("sent_by")), date("served_on", "对方收到的日期", false)
		if kind == requests.ConsultStarted {
			e.Party, e.PartyName = requests.Party(f("party")), strings.TrimSpace(f("party_name"))
		}
	case requests.ConsultEnded:
		e.Reply = requests.Reply(f("reply"))
	case requests.ReasonsAccepted:
		e.Until = date("until", "延迟答复的期限", true)
	case requests.Extended, requests.ExtensionRequested:
		if v := strings.TrimSpace(f("days")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				fields.Add("days", "请填写延长的工作日数（数字）。")
			}
			e.Days = n
		}
	case requests.Decided:
		switch e.SubKind {
		case requests.SubAlreadyPublished:
			if v := strings.TrimSpace(f("item")); v != "" {
				n, err := strconv.ParseInt(strings.TrimPrefix(v, "/items/"), 10, 64)
				if err != nil || n <= 0 {
					fields.Add("item", "请填写已公开信息的编号（门户网站网址 /items/ 后的数字）。")
				}
				e.ItemID = n
			}
		case requests.SubNotThisAgency:
			e.PartyName, e.Contact = strings.TrimSpace(f("agency")), strings.TrimSpace(f("contact"))
		}
		e.PublicInterest = f("public_interest") == "1"
	}
	if err := fields.Err(); err != nil {
		return e, err
	}
	if kind == requests.FeeNoticed {
		// The amount is computed per 国办函〔2020〕109号 from the basis the
		// handler chooses, never typed: per request from the applicant's
		// count in the month, per page from the volume.
		e.Basis = requests.FeeBasis(f("fee_basis"))
		if e.Basis == requests.PerPage {
			pages, err := strconv.Atoi(strings.TrimSpace(f("pages")))
			if err != nil || pages < 1 {
				return e, errs.FieldError("pages", "按量计收的，请填写页数（正整数）。")
			}
			e.Pages = pages
		}
		// The store computes the amount in the recording transaction and
		// refuses a fee of zero (requests.CheckFeeQuote).
	}
	return e, nil
}

// stepField is a field of a step's form: what was typed when that form
// failed, its default otherwise, and its error.
type stepField struct{ ID, Name, Label, Hint, Value, Error string }

// failedForm is the form that failed on the page, if any.
func failedForm(p *Page) string {
	if m, ok := p.Data.(*RequestPage); ok {
		return m.Failed
	}
	return ""
}

func stepValue(p *Page, form, name, def string) string {
	if failedForm(p) == form && p.Values != nil {
		return p.Value(name)
	}
	return def
}

func stepError(p *Page, form, name string) string {
	if failedForm(p) == form {
		return p.FieldError(name)
	}
	return ""
}

func init() {
	funcs["stepArgs"] = func(p *Page, s StepView) map[string]any { return map[string]any{"P": p, "S": s} }
	funcs["sf"] = func(p *Page, form, name, label, hint, def string) stepField {
		return stepField{ID: "f-" + form + "-" + name, Name: name, Label: label, Hint: hint, Value: stepValue(p, form, name, def), Error: stepError(p, form, name)}
	}
	funcs["sv"] = stepValue
	funcs["se"] = stepError
	funcs["choices"] = func(f stepField, cs []Choice) map[string]any { return map[string]any{"F": f, "Choices": cs} }
	funcs["handlerChoices"] = func(us []org.User) []Choice {
		var out []Choice
		for _, u := range us {
			out = append(out, Choice{strconv.FormatInt(u.ID, 10), u.DisplayName})
		}
		return out
	}
	funcs["feeBases"] = func() []Choice {
		return []Choice{{string(requests.PerRequest), "按件计收"}, {string(requests.PerPage), "按量计收"}}
	}
	funcs["approvals"] = func() []Choice { return []Choice{{"1", "同意"}, {"0", "不同意，退回重拟"}} }
	funcs["extDays"] = func(asked int) string {
		if asked > 0 {
			return strconv.Itoa(asked)
		}
		return "20"
	}
}
