package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/redact"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// The applicant's pages (依申请公开 on the portal): the application form and
// its receipt (printable, and as a PDF, with the due date); the status page
// against the receipt number and query code, with the steps the applicant
// is to know of, the documents addressed to him, and the 补正 online while
// one is awaited. Routes in routes_requests.go.

func (s *Server) applyForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "依申请公开")
	p.Crumbs = []Crumb{{"首页", "/"}, {"依申请公开", ""}}
	p.Values = map[string]string{"token": newToken(), "applicant_type": string(requests.NaturalPerson)}
	d := applyFormData()
	if p.SiteReady { // the public log of answered requests, when the unit keeps one
		on, err := s.DB.PublogEnabled(r.Context(), p.Site.ID)
		if err != nil {
			return err
		}
		d["Log"] = on
	}
	p.Data = d
	return s.render(w, "portal/requests_apply", p)
}

// ReceiptPage is the receipt shown once the application is stored.
type ReceiptPage struct {
	App         store.RequestApp
	Code        string
	Type        string
	Attachments []store.RequestAttachment
	Due         string // the answer due date (第三十三条)
}

// applySubmit stores the application and shows the receipt only once the
// transaction has committed. The form's token makes a repeated submission
// (refresh, double click, retry) return the same application.
func (s *Server) applySubmit(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "依申请公开")
	p.Crumbs = []Crumb{{"首页", "/"}, {"依申请公开", ""}}
	if !p.SiteReady {
		return errs.E(errs.Unavailable, "门户网站尚未设置所属单位，暂不能受理申请。")
	}
	a, err := applicationFromForm(r)
	var app store.RequestApp
	var code string
	if err == nil {
		a.Channel = requests.ChannelOnline
		a.ReceivedOn = today() // 第三十一条: online, the day both sides confirm: the submission is acknowledged at once
		a.ClientKey = auth.ClientKey(s.Config.Secret, "apply|"+clientAddr(r))
		app, code, _, err = s.DB.SubmitApplication(r.Context(), audit.Public, p.Site.ID, r.PostFormValue("token"), a)
	}
	if err != nil {
		if err := formError(p, r, err); err != nil {
			return err
		}
		p.Data = applyFormData()
		return s.render(w, "portal/requests_apply", p)
	}
	p.Title = "申请已提交"
	atts, err := s.DB.RequestAttachments(r.Context(), app.ID)
	if err != nil {
		return err
	}
	p.Data = ReceiptPage{App: app, Code: code, Type: app.ApplicantType.Label(), Attachments: atts, Due: app.DueOn}
	return s.render(w, "portal/requests_receipt", p)
}

// applyReceipt gives the receipt as a PDF to keep (受理回执), against the
// receipt number and the query code it shows.
func (s *Server) applyReceipt(w http.ResponseWriter, r *http.Request) error {
	no, code := strings.TrimSpace(r.PostFormValue("receipt_no")), strings.TrimSpace(r.PostFormValue("code"))
	app, err := s.DB.RequestByQueryCode(r.Context(), no, code)
	if err != nil {
		return err
	}
	pdf, err := s.DB.RequestReceiptPDF(r.Context(), app, strings.ToUpper(code))
	if err != nil {
		return err
	}
	serveFile(w, app.ReceiptNo+"-受理回执.pdf", "application/pdf", pdf)
	return nil
}

func (s *Server) applyStatusForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "申请办理进度查询")
	p.Crumbs = []Crumb{{"首页", "/"}, {"依申请公开", "/column/apply"}, {"进度查询", ""}}
	return s.render(w, "portal/requests_status", p)
}

// PublicEvent is an event as the applicant sees it, with what the
// applicant has to know of it: what to correct and by when (第三十条), how
// much to pay and by when (109号), how long the extension is (第三十三条).
type PublicEvent struct {
	On     string
	Label  string
	Detail string
}

// publicEvents are the steps the applicant sees; internal ones (分办, the
// draft decision, legal review, the marking of subjects, the consultation's
// details) are left out.
func publicEvents(cal *calendar.Calendar, set requests.Settings, evs []store.RequestEvent) []PublicEvent {
	var st requests.State
	var pub []PublicEvent
	for _, e := range evs {
		if err := st.Apply(cal, set, e.Event); err != nil {
			break // a history the calendar in force cannot replay: show what came before
		}
		switch e.Kind {
		case requests.LegalReviewed, requests.Decided, requests.Assigned, requests.SubjectsMarked, requests.ConsultServed:
			continue
		}
		pe := PublicEvent{On: e.On.String(), Label: e.Kind.Label()}
		switch e.Kind {
		case requests.CorrectionRequested:
			pe.Detail = "请于" + st.CorrectionDue.String() + "前补正。"
			if e.Note != "" {
				pe.Detail += "需要补正的事项：" + e.Note
			}
		case requests.Corrected:
			pe.Detail = "答复期限自该日起重新计算（条例第三十条）。"
		case requests.FeeNoticed:
			pe.Detail = "信息处理费" + strconv.Itoa(e.Yuan) + "元，请于" + st.FeeDue.String() + "前缴纳（国办函〔2020〕109号）。"
		case requests.Extended:
			pe.Detail = "延长" + strconv.Itoa(e.Days) + "个工作日（条例第三十三条）。"
		case requests.ConsultStarted:
			pe.Detail = "征求意见所需时间不计入答复期限（条例第三十二条、第三十四条）。"
		case requests.ConsultEnded:
			pe.Label, pe.Detail = "征求意见结束", ""
		case requests.ReasonsRequested:
			pe.Detail = "请您说明理由（条例第三十五条）。"
		case requests.ReasonsAccepted:
			pe.Detail = "将于" + dateText(e.Until) + "前答复（条例第三十五条）。"
		}
		pub = append(pub, pe)
	}
	return pub
}

// StatusPage is the applicant's status page.
type StatusPage struct {
	App     store.RequestApp
	Code    string
	Status  string
	Outcome string
	Answer  string
	Letter  bool // the answer letter can be downloaded
	Notices []store.RequestLetterFile
	Events  []PublicEvent
	// The 补正 online: what to correct and by when, whether it can be sent
	// now, how else to send it.
	Correction *CorrectionView
	Done       string // what was just recorded
	// Released are the 区分处理 copies (条例第三十七条) sent with a 部分公开
	// answer, once it is given (routes_redact.go).
	Released []store.RedactRelease
}

// CorrectionView is the 补正 the applicant is asked for.
type CorrectionView struct {
	Items     string
	Due       string
	Open      bool   // the period runs: the form is offered
	Refusal   string // why it cannot be sent online
	ElseWhere string
}

func (s *Server) applyStatus(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "申请办理进度查询")
	p.Crumbs = []Crumb{{"首页", "/"}, {"依申请公开", "/column/apply"}, {"进度查询", ""}}
	no, code := strings.TrimSpace(r.PostFormValue("receipt_no")), strings.TrimSpace(r.PostFormValue("code"))
	var f errs.Fields
	if no == "" {
		f.Add("receipt_no", "请填写申请编号。")
	}
	if code == "" {
		f.Add("code", "请填写查询码。")
	}
	var app store.RequestApp
	err := f.Err()
	if err == nil {
		app, err = s.DB.RequestByQueryCode(r.Context(), no, code)
		if errs.Is(err, errs.NotFound) {
			err = errs.FieldError("code", "申请编号或查询码不正确。")
		}
	}
	if err != nil {
		if err := formError(p, r, err); err != nil {
			return err
		}
		return s.render(w, "portal/requests_status", p)
	}
	return s.renderApplyStatus(w, r, p, app, code, "", http.StatusOK)
}

// renderApplyStatus shows an application's status to its applicant.
func (s *Server) renderApplyStatus(w http.ResponseWriter, r *http.Request, p *Page, app store.RequestApp, code, done string, status int) error {
	ctx := r.Context()
	evs, err := s.DB.RequestEvents(ctx, app.ID)
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
	docs, err := s.DB.RequestLetterFiles(ctx, app.ID)
	if err != nil {
		return err
	}
	m := &StatusPage{App: app, Code: code, Status: app.Status.Label(), Outcome: outcomeLabel(app.Outcome, app.SubKind),
		Events: publicEvents(cal, set, evs), Done: done}
	for _, d := range docs {
		if d.Format == "pdf" && d.Kind != requests.LetterAnswer && d.Kind.ToApplicant() {
			m.Notices = append(m.Notices, d)
		}
	}
	plain := make([]requests.Event, len(evs))
	for i, e := range evs {
		plain[i] = e.Event
		if e.Kind == requests.Answered {
			m.Answer, m.Letter = e.Note, true
		}
	}
	st, err := requests.Replay(cal, set, plain)
	if err != nil {
		return err
	}
	if redact.Releasable(st) {
		if m.Released, err = s.DB.RedactReleases(ctx, app.ID); err != nil {
			return err
		}
	}
	if st.CorrectionAsked && !st.Corrected {
		unit, err := s.DB.Unit(ctx, app.UnitID)
		if err != nil {
			return err
		}
		office, err := s.DB.RequestOffice(ctx, app.UnitID)
		if err != nil {
			return err
		}
		c := &CorrectionView{Due: dateText(st.CorrectionDue), ElseWhere: office.WithDefaults(unit.Name).ElseWhere()}
		for _, e := range evs {
			if e.Kind == requests.CorrectionRequested {
				c.Items = e.Note
			}
		}
		if err := requests.CheckOnlineCorrection(st, today()); err != nil {
			c.Refusal = errs.MessageOf(err)
		} else {
			c.Open = true
		}
		m.Correction = c
	}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	p.Values["receipt_no"] = app.ReceiptNo
	if p.Values["token"] == "" {
		p.Values["token"] = newToken()
	}
	p.Data = m
	return s.renderStatus(w, status, "portal/requests_status", p)
}

// applyCorrect takes the applicant's 补正 online (条例第三十条): the same step
// staff record, dated today. A refusal (after the period, after the
// abandonment) comes back with its reason and how else to send it.
func (s *Server) applyCorrect(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "申请办理进度查询")
	p.Crumbs = []Crumb{{"首页", "/"}, {"依申请公开", "/column/apply"}, {"进度查询", ""}}
	no, code := strings.TrimSpace(r.PostFormValue("receipt_no")), strings.TrimSpace(r.PostFormValue("code"))
	files, ferr := attachmentsFromForm(r)
	app, err := s.DB.RequestByQueryCode(r.Context(), no, code)
	if err != nil {
		return err
	}
	if ferr == nil {
		var got store.RequestApp
		got, err = s.DB.SubmitCorrection(r.Context(), no, code, today(), r.PostFormValue("text"), files)
		if err == nil {
			return s.renderApplyStatus(w, r, p, got, code, "已收到您的补正（"+today().String()+"），答复期限自该日起重新计算。", http.StatusOK)
		}
	} else {
		err = ferr
	}
	if fe := formError(p, r, err); fe != nil {
		return fe
	}
	if errs.CodeOf(err) == errs.Conflict && p.Form == nil {
		// Not a field's fault: the reason, next to the text it was about.
		p.Form = &errs.FormError{Fields: errs.Fields{errs.FieldError("text", "%s", errs.MessageOf(err))}}
	}
	return s.renderApplyStatus(w, r, p, app, code, "", http.StatusUnprocessableEntity)
}

// applyLetter gives the applicant the answer letter (PDF) of an answered
// application, against the receipt number and query code: the copy stored
// when the answer was recorded. The download is audited like any reading
// of the letter.
func (s *Server) applyLetter(w http.ResponseWriter, r *http.Request) error {
	no, code := strings.TrimSpace(r.PostFormValue("receipt_no")), strings.TrimSpace(r.PostFormValue("code"))
	app, err := s.DB.RequestByQueryCode(r.Context(), no, code)
	if err != nil {
		return err
	}
	applicant := audit.Actor{Name: "申请人（凭查询码）"}
	if doc, err := strconv.ParseInt(r.PostFormValue("doc"), 10, 64); err == nil {
		// A notice (or a letter) the status page listed: a PDF addressed to
		// the applicant — the consultation and the third party's letter are
		// not the applicant's, they name the third party.
		docs, err := s.DB.RequestLetterFiles(r.Context(), app.ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(docs, func(f store.RequestLetterFile) bool { return f.ID == doc && f.Format == "pdf" && f.Kind.ToApplicant() })
		if i < 0 {
			return errs.E(errs.NotFound, "文书不存在。")
		}
		lf, err := s.DB.RequestLetterFileContent(r.Context(), applicant, app.ID, doc)
		if err != nil {
			return err
		}
		serveFile(w, app.ReceiptNo+"-"+lf.Kind.Title()+".pdf", "application/pdf", lf.Content)
		return nil
	}
	files, err := s.DB.EnsureRequestAnswerLetter(r.Context(), audit.System("答复书"), app.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Format == "pdf" {
			lf, err := s.DB.RequestLetterFileContent(r.Context(), applicant, app.ID, f.ID)
			if err != nil {
				return err
			}
			serveFile(w, app.ReceiptNo+"-答复书.pdf", "application/pdf", lf.Content)
			return nil
		}
	}
	return errs.E(errs.NotFound, "答复书不存在。")
}
