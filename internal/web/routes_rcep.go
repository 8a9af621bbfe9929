package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/rcep"
)

// 享惠智选: the portal's chooser and origin calculator, their JSON API, and
// the back office's tariff data versions and usage statistics.
func (s *Server) rcepRoutes(mux *http.ServeMux) {
	mux.Handle("GET /rcep", s.public(s.rcepChoosePage))
	mux.Handle("GET /rcep/origin", s.public(s.rcepOriginPage))
	mux.Handle("GET /api/rcep/choose", s.public(s.rcepChooseAPI))
	mux.Handle("GET /api/rcep/origin", s.public(s.rcepOriginAPI))
	mux.Handle("GET /admin/rcep", s.staff(s.rcepAdminPage))
	mux.Handle("POST /admin/rcep/import", s.admin(s.rcepImport))
	mux.Handle("POST /admin/rcep/settings", s.admin(s.rcepSettings))
	mux.Handle("GET /admin/rcep/versions/{id}", s.staff(s.rcepVersionPage))
	mux.Handle("GET /admin/rcep/stats", s.staff(s.rcepStatsPage))
}

// maxRCEPUpload bounds an imported tariff file, CSV or XLSX (the reader
// then bounds what an XLSX unpacks to: see internal/rcep/xlsx.go).
const maxRCEPUpload = rcep.MaxFileBytes

func (s *Server) rcepToday() calendar.Date { return calendar.Today(shanghai) }

// rcepCountries lists the partners of the version in force today (or the
// latest), for the form's country list.
func (s *Server) rcepCountries(r *http.Request) ([]rcep.Country, rcep.Version, []rcep.Agreement, bool, error) {
	ctx := r.Context()
	v, err := s.DB.RCEPVersionAt(ctx, s.rcepToday())
	if errs.Is(err, errs.NotFound) {
		vs, err := s.DB.RCEPVersions(ctx)
		if err != nil || len(vs) == 0 {
			return nil, rcep.Version{}, nil, false, err
		}
		v = vs[0].Version
	} else if err != nil {
		return nil, v, nil, false, err
	}
	ags, err := s.DB.RCEPAgreements(ctx, v.ID)
	if err != nil {
		return nil, v, nil, false, err
	}
	ds := &rcep.Dataset{Agreements: ags}
	return ds.Countries(), v, ags, true, nil
}

func chooseInput(q url.Values) rcep.QueryInput {
	return rcep.QueryInput{HS: q.Get("hs"), Text: q.Get("q"), Direction: q.Get("direction"), Country: q.Get("country"), Date: q.Get("date"), Value: q.Get("value")}
}

// rcepChoosePage is the chooser (智选): a GET form, so that it works
// without JavaScript and an answer can be bookmarked.
func (s *Server) rcepChoosePage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := s.page(w, r, "享惠智选")
	p.Crumbs = []Crumb{{"首页", "/"}, {"享惠智选", ""}}
	countries, v, _, ready, err := s.rcepCountries(r)
	if err != nil {
		return err
	}
	data := map[string]any{"Countries": countries, "Ready": ready, "Version": v, "Today": s.rcepToday().String()}
	p.Data = data
	p.Values = map[string]string{}
	for _, k := range []string{"hs", "q", "direction", "country", "date", "value"} {
		p.Values[k] = q.Get(k)
	}
	if p.Values["direction"] == "" {
		p.Values["direction"] = "import"
	}
	if !ready || (q.Get("hs") == "" && q.Get("q") == "" && q.Get("country") == "") {
		return s.render(w, "portal/rcep_choose", p)
	}
	ans, err := rcep.Ask(r.Context(), s.DB, chooseInput(q), "page", time.Now(), shanghai)
	if err != nil {
		var amb *rcep.AmbiguousError
		if errors.As(err, &amb) {
			data["Candidates"], data["More"] = amb.Candidates, amb.More
			links := map[string]string{}
			for _, g := range amb.Candidates {
				v := url.Values{}
				for k, val := range p.Values {
					if k != "q" && val != "" {
						v.Set(k, val)
					}
				}
				v.Set("hs", g.HS)
				links[g.HS] = "/rcep?" + v.Encode()
			}
			data["CandidateLinks"] = links
		}
		vals := p.Values
		if e := formError(p, r, err); e != nil {
			return e
		}
		p.Values = vals
		return s.render(w, "portal/rcep_choose", p)
	}
	data["Answer"] = ans
	data["Version"] = ans.Version
	return s.render(w, "portal/rcep_choose", p)
}

func originForm(q url.Values) rcep.OriginForm {
	f := rcep.OriginForm{Agreement: q.Get("agreement"), HS: q.Get("hs"), Date: q.Get("date"), Rule: q.Get("rule"), Method: q.Get("method"),
		FOB: q.Get("fob"), VNM: q.Get("vnm"), VOM: q.Get("vom"), Labour: q.Get("labour"), Overhead: q.Get("overhead"),
		Profit: q.Get("profit"), Other: q.Get("other"), Weight: q.Get("weight")}
	for i := range f.Materials {
		n := strconv.Itoa(i + 1)
		f.Materials[i] = rcep.MaterialForm{HS: q.Get("m" + n + "_hs"), Value: q.Get("m" + n + "_value"), Weight: q.Get("m" + n + "_weight")}
	}
	return f
}

func (s *Server) rcepDeMinimis(r *http.Request) rcep.DeMinimis {
	return rcep.DeMinimisFrom(func(key, def string) string {
		v, err := s.DB.Setting(r.Context(), key, def)
		if err != nil {
			return def
		}
		return v
	})
}

// rcepOriginPage is the origin calculator (原产地计算器), also a GET form.
func (s *Server) rcepOriginPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := s.page(w, r, "原产地规则计算器")
	p.Crumbs = []Crumb{{"首页", "/"}, {"享惠智选", "/rcep"}, {"原产地规则计算器", ""}}
	_, v, ags, ready, err := s.rcepCountries(r)
	if err != nil {
		return err
	}
	dm := s.rcepDeMinimis(r)
	data := map[string]any{"Agreements": ags, "Ready": ready, "Version": v, "DeMinimis": dm, "Rows": make([]int, rcep.MaxMaterials)}
	p.Data = data
	p.Values = map[string]string{}
	for k := range q {
		p.Values[k] = q.Get(k)
	}
	if p.Values["method"] == "" {
		p.Values["method"] = "down"
	}
	if q.Get("fob") == "" && q.Get("vnm") == "" && q.Get("m1_hs") == "" {
		return s.render(w, "portal/rcep_origin", p)
	}
	res, in, err := rcep.CheckOrigin(r.Context(), s.DB, originForm(q), dm, "page", time.Now(), shanghai)
	if err != nil {
		vals := p.Values
		if e := formError(p, r, err); e != nil {
			return e
		}
		p.Values = vals
		return s.render(w, "portal/rcep_origin", p)
	}
	data["Result"], data["Input"] = res, in
	return s.render(w, "portal/rcep_origin", p)
}

// API: JSON answers, and {"error": "..."} with a 4xx status for bad input.

type apiRate struct {
	Percent string `json:"percent"`
	BP      int64  `json:"bp"`
}

func rateJSON(r rcep.Rate) apiRate { return apiRate{Percent: r.Number(), BP: int64(r)} }

type apiPhase struct {
	Year int      `json:"year"`
	Rate *apiRate `json:"rate"` // null: no preferential rate that year
}

type apiOption struct {
	Agreement      string     `json:"agreement"`
	Name           string     `json:"name"`
	InForce        bool       `json:"in_force"`
	InForceFrom    string     `json:"in_force_from"`
	Excluded       bool       `json:"excluded"`
	Staging        string     `json:"staging,omitempty"`
	Rate           *apiRate   `json:"rate"`
	Duty           string     `json:"duty_yuan,omitempty"`
	Saving         string     `json:"saving_yuan"`
	SavingPer10000 string     `json:"saving_per_10000_yuan"`
	Phase          []apiPhase `json:"phase_down,omitempty"`
	FinalYear      int        `json:"final_year,omitempty"`
	FinalRate      *apiRate   `json:"final_rate,omitempty"`
	Rule           string     `json:"origin_rule,omitempty"`
	RuleText       string     `json:"origin_rule_text,omitempty"`
	Best           bool       `json:"best"`
	Note           string     `json:"note,omitempty"`
}

type apiAnswer struct {
	Version struct {
		ID        int64  `json:"id"`
		Effective string `json:"effective"`
		Title     string `json:"title"`
		Sample    bool   `json:"sample"`
	} `json:"data_version"`
	HS        string      `json:"hs"`
	Product   string      `json:"product"`
	Direction string      `json:"direction"`
	Country   string      `json:"country"`
	Partner   string      `json:"country_name"`
	Importer  string      `json:"tariff_of"`
	Date      string      `json:"date"`
	Value     string      `json:"customs_value_yuan"`
	MFN       apiRate     `json:"mfn_rate"`
	MFNDuty   string      `json:"mfn_duty_yuan"`
	Options   []apiOption `json:"options"`
	Best      []string    `json:"best"`
	Notes     []string    `json:"notes"`
}

func answerJSON(a *rcep.Answer) apiAnswer {
	var out apiAnswer
	out.Version.ID, out.Version.Effective, out.Version.Title, out.Version.Sample = a.Version.ID, a.Version.Effective.String(), a.Version.Title, a.Version.Sample()
	out.HS, out.Product, out.Direction, out.Country, out.Partner, out.Importer = a.Product.HS, a.Product.Name, string(a.Direction), a.Country.Code, a.Country.Name, a.Importer
	out.Date, out.Value, out.MFN, out.MFNDuty = a.Date.String(), a.Value.Plain(), rateJSON(a.MFN), a.MFNDuty.Plain()
	out.Best, out.Notes = a.Best, a.Notes
	if out.Best == nil {
		out.Best = []string{}
	}
	for _, o := range a.Options {
		ao := apiOption{Agreement: o.Agreement.Code, Name: o.Agreement.Short, InForce: o.InForce, InForceFrom: o.From.String(), Excluded: o.Excluded,
			Staging: o.Staging, Saving: o.Saving.Plain(), SavingPer10000: o.Saving10k.Plain(), Best: o.Best, Note: o.Note}
		if o.HasRate {
			r := rateJSON(o.Rate)
			ao.Rate, ao.Duty = &r, o.Duty.Plain()
		}
		for _, c := range o.Phase {
			ph := apiPhase{Year: c.Year}
			if c.OK {
				r := rateJSON(c.Rate)
				ph.Rate = &r
			}
			ao.Phase = append(ao.Phase, ph)
		}
		if o.HasFinal {
			r := rateJSON(o.Final.Rate)
			ao.FinalYear, ao.FinalRate = o.Final.Year, &r
		}
		if o.HasRule {
			ao.Rule, ao.RuleText = o.Rule.Text, o.Rule.Rule.Describe()
		}
		out.Options = append(out.Options, ao)
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// apiError writes {"error": sentence} with the error's status; a form
// error also gives each field's sentence, an ambiguous product the list
// of candidates. Internal details go to the log only.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) error {
	status := statusOf(err)
	if status >= 500 {
		s.Log.Error("api request failed", "path", r.URL.Path, "err", err)
	}
	body := map[string]any{"error": errs.MessageOf(err)}
	var fe *errs.FormError
	var ae *errs.Error
	if errors.As(err, &fe) {
		fields := map[string]string{}
		for _, f := range fe.Fields {
			fields[f.Field] = f.Message
		}
		body["fields"] = fields
		if len(fe.Fields) > 1 {
			var msgs []string
			for _, f := range fe.Fields {
				msgs = append(msgs, f.Message)
			}
			body["error"] = strings.Join(msgs, "；")
		}
	} else if errors.As(err, &ae) && ae.Field != "" {
		body["fields"] = map[string]string{ae.Field: ae.Message}
	}
	var amb *rcep.AmbiguousError
	if errors.As(err, &amb) {
		var c []map[string]string
		for _, g := range amb.Candidates {
			c = append(c, map[string]string{"hs": g.HS, "name": g.Name})
		}
		body["candidates"] = c
	}
	return writeJSON(w, status, body)
}

// rcepChooseAPI: GET /api/rcep/choose?hs=08052100&country=JP&direction=import&date=2025-03-01[&q=芦柑][&value=10000]
func (s *Server) rcepChooseAPI(w http.ResponseWriter, r *http.Request) error {
	ans, err := rcep.Ask(r.Context(), s.DB, chooseInput(r.URL.Query()), "api", time.Now(), shanghai)
	if err != nil {
		return s.apiError(w, r, err)
	}
	return writeJSON(w, http.StatusOK, answerJSON(ans))
}

// rcepOriginAPI: GET /api/rcep/origin?agreement=RCEP&hs=610910&fob=…&m1_hs=…&m1_value=…
func (s *Server) rcepOriginAPI(w http.ResponseWriter, r *http.Request) error {
	res, in, err := rcep.CheckOrigin(r.Context(), s.DB, originForm(r.URL.Query()), s.rcepDeMinimis(r), "api", time.Now(), shanghai)
	if err != nil {
		return s.apiError(w, r, err)
	}
	body := map[string]any{"originating": res.Originating, "undetermined": res.Undetermined, "rule": in.Rule.String(), "rule_text": in.Rule.Describe(),
		"vnm_yuan": res.VNM.Plain(), "steps": res.Steps}
	if res.RVCDown != nil {
		body["rvc_build_down"] = res.RVCDown.String()
	}
	if res.RVCUp != nil {
		body["rvc_build_up"] = res.RVCUp.String()
	}
	return writeJSON(w, http.StatusOK, body)
}

// Back office.

func (s *Server) rcepAdminPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderRCEPAdmin(w, r, nil)
}

func (s *Server) renderRCEPAdmin(w http.ResponseWriter, r *http.Request, importErr error) error {
	return s.renderRCEPAdminChoice(w, r, importErr, 0, 0)
}

// renderRCEPAdminChoice shows the back office page; after a refused import
// whose file is kept as upload, it offers to import the goodLines
// schedule lines without errors.
func (s *Server) renderRCEPAdminChoice(w http.ResponseWriter, r *http.Request, importErr error, upload int64, goodLines int) error {
	ctx := r.Context()
	vs, err := s.DB.RCEPVersions(ctx)
	if err != nil {
		return err
	}
	inForce, _ := s.DB.RCEPVersionAt(ctx, s.rcepToday())
	p := s.page(w, r, "享惠智选")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"享惠智选", ""}}
	dm := s.rcepDeMinimis(r)
	data := map[string]any{"Versions": vs, "InForce": inForce.ID, "IsAdmin": userOf(r).HasAnywhere(org.RoleAdmin), "DeMinimis": dm,
		"DefaultDeMinimis": rcep.DefaultDeMinimis}
	p.Values = map[string]string{"value_pct": rcep.BPString(dm.ValueBP), "weight_pct": rcep.BPString(dm.WeightBP)}
	if importErr != nil {
		p.Error = errs.MessageOf(importErr)
		var ie *rcep.ImportError
		if errors.As(importErr, &ie) {
			var lines []string
			for _, i := range ie.Issues {
				lines = append(lines, i.String())
			}
			data["ImportIssues"] = lines
			if upload > 0 {
				data["Upload"], data["GoodLines"], data["IssueCount"] = upload, goodLines, len(ie.Issues)
			}
		}
	}
	p.Data = data
	return s.render(w, "admin/rcep", p)
}

// rcepImport imports a tariff file, CSV or XLSX (rcep.ParseFile tells
// them apart by their content): all or nothing by default, or only
// the records without errors when the administrator chooses so — either
// up front, or after seeing the errors of a refused file, which is kept
// (rcep_uploads) so that the choice applies to exactly the bytes checked.
func (s *Server) rcepImport(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxRCEPUpload+64<<10)
	var data []byte
	var name string
	if id := r.FormValue("upload"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return s.renderRCEPAdmin(w, r, errs.E(errs.Invalid, "上传文件编号不正确，请重新上传"))
		}
		u, err := s.DB.RCEPUpload(r.Context(), n)
		if err != nil {
			if errs.Is(err, errs.NotFound) {
				return s.renderRCEPAdmin(w, r, err)
			}
			return err
		}
		data, name = u.Content, u.Name
	} else {
		f, hdr, err := r.FormFile("file")
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return s.renderRCEPAdmin(w, r, errs.E(errs.Invalid, "文件过大：税率数据文件不应超过 %d MB", maxRCEPUpload>>20))
		}
		if err != nil {
			return s.renderRCEPAdmin(w, r, errs.E(errs.Invalid, "请选择要导入的税率数据文件（CSV，UTF-8 编码；或 Excel 工作簿 .xlsx）"))
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxRCEPUpload+1))
		if err != nil {
			return s.renderRCEPAdmin(w, r, errs.Wrap(errs.Invalid, err, "读取上传文件失败"))
		}
		if len(data) > maxRCEPUpload {
			return s.renderRCEPAdmin(w, r, errs.E(errs.Invalid, "文件过大：税率数据文件不应超过 %d MB", maxRCEPUpload>>20))
		}
		name = hdr.Filename
	}
	mode, err := rcep.ParseImportMode(r.PostFormValue("mode"))
	if err != nil {
		return s.renderRCEPAdmin(w, r, err)
	}
	ds, issues, err := rcep.ParseFile(data, name)
	if err == nil {
		err = rcep.Decide(ds, issues, mode)
		if err != nil && mode == rcep.ImportAll && len(issues) > 0 && len(ds.Lines) > 0 && r.FormValue("upload") == "" {
			// Refused for errors, but some records are good: keep the
			// file and offer to import those.
			u, uerr := s.DB.SaveRCEPUpload(r.Context(), actorOf(r), name, data)
			if uerr != nil {
				return uerr
			}
			return s.renderRCEPAdminChoice(w, r, err, u.ID, len(ds.Lines))
		}
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			return err
		}
		return s.renderRCEPAdmin(w, r, err)
	}
	v, err := s.DB.ImportRCEP(r.Context(), actorOf(r), ds, issues)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已导入税率数据版本 #%d（%s 起生效）：%d 个协定、%d 个商品、%d 条协定税率、%d 条原产地规则", v.ID, v.Effective, len(ds.Agreements), len(ds.Goods), len(ds.Lines), len(ds.Rules))
	if len(issues) > 0 {
		msg += fmt.Sprintf("；跳过有错误的记录 %d 条，详见版本页", len(issues))
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/rcep/versions/"+strconv.FormatInt(v.ID, 10), http.StatusSeeOther)
	return nil
}

// rcepSettings sets the de minimis allowance (微小含量标准, RCEP 第3.7条).
func (s *Server) rcepSettings(w http.ResponseWriter, r *http.Request) error {
	var f errs.Fields
	val, err := rcep.ParseDeMinimis(r.PostFormValue("value_pct"), "value_pct")
	if err != nil {
		f = append(f, err.(*errs.Error))
	}
	wt, err := rcep.ParseDeMinimis(r.PostFormValue("weight_pct"), "weight_pct")
	if err != nil {
		f = append(f, err.(*errs.Error))
	}
	if err := f.Err(); err != nil {
		p := s.page(w, r, "享惠智选")
		vs, _ := s.DB.RCEPVersions(r.Context())
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"享惠智选", ""}}
		p.Data = map[string]any{"Versions": vs, "IsAdmin": true, "DeMinimis": s.rcepDeMinimis(r), "DefaultDeMinimis": rcep.DefaultDeMinimis}
		if e := formError(p, r, err); e != nil {
			return e
		}
		return s.render(w, "admin/rcep", p)
	}
	ctx := r.Context()
	if err := s.DB.SetSetting(ctx, actorOf(r), rcep.SettingDeMinimisValue, strconv.FormatInt(val, 10)); err != nil {
		return err
	}
	if err := s.DB.SetSetting(ctx, actorOf(r), rcep.SettingDeMinimisWeight, strconv.FormatInt(wt, 10)); err != nil {
		return err
	}
	s.setFlash(w, "已保存微小含量标准：价值 "+rcep.BPString(val)+"，重量 "+rcep.BPString(wt))
	http.Redirect(w, r, "/admin/rcep", http.StatusSeeOther)
	return nil
}

func (s *Server) rcepVersionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "税率数据版本不存在")
	}
	v, err := s.DB.RCEPVersion(ctx, id)
	if err != nil {
		return err
	}
	ags, err := s.DB.RCEPAgreements(ctx, id)
	if err != nil {
		return err
	}
	issues, err := s.DB.RCEPImportIssues(ctx, id)
	if err != nil {
		return err
	}
	goods, err := s.DB.RCEPFindGoods(ctx, id, "", "", 500)
	if err != nil {
		return err
	}
	p := s.page(w, r, fmt.Sprintf("税率数据版本 #%d", id))
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"享惠智选", "/admin/rcep"}, {p.Title, ""}}
	p.Data = map[string]any{"Version": v, "Agreements": ags, "Issues": issues, "Goods": goods}
	return s.render(w, "admin/rcep_version", p)
}

// rcepStatsPage shows the usage statistics of a year, counted from the
// query records, with a sentence for the annual report.
func (s *Server) rcepStatsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	years, err := s.DB.RCEPQueryYears(ctx)
	if err != nil {
		return err
	}
	year := s.rcepToday().Year()
	if len(years) > 0 {
		year = years[0]
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	from, _ := calendar.NewDate(year, time.January, 1)
	to, _ := calendar.NewDate(year, time.December, 31)
	u, err := s.DB.RCEPUsage(ctx, from, to)
	if err != nil {
		return err
	}
	max := 0
	for _, m := range u.Months {
		if m.Total() > max {
			max = m.Total()
		}
	}
	type bar struct {
		rcep.MonthUsage
		Label  string
		Height int // of 100
		X, Y   int
		TX, LY int
	}
	var bars []bar
	for i, m := range u.Months {
		h := 0
		if max > 0 {
			h = m.Total() * 100 / max
		}
		x := 40 + i*50
		bars = append(bars, bar{MonthUsage: m, Label: strconv.Itoa(i+1) + "月", Height: h, X: x, Y: 120 - h, TX: x + 15, LY: 120 - h - 4})
	}
	p := s.page(w, r, "享惠智选使用情况")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"享惠智选", "/admin/rcep"}, {"使用情况", ""}}
	p.Data = map[string]any{"Year": year, "Years": years, "Usage": u, "Totals": u.Totals(), "Bars": bars, "Max": max, "Narrative": u.Narrative()}
	return s.render(w, "admin/rcep_stats", p)
}
