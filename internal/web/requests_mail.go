package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// Applications by e-mail (条例第二十九条、第三十一条): the messages read from
// the unit's mailbox or piped by its mail server wait here for a handler,
// who confirms with the applicant and registers the application (or takes
// a reply to a 补正 notice as the correction), or sets the message aside.
func (s *Server) mailRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/mail", s.staff(s.mailList))
	mux.Handle("GET /admin/mail/{id}", s.staff(s.mailView))
	mux.Handle("POST /admin/mail/{id}/confirm", s.staff(s.mailConfirm))
	mux.Handle("POST /admin/mail/{id}/correction", s.staff(s.mailCorrection))
	mux.Handle("POST /admin/mail/{id}/reject", s.staff(s.mailReject))
	mux.Handle("GET /admin/mail/{id}/attachments/{aid}", s.staff(s.mailAttachment))
}

// mailTabs are the list's views: what awaits a handler, what was kept
// apart, what was done.
var mailTabs = []struct{ Status, Label string }{
	{store.MailPending, "待确认"},
	{store.MailApart, "垃圾邮件、退信和自动回复"},
	{store.MailRegistered, "已登记"},
	{store.MailCorrected, "已作为补正"},
	{store.MailRejected, "不予登记"},
	{store.MailSpam, "已标为垃圾邮件"},
}

type mailListPage struct {
	Tabs   []struct{ Status, Label string }
	Status string
	Rows   []store.MailMessage
	Units  map[int64]string
}

func (s *Server) mailList(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestRegister)
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	ok := false
	for _, t := range mailTabs {
		ok = ok || t.Status == status
	}
	if !ok {
		status = store.MailPending
	}
	ids := make([]int64, len(units))
	names := map[int64]string{}
	for i, u := range units {
		ids[i], names[u.ID] = u.ID, u.Name
	}
	rows, err := s.DB.MailMessages(r.Context(), ids, status, 200)
	if err != nil {
		return err
	}
	p := s.page(w, r, "申请邮件")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"申请邮件", ""}}
	p.Data = mailListPage{Tabs: mailTabs, Status: status, Rows: rows, Units: names}
	return s.render(w, "admin/requests_mail_list", p)
}

// mailOf loads a message the user may register applications of.
func (s *Server) mailOf(r *http.Request) (store.MailMessage, error) {
	id, err := pathID(r)
	if err != nil {
		return store.MailMessage{}, err
	}
	m, err := s.DB.MailMessage(r.Context(), id)
	if err != nil {
		return m, err
	}
	if !userOf(r).May(m.UnitID, org.ActRequestRegister) {
		return m, errs.E(errs.NotFound, "邮件不存在。")
	}
	return m, nil
}

type mailViewPage struct {
	Mail       store.MailMessage
	Unit       string
	Target     store.RequestApp // the application a reply names
	HasTarget  bool
	Pending    bool
	Correction bool
	SeeFiles   bool
	Types      []requests.ApplicantType
	Forms      []string
	Deliveries []string
	StatusText string
}

func (s *Server) mailView(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mailOf(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "申请邮件")
	p.Values = map[string]string{"received_on": today().String(), "applicant_type": string(requests.NaturalPerson), "name": m.FromName,
		"email": m.From, "description": m.Body, "form": "电子文档", "delivery": "电子邮件"}
	if canSeeApplicant(userOf(r), m.UnitID) && m.Status == store.MailPending {
		// The identity numbers found in the text, sealed on arrival,
		// opened for the handler who registers it (and logged).
		ids, err := s.DB.MailIDNumbers(r.Context(), actorOf(r), m.ID)
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			p.Values["id_number"] = ids[0]
			if _, err := requests.ValidateCreditCode(ids[0]); err == nil {
				p.Values["applicant_type"] = "" // an organisation: the handler chooses which kind
			}
		}
	}
	return s.renderMail(w, r, p, m)
}

func (s *Server) renderMail(w http.ResponseWriter, r *http.Request, p *Page, m store.MailMessage) error {
	d := mailViewPage{Mail: m, Pending: m.Status == store.MailPending, Correction: m.Purpose == store.MailForCorrection,
		SeeFiles: canSeeApplicant(userOf(r), m.UnitID), Types: requests.ApplicantTypes, Forms: requests.Forms, Deliveries: requests.Deliveries,
		StatusText: store.MailStatusLabel(m.Status)}
	if u, err := s.DB.Unit(r.Context(), m.UnitID); err == nil {
		d.Unit = u.Name
	}
	if m.TargetID != 0 {
		if app, err := s.DB.RequestApplication(r.Context(), m.TargetID); err == nil {
			d.Target, d.HasTarget = app, true
		}
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"申请邮件", "/admin/mail"}, {"邮件 " + strconv.FormatInt(m.ID, 10), ""}}
	p.Data = d
	return s.render(w, "admin/requests_mail", p)
}

// confirmDay reads the day the handler confirmed with the applicant: the
// date of receipt of 数据电文 (第三十一条), not later than today.
func confirmDay(r *http.Request) (calendar.Date, error) {
	d, err := calendar.ParseDate(strings.TrimSpace(r.PostFormValue("received_on")))
	if err != nil {
		return d, errs.FieldError("received_on", "请按“2024-03-01”的格式填写与申请人确认的日期（条例第三十一条）。")
	}
	if d.After(today()) {
		return d, errs.FieldError("received_on", "确认日期不能晚于今天。")
	}
	return d, nil
}

// mailConfirm registers the application, then replies to the sender with
// the receipt number and query code over SMTP; a reply that cannot be sent
// leaves the registration standing and says so.
func (s *Server) mailConfirm(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mailOf(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p := s.page(w, r, "申请邮件")
	on, err := confirmDay(r)
	if err == nil {
		a := requests.Application{ApplicantType: requests.ApplicantType(r.PostFormValue("applicant_type")), Name: r.PostFormValue("name"),
			IDNumber: r.PostFormValue("id_number"), Phone: r.PostFormValue("phone"), Address: r.PostFormValue("address"), Email: r.PostFormValue("email"),
			Description: r.PostFormValue("description"), Form: r.PostFormValue("form"), Delivery: r.PostFormValue("delivery")}
		if userOf(r).Has(org.RoleHandler, m.UnitID) {
			a.AssignTo = userOf(r).ID
		}
		var app store.RequestApp
		var code string
		app, code, err = s.DB.ConfirmMail(r.Context(), actorOf(r), m.ID, on, a)
		if err == nil {
			msg := "已登记申请 " + app.ReceiptNo + "，查询码 " + code + "。" + s.mailReceiptReply(r, m, app, code)
			s.setFlash(w, msg)
			http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(app.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	if err := formError(p, r, err); err != nil {
		return err
	}
	return s.renderMail(w, r, p, m)
}

// mailReceiptReply sends the receipt reply and says how it went.
func (s *Server) mailReceiptReply(r *http.Request, m store.MailMessage, app store.RequestApp, code string) string {
	srv, err := s.DB.RequestSMTP(r.Context())
	if err != nil || !srv.Configured() {
		return "未配置发信邮件服务器，请另行将申请编号和查询码告知申请人。"
	}
	unit := ""
	if u, err := s.DB.Unit(r.Context(), app.UnitID); err == nil {
		unit = u.Name
	}
	due, _ := calendar.ParseDate(app.DueOn)
	subject, body := requests.MailReceiptText(unit, app.ReceiptNo, code, app.ReceivedOn, due)
	if err := srv.SendReply([]string{m.From}, subject, body, m.MessageID); err != nil {
		return "回复邮件未能发出（" + errs.MessageOf(err) + "），请另行将申请编号和查询码告知申请人。"
	}
	return "已通过电子邮件将申请编号和查询码告知申请人（" + m.From + "）。"
}

func (s *Server) mailCorrection(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mailOf(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p := s.page(w, r, "申请邮件")
	on, err := confirmDay(r)
	if err == nil {
		var app store.RequestApp
		if app, err = s.DB.ConfirmMailCorrection(r.Context(), actorOf(r), m.ID, on); err == nil {
			s.setFlash(w, "已将这封邮件作为申请 "+app.ReceiptNo+" 的补正，答复期限自"+on.String()+"起重新计算。")
			http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(app.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	if err := formError(p, r, err); err != nil {
		return err
	}
	return s.renderMail(w, r, p, m)
}

func (s *Server) mailReject(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mailOf(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	status := store.MailRejected
	if r.PostFormValue("as") == store.MailSpam {
		status = store.MailSpam
	}
	if err := s.DB.RejectMail(r.Context(), actorOf(r), m.ID, status, r.PostFormValue("note")); err != nil {
		p := s.page(w, r, "申请邮件")
		if err := formError(p, r, err); err != nil {
			return err
		}
		return s.renderMail(w, r, p, m)
	}
	s.setFlash(w, "邮件 "+strconv.FormatInt(m.ID, 10)+" "+store.MailStatusLabel(status)+"。")
	http.Redirect(w, r, "/admin/mail", http.StatusSeeOther)
	return nil
}

func (s *Server) mailAttachment(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mailOf(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "附件不存在。")
	}
	a, err := s.DB.MailAttachmentContent(r.Context(), actorOf(r), m.ID, aid)
	if err != nil {
		return err
	}
	serveFile(w, a.Name, a.ContentType, a.Content)
	return nil
}
