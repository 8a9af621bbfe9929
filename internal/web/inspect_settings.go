package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/calendar"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/inspect"
	"gongkai/internal/publish"
)

// SettingRow is one threshold on the settings page.
type SettingRow struct {
	inspect.SettingSpec
	Value  string
	Stored bool
}

// SettingGroup is a section of thresholds.
type SettingGroup struct {
	Name string
	Rows []SettingRow
}

// ColumnClassRow is a category with its class.
type ColumnClassRow struct {
	Category publish.Category
	Class    inspect.Class
}

// MediaChannelRow is a new-media account with its interaction channels.
type MediaChannelRow struct {
	Account  desk.Account
	Platform string
	Channels []inspect.Channel
}

// InspectSettingsData is the settings page.
type InspectSettingsData struct {
	Scope       inspectScope
	Groups      []SettingGroup
	Limit       desk.Limit
	Columns     []ColumnClassRow
	Classes     []inspect.Class
	Expressions string
	Guides      string
	Weights     string
	Measures    []inspect.MeasureSpec
	Sites       []inspect.Site
	Accounts    []MediaChannelRow
	Today       string
}

func (s *Server) inspectSettingsData(r *http.Request, sc inspectScope) (*InspectSettingsData, error) {
	ctx := r.Context()
	db := s.inspectDB()
	stored, lim, err := db.InspectStoredSettings(ctx)
	if err != nil {
		return nil, err
	}
	d := &InspectSettingsData{Scope: sc, Limit: lim, Classes: inspect.Classes, Measures: inspect.Measures, Today: inspect.Today(db.Now()).String()}
	for _, sp := range inspect.SettingSpecs {
		v, ok := stored[inspect.SettingPrefix+sp.Key]
		if !ok {
			v = sp.Default
		}
		if len(d.Groups) == 0 || d.Groups[len(d.Groups)-1].Name != sp.Group {
			d.Groups = append(d.Groups, SettingGroup{Name: sp.Group})
		}
		g := &d.Groups[len(d.Groups)-1]
		g.Rows = append(g.Rows, SettingRow{SettingSpec: sp, Value: v, Stored: ok})
	}
	us, err := db.UnitSettings(ctx, sc.Unit.ID)
	if err != nil {
		return nil, err
	}
	cats, err := db.PublishCategories(ctx, sc.Unit.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		d.Columns = append(d.Columns, ColumnClassRow{Category: c, Class: inspect.ClassOf(c.Slug, c.Name, us)})
	}
	var ok bool
	if d.Expressions, ok = us[inspect.ExpressionsKey]; !ok {
		d.Expressions = inspect.DefaultExpressions
	}
	d.Guides = us[inspect.GuideSlugsKey]
	if d.Guides == "" {
		d.Guides = "guides"
	}
	d.Weights = us[inspect.WeightsKey]
	if d.Sites, err = db.InspectSites(ctx, sc.Unit.ID); err != nil {
		return nil, err
	}
	accounts, err := db.Accounts(ctx, []int64{sc.Unit.ID})
	if err != nil {
		return nil, err
	}
	chs, err := db.MediaChannels(ctx, sc.Unit.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		d.Accounts = append(d.Accounts, MediaChannelRow{Account: a, Platform: desk.PlatformLabel(a.Platform), Channels: chs[a.ID]})
	}
	return d, nil
}

func (s *Server) inspectSettingsPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	d, err := s.inspectSettingsData(r, sc)
	if err != nil {
		return err
	}
	p := s.page(w, r, "网站检查设置")
	p.Crumbs = inspectCrumbs(sc, "检查设置")
	p.Data = d
	return s.render(w, "admin/inspect_settings", p)
}

// inspectSettingsSave saves one form of the settings page; bad input is
// shown next to its field with 422, a role that may not change settings
// gets 403.
func (s *Server) inspectSettingsSave(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.inspectScopeOf(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	db := s.inspectDB()
	var msg string
	switch r.PostFormValue("form") {
	case "thresholds":
		vals := map[string]string{}
		for _, sp := range inspect.SettingSpecs {
			if v, ok := r.PostForm[sp.Key]; ok {
				vals[sp.Key] = strings.TrimSpace(v[0])
			}
		}
		err, msg = db.SetInspectSettings(ctx, actorOf(r), sc.Actor, sc.Unit.ID, vals), "检查阈值已保存"
	case "unit":
		vals := map[string]string{inspect.ExpressionsKey: r.PostFormValue("expressions"), inspect.GuideSlugsKey: strings.TrimSpace(r.PostFormValue("guides"))}
		cats, cerr := db.PublishCategories(ctx, sc.Unit.ID)
		if cerr != nil {
			return cerr
		}
		for _, c := range cats {
			if v, ok := r.PostForm["class."+c.Slug]; ok {
				vals[inspect.ClassSettingKey(c.Slug)] = v[0]
			}
		}
		if strings.TrimSpace(vals[inspect.ExpressionsKey]) == strings.TrimSpace(inspect.DefaultExpressions) {
			delete(vals, inspect.ExpressionsKey)
		}
		err, msg = db.SetInspectUnitSettings(ctx, actorOf(r), sc.Actor, sc.Unit.ID, vals), "本单位的栏目类别和表述清单已保存"
	case "weights":
		err, msg = db.SetInspectUnitSettings(ctx, actorOf(r), sc.Actor, sc.Unit.ID, map[string]string{inspect.WeightsKey: strings.TrimSpace(r.PostFormValue("weights"))}), "考核权重已保存"
	case "site":
		site := &inspect.Site{UnitID: sc.Unit.ID, Name: r.PostFormValue("site_name"), AllowPrivate: r.PostFormValue("allow_private") == "1"}
		if u, perr := inspect.ParseURL(r.PostFormValue("site_url")); perr != nil {
			err = errs.FieldError("site_url", "%s", perr.Error())
		} else {
			site.URL = u.String()
			err = db.AddInspectSite(ctx, actorOf(r), sc.Actor, site)
		}
		msg = "已登记网站"
	case "site_active":
		id, _ := strconv.ParseInt(r.PostFormValue("site"), 10, 64)
		err, msg = db.SetInspectSiteActive(ctx, actorOf(r), sc.Actor, id, r.PostFormValue("active") == "1"), "网站检查状态已更新"
	case "channel":
		id, _ := strconv.ParseInt(r.PostFormValue("account"), 10, 64)
		on, derr := calendar.ParseDate(strings.TrimSpace(r.PostFormValue("checked_on")))
		if derr != nil {
			err = errs.FieldError("checked_on", "检查日期应写作 YYYY-MM-DD")
		} else {
			err = db.SetMediaChannel(ctx, actorOf(r), sc.Actor, id, inspect.Channel{Name: r.PostFormValue("channel_name"), Working: r.PostFormValue("working") == "1",
				CheckedOn: on, Note: r.PostFormValue("channel_note")})
		}
		msg = "已记录互动功能检查情况"
	default:
		return errs.E(errs.Invalid, "未知的设置表单")
	}
	if err != nil {
		p := s.page(w, r, "网站检查设置")
		p.Crumbs = inspectCrumbs(sc, "检查设置")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		d, derr := s.inspectSettingsData(r, sc)
		if derr != nil {
			return derr
		}
		p.Data = d
		return s.render(w, "admin/inspect_settings", p)
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/inspect/settings?unit="+strconv.FormatInt(sc.Unit.ID, 10), http.StatusSeeOther)
	return nil
}
