package org

import (
	"strings"
	"testing"

	"gongkai/internal/errs"
)

// TestPolicyMatrix states, for every action and every role, whether the
// role may take the action: the table a reviewer checks against the
// statute and the office's procedure.
func TestPolicyMatrix(t *testing.T) {
	want := map[Action][]Role{
		ActRequestSubjects:    {RoleHandler},
		ActRequestSubjectList: {RoleHandler, RoleOfficeHead, RoleAdmin},
		ActAnnualBuild:        {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActAnnualTemplate:     {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActAnnualPublish:      {RoleStatistician, RoleOfficeHead},
		ActAnnualOverride:     {RoleOfficeHead},
		ActAnnualRectify:      {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActAnnualReview:       {RoleStatistician, RoleAdmin},
	}
	for _, p := range Policy {
		if _, ok := want[p.Action]; !ok {
			t.Errorf("action %s is in the policy but not in this test", p.Action)
		}
		if p.Label == "" || p.Basis == "" {
			t.Errorf("action %s lacks its label or basis", p.Action)
		}
	}
	for a, roles := range want {
		if _, ok := PermissionOf(a); !ok {
			t.Errorf("action %s missing from the policy", a)
		}
		for _, r := range Roles {
			allowed := false
			for _, w := range roles {
				allowed = allowed || w == r
			}
			if got := Allows([]Role{r}, a); got != allowed {
				t.Errorf("%s may %s: %v, want %v", r, a, got, allowed)
			}
		}
	}
	if Allows(Roles, Action("request.unknown")) {
		t.Error("an action not in the table is allowed")
	}
}

func TestUserMayPerUnit(t *testing.T) {
	u := User{ID: 1, Grants: []Grant{{UnitID: 1, Role: RoleHandler}, {UnitID: 2, Role: RoleEditor}}}
	if !u.May(1, ActRequestSubjects) || u.May(2, ActRequestSubjects) || u.May(3, ActRequestSubjects) {
		t.Error("a role granted in one unit is not a role in another")
	}
	if !u.MayAnywhere(ActRequestSubjectList) || u.MayAnywhere(ActAnnualBuild) {
		t.Error("MayAnywhere")
	}
	u.Disabled = true
	if u.May(1, ActRequestSubjects) {
		t.Error("a disabled account may act")
	}
	err := Refusal(ActRequestSubjectList)
	if !errs.Is(err, errs.Forbidden) || !strings.Contains(errs.MessageOf(err), "维护申请内容分类") ||
		!strings.Contains(errs.MessageOf(err), "依申请公开办理、公开办负责人、系统管理员") {
		t.Errorf("refusal: %v", err)
	}
}
