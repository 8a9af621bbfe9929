package requests

import (
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/org"
)

// TestStepsFor writes out by hand, for each state and role, the steps an
// application page offers: exactly those the state machine and the policy
// accept on the day.
//
// Received Fri 2024-03-01: answer due Fri 03-29; a 补正 may be asked until
// Tue 03-12 (7 working days); one asked on 03-04 is due 03-25 (15); a fee
// noticed on 03-04 in person is due 04-01 (20); a consultation sent on
// 03-04 in person must be answered by 03-25.
func TestStepsFor(t *testing.T) {
	cal := calendar.Default()
	const me = 5
	reg := ev(Registered, "2024-03-01")
	mine := Event{Kind: Assigned, On: d("2024-03-01"), Role: org.RoleOfficeHead, Assignee: me}
	handler, head, legal := []org.Role{org.RoleHandler}, []org.Role{org.RoleOfficeHead}, []org.Role{org.RoleLegal}
	for _, tc := range []struct {
		name  string
		evs   []Event
		on    string
		roles []org.Role
		want  string
	}{
		{"新收未分办·承办人", []Event{reg}, "2024-03-04", handler, "assigned subjects correction_requested consult_started reasons_requested extension_requested fee_noticed decided withdrawn"},
		{"新收未分办·负责人", []Event{reg}, "2024-03-04", head, "assigned extended"},
		{"新收未分办·法制审核", []Event{reg}, "2024-03-04", legal, ""},
		{"新收未分办·管理员", []Event{reg}, "2024-03-04", []org.Role{org.RoleAdmin, org.RoleStatistician}, ""},
		{"新收·承办人兼负责人", []Event{reg}, "2024-03-04", []org.Role{org.RoleHandler, org.RoleOfficeHead},
			"assigned subjects correction_requested consult_started reasons_requested extension_requested extended fee_noticed decided withdrawn"},
		{"已分办·承办人", []Event{reg, mine}, "2024-03-04", handler, "subjects correction_requested consult_started reasons_requested extension_requested fee_noticed decided withdrawn"},
		{"已提请延期·承办人", []Event{reg, mine, {Kind: ExtensionRequested, On: d("2024-03-20"), Days: 10, Note: "需调取档案"}}, "2024-03-21", handler,
			"subjects consult_started reasons_requested fee_noticed decided withdrawn"},
		{"已提请延期·负责人", []Event{reg, mine, {Kind: ExtensionRequested, On: d("2024-03-20"), Days: 10, Note: "需调取档案"}}, "2024-03-21", head,
			"assigned extended extension_refused"},
		{"补正期内", []Event{reg, mine, {Kind: CorrectionRequested, On: d("2024-03-04"), Note: "文号"}}, "2024-03-10", handler, "subjects corrected withdrawn"},
		{"补正期内·负责人", []Event{reg, mine, {Kind: CorrectionRequested, On: d("2024-03-04"), Note: "文号"}}, "2024-03-10", head, "assigned"},
		{"补正期满", []Event{reg, mine, {Kind: CorrectionRequested, On: d("2024-03-04"), Note: "文号"}}, "2024-03-26", handler, "subjects correction_abandoned withdrawn"},
		{"征求意见中", []Event{reg, mine, ev(ConsultStarted, "2024-03-04")}, "2024-03-11", handler, "subjects consult_served consult_ended withdrawn"},
		{"征求意见中·负责人", []Event{reg, mine, ev(ConsultStarted, "2024-03-04")}, "2024-03-11", head, "assigned"},
		{"待法制审核·法制审核", []Event{reg, mine, decide("2024-03-05", annual.RowWithheldInternalAffairs)}, "2024-03-06", legal, "legal_reviewed"},
		{"待法制审核·承办人", []Event{reg, mine, decide("2024-03-05", annual.RowWithheldInternalAffairs)}, "2024-03-06", handler, "subjects withdrawn"},
		{"已拟定公开", []Event{reg, mine, decide("2024-03-05", annual.RowDisclosed)}, "2024-03-06", handler, "subjects answered withdrawn"},
		{"已拟定公开·法制审核", []Event{reg, mine, decide("2024-03-05", annual.RowDisclosed)}, "2024-03-06", legal, ""},
		{"已答复", []Event{reg, mine, decide("2024-03-05", annual.RowDisclosed), ev(Answered, "2024-03-06")}, "2024-03-07", handler, "subjects delivered"},
		{"已答复·负责人", []Event{reg, mine, decide("2024-03-05", annual.RowDisclosed), ev(Answered, "2024-03-06")}, "2024-03-07", head, "assigned"},
		{"已办结", []Event{reg, mine, decide("2024-03-05", annual.RowDisclosed), ev(Answered, "2024-03-06"), ev(Delivered, "2024-03-07"), ev(Closed, "2024-03-08")},
			"2024-03-11", handler, "subjects"},
		{"已办结·负责人", []Event{reg, mine, decide("2024-03-05", annual.RowDisclosed), ev(Answered, "2024-03-06"), ev(Delivered, "2024-03-07"), ev(Closed, "2024-03-08")},
			"2024-03-11", head, ""},
		{"待缴费", []Event{reg, mine, {Kind: FeeNoticed, On: d("2024-03-04"), Yuan: 100}}, "2024-03-11", handler, "subjects fee_paid withdrawn"},
		{"缴费期满", []Event{reg, mine, {Kind: FeeNoticed, On: d("2024-03-04"), Yuan: 100}}, "2024-04-02", handler, "subjects fee_abandoned withdrawn"},
		{"已要求说明理由", []Event{reg, mine, ev(ReasonsRequested, "2024-03-04")}, "2024-03-11", handler, "subjects correction_requested consult_started extension_requested fee_noticed decided withdrawn"},
		{"已要求说明理由·负责人", []Event{reg, mine, ev(ReasonsRequested, "2024-03-04")}, "2024-03-11", head, "assigned reasons_accepted extended"},
		{"已逾期", []Event{reg, mine}, "2024-04-01", handler, "subjects consult_started reasons_requested decided withdrawn"},
		{"已逾期·负责人", []Event{reg, mine}, "2024-04-01", head, "assigned"},
	} {
		st, err := Replay(cal, DefaultSettings, tc.evs)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, s := range StepsFor(cal, DefaultSettings, st, tc.roles, me, d(tc.on)) {
			got = append(got, string(s.Kind))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: %s\n  want %s", tc.name, g, tc.want)
		}
	}
	// The office head assigns rather than claims.
	st := replay(t, DefaultSettings, reg)
	if s := StepsFor(cal, DefaultSettings, st, []org.Role{org.RoleHandler, org.RoleOfficeHead}, me, d("2024-03-04")); s[0].Kind != Assigned || s[0].Role != org.RoleOfficeHead {
		t.Errorf("first step %+v", s[0])
	}
}
