package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/desk"
	"gongkai/internal/errs"
)

// Back-office pages for the desk's smaller registers: new media, press
// conferences and outreach, surveys and complaints. Each is a list with
// the form that adds to it; a form at fault is shown again with what was
// typed and the message next to the field.

// ---- New media --------------------------------------------------------

// AccountRow is an account with its latest follower count.
type AccountRow struct {
	A         desk.Account
	Followers []desk.Followers
	Latest    desk.Followers
}

func (s *Server) mediaPageFor(w http.ResponseWriter, r *http.Request, sc deskScope, form string) (*Page, error) {
	ctx := r.Context()
	accts, err := s.DB.Accounts(ctx, sc.UnitIDs)
	if err != nil {
		return nil, err
	}
	var rows []AccountRow
	for _, a := range accts {
		fs, err := s.DB.Followers(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		row := AccountRow{A: a, Followers: fs}
		if len(fs) > 0 {
			row.Latest = fs[len(fs)-1]
		}
		rows = append(rows, row)
	}
	page := pageParam(r)
	const per = 100
	posts, total, err := s.DB.Posts(ctx, sc.UnitIDs, sc.Year, per, (page-1)*per)
	if err != nil {
		return nil, err
	}
	names := map[int64]desk.Account{}
	for _, a := range accts {
		names[a.ID] = a
	}
	fig, err := s.DB.DeskFigures(ctx, sc.UnitIDs, sc.Year)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "新媒体")
	p.Crumbs = deskCrumbs("新媒体")
	p.Data = map[string]any{"Scope": sc, "Accounts": rows, "Posts": posts, "Total": total, "Page": page,
		"Pages": int((total + per - 1) / per), "ByID": names, "Platforms": desk.Platforms, "Kinds": desk.PostKinds,
		"Figures": fig, "Form": form}
	return p, nil
}

func (s *Server) mediaPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	p, err := s.mediaPageFor(w, r, sc, "")
	if err != nil {
		return err
	}
	p.Values = map[string]string{"kind": "post"}
	return s.render(w, "admin/desk_media", p)
}

// accountOf checks that a posted account id is one of the scope's.
func (s *Server) accountOf(r *http.Request, sc deskScope) (int64, error) {
	id, err := strconv.ParseInt(r.PostFormValue("account"), 10, 64)
	if err != nil {
		return 0, nil // reported by validation as "请选择账号"
	}
	accts, err := s.DB.Accounts(r.Context(), sc.UnitIDs)
	if err != nil {
		return 0, err
	}
	for _, a := range accts {
		if a.ID == id {
			return id, nil
		}
	}
	return 0, errs.FieldError("account", "该账号不属于所选单位")
}

func (s *Server) mediaCreate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	what := r.PathValue("what")
	var msg string
	switch what {
	case "account":
		a := desk.Account{UnitID: sc.Unit.ID, Platform: r.PostFormValue("platform"), Name: r.PostFormValue("name")}
		err = s.DB.CreateAccount(ctx, actorOf(r), &a)
		if errs.Is(err, errs.Conflict) {
			err = errs.FieldError("name", "该平台已有名为“%s”的账号", a.Name)
		}
		msg = "已登记账号 " + a.Name
	case "post":
		var acct int64
		if acct, err = s.accountOf(r, sc); err == nil {
			p := desk.Post{AccountID: acct, Kind: r.PostFormValue("kind"), Day: r.PostFormValue("day"), Title: r.PostFormValue("title"),
				Column: r.PostFormValue("column"), URL: r.PostFormValue("url")}
			err = s.DB.CreatePost(ctx, actorOf(r), &p)
			if errs.Is(err, errs.Conflict) {
				err = errs.FieldError("title", "该账号在当日已有同名发文")
			}
			msg = "已登记：" + p.Title
		}
	case "followers":
		var acct int64
		if acct, err = s.accountOf(r, sc); err == nil {
			n, perr := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("count")), ",", ""), 10, 64)
			if perr != nil {
				err = errs.FieldError("count", "关注人数应为整数")
			} else {
				err = s.DB.SetFollowers(ctx, actorOf(r), &desk.Followers{AccountID: acct, Day: r.PostFormValue("fday"), Count: n})
			}
			msg = "已记录关注人数"
		}
	default:
		return errNotFoundPage
	}
	if err != nil {
		p, perr := s.mediaPageFor(w, r, sc, what)
		if perr != nil {
			return perr
		}
		if what == "followers" {
			err = renameField(err, "day", "fday")
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_media", p)
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/desk/media?"+sc.Query(), http.StatusSeeOther)
	return nil
}

// renameField moves a field error to the name the form uses (two forms on
// one page may share a field's domain name).
func renameField(err error, from, to string) error {
	var fe *errs.FormError
	if asForm(err, &fe) {
		for _, f := range fe.Fields {
			if f.Field == from {
				f.Field = to
			}
		}
	}
	var ae *errs.Error
	if asApp(err, &ae) && ae.Field == from {
		ae.Field = to
	}
	return err
}

// ---- Press conferences and outreach -----------------------------------

func (s *Server) outreachPageFor(w http.ResponseWriter, r *http.Request, sc deskScope) (*Page, error) {
	list, err := s.DB.Outreach(r.Context(), sc.UnitIDs, sc.Year)
	if err != nil {
		return nil, err
	}
	var press, events, enterprises int64
	for _, o := range list {
		if o.Kind == "press" {
			press++
		} else {
			events++
			enterprises += o.Enterprises
		}
	}
	p := s.page(w, r, "新闻发布与宣讲")
	p.Crumbs = deskCrumbs("新闻发布与宣讲")
	p.Data = map[string]any{"Scope": sc, "List": list, "Kinds": desk.OutreachKinds, "Press": press, "Events": events, "Enterprises": enterprises}
	return p, nil
}

func (s *Server) outreachPage(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	p, err := s.outreachPageFor(w, r, sc)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"kind": "outreach", "enterprises": "0"}
	return s.render(w, "admin/desk_outreach", p)
}

func (s *Server) outreachCreate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	o := desk.Outreach{UnitID: sc.Unit.ID, Kind: r.PostFormValue("kind"), Day: r.PostFormValue("day"), Title: r.PostFormValue("title"), Notes: r.PostFormValue("notes")}
	n, perr := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("enterprises")), 10, 64)
	if perr != nil && strings.TrimSpace(r.PostFormValue("enterprises")) != "" {
		err = errs.FieldError("enterprises", "覆盖企业数应为整数")
	}
	o.Enterprises = n
	err = mergeFormErrors(err, desk.ValidateOutreach(&o))
	if err == nil {
		err = s.DB.CreateOutreach(r.Context(), actorOf(r), &o)
	}
	if err != nil {
		p, perr := s.outreachPageFor(w, r, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_outreach", p)
	}
	s.setFlash(w, "已登记："+o.Title)
	http.Redirect(w, r, "/admin/desk/outreach?"+sc.Query(), http.StatusSeeOther)
	return nil
}

// ---- Surveys ----------------------------------------------------------

func (s *Server) surveyListPage(w http.ResponseWriter, r *http.Request, sc deskScope) (*Page, error) {
	list, err := s.DB.Surveys(r.Context(), sc.UnitIDs)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "调查问卷")
	p.Crumbs = deskCrumbs("调查问卷")
	p.Data = map[string]any{"Scope": sc, "List": list}
	return p, nil
}

func (s *Server) surveyList(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	p, err := s.surveyListPage(w, r, sc)
	if err != nil {
		return err
	}
	return s.render(w, "admin/desk_surveys", p)
}

func (s *Server) surveyCreate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	sv := desk.Survey{UnitID: sc.Unit.ID, Title: r.PostFormValue("title"), Intro: r.PostFormValue("intro")}
	if err := s.DB.CreateSurvey(r.Context(), actorOf(r), &sv); err != nil {
		p, perr := s.surveyListPage(w, r, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_surveys", p)
	}
	s.setFlash(w, "已创建问卷，请添加题目")
	http.Redirect(w, r, "/admin/desk/surveys/"+strconv.FormatInt(sv.ID, 10), http.StatusSeeOther)
	return nil
}

// ResultView is a question's tally with its chart.
type ResultView struct {
	R     desk.QuestionResult
	Chart any
}

func (s *Server) loadSurvey(r *http.Request) (desk.Survey, error) {
	id, err := pathID(r)
	if err != nil {
		return desk.Survey{}, err
	}
	sv, err := s.DB.Survey(r.Context(), id)
	if err != nil {
		return sv, err
	}
	if !hasRoleIn(userOf(r), sv.UnitID, deskWorkRoles) {
		return sv, errs.E(errs.Forbidden, "您无权管理该单位的问卷")
	}
	return sv, nil
}

func (s *Server) surveyEditPage(w http.ResponseWriter, r *http.Request, sv desk.Survey) (*Page, error) {
	var views []ResultView
	if sv.State != desk.SurveyDraft {
		res, err := s.DB.SurveyResults(r.Context(), sv.ID, 50)
		if err != nil {
			return nil, err
		}
		for _, qr := range res {
			v := ResultView{R: qr}
			if qr.Question.Kind != desk.QText {
				var bars []Bar
				for _, o := range qr.Question.Options {
					bars = append(bars, Bar{Label: o.Label, Value: qr.Counts[o.ID], Note: qr.Share(o.ID)})
				}
				v.Chart = hbarChart(qr.Question.Text, bars)
			}
			views = append(views, v)
		}
	}
	p := s.page(w, r, "问卷："+sv.Title)
	p.Crumbs = []Crumb{{"工作台", "/admin/"}, {"服务台", "/admin/desk"}, {"调查问卷", "/admin/desk/surveys"}, {sv.Title, ""}}
	p.Data = map[string]any{"S": sv, "Results": views, "QKinds": desk.QuestionKinds}
	return p, nil
}

func (s *Server) surveyEdit(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.loadSurvey(r)
	if err != nil {
		return err
	}
	p, err := s.surveyEditPage(w, r, sv)
	if err != nil {
		return err
	}
	p.Values = map[string]string{"kind": desk.QSingle, "required": "1"}
	return s.render(w, "admin/desk_survey", p)
}

func (s *Server) surveyChange(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.loadSurvey(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := actorOf(r)
	a.UnitID = sv.UnitID
	var msg string
	switch r.PathValue("what") {
	case "question":
		var q desk.Question
		q, err = desk.ParseQuestion(r.PostFormValue("kind"), r.PostFormValue("text"), r.PostFormValue("options"), r.PostFormValue("required") == "1")
		if err == nil {
			err = s.DB.AddQuestion(ctx, a, sv.ID, &q)
		}
		msg = "已添加题目"
	case "delete":
		qid, _ := strconv.ParseInt(r.PostFormValue("question"), 10, 64)
		err = s.DB.DeleteQuestion(ctx, a, sv.ID, qid)
		msg = "已删除题目"
	case "open":
		err = s.DB.OpenSurvey(ctx, a, sv.ID)
		msg = "问卷已在门户网站发布"
	case "close":
		err = s.DB.CloseSurvey(ctx, a, sv.ID)
		msg = "问卷已结束征集"
	default:
		return errNotFoundPage
	}
	if err != nil {
		sv, _ = s.DB.Survey(ctx, sv.ID)
		p, perr := s.surveyEditPage(w, r, sv)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_survey", p)
	}
	s.setFlash(w, msg)
	http.Redirect(w, r, "/admin/desk/surveys/"+strconv.FormatInt(sv.ID, 10), http.StatusSeeOther)
	return nil
}

// ---- Complaints -------------------------------------------------------

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request, sc deskScope) (*Page, error) {
	list, err := s.DB.Complaints(r.Context(), sc.UnitIDs, sc.Year)
	if err != nil {
		return nil, err
	}
	p := s.page(w, r, "投诉登记")
	p.Crumbs = deskCrumbs("投诉登记")
	p.Data = map[string]any{"Scope": sc, "List": list, "Outcomes": desk.ComplaintOutcomes}
	return p, nil
}

func (s *Server) complaintList(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	p, err := s.complaintPage(w, r, sc)
	if err != nil {
		return err
	}
	return s.render(w, "admin/desk_complaints", p)
}

func (s *Server) complaintCreate(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	c := desk.Complaint{UnitID: sc.Unit.ID, ReceivedOn: r.PostFormValue("received_on"), Channel: r.PostFormValue("channel"),
		Complainant: r.PostFormValue("complainant"), Subject: r.PostFormValue("subject"), Summary: r.PostFormValue("summary")}
	if err := s.DB.CreateComplaint(r.Context(), actorOf(r), &c); err != nil {
		p, perr := s.complaintPage(w, r, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		return s.render(w, "admin/desk_complaints", p)
	}
	s.setFlash(w, "已登记投诉")
	http.Redirect(w, r, "/admin/desk/complaints?"+sc.Query(), http.StatusSeeOther)
	return nil
}

func (s *Server) complaintConclude(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.deskScopeOf(r, deskWorkRoles, false)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := s.DB.Complaint(r.Context(), id)
	if err != nil {
		return err
	}
	if !hasRoleIn(userOf(r), c.UnitID, deskWorkRoles) {
		return errs.E(errs.Forbidden, "您无权办理该单位的投诉")
	}
	err = s.DB.ConcludeComplaint(r.Context(), actorOf(r), id, r.PostFormValue("outcome"), r.PostFormValue("outcome_note"), r.PostFormValue("concluded_on"))
	if err != nil {
		p, perr := s.complaintPage(w, r, sc)
		if perr != nil {
			return perr
		}
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		p.Values["conclude"] = strconv.FormatInt(id, 10)
		return s.render(w, "admin/desk_complaints", p)
	}
	s.setFlash(w, "已办结投诉")
	http.Redirect(w, r, "/admin/desk/complaints?"+sc.Query(), http.StatusSeeOther)
	return nil
}
