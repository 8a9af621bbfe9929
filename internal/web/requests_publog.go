package web

import (
	"io"
	"net/http"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
	"gongkai/internal/store"
)

// The public log of answered requests (issue 16): a unit switches it on
// (off by default); a handler approves or withholds each answered
// application's entry, the question as the rules propose it and he edits
// it; the portal's /column/apply/log lists the approved entries. The
// public page is not in the page cache (portal_cache.go): it reads the
// database on every request, so an approval or withholding shows at once.
// Routes in routes_redact.go, declared in routes_policy.go.

// publogPerPage is the public log's page size.
const publogPerPage = 20

// PublogListPage is the unit's list of answered applications.
type PublogListPage struct {
	Units   []org.Unit
	UnitID  int64
	Enabled bool
	MayEdit bool
	Rows    []PublogListRow
}

// PublogListRow is an application of the list with its labels.
type PublogListRow struct {
	store.PublogRow
	OutcomeLabel, StatusLabel string
}

func publogStatusLabel(s string) string {
	switch s {
	case store.PublogApproved:
		return "已批准公开"
	case store.PublogWithheld:
		return "不予列入"
	}
	return "待审核"
}

// staffUnit is the unit a staff page is about: ?unit= (or the form's
// unit) among those the user may take the action in, else the first.
func (s *Server) staffUnit(r *http.Request, a org.Action) ([]org.Unit, int64, error) {
	all, err := s.DB.Units(r.Context())
	if err != nil {
		return nil, 0, err
	}
	var units []org.Unit
	for _, u := range all {
		if userOf(r).May(u.ID, a) {
			units = append(units, u)
		}
	}
	if len(units) == 0 {
		return nil, 0, org.Refusal(a)
	}
	v := r.URL.Query().Get("unit")
	if r.Method == http.MethodPost {
		v = r.PostFormValue("unit")
	}
	if v == "" {
		return units, units[0].ID, nil
	}
	for _, u := range units {
		if v == strconv.FormatInt(u.ID, 10) {
			return units, u.ID, nil
		}
	}
	return nil, 0, errs.E(errs.NotFound, "单位不存在或不在您的管理范围内。")
}

func (s *Server) requestPublogList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := s.page(w, r, "公开的办理记录")
	units, unitID, err := s.staffUnit(r, org.ActRequestView)
	if err != nil {
		return err
	}
	d := PublogListPage{Units: units, UnitID: unitID, MayEdit: userOf(r).May(unitID, org.ActRequestHandle)}
	if d.Enabled, err = s.DB.PublogEnabled(ctx, unitID); err != nil {
		return err
	}
	rows, err := s.DB.PublogList(ctx, unitID, 200)
	if err != nil {
		return err
	}
	for _, x := range rows {
		d.Rows = append(d.Rows, PublogListRow{x, outcomeLabel(x.Outcome, x.SubKind), publogStatusLabel(x.Status)})
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"公开的办理记录", ""}}
	p.Data = d
	return s.render(w, "admin/requests_publog_list", p)
}

// requestPublogSwitch switches the unit's public log on or off.
func (s *Server) requestPublogSwitch(w http.ResponseWriter, r *http.Request) error {
	_, unitID, err := s.staffUnit(r, org.ActRequestHandle)
	if err != nil {
		return err
	}
	on := r.PostFormValue("enabled") == "on"
	if err := s.DB.SetPublogEnabled(r.Context(), actorOf(r), unitID, on); err != nil {
		return err
	}
	if on {
		s.setFlash(w, "已开启公开的办理记录：经批准的记录将在门户网站“依申请公开”栏目公开。")
	} else {
		s.setFlash(w, "已关闭公开的办理记录：门户网站不再显示任何记录。")
	}
	http.Redirect(w, r, "/admin/requests/publog?unit="+strconv.FormatInt(unitID, 10), http.StatusSeeOther)
	return nil
}

// PublogEntryPage is an application's entry.
type PublogEntryPage struct {
	Case         store.PublogCase
	Enabled      bool
	MayEdit      bool
	OutcomeLabel string
	Question     string // the text in the form: the entry's, else the proposal
	Listed       map[int64]bool
}

// StatusLabel names a version's status.
func (PublogEntryPage) StatusLabel(s string) string { return publogStatusLabel(s) }

func (s *Server) requestPublog(w http.ResponseWriter, r *http.Request) error {
	return s.renderPublog(w, r, s.page(w, r, "公开的办理记录"))
}

func (s *Server) renderPublog(w http.ResponseWriter, r *http.Request, p *Page) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	c, err := s.DB.PublogCaseOf(r.Context(), app.ID)
	if err != nil {
		return err
	}
	d := PublogEntryPage{Case: c, MayEdit: userOf(r).May(app.UnitID, org.ActRequestHandle), Question: c.Proposed, Listed: map[int64]bool{}}
	if d.Enabled, err = s.DB.PublogEnabled(r.Context(), app.UnitID); err != nil {
		return err
	}
	if c.Outcome != "" {
		d.OutcomeLabel = outcomeLabel(c.Outcome, c.App.SubKind)
	}
	if cur := c.Current(); cur != nil {
		if cur.Approved() {
			d.Question = cur.Question
		}
		for _, id := range cur.Files {
			d.Listed[id] = true
		}
	}
	if v, ok := p.Values["question"]; ok {
		d.Question = v
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {app.ReceiptNo, "/admin/requests/" + strconv.FormatInt(app.ID, 10)}, {"公开的办理记录", ""}}
	p.Data = d
	return s.render(w, "admin/requests_publog", p)
}

func (s *Server) publogFailed(w http.ResponseWriter, r *http.Request, err error) error {
	p := s.page(w, r, "公开的办理记录")
	if ferr := formError(p, r, err); ferr != nil {
		return ferr
	}
	return s.renderPublog(w, r, p)
}

// requestPublogDecide approves (with the edited question and the listed
// documents) or withholds the entry.
func (s *Server) requestPublogDecide(w http.ResponseWriter, r *http.Request) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	var files []int64
	for _, v := range r.PostForm["file"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errs.E(errs.NotFound, "文件不存在。")
		}
		files = append(files, id)
	}
	status := store.PublogWithheld
	if r.PostFormValue("decision") == "approve" {
		status = store.PublogApproved
	} else if r.PostFormValue("decision") != "withhold" {
		return s.publogFailed(w, r, errs.E(errs.Invalid, "请选择批准公开或不予列入。"))
	}
	if _, err := s.DB.DecidePublog(r.Context(), actorOf(r), app.ID, status, r.PostFormValue("question"), files); err != nil {
		return s.publogFailed(w, r, err)
	}
	if status == store.PublogApproved {
		s.setFlash(w, "已批准公开本条办理记录。")
	} else {
		s.setFlash(w, "本条办理记录不予列入公开的办理记录。")
	}
	http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(app.ID, 10)+"/publog", http.StatusSeeOther)
	return nil
}

// requestPublogFile adds a document released in full for the entry to list.
func (s *Server) requestPublogFile(w http.ResponseWriter, r *http.Request) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	err = errs.FieldError("document", "请选择公开的文件（PDF、JPG、PNG、DOCX，不超过5MB）。")
	var f store.PublogFile
	if r.MultipartForm != nil && len(r.MultipartForm.File["document"]) == 1 {
		fh := r.MultipartForm.File["document"][0]
		if fh.Size > requests.MaxAttachmentBytes {
			err = errs.FieldError("document", "文件“%s”超过%dMB。", fh.Filename, requests.MaxAttachmentBytes>>20)
		} else if fr, oerr := fh.Open(); oerr == nil {
			b, rerr := io.ReadAll(io.LimitReader(fr, requests.MaxAttachmentBytes+1))
			fr.Close()
			if rerr != nil {
				return rerr
			}
			f, err = s.DB.AddPublogFile(r.Context(), actorOf(r), app.ID, fh.Filename, b)
		}
	}
	if err != nil {
		return s.publogFailed(w, r, err)
	}
	s.setFlash(w, "已添加文件“"+f.Name+"”；批准公开时勾选即可列出。")
	http.Redirect(w, r, "/admin/requests/"+strconv.FormatInt(app.ID, 10)+"/publog", http.StatusSeeOther)
	return nil
}

// PublicLogPage is the portal's list.
type PublicLogPage struct {
	Enabled bool
	Entries []PublicLogRow
	Pager   Pager
	Total   int
}

// PublicLogRow is an approved entry with its outcome in Chinese.
type PublicLogRow struct {
	store.PublicLogEntry
	OutcomeLabel string
}

// applyLog is the portal's public log: the site unit's approved entries,
// newest answer first, only their approved fields; nothing when the unit
// keeps no public log.
func (s *Server) applyLog(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "依申请公开办理记录")
	p.Crumbs = []Crumb{{"首页", "/"}, {"依申请公开", "/column/apply"}, {"办理记录", ""}}
	d := PublicLogPage{}
	if p.SiteReady {
		var err error
		if d.Enabled, err = s.DB.PublogEnabled(r.Context(), p.Site.ID); err != nil {
			return err
		}
	}
	if d.Enabled {
		page := pageParam(r)
		list, total, err := s.DB.PublicLog(r.Context(), p.Site.ID, page, publogPerPage)
		if err != nil {
			return err
		}
		for _, e := range list {
			d.Entries = append(d.Entries, PublicLogRow{e, outcomeLabel(e.Outcome, "")})
		}
		d.Total = total
		d.Pager = pager(r, page, (total+publogPerPage-1)/publogPerPage, total)
	}
	p.Data = d
	return s.render(w, "portal/requests_log", p)
}

// applyLogFile serves a document an approved entry lists.
func (s *Server) applyLogFile(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "依申请公开办理记录")
	entry, err := idParam(r, "id", "文件")
	if err != nil {
		return err
	}
	fid, err := idParam(r, "fid", "文件")
	if err != nil {
		return err
	}
	on := false
	if p.SiteReady {
		if on, err = s.DB.PublogEnabled(r.Context(), p.Site.ID); err != nil {
			return err
		}
	}
	if !on {
		return errs.E(errs.NotFound, "文件不存在。")
	}
	f, err := s.DB.PublicLogFile(r.Context(), p.Site.ID, entry, fid)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, f.Content)
	return nil
}

// requestPublogFileGet gives staff a document added for the entry.
func (s *Server) requestPublogFileGet(w http.ResponseWriter, r *http.Request) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	fid, err := idParam(r, "fid", "文件")
	if err != nil {
		return err
	}
	f, err := s.DB.PublogFileContent(r.Context(), app.ID, fid)
	if err != nil {
		return err
	}
	serveFile(w, f.Name, f.ContentType, f.Content)
	return nil
}
