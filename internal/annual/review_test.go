package annual

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func TestAuthorizeReview(t *testing.T) {
	for _, tc := range []struct {
		rv Reviewer
		ok bool
	}{
		{Reviewer{UserID: 1, Roles: []org.Role{org.RoleStatistician}}, true},
		{Reviewer{UserID: 1, Roles: []org.Role{org.RoleAdmin}}, true},
		{Reviewer{UserID: 1, Roles: []org.Role{org.RoleOfficeHead, org.RoleEditor}}, false},
		{Reviewer{UserID: 1}, false},
		{Reviewer{Roles: []org.Role{org.RoleStatistician}}, false}, // the system decides nothing
	} {
		err := AuthorizeReview(tc.rv)
		if (err == nil) != tc.ok || (err != nil && !errs.Is(err, errs.Forbidden)) {
			t.Errorf("%+v: %v", tc.rv, err)
		}
	}
}

func TestValidateDecision(t *testing.T) {
	f := Finding{ID: "T4.SUM-abc", Rule: RuleT4Sum, Where: "table4.reconsideration", Message: "m"}
	ok := DecisionFor(3, 2024, f, VerdictDismiss, "  总计栏另有说明  ")
	if err := ValidateDecision(ok); err != nil || ok.Reason != "总计栏另有说明" || ok.Rule != RuleT4Sum {
		t.Fatalf("%+v: %v", ok, err)
	}
	var fe *errs.FormError
	for _, tc := range []struct {
		d     Decision
		field string
	}{
		{DecisionFor(3, 2024, f, VerdictDismiss, " "), "reason"},
		{DecisionFor(3, 2024, f, VerdictDismiss, strings.Repeat("理", MaxReason+1)), "reason"},
		{DecisionFor(3, 2024, f, "maybe", "理由"), "verdict"},
	} {
		err := ValidateDecision(tc.d)
		if !asFormError(err, &fe) || fe.Of(tc.field) == "" {
			t.Errorf("%+v: %v, want a message for %s", tc.d, err, tc.field)
		}
	}
	for _, d := range []Decision{DecisionFor(0, 2024, f, VerdictConfirm, "r"), DecisionFor(3, 0, f, VerdictConfirm, "r"), DecisionFor(3, 2024, Finding{}, VerdictConfirm, "r")} {
		if err := ValidateDecision(d); !errs.Is(err, errs.Invalid) {
			t.Errorf("%+v: %v", d, err)
		}
	}
}

func asFormError(err error, fe **errs.FormError) bool {
	e, ok := err.(*errs.FormError)
	*fe = e
	return ok
}

// Decisions apply by ID: a dismissed finding is set apart, a confirmed one
// counts with its decision, and a finding whose number changed (a new ID) is
// not hidden by the dismissal of the old one.
func TestReview(t *testing.T) {
	r := NewReport()
	r.Table4.Reconsideration = Outcomes{Upheld: N(1), Total: N(0)}
	r.Table4.LitigationDirect = Outcomes{Upheld: N(2), Total: N(0)}
	fs := Check(r)
	if len(fs) < 2 {
		t.Fatalf("findings %+v", fs)
	}
	a, b := fs[0], fs[1]
	ds := map[string]Decision{
		a.ID: DecisionFor(1, 2024, a, VerdictDismiss, "另有说明"),
		b.ID: DecisionFor(1, 2024, b, VerdictConfirm, "确属错误"),
	}
	rv := Review(fs, ds)
	if len(rv.Dismissed) != 1 || rv.Dismissed[0].ID != a.ID || len(rv.Open) != len(fs)-1 {
		t.Fatalf("reviewed %+v", rv)
	}
	if rv.Open[0].ID != b.ID || rv.Open[0].Decision == nil || rv.Open[0].Decision.Verdict != VerdictConfirm {
		t.Errorf("confirmed %+v", rv.Open[0])
	}
	if got := rv.Findings(); len(got) != len(fs)-1 || got[0].ID != b.ID {
		t.Errorf("findings that count: %+v", got)
	}
	// The reconsideration's upheld count changes: a new number, a new ID.
	r.Table4.Reconsideration.Upheld = N(7)
	fs2 := Check(r)
	rv2 := Review(fs2, ds)
	if len(rv2.Dismissed) != 0 {
		t.Errorf("a dismissal hid a new number: %+v", rv2.Dismissed)
	}
}
