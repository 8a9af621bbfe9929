package web

import (
	"fmt"
	"net/http"
	"strings"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/report"
)

// reportTemplatePage is the template editor: each part's text, the
// catalogue of statistics with their current values, and each part as it
// reads now.
type reportTemplatePage struct {
	Unit    org.Unit
	Scope   annual.Scope
	HasAll  bool
	Year    int // the year whose figures the catalogue shows
	Custom  bool
	Parts   []templatePartView
	Stats   []report.Stat
	Typed   []string // numbers typed where a statistic exists
	Forms   []string
	CanEdit bool
	Preview string // the report's preview, for the same year
}

type templatePartView struct {
	Key, Name string
	Heading   string
	Body      string
	Reads     string // the part filled with this year's figures
	Field     string
}

func (s *Server) reportTemplateData(r *http.Request, tmpl *annual.TextTemplate) (*reportTemplatePage, error) {
	ctx := r.Context()
	unit, units, err := s.reportUnit(r)
	if err != nil {
		return nil, err
	}
	scope, err := reportScopeOf(r)
	if err != nil {
		return nil, err
	}
	u := userOf(r)
	if err := report.Authorize(reportActor(u, units, unit.ID, report.ActBuild), report.ActBuild); err != nil {
		return nil, err
	}
	settings, err := s.reportsDB().UnitSettings(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	stored, custom, err := report.TemplateOf(settings, scope)
	if err != nil {
		return nil, err
	}
	if tmpl == nil {
		tmpl = &stored
	}
	now := s.reportsDB().Now().In(shanghai)
	year := queryInt(r, "year")
	if year == 0 {
		year = now.Year() - 1
	}
	first, err := s.reportsDB().FirstRecordYear(ctx, report.ScopeUnits(units, unit.ID, scope))
	if err != nil {
		return nil, err
	}
	if first == 0 {
		first = now.Year()
	}
	year = min(max(year, first), now.Year())
	facts, err := report.Gather(ctx, s.reportsDB(), report.Request{UnitID: unit.ID, Year: year, Scope: scope, Now: s.reportsDB().Now()})
	if err != nil {
		return nil, err
	}
	stats := report.Catalogue(facts)
	figs := report.Figures(stats)
	tp := &reportTemplatePage{Unit: unit, Scope: scope, HasAll: hasChildren(units, unit.ID), Year: year, Custom: custom, Stats: stats,
		Forms:   []string{annual.FormGrowth, annual.FormPrevious, annual.FormAbout},
		CanEdit: report.Authorize(report.ActorOf(*u, unit.ID), report.ActTemplate) == nil,
		Preview: fmt.Sprintf("/admin/annual/%s/%d%s", unit.Code, year, scopeQuery(scope))}
	for _, pk := range annual.PartKeys {
		part := tmpl.Part(pk.Key)
		var reads []string
		for _, line := range append([]string{part.Heading}, strings.Split(part.Body, "\n")...) {
			if strings.TrimSpace(line) == "" {
				continue
			}
			if para, err := annual.RenderParagraph(line, figs, facts.Profile.AboutStep); err == nil {
				reads = append(reads, para.Text())
			} else {
				reads = append(reads, "（无法填充："+errs.MessageOf(err)+"）")
			}
		}
		tp.Parts = append(tp.Parts, templatePartView{Key: pk.Key, Name: pk.Name, Heading: part.Heading, Body: part.Body, Reads: strings.Join(reads, "\n"), Field: "part-" + pk.Key})
	}
	byValue := map[string]string{}
	for _, st := range stats {
		if st.Figure.Value != nil && st.Def.Kind != annual.FigureText {
			if _, ok := byValue[st.Figure.Text]; !ok {
				byValue[st.Figure.Text] = st.Def.Key
			}
		}
	}
	for _, n := range annual.LiteralNumbers(*tmpl) {
		if key, ok := byValue[strings.TrimSuffix(n.Text, "%")]; ok {
			tp.Typed = append(tp.Typed, fmt.Sprintf("“%s”中的数字 %s 与统计项 {%s} 的本年值相同：请改用占位符", n.Context, n.Text, key))
		} else if key, ok := byValue[n.Text]; ok {
			tp.Typed = append(tp.Typed, fmt.Sprintf("“%s”中的数字 %s 与统计项 {%s} 的本年值相同：请改用占位符", n.Context, n.Text, key))
		}
	}
	return tp, nil
}

// reportTemplate shows the template editor.
func (s *Server) reportTemplate(w http.ResponseWriter, r *http.Request) error {
	tp, err := s.reportTemplateData(r, nil)
	if err != nil {
		return err
	}
	p := s.page(w, r, "年度报告模板")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual"}, {tp.Unit.Name + "（" + tp.Scope.Label() + "）年报模板", ""}}
	p.Data = tp
	return s.render(w, "admin/report_template", p)
}

// reportTemplateSave stores the template, refusing an unknown placeholder
// with the part it is in.
func (s *Server) reportTemplateSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	unit, units, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	scope, err := reportScopeOf(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := report.Authorize(report.ActorOf(*u, unit.ID), report.ActTemplate); err != nil {
		return err
	}
	var t annual.TextTemplate
	if r.PostFormValue("reset") == "1" {
		t = report.DefaultTemplate()
	} else {
		for _, pk := range annual.PartKeys {
			t.Parts = append(t.Parts, annual.TemplatePart{Key: pk.Key,
				Heading: strings.TrimSpace(r.PostFormValue("heading-" + pk.Key)), Body: strings.TrimSpace(r.PostFormValue("body-" + pk.Key))})
		}
	}
	year := s.reportsDB().Now().In(shanghai).Year()
	first, err := s.reportsDB().FirstRecordYear(ctx, report.ScopeUnits(units, unit.ID, scope))
	if err != nil {
		return err
	}
	if first == 0 {
		return errs.E(errs.Invalid, "该单位还没有任何业务记录，暂时无法核对模板中的统计项")
	}
	// A statistic of this year's catalogue or last year's may be named
	// (a new-media column may have no issue yet this year).
	var defs []annual.FigureDef
	for _, y := range []int{year, year - 1} {
		if y < first {
			continue
		}
		facts, err := report.Gather(ctx, s.reportsDB(), report.Request{UnitID: unit.ID, Year: y, Scope: scope, Now: s.reportsDB().Now()})
		if err != nil {
			return err
		}
		defs = append(defs, report.Defs(report.Catalogue(facts))...)
	}
	encoded, err := report.EncodeTemplate(t, defs)
	if err == nil {
		err = s.reportsDB().SetUnitSettings(ctx, actorOf(r), unit.ID, map[string]string{report.TemplateKey(scope): encoded})
	}
	if err != nil {
		p := s.page(w, r, "年度报告模板")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		tp, derr := s.reportTemplateData(r, &t)
		if derr != nil {
			return derr
		}
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual"}, {unit.Name + "（" + scope.Label() + "）年报模板", ""}}
		p.Data = tp
		return s.render(w, "admin/report_template", p)
	}
	s.setFlash(w, "年报模板已保存。")
	http.Redirect(w, r, fmt.Sprintf("/admin/annual/%s/template%s", unit.Code, scopeQuery(scope)), http.StatusSeeOther)
	return nil
}

// reportSettingsPage is the unit's report settings (its profile).
type reportSettingsPage struct {
	Unit    org.Unit
	Fields  []report.ProfileField
	CanEdit bool
}

func (s *Server) reportSettings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	unit, units, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := report.Authorize(reportActor(u, units, unit.ID, report.ActBuild), report.ActBuild); err != nil {
		return err
	}
	settings, err := s.reportsDB().UnitSettings(ctx, unit.ID)
	if err != nil {
		return err
	}
	p := s.page(w, r, "年报设置")
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual"}, {unit.Name + "年报设置", ""}}
	p.Values = map[string]string{}
	for _, f := range report.ProfileFields {
		p.Values[f.Key] = settings[f.Key]
	}
	p.Data = reportSettingsPage{Unit: unit, Fields: report.ProfileFields, CanEdit: report.Authorize(report.ActorOf(*u, unit.ID), report.ActTemplate) == nil}
	return s.render(w, "admin/report_settings", p)
}

func (s *Server) reportSettingsSave(w http.ResponseWriter, r *http.Request) error {
	unit, _, err := s.reportUnit(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := report.Authorize(report.ActorOf(*u, unit.ID), report.ActTemplate); err != nil {
		return err
	}
	values := map[string]string{}
	for _, f := range report.ProfileFields {
		values[f.Key] = strings.TrimSpace(r.PostFormValue(f.Key))
	}
	err = report.ValidateProfile(values)
	if err == nil {
		err = s.reportsDB().SetUnitSettings(r.Context(), actorOf(r), unit.ID, values)
	}
	if err != nil {
		p := s.page(w, r, "年报设置")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告", "/admin/annual"}, {unit.Name + "年报设置", ""}}
		p.Data = reportSettingsPage{Unit: unit, Fields: report.ProfileFields, CanEdit: true}
		return s.render(w, "admin/report_settings", p)
	}
	s.setFlash(w, "年报设置已保存。")
	http.Redirect(w, r, fmt.Sprintf("/admin/annual/%s/settings", unit.Code), http.StatusSeeOther)
	return nil
}
