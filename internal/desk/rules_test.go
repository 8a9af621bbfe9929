package desk

import (
	"testing"
	"time"

	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func TestAuthorizeEnquiryStep(t *testing.T) {
	agent := Actor{UserID: 1, Roles: []org.Role{org.RoleHotline}}
	reviewer := Actor{UserID: 2, Roles: []org.Role{org.RoleReviewer}}
	head := Actor{UserID: 3, Roles: []org.Role{org.RoleOfficeHead}}
	editor := Actor{UserID: 4, Roles: []org.Role{org.RoleEditor, org.RoleHandler}}
	system := Actor{System: true}
	public := Actor{Public: true}
	cases := []struct {
		name    string
		kind    string
		a       Actor
		drafter int64
		want    errs.Code // "" for allowed
	}{
		{"agent drafts", EvDrafted, agent, 0, ""},
		{"agent dismisses", EvDismissed, agent, 0, ""},
		{"office head drafts", EvDrafted, head, 0, ""},
		{"reviewer may not draft", EvDrafted, reviewer, 0, errs.Forbidden},
		{"editor may not draft", EvDrafted, editor, 0, errs.Forbidden},
		{"reviewer approves another's draft", EvApproved, reviewer, 1, ""},
		{"office head approves another's draft", EvApproved, head, 1, ""},
		{"agent may not approve", EvApproved, agent, 9, errs.Forbidden},
		{"the drafter may not approve, whatever his roles", EvApproved, head, 3, errs.Conflict},
		{"the drafter's own draft refused before his role", EvApproved, agent, 1, errs.Conflict},
		{"reviewer returns", EvReturned, reviewer, 1, ""},
		{"reviewer publishes", EvPublished, reviewer, 0, ""},
		{"reviewer withdraws", EvWithdrawn, reviewer, 0, ""},
		{"agent may not publish", EvPublished, agent, 0, errs.Forbidden},
		{"agent may not withdraw", EvWithdrawn, agent, 0, errs.Forbidden},
		{"system drafts", EvDrafted, system, 0, ""},
		{"system approves", EvApproved, system, 0, ""},
		{"public may not draft", EvDrafted, public, 0, errs.Forbidden},
		{"public may not publish", EvPublished, public, 0, errs.Forbidden},
		{"unknown step", "erase", head, 0, errs.Invalid},
		{"unknown step by the system", "erase", system, 0, errs.Invalid},
	}
	for _, c := range cases {
		err := Authorize(c.kind, c.a, c.drafter)
		if c.want == "" && err != nil || c.want != "" && errs.CodeOf(err) != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if err != nil && errs.MessageOf(err) == "" {
			t.Errorf("%s: refusal without a message", c.name)
		}
	}
}

// The page offers a step exactly when the role rule allows it.
func TestPermitsFollowsPolicy(t *testing.T) {
	for _, r := range org.Roles {
		for _, k := range []string{EvDrafted, EvDismissed, EvApproved, EvReturned, EvPublished, EvWithdrawn} {
			act, _ := StepAction(k)
			if got, want := Permits(k, []org.Role{r}) == nil, org.Allows([]org.Role{r}, act); got != want {
				t.Errorf("role %s step %s: permitted %v, policy %v", r, k, got, want)
			}
		}
	}
}

func TestSurveyStep(t *testing.T) {
	opened := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name      string
		state     string
		step      string
		questions int
		at        time.Time
		want      errs.Code
	}{
		{"questions edited in a draft", SurveyDraft, SurveyEditQuestions, 0, time.Time{}, ""},
		{"questions frozen once open", SurveyOpen, SurveyEditQuestions, 0, time.Time{}, errs.Conflict},
		{"questions frozen once closed", SurveyClosed, SurveyEditQuestions, 0, time.Time{}, errs.Conflict},
		{"a draft with a question opens", SurveyDraft, SurveyStepOpen, 1, opened, ""},
		{"a draft without questions does not", SurveyDraft, SurveyStepOpen, 0, opened, errs.Invalid},
		{"an open survey does not open again", SurveyOpen, SurveyStepOpen, 3, opened, errs.Conflict},
		{"an open survey closes", SurveyOpen, SurveyStepClose, 0, opened.Add(time.Hour), ""},
		{"closing at the opening instant", SurveyOpen, SurveyStepClose, 0, opened, ""},
		{"not closed before it opened", SurveyOpen, SurveyStepClose, 0, opened.Add(-time.Microsecond), errs.Invalid},
		{"a draft does not close", SurveyDraft, SurveyStepClose, 0, opened, errs.Conflict},
		{"a closed survey does not close again", SurveyClosed, SurveyStepClose, 0, opened, errs.Conflict},
		{"answers while open", SurveyOpen, SurveyStepAnswer, 0, time.Time{}, ""},
		{"no answers to a draft", SurveyDraft, SurveyStepAnswer, 0, time.Time{}, errs.Conflict},
		{"no answers after closing", SurveyClosed, SurveyStepAnswer, 0, time.Time{}, errs.Conflict},
		{"unknown step", SurveyDraft, "delete", 0, time.Time{}, errs.Invalid},
	}
	for _, c := range cases {
		err := SurveyStep(c.state, c.step, c.questions, opened, c.at)
		if c.want == "" && err != nil || c.want != "" && errs.CodeOf(err) != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestCheckImportedResponse(t *testing.T) {
	opened := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	closed := opened.AddDate(0, 1, 0)
	cases := []struct {
		name           string
		opened, closed time.Time
		at             time.Time
		ok             bool
	}{
		{"within", opened, closed, opened.AddDate(0, 0, 3), true},
		{"at the opening", opened, closed, opened, true},
		{"at the closing", opened, closed, closed, true},
		{"before opening", opened, closed, opened.Add(-time.Second), false},
		{"after closing", opened, closed, closed.Add(time.Second), false},
		{"still open", opened, time.Time{}, closed.AddDate(1, 0, 0), true},
		{"never opened", time.Time{}, time.Time{}, opened, false},
	}
	for _, c := range cases {
		err := CheckImportedResponse(c.opened, c.closed, c.at)
		if (err == nil) != c.ok || (err != nil && errs.CodeOf(err) != errs.Invalid) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
