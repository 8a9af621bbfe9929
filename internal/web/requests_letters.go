package web

import (
	"net/http"
	"net/url"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// The answer-letter texts of a unit (law as data): the unit's administrator
// sees every outcome's text, the default citing its article or the unit's
// own, and may replace or restore it. Routes in routes_requests.go.

type letterRow struct {
	Key, Label, Text string
	Custom           bool
}

// letterUnits are the units the user administers.
func (s *Server) letterUnits(r *http.Request) ([]org.Unit, error) {
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, u := range units {
		if userOf(r).Has(org.RoleAdmin, u.ID) {
			out = append(out, u)
		}
	}
	return out, nil
}

func (s *Server) requestLetterTexts(w http.ResponseWriter, r *http.Request) error {
	units, err := s.letterUnits(r)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return errs.E(errs.Forbidden, "只有单位的系统管理员可以修改答复书模板。")
	}
	unit := units[0]
	if v := r.URL.Query().Get("unit"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		found := false
		for _, u := range units {
			if u.ID == id {
				unit, found = u, true
			}
		}
		if !found {
			return errs.E(errs.NotFound, "单位不存在或不在您的管理范围内。")
		}
	}
	return s.renderLetterTexts(w, r, s.page(w, r, "答复书模板"), units, unit.ID)
}

func (s *Server) renderLetterTexts(w http.ResponseWriter, r *http.Request, p *Page, units []org.Unit, unitID int64) error {
	var rows []letterRow
	for _, k := range requests.LetterKeys() {
		text, custom, err := s.DB.RequestLetterText(r.Context(), unitID, k)
		if err != nil {
			return err
		}
		if p.Form != nil && p.Value("key") == k {
			text = p.Value("text") // what was typed, next to its error
		}
		rows = append(rows, letterRow{Key: k, Label: requests.LetterKeyLabel(k), Text: text, Custom: custom})
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"答复书模板", ""}}
	p.Data = map[string]any{"Units": units, "UnitID": unitID, "Rows": rows, "Placeholders": requests.Placeholders, "Remedy": requests.RemedyNotice}
	return s.render(w, "admin/requests_letters", p)
}

func (s *Server) requestLetterTextSave(w http.ResponseWriter, r *http.Request) error {
	units, err := s.letterUnits(r)
	if err != nil {
		return err
	}
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	allowed := false
	for _, u := range units {
		allowed = allowed || u.ID == unitID
	}
	if !allowed {
		return errs.E(errs.Forbidden, "只有单位的系统管理员可以修改答复书模板。")
	}
	key, text := r.PostFormValue("key"), r.PostFormValue("text")
	if r.PostFormValue("restore") != "" {
		text = ""
	}
	if err := s.DB.SetRequestLetterText(r.Context(), actorOf(r), unitID, key, text); err != nil {
		p := s.page(w, r, "答复书模板")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.renderLetterTexts(w, r, p, units, unitID)
	}
	http.Redirect(w, r, "/admin/requests/letters?unit="+url.QueryEscape(strconv.FormatInt(unitID, 10))+"#"+url.QueryEscape(key), http.StatusSeeOther)
	return nil
}
