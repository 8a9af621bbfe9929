package requests

import (
	"strings"
	"testing"

	"gongkai/internal/annual"
	"gongkai/internal/calendar"
	"gongkai/internal/errs"
	"gongkai/internal/org"
)

func d(s string) calendar.Date {
	v, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func ev(k Kind, on string) Event { return Event{Kind: k, On: d(on), Role: org.RoleHandler} }

func decide(on string, row annual.RowKey) Event {
	return Event{Kind: Decided, On: d(on), Role: org.RoleHandler, Outcome: row}
}

// TestPaths walks every path through an application's life: each case is a
// list of events that must all be accepted, and the final state it leads to.
func TestPaths(t *testing.T) {
	cal := calendar.Default()
	for _, tc := range []struct {
		name      string
		events    []Event
		status    Status
		outcome   annual.RowKey
		sub       string
		concluded string
	}{
		{"公开", []Event{ev(Registered, "2024-03-01"), decide("2024-03-05", annual.RowDisclosed),
			ev(Answered, "2024-03-06"), ev(Delivered, "2024-03-07"), ev(Closed, "2024-03-08")},
			StatusClosed, annual.RowDisclosed, "", "2024-03-06"},
		{"不予公开经法制审核", []Event{ev(Registered, "2024-03-01"), decide("2024-03-05", annual.RowWithheldThirdPartyRights),
			{Kind: LegalReviewed, On: d("2024-03-06"), Role: org.RoleLegal, Approved: true}, ev(Answered, "2024-03-07")},
			StatusAnswered, annual.RowWithheldThirdPartyRights, "", "2024-03-07"},
		{"法制审核退回后改为部分公开", []Event{ev(Registered, "2024-03-01"), decide("2024-03-05", annual.RowWithheldStateSecret),
			{Kind: LegalReviewed, On: d("2024-03-06"), Role: org.RoleLegal, Approved: false},
			decide("2024-03-07", annual.RowPartlyDisclosed),
			{Kind: LegalReviewed, On: d("2024-03-08"), Role: org.RoleLegal, Approved: true}, ev(Answered, "2024-03-08")},
			StatusAnswered, annual.RowPartlyDisclosed, "", "2024-03-08"},
		{"补正后答复", []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08"), ev(Corrected, "2024-02-20"),
			decide("2024-03-01", annual.RowUnavailableNotHeld), ev(Answered, "2024-03-01")},
			StatusAnswered, annual.RowUnavailableNotHeld, "", "2024-03-01"},
		{"逾期不补正", []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08"), ev(CorrectionAbandoned, "2024-03-07")},
			StatusAbandoned, annual.RowOtherNoCorrection, "", "2024-03-07"},
		{"征求意见后公开", []Event{ev(Registered, "2024-09-20"), ev(ConsultStarted, "2024-09-23"), ev(ConsultEnded, "2024-10-09"),
			decide("2024-10-10", annual.RowDisclosed), ev(Answered, "2024-10-10")},
			StatusAnswered, annual.RowDisclosed, "", "2024-10-10"},
		{"缴费后公开", []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}, ev(FeePaid, "2025-02-10"),
			decide("2025-02-12", annual.RowDisclosed), ev(Answered, "2025-02-12")},
			StatusAnswered, annual.RowDisclosed, "", "2025-02-12"},
		{"逾期未缴费", []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}, ev(FeeAbandoned, "2025-02-26")},
			StatusAbandoned, annual.RowOtherNoFee, "", "2025-02-26"},
		{"征求意见中撤回", []Event{ev(Registered, "2024-05-06"), ev(ConsultStarted, "2024-05-08"), ev(Withdrawn, "2024-05-20")},
			StatusWithdrawn, annual.RowOtherOther, SubWithdrawn, "2024-05-20"},
		{"拟定答复后撤回", []Event{ev(Registered, "2024-05-06"), decide("2024-05-08", annual.RowDisclosed), ev(Withdrawn, "2024-05-09")},
			StatusWithdrawn, annual.RowOtherOther, SubWithdrawn, "2024-05-09"},
		{"咨询事项指引咨询渠道", []Event{ev(Registered, "2024-05-06"),
			{Kind: Decided, On: d("2024-05-07"), Outcome: annual.RowOtherOther, SubKind: SubConsultChannel}, ev(Answered, "2024-05-07")},
			StatusAnswered, annual.RowOtherOther, SubConsultChannel, "2024-05-07"},
		{"延期后答复", []Event{ev(Registered, "2024-09-20"), {Kind: Extended, On: d("2024-10-15"), Role: org.RoleOfficeHead, Days: 20},
			decide("2024-11-20", annual.RowNotProcessedRepeat), ev(Answered, "2024-11-20")},
			StatusAnswered, annual.RowNotProcessedRepeat, "", "2024-11-20"},
		{"办理中", []Event{ev(Registered, "2024-12-30")}, StatusProcessing, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Replay(cal, DefaultSettings, tc.events)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s.Concluded() {
				got = s.ConcludedOn.String()
			}
			if s.Status != tc.status || s.Outcome != tc.outcome || s.SubKind != tc.sub || got != tc.concluded {
				t.Errorf("state %s %s %q %s; want %s %s %q %s", s.Status, s.Outcome, s.SubKind, got, tc.status, tc.outcome, tc.sub, tc.concluded)
			}
		})
	}
}

// TestRefused checks that each illegal step is refused with a Chinese
// message naming the rule, and leaves the state as it was.
func TestRefused(t *testing.T) {
	cal := calendar.Default()
	reg := ev(Registered, "2024-03-01")
	for _, tc := range []struct {
		name   string
		before []Event
		bad    Event
		code   errs.Code
		msg    string
	}{
		{"登记前", nil, ev(Answered, "2024-03-01"), errs.Conflict, "尚未登记"},
		{"早于收到日", []Event{reg}, decide("2024-02-28", annual.RowDisclosed), errs.Invalid, "不能早于"},
		{"未拟定即答复", []Event{reg}, ev(Answered, "2024-03-02"), errs.Conflict, "不能作出答复"},
		{"不予公开未经审核", []Event{reg, decide("2024-03-02", annual.RowWithheldInternalAffairs)}, ev(Answered, "2024-03-03"), errs.Conflict, "法制审核"},
		{"承办人审核", []Event{reg, decide("2024-03-02", annual.RowPartlyDisclosed)},
			Event{Kind: LegalReviewed, On: d("2024-03-03"), Role: org.RoleHandler, Approved: true}, errs.Forbidden, "法制审核人员"},
		{"公开无需审核", []Event{reg, decide("2024-03-02", annual.RowDisclosed)},
			Event{Kind: LegalReviewed, On: d("2024-03-03"), Role: org.RoleLegal, Approved: true}, errs.Conflict, "无需法制审核"},
		{"非表三结果", []Event{reg}, decide("2024-03-02", annual.RowTotalHandled), errs.Invalid, "办理结果"},
		{"不补正不能作为决定", []Event{reg}, decide("2024-03-02", annual.RowOtherNoCorrection), errs.Invalid, "办理结果"},
		{"撤回不能作为决定", []Event{reg}, Event{Kind: Decided, On: d("2024-03-02"), Outcome: annual.RowOtherOther, SubKind: SubWithdrawn}, errs.Invalid, "撤回"},
		{"答复后撤回", []Event{reg, decide("2024-03-02", annual.RowDisclosed), ev(Answered, "2024-03-02")}, ev(Withdrawn, "2024-03-04"), errs.Conflict, "不能再撤回"},
		{"撤回两次", []Event{reg, ev(Withdrawn, "2024-03-02")}, ev(Withdrawn, "2024-03-04"), errs.Conflict, "不能再撤回"},
		// Received Thursday 2024-02-01: the 7th working day is Friday
		// 2024-02-09 (02-02 #1, Sunday 02-04 worked before the Spring
		// Festival #2, 02-05…02-09 #3–#7); 02-18 is too late.
		{"补正告知超过7个工作日", []Event{ev(Registered, "2024-02-01")}, ev(CorrectionRequested, "2024-02-18"), errs.Conflict, "2024-02-09"},
		{"补正两次", []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-02"), ev(Corrected, "2024-02-05")},
			ev(CorrectionRequested, "2024-02-06"), errs.Conflict, "一次性"},
		{"补正期内视为放弃", []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08")},
			ev(CorrectionAbandoned, "2024-03-06"), errs.Conflict, "2024-03-06"},
		{"补正期满后补正", []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08")},
			ev(Corrected, "2024-03-07"), errs.Conflict, "届满"},
		{"待补正时征求意见", []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08")},
			ev(ConsultStarted, "2024-02-09"), errs.Conflict, "待补正"},
		{"承办人延期", []Event{reg}, Event{Kind: Extended, On: d("2024-03-05"), Role: org.RoleHandler, Days: 10}, errs.Forbidden, "负责人"},
		{"延期超过20日", []Event{reg}, Event{Kind: Extended, On: d("2024-03-05"), Role: org.RoleOfficeHead, Days: 21}, errs.Invalid, "20个工作日"},
		{"累计延期超过20日", []Event{reg, {Kind: Extended, On: d("2024-03-05"), Role: org.RoleOfficeHead, Days: 15}},
			Event{Kind: Extended, On: d("2024-03-06"), Role: org.RoleOfficeHead, Days: 6}, errs.Invalid, "已延长15"},
		// Received 2024-03-01: 20 working days end 2024-03-29; an extension on 04-01 is too late.
		{"期满后延期", []Event{reg}, Event{Kind: Extended, On: d("2024-04-01"), Role: org.RoleOfficeHead, Days: 5}, errs.Conflict, "2024-03-29"},
		{"收费金额为0", []Event{reg}, Event{Kind: FeeNoticed, On: d("2024-03-02")}, errs.Invalid, "大于0"},
		{"缴费期内视为放弃", []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}},
			ev(FeeAbandoned, "2025-02-25"), errs.Conflict, "2025-02-25"},
		{"缴费期满后缴费", []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}},
			ev(FeePaid, "2025-02-26"), errs.Conflict, "届满"},
		{"送达前办结", []Event{reg, decide("2024-03-02", annual.RowDisclosed), ev(Answered, "2024-03-02")}, ev(Closed, "2024-03-03"), errs.Conflict, "已送达"},
		{"未知环节", []Event{reg}, ev("reopened", "2024-03-03"), errs.Conflict, "未知"},
		{"缺日期", []Event{reg}, Event{Kind: Delivered}, errs.Invalid, "日期"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Replay(cal, DefaultSettings, tc.before)
			if err != nil {
				t.Fatal(err)
			}
			before := s
			err = s.Apply(cal, DefaultSettings, tc.bad)
			if err == nil {
				t.Fatalf("accepted; state %s", s.Status)
			}
			if errs.CodeOf(err) != tc.code || !strings.Contains(errs.MessageOf(err), tc.msg) {
				t.Errorf("error %s %q; want %s containing %q", errs.CodeOf(err), errs.MessageOf(err), tc.code, tc.msg)
			}
			if s.Status != before.Status || s.Outcome != before.Outcome || len(s.Pauses) != len(before.Pauses) {
				t.Errorf("refused event changed the state: %+v", s)
			}
		})
	}
}

// TestDeadlines works the answer due date out by hand for the clock's
// restarts, pauses and extensions across Spring Festival and National Day.
func TestDeadlines(t *testing.T) {
	cal := calendar.Default()
	for _, tc := range []struct {
		name   string
		set    Settings
		events []Event
		asOf   string
		due    string
		paused int
	}{
		// Received Friday 2024-09-27: 09-28 Sat skipped; Sunday 09-29 worked
		// (国庆调休) #1; 09-30 #2; 10-01…10-07 holiday; 10-08…10-11 #3–#6;
		// Saturday 10-12 worked #7; 10-14…10-18 #8–#12; 10-21…10-25
		// #13–#17; 10-28, 10-29, 10-30 #18–#20.
		{"国庆", DefaultSettings, []Event{ev(Registered, "2024-09-27")}, "2024-09-27", "2024-10-30", 0},
		// Received Thursday 2024-02-01; 补正 asked 02-08; corrected
		// Tuesday 02-20 (the clock restarts, 第三十条): 02-21…02-23 #1–#3;
		// 02-26…03-01 #4–#8; 03-04…03-08 #9–#13; 03-11…03-15 #14–#18;
		// 03-18 #19; 03-19 #20. Without the restart it would end in early March.
		{"春节补正重新起算", DefaultSettings, []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08"), ev(Corrected, "2024-02-20")},
			"2024-02-20", "2024-03-19", 0},
		// Received Friday 2024-09-20; consultation sent Monday 09-23 (#1),
		// reply 10-09: 09-24…10-09 paused, including worked Sunday 09-29.
		// 10-10 #2, 10-11 #3, Saturday 10-12 worked #4, 10-14…10-18 #5–#9,
		// 10-21…10-25 #10–#14, 10-28…11-01 #15–#19, Monday 11-04 #20.
		{"国庆征求意见暂停", DefaultSettings, []Event{ev(Registered, "2024-09-20"), ev(ConsultStarted, "2024-09-23"), ev(ConsultEnded, "2024-10-09")},
			"2024-10-09", "2024-11-04", 16},
		// The same with 20 more working days approved on 11-01: 11-05…11-08
		// #21–#24, 11-11…11-15 #25–#29, 11-18…11-22 #30–#34, 11-25…11-29
		// #35–#39, Monday 12-02 #40.
		{"国庆征求意见并延期", DefaultSettings, []Event{ev(Registered, "2024-09-20"), ev(ConsultStarted, "2024-09-23"), ev(ConsultEnded, "2024-10-09"),
			{Kind: Extended, On: d("2024-11-01"), Role: org.RoleOfficeHead, Days: 20}},
			"2024-11-01", "2024-12-02", 16},
		// Received Monday 2025-01-20; fee notice Wednesday 01-22 (#2, 01-21
		// #1); paid Monday 02-10, so 01-23…02-10 are paused (Spring Festival
		// 01-28…02-04 and the worked 01-26 and 02-08 inside). 02-11…02-14
		// #3–#6, 02-17…02-21 #7–#11, 02-24…02-28 #12–#16, 03-03…03-06 #17–#20.
		{"春节等待缴费", DefaultSettings, []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}, ev(FeePaid, "2025-02-10")},
			"2025-02-10", "2025-03-06", 19},
		// The setting off: the clock runs through the fee wait. 01-21…01-24
		// #1–#4, Sunday 01-26 worked #5, 01-27 #6, 01-28…02-04 holiday,
		// 02-05…02-07 #7–#9, Saturday 02-08 worked #10, 02-10…02-14
		// #11–#15, 02-17…02-21 #16–#20.
		{"春节缴费不停表", Settings{CorrectionDays: 15}, []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}, ev(FeePaid, "2025-02-10")},
			"2025-02-10", "2025-02-21", 0},
		// A consultation still open on 2024-10-09: the due date is the one in
		// force if no reply comes, the pause running to the 15th working day
		// after the party received it (in person on 09-23): 09-24 #1 …
		// 09-27 #4, Sunday 09-29 worked #5, 09-30 #6, 10-08…10-11 #7–#10,
		// Saturday 10-12 worked #11, 10-14…10-17 #12–#15. So 09-24…10-17
		// are paused (24 days); 10-18 #2, 10-21…10-25 #3–#7, 10-28…11-01
		// #8–#12, 11-04…11-08 #13–#17, 11-11…11-13 #18–#20.
		{"征求意见未结束", DefaultSettings, []Event{ev(Registered, "2024-09-20"), ev(ConsultStarted, "2024-09-23")},
			"2024-10-09", "2024-11-13", 24},
		// The limit passed without a reply (第三十二条): the clock resumed on
		// 10-18, whatever the day asked about; a reply recorded later on
		// 10-25 does not pause it again.
		{"征求意见期满未答复", DefaultSettings, []Event{ev(Registered, "2024-09-20"), ev(ConsultStarted, "2024-09-23")},
			"2024-11-01", "2024-11-13", 24},
		{"期满后收到答复", DefaultSettings, []Event{ev(Registered, "2024-09-20"), ev(ConsultStarted, "2024-09-23"),
			{Kind: ConsultEnded, On: d("2024-10-25"), Reply: ReplyAgreed}}, "2024-10-25", "2024-11-13", 24},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Replay(cal, tc.set, tc.events)
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Deadline(cal, d(tc.asOf))
			if err != nil {
				t.Fatal(err)
			}
			if r.Due != d(tc.due) {
				t.Errorf("due %s, want %s\n%s", r.Due, tc.due, r.Explain())
			}
			paused := 0
			for _, day := range r.Days {
				if day.Status == calendar.Paused {
					paused++
				}
			}
			if paused != tc.paused {
				t.Errorf("%d paused days, want %d\n%s", paused, tc.paused, r.Explain())
			}
			if !strings.Contains(r.Explain(), tc.due) {
				t.Errorf("explanation does not name the due date:\n%s", r.Explain())
			}
		})
	}
	// The fee period (国办函〔2020〕109号): notice Wednesday 2025-01-22;
	// 01-23 #1, 01-24 #2, Sunday 01-26 worked #3, 01-27 #4, 01-28…02-04
	// Spring Festival, 02-05…02-07 #5–#7, Saturday 02-08 worked #8,
	// 02-10…02-14 #9–#13, 02-17…02-21 #14–#18, 02-24 #19, 02-25 #20.
	s, err := Replay(cal, DefaultSettings, []Event{ev(Registered, "2025-01-20"), {Kind: FeeNoticed, On: d("2025-01-22"), Yuan: 100}})
	if err != nil || s.FeeDue != d("2025-02-25") {
		t.Errorf("fee due %s, %v; want 2025-02-25", s.FeeDue, err)
	}
	// The 补正 period: asked Thursday 2024-02-08, 15 working days: 02-09
	// #1, 02-10…02-17 Spring Festival, Sunday 02-18 worked #2, 02-19…02-23
	// #3–#7, 02-26…03-01 #8–#12, 03-04…03-06 #13–#15.
	s, err = Replay(cal, DefaultSettings, []Event{ev(Registered, "2024-02-01"), ev(CorrectionRequested, "2024-02-08")})
	if err != nil || s.CorrectionDue != d("2024-03-06") {
		t.Errorf("correction due %s, %v; want 2024-03-06", s.CorrectionDue, err)
	}
}

func TestNeedsLegalReview(t *testing.T) {
	for _, r := range annual.Table3Rows {
		want := r.Key == annual.RowPartlyDisclosed || r.Group == "（三）不予公开"
		if NeedsLegalReview(r.Key) != want {
			t.Errorf("%s: NeedsLegalReview = %v", r.Key, !want)
		}
	}
}

// TestAssignment: 分办 is allowed while work remains, by the office head or a
// handler, never moves the clock, and is refused once the application has
// ended.
func TestAssignment(t *testing.T) {
	cal := calendar.Default()
	base := []Event{ev(Registered, "2024-09-27")}
	st, err := Replay(cal, DefaultSettings, base)
	if err != nil {
		t.Fatal(err)
	}
	due0, _ := st.DueOn(cal, d("2024-09-30"))
	assign := func(role org.Role, to int64) Event {
		return Event{Kind: Assigned, On: d("2024-09-30"), Role: role, Assignee: to}
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleLegal, 5)); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("legal reviewer assigning: %v", err)
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleHandler, 0)); !errs.Is(err, errs.Invalid) {
		t.Fatalf("no assignee: %v", err)
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleHandler, 5)); err != nil || st.Assignee != 5 {
		t.Fatalf("claim: %v %d", err, st.Assignee)
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleHandler, 6)); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a handler taking over: %v", err)
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleOfficeHead, 5)); !errs.Is(err, errs.Invalid) {
		t.Fatalf("the same handler again: %v", err)
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleOfficeHead, 6)); err != nil || st.Assignee != 6 {
		t.Fatalf("reassignment: %v %d", err, st.Assignee)
	}
	if due, _ := st.DueOn(cal, d("2024-09-30")); due != due0 || st.Status != StatusProcessing {
		t.Fatalf("分办 moved the clock: %s → %s, %s", due0, due, st.Status)
	}
	if err := st.Apply(cal, DefaultSettings, ev(Withdrawn, "2024-10-08")); err != nil {
		t.Fatal(err)
	}
	if err := st.Apply(cal, DefaultSettings, assign(org.RoleOfficeHead, 5)); !errs.Is(err, errs.Conflict) {
		t.Fatalf("after withdrawal: %v", err)
	}
}
