package web

import (
	"net/http"
	"strconv"

	"gongkai/internal/annual"
	"gongkai/internal/errs"
)

// annualUploadPage is one uploaded report, read again from the bytes that
// were checked, with the decisions on its findings.
type annualUploadPage struct {
	Name     string
	UploadID int64
	View     *checkedView
}

// annualUploadReport reads and checks an uploaded file as the check page
// did: the rules of the report itself and those across years with the
// imported history.
func (s *Server) annualUploadReport(r *http.Request) (int64, string, *annual.Report, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, "", nil, err
	}
	up, err := s.DB.AnnualUpload(r.Context(), id)
	if err != nil {
		return 0, "", nil, err
	}
	rep, err := annual.Read(up.Content, up.Name)
	if err != nil {
		return 0, "", nil, errs.Wrap(errs.Invalid, err, "“%s”不是可读的年度报告：%s", up.Name, err.Error())
	}
	rep.Findings = annual.Check(rep)
	if err := s.checkWithHistory(r, []*annual.Report{rep}); err != nil {
		return 0, "", nil, err
	}
	return up.ID, up.Name, rep, nil
}

func uploadPath(id int64) string { return "/admin/reports/uploads/" + strconv.FormatInt(id, 10) }

func (s *Server) annualUpload(w http.ResponseWriter, r *http.Request) error {
	return s.renderAnnualUpload(w, r, s.page(w, r, "年度报告检查结果"))
}

func (s *Server) renderAnnualUpload(w http.ResponseWriter, r *http.Request, p *Page) error {
	id, name, rep, err := s.annualUploadReport(r)
	if err != nil {
		return err
	}
	rs, decisions, err := s.reviewOf(r.Context(), userOf(r), rep, uploadPath(id)+"/decide")
	if err != nil {
		return err
	}
	v, err := newCheckedView(rep, "finding-", decisions, rs)
	if err != nil {
		return err
	}
	p.Title = name
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"年度报告检查", "/admin/reports"}, {name, ""}}
	p.Data = annualUploadPage{Name: name, UploadID: id, View: v}
	return s.render(w, "admin/annual_upload", p)
}

// annualUploadDecide records a decision on a finding of an uploaded report.
func (s *Server) annualUploadDecide(w http.ResponseWriter, r *http.Request) error {
	id, _, rep, err := s.annualUploadReport(r)
	if err != nil {
		return err
	}
	return s.decideFinding(w, r, rep, uploadPath(id), func(p *Page) error { return s.renderAnnualUpload(w, r, p) })
}

// decideFinding records the decision posted on one of rep's findings
// (fields finding, verdict, reason) and goes back to the report's page; a
// decision the rules refuse for its content shows the page again with the
// message next to the form (422), one the user may not take is refused
// (403).
func (s *Server) decideFinding(w http.ResponseWriter, r *http.Request, rep *annual.Report, back string, again func(p *Page) error) error {
	var f *annual.Finding
	for i := range rep.Findings {
		if rep.Findings[i].ID == r.PostFormValue("finding") {
			f = &rep.Findings[i]
		}
	}
	if f == nil {
		return errs.E(errs.NotFound, "报告的检查结果中已没有这个问题（报告可能已重新检查）")
	}
	rs, _, err := s.reviewOf(r.Context(), userOf(r), rep, back)
	if err != nil {
		return err
	}
	if rs.Unit.ID == 0 || rep.Year == 0 {
		return errs.E(errs.Invalid, "%s", rs.Note)
	}
	d := annual.DecisionFor(rs.Unit.ID, rep.Year, *f, annual.Verdict(r.PostFormValue("verdict")), r.PostFormValue("reason"))
	if _, err := s.DB.DecideFinding(r.Context(), actorOf(r), d); err != nil {
		p := s.page(w, r, "")
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return again(p)
	}
	msg := "已确认：" + annual.RuleLabel(f.Rule) + "（" + annual.PlaceLabel(f.Where) + "）"
	if d.Verdict == annual.VerdictDismiss {
		msg = "已排除：" + annual.RuleLabel(f.Rule) + "（" + annual.PlaceLabel(f.Where) + "），不再计入错误和警告"
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, back+"#findings", http.StatusSeeOther)
	return nil
}
