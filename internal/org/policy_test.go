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
	all := Roles
	want := map[Action][]Role{
		ActDashboard:          all,
		ActStaff:              all, // and every account without a role (MayAnywhere)
		ActCalendarView:       all,
		ActCalendarImport:     {RoleAdmin},
		ActAdminUsers:         {RoleAdmin},
		ActAdminUnits:         {RoleAdmin},
		ActAdminAudit:         {RoleAdmin},
		ActPublishView:        {RoleEditor, RoleReviewer, RoleLegal, RoleStatistician, RoleAdmin, RoleOfficeHead},
		ActPublishDraft:       {RoleEditor},
		ActPublishReview:      {RoleReviewer},
		ActPublishLegal:       {RoleLegal},
		ActPublishCatalogue:   {RoleAdmin},
		ActDeskView:           {RoleHotline, RoleEditor, RoleReviewer, RoleOfficeHead, RoleStatistician, RoleAdmin},
		ActDeskQueue:          {RoleHotline, RoleReviewer, RoleOfficeHead},
		ActDeskWork:           {RoleHotline, RoleEditor, RoleOfficeHead, RoleAdmin},
		ActDeskDraft:          {RoleHotline, RoleOfficeHead},
		ActDeskReview:         {RoleReviewer, RoleOfficeHead},
		ActDeskSettings:       {RoleAdmin},
		ActAnnualCheck:        {RoleStatistician, RoleAdmin},
		ActRCEPView:           all,
		ActRCEPImport:         {RoleAdmin},
		ActRequestView:        {RoleHandler, RoleLegal, RoleOfficeHead},
		ActRequestApplicant:   {RoleHandler},
		ActRequestRegister:    {RoleHandler, RoleOfficeHead},
		ActRequestHandle:      {RoleHandler},
		ActRequestClaim:       {RoleHandler},
		ActRequestAssign:      {RoleOfficeHead},
		ActRequestExtend:      {RoleOfficeHead},
		ActRequestLegal:       {RoleLegal},
		ActRequestStats:       {RoleHandler, RoleLegal, RoleOfficeHead, RoleStatistician, RoleAdmin},
		ActRequestLetters:     {RoleHandler, RoleLegal, RoleOfficeHead, RoleAdmin},
		ActRequestLettersEdit: {RoleOfficeHead, RoleAdmin},
		ActRequestOffice:      {RoleOfficeHead, RoleAdmin},
		ActRequestSubjects:    {RoleHandler},
		ActRequestSubjectList: {RoleHandler, RoleOfficeHead, RoleAdmin},
		ActAnnualBuild:        {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActAnnualTemplate:     {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActAnnualPublish:      {RoleStatistician, RoleOfficeHead},
		ActAnnualOverride:     {RoleOfficeHead},
		ActAnnualRectify:      {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActInspectRun:         {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActInspectSettings:    {RoleOfficeHead, RoleAdmin},
		ActInspectRectify:     {RoleStatistician, RoleOfficeHead, RoleAdmin},
		ActInspectWeights:     {RoleOfficeHead},
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
		!strings.Contains(errs.MessageOf(err), "“依申请公开办理”、“公开办负责人”、“系统管理员”角色") {
		t.Errorf("refusal: %v", err)
	}
}

// ActStaff is open to every active account, a role or none.
func TestStaffActionWithoutRole(t *testing.T) {
	u := User{ID: 1}
	if !u.MayAnywhere(ActStaff) || !u.MayAnywhere(ActDashboard) || u.MayAnywhere(ActAnnualBuild) || u.MayAnywhere(ActPublishDraft) {
		t.Error("an account without a role: staff work and the workbench open, nothing else")
	}
	u.Disabled = true
	if u.MayAnywhere(ActStaff) || u.MayAnywhere(ActDashboard) {
		t.Error("a disabled account may do nothing")
	}
}
