package report

import (
	"strings"
	"testing"
	"time"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func actor(roles ...org.Role) Actor { return Actor{UserID: 7, Name: "王芳", Roles: roles} }

func TestAuthorize(t *testing.T) {
	cases := []struct {
		a    Actor
		act  Action
		want bool
	}{
		{actor(org.RoleStatistician), ActBuild, true},
		{actor(org.RoleOfficeHead), ActBuild, true},
		{actor(org.RoleAdmin), ActBuild, true},
		{actor(org.RoleHandler, org.RoleEditor), ActBuild, false},
		{actor(org.RoleStatistician), ActTemplate, true},
		{actor(org.RoleReviewer), ActTemplate, false},
		{actor(org.RoleStatistician), ActPublish, true},
		{actor(org.RoleOfficeHead), ActPublish, true},
		{actor(org.RoleAdmin), ActPublish, false}, // an administrator runs the system, not the report
		{actor(org.RoleStatistician), ActOverride, false},
		{actor(org.RoleOfficeHead), ActOverride, true},
		{SystemActor("cli"), ActBuild, true},
		{SystemActor("demo"), ActPublish, true},
		{SystemActor("demo"), ActOverride, false}, // the system has no reason of its own
		{actor(), ActBuild, false},
	}
	for _, c := range cases {
		err := Authorize(c.a, c.act)
		if (err == nil) != c.want {
			t.Errorf("%v %s: %v, want allowed=%v", c.a.Roles, c.act, err, c.want)
		}
		if err != nil && errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("%v %s: code %s, want Forbidden", c.a.Roles, c.act, errs.CodeOf(err))
		}
	}
}

func TestAuthorizePublish(t *testing.T) {
	stat, head := actor(org.RoleStatistician), actor(org.RoleOfficeHead)
	cases := []struct {
		name       string
		a          Actor
		errors     int
		override   string
		correction string
		first      bool
		field      string // "" when allowed
	}{
		{"clean report by the statistician", stat, 0, "", "", true, ""},
		{"errors without override", stat, 2, "", "", true, "override"},
		{"errors overridden by the statistician", stat, 2, "数据已核实", "", true, "override"},
		{"errors overridden by the office head", head, 2, "表三差异系系统外办理，已核实", "", true, ""},
		{"blank override reason", head, 1, "   ", "", true, "override"},
		{"correction without reason", stat, 0, "", "", false, "reason"},
		{"correction with reason", stat, 0, "", "更正表二行政许可数量", false, ""},
		{"long reason", stat, 0, "", strings.Repeat("字", MaxReason+1), false, "reason"},
		{"no role", actor(org.RoleHandler), 0, "", "", true, "*"},
	}
	for _, c := range cases {
		err := AuthorizePublish(c.a, c.errors, c.override, c.correction, c.first)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.field == "*" && errs.CodeOf(err) != errs.Forbidden:
			t.Errorf("%s: %v, want Forbidden", c.name, err)
		case c.field != "" && c.field != "*":
			fe, ok := err.(*errs.FormError)
			if !ok || fe.Of(c.field) == "" {
				t.Errorf("%s: %v, want a message on %s", c.name, err, c.field)
			}
		}
	}
}

func TestDeadlines(t *testing.T) {
	if d := Deadline(2026, false); d.String() != "2027-01-31" {
		t.Errorf("department deadline %s", d)
	}
	if d := Deadline(2026, true); d.String() != "2027-03-31" {
		t.Errorf("whole-government deadline %s", d)
	}
	day := func(s string) calendar.Date { d, _ := calendar.ParseDate(s); return d }
	for _, c := range []struct {
		day  string
		year int
		ok   bool
	}{{"2026-11-30", 0, false}, {"2026-12-01", 2026, true}, {"2027-01-31", 2026, true}, {"2027-03-31", 2026, true}, {"2027-04-01", 0, false}} {
		y, ok := DueYear(day(c.day))
		if y != c.year || ok != c.ok {
			t.Errorf("DueYear(%s) = %d, %v; want %d, %v", c.day, y, ok, c.year, c.ok)
		}
	}
}

func TestStateOf(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    Record
		want State
	}{
		{Record{}, StateNone},
		{Record{DraftAt: at}, StateDraft},
		{Record{DraftAt: at, DraftErrors: 1}, StateErrors},
		{Record{DraftAt: at, DraftErrors: 1, CurrentVersion: 1}, StatePublished},
	} {
		if got := StateOf(c.r); got != c.want {
			t.Errorf("StateOf(%+v) = %s, want %s", c.r, got, c.want)
		}
	}
}

func TestCheckYear(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		year, first int
		ok          bool
		says        string
	}{
		{2026, 2023, true, ""}, {2023, 2023, true, ""},
		{2027, 2023, false, "尚未到来"}, {2022, 2023, false, "最早的业务记录在 2023 年"}, {2024, 0, false, "没有任何业务记录"},
	} {
		err := CheckYear(c.year, c.first, now)
		if (err == nil) != c.ok || err != nil && !strings.Contains(errs.MessageOf(err), c.says) {
			t.Errorf("CheckYear(%d, %d) = %v", c.year, c.first, err)
		}
	}
}

func TestValidateProfile(t *testing.T) {
	good := map[string]string{"report.postcode": "350015", "report.email": "fzhgxxgk@customs.gov.cn", "report.portal_url": "http://fuzhou.customs.gov.cn",
		"report.government_wide": "1", "report.about_step": "100", "report.subjects": "3"}
	if err := ValidateProfile(good); err != nil {
		t.Fatalf("good profile refused: %v", err)
	}
	bad := map[string]string{"report.postcode": "35001", "report.email": "不是邮箱", "report.portal_url": "fuzhou.customs.gov.cn",
		"report.government_wide": "是", "report.about_step": "0", "report.subjects": "99", "report.address": strings.Repeat("路", 201)}
	fe, ok := ValidateProfile(bad).(*errs.FormError)
	if !ok {
		t.Fatal("bad profile accepted")
	}
	for k := range bad {
		if fe.Of(k) == "" {
			t.Errorf("no message for %s", k)
		}
	}
	p := ProfileOf(org.Unit{Name: "马尾海关"}, nil)
	if p.Office != "马尾海关政务公开办公室" || p.AboutStep != 100 || !p.CustomsRows || len(p.Missing()) != 5 {
		t.Errorf("defaults: %+v, missing %v", p, p.Missing())
	}
	if s := p.Preface("马尾海关（本级机关）", 2026); !strings.Contains(s, "地址：（未填写）") || !strings.Contains(s, "自2026年1月1日起至2026年12月31日止") {
		t.Errorf("preface: %s", s)
	}
}
