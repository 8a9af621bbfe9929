package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

func deskCrumbs(last string) []Crumb {
	return []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {last, ""}}
}

// deskOverview is the desk's home: the section 一（三） figures of a unit
// and year with last year's and the growth, the sentence the annual report
// will print, and the enquiries near or past their deadline.
func (s *Server) deskOverview(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskViewRoles, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	sec, err := s.DB.SectionOneThree(ctx, sc.UnitIDs, sc.Year)
	if err != nil {
		return err
	}
	alerts, lim, err := s.DB.UnansweredAlerts(ctx, sc.UnitIDs, time.Now())
	if err != nil {
		return err
	}
	p := s.page(w, r, "服务台")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", ""}}
	p.Values = map[string]string{"limit": lim.Label()}
	p.Data = map[string]any{"Scope": sc, "Section": sec, "Rows": sec.Rows(), "Narrative": sec.Narrative(),
		"Oversight": sec.NarrativeOversight(), "Alerts": alerts, "Limit": lim, "IsAdmin": userOf(r).HasAnywhere(org.RoleAdmin)}
	return s.render(w, "admin/desk_overview", p)
}

// deskSettings sets how long an enquiry may wait for its reply before it
// is overdue (default three months, 国办秘函〔2019〕19号).
func (s *Server) deskSettings(w http.ResponseWriter, r *http.Request) error {
	l, err := desk.ParseLimit(r.PostFormValue("limit"))
	if err != nil {
		s.setFlash(w, errs.MessageOf(err))
		http.Redirect(w, r, "/admin/desk", http.StatusSeeOther)
		return nil
	}
	if err := s.DB.SetSetting(r.Context(), actorOf(r), desk.SettingUnansweredLimit, l.String()); err != nil {
		return err
	}
	s.setFlash(w, "超期提醒期限已设为"+l.Label())
	http.Redirect(w, r, "/admin/desk", http.StatusSeeOther)
	return nil
}

// ---- Hotline records --------------------------------------------------

func (s *Server) callList(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	page := pageParam(r)
	const per = 100
	calls, total, err := s.DB.Calls(r.Context(), sc.UnitIDs, sc.Year, per, (page-1)*per)
	if err != nil {
		return err
	}
	p := s.page(w, r, "热线工单")
	p.Crumbs = deskCrumbs("热线工单")
	p.Data = map[string]any{"Scope": sc, "Calls": calls, "Total": total, "Page": page, "Pages": int((total + per - 1) / per)}
	return s.render(w, "admin/desk_calls", p)
}

func (s *Server) callFormPage(w http.ResponseWriter, r *http.Request, sc deskScope) *Page {
	p := s.page(w, r, "登记热线工单")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"热线工单", "/admin/desk/calls"}, {"登记", ""}}
	p.Data = map[string]any{"Scope": sc, "Channels": desk.Channels, "CallerTypes": desk.CallerTypes, "Topics": desk.Topics, "Ratings": desk.Ratings}
	return p
}

func (s *Server) callForm(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	p := s.callFormPage(w, r, sc)
	p.Values = map[string]string{"at": time.Now().In(desk.Shanghai).Format("2006-01-02 15:04"), "channel": "phone", "caller_type": "enterprise"}
	return s.render(w, "admin/desk_call_form", p)
}

func (s *Server) callCreate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	u := userOf(r)
	c := desk.Call{UnitID: sc.Unit.ID, Channel: r.PostFormValue("channel"), CallerType: r.PostFormValue("caller_type"),
		Topic: r.PostFormValue("topic"), Question: r.PostFormValue("question"), Answer: r.PostFormValue("answer"),
		Transferred: r.PostFormValue("transferred"), CallID: r.PostFormValue("call_id"), AgentID: u.ID, AgentName: u.DisplayName}
	var f errs.Fields
	if t, err := desk.ParseTime(r.PostFormValue("at")); err == nil {
		c.At = t
	} else if strings.TrimSpace(r.PostFormValue("at")) != "" {
		f.Add("at", "来电时间格式不正确，应为 2024-03-15 09:30")
	}
	if rating, ok := desk.ParseRating(r.PostFormValue("rating")); ok {
		c.Rating = rating
	} else {
		f.Add("rating", "满意度评价应为 1–5 分，或不填")
	}
	err = mergeFormErrors(f.Err(), desk.ValidateCall(&c))
	if err == nil {
		err = s.DB.CreateCall(r.Context(), actorOf(r), &c)
	}
	if err != nil {
		p := s.callFormPage(w, r, sc)
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_call_form", p)
	}
	s.setFlash(w, "已登记热线工单")
	http.Redirect(w, r, "/admin/desk/calls?"+sc.Query(), http.StatusSeeOther)
	return nil
}

// ---- Website visits ---------------------------------------------------

// MonthRow is a month's page views in the year and the year before.
type MonthRow struct {
	Month       int
	Cur, Prev   int64
	Growth      desk.Growth
	CurPartial  bool
	PrevPartial bool
}

// GroupRow is a page group's page views in the year and the year before.
type GroupRow struct {
	Group     string
	Cur, Prev int64
	Growth    desk.Growth
}

func (s *Server) visitsPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskViewRoles, true)
	if err != nil {
		return err
	}
	days, err := s.DB.Visits(r.Context(), sc.UnitIDs, fmt.Sprintf("%d-01-01", sc.Year-1), fmt.Sprintf("%d-12-31", sc.Year))
	if err != nil {
		return err
	}
	months := make([]MonthRow, 12)
	groups := map[string]*GroupRow{}
	var cur, prev int64
	for _, d := range days {
		y, _ := strconv.Atoi(d.Day[:4])
		m, _ := strconv.Atoi(d.Day[5:7])
		g := groups[d.Group]
		if g == nil {
			g = &GroupRow{Group: d.Group}
			groups[d.Group] = g
		}
		if y == sc.Year {
			months[m-1].Cur += d.Hits
			g.Cur += d.Hits
			cur += d.Hits
		} else {
			months[m-1].Prev += d.Hits
			g.Prev += d.Hits
			prev += d.Hits
		}
	}
	var labels []string
	var curS, prevS []int64
	for i := range months {
		months[i].Month = i + 1
		months[i].Growth = desk.GrowthOf(months[i].Cur, months[i].Prev)
		labels = append(labels, strconv.Itoa(i+1)+"月")
		curS = append(curS, months[i].Cur)
		prevS = append(prevS, months[i].Prev)
	}
	var grows []GroupRow
	for _, pg := range desk.PageGroups {
		if g := groups[pg.Key]; g != nil {
			g.Growth = desk.GrowthOf(g.Cur, g.Prev)
			grows = append(grows, *g)
		}
	}
	chart := barChart(fmt.Sprintf("%d年与%d年各月网站访问量", sc.Year, sc.Year-1), labels, []Series{
		{Name: strconv.Itoa(sc.Year - 1), Values: prevS, Fill: "#b1b4b6"},
		{Name: strconv.Itoa(sc.Year), Values: curS, Fill: "#1d4f91"},
	})
	p := s.page(w, r, "网站访问量")
	p.Crumbs = deskCrumbs("网站访问量")
	p.Data = map[string]any{"Scope": sc, "Months": months, "Groups": grows, "Cur": cur, "Prev": prev,
		"Growth": desk.GrowthOf(cur, prev), "Chart": chart}
	return s.render(w, "admin/desk_visits", p)
}

// ---- CSV imports ------------------------------------------------------

// maxImportUpload bounds a file uploaded through the back office; larger
// call-detail exports go through `gongkai desk import-cdr`, which streams.
const maxImportUpload = 50 << 20

func (s *Server) importListPage(w http.ResponseWriter, r *http.Request, sc deskScope) (*Page, error) {
	list, err := s.DB.DeskImports(r.Context(), sc.UnitIDs, 50)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "数据导入")
	p.Crumbs = deskCrumbs("数据导入")
	p.Data = map[string]any{"Scope": sc, "Imports": list, "Kinds": desk.ImportKinds, "MaxMB": maxImportUpload >> 20}
	return p, nil
}

func (s *Server) importList(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	p, err := s.importListPage(w, r, sc)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"kind": r.URL.Query().Get("kind")}
	return s.render(w, "admin/desk_imports", p)
}

// importUpload keeps the uploaded file in the database (so that any
// instance can serve the next step) and shows the column mapping.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	var f errs.Fields
	kind, ok := desk.KindByKey(r.FormValue("kind"))
	if !ok {
		f.Add("kind", "请选择导入的数据类型")
	}
	var content []byte
	var name string
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		f.Add("file", "请选择要导入的 CSV 文件")
	} else {
		defer file.Close()
		name = hdr.Filename
		content, err = io.ReadAll(io.LimitReader(file, maxImportUpload+1))
		switch {
		case err != nil:
			return err
		case len(content) > maxImportUpload:
			f.Add("file", "文件超过 %d MB：请用命令 gongkai desk import-cdr 导入大文件", maxImportUpload>>20)
		case len(content) == 0:
			f.Add("file", "文件是空的")
		}
	}
	if err := f.Err(); err != nil {
		p, perr := s.importListPage(w, r, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		p.Values["kind"] = r.FormValue("kind")
		return s.render(w, "admin/desk_imports", p)
	}
	id, err := s.DB.SaveDeskUpload(r.Context(), actorOf(r), sc.Unit.ID, kind.Key, name, content)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/desk/imports/upload/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// MapField is one field of the mapping form.
type MapField struct {
	Field  desk.Field
	Column string // the column chosen
}

func (s *Server) loadUpload(r *http.Request) (store.DeskUploadFile, desk.ImportKind, error) {
	id, err := pathID(r)
	if err != nil {
		return store.DeskUploadFile{}, desk.ImportKind{}, err
	}
	up, err := s.DB.DeskUpload(r.Context(), id)
	if err != nil {
		return up, desk.ImportKind{}, err
	}
	if !hasRoleIn(userOf(r), up.UnitID, deskWorkRoles) {
		return up, desk.ImportKind{}, errs.E(errs.Forbidden, "您无权导入该单位的数据")
	}
	kind, ok := desk.KindByKey(up.Kind)
	if !ok {
		return up, kind, errs.E(errs.NotFound, "未知的导入类型")
	}
	return up, kind, nil
}

// mappingPage shows the file's columns, a mapping for each field (the
// saved one chosen, or one suggested from the column names), the first
// rows, and the choice of what to do with bad rows.
func (s *Server) mappingPage(w http.ResponseWriter, r *http.Request, up store.DeskUploadFile, kind desk.ImportKind, m desk.Mapping) (*Page, error) {
	enc := m.Encoding
	if enc == "" {
		enc = desk.DetectEncoding(up.Content[:min(len(up.Content), 64<<10)])
		m.Encoding = enc
	}
	header, herr := desk.ReadHeader(bytes.NewReader(up.Content), enc)
	saved, err := s.DB.DeskMappings(r.Context(), up.UnitID, kind.Key)
	if err != nil {
		return nil, err
	}
	if m.Columns == nil {
		m = desk.Suggest(kind, header)
		m.Encoding = enc
	}
	var fields []MapField
	for _, f := range kind.Fields {
		fields = append(fields, MapField{Field: f, Column: m.Columns[f.Key]})
	}
	var preview [][]string
	if herr == nil {
		preview = previewRows(up.Content, enc, 6)
	}
	answered, abandoned := m.Answered, m.Abandoned
	if len(answered) == 0 {
		answered = desk.DefaultAnswered
	}
	if len(abandoned) == 0 {
		abandoned = desk.DefaultAbandoned
	}
	p := s.page(w, r, "导入"+kind.Label)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"数据导入", "/admin/desk/imports"}, {up.Name, ""}}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	if _, ok := p.Values["mode"]; !ok {
		p.Values["mode"] = desk.ModeGood
	}
	p.Values["encoding"] = enc
	p.Values["answered"] = strings.Join(answered, "，")
	p.Values["abandoned"] = strings.Join(abandoned, "，")
	p.Data = map[string]any{"Upload": up, "Kind": kind, "Header": header, "HeaderErr": errMessage(herr), "Fields": fields,
		"Preview": preview, "Saved": saved, "IsCDR": kind.Key == desk.ImportCDR, "Size": len(up.Content)}
	return p, nil
}

func errMessage(err error) string {
	if err == nil {
		return ""
	}
	return errs.MessageOf(err)
}

func previewRows(content []byte, enc string, n int) [][]string {
	rows, _ := desk.Preview(bytes.NewReader(content), enc, n)
	return rows
}

func (s *Server) importMapping(w http.ResponseWriter, r *http.Request) error {
	up, kind, err := s.loadUpload(r)
	if err != nil {
		return err
	}
	var m desk.Mapping
	if name := r.URL.Query().Get("mapping"); name != "" {
		saved, err := s.DB.DeskMappings(r.Context(), up.UnitID, kind.Key)
		if err != nil {
			return err
		}
		for _, sm := range saved {
			if sm.Name == name {
				m = sm.Mapping
			}
		}
	}
	if enc := r.URL.Query().Get("encoding"); enc != "" {
		m.Encoding = enc
	}
	p, err := s.mappingPage(w, r, up, kind, m)
	if err != nil {
		return err
	}
	return s.render(w, "admin/desk_import_map", p)
}

func splitValues(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// importRun runs the import with the mapping from the form.
func (s *Server) importRun(w http.ResponseWriter, r *http.Request) error {
	up, kind, err := s.loadUpload(r)
	if err != nil {
		return err
	}
	m := desk.Mapping{Columns: map[string]string{}, Encoding: r.PostFormValue("encoding")}
	for _, f := range kind.Fields {
		if c := strings.TrimSpace(r.PostFormValue("col_" + f.Key)); c != "" {
			m.Columns[f.Key] = c
		}
	}
	if kind.Key == desk.ImportCDR {
		m.Answered, m.Abandoned = splitValues(r.PostFormValue("answered")), splitValues(r.PostFormValue("abandoned"))
	}
	mode := r.PostFormValue("mode")
	saveAs := strings.TrimSpace(r.PostFormValue("save_as"))
	var res desk.Result
	// Check the mapping against the header before anything is recorded, so
	// that a wrong choice is shown next to its field.
	_, err = desk.NewReader(kind, m, bytes.NewReader(up.Content))
	if err == nil && mode != desk.ModeGood && mode != desk.ModeAll {
		err = errs.FieldError("mode", "请选择有错误行时的处理方式")
	}
	if err == nil && saveAs != "" {
		err = s.DB.SaveDeskMapping(r.Context(), actorOf(r), up.UnitID, kind.Key, saveAs, m)
	}
	if err == nil {
		open := func() (io.ReadCloser, int64, error) {
			return io.NopCloser(bytes.NewReader(up.Content)), int64(len(up.Content)), nil
		}
		actor := actorOf(r)
		actor.UnitID = up.UnitID
		res, err = s.DB.ImportDesk(r.Context(), actor, up.UnitID, kind, up.Name, m, mode, open, 0, nil)
		if err != nil && res.ImportID != 0 && errs.CodeOf(err) == errs.Internal {
			s.Log.Error("desk import failed", "import", res.ImportID, "err", err)
			err = nil // the import's page says it failed and was undone
		}
	}
	if err != nil {
		p, perr := s.mappingPage(w, r, up, kind, m)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_import_map", p)
	}
	http.Redirect(w, r, "/admin/desk/imports/"+strconv.FormatInt(res.ImportID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) importView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	im, err := s.DB.DeskImport(r.Context(), id)
	if err != nil {
		return err
	}
	if !hasRoleIn(userOf(r), im.UnitID, deskWorkRoles) {
		return errs.E(errs.Forbidden, "您无权查看该单位的导入记录")
	}
	kind, _ := desk.KindByKey(im.Kind)
	p := s.page(w, r, "导入结果")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"数据导入", "/admin/desk/imports"}, {fmt.Sprintf("第 %d 次导入", im.ID), ""}}
	p.Data = map[string]any{"I": im, "Kind": kind}
	return s.render(w, "admin/desk_import", p)
}
