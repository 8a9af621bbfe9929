package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
	"gongkai/internal/requests"
)

// fakeSteps is a requests.StepStore in memory: one application, the steps
// it was asked to record, and errors to answer with.
type fakeSteps struct {
	app       requests.AppRecord
	findErr   error
	recordErr error
	recorded  []requests.Event
}

func (f *fakeSteps) RequestApplication(ctx context.Context, id int64) (requests.AppRecord, error) {
	if f.findErr != nil {
		return requests.AppRecord{}, f.findErr
	}
	if id != f.app.ID {
		return requests.AppRecord{}, errs.E(errs.NotFound, "申请不存在。")
	}
	return f.app, nil
}

func (f *fakeSteps) RecordRequestStep(ctx context.Context, actor audit.Actor, id int64, e requests.Event) (requests.RecordedStep, error) {
	f.recorded = append(f.recorded, e)
	if f.recordErr != nil {
		return requests.RecordedStep{}, f.recordErr
	}
	return requests.RecordedStep{Notices: requests.NoticesFor(e, requests.State{})}, nil
}

func stepRequest(u *org.User, id int64, form url.Values) *http.Request {
	r := enquiryRequest(u, id, form)
	r.URL.Path = fmt.Sprintf("/admin/requests/%d/events", id)
	return r
}

// The page records a step in the role the user holds for it, and asks the
// store nothing for someone without a role in the application's unit.
func TestRequestEventPermissionsOnFake(t *testing.T) {
	const unit = 3
	user := func(id int64, roles ...org.Role) *org.User {
		u := &org.User{ID: id, Username: fmt.Sprint("u", id), UnitID: unit}
		for _, r := range roles {
			u.Grants = append(u.Grants, org.Grant{UnitID: unit, Role: r})
		}
		return u
	}
	yesterday := calendar.Today(nil).AddDays(-1).String()
	for _, c := range []struct {
		name   string
		u      *org.User
		form   url.Values
		status int
		role   org.Role // the role the step is recorded in; "" when not recorded
	}{
		{"a handler asks for a 补正", user(1, org.RoleHandler), url.Values{"kind": {"correction_requested"}, "on": {yesterday}, "note": {"请写明文号"}}, http.StatusSeeOther, org.RoleHandler},
		{"the legal reviewer reviews", user(2, org.RoleLegal), url.Values{"kind": {"legal_reviewed"}, "on": {yesterday}, "approved": {"1"}}, http.StatusSeeOther, org.RoleLegal},
		{"the office head extends", user(3, org.RoleOfficeHead, org.RoleHandler), url.Values{"kind": {"extended"}, "on": {yesterday}, "days": {"10"}}, http.StatusSeeOther, org.RoleOfficeHead},
		{"no role in the unit", &org.User{ID: 4, Grants: []org.Grant{{UnitID: unit + 1, Role: org.RoleHandler}}}, url.Values{"kind": {"decided"}, "on": {yesterday}}, http.StatusNotFound, ""},
	} {
		f := &fakeSteps{app: requests.AppRecord{ID: 9, UnitID: unit}}
		s := &Server{Steps: f}
		w := httptest.NewRecorder()
		err := s.requestEvent(w, stepRequest(c.u, 9, c.form))
		status := w.Code
		if err != nil {
			status = statusOf(err)
		}
		if status != c.status {
			t.Errorf("%s: status %d (%v), want %d", c.name, status, err, c.status)
		}
		switch {
		case c.role == "" && len(f.recorded) > 0:
			t.Errorf("%s: the store was asked to record %+v", c.name, f.recorded)
		case c.role != "" && (len(f.recorded) != 1 || f.recorded[0].Role != c.role):
			t.Errorf("%s: recorded %+v, want one step in role %s", c.name, f.recorded, c.role)
		}
	}
}

// The store's coded errors that are not the form's reach the response as
// their statuses: an application that does not exist is 404, a busy
// database 503, a fault 500.
func TestRequestEventErrorsMappedOnFake(t *testing.T) {
	handler := &org.User{ID: 1, UnitID: 3, Grants: []org.Grant{{UnitID: 3, Role: org.RoleHandler}}}
	form := url.Values{"kind": {"correction_requested"}, "on": {calendar.Today(nil).String()}, "note": {"请写明文号"}}
	for _, c := range []struct {
		name              string
		findErr, recorded error
		status            int
	}{
		{"not found", errs.E(errs.NotFound, "申请不存在。"), nil, http.StatusNotFound},
		{"busy", nil, errs.E(errs.Unavailable, "数据库正忙，请稍后再试。"), http.StatusServiceUnavailable},
		{"a letter's font missing", nil, errs.E(errs.Unavailable, "找不到设置 requests.pdf_font 指定的字体。"), http.StatusServiceUnavailable},
		{"fault", nil, fmt.Errorf("disk I/O error"), http.StatusInternalServerError},
	} {
		s := &Server{Steps: &fakeSteps{app: requests.AppRecord{ID: 9, UnitID: 3}, findErr: c.findErr, recordErr: c.recorded}}
		err := s.requestEvent(httptest.NewRecorder(), stepRequest(handler, 9, form))
		if got := statusOf(err); err == nil || got != c.status {
			t.Errorf("%s: %v → %d, want %d", c.name, err, got, c.status)
		}
	}
}
