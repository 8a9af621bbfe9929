package web

import (
	"net/http"
	"net/url"
	"strconv"

	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// The answer-letter texts of a unit (law as data) and the unit's office for
// its letters. Who may see and who may change them is the policy
// (org.ActRequestLetters, ActRequestLettersEdit, ActRequestOffice): the
// handlers and the legal reviewer read the texts they answer with, the
// office head (and the administrator) changes them; the store decides on
// every change. Routes in routes_requests.go.

type letterRow struct {
	Key, Label, Text string
	Custom           bool
}

// LetterTextsPage is the page of a unit's letter texts.
type LetterTextsPage struct {
	Units        []org.Unit
	UnitID       int64
	Rows         []letterRow
	Placeholders []struct{ Key, Meaning string }
	Remedy       string
	CanEdit      bool
}

// unitsWhere are the units where the user may take action a.
func (s *Server) unitsWhere(r *http.Request, a org.Action) ([]org.Unit, error) {
	units, err := s.DB.Units(r.Context())
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, u := range units {
		if userOf(r).May(u.ID, a) {
			out = append(out, u)
		}
	}
	return out, nil
}

// pickUnit is the unit a page asks for among units (the first by default).
func pickUnit(r *http.Request, units []org.Unit, param string) (org.Unit, error) {
	unit := units[0]
	if v := r.URL.Query().Get(param); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		for _, u := range units {
			if u.ID == id {
				return u, nil
			}
		}
		return unit, errs.E(errs.NotFound, "单位不存在或不在您的范围内。")
	}
	return unit, nil
}

func (s *Server) requestLetterTexts(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestLetters)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return org.Refusal(org.ActRequestLetters)
	}
	unit, err := pickUnit(r, units, "unit")
	if err != nil {
		return err
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
	p.Data = LetterTextsPage{Units: units, UnitID: unitID, Rows: rows, Placeholders: requests.Placeholders, Remedy: requests.RemedyNotice,
		CanEdit: userOf(r).May(unitID, org.ActRequestLettersEdit)}
	return s.render(w, "admin/requests_letters", p)
}

func (s *Server) requestLetterTextSave(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestLetters)
	if err != nil {
		return err
	}
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	key, text := r.PostFormValue("key"), r.PostFormValue("text")
	if r.PostFormValue("restore") != "" {
		text = ""
	}
	// The store decides who may (org.ActRequestLettersEdit).
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

// OfficeField is a field of the office settings form.
type OfficeField struct{ Key, Label, Hint, Value, Default string }

// OfficePage is the page of a unit's office settings for its letters.
type OfficePage struct {
	Units   []org.Unit
	UnitID  int64
	Fields  []OfficeField
	Example string // the 文书编号 of the next answer letter as set
}

func (s *Server) requestOffice(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestOffice)
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return org.Refusal(org.ActRequestOffice)
	}
	unit, err := pickUnit(r, units, "unit")
	if err != nil {
		return err
	}
	o, err := s.DB.RequestOffice(r.Context(), unit.ID)
	if err != nil {
		return err
	}
	p := s.page(w, r, "依申请公开文书设置")
	p.Values = map[string]string{}
	for _, f := range requests.OfficeFields {
		p.Values[f.Key] = o.Get(f.Key)
	}
	return s.renderOffice(w, p, units, unit, http.StatusOK)
}

func (s *Server) renderOffice(w http.ResponseWriter, p *Page, units []org.Unit, unit org.Unit, status int) error {
	var set requests.Office
	for _, f := range requests.OfficeFields {
		set.Set(f.Key, p.Value(f.Key))
	}
	def := requests.Office{}.WithDefaults(unit.Name)
	m := OfficePage{Units: units, UnitID: unit.ID, Example: set.WithDefaults(unit.Name).DocNumber(requests.LetterAnswer, today().Year(), 1)}
	for _, f := range requests.OfficeFields {
		m.Fields = append(m.Fields, OfficeField{Key: f.Key, Label: f.Label, Hint: f.Hint, Value: p.Value(f.Key), Default: def.Get(f.Key)})
	}
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"依申请公开", "/admin/requests"}, {"文书设置", ""}}
	p.Data = m
	return s.renderStatus(w, status, "admin/requests_office", p)
}

func (s *Server) requestOfficeSave(w http.ResponseWriter, r *http.Request) error {
	units, err := s.unitsWhere(r, org.ActRequestOffice)
	if err != nil {
		return err
	}
	unitID, _ := strconv.ParseInt(r.PostFormValue("unit"), 10, 64)
	unit, err := s.DB.Unit(r.Context(), unitID)
	if err != nil {
		return err
	}
	var o requests.Office
	for _, f := range requests.OfficeFields {
		o.Set(f.Key, r.PostFormValue(f.Key))
	}
	// The store decides who may (org.ActRequestOffice) and checks the values.
	if err := s.DB.SetRequestOffice(r.Context(), actorOf(r), unitID, o); err != nil {
		p := s.page(w, r, "依申请公开文书设置")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.renderOffice(w, p, units, unit, http.StatusUnprocessableEntity)
	}
	s.setFlash(w, "已保存文书设置。")
	http.Redirect(w, r, "/admin/requests/office?unit="+strconv.FormatInt(unitID, 10), http.StatusSeeOther)
	return nil
}
