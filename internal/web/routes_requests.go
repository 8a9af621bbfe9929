package web

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// 依申请公开 (issue 4): the portal's application form, receipt and status
// lookup; the back office's worklist, application page with the legal next
// steps, staff registration, and tables 三/四 with each cell linked to the
// applications it counts.
func (s *Server) requestsRoutes(mux *http.ServeMux) {
	mux.Handle("GET /column/apply", s.public(s.applyForm))
	mux.Handle("POST /column/apply", s.public(s.applySubmit))
	mux.Handle("GET /column/apply/status", s.public(s.applyStatusForm))
	mux.Handle("POST /column/apply/status", s.public(s.applyStatus))
	mux.Handle("POST /column/apply/letter", s.public(s.applyLetter))
	mux.Handle("POST /column/apply/correct", s.public(s.applyCorrect))
	mux.Handle("POST /column/apply/receipt", s.public(s.applyReceipt))
	mux.Handle("GET /admin/requests", s.staff(s.requestList))
	mux.Handle("GET /admin/requests/new", s.staff(s.requestNewForm))
	mux.Handle("POST /admin/requests/new", s.staff(s.requestCreate))
	mux.Handle("GET /admin/requests/stats", s.staff(s.requestStats))
	mux.Handle("GET /admin/requests/{id}", s.staff(s.requestView))
	mux.Handle("POST /admin/requests/{id}/events", s.staff(s.requestEvent))
	mux.Handle("POST /admin/requests/{id}/appeals", s.staff(s.requestAppeal))
	mux.Handle("POST /admin/requests/notifications/{id}/read", s.staff(s.requestNotificationRead))
	mux.Handle("GET /admin/requests/{id}/letter.docx", s.staff(s.requestLetter))
	mux.Handle("GET /admin/requests/{id}/letter.pdf", s.staff(s.requestLetter))
	mux.Handle("GET /admin/requests/{id}/letters/{lid}", s.staff(s.requestLetterFile))
	mux.Handle("GET /admin/requests/{id}/attachments/{aid}", s.staff(s.requestAttachment))
	mux.Handle("POST /admin/requests/{id}/attachments", s.staff(s.requestAttach))
	mux.Handle("GET /admin/requests/letters", s.staff(s.requestLetterTexts))
	mux.Handle("POST /admin/requests/letters", s.staff(s.requestLetterTextSave))
	mux.Handle("GET /admin/requests/office", s.staff(s.requestOffice))
	mux.Handle("POST /admin/requests/office", s.staff(s.requestOfficeSave))
	mux.Handle("GET /admin/requests/subjects", s.staff(s.requestSubjectList))
	mux.Handle("POST /admin/requests/subjects", s.staff(s.requestSubjectListSave))
	s.mailRoutes(mux)
}

// Who works on a unit's applications is the access policy's: those who
// may view them (org.ActRequestView: handlers, the legal reviewer, the
// office head), of whom only the unit's handlers see the applicant's
// details — name, identity number, contact details, attachments and the
// letters that carry them (org.ActRequestApplicant, canSeeApplicant).

func canSeeApplicant(u *org.User, unitID int64) bool {
	return u != nil && !u.Disabled && requests.MaySeeApplicant(u.RolesIn(unitID))
}

// handlerOf loads an application the user may see the applicant details
// of, or refuses: NotFound for those with no role in its unit.
func (s *Server) handlerOf(r *http.Request) (store.RequestApp, error) {
	id, err := pathID(r)
	if err != nil {
		return store.RequestApp{}, err
	}
	app, err := s.DB.RequestApplication(r.Context(), id)
	if err != nil {
		return app, err
	}
	if !userOf(r).May(app.UnitID, org.ActRequestView) {
		return app, errs.E(errs.NotFound, "申请不存在。")
	}
	if !canSeeApplicant(userOf(r), app.UnitID) {
		return app, errs.E(errs.Forbidden, "申请人信息仅限本单位的依申请公开承办人查看。")
	}
	return app, nil
}

// requestUnits are the units where the user works on applications.
func (s *Server) requestUnits(r *http.Request) ([]org.Unit, error) {
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, u := range units {
		if userOf(r).May(u.ID, org.ActRequestView) {
			out = append(out, u)
		}
	}
	return out, nil
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func today() calendar.Date { return calendar.Today(shanghai) }

// applicationFromForm reads the application fields of a form and its
// attached files.
func applicationFromForm(r *http.Request) (requests.Application, error) {
	files, err := attachmentsFromForm(r)
	return requests.Application{
		Attachments:   files,
		Channel:       requests.Channel(r.PostFormValue("channel")),
		ApplicantType: requests.ApplicantType(r.PostFormValue("applicant_type")),
		Name:          r.PostFormValue("name"),
		IDNumber:      r.PostFormValue("id_number"),
		Phone:         r.PostFormValue("phone"),
		Address:       r.PostFormValue("address"),
		Email:         r.PostFormValue("email"),
		Description:   r.PostFormValue("description"),
		Form:          r.PostFormValue("form"),
		Delivery:      r.PostFormValue("delivery"),
	}, err
}

// attachmentsFromForm reads the files chosen in the form's "attachments"
// input (a browser sends an empty part when none is chosen). A file over
// the size limit is reported without reading it whole.
func attachmentsFromForm(r *http.Request) ([]requests.Attachment, error) {
	if err := parseForm(r); err != nil {
		return nil, err
	}
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []requests.Attachment
	if len(r.MultipartForm.File["attachments"]) > requests.MaxAttachments {
		return nil, errs.FieldError("attachments", "附件最多%d个。", requests.MaxAttachments)
	}
	for _, fh := range r.MultipartForm.File["attachments"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		if fh.Size > requests.MaxAttachmentBytes {
			return nil, errs.FieldError("attachments", "附件“%s”超过%dMB。", fh.Filename, requests.MaxAttachmentBytes>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(io.LimitReader(f, requests.MaxAttachmentBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, requests.Attachment{Name: fh.Filename, Content: b})
	}
	if len(out) > requests.MaxAttachments {
		return nil, errs.FieldError("attachments", "附件最多%d个。", requests.MaxAttachments)
	}
	return out, nil
}

func applyFormData() map[string]any {
	return map[string]any{"Types": requests.ApplicantTypes, "Forms": requests.Forms, "Deliveries": requests.Deliveries, "Channels": requests.Channels}
}

func outcomeLabel(row annual.RowKey, sub string) string {
	if sub != "" {
		if row == annual.RowOtherOther || row == "" {
			return sub // the customs variant's rows of 其他处理
		}
		return outcomeLabel(row, "") + "（" + sub + "）"
	}
	for _, spec := range annual.Table3Rows {
		if spec.Key == row {
			l := spec.Label
			if i := strings.IndexAny(l, ".（"); i >= 0 && i < 6 {
				l = strings.TrimLeft(l[i:], ".（一二三四五六七八九）")
			}
			if spec.Group != "" && strings.Contains(spec.Group, "不予公开") {
				return "不予公开：" + l
			}
			if spec.Group != "" && strings.Contains(spec.Group, "无法提供") {
				return "无法提供：" + l
			}
			if spec.Group != "" && strings.Contains(spec.Group, "不予处理") {
				return "不予处理：" + l
			}
			return l
		}
	}
	return string(row)
}

// RequestRow is an application in a worklist.
type RequestRow struct {
	App      store.RequestApp
	Unit     string
	Overdue  bool
	DueSoon  bool
	Status   string
	TypeText string
	Assignee string // the handler's name, "" while not assigned
	Lapsed   bool   // a consultation's 15 working days passed without a reply
}

// userNames maps users' ids to their display names.
func (s *Server) userNames(r *http.Request) (map[int64]string, error) {
	users, err := s.DB.Users(r.Context())
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(users))
	for _, u := range users {
		m[u.ID] = u.DisplayName
	}
	return m, nil
}

func (s *Server) requestList(w http.ResponseWriter, r *http.Request) error {
	units, err := s.requestUnits(r)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return errs.E(errs.Forbidden, "此页面仅限依申请公开承办、法制审核和公开办负责人使用。")
	}
	names := map[int64]string{}
	var ids []int64
	for _, u := range units {
		names[u.ID] = u.Name
		ids = append(ids, u.ID)
	}
	f := store.RequestFilter{UnitIDs: ids, Open: r.URL.Query().Get("all") == "", Limit: 500}
	// The worklists: 我的待办 (assigned to me), 待分办 (not yet assigned),
	// 本单位 (every open application of my units). A handler starts on his
	// own; the office head and the legal reviewer on the unit's.
	view := r.URL.Query().Get("view")
	isHandler := false
	for _, u := range units {
		isHandler = isHandler || userOf(r).Has(org.RoleHandler, u.ID)
	}
	if view == "" {
		view = "unit"
		switch {
		case isHandler && f.Open:
			view = "mine"
		case f.Open && userOf(r).HasAnywhere(org.RoleLegal) && !userOf(r).HasAnywhere(org.RoleOfficeHead):
			view = "review"
		}
	}
	switch view {
	case "mine":
		f.Assignee = userOf(r).ID
	case "unassigned":
		f.Assignee = store.Unassigned
	case "review":
		f.ReviewPending = true
	case "extension":
		f.ExtensionAsked = true
	default:
		view = "unit"
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		f.Open, f.Year, f.Assignee, view = false, y, 0, "unit"
		f.Bucket = requests.Bucket(r.URL.Query().Get("bucket"))
		f.Outcome = annual.RowKey(r.URL.Query().Get("outcome"))
		f.SubKind = r.URL.Query().Get("sub")
		f.Type = requests.ApplicantType(r.URL.Query().Get("type"))
	}
	// A figure of the applications' subjects links to those behind it.
	f.Subject, f.Unmarked = strings.TrimSpace(r.URL.Query().Get("subject")), r.URL.Query().Get("unmarked") == "1"
	if f.Subject != "" || f.Unmarked {
		f.Assignee, view = 0, "unit"
	}
	if u, err := strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64); err == nil && names[u] != "" {
		f.UnitIDs = []int64{u}
	}
	apps, err := s.DB.RequestApplications(r.Context(), f)
	if err != nil {
		return err
	}
	cal, err := s.Calendar(r.Context())
	if err != nil {
		return err
	}
	now := today()
	soon, _ := cal.AddWorkdays(now, 5, nil)
	people, err := s.userNames(r)
	if err != nil {
		return err
	}
	var rows []RequestRow
	for _, a := range apps {
		row := RequestRow{App: a, Unit: names[a.UnitID], Status: a.Status.Label(), TypeText: a.ApplicantType.Label(), Assignee: people[a.AssigneeID]}
		if a.DueOn != "" {
			row.Overdue = a.DueOn < now.String()
			row.DueSoon = !row.Overdue && a.DueOn <= soon.Due.String()
		}
		row.Lapsed = a.ConsultUntil != "" && a.ConsultUntil < now.String()
		rows = append(rows, row)
	}
	notes, err := s.DB.RequestNotifications(r.Context(), userOf(r).ID, 20)
	if err != nil {
		return err
	}
	var unread []store.RequestNotification
	for _, n := range notes {
		if !n.Read {
			unread = append(unread, n)
		}
	}
	p := s.page(w, r, "依申请公开办理")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", ""}}
	p.Data = map[string]any{"Rows": rows, "Units": units, "Open": f.Open, "Cell": f.Year != 0, "Today": now.String(), "Notes": unread,
		"View": view, "IsHandler": isHandler, "Links": requestLinks(userOf(r)), "Subject": f.Subject, "Unmarked": f.Unmarked, "Filtered": f.Year != 0 || f.Subject != "" || f.Unmarked}
	return s.render(w, "admin/requests_list", p)
}

func (s *Server) requestNewForm(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestRegister)
	if err != nil {
		return err
	}
	p := s.page(w, r, "登记申请")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"登记申请", ""}}
	p.Values = map[string]string{"token": newToken(), "received_on": today().String(), "applicant_type": string(requests.NaturalPerson)}
	return s.renderRequestNew(w, r, p, units, nil)
}

// renderRequestNew shows the registration form; a handler also marks what
// the application is about, from the lists of the units he handles for
// (each checked against the chosen unit's list when stored).
func (s *Server) renderRequestNew(w http.ResponseWriter, r *http.Request, p *Page, units []org.Unit, chosen []string) error {
	var choices []string
	for _, u := range units {
		if !userOf(r).May(u.ID, org.ActRequestSubjects) {
			continue
		}
		list, _, err := s.DB.RequestSubjectList(r.Context(), u.ID)
		if err != nil {
			return err
		}
		for _, x := range list {
			if !slices.Contains(choices, x) {
				choices = append(choices, x)
			}
		}
	}
	d := applyFormData()
	d["Units"], d["SubjectChoices"], d["Chosen"] = units, choices, chosen
	p.Data = d
	return s.render(w, "admin/requests_new", p)
}

// requestCreate registers an application that came by letter, in person, by
// fax or e-mail; the date entered is the date of receipt under 第三十一条 for
// the channel (the form names which date that is).
func (s *Server) requestCreate(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestRegister)
	if err != nil {
		return err
	}
	p := s.page(w, r, "登记申请")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"登记申请", ""}}
	a, err := applicationFromForm(r)
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	if err != nil {
		// a file error, shown next to the attachments field
	} else if !userOf(r).May(unitID, org.ActRequestRegister) {
		err = errs.FieldError("unit", "请选择您负责办理申请的单位。")
	} else if d, perr := calendar.ParseDate(r.PostFormValue("received_on")); perr != nil {
		err = errs.FieldError("received_on", "请按“2024-03-01”的格式填写收到申请的日期（条例第三十一条）。")
	} else if d.After(today()) {
		err = errs.FieldError("received_on", "收到申请的日期不能晚于今天。")
	} else if a.Subjects = r.PostForm["subject"]; len(a.Subjects) > 0 && !userOf(r).May(unitID, org.ActRequestSubjects) {
		err = errs.FieldError("subjects", "只有该单位的依申请公开承办人可以标注申请内容；请不选，登记后由承办人标注。")
	} else {
		a.ReceivedOn = d
		var app store.RequestApp
		var code string
		if userOf(r).Has(org.RoleHandler, unitID) {
			// The handler who registers an application handles it (分办 to
			// himself, in the transaction that stores it).
			a.AssignTo = userOf(r).ID
		}
		app, code, _, err = s.DB.SubmitApplication(r.Context(), actorOf(r), unitID, r.PostFormValue("token"), a)
		if err == nil {
			// The applicant follows the application online with the pair;
			// the code is shown this once, to be given with the receipt.
			s.setFlash(w, "已登记申请 "+app.ReceiptNo+"，查询码 "+code+"（请随受理回执告知申请人，凭申请编号和查询码可在网上查询进度和答复）。")
			http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(app.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	if err := formError(p, r, err); err != nil {
		return err
	}
	return s.renderRequestNew(w, r, p, units, r.PostForm["subject"])
}

// requestLinks are the 依申请公开 pages the user may open, from the policy.
func requestLinks(u *org.User) []MenuItem {
	var out []MenuItem
	for _, l := range []MenuItem{
		{"登记申请（信函、当面、传真、电子邮件）", "/admin/requests/new", org.ActRequestRegister},
		{"申请邮件", "/admin/mail", org.ActRequestRegister},
		{"表三、表四", "/admin/requests/stats", org.ActRequestStats},
		{"答复书模板", "/admin/requests/letters", org.ActRequestLetters},
		{"文书设置", "/admin/requests/office", org.ActRequestOffice},
		{"申请内容分类", "/admin/requests/subjects", org.ActRequestSubjectList},
		{"多人申请的信息", "/admin/requests/proactive", org.ActRequestView},
		{"公开的办理记录", "/admin/requests/publog", org.ActRequestView},
	} {
		if u.MayAnywhere(l.Action) {
			out = append(out, l)
		}
	}
	return out
}

// SubjectFigure is the number of the year's applications about one
// subject, with the link to them.
type SubjectFigure struct {
	Subject string
	N       int
	Href    string
}

// StatCell is a cell of table 三 with the link to what it counts.
type StatCell struct {
	N    int
	Href string
}

// StatRow is a row of table 三.
type StatRow struct {
	Group, Label string
	Extra        bool
	Cells        []StatCell
}

func (s *Server) requestStats(w http.ResponseWriter, r *http.Request) error {
	units, err := s.requestUnits(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	all, err := s.DB.Units(r.Context())
	if err != nil {
		return err
	}
	if u.HasAnywhere(org.RoleStatistician) || u.HasAnywhere(org.RoleAdmin) {
		units = all
	}
	if len(units) == 0 {
		return errs.E(errs.Forbidden, "此页面仅限依申请公开办理和统计人员使用。")
	}
	// The page opens on the user's own unit and the latest year with
	// records; another unit or year when asked for.
	unitID, err := strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64)
	if err != nil {
		unitID = u.UnitID
	}
	unit := units[0]
	for _, x := range units {
		if x.ID == unitID {
			unit = x
		}
	}
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		now := time.Now().In(shanghai).Year()
		if year, err = s.DB.RequestLatestYear(r.Context(), unit.ID, now); err != nil {
			return err
		}
		if year == 0 {
			year = now
		}
	}
	rep, err := s.DB.RequestReport(r.Context(), unit.ID, year)
	if err != nil {
		return err
	}
	link := func(bucket requests.Bucket, outcome annual.RowKey, sub string, col int) string {
		v := "/admin/requests?unit=" + strconv.FormatInt(unit.ID, 10) + "&year=" + strconv.Itoa(year) + "&bucket=" + string(bucket)
		if outcome != "" {
			v += "&outcome=" + string(outcome)
		}
		if sub != "" {
			v += "&sub=" + sub
		}
		if col < int(annual.ColTotal) {
			v += "&type=" + annual.ColumnKeys[col]
		}
		return v
	}
	var rows []StatRow
	for _, spec := range annual.Table3Rows {
		row := StatRow{Group: spec.Group, Label: spec.Label}
		bucket, outcome := requests.Bucket(spec.Key), spec.Key
		switch spec.Key {
		case annual.RowReceived, annual.RowCarriedOver, annual.RowCarriedForward:
			outcome = ""
		case annual.RowTotalHandled:
			bucket, outcome = requests.BucketConcluded, ""
		default:
			bucket = requests.BucketConcluded
		}
		for c := 0; c < annual.NumColumns; c++ {
			row.Cells = append(row.Cells, StatCell{N: rep.Table3.Get(spec.Key, annual.Column(c)).Int(), Href: link(bucket, outcome, "", c)})
		}
		rows = append(rows, row)
		if spec.Key == annual.RowOtherOther {
			for _, e := range rep.Table3.ExtraRows {
				x := StatRow{Label: "其中：" + e.Label, Extra: true}
				sub := strings.TrimSpace(strings.TrimLeft(e.Label, "0123456789. "))
				if sub == "咨询事项，指引咨询渠道" {
					sub = requests.SubConsultChannel
				}
				if sub == "其他" {
					sub = ""
				}
				for c := 0; c < annual.NumColumns; c++ {
					x.Cells = append(x.Cells, StatCell{N: e.Values[c].Int(), Href: link(requests.BucketConcluded, annual.RowOtherOther, sub, c)})
				}
				rows = append(rows, x)
			}
		}
	}
	p := s.page(w, r, "表三、表四")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"表三、表四", ""}}
	p.Values = map[string]string{"year": strconv.Itoa(year), "unit": strconv.FormatInt(unit.ID, 10)}
	fees, feeCount, err := s.DB.RequestFeesCollected(r.Context(), unit.ID, year)
	if err != nil {
		return err
	}
	subjects, err := s.DB.RequestSubjectCounts(r.Context(), []int64{unit.ID}, year)
	if err != nil {
		return err
	}
	unmarked, err := s.DB.RequestUnmarkedCount(r.Context(), []int64{unit.ID}, year)
	if err != nil {
		return err
	}
	received := link(requests.BucketReceived, "", "", int(annual.ColTotal))
	var figures []SubjectFigure
	for _, c := range subjects {
		figures = append(figures, SubjectFigure{Subject: c.Subject, N: c.N, Href: received + "&subject=" + url.QueryEscape(c.Subject)})
	}
	p.Data = map[string]any{"Unit": unit, "Units": units, "Year": year, "Rows": rows, "Labels": annual.ColumnLabels, "T4": rep.Table4,
		"Fees": fees, "FeeCount": feeCount, "Subjects": figures, "Unmarked": unmarked, "UnmarkedHref": received + "&unmarked=1",
		"Received": rep.Table3.Get(annual.RowReceived, annual.ColTotal).Int(),
		"Groups":   annual.Table4Groups, "Findings": annual.Check(rep)}
	return s.render(w, "admin/requests_stats", p)
}

// requestLetter serves the answer letter of an answered application as
// DOCX or PDF: the copy stored when the answer was recorded (the newest, if
// it was written again). An application answered before letters were kept,
// or whose letter could not be written then, gets it written and stored now,
// from the unit's text for its outcome and the handler's answer.
func (s *Server) requestLetter(w http.ResponseWriter, r *http.Request) error {
	app, err := s.handlerOf(r)
	if err != nil {
		return err
	}
	format := "docx"
	if strings.HasSuffix(r.URL.Path, ".pdf") {
		format = "pdf"
	}
	files, err := s.DB.EnsureRequestAnswerLetter(r.Context(), actorOf(r), app.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Format == format {
			return s.serveLetter(w, r, app, f.ID)
		}
	}
	return errs.E(errs.NotFound, "答复书不存在。")
}

func hasKind(files []store.RequestLetterFile, k requests.NoticeKind) bool {
	for _, f := range files {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// requestLetterFile serves one stored document of the application.
func (s *Server) requestLetterFile(w http.ResponseWriter, r *http.Request) error {
	app, err := s.handlerOf(r)
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "答复书不存在。")
	}
	return s.serveLetter(w, r, app, lid)
}

func (s *Server) serveLetter(w http.ResponseWriter, r *http.Request, app store.RequestApp, lid int64) error {
	f, err := s.DB.RequestLetterFileContent(r.Context(), actorOf(r), app.ID, lid)
	if err != nil {
		return err
	}
	ctype := "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	if f.Format == "pdf" {
		ctype = "application/pdf"
	}
	serveFile(w, app.ReceiptNo+"-"+f.Kind.Title()+"."+f.Format, ctype, f.Content)
	return nil
}

// requestAttachment serves a file attached to the application; reading it
// is a view of the applicant's details and is audited.
func (s *Server) requestAttachment(w http.ResponseWriter, r *http.Request) error {
	app, err := s.handlerOf(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "附件不存在。")
	}
	a, err := s.DB.RequestAttachmentContent(r.Context(), actorOf(r), app.ID, aid)
	if err != nil {
		return err
	}
	serveFile(w, a.Name, a.ContentType, a.Content)
	return nil
}

// requestAttach adds files to an application (a 补正 that came with
// documents, a scan of a letter), up to requests.MaxAttachments in all.
func (s *Server) requestAttach(w http.ResponseWriter, r *http.Request) error {
	app, err := s.handlerOf(r)
	if err != nil {
		return err
	}
	files, err := attachmentsFromForm(r)
	if err == nil && len(files) == 0 {
		err = errs.FieldError("attachments", "请选择要上传的文件。")
	}
	if err == nil {
		err = s.DB.AddRequestAttachments(r.Context(), actorOf(r), app.ID, files)
	}
	if err != nil {
		return s.requestFailed(w, r, app.ID, "attach", err)
	}
	s.setFlash(w, "已上传附件。")
	http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(app.ID, 10), http.StatusSeeOther)
	return nil
}

// requestNotificationRead marks one of the user's reminders as read.
func (s *Server) requestNotificationRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.DB.MarkRequestNotificationRead(r.Context(), userOf(r).ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/requests", http.StatusSeeOther)
	return nil
}

// requestAppeal links a reconsideration or lawsuit to an application (table 四).
func (s *Server) requestAppeal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	app, err := s.DB.RequestApplication(r.Context(), id)
	if err != nil {
		return err
	}
	if !userOf(r).May(app.UnitID, org.ActRequestHandle) {
		return errs.E(errs.NotFound, "申请不存在。")
	}
	a := requests.Appeal{ApplicationID: id, Kind: requests.AppealKind(r.PostFormValue("kind")), Result: requests.AppealResult(r.PostFormValue("result"))}
	a.FiledOn, _ = calendar.ParseDate(r.PostFormValue("filed_on"))
	if v := strings.TrimSpace(r.PostFormValue("decided_on")); v != "" {
		if a.DecidedOn, err = calendar.ParseDate(v); err != nil {
			return s.requestFailed(w, r, id, "appeal", errs.FieldError("decided_on", "请按“2024-03-01”的格式填写审结日期。"))
		}
	}
	if err := s.DB.AddRequestAppeal(r.Context(), actorOf(r), &a); err != nil {
		return s.requestFailed(w, r, id, "appeal", err)
	}
	s.setFlash(w, "已登记"+requests.AppealKindLabel(a.Kind)+"。")
	http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
