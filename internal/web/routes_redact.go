package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/redact"
	"gongkai/internal/store"
)

// 区分处理 (条例第三十七条, issue 16): the handler attaches the documents
// to be released with a 部分公开 decision, marks what to withhold — by
// selecting a passage (a little JavaScript fills the offsets; without it the
// passage is typed or pasted), by a term or an expression, the unit's rules,
// or a whole page — previews the released copy and produces it. The legal
// reviewer and the office head see the same page without the forms. The
// store decides each step (redact.Editable, the access policy).
func (s *Server) redactRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/requests/{id}/redact", s.staff(s.redactView))
	mux.Handle("POST /admin/requests/{id}/redact", s.staff(s.redactUpload))
	mux.Handle("POST /admin/requests/{id}/redact/{did}/marks", s.staff(s.redactMark))
	mux.Handle("POST /admin/requests/{id}/redact/{did}/marks/{mid}/cancel", s.staff(s.redactUnmark))
	mux.Handle("POST /admin/requests/{id}/redact/{did}/rules", s.staff(s.redactApplyRules))
	mux.Handle("POST /admin/requests/{id}/redact/{did}/release", s.staff(s.redactRelease))
	mux.Handle("GET /admin/requests/{id}/redact/releases/{rid}", s.staff(s.redactReleaseFile))
	mux.Handle("POST /column/apply/release", s.public(s.applyRelease))
	mux.Handle("GET /admin/requests/proactive", s.staff(s.requestProactive))
	mux.Handle("POST /admin/requests/proactive", s.staff(s.requestPropose))
	// The public log of answered requests (requests_publog.go).
	mux.Handle("GET /admin/requests/publog", s.staff(s.requestPublogList))
	mux.Handle("POST /admin/requests/publog", s.staff(s.requestPublogSwitch))
	mux.Handle("GET /admin/requests/{id}/publog", s.staff(s.requestPublog))
	mux.Handle("POST /admin/requests/{id}/publog", s.staff(s.requestPublogDecide))
	mux.Handle("POST /admin/requests/{id}/publog/files", s.staff(s.requestPublogFile))
	mux.Handle("GET /admin/requests/{id}/publog/files/{fid}", s.staff(s.requestPublogFileGet))
	mux.Handle("GET /column/apply/log", s.public(s.applyLog))
	mux.Handle("GET /column/apply/log/{id}/files/{fid}", s.public(s.applyLogFile))
}

// applyRelease serves the applicant a released copy listed on his status
// page: only after the answer, against the receipt number and query code.
func (s *Server) applyRelease(w http.ResponseWriter, r *http.Request) error {
	no, code := strings.TrimSpace(r.PostFormValue("receipt_no")), strings.TrimSpace(r.PostFormValue("code"))
	app, err := s.DB.RequestByQueryCode(r.Context(), no, code)
	if err != nil {
		return err
	}
	st, err := s.DB.RequestState(r.Context(), app.ID)
	if err != nil {
		return err
	}
	rid, err := strconv.ParseInt(r.PostFormValue("release"), 10, 64)
	if err != nil || !redact.Releasable(st) {
		return errs.E(errs.NotFound, "文件不存在。")
	}
	list, err := s.DB.RedactReleases(r.Context(), app.ID)
	if err != nil {
		return err
	}
	for _, rel := range list {
		if rel.ID == rid {
			got, err := s.DB.RedactReleaseContent(r.Context(), app.ID, rid)
			if err != nil {
				return err
			}
			serveFile(w, got.Name, got.ContentType, got.Content)
			return nil
		}
	}
	return errs.E(errs.NotFound, "文件不存在。")
}

// RedactPage is the page of an application's 区分处理.
type RedactPage struct {
	App      store.RequestApp
	Docs     []store.RedactDocument
	Doc      *store.RedactDocument // the document shown
	Marks    []store.RedactMark
	Preview  *redact.Result
	Why      string // why the preview cannot be made yet
	Releases []store.RedactRelease
	Rules    []store.RedactRule
	Grounds  []redact.GroundSpec
	MayEdit  bool
	Frozen   string // why nothing may change ("" when it may)
	Scanned  []int  // pages without a text layer
}

// GroundLabel is a ground's label with its article.
func (RedactPage) GroundLabel(g redact.Ground) string {
	s, _ := redact.GroundOf(g)
	return s.Label + "（" + s.Article + "）"
}

// MarkLabel describes a mark in Chinese.
func (RedactPage) MarkLabel(m redact.Mark) string {
	switch m.Kind {
	case redact.Passage:
		return "第" + strconv.Itoa(m.Page) + "页选定段落（第" + strconv.Itoa(m.Start+1) + "至" + strconv.Itoa(m.End) + "字）"
	case redact.Term:
		return "检索词“" + m.Text + "”"
	case redact.Pattern:
		if m.Rule != "" {
			return "规则“" + m.Rule + "”"
		}
		return "正则表达式 " + m.Text
	case redact.WholePage:
		return "第" + strconv.Itoa(m.Page) + "页整页"
	}
	return string(m.Kind)
}

// redactApp loads the application for a user who may view it.
func (s *Server) redactApp(r *http.Request) (store.RequestApp, error) {
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
	return app, nil
}

func idParam(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "%s不存在。", what)
	}
	return id, nil
}

func (s *Server) redactView(w http.ResponseWriter, r *http.Request) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "区分处理")
	return s.renderRedact(w, r, p, app)
}

func (s *Server) renderRedact(w http.ResponseWriter, r *http.Request, p *Page, app store.RequestApp) error {
	ctx := r.Context()
	d := RedactPage{App: app, Grounds: redact.Grounds}
	var err error
	if d.Docs, err = s.DB.RedactDocuments(ctx, app.ID); err != nil {
		return err
	}
	if d.Releases, err = s.DB.RedactReleases(ctx, app.ID); err != nil {
		return err
	}
	if d.Rules, err = s.DB.RedactRules(ctx, app.UnitID); err != nil {
		return err
	}
	st, err := s.DB.RequestState(ctx, app.ID)
	if err != nil {
		return err
	}
	if ferr := redact.Editable(st); ferr != nil {
		d.Frozen = errs.MessageOf(ferr)
	}
	d.MayEdit = d.Frozen == "" && userOf(r).May(app.UnitID, org.ActRequestHandle)
	if len(d.Docs) > 0 {
		d.Doc = &d.Docs[len(d.Docs)-1]
		if v := r.URL.Query().Get("doc"); v != "" {
			for i := range d.Docs {
				if strconv.FormatInt(d.Docs[i].ID, 10) == v {
					d.Doc = &d.Docs[i]
				}
			}
		}
		if v := p.Value("doc"); v != "" {
			for i := range d.Docs {
				if strconv.FormatInt(d.Docs[i].ID, 10) == v {
					d.Doc = &d.Docs[i]
				}
			}
		}
		for i, pg := range d.Doc.Pages {
			if pg.Scanned {
				d.Scanned = append(d.Scanned, i+1)
			}
		}
		res, marks, err := s.DB.PreviewRedaction(ctx, app.ID, d.Doc.ID)
		d.Marks = marks
		switch {
		case err == nil:
			d.Preview = res
		case errs.CodeOf(err) == errs.Invalid:
			d.Why = errs.MessageOf(err)
		default:
			return err
		}
	}
	id := strconv.FormatInt(app.ID, 10)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {app.ReceiptNo, "/admin/requests/" + id}, {"区分处理", ""}}
	p.Data = d
	return s.render(w, "admin/requests_redact", p)
}

// redactFailed shows the page again with the error next to the form.
func (s *Server) redactFailed(w http.ResponseWriter, r *http.Request, app store.RequestApp, err error) error {
	p := s.page(w, r, "区分处理")
	if ferr := formError(p, r, err); ferr != nil {
		return ferr
	}
	return s.renderRedact(w, r, p, app)
}

func redactBack(w http.ResponseWriter, r *http.Request, appID, docID int64) {
	u := "/admin/requests/" + strconv.FormatInt(appID, 10) + "/redact"
	if docID > 0 {
		u += "?doc=" + strconv.FormatInt(docID, 10)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

func (s *Server) redactUpload(w http.ResponseWriter, r *http.Request) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	var doc store.RedactDocument
	err = errs.FieldError("document", "请选择要区分处理的文件（PDF、DOCX或文本）。")
	if r.MultipartForm != nil && len(r.MultipartForm.File["document"]) == 1 {
		fh := r.MultipartForm.File["document"][0]
		if fh.Size > redact.MaxSourceBytes {
			err = errs.FieldError("document", "文件“%s”超过%dMB。", fh.Filename, redact.MaxSourceBytes>>20)
		} else if f, oerr := fh.Open(); oerr == nil {
			b, rerr := io.ReadAll(io.LimitReader(f, redact.MaxSourceBytes+1))
			f.Close()
			if rerr != nil {
				return rerr
			}
			doc, err = s.DB.AddRedactDocument(r.Context(), actorOf(r), app.ID, fh.Filename, b)
		}
	}
	if err != nil {
		return s.redactFailed(w, r, app, err)
	}
	s.setFlash(w, "已添加文件“"+doc.Name+"”（"+strconv.Itoa(len(doc.Pages))+"页），请标注不予公开的内容。")
	redactBack(w, r, app.ID, doc.ID)
	return nil
}

// markFromForm reads a mark: a passage by its offsets (filled by the
// page's script) or by its text on the page (typed or pasted), a term, an
// expression or a whole page.
func markFromForm(r *http.Request, doc store.RedactDocument) (redact.Mark, error) {
	m := redact.Mark{Kind: redact.MarkKind(r.PostFormValue("kind")), Ground: redact.Ground(r.PostFormValue("ground")), Text: r.PostFormValue("text")}
	page, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("page")))
	m.Page = page
	switch m.Kind {
	case redact.Passage:
		m.Text = ""
		if page < 1 || page > len(doc.Pages) {
			return m, errs.FieldError("page", "请填写段落所在的页码（1至%d）。", len(doc.Pages))
		}
		start, err1 := strconv.Atoi(r.PostFormValue("start"))
		end, err2 := strconv.Atoi(r.PostFormValue("end"))
		quote := r.PostFormValue("quote")
		text := doc.Pages[page-1].Text
		// The script's offsets hold only while they still select the quote.
		if err1 == nil && err2 == nil && start >= 0 && end > start && end <= utf8.RuneCountInString(text) &&
			(quote == "" || string([]rune(text)[start:end]) == quote) {
			m.Start, m.End = start, end
			break
		}
		if strings.TrimSpace(quote) == "" {
			return m, errs.FieldError("quote", "请在原文中选定段落，或把要删除的段落粘贴到这里。")
		}
		at := strings.Index(text, quote)
		if at < 0 {
			return m, errs.FieldError("quote", "第%d页中没有找到这段文字，请从原文中复制。", page)
		}
		m.Start = utf8.RuneCountInString(text[:at])
		m.End = m.Start + utf8.RuneCountInString(quote)
	case redact.WholePage:
		m.Text = ""
	}
	return m, redact.CheckMark(m)
}

func (s *Server) redactDoc(r *http.Request) (store.RequestApp, store.RedactDocument, error) {
	app, err := s.redactApp(r)
	if err != nil {
		return app, store.RedactDocument{}, err
	}
	did, err := idParam(r, "did", "文件")
	if err != nil {
		return app, store.RedactDocument{}, err
	}
	doc, err := s.DB.RedactDocumentOf(r.Context(), app.ID, did)
	return app, doc, err
}

func (s *Server) redactMark(w http.ResponseWriter, r *http.Request) error {
	app, doc, err := s.redactDoc(r)
	if err != nil {
		return err
	}
	m, err := markFromForm(r, doc)
	if err == nil {
		if r.PostFormValue("save_rule") != "" && (m.Kind == redact.Term || m.Kind == redact.Pattern) {
			rule := redact.Rule{Name: strings.TrimSpace(r.PostFormValue("rule_name")), Kind: m.Kind, Text: m.Text, Ground: m.Ground}
			if rule.Name == "" {
				rule.Name = m.Text
			}
			m.Rule = rule.Name
			_, err = s.DB.AddRedactMarks(r.Context(), actorOf(r), app.ID, doc.ID, []redact.Mark{m}, false)
			if err == nil {
				_, err = s.DB.AddRedactRule(r.Context(), actorOf(r), app.UnitID, rule)
			}
		} else {
			_, err = s.DB.AddRedactMarks(r.Context(), actorOf(r), app.ID, doc.ID, []redact.Mark{m}, false)
		}
	}
	if err != nil {
		return s.redactFailed(w, r, app, err)
	}
	s.setFlash(w, "已添加删除标记。")
	redactBack(w, r, app.ID, doc.ID)
	return nil
}

func (s *Server) redactUnmark(w http.ResponseWriter, r *http.Request) error {
	app, doc, err := s.redactDoc(r)
	if err != nil {
		return err
	}
	mid, err := idParam(r, "mid", "标记")
	if err != nil {
		return err
	}
	if err := s.DB.CancelRedactMark(r.Context(), actorOf(r), app.ID, doc.ID, mid); err != nil {
		return s.redactFailed(w, r, app, err)
	}
	s.setFlash(w, "已撤销这处标记。")
	redactBack(w, r, app.ID, doc.ID)
	return nil
}

// redactApplyRules marks the document with the unit's rules (the built-in
// ones for ID and mobile numbers among them); a rule that finds nothing is
// left out.
func (s *Server) redactApplyRules(w http.ResponseWriter, r *http.Request) error {
	app, doc, err := s.redactDoc(r)
	if err != nil {
		return err
	}
	rules, err := s.DB.RedactRules(r.Context(), app.UnitID)
	if err != nil {
		return err
	}
	var ms []redact.Mark
	for _, rule := range rules {
		ms = append(ms, rule.Mark())
	}
	n, err := s.DB.AddRedactMarks(r.Context(), actorOf(r), app.ID, doc.ID, ms, true)
	if err != nil {
		return s.redactFailed(w, r, app, err)
	}
	s.setFlash(w, "已按本单位的规则添加"+strconv.Itoa(n)+"处删除标记。")
	redactBack(w, r, app.ID, doc.ID)
	return nil
}

func (s *Server) redactRelease(w http.ResponseWriter, r *http.Request) error {
	app, doc, err := s.redactDoc(r)
	if err != nil {
		return err
	}
	rel, err := s.DB.ProduceRedactRelease(r.Context(), actorOf(r), app.ID, doc.ID)
	if err != nil {
		return s.redactFailed(w, r, app, err)
	}
	s.setFlash(w, "已生成公开文本“"+rel.Name+"”，删除内容已从文件中移除；答复后申请人可在查询页面下载。")
	redactBack(w, r, app.ID, doc.ID)
	return nil
}

func (s *Server) redactReleaseFile(w http.ResponseWriter, r *http.Request) error {
	app, err := s.redactApp(r)
	if err != nil {
		return err
	}
	rid, err := idParam(r, "rid", "公开文本")
	if err != nil {
		return err
	}
	rel, err := s.DB.RedactReleaseContent(r.Context(), app.ID, rid)
	if err != nil {
		return err
	}
	serveFile(w, rel.Name, rel.ContentType, rel.Content)
	return nil
}
