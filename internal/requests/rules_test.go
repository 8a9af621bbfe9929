package requests

import (
	"errors"
	"testing"

	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func TestAuthorizeStep(t *testing.T) {
	handler := Actor{UserID: 1, Roles: []org.Role{org.RoleHandler}}
	head := Actor{UserID: 2, Roles: []org.Role{org.RoleOfficeHead}}
	legal := Actor{UserID: 3, Roles: []org.Role{org.RoleLegal}}
	both := Actor{UserID: 4, Roles: []org.Role{org.RoleHandler, org.RoleOfficeHead}}
	system := Actor{System: true}
	public := Actor{Public: true}
	cases := []struct {
		name string
		e    Event
		a    Actor
		want errs.Code
	}{
		{"handler asks for 补正", Event{Kind: CorrectionRequested}, handler, ""},
		{"office head does not handle", Event{Kind: CorrectionRequested}, head, errs.Forbidden},
		{"legal reviewer does not handle", Event{Kind: Decided}, legal, errs.Forbidden},
		{"office head extends (第三十三条)", Event{Kind: Extended, Role: org.RoleOfficeHead}, head, ""},
		{"handler does not extend", Event{Kind: Extended}, handler, errs.Forbidden},
		{"handler asks for an extension", Event{Kind: ExtensionRequested}, handler, ""},
		{"legal review by the legal reviewer", Event{Kind: LegalReviewed}, legal, ""},
		{"legal review by a handler", Event{Kind: LegalReviewed}, handler, errs.Forbidden},
		{"office head assigns to another", Event{Kind: Assigned, Role: org.RoleOfficeHead, Assignee: 9}, head, ""},
		{"handler claims for himself", Event{Kind: Assigned, Role: org.RoleHandler, Assignee: 1}, handler, ""},
		{"handler does not assign to another", Event{Kind: Assigned, Role: org.RoleHandler, Assignee: 9}, handler, errs.Forbidden},
		{"handler does not act as office head", Event{Kind: Assigned, Role: org.RoleOfficeHead, Assignee: 9}, handler, errs.Forbidden},
		{"handler and office head assigns as office head", Event{Kind: Assigned, Role: org.RoleOfficeHead, Assignee: 9}, both, ""},
		{"handler marks subjects", Event{Kind: SubjectsMarked}, handler, ""},
		{"applicant submits", Event{Kind: Registered}, public, ""},
		{"applicant corrects online", Event{Kind: Corrected}, public, ""},
		{"applicant takes no staff step", Event{Kind: Withdrawn}, public, errs.Forbidden},
		{"system records any step", Event{Kind: Extended}, system, ""},
		{"system assigns", Event{Kind: Assigned, Role: org.RoleHandler, Assignee: 9}, system, ""},
	}
	for _, c := range cases {
		err := Authorize(c.e, c.a)
		if c.want == "" && err != nil || c.want != "" && errs.CodeOf(err) != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestAuthorizeApplicant(t *testing.T) {
	for _, c := range []struct {
		name string
		a    Actor
		ok   bool
	}{
		{"the unit's handler", Actor{UserID: 1, Roles: []org.Role{org.RoleHandler}}, true},
		{"the office head", Actor{UserID: 2, Roles: []org.Role{org.RoleOfficeHead}}, false},
		{"the legal reviewer", Actor{UserID: 3, Roles: []org.Role{org.RoleLegal}}, false},
		{"an administrator", Actor{UserID: 4, Roles: []org.Role{org.RoleAdmin}}, false},
		{"no role in the unit", Actor{UserID: 5}, false},
		{"the public", Actor{Public: true}, false},
		{"the system, for the applicant with his query code", Actor{System: true}, true},
	} {
		err := AuthorizeApplicant(c.a)
		if (err == nil) != c.ok || (err != nil && errs.CodeOf(err) != errs.Forbidden) {
			t.Errorf("%s: %v", c.name, err)
		}
		if !c.a.System && !c.a.Public && MaySeeApplicant(c.a.Roles) != c.ok {
			t.Errorf("%s: the page and the store disagree", c.name)
		}
	}
}

func TestCheckRecordedStep(t *testing.T) {
	today, _ := calendar.ParseDate("2024-03-04")
	for _, c := range []struct {
		on calendar.Date
		ok bool
	}{
		{today, true}, {today.AddDays(-30), true}, {today.AddDays(1), false}, {calendar.Date{}, true},
	} {
		err := CheckRecordedStep(Event{Kind: Decided, On: c.on}, today)
		if (err == nil) != c.ok {
			t.Errorf("%v: %v", c.on, err)
		}
		var ae *errs.Error
		if err != nil && (!errors.As(err, &ae) || ae.Field != "on") {
			t.Errorf("%v: not a field error of the date: %v", c.on, err)
		}
	}
}

func TestCheckFeeQuoteAndAssignee(t *testing.T) {
	if err := CheckFeeQuote(0, "本月第 3 件"); errs.CodeOf(err) != errs.Invalid || !containsField(err, "fee_basis") {
		t.Errorf("zero fee: %v", err)
	}
	if err := CheckFeeQuote(100, "本月第 11 件"); err != nil {
		t.Errorf("fee of 100: %v", err)
	}
	if err := CheckAssignee(false); !containsField(err, "assignee") {
		t.Errorf("inactive assignee: %v", err)
	}
	if err := CheckAssignee(true); err != nil {
		t.Errorf("active assignee: %v", err)
	}
}

func containsField(err error, field string) bool {
	var ae *errs.Error
	return errors.As(err, &ae) && ae.Field == field
}
