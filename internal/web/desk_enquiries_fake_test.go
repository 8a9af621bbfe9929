package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/desk"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

// fakeEnquiries is a desk.EnquiryStore in memory: one enquiry, the steps it
// was asked to take, and an error to answer them with.
type fakeEnquiries struct {
	e       desk.Enquiry
	evs     []desk.Event
	findErr error // returned by Enquiry
	actErr  error // returned by ActOnEnquiry
	acted   []desk.Action
	audited []string
}

func (f *fakeEnquiries) Enquiries(ctx context.Context, _ desk.EnquiryFilter) ([]desk.Enquiry, int64, error) {
	return []desk.Enquiry{f.e}, 1, nil
}

func (f *fakeEnquiries) Enquiry(ctx context.Context, id int64) (desk.Enquiry, []desk.Event, error) {
	if f.findErr != nil {
		return desk.Enquiry{}, nil, f.findErr
	}
	if id != f.e.ID {
		return desk.Enquiry{}, nil, errs.E(errs.NotFound, "该咨询或留言不存在")
	}
	return f.e, f.evs, nil
}

func (f *fakeEnquiries) UnansweredLimit(ctx context.Context) (desk.Limit, error) {
	return desk.Limit{}, nil
}

func (f *fakeEnquiries) ActOnEnquiry(ctx context.Context, actor audit.Actor, id int64, a desk.Action, at time.Time) error {
	f.acted = append(f.acted, a)
	return f.actErr
}

func (f *fakeEnquiries) Record(ctx context.Context, actor audit.Actor, c audit.Change) error {
	f.audited = append(f.audited, c.Action)
	return nil
}

// enquiryRequest is a staff POST on enquiry id by user u, past the login
// middleware (the user in the request's context).
func enquiryRequest(u *org.User, id int64, form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/admin/desk/enquiries/%d", id), strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.SetPathValue("id", fmt.Sprint(id))
	r = r.WithContext(context.WithValue(r.Context(), userKey, u))
	r.ParseForm()
	return r
}

func fakeDeskServer(f *fakeEnquiries) *Server {
	return &Server{Enquiries: f, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// Who may take which step is asked before the store is called: a reviewer
// does not draft, an agent does not approve, someone without a role in the
// enquiry's unit sees nothing of it; the store is never asked to act.
func TestEnquiryActPermissionsOnFake(t *testing.T) {
	const unit = 7
	user := func(id int64, roles ...org.Role) *org.User {
		u := &org.User{ID: id, Username: fmt.Sprint("u", id), UnitID: unit}
		for _, r := range roles {
			u.Grants = append(u.Grants, org.Grant{UnitID: unit, Role: r})
		}
		return u
	}
	agent, reviewer := user(1, org.RoleHotline), user(2, org.RoleReviewer)
	elsewhere := &org.User{ID: 3, Grants: []org.Grant{{UnitID: unit + 1, Role: org.RoleReviewer}}}
	for _, c := range []struct {
		name   string
		u      *org.User
		action string
		status int
		acted  bool
	}{
		{"agent drafts", agent, desk.EvDrafted, http.StatusSeeOther, true},
		{"reviewer may not draft", reviewer, desk.EvDrafted, http.StatusForbidden, false},
		{"agent may not approve", agent, desk.EvApproved, http.StatusForbidden, false},
		{"reviewer approves", reviewer, desk.EvApproved, http.StatusSeeOther, true},
		{"another unit's reviewer", elsewhere, desk.EvApproved, http.StatusForbidden, false},
		{"unknown step", reviewer, "erase", http.StatusUnprocessableEntity, false},
	} {
		f := &fakeEnquiries{e: desk.Enquiry{ID: 5, UnitID: unit, Kind: desk.KindMessage, Ref: "LY000005", State: desk.EvDrafted}}
		w := httptest.NewRecorder()
		err := fakeDeskServer(f).enquiryAct(w, enquiryRequest(c.u, 5, url.Values{"action": {c.action}, "body": {"答复"}, "note": {"理由"}}))
		status := w.Code
		if err != nil {
			status = statusOf(err)
		}
		if status != c.status || (len(f.acted) > 0) != c.acted {
			t.Errorf("%s: status %d (%v), store asked %v; want %d, %v", c.name, status, err, f.acted, c.status, c.acted)
		}
	}
}

// The store's coded errors reach the response as their statuses, with
// their Chinese message: an enquiry that does not exist is 404, a database
// that is busy 503, a refusal of the store's own rules 403.
func TestEnquiryErrorsMappedOnFake(t *testing.T) {
	agent := &org.User{ID: 1, UnitID: 7, Grants: []org.Grant{{UnitID: 7, Role: org.RoleHotline}}}
	for _, c := range []struct {
		name            string
		findErr, actErr error
		status          int
	}{
		{"not found", errs.E(errs.NotFound, "该咨询或留言不存在"), nil, http.StatusNotFound},
		{"busy", errs.E(errs.Unavailable, "数据库正忙，请稍后再试"), nil, http.StatusServiceUnavailable},
		{"refused in the transaction", nil, errs.E(errs.Forbidden, "拟写答复须由该单位的热线坐席或公开办负责人办理"), http.StatusForbidden},
		{"internal", nil, fmt.Errorf("disk I/O error"), http.StatusInternalServerError},
	} {
		f := &fakeEnquiries{e: desk.Enquiry{ID: 5, UnitID: 7, Kind: desk.KindMessage, State: desk.EvReceived}, findErr: c.findErr, actErr: c.actErr}
		w := httptest.NewRecorder()
		err := fakeDeskServer(f).enquiryAct(w, enquiryRequest(agent, 5, url.Values{"action": {desk.EvDrafted}, "body": {"答复"}}))
		if err == nil {
			t.Errorf("%s: no error (status %d)", c.name, w.Code)
			continue
		}
		if got := statusOf(err); got != c.status {
			t.Errorf("%s: status %d, want %d (%v)", c.name, got, c.status, err)
		}
		if c.status < 500 && errs.MessageOf(err) == "" {
			t.Errorf("%s: no message for the user", c.name)
		}
	}
}
