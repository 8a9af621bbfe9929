package web

import (
	"net/http"
	"strings"
	"time"

	"gongkai/internal/auth"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/store"
)

// The portal's 互动交流 column. Every page here reads enquiries through
// store.PublicQA (published replies only, no personal details) or, for the
// asker, through store.EnquiryStatus (their own reply, once approved).

const qaPerPage = 20

func (s *Server) interactCrumbs(last string) []Crumb {
	if last == "" {
		return []Crumb{{"首页", "/"}, {"互动交流", ""}}
	}
	return []Crumb{{"首页", "/"}, {"互动交流", "/interact"}, {last, ""}}
}

func (s *Server) interactHome(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "互动交流")
	p.Crumbs = s.interactCrumbs("")
	data := map[string]any{}
	if p.SiteReady {
		ctx := r.Context()
		consult, nc, err := s.DB.PublicQA(ctx, p.Site.ID, desk.KindConsult, 5, 0)
		if err != nil {
			return err
		}
		message, nm, err := s.DB.PublicQA(ctx, p.Site.ID, desk.KindMessage, 5, 0)
		if err != nil {
			return err
		}
		surveys, err := s.DB.OpenSurveys(ctx, p.Site.ID)
		if err != nil {
			return err
		}
		data = map[string]any{"Consult": consult, "ConsultN": nc, "Message": message, "MessageN": nm, "Surveys": surveys}
	}
	p.Data = data
	return s.render(w, "portal/desk_interact", p)
}

func kindOf(r *http.Request) (string, error) {
	k := r.PathValue("kind")
	if !desk.ValidKind(k) {
		return "", errNotFoundPage
	}
	return k, nil
}

func (s *Server) interactList(w http.ResponseWriter, r *http.Request) error {
	kind, err := kindOf(r)
	if err != nil {
		return err
	}
	p := s.page(w, r, "网上"+desk.KindLabel(kind))
	p.Crumbs = s.interactCrumbs("网上" + desk.KindLabel(kind))
	page := pageParam(r)
	var list []desk.PublicQA
	var total int64
	if p.SiteReady {
		if list, total, err = s.DB.PublicQA(r.Context(), p.Site.ID, kind, qaPerPage, (page-1)*qaPerPage); err != nil {
			return err
		}
	}
	p.Data = map[string]any{"Kind": kind, "KindLabel": desk.KindLabel(kind), "List": list, "Total": total,
		"Page": page, "Pages": int((total + qaPerPage - 1) / qaPerPage)}
	return s.render(w, "portal/desk_qa", p)
}

// enquiryPage fills the form page: a fresh challenge every time it is shown.
func (s *Server) enquiryPage(w http.ResponseWriter, r *http.Request, kind string) *Page {
	p := s.page(w, r, "我要"+desk.KindLabel(kind))
	p.Crumbs = s.interactCrumbs("我要" + desk.KindLabel(kind))
	p.Data = map[string]any{"Kind": kind, "KindLabel": desk.KindLabel(kind), "Topics": desk.Topics,
		"Challenge": desk.NewChallenge([]byte(s.Config.Secret), time.Now()), "MaxBody": desk.MaxLongText}
	return p
}

func (s *Server) enquiryForm(w http.ResponseWriter, r *http.Request) error {
	kind, err := kindOf(r)
	if err != nil {
		return err
	}
	p := s.enquiryPage(w, r, kind)
	p.Values = map[string]string{"public_ok": "1"}
	return s.render(w, "portal/desk_enquiry_form", p)
}

// formGuard checks a public form's challenge and honeypot and returns what
// the store must record with the submission (the nonce, the client's
// keyed hash for the rate limit).
func (s *Server) formGuard(r *http.Request) (store.FormGuard, error) {
	if strings.TrimSpace(r.PostFormValue("website")) != "" {
		// The hidden field only a script fills in.
		return store.FormGuard{}, desk.ErrChallengeWrong
	}
	nonce, err := desk.CheckChallenge([]byte(s.Config.Secret), r.PostFormValue("challenge"), r.PostFormValue("answer"), time.Now())
	if err != nil {
		return store.FormGuard{}, err
	}
	return store.FormGuard{ClientKey: auth.ClientKey(s.Config.Secret, "desk|"+clientAddr(r)), Nonce: nonce,
		Limit: desk.FormLimit, Window: desk.FormWindow}, nil
}

func (s *Server) enquirySubmit(w http.ResponseWriter, r *http.Request) error {
	kind, err := kindOf(r)
	if err != nil {
		return err
	}
	site, ok := s.siteUnit(r)
	if !ok {
		return errs.E(errs.Unavailable, "本网站尚未配置发布单位，暂不能受理咨询和留言")
	}
	e := desk.Enquiry{UnitID: site.ID, Kind: kind, Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"),
		Email: r.PostFormValue("email"), Topic: r.PostFormValue("topic"), Subject: r.PostFormValue("subject"),
		Body: r.PostFormValue("body"), PublicOK: r.PostFormValue("public_ok") == "1"}
	// Every field at fault is reported at once, the challenge with them.
	verr := desk.ValidateEnquiry(&e)
	g, gerr := s.formGuard(r)
	var code string
	err = mergeFormErrors(verr, gerr)
	if err == nil {
		code, err = s.DB.CreateEnquiry(r.Context(), &e, g)
	}
	if err != nil {
		p := s.enquiryPage(w, r, kind)
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		delete(p.Values, "answer")
		delete(p.Values, "challenge")
		return s.render(w, "portal/desk_enquiry_form", p)
	}
	p := s.page(w, r, desk.KindLabel(kind)+"已提交")
	p.Crumbs = s.interactCrumbs(desk.KindLabel(kind) + "已提交")
	p.Data = map[string]any{"Enquiry": e, "Code": code, "KindLabel": desk.KindLabel(kind)}
	return s.render(w, "portal/desk_enquiry_done", p)
}

// mergeFormErrors joins the field errors of several checks into one form
// error, so that the visitor sees everything at fault at once.
func mergeFormErrors(list ...error) error {
	var f errs.Fields
	for _, err := range list {
		if err == nil {
			continue
		}
		var fe *errs.FormError
		var ae *errs.Error
		switch {
		case asForm(err, &fe):
			f = append(f, fe.Fields...)
		case asApp(err, &ae) && ae.Field != "":
			f = append(f, ae)
		default:
			return err
		}
	}
	return f.Err()
}

func (s *Server) interactLookupForm(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "办理结果查询")
	p.Crumbs = s.interactCrumbs("办理结果查询")
	return s.render(w, "portal/desk_lookup", p)
}

// interactLookup shows an asker their own enquiry: the reference and the
// query code given at submission, sent by POST so that the code stays out
// of addresses and logs.
func (s *Server) interactLookup(w http.ResponseWriter, r *http.Request) error {
	p := s.page(w, r, "办理结果查询")
	p.Crumbs = s.interactCrumbs("办理结果查询")
	var f errs.Fields
	ref, code := strings.TrimSpace(r.PostFormValue("ref")), strings.TrimSpace(r.PostFormValue("code"))
	if ref == "" {
		f.Add("ref", "请填写编号")
	}
	if code == "" {
		f.Add("code", "请填写查询码")
	}
	err := f.Err()
	var st desk.Status
	if err == nil {
		st, err = s.DB.EnquiryStatus(r.Context(), ref, code)
		if errs.Is(err, errs.NotFound) {
			err = errs.FieldError("code", "%s", errs.MessageOf(err))
		}
	}
	if err != nil {
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		delete(p.Values, "code")
		return s.render(w, "portal/desk_lookup", p)
	}
	p.Data = map[string]any{"Status": st}
	return s.render(w, "portal/desk_lookup", p)
}

// surveyOpen returns a survey that is open on this portal.
func (s *Server) surveyOpen(r *http.Request) (desk.Survey, error) {
	id, err := pathID(r)
	if err != nil {
		return desk.Survey{}, err
	}
	sv, err := s.DB.Survey(r.Context(), id)
	site, ok := s.siteUnit(r)
	if err != nil || !ok || sv.UnitID != site.ID || sv.State != desk.SurveyOpen {
		return desk.Survey{}, errs.E(errs.NotFound, "该问卷不存在或已结束")
	}
	return sv, nil
}

func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request, sv desk.Survey) *Page {
	p := s.page(w, r, sv.Title)
	p.Crumbs = s.interactCrumbs("调查问卷")
	p.Data = map[string]any{"Survey": sv, "Challenge": desk.NewChallenge([]byte(s.Config.Secret), time.Now())}
	return p
}

func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyOpen(r)
	if err != nil {
		return err
	}
	return s.render(w, "portal/desk_survey", s.surveyPage(w, r, sv))
}

func (s *Server) surveySubmit(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.surveyOpen(r)
	if err != nil {
		return err
	}
	answers, verr := desk.ValidateResponse(sv, r.PostForm)
	g, gerr := s.formGuard(r)
	err = mergeFormErrors(verr, gerr)
	if err == nil {
		err = s.DB.SubmitResponse(r.Context(), sv.ID, answers, g)
	}
	if err != nil {
		p := s.surveyPage(w, r, sv)
		if ferr := formError(p, r, err); ferr != nil {
			return ferr
		}
		// Keep every choice, not only the first value of each field.
		p.Data.(map[string]any)["Chosen"] = r.PostForm
		delete(p.Values, "answer")
		return s.render(w, "portal/desk_survey", p)
	}
	p := s.page(w, r, "问卷已提交")
	p.Crumbs = s.interactCrumbs("调查问卷")
	p.Data = map[string]any{"Survey": sv}
	return s.render(w, "portal/desk_survey_done", p)
}
