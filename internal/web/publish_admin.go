package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/store"
)

// The back office of proactive disclosure: the work queue, the item editor,
// the workflow's actions, the catalogue, the registers of 条例第二十条 and
// the statistics of the annual report.

const (
	maxItemUpload     = 110 << 20 // five attachments of 20 MB and the form
	maxDecisionUpload = 16 << 20
)

// pubRoles may use the back office of proactive disclosure.
var pubRoles = []org.Role{org.RoleEditor, org.RoleReviewer, org.RoleLegal, org.RoleStatistician, org.RoleAdmin, org.RoleOfficeHead}

func hasAny(u *org.User, unitID int64, roles ...org.Role) bool {
	for _, r := range roles {
		if u.Has(r, unitID) {
			return true
		}
	}
	return false
}

// pubUnit is the unit the page works on: ?unit=ID, or the user's own unit.
// The user must hold a role of proactive disclosure there.
func (s *Server) pubUnit(r *http.Request) (org.Unit, error) {
	u := userOf(r)
	id := u.UnitID
	if v, err := strconv.ParseInt(r.FormValue("unit"), 10, 64); err == nil && v > 0 {
		id = v
	}
	if !hasAny(u, id, pubRoles...) {
		for _, g := range u.Grants {
			if hasAny(u, g.UnitID, pubRoles...) && r.FormValue("unit") == "" {
				id = g.UnitID
				break
			}
		}
	}
	if !hasAny(u, id, pubRoles...) {
		return org.Unit{}, errs.E(errs.Forbidden, "您在该单位没有主动公开相关角色（信息起草、审查、法制审核、统计或管理员）")
	}
	return s.DB.Unit(r.Context(), id)
}

func unitQuery(unit org.Unit, u *org.User) string {
	if unit.ID == u.UnitID {
		return ""
	}
	return "?unit=" + strconv.FormatInt(unit.ID, 10)
}

// deptNames maps a unit's departments by id.
func (s *Server) deptNames(ctx context.Context, unitID int64) ([]org.Department, map[int64]string, error) {
	ds, err := s.DB.Departments(ctx, unitID)
	if err != nil {
		return nil, nil, err
	}
	m := map[int64]string{}
	for _, d := range ds {
		m[d.ID] = d.Name
	}
	return ds, m, nil
}

// QueueRow is an item in a work queue.
type QueueRow struct {
	store.ItemRow
	Department string
	Category   string
	Due        calendar.Date
	Left       int
	HasDue     bool
}

// QueueSection is one list of the work queue.
type QueueSection struct {
	Title string
	Hint  string
	Rows  []QueueRow
	Empty string
}

func (s *Server) deadlineOfRow(cal *calendar.Calendar, row store.ItemRow, today calendar.Date) (publish.Deadline, bool) {
	it := publish.Item{Version: row.Version, PublishedVersion: row.PublishedVersion, PublishAt: row.PublishAt,
		Content: publish.Content{Attribute: row.Attribute, MadeOn: row.MadeOn}}
	d, ok, err := publish.DeadlineOf(cal, it, shanghai)
	if err != nil || !ok {
		return d, false
	}
	return d, true
}

// pubQueue is the work queue: what waits for the user, the deadlines of
// 条例第二十六条 (overdue first), and what went out lately.
func (s *Server) pubQueue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	who := publish.ActorOf(*u, unit.ID)
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	_, depts, err := s.deptNames(ctx, unit.ID)
	if err != nil {
		return err
	}
	cats, err := s.DB.PublishCategories(ctx, unit.ID)
	if err != nil {
		return err
	}
	catName := map[int64]string{}
	for _, c := range cats {
		catName[c.ID] = c.Name
	}
	scope, _ := s.DB.Setting(ctx, store.ReviewScopeSetting, string(publish.ScopeDepartment))
	today := calendar.Today(shanghai)
	rowsOf := func(f store.ItemFilter) ([]QueueRow, error) {
		f.UnitID = unit.ID
		if f.Limit == 0 {
			f.Limit = 200
		}
		items, _, err := s.DB.PublishItems(ctx, f)
		if err != nil {
			return nil, err
		}
		var out []QueueRow
		for _, it := range items {
			q := QueueRow{ItemRow: it, Department: depts[it.DepartmentID], Category: catName[it.CategoryID]}
			if d, ok := s.deadlineOfRow(cal, it, today); ok && d.Done.IsZero() {
				q.Due, q.Left, q.HasDue = d.Due, d.Left(cal, today), true
			}
			out = append(out, q)
		}
		return out, nil
	}
	var sections []QueueSection
	add := func(title, hint, empty string, f store.ItemFilter, keep func(QueueRow) bool) error {
		rows, err := rowsOf(f)
		if err != nil {
			return err
		}
		var kept []QueueRow
		for _, x := range rows {
			if keep == nil || keep(x) {
				kept = append(kept, x)
			}
		}
		sort.SliceStable(kept, func(i, j int) bool {
			a, b := kept[i], kept[j]
			if a.HasDue != b.HasDue {
				return a.HasDue
			}
			return a.HasDue && a.Due.Before(b.Due)
		})
		sections = append(sections, QueueSection{Title: title, Hint: hint, Rows: kept, Empty: empty})
		return nil
	}
	// Overdue and due soon: every 主动公开 item not yet published (第二十六条).
	pending, err := rowsOf(store.ItemFilter{Attribute: publish.Active, States: []publish.State{publish.Draft, publish.Review, publish.Legal, publish.Approved}, Limit: 1000})
	if err != nil {
		return err
	}
	var overdue, soon []QueueRow
	for _, x := range pending {
		switch {
		case x.HasDue && x.Left < 0:
			overdue = append(overdue, x)
		case x.HasDue && x.Left <= 5:
			soon = append(soon, x)
		}
	}
	sort.Slice(overdue, func(i, j int) bool { return overdue[i].Due.Before(overdue[j].Due) })
	sort.Slice(soon, func(i, j int) bool { return soon[i].Due.Before(soon[j].Due) })
	sections = append(sections, QueueSection{Title: "逾期未发布", Hint: "条例第二十六条：主动公开的信息应当自形成或者变更之日起 20 个工作日内公开。", Rows: overdue, Empty: "没有逾期未发布的信息。"})
	sections = append(sections, QueueSection{Title: "5 个工作日内到期", Rows: soon, Empty: "近期没有到期的信息。"})
	if who.Has(org.RoleReviewer) {
		_, _, why, err := s.reviewScope(ctx, u, unit.ID)
		if err != nil {
			return err
		}
		if err := add("待我审查", "先审查、后公开；谁公开、谁审查。"+why, "没有待您审查的信息。"+why, store.ItemFilter{States: []publish.State{publish.Review}}, func(x QueueRow) bool {
			return publish.ReviewScope(scope) == publish.ScopeUnit || who.DepartmentID == 0 || who.DepartmentID == x.DepartmentID
		}); err != nil {
			return err
		}
	}
	if who.Has(org.RoleLegal) {
		if err := add("待法制审核", "不予公开的决定和起草人申请的信息须经法制审核。", "没有待法制审核的信息。", store.ItemFilter{States: []publish.State{publish.Legal}}, nil); err != nil {
			return err
		}
	}
	if who.Has(org.RoleEditor) || who.Has(org.RoleReviewer) {
		if err := add("已审定待发布", "", "没有待发布的信息。", store.ItemFilter{States: []publish.State{publish.Approved}, Attribute: publish.Active}, nil); err != nil {
			return err
		}
	}
	if who.Has(org.RoleEditor) {
		if err := add("草稿和退回修改", "", "没有草稿。", store.ItemFilter{States: []publish.State{publish.Draft}}, nil); err != nil {
			return err
		}
	}
	if err := add("定时发布", "到达设定时间时在门户网站公开。", "没有定时发布的信息。", store.ItemFilter{States: []publish.State{publish.Scheduled}}, func(x QueueRow) bool {
		return x.PublishAt.After(time.Now())
	}); err != nil {
		return err
	}
	if err := add("最近发布", "", "尚未发布信息。", store.ItemFilter{States: []publish.State{publish.Published, publish.Scheduled}, Limit: 15}, func(x QueueRow) bool {
		return !x.PublishAt.After(time.Now())
	}); err != nil {
		return err
	}
	p := s.page(w, r, "主动公开")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", ""}}
	p.Data = map[string]any{"Unit": unit, "UQ": unitQuery(unit, u), "Sections": sections, "CanCreate": who.Has(org.RoleEditor),
		"Units": s.pubUnits(r), "Today": today}
	return s.render(w, "admin/publish_queue", p)
}

// pubUnits lists the units where the user may use this back office.
func (s *Server) pubUnits(r *http.Request) []org.Unit {
	u := userOf(r)
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return nil
	}
	var out []org.Unit
	for _, x := range units {
		if hasAny(u, x.ID, pubRoles...) {
			out = append(out, x)
		}
	}
	return out
}

// pubList lists all items of the unit, filtered.
func (s *Server) pubList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.ItemFilter{UnitID: unit.ID, Query: q.Get("q"), Limit: 50, Offset: (pageParam(r) - 1) * 50}
	if st := q.Get("state"); st != "" {
		f.States = []publish.State{publish.State(st)}
	}
	if a := q.Get("attribute"); a != "" {
		f.Attribute = publish.Attribute(a)
	}
	f.CategoryID, _ = strconv.ParseInt(q.Get("category"), 10, 64)
	items, total, err := s.DB.PublishItems(ctx, f)
	if err != nil {
		return err
	}
	_, depts, err := s.deptNames(ctx, unit.ID)
	if err != nil {
		return err
	}
	cats, err := s.DB.PublishCategories(ctx, unit.ID)
	if err != nil {
		return err
	}
	catName := map[int64]string{}
	for _, c := range cats {
		catName[c.ID] = c.Name
	}
	var rows []QueueRow
	for _, it := range items {
		rows = append(rows, QueueRow{ItemRow: it, Department: depts[it.DepartmentID], Category: catName[it.CategoryID]})
	}
	p := s.page(w, r, "全部信息")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, userOf(r))}, {"全部信息", ""}}
	p.Values = map[string]string{"q": q.Get("q"), "state": q.Get("state"), "attribute": q.Get("attribute"), "category": q.Get("category")}
	p.Data = map[string]any{"Unit": unit, "Rows": rows, "Total": total, "Cats": cats, "Pager": pager(r, pageParam(r), (total+49)/50, total),
		"States":     []publish.State{publish.Draft, publish.Review, publish.Legal, publish.Approved, publish.Scheduled, publish.Published, publish.Withdrawn},
		"Attributes": publish.Attributes}
	return s.render(w, "admin/publish_list", p)
}

// itemFormData is what the item form needs to offer.
func (s *Server) itemFormData(ctx context.Context, unit org.Unit) (map[string]any, error) {
	depts, _, err := s.deptNames(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	cats, err := s.DB.PublishCategories(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	if len(cats) == 0 {
		return nil, errs.E(errs.Conflict, "%s尚未建立主动公开目录，请系统管理员先在“目录管理”中创建", unit.Name)
	}
	c := &catalogue{list: cats, byID: map[int64]publish.Category{}}
	for _, x := range cats {
		c.byID[x.ID] = x
	}
	return map[string]any{"Unit": unit, "Departments": depts, "Nodes": c.nodes(nil), "Attributes": publish.Attributes,
		"Grounds": publish.WithheldGrounds, "Kinds": []publish.DocKind{publish.Ordinary, publish.Normative, publish.Rule},
		"Accept": publish.AcceptedExtensions}, nil
}

func (s *Server) pubNewForm(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	data, err := s.itemFormData(r.Context(), unit)
	if err != nil {
		return err
	}
	u := userOf(r)
	p := s.page(w, r, "新建信息")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, u)}, {"新建信息", ""}}
	p.Values = map[string]string{"made_on": calendar.Today(shanghai).String(), "attribute": string(publish.Active)}
	if u.UnitID == unit.ID && u.DepartmentID != 0 {
		p.Values["department"] = strconv.FormatInt(u.DepartmentID, 10)
	}
	data["Action"] = "/admin/publish/new"
	p.Data = data
	return s.render(w, "admin/publish_form", p)
}

// contentFromForm reads an item's content from the editor's form.
func contentFromForm(r *http.Request) publish.Content {
	id := func(k string) int64 {
		n, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(k)), 10, 64)
		return n
	}
	date := func(k string) calendar.Date {
		d, _ := calendar.ParseDate(strings.TrimSpace(r.PostFormValue(k)))
		return d
	}
	c := publish.Content{
		Title: r.PostFormValue("title"), DocNo: r.PostFormValue("doc_no"), DepartmentID: id("department"), MadeOn: date("made_on"),
		CategoryID: id("category"), Attribute: publish.Attribute(r.PostFormValue("attribute")), Ground: r.PostFormValue("ground"),
		Body: publish.BodyFromInput(r.PostFormValue("body")), DocKind: publish.DocKind(r.PostFormValue("doc_kind")), ValidFrom: date("valid_from"),
		LegalReview: r.PostFormValue("legal_review") == "1", Interprets: id("interprets"),
	}
	for _, v := range r.PostForm["keep"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.Attachments = append(c.Attachments, n)
		}
	}
	return c
}

// uploadsFromForm reads, sniffs and checks the files of the form.
func uploadsFromForm(r *http.Request) ([]publish.Upload, error) {
	if r.MultipartForm == nil {
		return nil, nil
	}
	var out []publish.Upload
	var f errs.Fields
	for _, fh := range r.MultipartForm.File["files"] {
		name := publish.CleanName(fh.Filename)
		if name == "" && fh.Size == 0 {
			continue
		}
		if fh.Size > publish.MaxAttachmentSize {
			f.Add("files", "附件“%s”超过 20 MB", name)
			continue
		}
		file, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(file, publish.MaxAttachmentSize+1))
		file.Close()
		if err != nil {
			return nil, err
		}
		typ, err := publish.CheckAttachment(name, http.DetectContentType(data), int64(len(data)))
		if err != nil {
			f.Add("files", "%s", errs.MessageOf(err))
			continue
		}
		out = append(out, publish.Upload{Name: name, Type: typ, Data: data, Text: publish.ExtractText(name, data)})
	}
	if len(out) > 10 {
		f.Add("files", "一次最多上传 10 个附件")
	}
	return out, f.Err()
}

// withContentErrors adds the content's own field errors to the errors of
// its uploads, so that the form reports everything at once.
func withContentErrors(uploadErr error, c publish.Content) error {
	fe, ok := uploadErr.(*errs.FormError)
	if !ok {
		return uploadErr
	}
	c.Attachments = append(c.Attachments, 0) // the refused upload was meant to count
	if verr, ok := publish.ValidateContent(&c).(*errs.FormError); ok {
		return &errs.FormError{Fields: append(verr.Fields, fe.Fields...)}
	}
	return fe
}

func (s *Server) pubCreate(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	ups, err := uploadsFromForm(r)
	var it publish.Item
	if err == nil {
		it, err = s.DB.CreateItem(r.Context(), actorOf(r), publish.ActorOf(*u, unit.ID), unit.ID, store.ItemInput{Content: contentFromForm(r), Uploads: ups})
	} else {
		err = withContentErrors(err, contentFromForm(r))
	}
	if err != nil {
		return s.itemFormError(w, r, unit, err, "新建信息", "/admin/publish/new", nil)
	}
	s.setFlash(w, "已保存草稿“"+it.Content.Title+"”。审查通过后方可发布。")
	http.Redirect(w, r, "/admin/publish/items/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) itemFormError(w http.ResponseWriter, r *http.Request, unit org.Unit, err error, title, action string, item *publish.Item) error {
	p := s.page(w, r, title)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, userOf(r))}, {title, ""}}
	if ferr := formError(p, r, err); ferr != nil {
		return ferr
	}
	data, derr := s.itemFormData(r.Context(), unit)
	if derr != nil {
		return derr
	}
	data["Action"], data["Kept"] = action, r.PostForm["keep"]
	if item != nil {
		data["Item"] = item
		atts, aerr := s.DB.PublishAttachments(r.Context(), item.ID)
		if aerr != nil {
			return aerr
		}
		data["Attachments"] = atts
	}
	if r.MultipartForm != nil && len(r.MultipartForm.File["files"]) > 0 {
		data["Reselect"] = true
	}
	p.Data = data
	return s.render(w, "admin/publish_form", p)
}

// loadItemForStaff loads an item and checks that the user has a role in
// its unit.
func (s *Server) loadItemForStaff(r *http.Request) (publish.Item, org.Unit, error) {
	id, err := pathID(r)
	if err != nil {
		return publish.Item{}, org.Unit{}, err
	}
	it, err := s.DB.PublishItem(r.Context(), id)
	if err != nil {
		return it, org.Unit{}, err
	}
	if !hasAny(userOf(r), it.UnitID, pubRoles...) {
		return it, org.Unit{}, errs.E(errs.Forbidden, "您在该信息所属单位没有主动公开相关角色")
	}
	unit, err := s.DB.Unit(r.Context(), it.UnitID)
	return it, unit, err
}

func (s *Server) pubEditForm(w http.ResponseWriter, r *http.Request) error {
	it, unit, err := s.loadItemForStaff(r)
	if err != nil {
		return err
	}
	data, err := s.itemFormData(r.Context(), unit)
	if err != nil {
		return err
	}
	atts, err := s.DB.PublishAttachments(r.Context(), it.ID)
	if err != nil {
		return err
	}
	c := it.Content
	title := "修改信息"
	if it.State != publish.Draft {
		title = "更新已发布的信息"
	}
	p := s.page(w, r, title)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, userOf(r))}, {c.Title, "/admin/publish/items/" + strconv.FormatInt(it.ID, 10)}, {title, ""}}
	p.Values = map[string]string{"title": c.Title, "doc_no": c.DocNo, "department": strconv.FormatInt(c.DepartmentID, 10), "made_on": c.MadeOn.String(),
		"category": strconv.FormatInt(c.CategoryID, 10), "attribute": string(c.Attribute), "ground": c.Ground, "body": c.Body, "doc_kind": string(c.DocKind),
		"valid_from": c.ValidFrom.String(), "expect": strconv.Itoa(it.Events)}
	if c.LegalReview {
		p.Values["legal_review"] = "1"
	}
	if c.Interprets != 0 {
		p.Values["interprets"] = strconv.FormatInt(c.Interprets, 10)
	}
	var kept []string
	for _, id := range c.Attachments {
		kept = append(kept, strconv.FormatInt(id, 10))
	}
	data["Action"], data["Item"], data["Attachments"], data["Kept"] = "/admin/publish/items/"+strconv.FormatInt(it.ID, 10)+"/edit", it, atts, kept
	p.Data = data
	return s.render(w, "admin/publish_form", p)
}

func (s *Server) pubSave(w http.ResponseWriter, r *http.Request) error {
	it, unit, err := s.loadItemForStaff(r)
	if err != nil {
		return err
	}
	expect, _ := strconv.Atoi(r.PostFormValue("expect"))
	ups, err := uploadsFromForm(r)
	if err != nil {
		err = withContentErrors(err, contentFromForm(r))
	} else {
		_, err = s.DB.SaveItem(r.Context(), actorOf(r), publish.ActorOf(*userOf(r), unit.ID), it.ID, expect, store.ItemInput{Content: contentFromForm(r), Uploads: ups})
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Forbidden {
			return err
		}
		return s.itemFormError(w, r, unit, err, "修改信息", "/admin/publish/items/"+strconv.FormatInt(it.ID, 10)+"/edit", &it)
	}
	msg := "已保存新版本。"
	if it.State != publish.Draft {
		msg = "已保存更新稿。原发布版本在门户网站上保持公开，更新稿经审查后发布。"
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/publish/items/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}

// ActionView is a workflow action the user may take now.
type ActionView struct {
	Kind   publish.EventKind
	Label  string
	Reason bool   // asks for a reason
	Danger bool   // styled as a warning
	Hint   string // shown above the button
}

// allowedActions tries every action on a copy of the item: the domain's
// own rules decide which buttons the page shows.
func allowedActions(it publish.Item, who publish.Actor, scope publish.ReviewScope) []ActionView {
	now := time.Now()
	var out []ActionView
	try := func(k publish.EventKind, label string, reason, danger bool, hint string) {
		if publish.Authorize(it, k, who, scope) != nil {
			return
		}
		e := publish.Event{Seq: it.Events + 1, Kind: k, At: now, ActorID: who.UserID, Version: it.Version, Reason: "x", PublishAt: now.Add(time.Second),
			Validity: publish.Abolished, ValidityOn: calendar.Today(shanghai)}
		if _, err := publish.Apply(it, e); err != nil {
			return
		}
		out = append(out, ActionView{Kind: k, Label: label, Reason: reason, Danger: danger, Hint: hint})
	}
	try(publish.EvSubmit, "提交审查", false, false, "")
	hint := ""
	if it.Content.NeedsLegal() {
		hint = "审查通过后将转法制审核。"
	}
	try(publish.EvApprove, "审查通过", false, false, hint)
	try(publish.EvReturn, "退回修改", true, true, "")
	try(publish.EvLegalApprove, "法制审核通过", false, false, "")
	try(publish.EvLegalReturn, "法制审核退回", true, true, "")
	try(publish.EvPublish, "发布", false, false, "")
	try(publish.EvUnschedule, "取消定时发布", true, true, "")
	try(publish.EvWithdraw, "撤回", true, true, "撤回后信息立即从门户网站和站内搜索中移除。")
	return out
}

// EventView is a line of an item's history.
type EventView struct {
	publish.Event
	Detail string
}

// pubAdminItem is an item's page in the back office: where it stands, its
// deadline, what the user may do, its content, attachments and history.
func (s *Server) pubAdminItem(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	it, unit, err := s.loadItemForStaff(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	who := publish.ActorOf(*u, unit.ID)
	scope, err := s.DB.Setting(ctx, store.ReviewScopeSetting, string(publish.ScopeDepartment))
	if err != nil {
		return err
	}
	events, err := s.DB.PublishEvents(ctx, it.ID)
	if err != nil {
		return err
	}
	all, err := s.DB.PublishAttachments(ctx, it.ID)
	if err != nil {
		return err
	}
	var atts []publish.Attachment // those of the latest version
	for _, a := range all {
		for _, id := range it.Content.Attachments {
			if a.ID == id {
				atts = append(atts, a)
			}
		}
	}
	pubRows, err := s.DB.PubRows(ctx, it.ID)
	if err != nil {
		return err
	}
	reviewers, err := s.DB.Reviewers(ctx, unit.ID, it.Content.DepartmentID)
	if err != nil {
		return err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return err
	}
	_, depts, err := s.deptNames(ctx, unit.ID)
	if err != nil {
		return err
	}
	cats, err := s.DB.PublishCategories(ctx, unit.ID)
	if err != nil {
		return err
	}
	var catName string
	for _, c := range cats {
		if c.ID == it.Content.CategoryID {
			catName = c.Name
		}
	}
	data := map[string]any{"Item": it, "Unit": unit, "Effective": it.Effective(time.Now()), "Department": depts[it.Content.DepartmentID], "Category": catName,
		"Body": template.HTML(it.Content.Body), "Attachments": atts, "PubRows": pubRows, "Reviewers": reviewers,
		"Actions": allowedActions(it, who, publish.ReviewScope(scope)), "CanEdit": publish.Authorize(it, publish.EvEdit, who, publish.ScopeUnit) == nil && (it.State == publish.Draft || it.Effective(time.Now()) == publish.Published || it.State == publish.Withdrawn),
		"CanValidity": it.Content.DocKind != publish.Ordinary && it.EverPublished() && publish.Authorize(it, publish.EvValidity, who, publish.ScopeUnit) == nil,
		"Validities":  []publish.Validity{publish.Valid, publish.Expired, publish.Abolished},
		"Now":         time.Now().In(shanghai).Add(time.Hour).Format("2006-01-02T15:04")}
	if d, ok, err := publish.DeadlineOf(cal, it, shanghai); err != nil {
		return err
	} else if ok {
		today := calendar.Today(shanghai)
		data["Deadline"], data["DeadlineLeft"], data["Explain"] = d, d.Left(cal, today), d.Result.Explain()
		data["Overdue"], data["Late"] = d.Overdue(today), d.Late()
	}
	var evs []EventView
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		v := EventView{Event: e}
		switch e.Kind {
		case publish.EvPublish:
			if e.PublishAt.After(e.At.Add(time.Second)) {
				v.Detail = "定时于 " + e.PublishAt.In(shanghai).Format("2006-01-02 15:04") + " 公开"
			}
		case publish.EvValidity:
			v.Detail = e.Validity.Label() + " " + e.ValidityOn.String()
		case publish.EvCreate, publish.EvEdit, publish.EvRevise:
			v.Detail = "第 " + strconv.Itoa(e.Version) + " 版"
		}
		if e.Reason != "" {
			if v.Detail != "" {
				v.Detail += "；"
			}
			v.Detail += "理由：" + e.Reason
		}
		evs = append(evs, v)
	}
	data["Events"] = evs
	p := s.page(w, r, it.Content.Title)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, u)}, {it.Content.Title, ""}}
	p.Data = data
	return s.render(w, "admin/publish_item", p)
}

// pubAct applies one workflow action from the item page.
func (s *Server) pubAct(w http.ResponseWriter, r *http.Request) error {
	it, unit, err := s.loadItemForStaff(r)
	if err != nil {
		return err
	}
	expect, _ := strconv.Atoi(r.PostFormValue("expect"))
	a := store.Act{Kind: publish.EventKind(r.PostFormValue("kind")), Reason: r.PostFormValue("reason"), Validity: publish.Validity(r.PostFormValue("validity"))}
	a.ValidityOn, _ = calendar.ParseDate(strings.TrimSpace(r.PostFormValue("validity_on")))
	if a.Kind == publish.EvPublish && r.PostFormValue("when") == "at" {
		t, perr := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(r.PostFormValue("publish_at")), shanghai)
		if perr != nil {
			return s.actError(w, r, it, errs.FieldError("publish_at", "请填写定时发布的日期和时间"))
		}
		a.PublishAt = t
	}
	next, err := s.DB.ActOnItem(r.Context(), actorOf(r), publish.ActorOf(*userOf(r), unit.ID), it.ID, expect, a)
	if err != nil {
		return s.actError(w, r, it, err)
	}
	msg := "已" + a.Kind.Label() + "。"
	switch {
	case a.Kind == publish.EvPublish && next.State == publish.Scheduled:
		msg = "已设定于 " + next.PublishAt.In(shanghai).Format("2006-01-02 15:04") + " 发布。届时门户网站和站内搜索同时可见。"
	case a.Kind == publish.EvPublish:
		msg = "已发布，门户网站和站内搜索即时可见。"
	case a.Kind == publish.EvApprove && next.State == publish.Legal:
		msg = "审查通过，已转法制审核。"
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/publish/items/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
	return nil
}

// actError shows a refused action as one sentence on the item page.
func (s *Server) actError(w http.ResponseWriter, r *http.Request, it publish.Item, err error) error {
	switch errs.CodeOf(err) {
	case errs.Invalid, errs.Conflict, errs.Forbidden:
		s.setFlash(w, "未能完成："+errs.MessageOf(err))
		http.Redirect(w, r, "/admin/publish/items/"+strconv.FormatInt(it.ID, 10), http.StatusSeeOther)
		return nil
	}
	return err
}

// pubVersion shows one stored version of an item.
func (s *Server) pubVersion(w http.ResponseWriter, r *http.Request) error {
	it, unit, err := s.loadItemForStaff(r)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(r.PathValue("v"))
	if err != nil || v < 1 || v > it.Version {
		return errs.E(errs.NotFound, "版本不存在")
	}
	c, err := s.DB.PublishVersion(r.Context(), it.ID, v)
	if err != nil {
		return err
	}
	p := s.page(w, r, c.Title+"（第 "+strconv.Itoa(v)+" 版）")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, userOf(r))}, {it.Content.Title, "/admin/publish/items/" + strconv.FormatInt(it.ID, 10)}, {"第 " + strconv.Itoa(v) + " 版", ""}}
	p.Data = map[string]any{"Item": it, "V": v, "C": c, "Body": template.HTML(c.Body)}
	return s.render(w, "admin/publish_version", p)
}

// pubStaffFile lets staff download any attachment of an item of their unit.
func (s *Server) pubStaffFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, data, err := s.DB.PublishAttachmentData(r.Context(), id)
	if err != nil {
		return err
	}
	it, err := s.DB.PublishItem(r.Context(), a.ItemID)
	if err != nil {
		return err
	}
	if !hasAny(userOf(r), it.UnitID, pubRoles...) {
		return errs.E(errs.Forbidden, "您无权下载该附件")
	}
	serveFile(w, a.Name, a.Type, data)
	return nil
}

// pubCatalogue shows a unit's catalogue; administrators add categories.
func (s *Server) pubCatalogue(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	return s.renderCatalogue(w, r, unit, nil)
}

func (s *Server) renderCatalogue(w http.ResponseWriter, r *http.Request, unit org.Unit, ferr error) error {
	cats, counts, err := s.pub().Categories(r.Context(), unit.ID)
	if err != nil {
		return err
	}
	c := &catalogue{list: cats, counts: counts, byID: map[int64]publish.Category{}}
	for _, x := range cats {
		c.byID[x.ID] = x
	}
	p := s.page(w, r, "主动公开目录管理")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, userOf(r))}, {"目录管理", ""}}
	if ferr != nil {
		if e := formError(p, r, ferr); e != nil {
			return e
		}
	}
	p.Data = map[string]any{"Unit": unit, "Nodes": c.nodes(nil), "IsAdmin": userOf(r).Has(org.RoleAdmin, unit.ID), "Columns": publish.ColumnNames}
	return s.render(w, "admin/publish_catalogue", p)
}

func (s *Server) pubCategoryCreate(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	if !userOf(r).Has(org.RoleAdmin, unit.ID) {
		return errs.E(errs.Forbidden, "目录由本单位系统管理员维护")
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	c := publish.Category{UnitID: unit.ID, ParentID: parent, Slug: r.PostFormValue("slug"), Name: r.PostFormValue("name"), Noun: r.PostFormValue("noun"),
		Measure: r.PostFormValue("measure"), Article: strings.TrimSpace(r.PostFormValue("article")), Column: r.PostFormValue("column"),
		InReport: r.PostFormValue("in_report") == "1", Intro: strings.TrimSpace(r.PostFormValue("intro"))}
	if err := s.DB.CreateCategory(r.Context(), actorOf(r), &c); err != nil {
		return s.renderCatalogue(w, r, unit, err)
	}
	s.setFlash(w, "已添加类别“"+c.Name+"”")
	http.Redirect(w, r, "/admin/publish/catalogue"+unitQuery(unit, userOf(r)), http.StatusSeeOther)
	return nil
}

func (s *Server) pubCatalogueDefault(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	if !userOf(r).Has(org.RoleAdmin, unit.ID) {
		return errs.E(errs.Forbidden, "目录由本单位系统管理员维护")
	}
	created, err := s.DB.EnsureCatalogue(r.Context(), actorOf(r), unit.ID, publish.CustomsCatalogue())
	if err != nil {
		return err
	}
	if created {
		s.setFlash(w, "已按海关默认目录建立主动公开目录")
	} else {
		s.setFlash(w, "本单位已有目录，未作改动")
	}
	http.Redirect(w, r, "/admin/publish/catalogue"+unitQuery(unit, userOf(r)), http.StatusSeeOther)
	return nil
}

// DocView is a rule or normative document in the register.
type DocView struct {
	store.ItemRow
	InForce bool
}

// pubRegisters shows the registers of 条例第二十条: decisions (typed in or
// imported), fees, and rules and normative documents with the count in
// force on any day.
func (s *Server) pubRegisters(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	return s.renderRegisters(w, r, unit, nil, "")
}

func (s *Server) renderRegisters(w http.ResponseWriter, r *http.Request, unit org.Unit, ferr error, importText string) error {
	ctx := r.Context()
	year := queryInt(r, "year")
	if year == 0 {
		year = time.Now().In(shanghai).Year()
	}
	kind, _ := publish.ParseDecisionKind(r.URL.Query().Get("kind"))
	ds, total, err := s.DB.Decisions(ctx, unit.ID, kind, year, 100, 0)
	if err != nil {
		return err
	}
	fees, err := s.DB.Fees(ctx, unit.ID, year)
	if err != nil {
		return err
	}
	var feeSum int64
	for _, f := range fees {
		feeSum += f.AmountFen
	}
	t2, err := s.DB.Table2(ctx, unit.ID, year)
	if err != nil {
		return err
	}
	on := calendar.Today(shanghai)
	if d, err := calendar.ParseDate(r.URL.Query().Get("on")); err == nil {
		on = d
	}
	docs, _, err := s.DB.PublishItems(ctx, store.ItemFilter{UnitID: unit.ID, DocKinds: []publish.DocKind{publish.Rule, publish.Normative}, Limit: 1000})
	if err != nil {
		return err
	}
	var views []DocView
	inForce := 0
	for _, d := range docs {
		if d.FirstPublishAt.IsZero() {
			continue
		}
		f := publish.DocFact{Kind: d.DocKind, MadeOn: d.MadeOn, Validity: d.Validity, ValidityOn: d.ValidityOn}
		v := DocView{ItemRow: d, InForce: f.InForceOn(on)}
		if v.InForce {
			inForce++
		}
		views = append(views, v)
	}
	sort.Slice(views, func(i, j int) bool { return views[i].MadeOn.After(views[j].MadeOn) })
	u := userOf(r)
	p := s.page(w, r, "第二十条登记")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, u)}, {"第二十条登记", ""}}
	var ie *publish.ImportError
	if ferr != nil && !asImport(ferr, &ie) {
		if e := formError(p, r, ferr); e != nil {
			return e
		}
	}
	if p.Values == nil {
		p.Values = map[string]string{}
	}
	p.Values["year"], p.Values["kind"], p.Values["on"] = strconv.Itoa(year), string(kind), on.String()
	var lines []string
	if ie != nil {
		for _, l := range ie.Lines {
			lines = append(lines, "第 "+strconv.Itoa(l.Line)+" 行："+l.Message)
		}
		p.Error = "导入未成功：文件中有 " + strconv.Itoa(len(lines)) + " 行需要修改，未导入任何记录"
	}
	p.Data = map[string]any{"Unit": unit, "UQ": unitQuery(unit, u), "Year": year, "Years": yearsBack(8), "Decisions": ds, "DecisionTotal": total, "Kinds": publish.DecisionKinds,
		"Fees": fees, "FeeSum": publish.WanYuan(feeSum), "Table2": t2, "Docs": views, "On": on, "InForce": inForce,
		"CanEdit": hasAny(u, unit.ID, org.RoleEditor, org.RoleLegal, org.RoleAdmin), "Header": publish.DecisionCSVHeader,
		"ImportLines": lines, "ImportText": importText, "Today": calendar.Today(shanghai)}
	return s.render(w, "admin/publish_registers", p)
}

func asImport(err error, ie **publish.ImportError) bool {
	e, ok := err.(*publish.ImportError)
	if ok {
		*ie = e
	}
	return ok
}

func (s *Server) canEditRegisters(r *http.Request) (org.Unit, error) {
	unit, err := s.pubUnit(r)
	if err != nil {
		return unit, err
	}
	if !hasAny(userOf(r), unit.ID, org.RoleEditor, org.RoleLegal, org.RoleAdmin) {
		return unit, errs.E(errs.Forbidden, "登记需要信息起草、法制审核或系统管理员角色")
	}
	return unit, nil
}

func (s *Server) pubDecisionAdd(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.canEditRegisters(r)
	if err != nil {
		return err
	}
	kind, _ := publish.ParseDecisionKind(r.PostFormValue("kind"))
	d := publish.Decision{Kind: kind, DocNo: r.PostFormValue("doc_no"), Subject: r.PostFormValue("subject"), SubjectType: r.PostFormValue("subject_type"),
		CreditCode: r.PostFormValue("credit_code"), Matter: r.PostFormValue("matter"), Result: r.PostFormValue("result"), Basis: r.PostFormValue("basis"),
		Publicize: r.PostFormValue("publicize") == "1"}
	d.DecidedOn, _ = calendar.ParseDate(strings.TrimSpace(r.PostFormValue("decided_on")))
	if err := s.DB.AddDecisions(r.Context(), actorOf(r), unit.ID, []publish.Decision{d}, "录入"); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			err = errs.FieldError("doc_no", "决定文书号“%s”已登记", d.DocNo)
		}
		return s.renderRegisters(w, r, unit, err, "")
	}
	s.setFlash(w, "已登记"+d.Kind.Label()+"决定 "+d.DocNo)
	http.Redirect(w, r, "/admin/publish/registers"+unitQuery(unit, userOf(r)), http.StatusSeeOther)
	return nil
}

func (s *Server) pubDecisionImport(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.canEditRegisters(r)
	if err != nil {
		return err
	}
	var text []byte
	name := "网页粘贴"
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		text, err = io.ReadAll(io.LimitReader(f, maxDecisionUpload))
		if err != nil {
			return errs.Wrap(errs.Invalid, err, "读取上传文件失败")
		}
		name = publish.CleanName(hdr.Filename)
	}
	if len(bytes.TrimSpace(text)) == 0 {
		text = []byte(r.PostFormValue("text"))
	}
	ds, err := publish.ParseDecisionsCSV(bytes.NewReader(text))
	if err == nil {
		err = s.DB.AddDecisions(r.Context(), actorOf(r), unit.ID, ds, name+" "+time.Now().In(shanghai).Format("2006-01-02 15:04"))
	}
	if err != nil {
		shown := ""
		if len(text) < 64<<10 {
			shown = string(text)
		}
		return s.renderRegisters(w, r, unit, err, shown)
	}
	s.setFlash(w, "已导入 "+strconv.Itoa(len(ds))+" 条决定")
	http.Redirect(w, r, "/admin/publish/registers"+unitQuery(unit, userOf(r)), http.StatusSeeOther)
	return nil
}

func (s *Server) pubFeeAdd(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.canEditRegisters(r)
	if err != nil {
		return err
	}
	f := publish.Fee{UnitID: unit.ID, Item: r.PostFormValue("item"), Basis: r.PostFormValue("basis"), Payer: strings.TrimSpace(r.PostFormValue("payer")),
		ReceiptNo: strings.TrimSpace(r.PostFormValue("receipt_no"))}
	f.CollectedOn, _ = calendar.ParseDate(strings.TrimSpace(r.PostFormValue("collected_on")))
	var fs errs.Fields
	if fen, err := publish.ParseYuan(r.PostFormValue("amount")); err != nil {
		fs = append(fs, err.(*errs.Error))
	} else {
		f.AmountFen = fen
	}
	err = fs.Err()
	if err == nil {
		err = s.DB.AddFee(r.Context(), actorOf(r), &f)
	}
	if err != nil {
		return s.renderRegisters(w, r, unit, err, "")
	}
	s.setFlash(w, "已登记收费 "+f.Item)
	http.Redirect(w, r, "/admin/publish/registers"+unitQuery(unit, userOf(r)), http.StatusSeeOther)
	return nil
}

// pubStats shows section 一（一） and table 二 of the annual report for a
// year, computed from the records.
func (s *Server) pubStats(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	unit, err := s.pubUnit(r)
	if err != nil {
		return err
	}
	year := queryInt(r, "year")
	if year < 1990 || year > 2200 {
		// The latest year with publications (the current one when none).
		now := time.Now().In(shanghai).Year()
		if year, err = s.DB.PublishLatestYear(ctx, unit.ID, now); err != nil {
			return err
		}
		if year == 0 {
			year = now
		}
	}
	st, err := s.DB.PublishStats(ctx, unit.ID, year)
	if err != nil {
		return err
	}
	t2, err := s.DB.Table2(ctx, unit.ID, year)
	if err != nil {
		return err
	}
	growth, hasGrowth := st.Growth()
	p := s.page(w, r, "主动公开统计")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"主动公开", "/admin/publish" + unitQuery(unit, userOf(r))}, {"统计", ""}}
	p.Values = map[string]string{"year": strconv.Itoa(year)}
	p.Data = map[string]any{"Unit": unit, "Stats": st, "Sentence": st.Sentence(unit.Name + "本级机关"), "Growth": growth, "HasGrowth": hasGrowth,
		"Table2": t2, "Years": yearsBack(8), "Year": year}
	return s.render(w, "admin/publish_stats", p)
}

// publishPanel is the dashboard's line for an editor, reviewer or legal
// reviewer: what waits for them in proactive disclosure.
func (s *Server) publishPanel(r *http.Request, g org.Grant) ([]string, []Crumb) {
	ctx := r.Context()
	u := userOf(r)
	q := ""
	if g.UnitID != u.UnitID {
		q = "?unit=" + strconv.FormatInt(g.UnitID, 10)
	}
	links := []Crumb{{"主动公开", "/admin/publish" + q}}
	count := func(states ...publish.State) int {
		f := store.ItemFilter{UnitID: g.UnitID, States: states, Limit: 1000}
		if len(states) == 1 && states[0] == publish.Approved {
			f.Attribute = publish.Active // approved 依申请公开 / 不予公开 items are done
		}
		rows, _, err := s.DB.PublishItems(ctx, f)
		if err != nil {
			return 0
		}
		n := 0
		for _, x := range rows {
			if g.Role != org.RoleReviewer || u.DepartmentID == 0 || x.DepartmentID == u.DepartmentID {
				n++
			}
		}
		return n
	}
	switch g.Role {
	case org.RoleReviewer:
		return []string{"待审查的信息 " + strconv.Itoa(count(publish.Review)) + " 条，已审定待发布 " + strconv.Itoa(count(publish.Approved)) + " 条"}, links
	case org.RoleLegal:
		return []string{"待法制审核的信息 " + strconv.Itoa(count(publish.Legal)) + " 条"}, links
	}
	overdue := 0
	if cal, err := s.Calendar(ctx); err == nil {
		rows, _ := s.DB.PendingItems(ctx, g.UnitID)
		today := calendar.Today(shanghai)
		for _, x := range rows {
			if d, ok := s.deadlineOfRow(cal, x, today); ok && d.Overdue(today) {
				overdue++
			}
		}
	}
	links = append(links, Crumb{"新建信息", "/admin/publish/new" + q})
	return []string{"草稿和退回修改 " + strconv.Itoa(count(publish.Draft)) + " 条；逾期未发布（条例第二十六条）" + strconv.Itoa(overdue) + " 条"}, links
}

// reviewScope says whose drafts a reviewer reviews in a unit (谁公开、谁审查,
// setting publish.review_scope), and how many wait for the other
// departments' reviewers: a reviewer with nothing to review is told why.
func (s *Server) reviewScope(ctx context.Context, u *org.User, unitID int64) (mine, others int, note string, err error) {
	scope, err := s.DB.Setting(ctx, store.ReviewScopeSetting, string(publish.ScopeDepartment))
	if err != nil {
		return 0, 0, "", err
	}
	rows, _, err := s.DB.PublishItems(ctx, store.ItemFilter{UnitID: unitID, States: []publish.State{publish.Review}, Limit: 1000})
	if err != nil {
		return 0, 0, "", err
	}
	_, depts, err := s.deptNames(ctx, unitID)
	if err != nil {
		return 0, 0, "", err
	}
	whole := publish.ReviewScope(scope) == publish.ScopeUnit || u.DepartmentID == 0 || u.UnitID != unitID
	for _, x := range rows {
		if whole || x.DepartmentID == u.DepartmentID {
			mine++
		} else {
			others++
		}
	}
	if whole {
		return mine, others, "您审查本单位各部门送审的信息。", nil
	}
	note = "按“谁公开、谁审查”，您审查" + depts[u.DepartmentID] + "送审的信息；其他部门的信息由各部门的审查人员审查（设置 publish.review_scope）。"
	if mine == 0 && others > 0 {
		note += "目前其他部门待审查的信息 " + strconv.Itoa(others) + " 条。"
	}
	return mine, others, note, nil
}
