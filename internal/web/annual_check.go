package web

import (
	"context"
	"html/template"
	"strconv"

	"gongkai/internal/annual"
	"gongkai/internal/annual/export"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

// checkedView is a report read from a file as the check pages show it: the
// whole report laid out by the exports' HTML from the grids of its tables
// (annual.DocumentOf), each finding that counts marked on the cell, row or
// text it concerns and numbered to the list, its rule and place named in
// Chinese, the reviewers' decisions on them shown, the dismissed findings
// listed apart and not counted.
type checkedView struct {
	Report    *annual.Report
	Form      string // 形式: PDF, Word, 网页, 文本
	Doc       template.HTML
	Anchor    string // the prefix of the findings' ids on the page
	Findings  []checkFinding
	Dismissed []checkFinding
	Errors    int
	Warnings  int
	Review    reviewState
}

// checkFinding is a finding on a check page: its number, its rule, place
// and status in Chinese, and the decision on it.
type checkFinding struct {
	N      int
	Anchor string // its id on the page
	Rule   string
	Place  string
	Status string
	annual.Finding
	Decision *annual.Decision
}

// reviewState says whether and where the user may confirm or dismiss the
// report's findings.
type reviewState struct {
	Unit      org.Unit // the unit the report is of; ID 0 when none matches
	Action    string   // where a decision is posted; "" for none on this page
	CanDecide bool
	Note      string // why no decision can be made here
}

// checkedArgs feed the checkedReport template: the page (token, form
// errors) and the view.
type checkedArgs struct {
	P *Page
	V *checkedView
}

// decideArgs feed the decideForm template: a finding of the view.
type decideArgs struct {
	P *Page
	V *checkedView
	F checkFinding
}

// formLabels name the forms a report is read from.
var formLabels = map[string]string{"pdf": "PDF", "docx": "Word", "html": "网页", "text": "文本"}

// newCheckedView lays a checked report out with the decisions on its
// findings (by finding ID); anchor tells its findings' ids apart from
// another report's on the same page ("finding-r1-").
func newCheckedView(r *annual.Report, anchor string, decisions map[string]annual.Decision, review reviewState) (*checkedView, error) {
	v := &checkedView{Report: r, Form: formLabels[r.Printed.Form], Anchor: anchor, Review: review}
	rv := annual.Review(r.Findings, decisions)
	for i, f := range rv.Open {
		v.Findings = append(v.Findings, checkFinding{N: i + 1, Anchor: anchor + strconv.Itoa(i+1), Rule: annual.RuleLabel(f.Rule),
			Place: annual.PlaceLabel(f.Where), Status: f.Status.Label(), Finding: f.Finding, Decision: f.Decision})
		if f.Severity == annual.Error {
			v.Errors++
		} else {
			v.Warnings++
		}
	}
	for i, f := range rv.Dismissed {
		v.Dismissed = append(v.Dismissed, checkFinding{N: i + 1, Anchor: anchor + "x" + strconv.Itoa(i+1), Rule: annual.RuleLabel(f.Rule),
			Place: annual.PlaceLabel(f.Where), Status: f.Status.Label(), Finding: f.Finding, Decision: f.Decision})
	}
	doc := annual.DocumentOf(r)
	html, err := export.HTML(doc, export.HTMLOptions{Marks: export.MarksOf(doc, rv.Findings()), FindingAnchor: anchor})
	if err != nil {
		return nil, err
	}
	v.Doc = template.HTML(html)
	return v, nil
}

// reviewOf finds the unit a report is of (the unit whose name its unit's
// name starts with, the longest winning) and the decisions in force on its
// findings, and says whether the user may decide on them here.
func (s *Server) reviewOf(ctx context.Context, u *org.User, r *annual.Report, action string) (reviewState, map[string]annual.Decision, error) {
	rs := reviewState{Action: action}
	units, err := s.DB.Units(ctx)
	if err != nil {
		return rs, nil, err
	}
	id := guessUnit(r.Unit, org.Tree(units))
	for _, x := range units {
		if x.ID == id {
			rs.Unit = x
		}
	}
	if rs.Unit.ID == 0 {
		rs.Action, rs.Note = "", "报告所属单位不在本系统的单位中，检查结果不能确认或排除。"
		return rs, nil, nil
	}
	if r.Year == 0 {
		rs.Action, rs.Note = "", "未能识别报告的年度，检查结果不能确认或排除。"
		return rs, nil, nil
	}
	all, err := s.DB.FindingDecisions(ctx, rs.Unit.ID)
	if err != nil {
		return rs, nil, err
	}
	rs.CanDecide = annual.AuthorizeReview(annual.Reviewer{UserID: u.ID, Roles: u.RolesIn(rs.Unit.ID)}) == nil && !u.Disabled
	if !rs.CanDecide && action != "" {
		rs.Note = "确认或排除" + rs.Unit.Name + "年报的检查结果，须由该单位的统计人员或系统管理员决定。"
	}
	return rs, all[store.UnitYear{UnitID: rs.Unit.ID, Year: r.Year}], nil
}
